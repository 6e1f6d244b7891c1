//! The classification catalog (政府收支分类科目): function 类/款/项 and economic 类/款 codes
//! with their official names.
//!
//! The catalog is data: readers load CSV files into [`Catalog::insert`]; [`Catalog::check`]
//! then proves its structure (every 项 sits under an existing 款 whose code it extends, every
//! 款 under its 类).

use crate::diag::{Diagnostic, Location};
use crate::text::Text;
use serde::Serialize;
use std::collections::BTreeMap;

/// Which classification a code belongs to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// 支出功能分类: 类 (3 digits) > 款 (5) > 项 (7).
    #[default]
    Function,
    /// 部门预算支出经济分类: 类 (3 digits, 3xx) > 款 (5).
    Economic,
    /// 政府预算支出经济分类: 类 (3 digits, 5xx) > 款 (5).
    EconomicGov,
}

impl Classification {
    /// Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Classification::Function => "支出功能分类",
            Classification::Economic => "部门预算支出经济分类",
            Classification::EconomicGov => "政府预算支出经济分类",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Classification::Function => "functional classification",
            Classification::Economic => "departmental economic classification",
            Classification::EconomicGov => "government economic classification",
        }
    }

    /// The deepest level codes of this classification have.
    pub fn deepest(self) -> Level {
        match self {
            Classification::Function => Level::Xiang,
            _ => Level::Kuan,
        }
    }

    /// Guesses the classification of a code from its first digit (2 function, 3 departmental
    /// economic, 5 government economic), as official catalogs number them.
    pub fn infer(code: &str) -> Option<Classification> {
        match code.as_bytes().first()? {
            b'2' => Some(Classification::Function),
            b'3' => Some(Classification::Economic),
            b'5' => Some(Classification::EconomicGov),
            _ => None,
        }
    }
}

/// The level of a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Level {
    /// 类: 3 digits.
    #[serde(rename = "类")]
    Lei,
    /// 款: 5 digits.
    #[serde(rename = "款")]
    Kuan,
    /// 项: 7 digits.
    #[serde(rename = "项")]
    Xiang,
}

impl Level {
    /// The level a code of this many digits has.
    pub fn of_len(len: usize) -> Option<Level> {
        match len {
            3 => Some(Level::Lei),
            5 => Some(Level::Kuan),
            7 => Some(Level::Xiang),
            _ => None,
        }
    }

    /// The level of a well-formed code.
    pub fn of(code: &str) -> Option<Level> {
        if code.bytes().all(|b| b.is_ascii_digit()) {
            Level::of_len(code.len())
        } else {
            None
        }
    }

    /// Number of digits.
    pub fn digits(self) -> usize {
        match self {
            Level::Lei => 3,
            Level::Kuan => 5,
            Level::Xiang => 7,
        }
    }

    /// Chinese name (类 / 款 / 项).
    pub fn zh(self) -> &'static str {
        match self {
            Level::Lei => "类",
            Level::Kuan => "款",
            Level::Xiang => "项",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Level::Lei => "class",
            Level::Kuan => "section",
            Level::Xiang => "item",
        }
    }

    /// Parses `类`/`款`/`项` or the English names.
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim() {
            "类" | "class" => Some(Level::Lei),
            "款" | "section" => Some(Level::Kuan),
            "项" | "item" => Some(Level::Xiang),
            _ => None,
        }
    }
}

/// The code one level up (`2060101` → `20601` → `206`), or `None` for a 类.
pub fn parent_code(code: &str) -> Option<&str> {
    match code.len() {
        7 => Some(&code[..5]),
        5 => Some(&code[..3]),
        _ => None,
    }
}

/// One code of the catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The code, digits only.
    pub code: String,
    /// The official name.
    pub name: String,
    /// 类 / 款 / 项.
    pub level: Level,
    /// The official description (used by 名词解释), where known.
    pub description: Option<String>,
    /// Where the entry was read from.
    #[serde(skip)]
    pub location: Location,
    /// Named by a department's input, not by the catalog loaded: a well-formed code the
    /// catalog lacks (rule C104 warns of each one its tables print).
    #[serde(skip)]
    pub supplied: bool,
}

/// The whole catalog: one map of entries per classification.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    entries: BTreeMap<Classification, BTreeMap<String, Entry>>,
    /// Membership is required: an input may not name codes the catalog lacks.
    strict: bool,
}

impl Catalog {
    /// An empty catalog.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// Adds or replaces an entry. The code must be 3, 5 or 7 digits (7 only for the function
    /// classification); `declared_parent`, when the file names one, must be the code's
    /// prefix. Hierarchy (that the parent exists) is proved by [`Catalog::check`] once every
    /// file is loaded.
    pub fn insert(
        &mut self,
        classification: Classification,
        entry: Entry,
        declared_parent: Option<&str>,
    ) -> Result<(), Diagnostic> {
        let Some(level) = Level::of(&entry.code) else {
            return Err(Diagnostic::error(
                "E0101",
                entry.location.clone(),
                Text::new("分类代码格式错误", "malformed classification code"),
            )
            .expected(Text::new(
                "3 位（类）、5 位（款）或 7 位（项）数字",
                "3 (class), 5 (section) or 7 (item) digits",
            ))
            .found(entry.code.clone()));
        };
        if level > classification.deepest() {
            return Err(Diagnostic::error(
                "E0101",
                entry.location.clone(),
                Text::new(
                    format!("{}没有项级代码", classification.zh()),
                    format!("the {} has no item level", classification.en()),
                ),
            )
            .expected(Text::new("3 或 5 位数字", "3 or 5 digits"))
            .found(entry.code.clone()));
        }
        if entry.level != level {
            return Err(Diagnostic::error(
                "E0102",
                entry.location.clone(),
                Text::new(
                    "级次与代码位数不符",
                    "level does not match the code's length",
                ),
            )
            .expected(Text::new(
                format!("{}（{} 位）", level.zh(), level.digits()),
                format!("{} ({} digits)", level.en(), level.digits()),
            ))
            .found(entry.level.zh().to_string()));
        }
        if let Some(declared) = declared_parent.filter(|p| !p.is_empty()) {
            let actual = parent_code(&entry.code).unwrap_or("");
            if declared != actual {
                return Err(Diagnostic::error(
                    "E0103",
                    entry.location.clone(),
                    Text::new(
                        format!("代码 {} 的上级代码应为其前缀", entry.code),
                        format!("the parent of {} must be its prefix", entry.code),
                    ),
                )
                .expected(Text::same(if actual.is_empty() {
                    "(none)"
                } else {
                    actual
                }))
                .found(declared.to_string()));
            }
        }
        if entry.name.trim().is_empty() {
            return Err(Diagnostic::error(
                "E0104",
                entry.location.clone(),
                Text::new("分类代码缺少名称", "classification code without a name"),
            )
            .found(entry.code.clone()));
        }
        self.entries
            .entry(classification)
            .or_default()
            .insert(entry.code.clone(), entry);
        Ok(())
    }

    /// Proves the hierarchy: every 款 has its 类 and every 项 its 款 in the catalog.
    pub fn check(&self) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for (classification, entries) in &self.entries {
            for entry in entries.values() {
                if let Some(parent) = parent_code(&entry.code)
                    && !entries.contains_key(parent)
                {
                    let level = Level::of(parent).unwrap_or(Level::Lei);
                    problems.push(
                        Diagnostic::error(
                            "E0105",
                            entry.location.clone(),
                            Text::new(
                                format!(
                                    "{}代码 {} 的上级{} {} 不在目录中",
                                    classification.zh(),
                                    entry.code,
                                    level.zh(),
                                    parent
                                ),
                                format!(
                                    "the parent {} {} of {} code {} is not in the catalog",
                                    level.en(),
                                    parent,
                                    classification.en(),
                                    entry.code
                                ),
                            ),
                        )
                        .found(entry.code.clone()),
                    );
                }
            }
        }
        problems
    }

    /// Whether an input may only use codes the catalog has (`--strict-catalog`); otherwise a
    /// well-formed code under a known 类 is accepted with the name the input gives it.
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// Makes membership required (or not).
    pub fn set_strict(&mut self, strict: bool) {
        self.strict = strict;
    }

    /// This catalog with the codes an input named added (each marked [`Entry::supplied`]).
    pub fn with_supplied(&self, supplied: &[(Classification, Entry)]) -> Catalog {
        let mut out = self.clone();
        for (classification, entry) in supplied {
            let mut entry = entry.clone();
            entry.supplied = true;
            out.entries
                .entry(*classification)
                .or_default()
                .insert(entry.code.clone(), entry);
        }
        out
    }

    /// The entries an input named ([`Entry::supplied`]), by classification.
    pub fn supplied(&self) -> impl Iterator<Item = (Classification, &Entry)> {
        self.entries
            .iter()
            .flat_map(|(c, m)| m.values().map(move |e| (*c, e)))
            .filter(|(_, e)| e.supplied)
    }

    /// The entry for `code`.
    pub fn get(&self, classification: Classification, code: &str) -> Option<&Entry> {
        self.entries.get(&classification)?.get(code)
    }

    /// The name of `code`, if the catalog has it.
    pub fn name(&self, classification: Classification, code: &str) -> Option<&str> {
        self.get(classification, code).map(|e| e.name.as_str())
    }

    /// Sets the description of a code already in the catalog; false if the code is unknown.
    pub fn describe(
        &mut self,
        classification: Classification,
        code: &str,
        description: String,
    ) -> bool {
        match self
            .entries
            .get_mut(&classification)
            .and_then(|m| m.get_mut(code))
        {
            Some(e) => {
                e.description = Some(description);
                true
            }
            None => false,
        }
    }

    /// All entries of a classification, in code order.
    pub fn entries(&self, classification: Classification) -> impl Iterator<Item = &Entry> {
        self.entries
            .get(&classification)
            .into_iter()
            .flat_map(|m| m.values())
    }

    /// Number of entries of a classification.
    pub fn len(&self, classification: Classification) -> usize {
        self.entries.get(&classification).map_or(0, |m| m.len())
    }

    /// True when no classification has an entry.
    pub fn is_empty(&self) -> bool {
        self.entries.values().all(|m| m.is_empty())
    }

    /// Entries whose code or name resembles `query`, best first: for "did you mean" hints.
    pub fn nearest(&self, classification: Classification, query: &str, n: usize) -> Vec<&Entry> {
        let query = query.trim();
        let mut scored: Vec<(usize, &Entry)> = self
            .entries(classification)
            .filter_map(|e| {
                let score = if query.bytes().all(|b| b.is_ascii_digit()) {
                    common_prefix(&e.code, query) * 10
                        + usize::from(e.code.len() == query.len()) * 5
                } else {
                    shared_chars(&e.name, query)
                };
                (score > 0).then_some((score, e))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
        scored.into_iter().take(n).map(|(_, e)| e).collect()
    }
}

/// A classification name reduced for comparison: no spaces, and full-width brackets and
/// punctuation as their ASCII forms (reports print both 因公出国（境）费 and 因公出国(境)费).
pub fn normalize_name(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '，' => ',',
            '：' => ':',
            '；' => ';',
            '“' | '”' => '"',
            other => other,
        })
        .collect()
}

/// True when two names are the same up to [`normalize_name`].
pub fn same_name(a: &str, b: &str) -> bool {
    normalize_name(a) == normalize_name(b)
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

fn shared_chars(a: &str, b: &str) -> usize {
    b.chars().filter(|c| a.contains(*c)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(code: &str, name: &str) -> Entry {
        Entry {
            supplied: false,
            code: code.into(),
            name: name.into(),
            level: Level::of(code).unwrap_or(Level::Lei),
            description: None,
            location: Location::Nowhere,
        }
    }

    #[test]
    fn structure_is_checked() {
        let mut c = Catalog::new();
        let f = Classification::Function;
        c.insert(f, entry("206", "科学技术支出"), None).unwrap();
        c.insert(f, entry("20601", "科学技术管理事务"), Some("206"))
            .unwrap();
        c.insert(f, entry("2060101", "行政运行"), Some("20601"))
            .unwrap();
        // A 项 whose 款 is missing.
        c.insert(f, entry("2069901", "假想项"), None).unwrap();
        let problems = c.check();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "E0105");
        assert!(problems[0].message.zh.contains("20699"));
        // A declared parent that is not the prefix.
        let err = c
            .insert(f, entry("2060102", "一般行政管理事务"), Some("20602"))
            .unwrap_err();
        assert_eq!(err.code, "E0103");
        // Economic codes have no 项.
        let err = c
            .insert(Classification::Economic, entry("3010101", "x"), None)
            .unwrap_err();
        assert_eq!(err.code, "E0101");
    }

    #[test]
    fn nearest_prefers_long_code_prefixes() {
        let mut c = Catalog::new();
        let f = Classification::Function;
        for (code, name) in [
            ("206", "科学技术支出"),
            ("20601", "科学技术管理事务"),
            ("2060101", "行政运行"),
        ] {
            c.insert(f, entry(code, name), None).unwrap();
        }
        let near = c.nearest(f, "2060109", 2);
        assert_eq!(near[0].code, "2060101");
        let near = c.nearest(f, "行政", 1);
        assert_eq!(near[0].code, "2060101");
    }
}
