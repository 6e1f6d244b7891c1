//! Golden test: the nine tables built from `examples/shanghai-putuo-czj-2025-budget.toml` with
//! the `shanghai-putuo-2025` budget layout print, figure by figure and to the 分, what the
//! published 2025 budget of 上海市普陀区财政局 prints
//! (`fixtures/budget/02_shanghai-putuo-czj-2025-budget.txt`; see `fixtures/budget/README.md`).
//! The comparison is `golden/mod.rs`'s; what it tolerates, with reasons, is
//! `02_shanghai-putuo-czj-2025-budget.expect.toml`.

mod golden;

#[test]
fn shanghai_budget_tables_reproduced_figure_by_figure() {
    let (errors, figures) = golden::Golden {
        fixture: "fixtures/budget/02_shanghai-putuo-czj-2025-budget.txt",
        expect: "fixtures/budget/02_shanghai-putuo-czj-2025-budget.expect.toml",
        example: "examples/shanghai-putuo-czj-2025-budget.toml",
        layout: "shanghai-putuo-2025",
        ends: &["其他相关情况说明"],
    }
    .run();
    assert!(
        errors.is_empty(),
        "{} differences:\n{}",
        errors.len(),
        errors.join("\n")
    );
    // Every amount the nine tables print (the function tables repeat each row's figures).
    eprintln!("{figures} figures compared");
    assert!(figures > 150, "only {figures} figures compared");
}
