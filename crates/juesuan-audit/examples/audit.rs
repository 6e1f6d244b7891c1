//! Development aid: `cargo run -p juesuan-audit --example audit FILE` prints what was read and
//! found.
fn main() {
    let path = std::env::args().nth(1).expect("a file");
    let bytes = std::fs::read(&path).expect("readable");
    match juesuan_audit::audit(&path, &bytes) {
        Ok(a) => {
            println!("layout {} unit {:?}", a.read.layout, a.read.unit);
            for (id, line) in &a.read.found {
                let t = a.read.sheet.table(id.key());
                println!(
                    "  {:?} @{line}: {} rows, partial {}",
                    id,
                    t.map_or(0, |t| t.rows.len()),
                    t.is_some_and(|t| t.partial)
                );
            }
            if let Some(key) = std::env::args().nth(2) {
                for r in &a
                    .read
                    .sheet
                    .table(&key)
                    .map(|t| t.rows.clone())
                    .unwrap_or_default()
                {
                    println!(
                        "    {} {} {:?} uncertain={} line={:?}",
                        r.address(),
                        r.label.zh,
                        r.cells
                            .iter()
                            .map(|(k, f)| format!("{k}={}", f.printed().plain()))
                            .collect::<Vec<_>>(),
                        r.uncertain,
                        r.source_line
                    );
                }
            }
            println!("claims: {}", a.read.sheet.claims.len());
            if std::env::var("CLAIMS").is_ok() {
                for c in &a.read.sheet.claims {
                    let v = juesuan_core::rules::claims::evaluate(&a.read.sheet, c);
                    println!("  claim {} @{} {:?} -> {:?}", c.pattern, c.line, c.kind, v);
                }
            }
            for f in &a.findings {
                println!(
                    "{} {:?} {} {} | {} | found {} expected {}",
                    f.rule,
                    f.severity,
                    f.location(),
                    f.row_name().zh,
                    f.formula().zh,
                    f.found(),
                    f.expected()
                );
            }
        }
        Err(ds) => {
            for d in ds {
                eprintln!("{d:?}");
            }
        }
    }
}
