//! The words a narrative is read with: a kind's `lexicon.toml` (data, laid over by any
//! extension's), and the index of subjects built per report from the figure catalog's labels
//! and the tables read.
//!
//! Nothing here names a report's sentence: the lexicon lists words (aspects such as 年初预算,
//! direction and comparison words, units, synonyms, names a figure goes by), and the figure
//! catalog says what each figure is. A subject is found by the longest name of a figure that
//! the clause contains; a name two figures share is dropped, never guessed.

use juesuan_core::diag::{Diagnostic, Location};
use juesuan_core::disclosure::Scheme;
use juesuan_core::figures::{Context, FigureCatalog};
use juesuan_core::rules::Sheet;
use juesuan_core::text::Text;
use juesuan_input::Source;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The aspects of a figure a number can state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Aspect {
    /// This year's amount (决算数).
    Actual,
    /// The budget the year began with (年初预算).
    Budget,
    /// The budget as adjusted in the year (全年预算, 调整预算).
    FullBudget,
    /// Last year's amount.
    Prior,
    /// This year less last year.
    Change,
    /// The change over last year's amount.
    Growth,
    /// The share of a whole.
    Share,
    /// Actual over budget.
    Completion,
    /// Actual less budget.
    Difference,
}

impl Aspect {
    const ALL: [(&'static str, Aspect); 9] = [
        ("actual", Aspect::Actual),
        ("budget", Aspect::Budget),
        ("full_budget", Aspect::FullBudget),
        ("prior", Aspect::Prior),
        ("change", Aspect::Change),
        ("growth", Aspect::Growth),
        ("share", Aspect::Share),
        ("completion", Aspect::Completion),
        ("difference", Aspect::Difference),
    ];

    fn named(name: &str) -> Option<Aspect> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, a)| *a)
    }

    /// Its name, as `[aspects]` of a lexicon file writes it (`prior`, `growth` …).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("actual", |(n, _)| n)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    same: Vec<Vec<String>>,
    #[serde(default)]
    aspects: BTreeMap<String, AspectDef>,
    #[serde(default)]
    words: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    units: Option<UnitsDef>,
    #[serde(default)]
    names: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
    #[serde(default)]
    partition: Vec<PartitionDef>,
    #[serde(default)]
    forms: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    document: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
struct AspectDef {
    #[serde(default)]
    keys: Vec<String>,
    #[serde(default)]
    words: Vec<String>,
}

#[derive(Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
struct UnitsDef {
    #[serde(default)]
    money: BTreeMap<String, i128>,
    #[serde(default)]
    count: Vec<String>,
    #[serde(default)]
    percent: Vec<String>,
    #[serde(default)]
    score: Vec<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct PartitionDef {
    parts: Vec<String>,
}

/// A unit a number can carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitWord {
    /// Money: thousandths of a 分 per unit.
    Money(i128),
    /// A count.
    Count,
    /// A percentage.
    Percent,
    /// A score.
    Score,
}

/// A kind's lexicon: every file's words together (later files add words, names and aliases,
/// and replace an aspect's keys).
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    /// Variants → the phrase they read as.
    same: Vec<(String, String)>,
    /// Aspect → the figure keys that state it (`{c}.budget`), most specific first.
    keys: Vec<(Aspect, String)>,
    /// Aspect → words that select it.
    pub aspect_words: Vec<(Aspect, Vec<String>)>,
    /// Word lists by role (`up`, `down`, `share`, `explain` …).
    words: BTreeMap<String, Vec<String>>,
    /// Unit words, longest first.
    pub units: Vec<(String, UnitWord)>,
    /// Extra names by figure.
    names: BTreeMap<String, Vec<String>>,
    /// Figure keys that do not follow the aspect keys: key → `concept.aspect` key.
    aliases: BTreeMap<String, String>,
    /// Lists that name every part.
    pub partitions: Vec<Vec<String>>,
    /// Words of the 绩效自评 forms by role (`execution_budget`, `total` …), normalized.
    forms: BTreeMap<String, Vec<String>>,
    /// Words of the document as a whole by role (`toc`, `empty_note` …), normalized.
    document: BTreeMap<String, Vec<String>>,
}

impl Lexicon {
    /// The lexicon of a kind from its files (the bundle's, then any extension's).
    pub fn new(files: &[Source]) -> Result<Lexicon, Diagnostic> {
        let mut lex = Lexicon::default();
        let mut aspects: BTreeMap<String, AspectDef> = BTreeMap::new();
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
            for group in file.same {
                let Some((first, rest)) = group.split_first() else {
                    continue;
                };
                lex.same.push((plain(first), plain(first)));
                for v in rest {
                    lex.same.push((plain(v), plain(first)));
                }
            }
            for (name, def) in file.aspects {
                if Aspect::named(&name).is_none() {
                    return Err(bad(format!(
                        "aspects.{name}: 未知的方面（可用：actual、budget、full_budget、prior、change、growth、share、completion、difference）"
                    )));
                }
                let slot = aspects.entry(name).or_default();
                if !def.keys.is_empty() {
                    slot.keys = def.keys;
                }
                slot.words.extend(def.words);
            }
            for (role, list) in file.words {
                lex.words.entry(role).or_default().extend(list);
            }
            if let Some(u) = file.units {
                for (w, per) in u.money {
                    lex.units.push((w, UnitWord::Money(per)));
                }
                lex.units
                    .extend(u.count.into_iter().map(|w| (w, UnitWord::Count)));
                lex.units
                    .extend(u.percent.into_iter().map(|w| (w, UnitWord::Percent)));
                lex.units
                    .extend(u.score.into_iter().map(|w| (w, UnitWord::Score)));
            }
            for (k, list) in file.names {
                lex.names.entry(k).or_default().extend(list);
            }
            lex.aliases.extend(file.aliases);
            lex.partitions
                .extend(file.partition.into_iter().map(|p| p.parts));
            for (into, from) in [
                (&mut lex.document, file.document),
                (&mut lex.forms, file.forms),
            ] {
                for (role, list) in from {
                    into.entry(role)
                        .or_default()
                        .extend(list.iter().map(|w| crate::text::normalize(w)));
                }
            }
        }
        // Longest variants and units first: `收入、支出总计` before `收支总计`, `万元` before `元`.
        lex.same
            .sort_by_key(|(v, _)| std::cmp::Reverse(v.chars().count()));
        lex.units
            .sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
        for (name, def) in aspects {
            let a = Aspect::named(&name).expect("checked above");
            for k in def.keys {
                lex.keys.push((a, k));
            }
            let mut words: Vec<String> = def.words.iter().map(|w| plain(w)).collect();
            words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
            lex.aspect_words.push((a, words));
        }
        // A template with more literal text is more specific: `{c}.budget` before `{c}`.
        lex.keys
            .sort_by_key(|(_, k)| std::cmp::Reverse(k.chars().count()));
        for list in lex.words.values_mut() {
            list.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        }
        Ok(lex)
    }

    /// The words that select `aspect`, longest first.
    pub fn aspect(&self, aspect: Aspect) -> impl Iterator<Item = &String> {
        self.aspect_words
            .iter()
            .filter(move |(a, _)| *a == aspect)
            .flat_map(|(_, ws)| ws.iter())
    }

    /// The words of a role of the document as a whole (`toc`, `empty_note`, `empty_claim`), as
    /// [`crate::text::normalize`] writes them.
    pub fn document_words(&self, role: &str) -> &[String] {
        self.document.get(role).map_or(&[], Vec::as_slice)
    }

    /// The words of a role of the 绩效自评 forms (`execution_budget`, `total` …), as
    /// [`crate::text::normalize`] writes them.
    pub fn form_words(&self, role: &str) -> &[String] {
        self.forms.get(role).map_or(&[], Vec::as_slice)
    }

    /// The words of a role (`up`, `down`, `share` …), longest first.
    pub fn words(&self, role: &str) -> &[String] {
        self.words.get(role).map_or(&[], Vec::as_slice)
    }

    /// The phrases that read the same, each variant with its group's first phrase (both as
    /// [`plain`] gives them): a report's headings are read with them as its sentences are.
    pub fn synonyms(&self) -> &[(String, String)] {
        &self.same
    }

    /// `text` normalized for matching: no spaces, quotes, `、` or `（类）` marks, full-width
    /// parentheses, and every synonym read as its phrase.
    pub fn norm(&self, text: &str) -> String {
        let s = plain(text);
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        // Left to right, the longest phrase at each place: a phrase already written in full
        // (`三公经费财政拨款支出`) stays as it is.
        while i < s.len() {
            match self
                .same
                .iter()
                .find(|(v, _)| s[i..].starts_with(v.as_str()))
            {
                Some((v, canon)) => {
                    out.push_str(canon);
                    i += v.len();
                }
                None => {
                    let c = s[i..].chars().next().expect("inside the text");
                    out.push(c);
                    i += c.len_utf8();
                }
            }
        }
        out
    }

    /// The concept and aspect figure `key` states: by the aliases, else by the aspect keys.
    fn split(&self, key: &str) -> (String, Aspect) {
        let key = self.aliases.get(key).map_or(key, String::as_str);
        for (a, t) in &self.keys {
            let Some((before, after)) = t.split_once("{c}") else {
                continue;
            };
            if let Some(c) = key
                .strip_prefix(before)
                .and_then(|r| r.strip_suffix(after))
                .filter(|c| !c.is_empty())
            {
                return (c.to_string(), *a);
            }
        }
        (key.to_string(), Aspect::Actual)
    }

    /// The figure key of `aspect` of `concept`, if the catalog has one.
    /// (A budget the catalog defines once, `{c}.budget`, is the one the figure's table
    /// prints, whichever the sentence calls it.)
    pub fn key(&self, concepts: &Concepts, concept: &str, aspect: Aspect) -> Option<String> {
        let m = concepts.figures.get(concept)?;
        let other = match aspect {
            Aspect::Budget => Some(Aspect::FullBudget),
            Aspect::FullBudget => Some(Aspect::Budget),
            _ => None,
        };
        m.get(&aspect)
            .or_else(|| other.and_then(|o| m.get(&o)))
            .cloned()
    }
}

/// `text` without spaces, quotes, `、` and the `（类）/（款）/（项）` marks, with full-width
/// parentheses and colons.
pub fn plain(text: &str) -> String {
    let s: String = text
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(c, '“' | '”' | '"' | '‘' | '’' | '\'' | '、' | '\u{3000}')
        })
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            ':' => '：',
            _ => c,
        })
        .collect();
    s.replace("（类）", "")
        .replace("（款）", "")
        .replace("（项）", "")
}

/// The subjects of one report: every figure of the catalog over its tables, grouped by the
/// concept it is an aspect of, with the names each concept goes by.
#[derive(Clone, Debug, Default)]
pub struct Concepts {
    /// Concept → aspect → figure key.
    pub figures: BTreeMap<String, BTreeMap<Aspect, String>>,
    /// Concept → its name: the label of its figure of this year's amount (else of the first
    /// aspect listed), for people.
    pub labels: BTreeMap<String, Text>,
    /// Normalized name → concept (names two concepts share are left out).
    names: Vec<(String, String)>,
    /// Every name of `names` sought at once (pattern `i` is `names[i].0`): a sentence is
    /// searched for hundreds of names.
    searcher: Option<aho_corasick::AhoCorasick>,
}

impl Concepts {
    /// The concepts of `figures` over the tables read into `sheet`, named by their labels
    /// (aspect words removed), their family member's name and the lexicon's names.
    pub fn new(lex: &Lexicon, figures: &FigureCatalog, sheet: &Sheet) -> Concepts {
        let scheme = Scheme::default();
        let ctx = Context {
            sheet,
            input: None,
            scheme: &scheme,
        };
        let mut c = Concepts::default();
        let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
        // Names of the economic 款 (below): a name another figure goes by stays that figure's
        // (`公务接待费` is the 三公 category, not the 款 30217 of basic expenditure).
        let mut sections: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, label, member) in figures.labels(&ctx) {
            let (concept, aspect) = lex.split(&key);
            c.figures
                .entry(concept.clone())
                .or_default()
                .entry(aspect)
                .or_insert(key.clone());
            if aspect == Aspect::Actual || !c.labels.contains_key(&concept) {
                c.labels.insert(concept.clone(), label.clone());
            }
            if !matches!(
                aspect,
                Aspect::Actual | Aspect::Budget | Aspect::FullBudget | Aspect::Prior
            ) {
                continue;
            }
            // A family member is named by its own name (a row's label, a term's name); one
            // whose name was not read has none.
            // A functional 款 or 项 (a code longer than a 类's three digits, its figure labelled
            // by the code) is named only under its parents (`…（类）…（款）…（项）`): `行政运行`
            // is the name of many. An economic 款 (基本工资, 办公费) goes by its name, which
            // its figure's label prints.
            let section = member
                .as_ref()
                .is_some_and(|m| m.id.len() > 3 && m.id.bytes().all(|b| b.is_ascii_digit()));
            let name = match &member {
                Some(m) if section && !label.zh.contains(m.label.zh.as_str()) => continue,
                Some(m) => strip_numbering(&m.label.zh),
                None => strip_aspect(lex, &label.zh),
            };
            let name = lex.norm(&name);
            if name.chars().count() >= 3 {
                let list = if section { &mut sections } else { &mut names }
                    .entry(name)
                    .or_default();
                if !list.contains(&concept) {
                    list.push(concept);
                }
            }
        }
        for (name, list) in sections {
            names.entry(name).or_insert(list);
        }
        for (concept, extra) in &lex.names {
            for n in extra {
                let n = lex.norm(n);
                let list = names.entry(n).or_default();
                // The lexicon's word for a concept overrides what labels share.
                list.retain(|x| x == concept);
                if list.is_empty() {
                    list.push(concept.clone());
                }
            }
        }
        c.names = names
            .into_iter()
            .filter(|(_, list)| list.len() == 1)
            .map(|(n, mut list)| (n, list.remove(0)))
            .collect();
        c.names
            .sort_by_key(|(n, _)| std::cmp::Reverse(n.chars().count()));
        // Names are a few hundred short strings: building cannot exceed the automaton's limits,
        // and without it `find` finds nothing rather than failing.
        c.searcher = aho_corasick::AhoCorasick::new(c.names.iter().map(|(n, _)| n)).ok();
        c
    }

    /// The concept whose name `text` (normalized) contains: the longest name, and where it
    /// ends in `text`; the last such occurrence when several concepts' names occur.
    pub fn find(&self, text: &str) -> Option<(&str, usize)> {
        // Every occurrence of every name, overlapping ones included: longer names first; of
        // equal length, the later one (names are distinct, so no two tie on both).
        let best = self
            .searcher
            .as_ref()?
            .find_overlapping_iter(text)
            .max_by_key(|m| (m.len(), m.start()))?;
        Some((self.names[best.pattern().as_usize()].1.as_str(), best.end()))
    }
}

/// A label without the `一、` a 总表 prints before a 类 name.
fn strip_numbering(label: &str) -> String {
    let l = label.trim();
    match l.split_once('、') {
        Some((n, rest)) if n.chars().all(|c| "一二三四五六七八九十".contains(c)) => {
            rest.to_string()
        }
        _ => l.to_string(),
    }
}

/// A label without its aspect words at the end (`…支出决算` → `…`) or `上年` at the start.
fn strip_aspect(lex: &Lexicon, label: &str) -> String {
    let mut s = plain(label);
    if let Some(r) = s.strip_prefix("上年") {
        s = r.to_string();
    }
    loop {
        let before = s.clone();
        for (_, words) in &lex.aspect_words {
            for w in words {
                if let Some(r) = s.strip_suffix(w.as_str())
                    && !r.is_empty()
                {
                    s = r.to_string();
                }
            }
        }
        if s == before {
            return s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        let assets = juesuan_input::assets::Assets::builtin().unwrap();
        Lexicon::new(&assets.final_accounts().unwrap().lexicons).unwrap()
    }

    #[test]
    fn keys_name_aspects_of_concepts() {
        let l = lex();
        assert_eq!(
            l.split("sangong.abroad.budget"),
            ("sangong.abroad".into(), Aspect::Budget)
        );
        assert_eq!(l.split("prior.income"), ("income".into(), Aspect::Prior));
        assert_eq!(
            l.split("income.fiscal.share"),
            ("income.fiscal".into(), Aspect::Share)
        );
        assert_eq!(
            l.split("grand_total"),
            ("grand_total".into(), Aspect::Actual)
        );
        assert_eq!(
            l.split("gb.budget_total"),
            ("general_budget_expenditure".into(), Aspect::Budget)
        );
    }

    #[test]
    fn synonyms_read_as_one_phrase() {
        let l = lex();
        assert_eq!(l.norm("收入、支出总计"), l.norm("收支总计"));
        assert_eq!(l.norm("一般公共服务（类）支出"), "一般公共服务支出");
        assert_eq!(l.norm("“三公”经费"), l.norm("三公经费财政拨款支出"));
        let bad = Source::new("x.toml", "[aspects.sideways]\nwords = [\"x\"]\n");
        assert!(Lexicon::new(&[bad]).is_err());
    }
}
