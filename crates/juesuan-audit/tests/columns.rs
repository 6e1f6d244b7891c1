//! A region that prints the national tables under their national titles but with its own set of
//! columns — some of the kind's left out, the rest in another order — is read by the headers it
//! prints, without a layout file: the seed's report built with such a layout (its 支出决算表
//! printing 本年支出合计, 项目支出, 基本支出 only) reads back figure for figure from its workbook
//! and its HTML page, with the auditor knowing only the built-in layouts.

mod support;

use juesuan_core::Lang;
use juesuan_core::diag::Severity;
use juesuan_core::rules::Sheet;
use juesuan_input::Source;
use juesuan_input::compile::{LayoutChoice, compile};
use std::collections::BTreeMap;
use support::ROOT;

/// The built-in Wuhan layout with its 支出决算表 printing three of the kind's six columns, the
/// 项目支出 before the 基本支出.
fn variant() -> String {
    let path = format!("{ROOT}/data/kinds/final-accounts/layouts/hubei-wuhan-2023.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = text.replacen(r#"id = "hubei-wuhan-2023""#, r#"id = "variant""#, 1);
    let header = r#"{ text = ["基本支出", "Basic"], rowspan = 2 }, { text = ["项目支出", "Project"], rowspan = 2 }, { text = ["上缴上级支出", "Remittance to superior"], rowspan = 2 }, { text = ["经营支出", "Operating"], rowspan = 2 }, { text = ["对附属单位补助支出", "Subsidies to subsidiaries"], rowspan = 2 }],
  [["功能分类科目编码", "Function code"], ["科目名称", "Name"]],
  [["类 款 项", "Class Section Item"], ["栏次", "Column"], "1", "2", "3", "4", "5", "6"],"#;
    let columns = r#"  { kind = "value", col_no = "2", key = "basic", width = 14, filter = { kind = ["基本支出"] } },
  { kind = "value", col_no = "3", key = "project", width = 14, filter = { kind = ["项目支出"] } },
  { kind = "value", col_no = "4", key = "to_superior", width = 12, filter = { kind = ["上缴上级支出"] } },
  { kind = "value", col_no = "5", key = "operating", width = 12, filter = { kind = ["经营支出"] } },
  { kind = "value", col_no = "6", key = "to_subsidiaries", width = 12, filter = { kind = ["对附属单位补助支出"] } },"#;
    assert_eq!(
        out.matches(header).count(),
        1,
        "the layout's 支出决算表 header changed"
    );
    assert_eq!(
        out.matches(columns).count(),
        1,
        "the layout's 支出决算表 columns changed"
    );
    out = out.replace(
        header,
        r#"{ text = ["项目支出", "Project"], rowspan = 2 }, { text = ["基本支出", "Basic"], rowspan = 2 }],
  [["功能分类科目编码", "Function code"], ["科目名称", "Name"]],
  [["类 款 项", "Class Section Item"], ["栏次", "Column"], "1", "2", "3"],"#,
    );
    out.replace(
        columns,
        r#"  { kind = "value", col_no = "2", key = "project", width = 14, filter = { kind = ["项目支出"] } },
  { kind = "value", col_no = "3", key = "basic", width = 14, filter = { kind = ["基本支出"] } },"#,
    )
}

/// The seed's report built with the variant layout.
fn built() -> juesuan_input::compile::Compiled {
    let path = format!("{ROOT}/examples/hongshan-kjj-2023.toml");
    let assets = juesuan_input::assets::Assets::builtin().unwrap();
    let catalog = assets.catalog(true, &[]).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    compile(
        &Source::new(&path, text),
        &assets,
        &catalog,
        &LayoutChoice::File(Source::new("variant.toml", variant())),
    )
    .unwrap_or_else(|p| panic!("{p:?}"))
}

/// The printed figures of the 支出决算表, by row and column.
fn expenditure(sheet: &Sheet) -> BTreeMap<(String, String), i128> {
    let t = sheet.table("expenditure").unwrap();
    t.rows
        .iter()
        .flat_map(|r| {
            r.cells
                .iter()
                .map(move |(c, f)| ((r.address(), c.clone()), f.printed().hundredths()))
        })
        .filter(|(_, v)| *v != 0)
        .collect()
}

#[test]
fn another_regions_columns_are_read_by_their_headers() {
    let built = built();
    let want = expenditure(&Sheet::from_views(&built.views).as_printed());
    assert!(want.keys().any(|(_, c)| c == "project") && want.keys().any(|(_, c)| c == "basic"));
    let book = juesuan_render::xlsx::workbook(&built.views, Lang::Zh).unwrap();
    let page = juesuan_render::html::page(&built.views, Lang::Zh).unwrap();
    for (form, a) in [
        ("workbook", juesuan_audit::audit_xlsx("variant.xlsx", &book)),
        (
            "page",
            juesuan_audit::audit_html("variant.html", page.as_bytes()),
        ),
    ] {
        let a = a.unwrap_or_else(|e| panic!("{form}: {e:?}"));
        let said: Vec<String> = a
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info || f.rule.starts_with('U'))
            .map(|f| format!("{} {} {}", f.rule, f.location(), f.formula().zh))
            .collect();
        assert!(said.is_empty(), "{form}: {said:#?}");
        assert_eq!(expenditure(&a.read.sheet), want, "{form}");
    }
}

/// Fail closed: a printed column whose header cannot be read is a group of amounts without a
/// header of its own, and the table's rows are left unread rather than guessed.
#[test]
fn a_column_without_a_readable_header_is_not_guessed() {
    let built = built();
    let page = juesuan_render::html::page(&built.views, Lang::Zh).unwrap();
    // The 支出决算表's 项目支出 header reworded to something no layout knows.
    let from = page.find(r#"id="expenditure""#).unwrap();
    let to = from + page[from..].find("</section>").unwrap();
    let table = &page[from..to];
    assert_eq!(table.matches(">项目支出<").count(), 1);
    let page = format!(
        "{}{}{}",
        &page[..from],
        table.replace(">项目支出<", ">专项<"),
        &page[to..]
    );
    let a = juesuan_audit::audit_html("variant.html", page.as_bytes()).unwrap();
    let errors: Vec<&str> = a
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule.as_str())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        a.findings
            .iter()
            .any(|f| f.rule.starts_with('U') && f.table_name().zh.contains("支出决算表")),
        "the rows are left unread"
    );
}
