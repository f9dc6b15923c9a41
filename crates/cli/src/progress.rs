//! Progress for long commands: a bar on a terminal, nothing otherwise (the
//! command prints a summary line at the end either way).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub fn bar(len: u64, unit: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(len);
    let template = format!("{{elapsed_precise}} [{{bar:30}}] {{pos}}/{{len}} {unit} {{msg}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Prints a warning line without tearing the progress bar.
pub fn warn(bar: &ProgressBar, line: &str) {
    bar.suspend(|| eprintln!("warning: {line}"));
}

/// A flag set by Ctrl-C (SIGINT/SIGTERM). Long commands check it between
/// units of work and stop cleanly, leaving the store consistent.
pub fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let handler_flag = flag.clone();
    // A second handler cannot be installed (e.g. in tests); then Ctrl-C
    // falls back to the default, which SQLite's journal also survives.
    let _ = ctrlc::set_handler(move || {
        if handler_flag.swap(true, Ordering::SeqCst) {
            eprintln!("\ndossier: interrupted twice, exiting now");
            std::process::exit(130);
        }
        eprintln!("\ndossier: interrupting after the current batch (Ctrl-C again to exit now)");
    });
    flag
}
