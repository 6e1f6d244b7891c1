//! Whether a published report is whole: every table of its layout printed, every part its 目录
//! promises present, an empty table saying so and a table with figures not saying it is empty
//! (rules D001–D004, emitted here as the audit reads the document).
//!
//! The words are data (the lexicon's `[document]`: the 目录 heading, what an empty table's note
//! says); the tables are the layout's, by their titles. What cannot be told with certainty is
//! not reported: a 目录 entry is looked for anywhere in the body, numbering aside.

use crate::claims::lexicon::Lexicon;
use crate::text::{self, Document};
use crate::whole::Read;
use juesuan_core::kind::{NarrativeDef, SectionDef};
use juesuan_core::rules::Finding;
use juesuan_core::rules::finding::TableRef;
use juesuan_core::text::Text;

/// One entry of the 目录: its line and its text without leaders and page numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line.
    pub line: u32,
    /// As printed, leaders and page number removed.
    pub text: String,
    /// Normalized, its numbering (`第二部分`, `一、`, `（三）`, `1.`) removed.
    pub key: String,
}

/// The 目录 of a document: its entries and the line after its last.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Toc {
    /// Entries in order.
    pub entries: Vec<Entry>,
    /// The first line of the body.
    pub body: u32,
}

/// `text` without its leaders (`······`, `……`, `...`) and trailing page number.
fn without_leaders(s: &str) -> String {
    let t = s.trim_end();
    let t = t.trim_end_matches(|c: char| c.is_ascii_digit() || text::is_separator(c));
    t.trim_end_matches(['·', '…', '.', '．', '•', '-', ' ', '\t'])
        .trim()
        .to_string()
}

/// A heading's words without its numbering: `第二部分 …` → `…`, `十、…` → `…`, `（一）…`,
/// `1.…`.
/// The numbered headings of a document's body (from line `body`: a line whose numbering comes
/// off, short enough to be one), and where the narrative stands among them: from its last
/// beginning heading to the first ending one after it.
pub(crate) struct Headings {
    /// (line, normalised text) of each heading.
    pub lines: Vec<(u32, String)>,
    /// The line of the narrative's beginning heading.
    pub begin: Option<u32>,
    /// The line of its ending heading (`u32::MAX` where none follows).
    pub end: u32,
}

/// The [`Headings`] of `doc` from line `body`, with `narrative`'s bounds.
pub(crate) fn headings(doc: &Document, body: u32, narrative: &NarrativeDef) -> Headings {
    let lines: Vec<(u32, String)> = (body..=doc.lines.len() as u32)
        .filter_map(|l| {
            let n = text::normalize(&doc.lines[l as usize - 1]);
            let bare = unnumbered(&n);
            (bare.len() < n.len() && bare.chars().count() <= 40).then_some((l, n))
        })
        .collect();
    let starts = |n: &str, words: &[String]| words.iter().any(|w| n.starts_with(w.as_str()));
    let begin = lines
        .iter()
        .filter(|(_, n)| starts(n, &narrative.begins))
        .map(|(l, _)| *l)
        .next_back();
    let end = lines
        .iter()
        .find(|(l, n)| Some(*l) > begin && starts(n, &narrative.ends))
        .map_or(u32::MAX, |(l, _)| *l);
    Headings { lines, begin, end }
}

/// The words a part or section is found by: its title and aliases, normalised.
pub(crate) fn names(p: &SectionDef) -> Vec<String> {
    std::iter::once(text::normalize(&p.title.zh))
        .chain(p.aliases.iter().map(|a| text::normalize(a)))
        .collect()
}

pub(crate) fn unnumbered(n: &str) -> String {
    let n = n.trim();
    let numerals = "一二三四五六七八九十百零〇0123456789";
    if let Some(rest) = n.strip_prefix('第')
        && let Some(i) = rest.find('部')
        && rest[..i].chars().all(|c| numerals.contains(c))
    {
        return rest[i..].trim_start_matches("部分").to_string();
    }
    let rest = n.trim_start_matches(['(', '（']);
    let digits = rest
        .char_indices()
        .find(|(_, c)| !numerals.contains(*c))
        .map_or(rest.len(), |(i, _)| i);
    if digits > 0 {
        let after = &rest[digits..];
        for mark in [")", "）", "、", ".", "．"] {
            if let Some(r) = after.strip_prefix(mark) {
                return r.to_string();
            }
        }
    }
    n.to_string()
}

/// The 目录 of `doc`, when it has one among its first lines.
pub fn toc(doc: &Document, lex: &Lexicon) -> Option<Toc> {
    let heads = lex.document_words("toc");
    let start = doc
        .lines
        .iter()
        .take(120)
        .position(|l| heads.contains(&text::normalize(l)))?;
    let mut entries: Vec<Entry> = Vec::new();
    let mut body = None;
    for (i, l) in doc.lines.iter().enumerate().skip(start + 1).take(200) {
        if l.trim().is_empty() || text::is_page_marker(l) {
            continue;
        }
        let printed = without_leaders(l);
        let key = unnumbered(&text::normalize(&printed));
        // The body begins where the first entry is printed again.
        if entries
            .first()
            .is_some_and(|e| e.key == key && !key.is_empty())
        {
            body = Some(i as u32 + 1);
            break;
        }
        if key.chars().count() < 2 {
            // A wrapped entry's last characters (`表`): part of the one before.
            if let Some(e) = entries.last_mut() {
                e.text.push_str(&printed);
                e.key.push_str(&key);
            }
            continue;
        }
        entries.push(Entry {
            line: i as u32 + 1,
            text: printed,
            key,
        });
    }
    Some(Toc {
        entries,
        body: body?,
    })
}

/// What the note `line` beneath table `key` names of another table's subject (the kind's
/// `subject` words) while naming nothing of its own; `None` when the table has no subject words
/// or the note names its own.
fn other_subject(kind: &juesuan_core::kind::Kind, key: &str, line: &str) -> Option<String> {
    let note = text::normalize(line);
    let own = kind.tables.iter().find(|t| t.key.key() == key)?;
    if own.subject.is_empty() || own.subject.iter().any(|w| note.contains(w.as_str())) {
        return None;
    }
    kind.tables
        .iter()
        .filter(|t| t.key.key() != key)
        .flat_map(|t| &t.subject)
        .find(|w| note.contains(w.as_str()))
        .cloned()
}

/// The findings D001–D007 of a document read with a layout.
pub fn check(r: &Read) -> Vec<Finding> {
    let Read {
        doc,
        lex,
        layout,
        found,
        sheet,
        ..
    } = *r;
    let mut out = Vec::new();
    let toc = toc(doc, lex);
    let title_key = |t: &Text| unnumbered(&text::normalize(&t.zh));
    let promised = |t: &Text| {
        let k = title_key(t);
        toc.as_ref()
            .and_then(|toc| toc.entries.iter().find(|e| e.key == k))
    };
    let finding =
        |id: &str, table: TableRef, line: Option<u32>, why: Text| r.finding(id, table, line, why);
    // D001: every table of the layout is printed.
    for t in &layout.tables {
        if found.iter().any(|(id, _)| *id == t.id) {
            continue;
        }
        let table = TableRef {
            key: t.id.key().to_string(),
            number: t.number.clone(),
            title: t.title.clone(),
        };
        let why = match promised(&t.title) {
            Some(_) => Text::new(
                "目录列出此表，正文中找不到",
                "the contents list it; the body does not print it",
            ),
            None => Text::new(
                "版式要求此表，目录与正文均未列出",
                "the layout has it; neither the contents nor the body print it",
            ),
        };
        out.extend(finding(
            "D001",
            table,
            promised(&t.title).map(|e| e.line),
            why,
        ));
    }
    // D002 / D003: an empty table says so; a table with figures does not.
    let mut starts: Vec<u32> = found.iter().map(|(_, l)| *l).collect();
    starts.sort_unstable();
    let empty_note = lex.document_words("empty_note");
    let empty_claim = lex.document_words("empty_claim");
    for (id, line) in found {
        let Some(t) = sheet.table(id.key()) else {
            continue;
        };
        let next = starts
            .iter()
            .find(|l| **l > *line)
            .copied()
            .unwrap_or(u32::MAX)
            .min(line + 80)
            .min(doc.lines.len() as u32 + 1);
        // The table ends at the next one, or just after its note (`注：…` and the lines that
        // follow it up to a page break or two lines on): what comes after is the narrative.
        let end = (*line..next)
            .find(|l| {
                let n = text::normalize(&doc.lines[*l as usize - 1]);
                n.starts_with("注:") || n.starts_with("注：")
            })
            .map_or(next, |note| {
                let mut end = note + 1;
                let mut lines = 0;
                while end < next && lines < 2 {
                    let t = &doc.lines[end as usize - 1];
                    if text::is_page_marker(t) {
                        break;
                    }
                    if !t.trim().is_empty() {
                        lines += 1;
                    }
                    end += 1;
                }
                end
            });
        let says = |words: &[String]| {
            (*line..end).find(|l| {
                let n = text::normalize(&doc.lines[*l as usize - 1]);
                words.iter().any(|w| n.contains(w.as_str()))
            })
        };
        // Figures printed in the table's lines, read or not (a row whose amounts could not be
        // placed still has them; a table printed twice has them in its second printing).
        let has_figures = t
            .rows
            .iter()
            .flat_map(|r| r.cells.iter())
            .any(|(_, f)| f.nominal() != 0)
            || (*line..end).any(|l| {
                text::tokens(&doc.lines[l as usize - 1], l)
                    .iter()
                    .any(|k| matches!(&k.tok, text::Tok::Amount(p) if p.hundredths() != 0))
            });
        let table = TableRef::of(t);
        // D007: an empty table's note speaks of what the table holds, not of another table's
        // subject (a note copied from the table before it).
        if !has_figures
            && let Some(l) = says(empty_note)
            && let Some(other) = other_subject(r.kind, id.key(), &doc.lines[l as usize - 1])
        {
            out.extend(finding(
                "D007",
                table.clone(),
                Some(l),
                Text::new(
                    format!("空表的说明写的是“{other}”，不是本表的内容"),
                    format!(
                        "the empty table's note speaks of {other}, not of what this table holds"
                    ),
                ),
            ));
        }
        if !has_figures && !t.partial && says(empty_note).is_none() {
            out.extend(finding(
                "D002",
                table,
                Some(*line),
                Text::new(
                    "表中没有数字，也没有说明",
                    "the table has no figure and no note saying why",
                ),
            ));
        } else if has_figures && let Some(l) = says(empty_claim) {
            out.extend(finding(
                "D003",
                table,
                Some(l),
                Text::new(
                    "表中有数字，却说明本表无数据",
                    "the table has figures but its note says it has none",
                ),
            ));
        }
    }
    let missing = required_parts(r, toc.as_ref(), &mut out);
    // D004: every part the 目录 lists is in the body.
    if let Some(toc) = &toc {
        let body: String = doc.lines[toc.body as usize - 1..]
            .iter()
            .map(|l| text::normalize(l))
            .collect();
        let body_lines: Vec<(u32, String)> = (toc.body..=doc.lines.len() as u32)
            .map(|l| (l, text::normalize(&doc.lines[l as usize - 1])))
            .collect();
        for e in &toc.entries {
            let is_table = layout.tables.iter().any(|t| title_key(&t.title) == e.key);
            // A required part that is missing is D006's, which says the 目录 lists it.
            let required = missing
                .iter()
                .any(|words| words.iter().any(|w| e.key.contains(w.as_str())));
            if is_table || required || body.contains(e.key.as_str()) {
                continue;
            }
            // A heading of the same number whose words differ: the 目录 and the body disagree
            // on its title (D005), rather than the part being missing.
            let n = text::normalize(&e.text);
            let number = &n[..n.len() - e.key.len().min(n.len())];
            let heading = (!number.is_empty())
                .then(|| {
                    body_lines
                        .iter()
                        .filter(|(_, b)| b.starts_with(number) && b.len() > number.len())
                        .map(|(l, b)| (*l, similarity(&e.key, &unnumbered(b))))
                        .filter(|(_, s)| *s >= 60)
                        .max_by_key(|(_, s)| *s)
                })
                .flatten();
            if let Some((l, _)) = heading {
                let printed = doc.lines[l as usize - 1].trim().to_string();
                out.extend(finding(
                    "D005",
                    TableRef {
                        key: "contents".into(),
                        number: None,
                        title: Text::new("目录", "contents"),
                    },
                    Some(l),
                    Text::new(
                        format!("目录作“{}”，正文标题作“{printed}”", e.text),
                        format!("the contents say “{}”, the heading “{printed}”", e.text),
                    ),
                ));
                continue;
            }
            out.extend(finding(
                "D004",
                TableRef {
                    key: "contents".into(),
                    number: None,
                    title: Text::new("目录", "contents"),
                },
                Some(e.line),
                Text::new(
                    format!("目录列出“{}”，正文中找不到", e.text),
                    format!("the contents list “{}”; the body does not have it", e.text),
                ),
            ));
        }
    }
    out
}

/// D006: every part the layout requires besides the tables — the narrative's sections (found
/// by a numbered heading between the narrative's first and last lines), the kind's other parts
/// (found by a numbered heading anywhere in the body), the 绩效自评 forms (found by the forms
/// reader).
fn required_parts(r: &Read, toc: Option<&Toc>, out: &mut Vec<Finding>) -> Vec<Vec<String>> {
    let requires = &r.layout.requires;
    let doc = r.doc;
    // A heading recognised from a scan may be misread: a part is not called missing from it.
    if text::recognised_lines(doc).iter().any(|r| *r) {
        return Vec::new();
    }
    let body = toc.map_or(1, |t| t.body);
    let narrative = &r.kind.narrative;
    let Headings {
        lines: headings,
        begin,
        end,
    } = headings(doc, body, narrative);
    let mut missing: Vec<(&Text, Vec<String>)> = Vec::new();
    // The section each heading names, looked up once (each required section is sought among
    // them all).
    let sections: Vec<(u32, Option<&str>)> = headings
        .iter()
        .map(|(l, n)| (*l, narrative.section_of(n).map(|s| s.key.as_str())))
        .collect();
    // A document of the tables alone (a workbook, a page of the tables: no 目录, no narrative
    // heading) is not the whole report: its other parts are published elsewhere.
    let any_section = sections
        .iter()
        .any(|(l, s)| *l > r.tables_end && s.is_some());
    if toc.is_none() && begin.is_none() && !any_section {
        return Vec::new();
    }
    // A report without its narrative misses it once, not section by section.
    let whole = Text::new("情况说明", "the narrative");
    let begin = match begin {
        Some(b) => b,
        None if !requires.sections.is_empty() && !narrative.begins.is_empty() => {
            missing.push((&whole, narrative.begins.clone()));
            u32::MAX
        }
        None => body,
    };
    for key in requires.sections.iter().filter(|_| begin != u32::MAX) {
        let Some(def) = narrative.sections.iter().find(|s| s.key == *key) else {
            continue;
        };
        let found = sections
            .iter()
            .any(|(l, s)| *l > begin && *l < end && *s == Some(key.as_str()));
        if !found {
            missing.push((&def.title, names(def)));
        }
    }
    for key in &requires.parts {
        let Some(def) = r.kind.parts.iter().find(|s| s.key == *key) else {
            continue;
        };
        let words = names(def);
        if !headings
            .iter()
            .any(|(_, n)| words.iter().any(|w| n.contains(w.as_str())))
        {
            missing.push((&def.title, words));
        }
    }
    let forms = Text::new("绩效自评表", "performance self-evaluation forms");
    if requires.forms && !r.forms {
        missing.push((&forms, Vec::new()));
    }
    for (title, words) in &missing {
        let listed = toc.and_then(|t| {
            t.entries
                .iter()
                .find(|e| words.iter().any(|w| e.key.contains(w.as_str())))
        });
        let why = match listed {
            Some(e) => Text::new(
                format!("目录列出“{}”，正文中找不到其标题", e.text),
                format!(
                    "the contents list “{}”; the body prints no heading of it",
                    e.text
                ),
            ),
            None => Text::new(
                format!("版式要求有“{}”，正文中找不到其标题", title.zh),
                format!(
                    "the layout requires “{}”; no heading of it is printed",
                    title.en
                ),
            ),
        };
        let table = TableRef {
            key: "parts".into(),
            number: None,
            title: Text::new(
                format!("说明部分：{}", title.zh),
                format!("part: {}", title.en),
            ),
        };
        out.extend(r.finding("D006", table, listed.map(|e| e.line), why));
    }
    missing.into_iter().map(|(_, w)| w).collect()
}

/// How much of `a` and `b` is the same, in percent: the characters they share (with their
/// counts) over the shorter's length (a heading that leaves out the department's name is the
/// same heading).
fn similarity(a: &str, b: &str) -> usize {
    let mut rest: Vec<char> = b.chars().collect();
    let mut shared = 0;
    for c in a.chars() {
        if let Some(i) = rest.iter().position(|x| *x == c) {
            rest.swap_remove(i);
            shared += 1;
        }
    }
    let shortest = a.chars().count().min(b.chars().count()).max(1);
    shared * 100 / shortest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_without_numbering_and_leaders() {
        assert_eq!(
            without_leaders("一、收入支出决算总表 ······\t7"),
            "一、收入支出决算总表"
        );
        assert_eq!(
            unnumbered("第二部分上海市某局2024年度部门决算"),
            "上海市某局2024年度部门决算"
        );
        assert_eq!(unnumbered("十、预算绩效管理情况"), "预算绩效管理情况");
        assert_eq!(unnumbered("(一)一般公共预算"), "一般公共预算");
        assert_eq!(unnumbered("1.执行率情况。"), "执行率情况。");
        assert_eq!(unnumbered("2023年度决算"), "2023年度决算");
    }
}
