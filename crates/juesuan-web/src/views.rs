//! What the pages show, computed from stored JSON and re-read inputs: findings in the visitor's
//! language, the views as CSV rows, a table compared between two versions.

use juesuan_batch::export::{Cell, VIEW_COLUMNS, view_rows};
use juesuan_core::Lang;
use juesuan_core::views::Views;
use serde::Serialize;
use serde_json::Value as Json;

/// One finding as a page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct FindingView {
    /// Rule id.
    pub rule: String,
    /// error / warning / info.
    pub severity: String,
    /// Table name.
    pub table: String,
    /// Row name.
    pub row: String,
    /// The rule's title.
    pub message: String,
    /// The relation with its figures.
    pub formula: String,
    /// How to fix it.
    pub hint: String,
    /// `table/row/column` of the cell, for the preview's highlight.
    pub cell: Option<String>,
    /// Where in the source (audits: the page).
    pub place: String,
    /// Review comments on it.
    pub notes: Vec<crate::store::Note>,
}

fn text(v: &Json, lang: Lang) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Object(o) => {
            let key = if lang == Lang::En { "en" } else { "zh" };
            o.get(key)
                .or_else(|| o.get("zh"))
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string()
        }
        _ => String::new(),
    }
}

/// The findings of a `juesuan.findings/1` document.
pub fn findings(doc: &Json, lang: Lang) -> Vec<FindingView> {
    doc.get("findings")
        .and_then(Json::as_array)
        .map(|list| {
            list.iter()
                .map(|f| {
                    let loc = &f["location"];
                    let cell = (loc["kind"] == "view").then(|| {
                        format!(
                            "{}/{}/{}",
                            loc["table"].as_str().unwrap_or_default(),
                            loc["row"].as_str().unwrap_or_default(),
                            loc["column"].as_str().unwrap_or_default()
                        )
                    });
                    FindingView {
                        rule: text(&f["rule"], lang),
                        severity: text(&f["severity"], lang),
                        table: text(&f["table_name"], lang),
                        row: text(&f["row_name"], lang),
                        message: text(&f["message"], lang),
                        formula: text(&f["formula"], lang),
                        hint: text(&f["hint"], lang),
                        cell,
                        place: String::new(),
                        notes: Vec::new(),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The summary line of a findings document.
pub fn summary(doc: &Json, lang: Lang) -> String {
    let s = &doc["summary"];
    let n = |k: &str| s[k].as_i64().unwrap_or(0);
    match lang {
        Lang::Zh => format!(
            "运行规则 {} 条：{} 个错误，{} 个警告，{} 个提示。",
            n("rules"),
            n("errors"),
            n("warnings"),
            n("infos")
        ),
        Lang::En => format!(
            "{} rules run: {} error(s), {} warning(s), {} info.",
            n("rules"),
            n("errors"),
            n("warnings"),
            n("infos")
        ),
    }
}

fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone().unwrap_or_default(),
        Cell::Integer(i) => i.to_string(),
        Cell::Amount(m) => m.to_string(),
    }
}

/// The views as CSV in the open-data `views` format (one amount a row, exact 元).
pub fn views_csv(views: &Views) -> Vec<u8> {
    let mut out = Vec::new();
    let line = |fields: Vec<String>| -> String {
        let quoted: Vec<String> = fields
            .into_iter()
            .map(|f| {
                if f.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    f
                }
            })
            .collect();
        quoted.join(",") + "\r\n"
    };
    out.extend_from_slice(
        line(VIEW_COLUMNS.iter().map(|c| c.name.to_string()).collect()).as_bytes(),
    );
    for row in view_rows(views, None) {
        out.extend_from_slice(line(row.iter().map(cell_text).collect()).as_bytes());
    }
    out
}

/// The table keys of `views`, in order.
pub fn table_keys(views: &Views) -> Vec<String> {
    views
        .tables
        .iter()
        .map(|t| t.id.key().to_string())
        .collect()
}

/// One compared cell.
#[derive(Clone, Debug, Serialize)]
pub struct Compared {
    /// The row (label and code or 行次).
    pub row: String,
    /// The column (栏次 or key).
    pub column: String,
    /// Printed in the first version.
    pub a: String,
    /// Printed in the second.
    pub b: String,
    /// b − a in 元 (exact), empty when one side is missing.
    pub change: String,
    /// Whether they differ.
    pub changed: bool,
}

/// Every amount of table `key` in `a` and `b`, matched by row and column.
pub fn compare(a: &Views, b: &Views, key: &str) -> Vec<Compared> {
    // view_rows columns: 4 table key, 7 panel, 8 row, 10 code, 11 label, 12 column,
    // 13 column number, 14 amount, 15 printed.
    type Key = (String, String, String);
    let rows = |v: &Views| -> Vec<(Key, juesuan_core::Money, String)> {
        view_rows(v, None)
            .into_iter()
            .filter(|r| cell_text(&r[4]) == key)
            .map(|r| {
                let label = cell_text(&r[11]);
                let code = cell_text(&r[10]);
                let row = if code.is_empty() {
                    format!("{label} {}", cell_text(&r[8]))
                } else {
                    format!("{code} {label}")
                };
                let col = cell_text(&r[13]);
                let col = if col.is_empty() {
                    cell_text(&r[12])
                } else {
                    col
                };
                let amount = match &r[14] {
                    Cell::Amount(m) => *m,
                    _ => juesuan_core::Money::ZERO,
                };
                ((cell_text(&r[7]), row, col), amount, cell_text(&r[15]))
            })
            .collect()
    };
    let ra = rows(a);
    let rb = rows(b);
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (k, amount, printed) in &ra {
        seen.insert(k.clone());
        let other = rb.iter().find(|(kb, _, _)| kb == k);
        out.push(Compared {
            row: k.1.clone(),
            column: k.2.clone(),
            a: printed.clone(),
            b: other.map(|o| o.2.clone()).unwrap_or_default(),
            change: other
                .map(|o| (o.1 - *amount).to_string())
                .unwrap_or_default(),
            changed: other.is_none_or(|o| o.1 != *amount),
        });
    }
    for (k, _, printed) in &rb {
        if !seen.contains(k) {
            out.push(Compared {
                row: k.1.clone(),
                column: k.2.clone(),
                a: String::new(),
                b: printed.clone(),
                change: String::new(),
                changed: true,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn views(text: &str) -> Views {
        let setup = juesuan_publish::pipeline::Setup::builtin(&[]).unwrap();
        juesuan_publish::pipeline::check_bytes(&setup, "x.toml", text.as_bytes())
            .unwrap()
            .built
            .views
    }

    #[test]
    fn a_comparison_marks_exactly_the_changed_figures() {
        let a = include_str!("../../../examples/hongshan-kjj-2023.toml");
        let b = a.replace(
            "function = \"2030699 其他国防动员支出\", amount = 560.00",
            "function = \"2030699 其他国防动员支出\", amount = 561.00",
        );
        assert_ne!(a, b);
        let rows = compare(&views(a), &views(&b), "income");
        assert!(!rows.is_empty());
        let changed: Vec<&Compared> = rows.iter().filter(|r| r.changed).collect();
        assert!(!changed.is_empty(), "the income of 2030699 changed");
        assert!(
            changed
                .iter()
                .all(|r| r.change == "10000.00" || r.change == "10000"),
            "{changed:?}"
        );
        assert!(
            changed.iter().any(|r| r.row.contains("2030699")),
            "{changed:?}"
        );
        assert!(rows.iter().any(|r| !r.changed));
        // The same version against itself: nothing changed.
        assert!(
            compare(&views(a), &views(a), "income")
                .iter()
                .all(|r| !r.changed)
        );
        // CSV: a header and one row per amount.
        let csv = String::from_utf8(views_csv(&views(a))).unwrap();
        assert!(csv.lines().next().unwrap().contains("amount"));
        assert!(csv.lines().count() > 100);
    }
}
