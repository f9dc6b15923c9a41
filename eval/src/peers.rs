//! Python peers (trafilatura, datasketch, spaCy) run on the same input in the
//! same benchmark run. They come from PyPI: a harness installs what is
//! missing, pinned, before it gives up on the comparison.

use std::path::Path;
use std::process::Command;

/// True when `python3 -c "import <module>"` succeeds.
pub fn importable(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Makes `module` importable, installing `packages` with pip if it is not
/// (none given: the pinned `eval/requirements.txt`). Prints what it does.
pub fn ensure(module: &str, packages: &[&str]) -> bool {
    if importable(module) {
        return true;
    }
    let requirements = Path::new(env!("CARGO_MANIFEST_DIR")).join("requirements.txt");
    let mut pip = Command::new("python3");
    pip.args(["-m", "pip", "install", "-q"]);
    if packages.is_empty() {
        pip.arg("-r").arg(&requirements);
    } else {
        pip.args(packages);
    }
    println!("installing the Python peer for `import {module}`: {pip:?}");
    let _ = pip.status();
    let ok = importable(module);
    if !ok {
        println!("(could not install the Python peer `{module}`; its comparison is skipped)");
    }
    ok
}
