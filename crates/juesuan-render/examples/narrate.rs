//! Prints the narrative of an input file (development aid): `cargo run --example narrate FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("input file");
    let text = std::fs::read_to_string(&path).expect("readable input");
    let built = juesuan_input::compile::compile_with_builtins(&path, &text)
        .unwrap_or_else(|p| panic!("{p:#?}"));
    let catalog = juesuan_input::compile::catalog(true, &[]).unwrap();
    let data = juesuan_core::report::report_data(
        &built.facts,
        &built.views,
        &catalog,
        &Default::default(),
    );
    let template = std::fs::read_to_string("data/narrative/hubei-wuhan-2023.j2").unwrap();
    match juesuan_render::narrative::narrative(&data, &template) {
        Ok(n) => {
            for b in &n.blocks {
                match b {
                    juesuan_render::narrative::Block::Heading { level, text } => {
                        println!("{} {text}", "#".repeat(*level as usize))
                    }
                    juesuan_render::narrative::Block::Insert { what, arg, caption } => {
                        println!("[[{what}:{arg:?}|{caption:?}]]")
                    }
                    p => println!("{}", p.text()),
                }
            }
        }
        Err(e) => {
            eprintln!("{e:#}");
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                eprintln!("caused by: {s}");
                src = s.source();
            }
        }
    }
}
