//! Checks the formula language cannot say: names and codes, and (in [`super::forms`]) the
//! 绩效自评 forms. The rule catalog names them
//! (`builtin = "names_consistent"`); each is documented and tested like any rule.

use super::RuleDef;
use super::finding::{
    Cell, CellValue, CodeProblem, Detail, Finding, Place, RowKey, RowRef, TableRef,
};
use super::formula::Op;
use super::sheet::{CheckRow, CheckTable, Figure, Sheet};
use crate::catalog::{Catalog, Classification, normalize_name};
use std::collections::BTreeMap;

/// Names of the builtin checks.
pub const NAMES: &[&str] = &[
    "names_consistent",
    "names_match_catalog",
    "code_hierarchy",
    "codes_supplied",
    "repeats_agree",
    "parts_within_whole",
    "evaluation_totals",
    "evaluation_caps",
    "evaluation_weights",
    "evaluation_complete",
    "evaluation_execution",
    "reader",
    "document",
    "narrative_amounts",
    "narrative_rates",
    "narrative_names",
    "narrative_restated",
    "narrative_compare",
    "narrative_unresolved",
];

/// Runs builtin `name`.
pub fn run(name: &str, def: &RuleDef, sheet: &Sheet, catalog: Option<&Catalog>) -> Vec<Finding> {
    match name {
        "names_consistent" => names_consistent(def, sheet),
        "names_match_catalog" => {
            catalog.map_or_else(Vec::new, |c| names_match_catalog(def, sheet, c))
        }
        "code_hierarchy" => code_hierarchy(def, sheet),
        "codes_supplied" => catalog.map_or_else(Vec::new, |c| codes_supplied(def, sheet, c)),
        "repeats_agree" => repeats_agree(def, sheet),
        "parts_within_whole" => parts_within_whole(def, sheet),
        "evaluation_totals" => super::forms::totals(def, sheet),
        "evaluation_caps" => super::forms::caps(def, sheet),
        "evaluation_weights" => super::forms::weights(def, sheet),
        "evaluation_complete" => super::forms::complete(def, sheet),
        "evaluation_execution" => super::forms::execution(def, sheet),
        // Emitted by the audit reader while it reads a published report, not by a check.
        "reader" | "document" => Vec::new(),
        _ => match claim_kinds(name) {
            Some(kinds) => super::claims::check(def, sheet, kinds),
            None => Vec::new(),
        },
    }
}

/// The kinds of narrative claims a narrative check checks (`None` for other checks).
pub fn claim_kinds(name: &str) -> Option<&'static [&'static str]> {
    match name {
        "narrative_amounts" => Some(&["amount"]),
        "narrative_rates" => Some(&["rate"]),
        "narrative_names" => Some(&["name"]),
        "narrative_restated" => Some(&["restated", "sum"]),
        "narrative_compare" => Some(&["compare"]),
        "narrative_unresolved" => Some(&["unresolved"]),
        _ => None,
    }
}

/// Which classification a table's codes belong to.
fn classification(t: &CheckTable) -> Classification {
    t.codes
}

/// A row's name without the `一、` numbering the 总表 print before 类 names.
fn bare_name(row: &CheckRow) -> String {
    let label = row.label.zh.trim();
    let bare = match label.split_once('、') {
        Some((n, rest)) if n.chars().all(|c| "一二三四五六七八九十".contains(c)) => rest,
        _ => label,
    };
    bare.to_string()
}

fn finding(def: &RuleDef, t: &CheckTable, row: &CheckRow, problem: CodeProblem) -> Finding {
    Finding {
        rule: def.id.clone(),
        severity: def.severity,
        scope: def.scope,
        place: Place::cell(t, row, ""),
        message: def.title.clone(),
        hint: def.hint.clone(),
        detail: Detail::Code(problem),
        cells: vec![Cell {
            table: t.id.key().to_string(),
            row: RowKey::of(row),
            column: String::new(),
            value: CellValue::Label(row.label.zh.clone()),
        }],
        review: None,
    }
}

/// The same name, or one cut short of the other: text extracted from a PDF loses the end of
/// a label that wraps onto the next line, and that is no inconsistency of the report. An empty
/// name (a label the reader could not read with certainty) is never compared.
fn same_or_cut(a: &str, b: &str) -> bool {
    let (a, b) = (normalize_name(a), normalize_name(b));
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    short.is_empty()
        || long == short
        || (short.chars().count() >= 4 && long.starts_with(short.as_str()))
}

/// One name per code throughout the report: the first table that prints a code sets its name.
fn names_consistent(def: &RuleDef, sheet: &Sheet) -> Vec<Finding> {
    let mut first: BTreeMap<(Classification, String), (String, &CheckTable)> = BTreeMap::new();
    let mut out = Vec::new();
    for t in &sheet.tables {
        let class = classification(t);
        for row in &t.rows {
            let Some(code) = &row.code else { continue };
            let name = bare_name(row);
            match first.get(&(class, code.clone())) {
                None if name.trim().is_empty() => {}
                None => {
                    first.insert((class, code.clone()), (name, t));
                }
                Some((n, where_)) if !same_or_cut(n, &name) => out.push(finding(
                    def,
                    t,
                    row,
                    CodeProblem::NameDiffers {
                        code: code.clone(),
                        name,
                        first: n.clone(),
                        first_table: TableRef::of(where_),
                    },
                )),
                Some(_) => {}
            }
        }
    }
    out
}

/// Names equal the catalog's where the catalog has the code.
fn names_match_catalog(def: &RuleDef, sheet: &Sheet, catalog: &Catalog) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &sheet.tables {
        let class = classification(t);
        for row in &t.rows {
            let Some(code) = &row.code else { continue };
            let Some(official) = catalog.name(class, code) else {
                continue;
            };
            let name = bare_name(row);
            if !same_or_cut(official, &name) {
                out.push(finding(
                    def,
                    t,
                    row,
                    CodeProblem::NotCatalogName {
                        code: code.clone(),
                        name,
                        official: official.to_string(),
                    },
                ));
            }
        }
    }
    out
}

/// Each code the tables print that the catalog has only because the input named it
/// ([`crate::catalog::Entry::supplied`]): once, where it is first printed.
fn codes_supplied(def: &RuleDef, sheet: &Sheet, catalog: &Catalog) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for t in &sheet.tables {
        let class = classification(t);
        for row in &t.rows {
            let Some(code) = &row.code else { continue };
            let Some(entry) = catalog.get(class, code).filter(|e| e.supplied) else {
                continue;
            };
            if seen.insert((class, code.clone())) {
                out.push(finding(
                    def,
                    t,
                    row,
                    CodeProblem::NotInCatalog {
                        code: code.clone(),
                        name: entry.name.clone(),
                    },
                ));
            }
        }
    }
    out
}

/// In every table that prints 类/款/项 rows: codes of 3, 5 or 7 digits, and every 项 under its
/// 款 and every 款 under its 类, printed above it in the same table.
fn code_hierarchy(def: &RuleDef, sheet: &Sheet) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &sheet.tables {
        let codes: Vec<&str> = t.rows.iter().filter_map(|r| r.code.as_deref()).collect();
        for (i, row) in t.rows.iter().enumerate() {
            let Some(code) = row.code.as_deref() else {
                continue;
            };
            let well_formed =
                matches!(code.len(), 3 | 5 | 7) && code.bytes().all(|b| b.is_ascii_digit());
            if !well_formed {
                out.push(finding(
                    def,
                    t,
                    row,
                    CodeProblem::Malformed {
                        code: code.to_string(),
                    },
                ));
                continue;
            }
            // Rows that name a 类 alone (公开01/04) have no parent to print.
            if code.len() == 3 {
                continue;
            }
            let parent = &code[..code.len() - 2];
            let above = t.rows[..i]
                .iter()
                .any(|r| r.code.as_deref() == Some(parent));
            // A table with rows that could not be read may have lost the parent among them.
            let lost = t.partial && !codes.contains(&parent);
            if !above && !lost {
                let (code, parent) = (code.to_string(), parent.to_string());
                out.push(finding(
                    def,
                    t,
                    row,
                    if codes.contains(&parent.as_str()) {
                        CodeProblem::ParentNotAbove { code, parent }
                    } else {
                        CodeProblem::ParentMissing { code, parent }
                    },
                ));
            }
        }
    }
    out
}

/// A row printed twice (a 合计 at the top and at the foot of a table) reads the same both
/// times: one finding per cell whose figures differ (a cell printed once counts as zero in the
/// other printing). Which printing is right the tables cannot say; both are named.
fn repeats_agree(def: &RuleDef, sheet: &Sheet) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &sheet.tables {
        for again in &t.repeats {
            let Some(first) = t.rows.iter().find(|r| {
                r.panel == again.panel
                    && r.kind == again.kind
                    && r.compact_label() == again.compact_label()
            }) else {
                continue;
            };
            let mut keys: Vec<&str> = first.cells.iter().map(|(c, _)| c.as_str()).collect();
            for (c, _) in &again.cells {
                if !keys.contains(&c.as_str()) {
                    keys.push(c);
                }
            }
            for key in keys {
                let (a, b) = (figure(first, key), figure(again, key));
                if a.map(Figure::printed) != b.map(Figure::printed) {
                    let source = format!("{0} (1) = {0} (2)", address(t, first, key));
                    let (l, r) = ((first, key, a), (again, key, b));
                    out.push(compared(def, sheet, t, again, Op::Eq, source, l, r));
                }
            }
        }
    }
    out
}

/// A "其中" is never more than what it is part of: each column `whole.part` against column
/// `whole` in every row, and each line printed as part of another (`part_of`) against it.
fn parts_within_whole(def: &RuleDef, sheet: &Sheet) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &sheet.tables {
        let mut check = |part: (&CheckRow, &str), whole: (&CheckRow, &str)| {
            let (a, b) = (figure(part.0, part.1), figure(whole.0, whole.1));
            let (Some(fa), fb) = (a, b) else { return };
            let wb = fb.map_or(super::sheet::Interval::point(0), Figure::interval);
            if fa.interval().lo > wb.hi {
                let source = format!(
                    "{} <= {}",
                    address(t, part.0, part.1),
                    address(t, whole.0, whole.1)
                );
                let (l, r) = ((part.0, part.1, a), (whole.0, whole.1, b));
                out.push(compared(def, sheet, t, part.0, Op::Le, source, l, r));
            }
        };
        for c in &t.columns {
            let Some((whole, _)) = c.key.split_once('.') else {
                continue;
            };
            if !t.columns.iter().any(|w| w.key == whole) {
                continue;
            }
            for row in &t.rows {
                check((row, &c.key), (row, whole));
            }
        }
        for (label, line) in t.printed.iter().flat_map(|p| &p.parts) {
            let part = t
                .rows
                .iter()
                .find(|r| r.line.is_none() && r.compact_label() == *label);
            let whole = t.rows.iter().find(|r| r.line == Some(*line));
            if let (Some(part), Some(whole)) = (part, whole) {
                for (key, _) in &part.cells {
                    check((part, key), (whole, key));
                }
            }
        }
    }
    out
}

fn figure(row: &CheckRow, key: &str) -> Option<Figure> {
    row.cells.iter().find(|(c, _)| c == key).map(|(_, f)| *f)
}

/// A cell as a formula writes it: `expenditure["合计", basic]`, `summary[L5, amount]`.
fn address(t: &CheckTable, row: &CheckRow, key: &str) -> String {
    let row = match RowKey::of(row) {
        RowKey::Line(l) => format!("L{l}"),
        RowKey::Code(c) => format!("C{c}"),
        RowKey::Label(l) => format!("\"{l}\""),
    };
    format!("{}[{row}, {key}]", t.id)
}

/// A finding comparing two cells of table `t` (a cell printed blank reads as zero), placed
/// at row `at`.
#[allow(clippy::too_many_arguments)]
fn compared(
    def: &RuleDef,
    sheet: &Sheet,
    t: &CheckTable,
    at: &CheckRow,
    op: Op,
    source: String,
    left: (&CheckRow, &str, Option<Figure>),
    right: (&CheckRow, &str, Option<Figure>),
) -> Finding {
    use super::finding::{Broken, CellsPart, Column, Columns, Part, Rows, Side};
    let side = |(row, key, f): (&CheckRow, &str, Option<Figure>)| {
        let nominal = f.map_or(0, Figure::nominal);
        Side {
            interval: f.map_or(super::sheet::Interval::point(0), Figure::interval),
            nominal,
            exact: f.is_none_or(Figure::is_exact),
            terms: vec![(
                1,
                Part::Cells(Box::new(CellsPart {
                    sum: false,
                    table: TableRef::of(t),
                    rows: Rows::One(RowRef::of(row)),
                    columns: Columns::One(Column {
                        key: key.to_string(),
                        info: t.columns.iter().find(|c| c.key == key).cloned(),
                    }),
                    nominal,
                })),
            )],
        }
    };
    let cell = |(row, key, f): (&CheckRow, &str, Option<Figure>)| {
        f.map(|f| Cell {
            table: t.id.key().to_string(),
            row: RowKey::of(row),
            column: key.to_string(),
            value: CellValue::Figure(f),
        })
    };
    Finding {
        rule: def.id.clone(),
        severity: def.severity,
        scope: def.scope,
        place: Place::cell(t, at, left.1),
        message: def.title.clone(),
        hint: def.hint.clone(),
        detail: Detail::Relation(Box::new(Broken {
            source,
            op,
            left: side(left),
            right: side(right),
            unit: sheet.unit(),
        })),
        cells: cell(left).into_iter().chain(cell(right)).collect(),
        review: None,
    }
}
