//! Whether a published report is about one department and one year (rules I001–I004): the
//! department and the year its cover names are the ones its titles, its tables' header lines
//! and its narrative name.
//!
//! A title is a line with the kind's title words (`…2024年度部门决算…`, lexicon `[document]
//! title`); a table's header line is the layout's (`部门：… 2023年度`). Another year may stand
//! in the narrative only where the sentence compares or dates (`与2023年度相比`, `截至…`, a
//! plan, a date): a year is flagged only where it is the period of a figure (`2023年度收入…`)
//! and nothing before it makes it a comparison, or where a comparison is with a year other
//! than the last. Words are data; nothing is reported that cannot be told with certainty.

use crate::claims::lexicon::Lexicon;
use crate::text::{self, Document};
use crate::whole::Read;
use juesuan_core::rules::Finding;
use juesuan_core::rules::finding::TableRef;
use juesuan_core::text::Text;

/// The whole document as one normalized string, with the line of each of its characters: a
/// sentence wrapped over lines reads as one.
struct Joined {
    chars: Vec<char>,
    line: Vec<u32>,
}

impl Joined {
    fn of(doc: &Document) -> Joined {
        let mut chars = Vec::new();
        let mut line = Vec::new();
        for (i, l) in doc.lines.iter().enumerate() {
            if text::is_page_marker(l) {
                continue;
            }
            for c in text::normalize(l).chars() {
                chars.push(c);
                line.push(i as u32 + 1);
            }
            // A line break ends a word: `2023` at one line's end and `年` at the next's start
            // still read as one, but two numbers do not join.
            chars.push('\n');
            line.push(i as u32 + 1);
        }
        Joined { chars, line }
    }

    fn starts_with(&self, at: usize, word: &str) -> bool {
        let mut i = at;
        for w in word.chars() {
            // Quotes are printed “”, "" or not at all; a wrapped word has a break inside.
            while i < self.chars.len() && matches!(self.chars[i], '"' | '\n') && w != '"' {
                i += 1;
            }
            if self.chars.get(i) != Some(&w) {
                return false;
            }
            i += 1;
        }
        true
    }

    /// The end of a run of ASCII digits starting at `at`.
    fn digits_end(&self, at: usize) -> usize {
        let mut i = at;
        while i < self.chars.len() && self.chars[i].is_ascii_digit() {
            i += 1;
        }
        i
    }

    /// After `at`, past line breaks.
    fn skip_breaks(&self, mut at: usize) -> usize {
        while at < self.chars.len() && self.chars[at] == '\n' {
            at += 1;
        }
        at
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.chars[from..to]
            .iter()
            .filter(|c| **c != '\n')
            .collect()
    }
}

/// The year (the digits, however many) printed just before `at` (the `年` of `2024年度`), and
/// where they start. A line may break between the year and its 年, never inside the year (a page
/// number above a title is not part of it).
fn digits_before(j: &Joined, at: usize) -> Option<(String, usize)> {
    let mut end = at;
    while end > 0 && j.chars[end - 1] == '\n' {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && j.chars[start - 1].is_ascii_digit() {
        start -= 1;
    }
    (start < end).then(|| (j.text(start, end), start))
}

/// Whether the name a title or a header line prints is the cover's department: the same, one
/// the end of the other (`普陀区财政局`, `纳入上海市普陀区财政局`), or a short form made of the
/// name's own characters in order and ending as it ends (`区科经局` for
/// `武汉市洪山区科学技术和经济信息化局`). A long name that leaves part of the cover's out
/// (`上海市规划和自然资源局` for `上海市普陀区规划和自然资源局`) names another body.
pub fn same_department(printed: &str, cover: &str) -> bool {
    if printed.is_empty()
        || printed == cover
        || cover.ends_with(printed)
        || printed.ends_with(cover)
    {
        return true;
    }
    let short = printed.chars().count() <= 6;
    let mut rest = cover.chars();
    short
        && printed.chars().last() == cover.chars().last()
        && printed.chars().all(|c| rest.any(|x| x == c))
}

/// Findings I001–I004 of the document `r`, against the department and the year its cover
/// names.
pub fn check(r: &Read) -> Vec<Finding> {
    let (doc, lex, year, header_label) = (r.doc, r.lex, r.year, r.header_label);
    let mut out = Vec::new();
    let j = Joined::of(doc);
    let here = || TableRef {
        key: "document".into(),
        number: None,
        title: Text::new("全文", "document"),
    };
    let department = r.department.map(text::normalize);
    let mut flagged: Vec<(u32, &str)> = Vec::new();
    let mut report = |out: &mut Vec<Finding>, rule: &'static str, line: u32, why: Text| {
        if !flagged.contains(&(line, rule)) {
            flagged.push((line, rule));
            out.extend(r.finding(rule, here(), Some(line), why));
        }
    };
    // Titles: `{department}{year}年度部门决算…`.
    let titles = lex.document_words("title");
    let leads = lex.document_words("name_lead");
    for at in 0..j.chars.len() {
        let Some(title) = titles.iter().find(|w| j.starts_with(at, w)) else {
            continue;
        };
        // The title words begin with the year's 年 (`年度部门决算`): the digits before them
        // are the year.
        let _ = title;
        let line = j.line[at];
        let (digits, start) = digits_before(&j, at).unwrap_or_default();
        let start = if digits.is_empty() { at } else { start };
        match (digits.len(), year) {
            (0, _) => {}
            (4, Some(y)) if digits != y.to_string() => report(
                &mut out,
                "I002",
                line,
                Text::new(
                    format!("标题作“{digits}年度”，封面为 {y} 年度"),
                    format!("the title says {digits}; the cover says {y}"),
                ),
            ),
            (4, _) => {}
            _ => report(
                &mut out,
                "I003",
                line,
                Text::new(
                    format!("标题中的年份“{digits}”不完整"),
                    format!("the year “{digits}” in the title is incomplete"),
                ),
            ),
        }
        // A title names its year before these words (`2019年度部门预算`); without one they are
        // a sentence's (`纳入了年度部门预算`), which names no department.
        if digits.is_empty() {
            continue;
        }
        // The name: the words before the year on the title's own line, numbering and lead
        // words (`第二部分`, `纳入`) off.
        let line_start = (0..start)
            .rev()
            .find(|i| j.chars[*i] == '\n')
            .map_or(0, |i| i + 1);
        let mut name = j.text(line_start, start);
        name = strip_part_number(&name);
        for lead in leads {
            if let Some((_, after)) = name.split_once(lead.as_str()) {
                name = after.to_string();
            }
        }
        if let Some(d) = &department
            && !same_department(&name, d)
        {
            report(
                &mut out,
                "I001",
                line,
                Text::new(
                    format!("标题中的部门为“{name}”，封面为“{d}”"),
                    format!("the title names “{name}”; the cover names “{d}”"),
                ),
            );
        }
    }
    // The tables' header lines: `部门：{department} {year}年度`.
    if let Some(label) = header_label {
        for (i, l) in doc.lines.iter().enumerate() {
            let n = text::normalize(l);
            let Some((_, after)) = n
                .split_once(&format!("{label}:"))
                .filter(|(before, _)| !before.ends_with("编制"))
            else {
                continue;
            };
            let line = i as u32 + 1;
            let name: String = match after.find(|c: char| c.is_ascii_digit()) {
                Some(d) => after[..d].to_string(),
                // The unit printed after the name on the same line (`金额单位：万元`, `单位：元`).
                None => after
                    .split("金额单位")
                    .next()
                    .and_then(|a| a.split("单位:").next())
                    .unwrap_or(after)
                    .to_string(),
            };
            if let Some(d) = &department
                && !name.is_empty()
                && !same_department(&name, d)
            {
                report(
                    &mut out,
                    "I001",
                    line,
                    Text::new(
                        format!("表头中的部门为“{name}”，封面为“{d}”"),
                        format!("the table's header names “{name}”; the cover names “{d}”"),
                    ),
                );
            }
            if let (Some(y), Some(at)) = (year, after.find("年度")) {
                let digits = text::trailing_digits(&after[..at]);
                if digits.len() == 4 && digits != y.to_string() {
                    report(
                        &mut out,
                        "I002",
                        line,
                        Text::new(
                            format!("表头作“{digits}年度”，封面为 {y} 年度"),
                            format!("the table's header says {digits}; the cover says {y}"),
                        ),
                    );
                }
            }
        }
    }
    if let Some(y) = year {
        stray_years(&j, lex, y, &mut |line, why| {
            report(&mut out, "I004", line, why)
        });
    }
    out
}

/// `第二部分 …` → `…`.
fn strip_part_number(s: &str) -> String {
    if let Some(rest) = s.strip_prefix('第')
        && let Some(i) = rest.find("部分")
    {
        return rest[i + "部分".len()..].to_string();
    }
    s.to_string()
}

/// I004: a year other than the report's as the period of a figure (`2023年度收入支出总计…` in a
/// 2024 report) where nothing before it makes it a comparison, or a comparison with a year other
/// than the last (`与2022年度相比` in a 2024 report).
fn stray_years(j: &Joined, lex: &Lexicon, year: i32, report: &mut dyn FnMut(u32, Text)) {
    let compare = lex.document_words("compare");
    let subjects = lex.document_words("period_subject");
    let titles = lex.document_words("title");
    // What follows a year that is a period (`年度`; a budget's `2025年`), longest first.
    let periods = lex.document_words("period_year");
    let mut at = 0;
    while at < j.chars.len() {
        if !j.chars[at].is_ascii_digit() || (at > 0 && j.chars[at - 1].is_ascii_digit()) {
            at += 1;
            continue;
        }
        let end = j.digits_end(at);
        let after = j.skip_breaks(end);
        let found = j.text(at, end);
        at = end;
        let Some(suffix) = periods.iter().find(|p| j.starts_with(after, p)) else {
            continue;
        };
        if found.len() != 4 {
            continue;
        }
        let Ok(y) = found.parse::<i32>() else {
            continue;
        };
        if y == year || titles.iter().any(|t| j.starts_with(after, t)) {
            // Titles are I002's.
            continue;
        }
        let mut period = j.skip_breaks(after + suffix.chars().count());
        // `2025年“三公”经费`: the quoted subject.
        if j.chars.get(period).is_some_and(|c| matches!(c, '"' | '“')) {
            period += 1;
        }
        if !subjects.iter().any(|s| j.starts_with(period, s)) {
            continue;
        }
        // The words just before the year, on its sentence: a comparison word makes it one.
        let from = (0..at.saturating_sub(1))
            .rev()
            .take(6)
            .find(|i| matches!(j.chars[*i], '。' | ';' | '；' | '，' | ','))
            .map_or(at.saturating_sub(6), |i| i + 1);
        let before = j.text(from, at);
        let compared = compare.iter().any(|w| before.contains(w.as_str()));
        let sentence_end = (after..j.chars.len())
            .find(|i| matches!(j.chars[*i], '。' | ';' | '；'))
            .unwrap_or(j.chars.len())
            .min(after + 80);
        let quote = j.text(from, sentence_end);
        let line = j.line[at - found.len()];
        if !compared {
            report(
                line,
                Text::new(
                    format!("本报告为 {year} 年度，此处作“{y}{suffix}”：“{quote}”"),
                    format!("the report is for {year}; this says {y}: “{quote}”"),
                ),
            );
        } else if y != year - 1 {
            report(
                line,
                Text::new(
                    format!(
                        "与上年比较应为 {} 年度，此处作“{y}{suffix}”：“{quote}”",
                        year - 1
                    ),
                    format!(
                        "a comparison with last year is with {}; this says {y}: “{quote}”",
                        year - 1
                    ),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_names() {
        let d = "上海市普陀区规划和自然资源局";
        assert!(same_department(d, d));
        assert!(same_department("普陀区规划和自然资源局", d));
        assert!(same_department("纳入上海市普陀区规划和自然资源局", d));
        assert!(!same_department("上海市规划和自然资源局", d));
        assert!(!same_department("上海市普陀区财政局", d));
        assert!(same_department(
            "区科经局",
            "武汉市洪山区科学技术和经济信息化局"
        ));
        assert!(!same_department(
            "区财政局",
            "武汉市洪山区科学技术和经济信息化局"
        ));
    }
}
