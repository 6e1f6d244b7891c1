//! The HTML page of the example department-year: snapshots, machine-readable amounts,
//! escaping and self-containment.

use juesuan_core::Lang;
use juesuan_core::layout::ColumnKind;
use juesuan_core::views::{Content, Views};
use juesuan_input::compile::compile_with_builtins;
use juesuan_render::html::{self, HtmlError};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn example() -> Views {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/hongshan-kjj-2023.toml");
    let text = std::fs::read_to_string(path).unwrap();
    compile_with_builtins("examples/hongshan-kjj-2023.toml", &text)
        .unwrap_or_else(|p| panic!("{p:#?}"))
        .views
}

/// The `<section>` of table `key`.
fn section<'a>(page: &'a str, key: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"{key}\" aria-labelledby"))
        .and_then(|i| page[..i].rfind("<section"))
        .unwrap_or_else(|| panic!("no section {key}"));
    let end = start + page[start..].find("</section>").expect("section end") + "</section>".len();
    &page[start..end]
}

/// One `<td>` that carries an amount.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Amount {
    table: String,
    row: Option<String>,
    col: Option<String>,
    value: String,
    text: String,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    let j = tag[i..].find('"')?;
    Some(tag[i..i + j].to_string())
}

/// Every amount cell of the page, read back from its data attributes.
fn amounts(page: &str) -> Vec<Amount> {
    let mut out = Vec::new();
    let mut table = String::new();
    let mut rest = page;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').expect("tag end");
        let tag = &rest[..=end];
        if tag.starts_with("<table") {
            table = attr(tag, "data-table").expect("data-table");
        } else if tag.starts_with("<td")
            && let Some(value) = attr(tag, "data-value")
        {
            let body = &rest[end + 1..];
            let text = &body[..body.find("</td>").expect("td end")];
            out.push(Amount {
                table: table.clone(),
                row: attr(tag, "data-row"),
                col: attr(tag, "data-col"),
                value,
                text: text.to_string(),
            });
        }
        rest = &rest[end + 1..];
    }
    out
}

#[test]
fn html_page_zh_snapshot() {
    let page = html::page(&example(), Lang::Zh).unwrap();
    insta::assert_snapshot!("hongshan_zh", page);
}

#[test]
fn html_table_en_snapshot() {
    // English headers and labels come from the layout; names of codes stay Chinese.
    let page = html::page(&example(), Lang::En).unwrap();
    assert!(page.contains("<html lang=\"en\">"));
    let summary = section(&page, "summary");
    assert!(summary.contains("Summary of income and expenditure"));
    assert!(summary.contains("一、一般公共服务支出"));
    insta::assert_snapshot!("hongshan_en_summary", summary);
}

#[test]
fn html_every_printed_amount_is_addressed() {
    let views = example();
    let page = html::page(&views, Lang::Zh).unwrap();
    let found = amounts(&page);

    // Expected from the views themselves: each panel row × value column, and each footer.
    let mut want = Vec::new();
    for view in &views.tables {
        let table = view.id.key().to_string();
        let blank_zero =
            view.zero == juesuan_core::layout::ZeroDisplay::Blank || view.empty_note.is_some();
        for (pi, panel) in view.panels.iter().enumerate() {
            let cols: Vec<_> = view.value_columns(pi).collect();
            for row in &panel.rows {
                for (v, col) in row.values.iter().zip(&cols) {
                    let Some(m) = v else { continue };
                    if m.is_zero() && blank_zero {
                        continue;
                    }
                    let printed = m.display_in(views.amount_unit);
                    want.push(Amount {
                        table: table.clone(),
                        row: row.address(),
                        col: col.col_no.clone(),
                        value: printed.plain(),
                        text: printed.grouped(),
                    });
                }
            }
        }
        for f in &view.footer {
            if f.value.is_zero() && blank_zero {
                continue;
            }
            let printed = f.value.display_in(views.amount_unit);
            want.push(Amount {
                table: table.clone(),
                row: Some(f.label.zh.clone()),
                col: None,
                value: printed.plain(),
                text: printed.grouped(),
            });
        }
    }
    let mut found_sorted: Vec<&Amount> = found.iter().collect();
    found_sorted.sort();
    let mut want_sorted: Vec<&Amount> = want.iter().collect();
    want_sorted.sort();
    assert_eq!(found_sorted, want_sorted);

    // And as many as the printed grids hold, so nothing printed lacks its data.
    let printed: usize = views
        .tables
        .iter()
        .flat_map(|v| v.body_grid(Lang::Zh, views.amount_unit))
        .flatten()
        .filter(|c| matches!(c.content, Content::Amount(_)))
        .count();
    assert_eq!(found.len(), printed);
    assert!(printed > 800, "only {printed} amounts");

    // Spot checks against the printed report: 公开01 line 1 and 公开06 footer.
    assert!(found.contains(&Amount {
        table: "summary".into(),
        row: Some("1".into()),
        col: Some("1".into()),
        value: "35549.61".into(),
        text: "35,549.61".into(),
    }));
    assert!(found.contains(&Amount {
        table: "basic_economic".into(),
        row: Some("人员经费合计".into()),
        col: None,
        value: "1316.78".into(),
        text: "1,316.78".into(),
    }));
    // Every amount row of the function tables is addressed by its code.
    let income = views.table("income").unwrap();
    let codes: BTreeSet<&str> = income.panels[0]
        .rows
        .iter()
        .filter_map(|r| r.code.as_deref())
        .collect();
    let rows: BTreeSet<&str> = found
        .iter()
        .filter(|a| a.table == "income")
        .filter_map(|a| a.row.as_deref())
        .filter(|r| r.chars().all(|c| c.is_ascii_digit()))
        .collect();
    assert_eq!(codes, rows);
    assert!(
        income
            .columns
            .iter()
            .any(|c| c.kind == ColumnKind::Value && c.col_no.as_deref() == Some("7"))
    );
}

#[test]
fn html_is_self_contained() {
    for lang in [Lang::Zh, Lang::En] {
        let page = html::page(&example(), lang).unwrap();
        assert!(!page.contains("http"), "a URL in the page");
        assert!(!page.contains("src="), "an embedded resource");
        assert!(!page.contains("url("), "a CSS resource");
        assert!(!page.contains("@import"), "a CSS import");
        assert!(!page.contains("<script"), "a script");
        let hrefs: Vec<&str> = page.split("href=\"").skip(1).collect();
        assert_eq!(hrefs.len(), 9, "one link per table");
        for h in hrefs {
            assert!(h.starts_with('#'), "external link {h:.40}");
        }
    }
}

#[test]
fn html_has_anchors_print_css_and_lang() {
    let views = example();
    let page = html::page(&views, Lang::Zh).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(
        page.contains("<title>武汉市洪山区科学技术和经济信息化局 2023 年度部门决算公开表</title>")
    );
    assert!(page.contains("layout hubei-wuhan-2023"));
    for t in &views.tables {
        let key = t.id.key();
        assert!(page.contains(&format!("href=\"#{key}\"")));
        let s = section(&page, key);
        assert_eq!(s.contains("class=\"table wide\""), t.landscape, "{key}");
        assert!(s.contains(&t.title.zh));
    }
    for rule in [
        "@page {\n  size: A4;\n  margin: 15mm;",
        "@page wide { size: A4 landscape;",
        "page: wide;",
        "break-before: page;",
        "display: table-header-group;",
        "break-inside: avoid;",
    ] {
        assert!(page.contains(rule), "missing {rule}");
    }
    // The empty tables say so, after their note.
    let gov = section(&page, "gov_fund");
    let note = gov.find("class=\"note\"").unwrap();
    let empty = gov
        .find("本单位无政府性基金预算财政拨款收入支出经费。")
        .unwrap();
    assert!(note < empty);
    // Output is a pure function of the views.
    assert_eq!(page, html::page(&views, Lang::Zh).unwrap());
}

#[test]
fn html_escapes_texts() {
    let mut views = example();
    views.department = "A&B <script>\"x\"".into();
    views.tables[0].title.zh = "<b>表</b>".into();
    let page = html::page(&views, Lang::Zh).unwrap();
    assert!(!page.contains("<script>"));
    assert!(!page.contains("<b>表</b>"));
    assert!(page.contains("A&amp;B &lt;script&gt;&quot;x&quot;"));
    assert!(page.contains("&lt;b&gt;表&lt;&#x2f;b&gt;") || page.contains("&lt;b&gt;表&lt;/b&gt;"));
}

#[test]
fn html_other_templates_and_their_errors() {
    let views = example();
    let page = html::page_with(
        &views,
        Lang::Zh,
        "{% for t in tables %}{{ t.number }} {{ t.title }}\n{% endfor %}",
    )
    .unwrap();
    assert!(page.starts_with("公开01表 收入支出决算总表\n"));
    assert_eq!(page.lines().count(), 9);
    let err = html::page_with(&views, Lang::Zh, "{{ tables[0].nonexistent }}").unwrap_err();
    assert!(matches!(err, HtmlError::Template(_)));
    let err = html::page_with(&views, Lang::Zh, "{% for %}").unwrap_err();
    assert!(err.to_string().starts_with("HTML template:"));
}

/// The built-in pages print rows that Rust wrote (`header_html`, `rows_html`); a template may
/// loop over the cells itself. Both must give the same bytes, escaping included.
#[test]
fn html_rows_written_by_rust_are_the_rows_a_template_writes() {
    const CELLS: &str = r#"{% macro own_rows(t) %}
<thead>
{% for hr in t.header %}
<tr>{% for h in hr %}<th{% if h.rowspan > 1 %} rowspan="{{ h.rowspan }}"{% endif %}{% if h.colspan > 1 %} colspan="{{ h.colspan }}" scope="colgroup"{% else %} scope="col"{% endif %}>{{ h.text }}</th>{% endfor %}</tr>
{% endfor %}
</thead>
<tbody>
{% for row in t.rows %}
<tr>{% for c in row %}<td class="{{ c.kind }}{% if c.strong %} strong{% endif %}"{% if c.colspan > 1 %} colspan="{{ c.colspan }}"{% endif %}{% if c.value is not none %} data-value="{{ c.value }}"{% endif %}{% if c.row is not none %} data-row="{{ c.row }}"{% endif %}{% if c.col is not none %} data-col="{{ c.col }}"{% endif %}{% if c.key is not none %} data-key="{{ c.key }}"{% endif %}>{{ c.text }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
{% endmacro %}
"#;
    let mut views = example();
    views.tables[0].header[0].text.zh = "<收入> & '支出' / \"决算\"".into();
    for lang in [Lang::Zh, Lang::En] {
        let builtin = html::page(&views, lang).unwrap();
        let model = html::PageModel::new(&views, lang);
        for t in &model.tables {
            let own = html::page_with(
                &views,
                lang,
                &format!(
                    "{CELLS}{{% set t = tables | selectattr('key', 'eq', '{}') | first %}}{{{{ own_rows(t) }}}}",
                    t.key
                ),
            )
            .unwrap();
            let rust = format!(
                "<thead>\n{}</thead>\n<tbody>\n{}</tbody>\n",
                t.header_html, t.rows_html
            );
            assert_eq!(own, rust, "{}", t.key);
            assert!(builtin.contains(&rust));
        }
    }
}
