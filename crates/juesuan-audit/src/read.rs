//! Finding the nine tables in a published report and reading their rows.
//!
//! Tables are found by title (any numbering, any order), confirmed by the 单位 line that
//! follows a table's title and not a line of the contents. The layout whose titles match
//! best says what each table's columns and fixed lines are; rows are read from the table's
//! token stream, so wrapped labels and page breaks do not matter:
//!
//! - fixed lines (收入支出决算总表, 财政拨款收入支出决算总表) by their labels, matched greedily
//!   against the text, with 行次 where printed;
//! - classification rows by their codes (`2010101` or `201 01 01`), label words after the code,
//!   amounts after that;
//! - the single row of the 三公 table as all its amounts.

use crate::place::{
    Cells, ColumnsAt, NoFit, ValueColumn, by_position, candidates, narrow, row_table,
};
use crate::text::{Document, Span, Tok, Token, is_page_marker, normalize};
use juesuan_core::catalog::Catalog;
use juesuan_core::consolidate::Ledger;
use juesuan_core::facts::Department;
use juesuan_core::kind::Kind;
use juesuan_core::layout::{ColumnKind, Layout, PanelLayout, TableId};
use juesuan_core::money::{AmountUnit, Printed};
use juesuan_core::rules::{CheckRow, CheckTable, RowRef, RuleSet, Sheet};
use juesuan_core::text::Text;
use juesuan_core::views::{RowKind, View, Views, build_views};
use serde::Serialize;

/// A row or passage the reader could not read with certainty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unread {
    /// `unparsed` (nothing could be made of it) or `ambiguous` (several readings).
    pub kind: UnreadKind,
    /// The table it belongs to.
    pub table: TableId,
    /// The row, when known.
    pub row: Option<RowRef>,
    /// 1-based line in the document.
    pub line: u32,
    /// The line as printed.
    pub raw: String,
    /// Why.
    pub why: Text,
}

/// Kinds of [`Unread`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnreadKind {
    /// Nothing certain could be read.
    Unparsed,
    /// More than one reading fits.
    Ambiguous,
}

/// What was read from the tables of a report.
#[derive(Clone, Debug)]
pub struct ReadTables {
    /// The layout whose titles and lines the report follows.
    pub layout: String,
    /// The tables as printed figures.
    pub sheet: Sheet,
    /// Tables found: role and the line of its title.
    pub found: Vec<(TableId, u32)>,
    /// What could not be read.
    pub unread: Vec<Unread>,
    /// The unit the tables print in.
    pub unit: AmountUnit,
}

/// A table located in the document.
#[derive(Clone, Debug)]
pub(crate) struct Located {
    pub(crate) id: TableId,
    pub(crate) title: String,
    /// 0-based line of the title.
    pub(crate) title_line: usize,
    /// 0-based lines after the unit line, to the note, the next table or the narrative.
    pub(crate) body: std::ops::Range<usize>,
    pub(crate) unit: AmountUnit,
    /// The body ends at a note, the next table or the narrative; not at the end of the file.
    ended: bool,
}

/// The unit a `金额单位：万元` / `单位：元` line names.
pub(crate) fn unit_of(line: &str) -> Option<AmountUnit> {
    let n = normalize(line);
    let at = n.find("单位")?;
    let rest = &n[at..];
    if rest.contains("万元") {
        Some(AmountUnit::Wan)
    } else if rest.contains('元') {
        Some(AmountUnit::Yuan)
    } else {
        None
    }
}

/// `公开02表收入决算表`, `收入决算表`: the title part of a line.
pub(crate) fn title_part(line: &str) -> String {
    let n = normalize(line);
    let n = n.trim_start_matches(|c: char| "公开0123456789表".contains(c) && c != '收');
    // `公开01表：收支预算总表`: the number and the title on one line.
    let n = n.trim_start_matches([':', '：']);
    // A title the year leads (`2025年部门收入预算总表`): the layout writes it `{year}年…`.
    let n = n
        .strip_prefix("年度")
        .or_else(|| n.strip_prefix('年'))
        .unwrap_or(n);
    n.to_string()
}

/// The year a title line begins with (`2025年部门收入预算总表`, after any `公开02表`), which
/// a layout's `{year}年…` titles stand for.
pub(crate) fn title_year(line: &str) -> Option<i32> {
    let n = normalize(line);
    // `公开02表` before the title: its number is not a year.
    let n = match n.strip_prefix("公开") {
        Some(rest) => rest
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start_matches('表'),
        None => &n,
    };
    let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
    (digits.len() == 4 && n[digits.len()..].starts_with('年'))
        .then(|| digits.parse().ok())
        .flatten()
}

/// A layout's table title as a report's title line reads after [`title_part`]: without the
/// year it may begin with (`{year}年…`).
pub(crate) fn layout_title(title: &str) -> String {
    let t = title
        .replace("{year}年度", "")
        .replace("{year}年", "")
        .replace("{year}", "");
    normalize(&t)
}

/// A layout a report may follow, with its kind and the rules that check its tables.
#[derive(Clone, Copy)]
pub struct Candidate<'a> {
    /// The layout.
    pub layout: &'a Layout,
    /// The document kind whose tables it prints.
    pub kind: &'a Kind,
    /// The kind's rules (they decide where the amounts of a row without blank cells go).
    pub rules: &'a RuleSet,
}

/// Every table title of every candidate layout and of their kinds (with the kinds' aliases),
/// longest first.
fn titles(candidates: &[Candidate]) -> Vec<(String, TableId)> {
    let mut t: Vec<(String, TableId)> = candidates
        .iter()
        .flat_map(|c| c.layout.tables.iter())
        .map(|t| (layout_title(&t.title.zh), t.id.clone()))
        .chain(candidates.iter().flat_map(|c| {
            c.kind.tables.iter().flat_map(|t| {
                std::iter::once(normalize(&t.title.zh))
                    .chain(t.aliases.iter().map(|a| normalize(a)))
                    .map(|title| (title, t.key.clone()))
            })
        }))
        .collect();
    t.sort_by(|a, b| {
        b.0.chars()
            .count()
            .cmp(&a.0.chars().count())
            .then(a.0.cmp(&b.0))
    });
    t.dedup();
    t
}

pub(crate) fn ends_table(line: &str) -> bool {
    let n = normalize(line);
    n.starts_with("注:")
        || n.starts_with("注") && n.chars().nth(1) == Some(':')
        || n.starts_with("第三部分")
        || n.starts_with("第四部分")
        || (n.starts_with("第") && n.contains("部分") && n.contains("情况说明"))
}

/// Whether `label` is the catalog's name of `code` (or cut short of it, as a wrapped label
/// may be).
fn catalog_name(catalog: &Catalog, code: Option<&str>, label: &str) -> bool {
    let Some(code) = code else { return false };
    let name = juesuan_core::catalog::Classification::infer(code)
        .and_then(|c| catalog.name(c, code))
        .map(normalize);
    let label = normalize(label);
    name.is_some_and(|n| !label.is_empty() && n.starts_with(&label))
}

/// Whether `a` and `b` are the same title but for one glyph or their quotes: OCR confuses
/// similar glyphs (`支出诀算表` for `支出决算表`). Titles of five glyphs or more only.
fn one_glyph_apart(a: &str, b: &str) -> bool {
    // Quotes (`“三公”`) are what OCR loses or misreads most: left out of the comparison.
    let glyphs = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| !matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’' | '?' | '？'))
            .collect()
    };
    let (a, b) = (glyphs(a), glyphs(b));
    if a == b {
        return true;
    }
    a.len() == b.len() && a.len() >= 5 && a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1
}

/// The headings that end a table where a kind's report goes on with text after its tables
/// (`其他相关情况说明`): its narrative's first and last words and its parts' titles, each a
/// line of its own (numbering left out), normalized.
pub(crate) fn part_headings(kind: &Kind) -> Vec<String> {
    let mut out: Vec<String> = kind
        .narrative
        .begins
        .iter()
        .chain(&kind.narrative.ends)
        .cloned()
        .chain(
            kind.parts
                .iter()
                .flat_map(|p| std::iter::once(p.title.zh.clone()).chain(p.aliases.clone())),
        )
        .map(|h| crate::complete::unnumbered(&normalize(&h)))
        .filter(|h| !h.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

pub(crate) fn locate(
    doc: &Document,
    titles: &[(String, TableId)],
    headings: &[String],
) -> Vec<Located> {
    let lines = &doc.lines;
    let recognised = crate::text::recognised_lines(doc);
    let mut found: Vec<Located> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let part = title_part(line);
        // On a page recognised from its image, a title one glyph off is the one title it can
        // be, when it is the only one that near (and its unit line follows, as for any title).
        let misread = || {
            if !recognised.get(i).copied().unwrap_or(false) {
                return None;
            }
            let mut near = titles.iter().filter(|(t, _)| one_glyph_apart(&part, t));
            let first = near.next()?;
            near.all(|(_, id)| *id == first.1).then_some(first)
        };
        let Some((title, id)) = titles.iter().find(|(t, _)| part == *t).or_else(misread) else {
            continue;
        };
        // A table's title is followed closely by its unit line; the contents' entries are not,
        // nor by another title first (a compact contents, as an HTML page prints it, stands
        // right above the first table's unit line).
        let unit_line = lines
            .iter()
            .enumerate()
            .skip(i + 1)
            .filter(|(_, l)| !l.trim().is_empty() && !is_page_marker(l))
            .take(6)
            .take_while(|(_, l)| {
                let part = title_part(l);
                !titles.iter().any(|(t, _)| part == *t)
            })
            .find_map(|(j, l)| unit_of(l).map(|u| (j, u)));
        let Some((u, unit)) = unit_line else { continue };
        if found.iter().any(|f| f.id == *id) {
            continue;
        }
        found.push(Located {
            id: id.clone(),
            title: title.clone(),
            title_line: i,
            body: u + 1..lines.len(),
            unit,
            ended: false,
        });
    }
    // Each table ends at the next one's title or at its note.
    let starts: Vec<usize> = found.iter().map(|f| f.title_line).collect();
    for f in &mut found {
        let next = starts
            .iter()
            .copied()
            .filter(|s| *s > f.title_line)
            .min()
            .unwrap_or(lines.len());
        let end = (f.body.start..next).find(|&j| {
            ends_table(&lines[j])
                || headings.contains(&crate::complete::unnumbered(&normalize(&lines[j])))
        });
        f.ended = end.is_some() || next < lines.len();
        f.body = f.body.start..end.unwrap_or(next);
    }
    found
}

/// The tokens of a table's body, page markers left out, consecutive words of a line joined
/// (labels print with spaces: `合 计`, `因 公 出 国`). Positioned words are joined only when
/// they are close ([`close`]): words far apart are two columns' cells.
fn body_tokens(doc: &Document, body: &std::ops::Range<usize>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let recognised = crate::text::recognised_lines(doc);
    for i in body.clone() {
        let line = &doc.lines[i];
        if is_page_marker(line) {
            continue;
        }
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let recognised = recognised.get(i).copied().unwrap_or(false);
        for t in doc.line_tokens(no) {
            // What is left of a scan's rules reads as stray quotes and points: nothing.
            if recognised && matches!(&t.tok, Tok::Text(w) if !w.chars().any(char::is_alphanumeric))
            {
                continue;
            }
            match (&t.tok, out.last_mut()) {
                (
                    Tok::Text(w),
                    Some(Token {
                        tok: Tok::Text(prev),
                        line,
                        x,
                    }),
                ) if *line == no && close(*x, t.x) => {
                    prev.push_str(w);
                    *x = x.zip(t.x).map(|(a, b)| a.union(b));
                }
                _ => out.push(t),
            }
        }
    }
    out
}

/// Whether two words of a line are one cell's: always in plain text; when positioned, if the
/// gap between them is at most 12 points (a wide space in a label, never a column gap).
pub(crate) fn close(a: Option<Span>, b: Option<Span>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => b.min - a.max <= 1200,
        _ => true,
    }
}

/// A row as read, the row it becomes and the value columns of its panel.
type ReadRow = (RawRow, CheckRow, Vec<String>);

/// Candidate placements of each row of a table, once known.
type Placements = Vec<Option<Vec<Cells>>>;

/// A row as read, before its amounts are placed.
#[derive(Clone, Debug, Default)]
struct RawRow {
    code: Option<String>,
    label: String,
    line_no: Option<u32>,
    amounts: Vec<Printed>,
    /// Where each amount is printed across the page (PDF input), in step with `amounts`.
    xs: Vec<Option<Span>>,
    source_line: u32,
    total: bool,
    footer: bool,
    /// Label words seen on a line other than the code's: pdfplumber-style extractions
    /// interleave the two lines of a wrapped label, so such a label is not trusted.
    label_elsewhere: bool,
    /// The table's 合计 read a second time, where the layout prints it at the top and at the
    /// foot: kept apart and compared with the first (rule T001).
    repeat: bool,
    /// A figure of the row was printed but not read with certainty ([`Tok::Unsure`]).
    unsure: bool,
}

/// Amounts that belong to no row, the line they start on, and whether a figure among them
/// could not be read with certainty.
type Stray = (Vec<Printed>, u32, bool);

/// `合计`, `合 计`, and `类款项合计` where a header's words joined the total's on one line.
pub(crate) fn is_total(label: &str) -> bool {
    let n = normalize(label);
    n == "总计" || (n.ends_with("合计") && n.chars().count() <= 6)
}

/// Whether `text` is made of `words` end to end (a run of a table's header words, joined).
fn made_of(text: &str, words: &[String]) -> bool {
    let mut rest = text;
    while !rest.is_empty() {
        let Some(w) = words
            .iter()
            .filter(|w| !w.is_empty() && rest.starts_with(w.as_str()))
            .max_by_key(|w| w.len())
        else {
            return false;
        };
        rest = &rest[w.len()..];
    }
    true
}

/// Classification rows from the token stream of a function or economic table.
///
/// Words of the table's own header (`科目代码`, `科目名称`, `决算数`) before the first code are
/// the header, not the start of the first row's label.
///
/// `recognised`: the table was read from a scan by OCR, which may turn a row's code or a figure
/// into other words: amounts on a later line than the last row's amounts, after words no row
/// took, are then a lost row's, not the last row's (they are stray); words among a row's
/// figures make the row unsure.
fn code_rows(
    tokens: &[Token],
    footers: &[String],
    header: &[String],
    recognised: bool,
) -> (Vec<RawRow>, Vec<Stray>) {
    let mut rows: Vec<RawRow> = Vec::new();
    let mut stray: Vec<Stray> = Vec::new();
    let mut pending: Vec<Printed> = Vec::new();
    let mut pending_xs: Vec<Option<Span>> = Vec::new();
    let mut pending_unsure = false;
    let mut pending_line = 0;
    // The line of the amounts of a row whose code was lost (`recognised`), until a row begins.
    let mut lost: Option<u32> = None;
    let mut last_was_text = false;
    let mut orphan = false;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        match &t.tok {
            Tok::Int(s)
                if matches!(s.len(), 3 | 5 | 7) && matches!(s.as_bytes()[0], b'2' | b'3') =>
            {
                // `201 06 01`: 2-digit segments on the same line extend a 3-digit code.
                let mut code = s.clone();
                while code.len() < 7 {
                    match tokens.get(i + 1) {
                        Some(Token {
                            tok: Tok::Int(seg),
                            line,
                            ..
                        }) if seg.len() == 2 && *line == t.line && s.len() == 3 => {
                            code.push_str(seg);
                            i += 1;
                        }
                        _ => break,
                    }
                }
                lost = None;
                rows.push(RawRow {
                    code: Some(code),
                    source_line: t.line,
                    // Words just before the code that no row took: the start of its label,
                    // wrapped above it.
                    label_elsewhere: orphan,
                    ..RawRow::default()
                });
                last_was_text = false;
                orphan = false;
            }
            // A number among a recognised row's figures is a figure cut in two (`3832.` `36`).
            Tok::Int(_) => {
                if let Some(r) = rows.last_mut()
                    && recognised
                    && r.source_line == t.line
                    && !r.amounts.is_empty()
                {
                    r.unsure = true;
                }
            }
            // (A 合计 row is a row even where a column is headed 合计.)
            Tok::Text(w)
                if rows.is_empty()
                    && !is_total(&normalize(w))
                    && made_of(&normalize(w), header) => {}
            Tok::Text(w) => {
                let n = normalize(w);
                let footer = footers
                    .iter()
                    .find(|f| n == **f || n.starts_with(f.as_str()));
                match rows.last_mut() {
                    _ if is_total(&n) && footer.is_none() => {
                        lost = None;
                        rows.push(RawRow {
                            label: n.clone(),
                            total: true,
                            source_line: t.line,
                            amounts: std::mem::take(&mut pending),
                            xs: std::mem::take(&mut pending_xs),
                            unsure: std::mem::take(&mut pending_unsure),
                            ..RawRow::default()
                        });
                        last_was_text = false;
                    }
                    _ if footer.is_some() => {
                        lost = None;
                        rows.push(RawRow {
                            label: footer.cloned().unwrap_or_default(),
                            footer: true,
                            source_line: t.line,
                            ..RawRow::default()
                        });
                        last_was_text = false;
                    }
                    Some(r)
                        if r.code.is_some()
                            && (r.label.is_empty() || last_was_text || r.amounts.is_empty()) =>
                    {
                        // Words off the code's line may belong to this row or the next
                        // (extractions put a wrapped label's halves above and below the
                        // code): neither label is trusted.
                        if t.line != r.source_line {
                            r.label_elsewhere = true;
                            orphan = true;
                        }
                        r.label.push_str(&n);
                        last_was_text = true;
                    }
                    // Words among a recognised row's figures, on its line: a figure OCR read
                    // as glyphs, lost. The row is not checked.
                    Some(r)
                        if recognised
                            && r.source_line == t.line
                            && !r.amounts.is_empty()
                            && n.chars().any(char::is_alphanumeric) =>
                    {
                        r.unsure = true;
                    }
                    _ => orphan = true,
                }
            }
            Tok::Amount(p) => {
                let lost_code = recognised && orphan;
                orphan = false;
                match rows.last_mut() {
                    Some(r) if lost_code && !r.amounts.is_empty() && r.source_line != t.line => {
                        stray.push((vec![*p], t.line, false));
                        lost = Some(t.line);
                    }
                    Some(_) if lost == Some(t.line) => {
                        if let Some(s) = stray.last_mut() {
                            s.0.push(*p);
                        }
                    }
                    Some(r) => {
                        r.amounts.push(*p);
                        r.xs.push(t.x);
                    }
                    None => {
                        if pending.is_empty() {
                            pending_line = t.line;
                        }
                        pending.push(*p);
                        pending_xs.push(t.x);
                    }
                }
                last_was_text = false;
            }
            Tok::Unsure => {
                orphan = false;
                match rows.last_mut() {
                    Some(r) => r.unsure = true,
                    None => {
                        if pending.is_empty() && !pending_unsure {
                            pending_line = t.line;
                        }
                        pending_unsure = true;
                    }
                }
                last_was_text = false;
            }
        }
        i += 1;
    }
    if !pending.is_empty() || pending_unsure {
        stray.push((pending, pending_line, pending_unsure));
    }
    (rows, stray)
}

/// Fixed-line rows: every label of the layout found in the text, with 行次 and amounts.
///
/// Words are read in runs across lines, so a label wrapped over two lines joins up. Amounts
/// belong to the label that ends the run before them; when a run ends in the first part of a
/// label (`二十二、灾害防治及应急管理支` … `出`), its amounts wait for the rest; when it ends in
/// words that are no label, its amounts belong to no row (and are reported).
///
/// `recognised`: read from a scan by OCR; a number among a row's figures is a figure cut in
/// two, and makes the row unsure.
fn line_rows(tokens: &[Token], labels: &[String], recognised: bool) -> (Vec<RawRow>, Vec<Stray>) {
    let mut rows: Vec<RawRow> = Vec::new();
    let mut stray: Vec<Stray> = Vec::new();
    // Words of an unfinished label and the amounts printed before its end.
    let mut carry = String::new();
    let mut carry_line = 0;
    let mut pending: Vec<Printed> = Vec::new();
    let mut pending_xs: Vec<Option<Span>> = Vec::new();
    let mut pending_unsure = false;
    // Whether amounts now belong to the last row (false after unknown words).
    let mut attached = false;
    let mut i = 0;
    while i < tokens.len() {
        if let Tok::Text(_) = tokens[i].tok {
            let mut text = carry.clone();
            let mut at: Vec<(usize, u32)> = vec![(0, carry_line)];
            while let Some(Token {
                tok: Tok::Text(w),
                line,
                ..
            }) = tokens.get(i)
            {
                at.push((text.len(), *line));
                text.push_str(&normalize(w));
                i += 1;
            }
            let line_at = |byte: usize| {
                at.iter()
                    .rev()
                    .find(|(b, l)| *b <= byte && *l > 0)
                    .map_or(0, |(_, l)| *l)
            };
            let had_carry = !carry.is_empty();
            carry.clear();
            let mut p = 0;
            let mut first = true;
            attached = false;
            while p < text.len() {
                let rest = &text[p..];
                if let Some(l) = labels
                    .iter()
                    .filter(|l| rest.starts_with(l.as_str()))
                    .max_by_key(|l| l.len())
                {
                    let mut row = RawRow {
                        label: l.clone(),
                        source_line: line_at(p),
                        ..RawRow::default()
                    };
                    // The amounts printed before a wrapped label's end are its own.
                    if first && had_carry && p == 0 {
                        row.amounts = std::mem::take(&mut pending);
                        row.xs = std::mem::take(&mut pending_xs);
                        row.unsure = std::mem::take(&mut pending_unsure);
                    }
                    rows.push(row);
                    p += l.len();
                    attached = true;
                } else if labels.iter().any(|l| l.starts_with(rest)) {
                    carry = rest.to_string();
                    carry_line = line_at(p);
                    attached = false;
                    break;
                } else {
                    p += rest.chars().next().map_or(1, char::len_utf8);
                    attached = false;
                }
                first = false;
            }
            if !pending.is_empty() || pending_unsure {
                stray.push((
                    std::mem::take(&mut pending),
                    carry_line,
                    std::mem::take(&mut pending_unsure),
                ));
            }
            pending_xs.clear();
            continue;
        }
        match (&tokens[i].tok, rows.last_mut()) {
            (Tok::Int(n), Some(r)) if attached && r.amounts.is_empty() && r.line_no.is_none() => {
                r.line_no = n.parse().ok();
            }
            (Tok::Int(_), Some(r)) if attached && recognised && !r.amounts.is_empty() => {
                r.unsure = true;
            }
            (Tok::Amount(p), _) if !carry.is_empty() => {
                pending.push(*p);
                pending_xs.push(tokens[i].x);
            }
            (Tok::Amount(p), Some(r)) if attached => {
                r.amounts.push(*p);
                r.xs.push(tokens[i].x);
            }
            (Tok::Amount(p), _) => match stray.last_mut() {
                Some((v, l, _)) if *l == tokens[i].line => v.push(*p),
                _ => stray.push((vec![*p], tokens[i].line, false)),
            },
            (Tok::Unsure, _) if !carry.is_empty() => pending_unsure = true,
            (Tok::Unsure, Some(r)) if attached => r.unsure = true,
            (Tok::Unsure, _) => match stray.last_mut() {
                Some((_, l, unsure)) if *l == tokens[i].line => *unsure = true,
                _ => stray.push((Vec::new(), tokens[i].line, true)),
            },
            _ => {}
        }
        i += 1;
    }
    if !pending.is_empty() || pending_unsure {
        stray.push((pending, carry_line, pending_unsure));
    }
    (rows, stray)
}

/// The skeleton of a layout: its views with no facts (labels, 行次, columns).
fn skeleton(layout: &Layout, catalog: &Catalog, unit: AmountUnit, year: i32) -> Option<Views> {
    let dept = Department {
        name: String::new(),
        code: None,
        year,
        amount_unit: unit,
        layout: Some(layout.id.clone()),
        strict_catalog: false,
    };
    build_views(&dept, &Ledger::default(), catalog, layout).ok()
}

/// Value column keys of panel `p` of a view.
fn panel_columns(v: &View, p: usize) -> Vec<String> {
    v.value_columns(p)
        .map(|c| c.key.clone().unwrap_or_default())
        .collect()
}

/// Reads every table of `doc` it can find, with the candidate layout whose titles the report
/// uses (the last of those that match as many).
pub fn read_tables(
    doc: &Document,
    layouts: &[Candidate],
    catalog: &Catalog,
) -> Option<(ReadTables, usize)> {
    let mut headings: Vec<String> = layouts.iter().flat_map(|c| part_headings(c.kind)).collect();
    headings.sort();
    headings.dedup();
    let located = locate(doc, &titles(layouts), &headings);
    if located.is_empty() {
        return None;
    }
    // The layout whose titles the report uses; where as many match, one whose kind names
    // more of them (its titles and aliases: a 部门预算's `收支预算总表` is no 决算 layout's even
    // when no layout of its own prints it); on a tie, the last.
    let score = |c: &Candidate| {
        let own = located
            .iter()
            .filter(|f| {
                c.layout
                    .tables
                    .iter()
                    .any(|t| t.id == f.id && layout_title(&t.title.zh) == f.title)
            })
            .count();
        let kind = located
            .iter()
            .filter(|f| {
                c.kind.tables.iter().any(|t| {
                    t.key == f.id
                        && std::iter::once(&t.title.zh)
                            .chain(&t.aliases)
                            .any(|a| normalize(a) == f.title)
                })
            })
            .count();
        (own, kind)
    };
    let best = layouts.iter().map(score).max()?;
    let chosen = layouts.iter().rposition(|c| score(c) == best)?;
    let Candidate { layout, rules, .. } = layouts[chosen];
    let unit = located[0].unit;
    // Titles that say `{year}年` are named with the year the report's titles print.
    let year = located
        .iter()
        .find_map(|f| title_year(&doc.lines[f.title_line]))
        .unwrap_or(2000);
    let views = skeleton(layout, catalog, unit, year)?;
    let skeleton_sheet = Sheet::from_views(&views);
    let mut sheet = Sheet {
        department: String::new(),
        tables: Vec::new(),
        evaluations: None,
        claims: Vec::new(),
    };
    let mut unread = Vec::new();
    // Each table with its rows and the placements certain from where amounts are printed.
    // (Each with the unit its own unit line gives: a budget's 三公 table is in 万元 among tables in 元.)
    let mut tables: Vec<(CheckTable, Vec<ReadRow>, Placements, AmountUnit)> = Vec::new();
    for f in &located {
        let Some(view) = views.table(f.id.key()) else {
            continue;
        };
        let Some(tl) = layout.tables.iter().find(|t| t.id == f.id) else {
            continue;
        };
        let columns = skeleton_sheet
            .table(f.id.key())
            .map(|t| t.columns.clone())
            .unwrap_or_default();
        let mut table = CheckTable {
            id: f.id.clone(),
            codes: view.codes,
            number: view.number.clone(),
            title: view.title.clone(),
            columns,
            rows: Vec::new(),
            absent_is_zero: true,
            // A table cut off by the end of the file may have lost rows.
            partial: !f.ended,
            printed: Some(view.printed.clone()),
            repeats: Vec::new(),
        };
        let toks = body_tokens(doc, &f.body);
        // A figure printed but not read (a scan's) may have taken its row's code or label with
        // it: what the table's rows add up to is not concluded.
        table.partial |= toks.iter().any(|t| t.tok == Tok::Unsure);
        // Panels whose rows are printed by code. A panel of numbered classes printed by name
        // alone (`一、一般公共服务支出`, beside a panel of fixed lines: a budget's summary
        // tables) is read as fixed lines, its labels the catalog's classes.
        let coded = tl
            .panels
            .iter()
            .any(|p| matches!(p, PanelLayout::Economic { .. }) || is_coded_function(p));
        let mut raws: Vec<ReadRow> = Vec::new();
        if coded {
            let footers: Vec<String> = view.footer.iter().map(|x| normalize(&x.label.zh)).collect();
            let header: Vec<String> = view.header.iter().map(|h| normalize(&h.text.zh)).collect();
            let recognised = crate::text::recognised_lines(doc)
                .get(f.title_line)
                .copied()
                .unwrap_or(false);
            let (rows, stray) = code_rows(&toks, &footers, &header, recognised);
            stray_amounts(doc, &f.id, stray, &mut table, &mut unread);
            // A table read from a scan whose row names a parent it lacks has lost that row to
            // the recognition (its code misread): what its rows add up to is not concluded.
            if recognised {
                let codes: Vec<&str> = rows.iter().filter_map(|r| r.code.as_deref()).collect();
                table.partial |= codes
                    .iter()
                    .any(|c| c.len() > 3 && !codes.contains(&&c[..c.len() - 2]));
            }
            let total_twice = view.panels.iter().any(|p| p.rows.iter().any(|r| r.repeat));
            for mut r in rows {
                // (A header word such as 本年支出合计 reads as a total without amounts.)
                r.repeat = r.total
                    && total_twice
                    && raws
                        .iter()
                        .any(|(x, _, _)| x.total && !x.amounts.is_empty());
                let (panel, kind) = if r.total {
                    (0, RowKind::Total)
                } else if r.footer {
                    let item = view
                        .footer
                        .iter()
                        .find(|x| normalize(&x.label.zh) == r.label);
                    (
                        item.and_then(|x| x.panels.first().copied()).unwrap_or(0),
                        RowKind::Total,
                    )
                } else {
                    let code = r.code.clone().unwrap_or_default();
                    let panel = economic_panel(tl, &code).unwrap_or(0);
                    let kind = match code.len() {
                        3 => RowKind::Lei,
                        5 => RowKind::Kuan,
                        _ => RowKind::Xiang,
                    };
                    (panel, kind)
                };
                let cols = if r.footer {
                    vec![String::new()]
                } else {
                    panel_columns(view, panel)
                };
                let label = if r.total {
                    view.panels
                        .first()
                        .and_then(|p| p.rows.iter().find(|x| x.kind == RowKind::Total))
                        .map(|x| x.label.clone())
                        .unwrap_or_else(|| Text::zh("合计"))
                } else if r.footer {
                    view.footer
                        .iter()
                        .find(|x| normalize(&x.label.zh) == r.label)
                        .map(|x| x.label.clone())
                        .unwrap_or_else(|| Text::zh(r.label.clone()))
                } else if r.label_elsewhere {
                    Text::zh("")
                } else if recognised && !catalog_name(catalog, r.code.as_deref(), &r.label) {
                    // OCR confuses similar glyphs: a name read from a scan that is not the
                    // catalog's is not trusted (never compared), rather than reported.
                    Text::zh("")
                } else {
                    Text::zh(r.label.clone())
                };
                let row = CheckRow {
                    line: None,
                    code: if r.total || r.footer {
                        None
                    } else {
                        r.code.clone()
                    },
                    label,
                    kind,
                    panel,
                    cells: Vec::new(),
                    uncertain: false,
                    source_line: Some(r.source_line),
                };
                raws.push((r, row, cols));
            }
        } else {
            // Fixed lines; the 三公 table's one row has no label.
            let mut owned: Vec<(usize, juesuan_core::views::Row)> = view
                .panels
                .iter()
                .enumerate()
                .flat_map(|(p, panel)| panel.rows.iter().map(move |r| (p, r.clone())))
                .filter(|(_, r)| !r.label.zh.trim().is_empty())
                .collect();
            owned.extend(named_classes(tl, catalog));
            let labelled: Vec<(usize, &juesuan_core::views::Row)> =
                owned.iter().map(|(p, r)| (*p, r)).collect();
            if labelled.is_empty() {
                // The row's figures; a whole number among them is a figure printed without
                // decimals (`22.91 0 1.35 … 25 …` in a table of 万元), not a 栏次.
                let figure_lines: Vec<u32> = toks
                    .iter()
                    .filter(|t| matches!(t.tok, Tok::Amount(_)))
                    .map(|t| t.line)
                    .collect();
                let (amounts, xs): (Vec<Printed>, Vec<Option<Span>>) = toks
                    .iter()
                    .filter_map(|t| match &t.tok {
                        Tok::Amount(p) => Some((*p, t.x)),
                        Tok::Int(n) if figure_lines.contains(&t.line) && n.len() <= 12 => n
                            .parse::<i128>()
                            .ok()
                            .map(|v| (Printed::from_hundredths(v * 100), t.x)),
                        _ => None,
                    })
                    .unzip();
                let line = toks
                    .iter()
                    .find(|t| matches!(t.tok, Tok::Amount(_)))
                    .map_or(f.body.start as u32 + 1, |t| t.line);
                if let Some((p, r)) = view
                    .panels
                    .iter()
                    .enumerate()
                    .flat_map(|(p, panel)| panel.rows.iter().map(move |r| (p, r)))
                    .next()
                {
                    let row = CheckRow {
                        line: r.line,
                        code: r.code.clone(),
                        label: r.label.clone(),
                        kind: r.kind,
                        panel: p,
                        cells: Vec::new(),
                        uncertain: false,
                        source_line: Some(line),
                    };
                    let raw = RawRow {
                        amounts,
                        xs,
                        source_line: line,
                        ..RawRow::default()
                    };
                    raws.push((raw, row, panel_columns(view, p)));
                }
            } else {
                let labels: Vec<String> = labelled
                    .iter()
                    .map(|(_, r)| normalize(&r.label.zh))
                    .collect();
                let mut seen: Vec<String> = Vec::new();
                let recognised = crate::text::recognised_lines(doc)
                    .get(f.title_line)
                    .copied()
                    .unwrap_or(false);
                let (found_rows, stray) = line_rows(&toks, &labels, recognised);
                stray_amounts(doc, &f.id, stray, &mut table, &mut unread);
                for r in found_rows {
                    // A label printed twice (a header word, then the row): the row with amounts
                    // counts; two rows with amounts are ambiguous.
                    let candidates: Vec<&(usize, &juesuan_core::views::Row)> = labelled
                        .iter()
                        .filter(|(_, x)| normalize(&x.label.zh) == r.label)
                        .filter(|(_, x)| {
                            r.line_no.is_none()
                                || x.line_as_printed() == r.line_no.map(|n| n.to_string())
                        })
                        .collect();
                    let Some((p, x)) = candidates.first().map(|c| (c.0, c.1)) else {
                        continue;
                    };
                    if candidates.len() > 1 && r.line_no.is_none() {
                        // The same label on two lines of the layout: order decides.
                        let taken = seen.iter().filter(|s| **s == r.label).count();
                        if let Some(c) = candidates.get(taken) {
                            let row = line_row(c.0, c.1, r.source_line);
                            seen.push(r.label.clone());
                            let cols = panel_columns(view, c.0);
                            raws.push((r, row, cols));
                        }
                        continue;
                    }
                    // The same row of the layout read again (lines without a national 行次
                    // are told apart by their labels).
                    if let Some(existing) = raws
                        .iter_mut()
                        .find(|(_, row, _)| row.line == x.line && row.label == x.label)
                    {
                        if existing.0.amounts.is_empty() {
                            *existing = (
                                r.clone(),
                                line_row(p, x, r.source_line),
                                panel_columns(view, p),
                            );
                        } else if !r.amounts.is_empty() {
                            existing.1.uncertain = true;
                        }
                        continue;
                    }
                    seen.push(r.label.clone());
                    let row = line_row(p, x, r.source_line);
                    let cols = panel_columns(view, p);
                    raws.push((r, row, cols));
                }
            }
        }
        let placed = if doc.positions.is_empty() {
            vec![None; raws.len()]
        } else {
            placed_by_position(doc, f, view, &toks, &raws, f.unit)
        };
        tables.push((table, raws, placed, f.unit));
    }
    // Place the amounts, in rounds: each round decides what it can given the rows the other
    // tables have decided so far (the 合计 of 收入决算表 against lines 1–8 of the 总表, 支出决算表
    // against 一般公共预算财政拨款支出决算表…).
    let mut state: Vec<Placing> = tables
        .into_iter()
        .map(|(table, raws, placed, unit)| Placing {
            unit,
            // A row with a figure not read with certainty is never decided (nor used to
            // decide others' rows).
            cands: placed
                .into_iter()
                .zip(&raws)
                .map(|(c, (r, _, _))| if r.unsure { Some(Vec::new()) } else { c })
                .collect(),
            failures: vec![None; raws.len()],
            table,
            raws,
        })
        .collect();
    // The formula rules that read each table (the builtin checks of names and codes say
    // nothing about one row), and the sheet of what is decided so far: table `t` is replaced
    // by the row being placed while its rows are placed, then by what they decided.
    let formula_rules: Vec<RuleSet> = state
        .iter()
        .map(|p| {
            let key = format!("{}[", p.table.id.key());
            RuleSet {
                rules: rules
                    .rules
                    .iter()
                    .filter(|r| {
                        r.def.builtin.is_none() && r.def.formula.0.iter().any(|f| f.contains(&key))
                    })
                    .cloned()
                    .collect(),
                tables: Vec::new(),
            }
        })
        .collect();
    let mut decided = Sheet {
        department: String::new(),
        tables: state.iter().map(decided_table).collect(),
        evaluations: None,
        claims: Vec::new(),
    };
    for _round in 0..3 {
        let mut progress = false;
        for t in 0..state.len() {
            let p = &state[t];
            decided.tables[t] = row_table(&p.table);
            let mut cands: Vec<Option<Vec<Cells>>> = p.cands.clone();
            let mut failures = p.failures.clone();
            for (k, (r, row, cols)) in p.raws.iter().enumerate() {
                if r.unsure || cands[k].as_ref().is_some_and(|c| c.len() == 1) {
                    continue;
                }
                match candidates(
                    &formula_rules[t],
                    &mut decided,
                    t,
                    row,
                    cols,
                    &r.amounts,
                    p.unit,
                ) {
                    Ok(c) => {
                        // Never widen what an earlier round narrowed.
                        let c = match &cands[k] {
                            Some(prev) => c.into_iter().filter(|x| prev.contains(x)).collect(),
                            None => c,
                        };
                        cands[k] = Some(c);
                        failures[k] = None;
                    }
                    Err(e) => {
                        cands[k] = Some(Vec::new());
                        failures[k] = Some(e);
                    }
                }
            }
            // The classification tree: 合计 → 类 → 款 → 项.
            let parent: Vec<Option<usize>> = p
                .raws
                .iter()
                .map(|(_, row, _)| {
                    let code = row.code.as_deref()?;
                    if code.len() == 3 {
                        // The panel's total with amounts (a header's 合计 reads as a total
                        // without any), else the first.
                        let total = |x: &CheckRow| {
                            x.kind == RowKind::Total && x.panel == row.panel && x.code.is_none()
                        };
                        return p
                            .raws
                            .iter()
                            .position(|(r, x, _)| total(x) && !r.amounts.is_empty())
                            .or_else(|| p.raws.iter().position(|(_, x, _)| total(x)));
                    }
                    let up = &code[..code.len() - 2];
                    p.raws
                        .iter()
                        .position(|(_, x, _)| x.code.as_deref() == Some(up))
                })
                .collect();
            let columns: Vec<String> = p.table.columns.iter().map(|c| c.key.clone()).collect();
            let mut flat: Vec<Vec<Cells>> = cands
                .iter()
                .map(|c| c.clone().unwrap_or_default())
                .collect();
            narrow(&mut flat, &parent, &columns);
            let decided_before = p
                .cands
                .iter()
                .filter(|c| c.as_ref().is_some_and(|c| c.len() == 1))
                .count();
            let decided_now = flat.iter().filter(|c| c.len() == 1).count();
            progress |= decided_now > decided_before;
            let p = &mut state[t];
            p.cands = flat.into_iter().map(Some).collect();
            p.failures = failures;
            decided.tables[t] = decided_table(p);
        }
        if !progress {
            break;
        }
    }
    for p in state {
        let mut table = p.table;
        let mut rows = Vec::new();
        for (((r, mut row, cols), c), fail) in p.raws.into_iter().zip(p.cands).zip(p.failures) {
            let c = c.unwrap_or_default();
            if r.unsure {
                // A figure printed but not read with certainty: the row is not checked.
                if r.repeat {
                    continue;
                }
                row.uncertain = true;
                unread.push(Unread {
                    kind: UnreadKind::Unparsed,
                    table: table.id.clone(),
                    row: Some(RowRef::of(&row)),
                    line: r.source_line,
                    raw: raw_line(doc, r.source_line),
                    why: Text::new(
                        "有金额无法确定地识别（扫描件文字识别的两次结果不一致）",
                        "a figure could not be recognised with certainty (the scan's two readings disagree)",
                    ),
                });
                rows.push(row);
                continue;
            }
            if c.len() == 1 {
                row.cells = c.into_iter().next().unwrap_or_default();
                if row.cells.is_empty() {
                } else if r.repeat {
                    table.repeats.push(row);
                } else {
                    rows.push(row);
                }
                continue;
            }
            if r.repeat {
                // A second printing that cannot be placed: the first is checked.
                continue;
            }
            row.uncertain = true;
            let n = r.amounts.len();
            // More amounts than the row has columns: some are other rows' (a header taken for
            // a row, two rows run together), so what the table's rows add up to, and any row
            // absent from it, is not concluded.
            table.partial |= matches!(fail, Some(NoFit::TooMany));
            let (kind, zh, en) = match fail {
                Some(NoFit::TooMany) => (
                    UnreadKind::Unparsed,
                    format!("{n} 个金额多于 {} 栏", cols.len()),
                    format!("{n} amounts for {} columns", cols.len()),
                ),
                Some(NoFit::Impossible) => (
                    UnreadKind::Ambiguous,
                    format!(
                        "空栏被省略：{n} 个金额放入 {} 栏，没有一种放法符合表内表间关系",
                        cols.len()
                    ),
                    format!(
                        "blank cells dropped: no placement of {n} amounts into {} columns satisfies the relations",
                        cols.len()
                    ),
                ),
                None => (
                    UnreadKind::Ambiguous,
                    format!(
                        "空栏被省略：{n} 个金额放入 {} 栏有 {} 种放法，无法确定",
                        cols.len(),
                        c.len()
                    ),
                    format!(
                        "blank cells dropped: {n} amounts fit {} columns in {} ways",
                        cols.len(),
                        c.len()
                    ),
                ),
            };
            unread.push(Unread {
                kind,
                table: table.id.clone(),
                row: Some(RowRef::of(&row)),
                line: r.source_line,
                raw: raw_line(doc, r.source_line),
                why: Text::new(zh, en),
            });
            rows.push(row);
        }
        table.rows = rows;
        sheet.tables.push(table);
    }
    // Back to the document's order.
    sheet
        .tables
        .sort_by_key(|t| located.iter().position(|f| f.id == t.id));
    let read = ReadTables {
        layout: layout.id.clone(),
        sheet,
        found: located
            .iter()
            .map(|f| {
                (
                    f.id.clone(),
                    u32::try_from(f.title_line + 1).unwrap_or(u32::MAX),
                )
            })
            .collect(),
        unread,
        unit,
    };
    Some((read, chosen))
}

/// The placements of a table's rows that are certain from where their amounts are printed
/// (PDF input): see [`ColumnsAt::find`] and [`by_position`]. Rows left `None` are placed by
/// the rules.
fn placed_by_position(
    doc: &Document,
    f: &Located,
    view: &View,
    toks: &[Token],
    raws: &[ReadRow],
    unit: AmountUnit,
) -> Placements {
    let columns = value_columns_at(doc, f, view);
    let amounts: Vec<Span> = toks
        .iter()
        .filter(|t| matches!(t.tok, Tok::Amount(_)))
        .filter_map(|t| t.x)
        .collect();
    // A table recognised from a scan keeps the layout's order of columns.
    let recognised = crate::text::recognised_lines(doc);
    let as_printed = !f
        .body
        .clone()
        .any(|i| recognised.get(i).copied().unwrap_or(false));
    let at = ColumnsAt::find(&columns, &amounts, as_printed);
    raws.iter()
        .map(|(r, row, keys)| {
            if r.footer {
                return None;
            }
            by_position(&at, &columns, row.panel, keys, &r.amounts, &r.xs, unit).map(|c| vec![c])
        })
        .collect()
}

/// The value columns of `view`, left to right, each with where its header is printed: the
/// words of the header (the lines above the first amount) that spell the text of the lowest
/// header cell over the column (not counting a row of 栏次), read down a stack of words in one
/// cell (`对附属单位补` / `助支出`). A text printed over several columns (`决算数`, `预算数`) is
/// matched in order, and only when it is found as many times as the layout has it.
fn value_columns_at(doc: &Document, f: &Located, view: &View) -> Vec<ValueColumn> {
    // Header words, then the words of the two lines after (a header's last piece can sit on
    // the first body line).
    let mut words: Vec<(Token, bool)> = Vec::new();
    let mut after = None;
    // A header has a few lines (the reports here: up to 13); past 40 it is no header.
    for i in f.body.clone().take(40) {
        if is_page_marker(&doc.lines[i]) {
            continue;
        }
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = doc.line_tokens(no);
        if after.is_none() && line.iter().any(|t| matches!(t.tok, Tok::Amount(_))) {
            after = Some(0);
        }
        if let Some(n) = after.as_mut() {
            *n += 1;
            if *n > 2 {
                break;
            }
        }
        let header = after.is_none();
        words.extend(
            line.into_iter()
                .filter(|t| matches!(t.tok, Tok::Text(_)) && t.x.is_some())
                .map(|t| (t, header)),
        );
    }
    let text = |t: &Token| match &t.tok {
        Tok::Text(w) => normalize(w),
        _ => String::new(),
    };
    let mut used = vec![false; words.len()];
    // Every stack of header words that spells `want`, left to right.
    let mut spell = |want: &str| -> Vec<Span> {
        let mut found: Vec<Span> = Vec::new();
        for s in 0..words.len() {
            let first = text(&words[s].0);
            if used[s] || !words[s].1 || first.is_empty() || !want.starts_with(&first) {
                continue;
            }
            let (mut acc, mut chain) = (first, vec![s]);
            while acc.len() < want.len() {
                let last = &words[chain[chain.len() - 1]].0;
                let (lx, ll) = (last.x.unwrap_or(Span { min: 0, max: 0 }), last.line);
                let next = (s + 1..words.len()).find(|&j| {
                    let (t, x) = (&words[j].0, words[j].0.x.unwrap_or(Span { min: 0, max: 0 }));
                    let piece = text(t);
                    !used[j]
                        && t.line > ll
                        && t.line <= ll + 4
                        && 2 * x.overlap(lx) >= x.len().min(lx.len())
                        && !piece.is_empty()
                        && want[acc.len()..].starts_with(&piece)
                });
                let Some(j) = next else { break };
                acc.push_str(&text(&words[j].0));
                chain.push(j);
            }
            if acc == want {
                let mut ext: Option<Span> = None;
                for &j in &chain {
                    used[j] = true;
                    let x = words[j].0.x;
                    ext = ext.map_or(x, |e| x.map(|x| e.union(x)));
                }
                found.extend(ext);
            }
        }
        found.sort();
        found
    };
    let leaf = |ci: usize| {
        view.header
            .iter()
            .filter(|h| h.col <= ci && ci < h.col + h.colspan)
            // Not a blank cell, nor a 栏次 (a number).
            .filter(|h| !h.text.zh.trim().chars().all(|c| c.is_ascii_digit()))
            .max_by_key(|h| h.row + h.rowspan)
            .map(|h| normalize(&h.text.zh))
            .unwrap_or_default()
    };
    let mut columns: Vec<(ValueColumn, String)> = view
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == ColumnKind::Value)
        .map(|(ci, c)| {
            (
                ValueColumn {
                    panel: c.panel,
                    key: c.key.clone().unwrap_or_default(),
                    header: None,
                },
                leaf(ci),
            )
        })
        .collect();
    let mut texts: Vec<String> = columns.iter().map(|(_, t)| t.clone()).collect();
    // Longest first: a short text (`合计`) must not take a word that is a piece of a longer one.
    texts.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    texts.dedup();
    for t in texts.iter().filter(|t| !t.is_empty()) {
        let found = spell(t);
        let with: Vec<usize> = (0..columns.len()).filter(|&i| columns[i].1 == *t).collect();
        if found.len() == with.len() {
            for (i, x) in with.into_iter().zip(found) {
                columns[i].0.header = Some(x);
            }
        }
    }
    columns.into_iter().map(|(c, _)| c).collect()
}

/// A table whose amounts are being placed.
struct Placing {
    table: CheckTable,
    raws: Vec<ReadRow>,
    /// Candidate placements per row, once computed.
    cands: Vec<Option<Vec<Cells>>>,
    failures: Vec<Option<NoFit>>,
    /// The unit the table prints its amounts in.
    unit: AmountUnit,
}

/// The rows of a table decided so far, as a table to check others against. A table with
/// undecided rows is partial, so that nothing is concluded from its missing rows.
fn decided_table(p: &Placing) -> CheckTable {
    let mut t = p.table.clone();
    t.rows.clear();
    let mut partial = false;
    for ((raw, row, _), c) in p.raws.iter().zip(&p.cands) {
        match c.as_deref() {
            // A row with no amounts is not printed: absent, hence zero.
            Some([one]) if one.is_empty() => {}
            Some([one]) => {
                let mut row = row.clone();
                row.cells = one.clone();
                if raw.repeat {
                    t.repeats.push(row);
                } else {
                    t.rows.push(row);
                }
            }
            // A repeat that cannot be placed leaves the rows that are checked whole.
            _ if raw.repeat => {}
            _ => partial = true,
        }
    }
    t.partial |= partial;
    t
}

/// Amounts that belong to no row: the table is partial and each line is reported. Zeros that
/// belong to no row cannot hide a difference and are let go.
fn stray_amounts(
    doc: &Document,
    id: &TableId,
    stray: Vec<Stray>,
    table: &mut CheckTable,
    unread: &mut Vec<Unread>,
) {
    for (amounts, line, unsure) in stray
        .into_iter()
        .filter(|(a, _, unsure)| *unsure || a.iter().any(|p| p.hundredths() != 0))
    {
        let n = amounts.len() + usize::from(unsure);
        table.partial = true;
        unread.push(Unread {
            kind: UnreadKind::Unparsed,
            table: id.clone(),
            row: None,
            line,
            raw: raw_line(doc, line),
            why: Text::new(
                format!("{n} 个金额不属于任何可识别的行"),
                format!("{n} amounts belong to no row that could be read"),
            ),
        });
    }
}

fn raw_line(doc: &Document, l: u32) -> String {
    doc.lines
        .get(l.saturating_sub(1) as usize)
        .cloned()
        .unwrap_or_default()
}

fn line_row(panel: usize, x: &juesuan_core::views::Row, source: u32) -> CheckRow {
    CheckRow {
        line: x.line,
        code: x.code.clone(),
        label: x.label.clone(),
        kind: x.kind,
        panel,
        cells: Vec::new(),
        uncertain: false,
        source_line: Some(source),
    }
}

/// Whether a function panel prints its rows' codes (a code column, or 类/款/项 columns).
fn is_coded_function(p: &PanelLayout) -> bool {
    match p {
        PanelLayout::Function {
            columns, numbered, ..
        } => {
            !*numbered
                || columns.iter().any(|c| {
                    matches!(
                        c.kind,
                        ColumnKind::Code | ColumnKind::Lei | ColumnKind::Kuan | ColumnKind::Xiang
                    )
                })
        }
        _ => false,
    }
}

/// The rows a panel of numbered classes printed by name may print: every 类 of the function
/// catalog under every number up to the catalog's count of classes (`一、一般公共服务支出`,
/// `二、…`), each the row of its code, so that such a panel is read as fixed lines.
fn named_classes(
    tl: &juesuan_core::layout::TableLayout,
    catalog: &Catalog,
) -> Vec<(usize, juesuan_core::views::Row)> {
    use juesuan_core::catalog::{Classification, Level};
    let classes: Vec<_> = catalog
        .entries(Classification::Function)
        .filter(|e| e.level == Level::Lei)
        .collect();
    let mut out = Vec::new();
    for (p, panel) in tl.panels.iter().enumerate() {
        let PanelLayout::Function { columns, .. } = panel else {
            continue;
        };
        if is_coded_function(panel) {
            continue;
        }
        let values = columns
            .iter()
            .filter(|c| c.kind == ColumnKind::Value)
            .count();
        for n in 1..=u32::try_from(classes.len()).unwrap_or(u32::MAX) {
            for e in &classes {
                out.push((
                    p,
                    juesuan_core::views::Row {
                        kind: RowKind::Lei,
                        line: None,
                        code: Some(e.code.clone()),
                        label: Text::zh(format!(
                            "{}、{}",
                            juesuan_core::text::cn_numeral(n),
                            e.name
                        )),
                        values: vec![None; values],
                        printed_line: None,
                        part_of: None,
                        repeat: false,
                    },
                ));
            }
        }
    }
    out
}

/// The economic panel that prints `code`: the one listing it or its 类, else the `rest` one.
fn economic_panel(tl: &juesuan_core::layout::TableLayout, code: &str) -> Option<usize> {
    let listed = tl.panels.iter().position(|p| match p {
        PanelLayout::Economic { rows, .. } => rows
            .iter()
            .any(|r| r == code || (code.len() > 3 && *r == code[..3])),
        _ => false,
    });
    listed.or_else(|| {
        tl.panels
            .iter()
            .position(|p| matches!(p, PanelLayout::Economic { rest: true, .. }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_runs_are_not_labels() {
        let header: Vec<String> = ["科目代码", "科目名称", "决算数", "人员经费"]
            .map(String::from)
            .to_vec();
        assert!(made_of("人员经费科目代码科目名称决算数", &header));
        assert!(!made_of("人员经费工资", &header));
        // The first row's label after the header is trusted; a word before the code that is
        // not the header's still is not.
        let rows = |s: &str| code_rows(&crate::text::tokens(s, 1), &[], &header, false).0;
        let r = rows("科目代码 科目名称 决算数 301 工资福利支出 995.35");
        assert_eq!(
            (r[0].label.as_str(), r[0].label_elsewhere),
            ("工资福利支出", false)
        );
    }

    /// Read from a scan: a figure not read with certainty, words or a number among a row's
    /// figures make the row unsure; the amounts of a row whose code was lost are stray, not
    /// the row above's.
    #[test]
    fn recognised_rows_fail_closed() {
        let lines = |l: &[&str]| -> Vec<Token> {
            l.iter()
                .enumerate()
                .flat_map(|(i, s)| crate::text::tokens(s, i as u32 + 1))
                .collect()
        };
        let (r, stray) = code_rows(
            &lines(&[
                "208 社会保障和就业支出 754.75 \u{FFFD}",
                "20805 行政事业单位养老支出 754.75 尘 754.75",
                "2080501 行政单位离退休 54.53 53",
                "2080505 机关事业单位基本养老保险缴费 446.11 446.11",
                "的加 城乡社区支出 3832.36 3832.36",
            ]),
            &[],
            &[],
            true,
        );
        let unsure: Vec<bool> = r.iter().map(|r| r.unsure).collect();
        assert_eq!(unsure, [true, true, true, false]);
        assert_eq!(r[3].amounts.len(), 2);
        assert_eq!(stray.len(), 1);
        assert_eq!((stray[0].0.len(), stray[0].1), (2, 5));
        // Text read from a PDF's text layer is read as before.
        let (r, _) = code_rows(
            &lines(&[
                "2080505 机关事业单位基本养老保险缴费 446.11",
                "费支出 446.11",
            ]),
            &[],
            &[],
            false,
        );
        assert_eq!(r[0].amounts.len(), 2);
    }
}
