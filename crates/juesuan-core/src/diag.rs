//! Diagnostics: what went wrong, where, what was expected and what was found.
//!
//! Readers and the core return lists of [`Diagnostic`]s instead of stopping at the first
//! problem, so a finance officer sees every mistake in one run.

use crate::text::{Lang, Text};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a problem is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Location {
    /// Unknown or not applicable.
    #[default]
    Nowhere,
    /// A position in a text file: 1-based line and column (in characters).
    Text {
        /// The file as the user named it.
        file: String,
        /// Line, from 1.
        line: u32,
        /// Column in characters, from 1.
        col: u32,
    },
    /// A cell of a workbook: `sheet!A1`.
    Cell {
        /// The file as the user named it.
        file: String,
        /// Sheet name.
        sheet: String,
        /// Cell reference such as `C7`.
        cell: String,
    },
    /// A whole file.
    File {
        /// The file as the user named it.
        file: String,
    },
    /// A cell of a view: table, row (行次 or code) and column (栏次).
    View {
        /// Table id, e.g. `公开01表`.
        table: String,
        /// 行次 or classification code of the row.
        row: String,
        /// 栏次 of the column.
        column: String,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Nowhere => f.write_str("-"),
            Location::Text { file, line, col } => write!(f, "{file}:{line}:{col}"),
            Location::Cell { file, sheet, cell } => write!(f, "{file}: {sheet}!{cell}"),
            Location::File { file } => f.write_str(file),
            Location::View { table, row, column } => write!(f, "{table}/{row}/{column}"),
        }
    }
}

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks the build.
    Error,
    /// Worth a look; does not block.
    Warning,
    /// For the record.
    Info,
}

impl Severity {
    /// Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One problem, fully located and explained in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// A stable code such as `E0201`; documented in `docs/errors.md`.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// Where.
    pub location: Location,
    /// What went wrong.
    pub message: Text,
    /// What was expected, if that helps.
    pub expected: Option<Text>,
    /// What was found: verbatim from the input where possible (the same in both languages),
    /// else described in both.
    pub found: Option<Text>,
    /// Other places involved (the first occurrence of a duplicate, say).
    pub related: Vec<Location>,
}

impl Diagnostic {
    /// An error.
    pub fn error(code: &'static str, location: Location, message: Text) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            location,
            message,
            expected: None,
            found: None,
            related: Vec::new(),
        }
    }

    /// Adds what was expected.
    pub fn expected(mut self, expected: Text) -> Diagnostic {
        self.expected = Some(expected);
        self
    }

    /// Adds what was found, verbatim from the input.
    pub fn found(mut self, found: impl Into<String>) -> Diagnostic {
        self.found = Some(Text::same(found));
        self
    }

    /// Adds what was found when it is a description rather than the input's own words
    /// (`25 页没有文字`).
    pub fn found_text(mut self, found: Text) -> Diagnostic {
        self.found = Some(found);
        self
    }

    /// Adds a related location.
    pub fn related(mut self, location: Location) -> Diagnostic {
        self.related.push(location);
        self
    }

    /// Renders the diagnostic as one block of human text in `lang`.
    ///
    /// `E0203 错误 examples/x.toml:12:5: 未知的单位 "bj2"；应为：已声明的单位之一（bj, sy）；实际：bj2`
    pub fn render(&self, lang: Lang) -> String {
        let sev = match lang {
            Lang::Zh => self.severity.zh(),
            Lang::En => self.severity.en(),
        };
        let (exp, fnd, also, sep) = match lang {
            Lang::Zh => ("应为", "实际", "另见", "："),
            Lang::En => ("expected", "found", "see also", ": "),
        };
        let mut out = format!(
            "{}: {sev}[{}]: {}",
            self.location,
            self.code,
            self.message.get(lang)
        );
        if let Some(e) = &self.expected {
            out.push_str(&format!("\n    {exp}{sep}{}", e.get(lang)));
        }
        if let Some(f) = &self.found {
            out.push_str(&format!("\n    {fnd}{sep}{}", f.get(lang)));
        }
        for r in &self.related {
            out.push_str(&format!("\n    {also}{sep}{r}"));
        }
        out
    }
}
