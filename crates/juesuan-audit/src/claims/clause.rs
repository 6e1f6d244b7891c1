//! A narrative cut as a reader reads it: paragraphs (from one numbered line to the next,
//! joined across line and page breaks), sentences (to `。`), clauses (at `，；：、` and before
//! `（其中`), and the numbers each clause states with their units.

use super::lexicon::{Lexicon, UnitWord};
use crate::text::{Document, is_page_marker, normalize};
use juesuan_core::kind::NarrativeDef;
use juesuan_core::rules::sheet::{NumUnit, Number, Stated};

/// A paragraph: its text without whitespace (full-width parentheses), the line each byte came
/// from, and the section of the narrative it stands in.
pub struct Paragraph {
    /// The text.
    pub text: String,
    lines: Vec<(usize, u32)>,
    /// The key of the section its latest heading names.
    pub section: Option<String>,
    /// The level of the list mark it starts with: 1 `一、`, 2 `（一）`, 3 `1.`, 4 `（1）`,
    /// 5 `①`; 0 without one.
    pub level: u8,
}

impl Paragraph {
    /// Where each document line begins in the text (byte) and its 1-based number.
    pub fn lines(&self) -> &[(usize, u32)] {
        &self.lines
    }

    /// The document line of byte `byte`.
    pub fn line_at(&self, byte: usize) -> u32 {
        self.lines
            .iter()
            .rev()
            .find(|(b, _)| *b <= byte)
            .map_or(0, |(_, l)| *l)
    }
}

const HAN_NUM: &str = "一二三四五六七八九十";
const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";

/// The length in bytes of the list mark `n` starts with (`一、`, `（一）`, `1、`, `1.`, `(1)`,
/// `①`, `第三部分`), if it starts with one.
pub fn list_mark(n: &str) -> Option<usize> {
    let first = n.chars().next()?;
    if CIRCLED.contains(first) {
        return Some(first.len_utf8());
    }
    let han = |c: char| HAN_NUM.contains(c);
    if han(first) {
        let len: usize = n.chars().take_while(|c| han(*c)).map(char::len_utf8).sum();
        return n[len..].starts_with('、').then_some(len + '、'.len_utf8());
    }
    if first == '(' || first == '（' {
        let inner: String = n
            .chars()
            .skip(1)
            .take_while(|c| *c != ')' && *c != '）')
            .collect();
        let ok = !inner.is_empty()
            && inner.chars().count() <= 3
            && inner.chars().all(|c| han(c) || c.is_ascii_digit());
        if !ok {
            return None;
        }
        let len = first.len_utf8() + inner.len();
        let close = n[len..].chars().next()?;
        return Some(len + close.len_utf8());
    }
    if first.is_ascii_digit() {
        let len = n.bytes().take_while(u8::is_ascii_digit).count();
        if len > 2 {
            return None;
        }
        let next = n[len..].chars().next()?;
        // `1.` but not `1.5万元`.
        let after = n[len + next.len_utf8()..].chars().next();
        return match next {
            '、' | '．' => Some(len + next.len_utf8()),
            '.' if !after.is_some_and(|c| c.is_ascii_digit()) => Some(len + 1),
            _ => None,
        };
    }
    if n.starts_with('第') && n.contains("部分") {
        return Some(0);
    }
    None
}

/// The level of the list mark `n` starts with (see [`Paragraph::level`]).
fn level(n: &str) -> u8 {
    let first = n.chars().next().unwrap_or(' ');
    let second = n.chars().nth(1).unwrap_or(' ');
    match first {
        c if CIRCLED.contains(c) => 5,
        c if HAN_NUM.contains(c) => 1,
        '(' | '（' if HAN_NUM.contains(second) => 2,
        '(' | '（' => 4,
        _ => 3,
    }
}

/// The narrative's paragraphs, where the kind says it stands (`begins`, after the tables, to
/// `ends` or the end; where the kind says it may stand before the tables, every stretch a
/// heading begins, up to a line that ends it or a table's title, `titles`), each with its
/// section.
pub fn paragraphs(
    doc: &Document,
    after: usize,
    titles: &[usize],
    def: &NarrativeDef,
) -> Vec<Paragraph> {
    let starts = |i: usize, marks: &[String]| {
        let n = normalize(&doc.lines[i]);
        marks.iter().any(|m| n.starts_with(m.as_str()))
    };
    if !def.before_tables {
        let Some(start) = (after..doc.lines.len()).find(|&i| starts(i, &def.begins)) else {
            return Vec::new();
        };
        let end = (start + 1..doc.lines.len())
            .find(|&i| starts(i, &def.ends))
            .unwrap_or(doc.lines.len());
        return stretch(doc, start..end, def);
    }
    // A heading that begins the narrative: its numbering (`四、`) and year (`2025年`) left
    // out; an entry of the contents (leader dots) is none.
    // A heading line without its numbering (`四、`) and year (`2025年`); an entry of the
    // contents (leader dots, or among the first lines of a contents page) is none.
    let bare = |i: usize| -> Option<String> {
        let n = normalize(&doc.lines[i]);
        if n.contains('…') || n.contains("....") || n.contains(['，', '。', '；']) {
            return None;
        }
        let bare = crate::complete::unnumbered(&n);
        let digits = bare.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
        // `2018年度部门预算情况说明` as well as `2025年部门预算编制说明`.
        let year = &bare[digits..];
        Some(
            match year
                .strip_prefix("年度")
                .or_else(|| year.strip_prefix('年'))
            {
                Some(rest) if digits == 4 => rest.to_string(),
                _ => bare,
            },
        )
    };
    let heading =
        |i: usize| bare(i).is_some_and(|b| def.begins.iter().any(|m| b.starts_with(m.as_str())));
    // A line that ends it: one starting with an `ends` mark, or a heading ending with one
    // (`科技创新专项经费情况说明` for `经费情况说明`).
    let ends = |j: usize| {
        starts(j, &def.ends)
            || bare(j).is_some_and(|b| {
                b.chars().count() <= 40
                    && def
                        .ends
                        .iter()
                        .any(|m| b.starts_with(m.as_str()) || b.ends_with(m.as_str()))
            })
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.lines.len() {
        if !heading(i) {
            i += 1;
            continue;
        }
        let end = (i + 1..doc.lines.len())
            .find(|&j| titles.contains(&j) || heading(j) || ends(j))
            .unwrap_or(doc.lines.len());
        out.extend(stretch(doc, i..end, def));
        i = end;
    }
    out
}

/// The paragraphs of the lines `range` of the narrative.
fn stretch(doc: &Document, range: std::ops::Range<usize>, def: &NarrativeDef) -> Vec<Paragraph> {
    let (start, end) = (range.start, range.end);
    let mut out: Vec<Paragraph> = Vec::new();
    let mut section: Option<String> = None;
    for i in start..end {
        let line = &doc.lines[i];
        if is_page_marker(line) || line.trim().is_empty() {
            continue;
        }
        let n: String = normalize(line)
            .replace('\u{3000}', "")
            .replace('(', "（")
            .replace(')', "）");
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mark = list_mark(&n);
        if mark.is_some() || out.is_empty() {
            let level = if mark.is_some_and(|m| m > 0) {
                level(&n)
            } else {
                0
            };
            // A heading (`四、`, `（二）`, or an unnumbered first paragraph) opens a section;
            // an item of a list (`1．财政拨款收入…`) stays in its heading's.
            if level <= 2
                && let Some(s) = def.section_of(&n)
            {
                section = Some(s.key.clone());
            }
            out.push(Paragraph {
                text: String::new(),
                lines: Vec::new(),
                section: section.clone(),
                level,
            });
        }
        let p = out.last_mut().expect("a paragraph");
        p.lines.push((p.text.len(), no));
        p.text.push_str(&n);
    }
    out
}

/// A clause of a paragraph: its byte range, and whether it ends its sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clause {
    /// Start byte in the paragraph.
    pub start: usize,
    /// End byte (the delimiter excluded).
    pub end: usize,
    /// The sentence ends after it (`。`, `！`, `？`, or the paragraph's end).
    pub last_of_sentence: bool,
}

/// The clauses of `text`: split at `，,；;：:、。！？` and before `（其中`; the list mark a
/// paragraph starts with is left out.
pub fn clauses(lex: &Lexicon, text: &str) -> Vec<Clause> {
    let begin = list_mark(text).unwrap_or(0);
    let mut out = Vec::new();
    let mut start = begin;
    for (i, c) in text.char_indices() {
        if i < begin {
            continue;
        }
        let sentence = matches!(c, '。' | '！' | '？');
        // A comma between digits is a thousands separator.
        let digits_around = c == ','
            && text[..i]
                .chars()
                .next_back()
                .is_some_and(|p| p.is_ascii_digit())
            && text[i + 1..]
                .chars()
                .next()
                .is_some_and(|n| n.is_ascii_digit());
        // `、` separates the items of a list of amounts (`货物 4.79 万元、工程 0 万元`), not
        // the words of a name (`收、支总计`, `基本工资、津贴补贴`).
        let list_item = c == '、'
            && lex
                .units
                .iter()
                .any(|(w, _)| text[start..i].ends_with(w.as_str()));
        let split = sentence
            || list_item
            || (matches!(c, '，' | '；' | ';' | '：' | ':' | ',') && !digits_around)
            || (c == '（' && text[i + c.len_utf8()..].starts_with("其中"));
        if split {
            if i > start {
                out.push(Clause {
                    start,
                    end: i,
                    last_of_sentence: sentence,
                });
            } else if sentence && let Some(last) = out.last_mut() {
                last.last_of_sentence = true;
            }
            start = i + c.len_utf8();
        }
    }
    if text.len() > start {
        out.push(Clause {
            start,
            end: text.len(),
            last_of_sentence: true,
        });
    } else if let Some(last) = out.last_mut() {
        last.last_of_sentence = true;
    }
    out
}

/// A number a clause states, with its unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Start byte in the paragraph.
    pub start: usize,
    /// End byte (after the unit).
    pub end: usize,
    /// The number and its unit.
    pub number: Number,
}

/// What follows a number that makes it no figure of the report: a year, a date, an ordinal.
const NOT_FIGURES: &[&str] = &["年", "月", "日", "号", "时", "岁", "周"];

/// The numbers of `text[start..end]` with a unit of the lexicon; years, dates and numbers
/// without a unit are left out.
pub fn numbers(lex: &Lexicon, text: &str, start: usize, end: usize) -> Vec<Found> {
    let mut out = Vec::new();
    let s = &text[start..end];
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // Not the middle of a word such as `A1`.
        let mut j = i;
        while j < bytes.len() && (bytes[j].is_ascii_digit() || bytes[j] == b'.' || bytes[j] == b',')
        {
            j += 1;
        }
        // Trailing separators belong to the sentence.
        while j > i && (bytes[j - 1] == b'.' || bytes[j - 1] == b',') {
            j -= 1;
        }
        let raw = &s[i..j];
        let rest = &s[j..];
        let prev_is_letter = s[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphabetic());
        if prev_is_letter || NOT_FIGURES.iter().any(|w| rest.starts_with(w)) {
            i = j.max(i + 1);
            continue;
        }
        let unit = lex.units.iter().find(|(w, _)| rest.starts_with(w.as_str()));
        if let (Some((word, unit)), Some(stated)) = (unit, Stated::parse(raw)) {
            let unit = match unit {
                UnitWord::Money(per) => NumUnit::Money(word.clone(), *per),
                UnitWord::Count => NumUnit::Count(word.clone()),
                UnitWord::Percent => NumUnit::Percent,
                UnitWord::Score => NumUnit::Score,
            };
            out.push(Found {
                start: start + i,
                end: start + j + word.len(),
                number: Number { stated, unit },
            });
            i = j + word.len();
        } else {
            i = j.max(i + 1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_marks() {
        assert_eq!(
            list_mark("一、收入支出决算总体情况说明"),
            Some("一、".len())
        );
        assert_eq!(
            list_mark("（三）绩效评价结果应用情况"),
            Some("（三）".len())
        );
        assert_eq!(list_mark("12、住房保障支出"), Some("12、".len()));
        assert_eq!(list_mark("(1)公务用车购置费"), Some(3));
        assert_eq!(list_mark("1.一般公共服务"), Some(2));
        assert_eq!(list_mark("①购置费"), Some('①'.len_utf8()));
        assert_eq!(list_mark("1.5万元"), None);
        assert_eq!(list_mark("2023年度收入合计"), None);
    }

    #[test]
    fn clauses_split_at_punctuation_not_in_numbers() {
        let assets = juesuan_input::assets::Assets::builtin().unwrap();
        let lex = Lexicon::new(&assets.final_accounts().unwrap().lexicons).unwrap();
        let t = "1.收入合计1,234.56万元，其中：财政拨款收入1,000.00万元、收、支总计2个（其中，优4个）。完";
        let parts: Vec<&str> = clauses(&lex, t)
            .iter()
            .map(|c| &t[c.start..c.end])
            .collect();
        assert_eq!(
            parts,
            [
                "收入合计1,234.56万元",
                "其中",
                "财政拨款收入1,000.00万元",
                "收、支总计2个",
                "其中",
                "优4个）",
                "完"
            ]
        );
        assert!(clauses(&lex, t)[5].last_of_sentence);
    }

    /// A budget's narrative headed `第三部分 2018 年度部门预算情况说明` (the year written with
    /// 年度, spaced as a PDF prints it) is read, its contents entry is not; an item of a list
    /// that names another section's words (`1．财政拨款收入…`) stays in its heading's section,
    /// while a heading (`五、财政拨款支出预算情况说明`) opens the section it names.
    #[test]
    fn a_narrative_headed_with_its_year_and_items_that_stay_in_their_section() {
        let assets = juesuan_input::assets::Assets::builtin().unwrap();
        let def = &assets.bundle("budget").unwrap().kind.narrative;
        let lines = [
            "第三部分 2018 年度部门预算情况说明",
            "第四部分 名词解释",
            "公开 05 表：财政拨款支出预算表",
            "第三部分        2018 年度部门预算情况说明",
            "一、收支预算总体情况说明",
            "（一）收入预算总计 21,955.35 万元。包括：",
            "1．财政拨款收入预算总计 21,940.96 万元。",
            "（二）支出预算总计 21,955.35 万元。包括：",
            "1．公共安全（类）支出 16,458.75 万元。",
            "五、财政拨款支出预算情况说明",
            "1．行政运行（项）支出 10,883.36 万元。",
            "第四部分 名词解释",
        ];
        let doc = Document {
            name: "t".into(),
            lines: lines.iter().map(|l| (*l).to_string()).collect(),
            ..Document::default()
        };
        let read: Vec<(String, Option<String>)> = paragraphs(&doc, 0, &[2], def)
            .into_iter()
            .map(|p| (p.text, p.section))
            .collect();
        let section_of = |start: &str| {
            read.iter()
                .find(|(t, _)| t.starts_with(start))
                .unwrap_or_else(|| panic!("{start} not read: {read:?}"))
                .1
                .clone()
        };
        assert_eq!(section_of("1．公共安全").as_deref(), Some("overview"));
        assert_eq!(section_of("1．财政拨款收入").as_deref(), Some("overview"));
        assert_eq!(
            section_of("1．行政运行").as_deref(),
            Some("fiscal_expenditure")
        );
        // The contents' entry (before the tables' title) makes no paragraph of its own besides
        // its heading: nothing of the narrative is read from it.
        assert_eq!(
            read.iter().filter(|(t, _)| t.contains("21,955.35")).count(),
            2
        );
    }
}
