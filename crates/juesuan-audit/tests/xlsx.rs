//! `audit_xlsx` on a published workbook: the seed's nine tables as `juesuan build` writes them
//! read back figure for figure, with no finding; one cell changed is caught.

mod support;

use juesuan_core::Lang;
use juesuan_core::diag::Severity;
use juesuan_core::rules::Sheet;
use std::collections::BTreeMap;
use support::ROOT;

/// Non-zero printed figures by (table, row address, column).
fn figures(sheet: &Sheet) -> BTreeMap<(String, String, String), i128> {
    sheet
        .tables
        .iter()
        .flat_map(|t| {
            t.rows.iter().flat_map(move |r| {
                r.cells.iter().map(move |(c, f)| {
                    (
                        (t.id.key().to_string(), r.address(), c.clone()),
                        f.printed().hundredths(),
                    )
                })
            })
        })
        .filter(|(_, v)| *v != 0)
        .collect()
}

fn seed() -> (Sheet, Vec<u8>) {
    let path = format!("{ROOT}/examples/hongshan-kjj-2023.toml");
    let built = juesuan_input::compile::compile_with_builtins(
        &path,
        &std::fs::read_to_string(&path).unwrap(),
    )
    .unwrap_or_else(|p| panic!("{p:?}"));
    let book = juesuan_render::xlsx::workbook(&built.views, Lang::Zh).unwrap();
    (Sheet::from_views(&built.views).as_printed(), book)
}

#[test]
fn the_seed_workbook_reads_back_as_built() {
    let (want, book) = seed();
    let a = juesuan_audit::audit_xlsx("hongshan-kjj-2023.xlsx", &book).unwrap();
    assert_eq!(a.read.found.len(), 9);
    let bad: Vec<String> = a
        .findings
        .iter()
        .map(|f| format!("{} {} {}", f.rule, f.location(), f.formula().zh))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    let (want, got) = (figures(&want), figures(&a.read.sheet));
    let differ: Vec<_> = want
        .iter()
        .filter(|(k, v)| got.get(*k) != Some(v))
        .collect();
    assert!(differ.is_empty() && got.len() == want.len(), "{differ:#?}");
}

#[test]
fn a_workbook_that_does_not_add_up_is_caught_and_a_broken_one_refused() {
    // 公开01表 as a finance office might publish it: 本年收入合计 100.00 over a line 1 of 90.00.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("公开01表").unwrap();
    let amount = |h: i64| rust_decimal::Decimal::new(h, 2);
    sheet.write(0, 0, "收入支出决算总表").unwrap();
    sheet.write(1, 0, "金额单位：万元").unwrap();
    for (c, h) in ["项目", "行次", "金额", "项目", "行次", "金额"]
        .iter()
        .enumerate()
    {
        sheet.write(2, c as u16, *h).unwrap();
    }
    let rows: [(&str, i64, &str, i64); 3] = [
        (
            "一、一般公共预算财政拨款收入",
            9000,
            "一、一般公共服务支出",
            10000,
        ),
        ("本年收入合计", 10000, "本年支出合计", 10000),
        ("总计", 10000, "总计", 10000),
    ];
    let lines = [(1, 32), (27, 58), (31, 62)];
    for (i, ((l, a, r, b), (ll, rl))) in rows.iter().zip(lines).enumerate() {
        let row = 3 + i as u32;
        sheet.write(row, 0, *l).unwrap();
        sheet.write(row, 1, ll.to_string()).unwrap();
        sheet.write(row, 2, amount(*a)).unwrap();
        sheet.write(row, 3, *r).unwrap();
        sheet.write(row, 4, rl.to_string()).unwrap();
        sheet.write(row, 5, amount(*b)).unwrap();
    }
    sheet.write(7, 0, "注：测试用表。").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let a = juesuan_audit::audit_xlsx("test.xlsx", &bytes).unwrap();
    let t101: Vec<_> = a.findings.iter().filter(|f| f.rule == "T101").collect();
    assert_eq!(t101.len(), 1, "{:#?}", a.findings);
    assert_eq!(t101[0].severity, Severity::Error);
    assert_eq!(
        (t101[0].found().as_str(), t101[0].expected().as_str()),
        ("100.00", "90.00")
    );

    let e = juesuan_audit::audit_xlsx("broken.xlsx", b"PK\x03\x04 not really a zip").unwrap_err();
    assert_eq!(e[0].code, "E0907");
}

/// The same workbook saved as .xls by LibreOffice (fixtures/audit/README.md; merged headers in
/// BIFF) reads figure for figure as the .xlsx.
#[test]
fn the_seed_workbook_as_xls_reads_as_the_xlsx() {
    let (_, book) = seed();
    let xlsx = juesuan_audit::audit_xlsx("hongshan-kjj-2023.xlsx", &book).unwrap();
    let bytes = std::fs::read(format!("{ROOT}/fixtures/audit/xls/hongshan-kjj-2023.xls")).unwrap();
    assert!(!bytes.starts_with(b"PK"), "an .xls, not an .xlsx");
    let xls = juesuan_audit::audit_xlsx("hongshan-kjj-2023.xls", &bytes).unwrap();
    assert_eq!(xls.read.found.len(), 9);
    assert_eq!(figures(&xls.read.sheet), figures(&xlsx.read.sheet));
    assert!(xls.findings.is_empty(), "{:?}", xls.findings);
}
