//! The summary of a batch audit (`juesuan audit --batch DIR -o OUT` → `OUT/index.html`): totals,
//! findings by severity and by rule as bar charts, the documents sorted by errors with links to
//! their own audit pages, filters by year and kind; print-ready.
//!
//! The page is a minijinja template kept as data (`data/templates/audit-batch.html.j2`); this
//! module builds its model, every text already in the page's language.

use crate::html::{HtmlError, render_builtin};
use juesuan_core::Lang;
use minijinja::Environment;
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// One document of the batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BatchDocument {
    /// Its path under the folder audited.
    pub file: String,
    /// Its own audit page, relative to the summary (`None` when it could not be audited).
    pub page: Option<String>,
    /// The department its cover names (empty when not recognised).
    pub department: String,
    /// The year its cover names.
    pub year: Option<i32>,
    /// The kind it was read as (`final-accounts`; empty when it could not be read).
    pub kind: String,
    /// The kind's name in the page's language (部门决算).
    pub kind_name: String,
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
    /// Why it could not be audited (`E0903 …`).
    pub problem: Option<String>,
}

/// How often one rule reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    /// Rule id.
    pub rule: String,
    /// Its title, in the page's language.
    pub title: String,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// Findings.
    pub count: usize,
}

/// A bar of a chart: its label, count and length in percent of the longest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Bar {
    /// What it counts.
    pub label: String,
    /// `error`, `warning` or `info` (its colour).
    pub severity: &'static str,
    /// The count.
    pub count: usize,
    /// Length, 0–100 (whole percent of the longest bar; at least 1 for a count above 0).
    pub percent: usize,
}

/// What the template sees.
#[derive(Clone, Debug, Serialize)]
pub struct BatchPage {
    /// `zh` or `en`: picks the template's own fixed words.
    pub lang: &'static str,
    /// The `lang` attribute of `<html>`.
    pub html_lang: &'static str,
    /// The folder audited.
    pub folder: String,
    /// Documents.
    pub documents: usize,
    /// Of those, audited.
    pub audited: usize,
    /// Of those, with error findings.
    pub with_errors: usize,
    /// Documents that could not be audited.
    pub unreadable: usize,
    /// Findings by severity.
    pub severities: Vec<Bar>,
    /// Findings by rule, most frequent first.
    pub rules: Vec<Bar>,
    /// Every document, most errors first.
    pub rows: Vec<BatchDocument>,
    /// The years found, for the filter.
    pub years: Vec<i32>,
    /// The kinds found, for the filter: id and name.
    pub kinds: Vec<(String, String)>,
    /// The program and version.
    pub generator: String,
}

fn bars(items: Vec<(String, &'static str, usize)>) -> Vec<Bar> {
    let longest = items.iter().map(|i| i.2).max().unwrap_or(0).max(1);
    items
        .into_iter()
        .map(|(label, severity, count)| Bar {
            label,
            severity,
            count,
            percent: if count == 0 {
                0
            } else {
                (count * 100 / longest).max(1)
            },
        })
        .collect()
}

impl BatchPage {
    /// The page of `documents` (in listing order) audited from `folder`, with `rules` counted.
    pub fn new(
        lang: Lang,
        folder: &str,
        mut documents: Vec<BatchDocument>,
        rules: Vec<RuleCount>,
    ) -> BatchPage {
        let sum = |f: fn(&BatchDocument) -> usize| documents.iter().map(f).sum::<usize>();
        let (errors, warnings, infos) = (sum(|d| d.errors), sum(|d| d.warnings), sum(|d| d.infos));
        let words = match lang {
            Lang::Zh => ["错误", "警告", "提示"],
            Lang::En => ["errors", "warnings", "infos"],
        };
        let severities = bars(vec![
            (words[0].to_string(), "error", errors),
            (words[1].to_string(), "warning", warnings),
            (words[2].to_string(), "info", infos),
        ]);
        let rules = bars(
            rules
                .into_iter()
                .map(|r| (format!("{} {}", r.rule, r.title), r.severity, r.count))
                .collect(),
        );
        let years: BTreeSet<i32> = documents.iter().filter_map(|d| d.year).collect();
        let kinds: BTreeSet<(String, String)> = documents
            .iter()
            .filter(|d| !d.kind.is_empty())
            .map(|d| (d.kind.clone(), d.kind_name.clone()))
            .collect();
        let unreadable = documents.iter().filter(|d| d.problem.is_some()).count();
        let with_errors = documents.iter().filter(|d| d.errors > 0).count();
        // Audited first, most errors, then most warnings; the file breaks ties.
        documents.sort_by(|a, b| {
            a.problem
                .is_some()
                .cmp(&b.problem.is_some())
                .then(b.errors.cmp(&a.errors))
                .then(b.warnings.cmp(&a.warnings))
                .then_with(|| a.file.cmp(&b.file))
        });
        BatchPage {
            lang: match lang {
                Lang::Zh => "zh",
                Lang::En => "en",
            },
            html_lang: match lang {
                Lang::Zh => "zh-CN",
                Lang::En => "en",
            },
            folder: folder.to_string(),
            documents: documents.len(),
            audited: documents.len() - unreadable,
            with_errors,
            unreadable,
            severities,
            rules,
            rows: documents,
            years: years.into_iter().collect(),
            kinds: kinds.into_iter().collect(),
            generator: format!("juesuan {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// The built-in template of the page (`data/templates/audit-batch.html.j2`).
pub fn template() -> &'static str {
    crate::html::builtin_template("audit-batch.html.j2")
}

/// The summary page, with the built-in template.
pub fn page(page: &BatchPage) -> Result<String, HtmlError> {
    static ENV: OnceLock<Option<Environment<'static>>> = OnceLock::new();
    render_builtin(&ENV, "audit-batch.html.j2", template(), page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(file: &str, errors: usize, problem: Option<&str>) -> BatchDocument {
        BatchDocument {
            file: file.into(),
            page: problem.is_none().then(|| format!("documents/{file}.html")),
            department: "某局".into(),
            year: Some(2024),
            kind: "final-accounts".into(),
            kind_name: "部门决算".into(),
            errors,
            warnings: 0,
            infos: 0,
            problem: problem.map(str::to_string),
        }
    }

    #[test]
    fn documents_with_most_errors_come_first_and_every_one_links_its_page() {
        let p = BatchPage::new(
            Lang::Zh,
            "reports",
            vec![
                doc("a.pdf", 1, None),
                doc("b.txt", 0, Some("E0903 找不到表")),
                doc("c.pdf", 3, None),
            ],
            vec![RuleCount {
                rule: "T101".into(),
                title: "合计".into(),
                severity: "error",
                count: 4,
            }],
        );
        let order: Vec<&str> = p.rows.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(order, ["c.pdf", "a.pdf", "b.txt"]);
        assert_eq!((p.audited, p.unreadable, p.with_errors), (2, 1, 2));
        assert_eq!(p.severities[0].percent, 100);
        assert_eq!(p.severities[1].percent, 0);
        let html = page(&p).unwrap();
        assert!(
            html.contains("href=\"documents&#x2f;c.pdf.html\""),
            "{html}"
        );
        assert!(html.contains("E0903 找不到表"));
        assert!(html.contains("T101 合计"));
    }
}
