//! A published report as the checks of its whole see it (completeness, [`crate::complete`];
//! wording, [`crate::wording`]; department and year, [`crate::identity`]): the document, what
//! was read of it, and the one way these checks make a finding. The audit runs the three.

use crate::claims::lexicon::Lexicon;
use crate::text::Document;
use juesuan_core::kind::Kind;
use juesuan_core::layout::{Layout, TableId};
use juesuan_core::rules::finding::{Detail, Passage, TableRef};
use juesuan_core::rules::{Finding, RuleSet, Sheet};
use juesuan_core::text::Text;

/// A document read with a layout.
pub struct Read<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Its kind's words.
    pub lex: &'a Lexicon,
    /// The layout it was read with.
    pub layout: &'a Layout,
    /// The tables found, with the line of their title.
    pub found: &'a [(TableId, u32)],
    /// Their figures.
    pub sheet: &'a Sheet,
    /// The kind's rules.
    pub rules: &'a RuleSet,
    /// The department and the year the cover names.
    pub department: Option<&'a str>,
    /// The year the cover names.
    pub year: Option<i32>,
    /// What the layout prints before the department's name above each table (`部门`).
    pub header_label: Option<&'a str>,
    /// The kind: its narrative's sections and its other parts.
    pub kind: &'a Kind,
    /// Whether 绩效自评 forms were read.
    pub forms: bool,
    /// The line after the last table's title: where the narrative may begin.
    pub tables_end: u32,
    /// The first line of the 绩效自评 forms, when there are any.
    pub forms_from: Option<u32>,
}

impl Read<'_> {
    /// The finding of rule `id` about `table` (or a part of the document) at line `line`,
    /// saying `why`; `None` when the kind has no rule `id`.
    pub fn finding(
        &self,
        id: &str,
        table: TableRef,
        line: Option<u32>,
        why: Text,
    ) -> Option<Finding> {
        let source = line.map(|line| Passage {
            line,
            page: None,
            text: self.doc.lines.get(line as usize - 1).cloned(),
        });
        let def = &self.rules.get(id)?.def;
        Some(crate::finding_at(
            def,
            table,
            None,
            source,
            Detail::Document { what: why },
        ))
    }
}
