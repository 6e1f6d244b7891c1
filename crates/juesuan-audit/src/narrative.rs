//! The figures of a published report's 情况说明 and what they claim about its tables.
//!
//! The narrative is cut into paragraphs (from one numbered line to the next), whitespace
//! removed, and matched against the patterns of `data/kinds/<kind>/lexicon.toml` (data: another
//! region's wording is a file). Each match becomes claims: an amount a cell prints, a share of
//! two cells, a completion or growth rate of numbers in the same paragraph; a 项 name no table
//! prints becomes a name claim. Claims the tables cannot decide (a table not read, a row
//! uncertain) are evaluated as nothing, by the rules.

use crate::text::{Document, is_page_marker, normalize};
use juesuan_core::catalog::normalize_name;
use juesuan_core::diag::{Diagnostic, Location};
use juesuan_core::figures::{FigureCatalog, Resolved};
use juesuan_core::kind::NarrativeDef;
use juesuan_core::rules::sheet::{Claim, ClaimKind, Direction, Stated};
use juesuan_core::rules::{CheckRow, Sheet};
use juesuan_core::text::Text;
use juesuan_core::views::RowKind;
use juesuan_input::Source;
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A number as printed.
const NUMBER: &str = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    pattern: Vec<PatternDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternDef {
    id: String,
    regex: String,
    /// group → the figure whose amount the group states.
    #[serde(default)]
    amount: BTreeMap<String, String>,
    /// group → the ratio figure whose percentage the group states.
    #[serde(default)]
    share: BTreeMap<String, String>,
    #[serde(default)]
    completion: BTreeMap<String, [String; 2]>,
    #[serde(default)]
    growth: BTreeMap<String, [String; 2]>,
    #[serde(default)]
    stated_share: BTreeMap<String, StatedShare>,
    #[serde(default)]
    sum: BTreeMap<String, [String; 2]>,
}

#[derive(Deserialize)]
struct StatedShare {
    /// The group of the stated amount.
    num: String,
    /// The figure of the denominator.
    den: String,
}

/// The patterns, compiled.
pub struct Patterns {
    list: Vec<(PatternDef, Regex)>,
    amount_any: Regex,
}

/// Compiles a kind's lexicon files (`lexicon.toml` of its bundle, then any extension's): a
/// later pattern replaces an earlier one with its id.
pub fn patterns(files: &[Source]) -> Result<Patterns, Diagnostic> {
    let mut list: Vec<(PatternDef, Regex)> = Vec::new();
    for source in files {
        let bad = |what: String| {
            Diagnostic::error(
                "E0904",
                Location::File {
                    file: source.name.clone(),
                },
                Text::new("情况说明词库文件无效", "invalid narrative lexicon file"),
            )
            .found(what)
        };
        let file: File = toml::from_str(&source.text).map_err(|e| bad(e.to_string()))?;
        for p in file.pattern {
            let re = Regex::new(&p.regex.replace("{N}", NUMBER))
                .map_err(|e| bad(format!("{}: {e}", p.id)))?;
            match list.iter_mut().find(|(x, _)| x.id == p.id) {
                Some(slot) => *slot = (p, re),
                None => list.push((p, re)),
            }
        }
    }
    Ok(Patterns {
        list,
        amount_any: Regex::new(&format!("({NUMBER})万元")).expect("a fixed pattern"),
    })
}

/// A paragraph: its text without whitespace, the line each byte came from, and the section of
/// the narrative it stands in (the key of the kind's section its latest heading names).
struct Paragraph {
    text: String,
    lines: Vec<(usize, u32)>,
    section: Option<String>,
}

impl Paragraph {
    fn line_at(&self, byte: usize) -> u32 {
        self.lines
            .iter()
            .rev()
            .find(|(b, _)| *b <= byte)
            .map_or(0, |(_, l)| *l)
    }
}

/// `一、`, `（一）`, `1、`, `1.`, `(1)`: a line that starts a paragraph.
fn numbered(n: &str) -> bool {
    let first = n.chars().next().unwrap_or(' ');
    let han_num = |c: char| "一二三四五六七八九十".contains(c);
    if han_num(first) {
        let rest: String = n.chars().skip_while(|c| han_num(*c)).take(1).collect();
        return rest == "、";
    }
    if first == '(' || first == '（' {
        let inner: String = n
            .chars()
            .skip(1)
            .take_while(|c| *c != ')' && *c != '）')
            .collect();
        return !inner.is_empty()
            && inner.chars().count() <= 3
            && inner.chars().all(|c| han_num(c) || c.is_ascii_digit());
    }
    if first.is_ascii_digit() {
        let rest: String = n.chars().skip_while(char::is_ascii_digit).take(1).collect();
        return matches!(rest.as_str(), "、" | "." | "．");
    }
    n.starts_with("第") && n.contains("部分")
}

/// The narrative's paragraphs, where the kind says it stands (`begins`, after the tables, to
/// `ends` or the end; for 部门决算 from 第三部分 to 第四部分), each with its section.
fn paragraphs(doc: &Document, after: usize, def: &NarrativeDef) -> Vec<Paragraph> {
    let starts = |i: usize, marks: &[String]| {
        let n = normalize(&doc.lines[i]);
        marks.iter().any(|m| n.starts_with(m.as_str()))
    };
    let start = (after..doc.lines.len()).find(|&i| starts(i, &def.begins));
    let Some(start) = start else {
        return Vec::new();
    };
    let end = (start + 1..doc.lines.len())
        .find(|&i| starts(i, &def.ends))
        .unwrap_or(doc.lines.len());
    let mut out: Vec<Paragraph> = Vec::new();
    let mut section: Option<String> = None;
    for i in start..end {
        let line = &doc.lines[i];
        if is_page_marker(line) || line.trim().is_empty() {
            continue;
        }
        let n: String = normalize(line).replace('\u{3000}', "");
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if numbered(&n) || out.is_empty() {
            if let Some(s) = def.section_of(&n) {
                section = Some(s.key.clone());
            }
            out.push(Paragraph {
                text: String::new(),
                lines: Vec::new(),
                section: section.clone(),
            });
        }
        let p = out.last_mut().expect("a paragraph");
        p.lines.push((p.text.len(), no));
        // Narratives print parentheses both ways; the patterns use the full-width ones.
        p.text.push_str(&n.replace('(', "（").replace(')', "）"));
    }
    out
}

/// The code of the 类 row named `name` in `table` (`一般公共服务` matches `一般公共服务支出`).
fn class_code(sheet: &Sheet, table: &str, name: &str) -> Option<String> {
    let t = sheet.table(table)?;
    let want = normalize_name(name);
    let rows: Vec<&CheckRow> = t
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Lei)
        .filter(|r| {
            let l = normalize_name(&r.label.zh);
            !l.is_empty() && (l == want || l == format!("{want}支出"))
        })
        .collect();
    match rows.as_slice() {
        [one] => one.code.clone(),
        _ => None,
    }
}

/// The 项 named `xiang` under the 款 `kuan` of the 类 `cls`: its code, or what the 款 prints
/// instead when the name is not printed.
enum Item {
    Code(String),
    Misnamed { printed: Option<String> },
    Unknown,
}

fn item(
    sheet: &Sheet,
    table: &str,
    cls: &str,
    kuan: &str,
    xiang: &str,
    y: Option<&Stated>,
) -> Item {
    let Some(t) = sheet.table(table) else {
        return Item::Unknown;
    };
    let Some(c) = class_code(sheet, table, cls) else {
        return Item::Unknown;
    };
    let kuan_n = normalize_name(kuan);
    let Some(k) = t.rows.iter().find(|r| {
        r.kind == RowKind::Kuan
            && r.code.as_deref().is_some_and(|x| x.starts_with(&c))
            && normalize_name(&r.label.zh) == kuan_n
    }) else {
        return Item::Unknown;
    };
    let k = k.code.clone().unwrap_or_default();
    let children: Vec<&CheckRow> = t
        .rows
        .iter()
        .filter(|r| {
            r.kind == RowKind::Xiang && r.code.as_deref().is_some_and(|x| x.starts_with(&k))
        })
        .collect();
    let want = normalize_name(xiang);
    // A label the extraction cut short still names the item.
    let same = |label: &str| {
        let l = normalize_name(label);
        l == want || (l.chars().count() >= 4 && want.starts_with(&l))
    };
    if let Some(r) = children.iter().find(|r| same(&r.label.zh)) {
        return r.code.clone().map_or(Item::Unknown, Item::Code);
    }
    // Every child's name must be known to say the narrative's is none of them.
    if children.is_empty()
        || children
            .iter()
            .any(|r| r.label.zh.trim().is_empty() || r.uncertain)
    {
        return Item::Unknown;
    }
    // The child whose amount the sentence states, to name what the tables print instead.
    let printed = y.and_then(|y| {
        children
            .iter()
            .find(|r| {
                r.cells
                    .iter()
                    .any(|(k, f)| k == "total" && f.printed().plain() == plain(y))
            })
            .map(|r| r.label.zh.clone())
    });
    Item::Misnamed { printed }
}

/// A stated amount as the tables' plain figure (two decimals): `0.6` → `0.60`.
fn plain(s: &Stated) -> String {
    let d = rust_decimal::Decimal::from_i128_with_scale(s.scaled, s.decimals);
    format!("{:.2}", d)
}

/// The figure `key` (`gb.class.{cls}`: with the codes of the names the sentence used filled
/// in) resolved into the cells it stands for; `None` when a name was not found or the figure
/// does not read tables alone.
fn figure(key: &str, names: &BTreeMap<&str, String>, figures: &FigureCatalog) -> Option<Resolved> {
    let mut key = key.to_string();
    for (k, v) in names {
        key = key.replace(&format!("{{{k}}}"), v);
    }
    if key.contains('{') {
        return None;
    }
    figures.cells(&key)
}

/// Every claim the narrative of `doc` makes, the tables having been read into `sheet`;
/// `after` is the line where the tables end.
pub fn claims(
    doc: &Document,
    sheet: &Sheet,
    patterns: &Patterns,
    figures: &FigureCatalog,
    narrative: &NarrativeDef,
    after: usize,
) -> Vec<Claim> {
    let mut out = Vec::new();
    for para in paragraphs(doc, after, narrative) {
        let first_amount = patterns
            .amount_any
            .captures(&para.text)
            .and_then(|c| Stated::parse(c.get(1)?.as_str()));
        for (p, re) in &patterns.list {
            for caps in re.captures_iter(&para.text) {
                let whole = caps.get(0).expect("group 0");
                let line = para.line_at(whole.start());
                let sentence = whole.as_str().to_string();
                let stated = |g: &str| caps.name(g).and_then(|m| Stated::parse(m.as_str()));
                let claim = |kind| Claim {
                    pattern: p.id.clone(),
                    line,
                    sentence: sentence.clone(),
                    section: para.section.clone(),
                    kind,
                };
                // Names to codes.
                let mut names: BTreeMap<&str, String> = BTreeMap::new();
                let table = "general_budget";
                if let Some(c) = caps.name("cls")
                    && let Some(code) = class_code(sheet, table, c.as_str())
                {
                    names.insert("cls", code);
                }
                if let (Some(c), Some(k), Some(x)) =
                    (caps.name("cls"), caps.name("kuan"), caps.name("xiang"))
                {
                    let y = p.amount.keys().find_map(|g| stated(g));
                    match item(sheet, table, c.as_str(), k.as_str(), x.as_str(), y.as_ref()) {
                        Item::Code(code) => {
                            names.insert("item", code);
                        }
                        Item::Misnamed { printed } => out.push(claim(ClaimKind::Name {
                            stated: x.as_str().to_string(),
                            printed,
                        })),
                        Item::Unknown => {}
                    }
                }
                for (g, key) in &p.amount {
                    let (Some(s), Some(Resolved::Amount(cells))) =
                        (stated(g), figure(key, &names, figures))
                    else {
                        continue;
                    };
                    out.push(claim(ClaimKind::Amount {
                        stated: s,
                        figure: key.clone(),
                        cells,
                    }));
                }
                for (g, key) in &p.share {
                    if let (Some(s), Some(Resolved::Ratio(num, den))) =
                        (stated(g), figure(key, &names, figures))
                    {
                        out.push(claim(ClaimKind::Share {
                            stated: s,
                            figure: key.clone(),
                            num,
                            den,
                        }));
                    }
                }
                for (g, [n, d]) in &p.completion {
                    if let (Some(s), Some(num), Some(den)) = (stated(g), stated(n), stated(d)) {
                        out.push(claim(ClaimKind::Internal {
                            stated: s,
                            num,
                            den,
                            growth: None,
                        }));
                    }
                }
                for (g, spec) in &p.stated_share {
                    if let (Some(s), Some(num), Some(Resolved::Amount(den))) = (
                        stated(g),
                        stated(&spec.num),
                        figure(&spec.den, &names, figures),
                    ) {
                        out.push(claim(ClaimKind::StatedShare {
                            stated: s,
                            num,
                            figure: spec.den.clone(),
                            den,
                        }));
                    }
                }
                for (g, [parts, unit]) in &p.sum {
                    // Every number followed by the unit in the group's text.
                    let Some(text) = caps.name(parts).map(|m| m.as_str()) else {
                        continue;
                    };
                    let each = Regex::new(&format!("({NUMBER}){}", regex::escape(unit)))
                        .expect("a number and a literal unit");
                    let list: Vec<Stated> = each
                        .captures_iter(text)
                        .filter_map(|c| Stated::parse(c.get(1)?.as_str()))
                        .collect();
                    if let (Some(s), false) = (stated(g), list.is_empty()) {
                        out.push(claim(ClaimKind::Sum {
                            stated: s,
                            parts: list,
                        }));
                    }
                }
                for (g, [d, dir]) in &p.growth {
                    let direction = caps.name(dir).map(|m| {
                        if m.as_str().contains('减') || m.as_str().contains('降') {
                            Direction::Down
                        } else {
                            Direction::Up
                        }
                    });
                    if let (Some(s), Some(num), Some(den), Some(direction)) =
                        (stated(g), stated(d), first_amount.clone(), direction)
                    {
                        out.push(claim(ClaimKind::Internal {
                            stated: s,
                            num,
                            den,
                            growth: Some(direction),
                        }));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_patterns_compile() {
        let assets = juesuan_input::assets::Assets::builtin().unwrap();
        let p = patterns(&assets.final_accounts().unwrap().lexicons).unwrap();
        assert!(p.list.len() >= 20);
        assert!(numbered("一、收入支出决算总体情况说明"));
        assert!(numbered("（三）绩效评价结果应用情况"));
        assert!(numbered("12、住房保障支出"));
        assert!(numbered("(1)公务用车购置费"));
        assert!(!numbered("2023年度收入合计"));
        let bad = Source::new("x.toml", "[[pattern]]\nid = \"a\"\nregex = \"(\"\n");
        assert!(patterns(&[bad]).is_err());
    }
}
