//! The coverage chart: articles per bucket (bars, by publication day) with
//! the events marked (numbered vertical lines) and a numbered legend below.
//! A standalone SVG document; all text is escaped.

use std::fmt::Write;

use super::render::escape;
use super::{Bucket, Timeline};
use crate::day_number;

const WIDTH: f64 = 960.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const PLOT: f64 = 200.0;
const LINE: f64 = 18.0;

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut t: String = text.chars().take(max.saturating_sub(1)).collect();
    t.push('\u{2026}');
    t
}

fn tick_label(bucket: Bucket, day: &str) -> &str {
    match bucket {
        Bucket::Day | Bucket::Week => day,
        Bucket::Month => day.get(..7).unwrap_or(day),
        Bucket::Year => day.get(..4).unwrap_or(day),
    }
}

pub fn to_svg(tl: &Timeline) -> String {
    let bins = &tl.coverage.bins;
    let range = (
        bins.first().and_then(|b| day_number(&b.start)),
        bins.last().and_then(|b| day_number(&b.end)),
    );
    let legend = tl.events.len() as f64 * LINE;
    // Nothing dated: one line of text, no room left for an empty plot.
    let height = match range {
        (Some(_), Some(_)) => TOP + PLOT + 48.0 + legend + 8.0,
        _ => TOP + 32.0,
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" \
         viewBox=\"0 0 {WIDTH} {height}\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">"
    );
    let title = if tl.subject.is_empty() {
        "Coverage and events".to_owned()
    } else {
        format!("Coverage and events: {}", tl.subject)
    };
    let _ = writeln!(out, "<title>{}</title>", escape(&title));
    let (Some(first), Some(last)) = range else {
        let _ = writeln!(
            out,
            "<text x=\"{LEFT}\" y=\"{}\">No dated articles or events.</text>\n</svg>",
            TOP + 20.0
        );
        return out;
    };
    let days = (last + 1 - first).max(1) as f64;
    let plot_w = WIDTH - LEFT - RIGHT;
    let x = |day: f64| LEFT + (day - first as f64) / days * plot_w;
    let max = bins.iter().map(|b| b.articles).max().unwrap_or(0).max(1);
    let unit = match tl.coverage.bucket {
        Bucket::Day => "day",
        Bucket::Week => "week",
        Bucket::Month => "month",
        Bucket::Year => "year",
    };
    // Axes and captions.
    let _ = writeln!(
        out,
        "<text x=\"{LEFT}\" y=\"{}\" fill=\"#333\">Articles per {unit} (by publication day); \
         red lines: events (by the day they happened)</text>",
        TOP - 10.0
    );
    let _ = writeln!(
        out,
        "<line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{}\" stroke=\"#999\"/>\n\
         <line x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999\"/>",
        TOP + PLOT,
        TOP + PLOT,
        WIDTH - RIGHT,
        TOP + PLOT
    );
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{max}</text>\n\
         <text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>",
        LEFT - 6.0,
        TOP + 10.0,
        LEFT - 6.0,
        TOP + PLOT
    );
    // Bars.
    out.push_str("<g fill=\"#4a7ab5\">\n");
    for b in bins {
        let (Some(s), Some(e)) = (day_number(&b.start), day_number(&b.end)) else {
            continue;
        };
        if b.articles == 0 {
            continue;
        }
        let x0 = x(s as f64);
        let w = (x(e as f64 + 1.0) - x0 - 0.5).max(0.5);
        let h = b.articles as f64 / max as f64 * PLOT;
        let _ = writeln!(
            out,
            "<rect x=\"{x0:.2}\" y=\"{:.2}\" width=\"{w:.2}\" height=\"{h:.2}\"><title>{}: {} articles</title></rect>",
            TOP + PLOT - h,
            escape(&if b.start == b.end {
                b.start.clone()
            } else {
                format!("{} to {}", b.start, b.end)
            }),
            b.articles
        );
    }
    out.push_str("</g>\n");
    // X ticks: up to 6 bins, evenly spaced.
    let ticks = bins.len().min(6);
    let mut last_tick = usize::MAX;
    for t in 0..ticks {
        let i = if ticks <= 1 {
            0
        } else {
            t * (bins.len() - 1) / (ticks - 1)
        };
        if i == last_tick {
            continue;
        }
        last_tick = i;
        let Some(s) = day_number(&bins[i].start) else {
            continue;
        };
        let anchor = if t == 0 {
            "start"
        } else if t + 1 == ticks {
            "end"
        } else {
            "middle"
        };
        let tx = if t + 1 == ticks && ticks > 1 {
            x(last as f64 + 1.0)
        } else {
            x(s as f64)
        };
        let label = if t + 1 == ticks && ticks > 1 {
            &bins[i].end
        } else {
            &bins[i].start
        };
        let _ = writeln!(
            out,
            "<text x=\"{tx:.2}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"#333\">{}</text>",
            TOP + PLOT + 16.0,
            escape(tick_label(tl.coverage.bucket, label))
        );
    }
    // Events: numbered markers and the legend.
    for (n, e) in tl.events.iter().enumerate() {
        let Some(d) = day_number(&e.date) else {
            continue;
        };
        let ex = x(d as f64 + 0.5);
        let text = e.sentences.first().map(|s| s.text.as_str()).unwrap_or("");
        let _ = writeln!(
            out,
            "<g><title>{}</title><line x1=\"{ex:.2}\" y1=\"{TOP}\" x2=\"{ex:.2}\" y2=\"{}\" \
             stroke=\"#c0392b\" stroke-dasharray=\"3,2\"/>\
             <circle cx=\"{ex:.2}\" cy=\"{TOP}\" r=\"7\" fill=\"#c0392b\"/>\
             <text x=\"{ex:.2}\" y=\"{}\" text-anchor=\"middle\" fill=\"#fff\" font-size=\"9\">{}</text></g>",
            escape(&format!("{}: {}", e.date, text)),
            TOP + PLOT,
            TOP + 3.0,
            n + 1
        );
        let _ = writeln!(
            out,
            "<text x=\"{LEFT}\" y=\"{:.2}\"><tspan font-weight=\"bold\">{}. {}</tspan> {}</text>",
            TOP + PLOT + 44.0 + n as f64 * LINE,
            n + 1,
            escape(&e.date),
            escape(&truncate(text, 120))
        );
    }
    out.push_str("</svg>\n");
    out
}
