//! Development aid: `cargo run -p juesuan-audit --example narrative FILE…` prints every number
//! of each report's 情况说明 as the claims engine read it (checked, or why not) and the
//! narrative findings.
use juesuan_core::rules::claims::Status;

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable");
        let a = juesuan_audit::audit(&path, &bytes).expect("audited");
        let t = juesuan_core::rules::claims::tally(&a.narrative);
        let (all, checked) = (t.numbers, t.checked);
        println!("== {path}: {all} numbers, {checked} checked");
        for m in &a.narrative {
            let status = match &m.status {
                Status::Checked { against, holds } => {
                    format!("{} {against}", if *holds { "ok " } else { "BAD" })
                }
                Status::NotCheckable { reason } => format!("--  {}", reason.text().zh),
            };
            println!(
                "{:>5} {:<14} {:<16} {:<28} {status}",
                m.line,
                m.section.as_deref().unwrap_or("-"),
                m.text,
                m.subject
            );
        }
        for f in a.findings.iter().filter(|f| f.rule.starts_with('N')) {
            println!("  {} {} {}", f.rule, f.location(), f.formula().zh);
        }
    }
}
