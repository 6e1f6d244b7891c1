//! A published report's wording (rules W001–W006): what a template leaves in (placeholders,
//! instructions), punctuation doubled or left unbalanced, a percentage printed without its %, a
//! passage printed twice.
//! Warnings and notes, never errors: the figures are the other rules'. Words are the lexicon's
//! `[document]`; one finding per line and rule, quoting the line.

use crate::text::{self, Document};
use crate::whole::Read;
use juesuan_core::rules::Finding;
use juesuan_core::rules::finding::TableRef;
use juesuan_core::text::Text;

fn here() -> TableRef {
    TableRef {
        key: "document".into(),
        number: None,
        title: Text::new("全文", "document"),
    }
}

/// W001–W006 of the document `r`.
pub fn check(r: &Read) -> Vec<Finding> {
    let mut out = Vec::new();
    residue(r, &mut out);
    brackets(r, &mut out);
    bare_rates(r, &mut out);
    repeated(r, &mut out);
    out
}

/// W006: a passage printed twice in a row — two or more long lines with a digit (a figure or
/// an item's number; each at least [`REPEATED_CHARS`] characters, spaces aside) followed at
/// once by the same lines again
/// (a list's items pasted twice across a page break), outside the tables. A passage restated in
/// another section, or a form's line that every form prints, is not one: something else stands
/// between. One finding per repetition, at its first line, naming where the passage began.
fn repeated(r: &Read, out: &mut Vec<Finding>) {
    let doc = r.doc;
    let first_table = r.found.iter().map(|(_, l)| *l).min().unwrap_or(u32::MAX);
    let last = r.forms_from.unwrap_or(u32::MAX);
    let prose: Vec<(u32, String)> = doc
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i as u32 + 1, l))
        .filter(|(no, l)| {
            !(*no >= first_table && *no <= r.tables_end) && *no < last && !text::is_page_marker(l)
        })
        .map(|(no, l)| (no, text::normalize(l)))
        .filter(|(_, n)| {
            n.chars().count() >= REPEATED_CHARS && n.chars().any(|c| c.is_ascii_digit())
        })
        .collect();
    let same = |a: usize, b: usize, len: usize| (0..len).all(|k| prose[a + k].1 == prose[b + k].1);
    let mut i = 0;
    while i < prose.len() {
        // The longest passage ending just before line i that line i begins again.
        let run = (2..=i.min(prose.len() - i))
            .rev()
            .find(|&len| same(i - len, i, len));
        match run {
            Some(len) => {
                let (before, no) = (prose[i - len].0, prose[i].0);
                let line = doc.lines[no as usize - 1].trim();
                out.extend(r.finding(
                    "W006",
                    here(),
                    Some(no),
                    Text::new(
                        format!("此段与第 {before} 行起的一段相同，紧接其后再次印出：“{line}”"),
                        format!("this passage repeats the one from line {before}, printed again right after it: “{line}”"),
                    ),
                ));
                i += len;
            }
            None => i += 1,
        }
    }
}

/// How long a line must be to count as a passage of its own when it is printed again (a short
/// line — a heading, `合计`, a unit — may stand twice).
const REPEATED_CHARS: usize = 24;

/// Template residue (W001–W003): placeholders left in (`20XX`, `××局`, `待填写`, `【】`), a
/// template's instructions left in the text, the same punctuation mark twice. One finding per
/// line and rule, quoting the line.
fn residue(r: &Read, out: &mut Vec<Finding>) {
    let (doc, lex) = (r.doc, r.lex);
    let placeholders = lex.document_words("placeholder");
    let instructions = lex.document_words("instruction");
    let doubled = lex.document_words("doubled");
    for (i, l) in doc.lines.iter().enumerate() {
        if text::is_page_marker(l) {
            continue;
        }
        let n = text::normalize(l);
        let no = i as u32 + 1;
        // `XX` only where no other Latin letter touches it (`20XX年`, `XX局`, not `XXL`).
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
        let placeholder = placeholders.iter().find(|w| {
            n.match_indices(w.as_str()).any(|(at, w)| {
                !w.chars().all(|c| c.is_ascii_alphabetic())
                    || (!latin(n[..at].chars().next_back())
                        && !latin(n[at + w.len()..].chars().next()))
            })
        });
        if let Some(w) = placeholder {
            out.extend(r.finding(
                "W001",
                here(),
                Some(no),
                Text::new(
                    format!("占位符“{w}”未替换"),
                    format!("the placeholder “{w}” is left in"),
                ),
            ));
        }
        if let Some(w) = instructions.iter().find(|w| n.contains(w.as_str())) {
            out.extend(r.finding(
                "W002",
                here(),
                Some(no),
                Text::new(
                    format!("模板说明文字“{w}”未删除"),
                    format!("the template's instruction “{w}” is left in"),
                ),
            ));
        }
        if let Some(w) = doubled.iter().find(|w| n.contains(w.as_str())) {
            out.extend(r.finding(
                "W003",
                here(),
                Some(no),
                Text::new(
                    format!("标点“{w}”重复"),
                    format!("the punctuation “{w}” is doubled"),
                ),
            ));
        }
    }
}

/// The closing mark of each opening one: round brackets either width, quotes, title marks.
const PAIRS: [(char, char); 6] = [
    ('（', '）'),
    ('(', ')'),
    ('“', '”'),
    ('《', '》'),
    ('【', '】'),
    ('[', ']'),
];

/// Round brackets are one pair whatever their width (`（…)` is a typesetting choice).
fn bracket(c: char) -> char {
    match c {
        '（' => '(',
        '）' => ')',
        _ => c,
    }
}

/// W004: a bracket, a quotation mark or a title mark without its partner. Marks are paired
/// across lines (a sentence wraps); one left open for longer than a long sentence, or closed
/// without being opened, is reported at its line.
fn brackets(r: &Read, out: &mut Vec<Finding>) {
    let doc: &Document = r.doc;
    const REACH: usize = 150;
    // Open marks: (as paired, as printed, line, position in the text).
    let mut open: Vec<(char, char, u32, usize)> = Vec::new();
    // Unpaired marks: (line, as printed, whether it opens).
    let mut lone: Vec<(u32, char, bool)> = Vec::new();
    let mut n = 0usize;
    for (i, l) in doc.lines.iter().enumerate() {
        if text::is_page_marker(l) {
            continue;
        }
        let no = i as u32 + 1;
        for printed in l.chars() {
            n += 1;
            let c = bracket(printed);
            if PAIRS.iter().any(|(o, _)| bracket(*o) == c) {
                open.push((c, printed, no, n));
            } else if let Some((o, _)) = PAIRS.iter().find(|(_, cl)| bracket(*cl) == c) {
                let o = bracket(*o);
                match open.iter().rposition(|(x, ..)| *x == o) {
                    // What opened after the partner and is still open never closed.
                    Some(k) => {
                        lone.extend(open.drain(k..).skip(1).map(|(_, p, l, _)| (l, p, true)))
                    }
                    None => lone.push((no, printed, false)),
                }
            }
            while open.first().is_some_and(|(.., at)| n - at > REACH) {
                let (_, p, line, _) = open.remove(0);
                lone.push((line, p, true));
            }
        }
    }
    lone.extend(open.into_iter().map(|(_, p, line, _)| (line, p, true)));
    lone.sort_unstable();
    lone.dedup_by_key(|(line, ..)| *line);
    for (line, mark, opens) in lone {
        let why = if opens {
            Text::new(
                format!("标点 {mark} 没有对应的后半"),
                format!("the mark {mark} is opened and never closed"),
            )
        } else {
            Text::new(
                format!("标点 {mark} 没有对应的前半"),
                format!("the mark {mark} is closed without being opened"),
            )
        };
        out.extend(r.finding("W004", here(), Some(line), why));
    }
}

/// W005: a rate printed without its % (`增长 13.95。`): a number right after a rate word of the
/// lexicon (`增长`, `占…的`), bare — followed by punctuation or the end of the line, not by a
/// unit or another word. Only the narrative and the parts after it, never a table's or a
/// form's cells (a form's `正增长` is a target, not a rate).
fn bare_rates(r: &Read, out: &mut Vec<Finding>) {
    let words = r.lex.document_words("rate");
    let spans = r.lex.document_words("rate_of");
    let links = r.lex.document_words("rate_link");
    let negations = r.lex.document_words("rate_not");
    let doc = r.doc;
    let last = r.forms_from.unwrap_or(u32::MAX);
    // Where the kind's narrative may stand before the tables (a 部门预算's 编制说明), the lines
    // before the first table's title are read too.
    let first_table = r.found.iter().map(|(_, l)| *l).min().unwrap_or(0);
    let tables =
        |no: u32| no <= r.tables_end && (!r.kind.narrative.before_tables || no >= first_table);
    for (i, l) in doc.lines.iter().enumerate() {
        let no = i as u32 + 1;
        if tables(no) || no >= last || l.contains('\t') || text::is_page_marker(l) {
            continue;
        }
        // The line and the next one: a rate word at this line's end finds its number on the
        // next; a number running to the end of both is not known to be bare.
        let own = text::normalize(l);
        let mut n = own.clone();
        if let Some(next) = doc.lines.get(i + 1).filter(|x| !text::is_page_marker(x)) {
            n.push_str(&text::normalize(next));
        }
        let chars: Vec<char> = n.chars().collect();
        // The byte where each character starts (and the end): the text after a character is
        // a slice, not a copy (a line is searched at each of its characters).
        let offsets: Vec<usize> = n
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(n.len()))
            .collect();
        let from = |k: usize| &n[offsets[k]..];
        let found = (0..own.chars().count()).find_map(|at| {
            let rest = from(at);
            let after_word = words
                .iter()
                .find(|w| rest.starts_with(w.as_str()))
                .map(|w| at + w.chars().count())
                .or_else(|| {
                    // `占…的`: the span's first word, then its `的` within a short reach.
                    spans.iter().find(|w| rest.starts_with(w.as_str()))?;
                    (at + 1..(at + 24).min(chars.len()))
                        .find(|k| chars[*k] == '的')
                        .map(|k| k + 1)
                })?;
            let before = &n[offsets[at.saturating_sub(1)]..offsets[at]];
            if negations.iter().any(|w| w == before) {
                return None;
            }
            let mut k = after_word;
            if let Some(link) = links.iter().find(|w| from(k).starts_with(w.as_str())) {
                k += link.chars().count();
            }
            let start = k;
            while k < chars.len() && (chars[k].is_ascii_digit() || chars[k] == '.') {
                k += 1;
            }
            let number = n[offsets[start]..offsets[k]].to_string();
            let bare = chars
                .get(k)
                .is_some_and(|c| matches!(c, '，' | '。' | '；' | '、' | ',' | ';' | ')'));
            (!number.is_empty()
                && number.chars().next().is_some_and(|c| c.is_ascii_digit())
                && bare)
                .then_some(number)
        });
        if let Some(number) = found {
            out.extend(r.finding(
                "W005",
                here(),
                Some(no),
                Text::new(
                    format!("比率“{number}”没有百分号"),
                    format!("the rate “{number}” is printed without %"),
                ),
            ));
        }
    }
}
