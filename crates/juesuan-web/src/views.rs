//! What the pages show, computed from stored JSON and re-read inputs: findings in the visitor's
//! language, the views as CSV rows, a table compared between two versions.

use juesuan_batch::export::view_rows;
pub use juesuan_batch::export::views_csv;
use juesuan_core::Lang;
use juesuan_core::rules::{Finding, RuleCoverage};
use juesuan_core::views::Views;
use juesuan_render::findings::{self, Summary};
use serde::{Deserialize, Serialize};
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
    /// The relation with its figures (behind a toggle); empty when the finding is said in
    /// words instead ([`FindingView::words`]).
    pub formula: String,
    /// The finding in words (the sentence quoted, the name, the part missing), shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<String>,
    /// How to fix it.
    pub hint: String,
    /// `table/row/column` of the cell, for the preview's highlight.
    pub cell: Option<String>,
    /// Where in the source (audits: the page).
    pub place: String,
    /// Review comments on it.
    pub notes: Vec<crate::store::Note>,
    /// How far apart its sides are, in the unit of the figures (findings checked now).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<String>,
    /// An audited PDF's pages with the finding's figures boxed (see
    /// [`juesuan_render::audit::evidence_models`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<juesuan_render::audit::EvidenceModel>,
}

/// A text of a stored document in `lang`: English falls back to Chinese, as [`juesuan_core::Text`]
/// does.
fn text(v: &Json, lang: Lang) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Object(o) => {
            let key = if lang == Lang::En { "en" } else { "zh" };
            o.get(key)
                .and_then(Json::as_str)
                .filter(|s| !s.is_empty())
                .or_else(|| o.get("zh").and_then(Json::as_str))
                .unwrap_or_default()
                .to_string()
        }
        _ => String::new(),
    }
}

/// One finding checked now, as a page shows it; `place` says where it is in the document read.
pub fn finding(f: &Finding, place: String, lang: Lang) -> FindingView {
    let (table, row, column) = f.address();
    FindingView {
        rule: f.rule.clone(),
        severity: f.severity.en().to_string(),
        table: f.table_name().get(lang).to_string(),
        row: f.row_name().get(lang).to_string(),
        // A finding read from a scan says it needs review (需人工复核) where it is read.
        message: match f.review.map(|r| r.words()) {
            Some(w) => match lang {
                Lang::Zh => format!("{}（{}）", f.message.zh, w.zh),
                Lang::En => format!("{} ({})", f.message.get(lang), w.en),
            },
            None => f.message.get(lang).to_string(),
        },
        formula: if f.states_a_relation() {
            f.formula().get(lang).to_string()
        } else {
            String::new()
        },
        words: (!f.states_a_relation()).then(|| f.formula().get(lang).to_string()),
        hint: f.hint.get(lang).to_string(),
        cell: Some(format!("{table}/{row}/{column}")),
        place,
        notes: Vec::new(),
        difference: f.difference_words().map(|t| t.get(lang).to_string()),
        evidence: Vec::new(),
    }
}

/// The findings of a stored `juesuan.findings/1` document.
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
                        words: None,
                        hint: text(&f["hint"], lang),
                        cell,
                        place: String::new(),
                        notes: Vec::new(),
                        difference: None,
                        evidence: Vec::new(),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The summary of a stored findings document: rules run, findings by severity, and the rules
/// that did not apply.
pub fn summary(doc: &Json, lang: Lang) -> String {
    let summary = Summary::deserialize(&doc["summary"]).unwrap_or_default();
    let coverage = Vec::<RuleCoverage>::deserialize(&doc["coverage"]).unwrap_or_default();
    summary_of(&summary, &coverage.iter().collect::<Vec<_>>(), lang)
}

/// The summary line of a check, and the rules that did not run wholly after it.
pub fn summary_of(summary: &Summary, incomplete: &[&RuleCoverage], lang: Lang) -> String {
    let mut out = findings::summary_line(summary, lang);
    if let Some(line) = findings::coverage_line(incomplete, lang) {
        out.push(' ');
        out.push_str(&line);
    }
    out
}

/// The tables of `views`, in order: (key, printed name such as 公开01表 收入支出决算总表).
pub fn tables(views: &Views, lang: Lang) -> Vec<(String, String)> {
    views
        .tables
        .iter()
        .map(|t| {
            let name = match &t.number {
                Some(n) => format!("{} {}", n.get(lang), t.title.get(lang)),
                None => t.title.get(lang).to_string(),
            };
            (t.id.key().to_string(), name)
        })
        .collect()
}

/// One compared figure.
#[derive(Clone, Debug, Serialize)]
pub struct Compared {
    /// The row: code and name, or its label.
    pub row: String,
    /// The column as findings name it: 栏次 and heading (`第2栏（财政拨款收入）`).
    pub column: String,
    /// As printed in the first version (empty when absent).
    pub a: String,
    /// As printed in the second.
    pub b: String,
    /// b − a, printed in the tables' unit; empty when one side is absent.
    pub change: String,
    /// (b − a) / a as a percentage with two decimals (`+0.18%`); empty when one side is
    /// absent or a is zero.
    pub rate: String,
    /// Whether they differ.
    pub changed: bool,
}

/// Every figure of table `key` that is not zero in `a` or in `b`, matched by panel, row and
/// column; changes in the unit the tables print (`a`'s); columns named in `lang`.
pub fn compare(a: &Views, b: &Views, key: &str, lang: Lang) -> Vec<Compared> {
    use juesuan_core::Money;
    use juesuan_core::rules::sheet::Sheet;
    let sheet = Sheet::from_views(a);
    let table = sheet.tables.iter().find(|t| t.id.key() == key);
    // Matched by panel, row and column as shown.
    type Key = (usize, String, String);
    let rows = |v: &Views| -> Vec<(Key, Money)> {
        view_rows(v, None)
            .into_iter()
            .filter(|r| r.table == key)
            .map(|r| {
                let label = r.row_label;
                let address = r.row.unwrap_or_default();
                let row = match r.row_code.filter(|c| !c.is_empty()) {
                    Some(code) => format!("{code} {label}"),
                    None if address.is_empty()
                        || address
                            == label
                                .chars()
                                .filter(|c| !c.is_whitespace())
                                .collect::<String>() =>
                    {
                        label
                    }
                    None => format!("{label}（{address}）"),
                };
                let col = match (table, r.column.filter(|c| !c.is_empty())) {
                    (Some(t), Some(col_key)) => {
                        t.column_name(&col_key).get(lang).trim().to_string()
                    }
                    _ => r.column_number.unwrap_or_default(),
                };
                ((r.panel, row, col), r.amount)
            })
            .collect()
    };
    let unit = a.table(key).map_or(a.amount_unit, |v| a.unit_of(v));
    // With thousands separators, as the tables print them.
    let show = |m: Money| m.display_in(unit).grouped();
    let rate = |a: Money, b: Money| -> String {
        juesuan_core::money::percent(b - a, a, 2).map_or_else(String::new, |r| {
            match (r.is_zero(), b.cmp(&a)) {
                // A change too small for two decimals did happen: not "0.00%".
                (true, std::cmp::Ordering::Greater) => "+<0.01%".to_string(),
                (true, std::cmp::Ordering::Less) => "-<0.01%".to_string(),
                (false, std::cmp::Ordering::Greater) => format!("+{r}%"),
                _ => format!("{r}%"),
            }
        })
    };
    let ra = rows(a);
    let rb = rows(b);
    let mut out = Vec::new();
    for (k, amount) in &ra {
        let other = rb.iter().find(|(kb, _)| kb == k).map(|o| o.1);
        if *amount == Money::ZERO && other.is_none_or(|o| o == Money::ZERO) {
            continue;
        }
        out.push(Compared {
            row: k.1.clone(),
            column: k.2.clone(),
            a: show(*amount),
            b: other.map(show).unwrap_or_default(),
            change: other.map(|o| show(o - *amount)).unwrap_or_default(),
            rate: other.map(|o| rate(*amount, o)).unwrap_or_default(),
            changed: other != Some(*amount),
        });
    }
    for (k, amount) in &rb {
        if *amount != Money::ZERO && !ra.iter().any(|(ka, _)| ka == k) {
            out.push(Compared {
                row: k.1.clone(),
                column: k.2.clone(),
                a: String::new(),
                b: show(*amount),
                change: String::new(),
                rate: String::new(),
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
        let setup = juesuan_publish::Setup::new(juesuan_publish::SetupOptions::default()).unwrap();
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
        let rows = compare(&views(a), &views(&b), "income", Lang::Zh);
        assert!(!rows.is_empty());
        let changed: Vec<&Compared> = rows.iter().filter(|r| r.changed).collect();
        assert!(!changed.is_empty(), "the income of 2030699 changed");
        // In the unit the tables print (万元): 560.00 → 561.00.
        assert!(changed.iter().all(|r| r.change == "1.00"), "{changed:?}");
        // With a rate, and thousands separators where the figure is large.
        assert!(
            changed
                .iter()
                .any(|r| r.a == "560.00" && r.b == "561.00" && r.rate == "+0.18%"),
            "{changed:?}"
        );
        assert!(
            changed
                .iter()
                .any(|r| r.a == "35,549.61" && r.b == "35,550.61" && r.rate == "+<0.01%"),
            "{changed:?}"
        );
        assert!(
            changed.iter().any(|r| r.a == "560.00" && r.b == "561.00"),
            "{changed:?}"
        );
        assert!(
            rows.iter().all(|r| r.a != "0.00" || r.b != "0.00"),
            "zeros left out"
        );
        assert!(changed.iter().any(|r| r.row == "合 计"), "{changed:?}");
        assert!(
            changed.iter().any(|r| r.row.contains("2030699")),
            "{changed:?}"
        );
        assert!(rows.iter().any(|r| !r.changed));
        // Columns are named as findings name them, not by a bare number.
        assert!(
            changed.iter().any(|r| r.column == "第2栏（财政拨款收入）"),
            "{changed:?}"
        );
        // The same version against itself: nothing changed.
        assert!(
            compare(&views(a), &views(a), "income", Lang::Zh)
                .iter()
                .all(|r| !r.changed)
        );
        // CSV: a header and one row per amount.
        let csv = String::from_utf8(views_csv(&views(a))).unwrap();
        assert!(csv.lines().next().unwrap().contains("amount"));
        assert!(csv.lines().count() > 100);
    }
}
