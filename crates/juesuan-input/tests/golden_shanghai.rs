//! Golden test: the nine tables built from `examples/shanghai-putuo-czj-2024.toml` with the
//! `shanghai-putuo-2024` layout print, figure by figure, what the published 2024 report of
//! 上海市普陀区财政局 prints (`fixtures/reports/01_shanghai-putuo-czj-2024.txt`; see
//! `fixtures/reports/README.md`). The comparison is `golden/mod.rs`'s; what it tolerates, with
//! reasons, is `01_shanghai-putuo-czj-2024.expect.toml`.

mod golden;

#[test]
fn shanghai_report_tables_reproduced_figure_by_figure() {
    let (errors, figures) = golden::Golden {
        fixture: "fixtures/reports/01_shanghai-putuo-czj-2024.txt",
        expect: "fixtures/reports/01_shanghai-putuo-czj-2024.expect.toml",
        example: "examples/shanghai-putuo-czj-2024.toml",
        layout: "shanghai-putuo-2024",
        ends: &["第三部分"],
    }
    .run();
    assert!(
        errors.is_empty(),
        "{} differences:\n{}",
        errors.len(),
        errors.join("\n")
    );
    // The nine tables print well over a hundred figures; every one was compared.
    assert!(figures > 150, "only {figures} figures compared");
}
