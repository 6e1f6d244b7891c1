//! Where the example's build goes, stage by stage, in process: the first run (what a whole
//! `juesuan build` pays, one-time set-ups included) and the median of 50. Release:
//!
//! ```sh
//! cargo run --release -p juesuan-publish --example stages -- examples/hongshan-kjj-2023.toml
//! ```
//!
//! Timings, not assertions.
use juesuan_core::Lang;
use juesuan_publish::{Setup, SetupOptions};
use std::time::{Duration, Instant};

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or("examples/hongshan-kjj-2023.toml".into());
    let mut stages: Vec<(&str, Vec<Duration>)> = Vec::new();
    let mut rec =
        |name: &'static str, d: Duration| match stages.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => v.push(d),
            None => stages.push((name, vec![d])),
        };
    for _ in 0..50 {
        let t = Instant::now();
        let setup = Setup::new(SetupOptions::default()).expect("setup");
        rec("setup", t.elapsed());
        let t = Instant::now();
        let bytes = std::fs::read(&path).unwrap();
        let built = juesuan_input::compile::compile_bytes(
            &path,
            &bytes,
            &setup.assets,
            &setup.catalog,
            &setup.layout,
        )
        .expect("ok");
        rec("compile", t.elapsed());
        let t = Instant::now();
        let checked = juesuan_publish::pipeline::check_compiled(&setup, built).expect("checked");
        rec("rules", t.elapsed());
        let b = &checked.built;
        let t = Instant::now();
        let figures = &setup.assets.bundle_of(&b.layout).unwrap().figures;
        let data = juesuan_core::report::report_data(&b.facts, &b.views, &setup.catalog, figures);
        rec("report_data", t.elapsed());
        let t = Instant::now();
        let id = b.layout.narrative.as_deref().unwrap();
        let tpl = setup
            .assets
            .narrative(id, Lang::Zh, Some(&b.layout.kind))
            .unwrap()
            .text
            .clone();
        let narrative = juesuan_render::narrative::narrative(&data, &tpl, Lang::Zh).unwrap();
        rec("narrative", t.elapsed());
        let t = Instant::now();
        let rules = setup.rules_for(&b.layout).unwrap();
        let checks = juesuan_render::viewer::Checks::of(rules, &b.views, &b.facts.disclosure);
        rec("checks", t.elapsed());
        let t = Instant::now();
        let model =
            juesuan_render::report::model_with(&b.views, &narrative, &data, &checks, Lang::Zh);
        rec("model", t.elapsed());
        let t = Instant::now();
        let html = juesuan_render::report::html(&model).unwrap();
        rec("report html", t.elapsed());
        let t = Instant::now();
        let json = juesuan_render::report::json(&narrative, &data, &b.views, &checks);
        rec("report json", t.elapsed());
        let t = Instant::now();
        let tables = juesuan_render::html::page_of(&model.page).unwrap();
        rec("tables html", t.elapsed());
        let t = Instant::now();
        let x = juesuan_render::xlsx::workbook(&b.views, Lang::Zh).unwrap();
        rec("xlsx", t.elapsed());
        let t = Instant::now();
        let vj = juesuan_render::json::views_json(&b.views);
        rec("views json", t.elapsed());
        let t = Instant::now();
        let fj = checked.findings_json(&path);
        rec("findings json", t.elapsed());
        let files = vec![
            ("a.xlsx".to_string(), x),
            ("b.html".into(), html.into_bytes()),
            ("c.html".into(), tables.into_bytes()),
            ("d.json".into(), vj),
            ("e.json".into(), json),
            ("f.json".into(), fj),
        ];
        let t = Instant::now();
        juesuan_publish::output::write_all(
            &std::env::temp_dir().join("juesuan-stages"),
            &files,
            &[],
        )
        .unwrap();
        rec("write", t.elapsed());
    }
    let mut total = 0;
    for (n, v) in &stages {
        let first = v[0].as_micros();
        let mut s = v.clone();
        s.sort();
        let m = s[s.len() / 2].as_micros();
        total += m;
        println!("{n:<16} first {first:>7} µs  median {m:>7} µs");
    }
    println!("sum of medians {total} µs");
}
