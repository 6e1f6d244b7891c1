//! Development aid: prints the narrative of an input file, and writes the report HTML and JSON
//! next to /tmp: `cargo run -p juesuan-render --example narrate FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("input file");
    let text = std::fs::read_to_string(&path).expect("readable input");
    let built = juesuan_input::compile::compile_with_builtins(&path, &text)
        .unwrap_or_else(|p| panic!("{p:#?}"));
    let data = juesuan_input::builtin::report_data(&built).unwrap();
    let template =
        std::fs::read_to_string("data/kinds/final-accounts/narrative/hubei-wuhan-2023.j2").unwrap();
    let n = match juesuan_render::narrative::narrative(&data, &template, juesuan_core::Lang::Zh) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("{e:#}");
            std::process::exit(1);
        }
    };
    for b in &n.blocks {
        match b {
            juesuan_render::narrative::Block::Heading { level, text } => {
                println!("{} {text}", "#".repeat(*level as usize))
            }
            juesuan_render::narrative::Block::Insert { what, arg, .. } => {
                println!("[[{what}:{}]]", arg.clone().unwrap_or_default())
            }
            p => println!("{}", p.text()),
        }
    }
    let model = juesuan_render::report::model(&built.views, &n, &data, juesuan_core::Lang::Zh);
    match juesuan_render::report::html(&model) {
        Ok(h) => std::fs::write("/tmp/report.html", h).unwrap(),
        Err(e) => eprintln!("{e:#}"),
    }
    std::fs::write(
        "/tmp/report.json",
        juesuan_render::report::json(&n, &data, &built.views, &Default::default()),
    )
    .unwrap();
}
