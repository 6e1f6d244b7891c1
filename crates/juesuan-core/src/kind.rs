//! A document kind: what one kind of disclosure is made of, as data.
//!
//! A [`Kind`] names the tables a disclosure of that kind has (部门决算: 收入支出决算总表 …
//! "三公"经费支出决算表), what each of their value columns means, and how their rows are
//! addressed. Layouts print these tables, rules check them, figures and the audit's lexicon
//! speak of them — all by the keys defined here, so a second kind (部门预算) is a second
//! bundle of files, not a fork of the engine. The bundle's files are read by
//! `juesuan-input`'s assets loader; this module holds the shapes and their checks.

use crate::diag::{Diagnostic, Location};
use crate::text::{Lang, Text};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// The id of the first kind, 部门决算: layouts that name no kind print its tables.
pub const FINAL_ACCOUNTS: &str = "final-accounts";

/// A table's role within its document kind (`summary`, `income`, `sangong`…): its key.
///
/// Keys are defined by the kind ([`Kind::tables`]), not by the code: a new kind brings its own.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TableId(Arc<str>);

impl Serialize for TableId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for TableId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TableId, D::Error> {
        Ok(TableId::new(&String::deserialize(d)?))
    }
}

impl TableId {
    /// The table with key `key` (any key; whether a kind has it is checked where it is used).
    pub fn new(key: &str) -> TableId {
        TableId(Arc::from(key))
    }

    /// The key, as layout files, rules and JSON write it.
    pub fn key(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TableId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", &*self.0)
    }
}

impl fmt::Display for TableId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for TableId {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for TableId {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

/// How a table's rows are addressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowsBy {
    /// Fixed lines with 行次 (rules write `L27`).
    Lines,
    /// Function classification codes 类/款/项 (rules write `C2060101`), and totals by label.
    Function,
    /// Economic classification codes 类/款 (`C30101`), and totals by label.
    Economic,
    /// One row of figures (rules write `_`).
    Single,
}

/// A value column a table of the kind may have: what it means, whatever its position or
/// printed 栏次 in a layout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnDef {
    /// Key (`fiscal`, `basic`, `actual_total`): how layouts, rules and figures name it.
    pub key: String,
    /// What it holds, in both languages; when the file gives none, the name of the term with
    /// the same key in one of the table's [`TableDef::terms`] vocabularies.
    #[serde(default)]
    pub name: Text,
    /// Other headings reports print over it (`决算数` over a 收支决算总表's amounts, `合计`
    /// over the 一般公共预算 table's 小计): how a layout is drafted from a report
    /// (`juesuan layout infer`) knows the column by its heading. A multi-level heading is
    /// written as its levels separated by spaces, as `name` is (`预算数 合计`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// A table of the kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDef {
    /// Key.
    pub key: TableId,
    /// The title of the national template.
    pub title: Text,
    /// Other titles reports print it under (regions, years); the audit finds tables by every
    /// layout's title and these.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// How its rows are addressed.
    pub rows: RowsBy,
    /// Core vocabularies ([`crate::facts::VOCABULARIES`]) whose terms name the columns that
    /// have no name of their own (`income_source` for 收入决算表's sources).
    #[serde(default)]
    pub terms: Vec<String>,
    /// The value columns it may have.
    pub columns: Vec<ColumnDef>,
    /// Words naming what it holds that no other table of the kind is about (`政府性基金`,
    /// `国有资本经营`): the note beneath it, when it is empty, speaks of them, not of another
    /// table's (rule D007).
    #[serde(default)]
    pub subject: Vec<String>,
}

impl TableDef {
    /// The column with key `key`.
    pub fn column(&self, key: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.key == key)
    }

    /// The keys of its value columns, in order.
    pub fn column_keys(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.key.as_str()).collect()
    }
}

/// A section of a kind's narrative (情况说明): one of the numbered parts reports write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    /// Key (`sangong`), stable whatever its number in a report.
    pub key: String,
    /// Its heading, without the number (`财政拨款“三公”经费支出决算情况说明`).
    pub title: Text,
    /// Other headings reports give it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The table whose 类/款/项 its sentences name (`一般公共服务支出（类）财政事务（款）…`), if
    /// it describes one item by item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Its table holds every fund (a 收支总表): its own items are that table's rows, but a
    /// section without a table of its own does not look its items up there (they are an
    /// appropriation's rows, which another fund would not make equal).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all_funds: bool,
}

/// Where a kind's narrative stands in a published report, and its sections.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NarrativeDef {
    /// A line that starts with one of these (spaces removed) begins the narrative, after the
    /// tables (`第三部分`).
    #[serde(default)]
    pub begins: Vec<String>,
    /// A line that starts with one of these ends it (`第四部分`); without one, the document
    /// does.
    #[serde(default)]
    pub ends: Vec<String>,
    /// The narrative may stand before the tables too (a budget's `编制说明`): it is then read
    /// wherever a line begins it (a heading, after its numbering or year, not an entry of the
    /// contents) up to a line that ends it or a table's title, as often as it begins.
    #[serde(default)]
    pub before_tables: bool,
    /// Its sections, in the national template's order.
    #[serde(default)]
    pub sections: Vec<SectionDef>,
}

impl NarrativeDef {
    /// The section whose heading `heading` (a numbered line, spaces removed) names: of the
    /// sections whose title or an alias the heading contains, the one with the longest match
    /// (`财政拨款收入支出决算总体情况说明` contains `收入支出决算总体情况说明` too).
    pub fn section_of(&self, heading: &str) -> Option<&SectionDef> {
        // Quotes are printed “”, "" or not at all.
        let bare = |t: &str| -> String {
            t.chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”' | '"'))
                .collect()
        };
        let heading = bare(heading);
        self.sections
            .iter()
            .filter_map(|s| {
                std::iter::once(bare(&s.title.zh))
                    .chain(s.aliases.iter().map(|a| bare(a)))
                    .filter(|t| !t.is_empty() && heading.contains(t.as_str()))
                    .map(|t| t.chars().count())
                    .max()
                    .map(|n| (n, s))
            })
            .max_by_key(|(n, _)| *n)
            .map(|(_, s)| s)
    }
}

/// What a document kind's documents are called: the whole report and the tables alone, each
/// as its cover's heading and as its title bar (`{department}` and `{year}` filled in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentTitles {
    /// The report's heading (`{year} 年度部门决算`).
    pub report: Text,
    /// The report's title bar (`{department} {year} 年度部门决算`).
    pub report_title: Text,
    /// The tables page's heading.
    pub tables: Text,
    /// The tables page's title bar.
    pub tables_title: Text,
}

impl Default for DocumentTitles {
    /// The 部门决算's.
    fn default() -> DocumentTitles {
        DocumentTitles {
            report: Text::new("{year} 年度部门决算", "Departmental final accounts {year}"),
            report_title: Text::new(
                "{department} {year} 年度部门决算",
                "{department}: final accounts {year}",
            ),
            tables: Text::new(
                "{year} 年度部门决算公开表",
                "Departmental final accounts {year}: public tables",
            ),
            tables_title: Text::new(
                "{department} {year} 年度部门决算公开表",
                "{department}: final accounts {year}, public tables",
            ),
        }
    }
}

impl DocumentTitles {
    /// `t` for `department` and `year` in `lang`.
    pub fn fill(t: &Text, department: &str, year: i32, lang: Lang) -> String {
        t.get(lang)
            .replace("{department}", department)
            .replace("{year}", &year.to_string())
    }
}

/// A kind of disclosure (部门决算, 部门预算): its tables and its narrative.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    /// Identifier (`final-accounts`), as layouts name it.
    pub id: String,
    /// Name, in both languages.
    pub name: Text,
    /// The layout used when neither the input nor the command line names one.
    pub default_layout: String,
    /// Which facts its documents show: 决算数 (a 部门决算, the default) or 预算数 (a 部门预算).
    #[serde(default = "actual")]
    pub scenario: crate::facts::Scenario,
    /// Its tables, in the national template's order.
    pub tables: Vec<TableDef>,
    /// Its narrative: where it stands in a report, and its sections.
    #[serde(default)]
    pub narrative: NarrativeDef,
    /// The parts of a published report besides its tables and its narrative's sections
    /// (`名词解释`), found by a heading that holds their title or an alias.
    #[serde(default)]
    pub parts: Vec<SectionDef>,
    /// What its documents are called on their covers and title bars.
    #[serde(default)]
    pub titles: DocumentTitles,
}

fn actual() -> crate::facts::Scenario {
    crate::facts::Scenario::Actual
}

impl Kind {
    /// The table with key `key`.
    pub fn table(&self, key: &str) -> Option<&TableDef> {
        self.tables.iter().find(|t| t.key == key)
    }

    /// The keys of its tables, in order.
    pub fn table_keys(&self) -> Vec<&str> {
        self.tables.iter().map(|t| t.key.key()).collect()
    }

    /// The kind as a file gives it, checked, with every column named: table keys and each
    /// table's column keys unique and non-empty, vocabularies known, a column without a name a
    /// term of one of its table's vocabularies. `file` names it in diagnostics.
    pub fn resolve(mut self, file: &str) -> Result<Kind, Vec<Diagnostic>> {
        let mut problems = self.check(file);
        for t in &mut self.tables {
            for v in &t.terms {
                if crate::facts::terms(v).is_none() {
                    problems.push(kind_error(
                        file,
                        t.key.key(),
                        format!("表 {} 引用了未知的词表 {v}", t.key),
                        format!("table {} names an unknown vocabulary {v}", t.key),
                    ));
                }
            }
            for c in &mut t.columns {
                if !c.name.is_empty() {
                    continue;
                }
                match t.terms.iter().find_map(|v| crate::facts::term(v, &c.key)) {
                    Some(term) => c.name = term.name(),
                    None => problems.push(kind_error(
                        file,
                        t.key.key(),
                        format!("表 {} 的列 {} 没有名称，词表中也没有同名的词", t.key, c.key),
                        format!(
                            "column {} of table {} has no name and no vocabulary term has its key",
                            c.key, t.key
                        ),
                    )),
                }
            }
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }

    /// Proves the kind well formed: table keys and each table's column keys unique and
    /// non-empty. `file` names it in diagnostics.
    pub fn check(&self, file: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut fail = |what: String, zh: String, en: String| {
            problems.push(kind_error(file, &what, zh, en));
        };
        if self.id.trim().is_empty() {
            fail(
                "id".into(),
                "文书类型缺少 id".into(),
                "the document kind has no id".into(),
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        for t in &self.tables {
            if t.key.key().is_empty() || !seen.insert(t.key.clone()) {
                fail(
                    t.key.to_string(),
                    format!("表 key “{}” 为空或重复", t.key),
                    format!("table key “{}” is empty or appears twice", t.key),
                );
            }
            let mut cols = std::collections::BTreeSet::new();
            for c in &t.columns {
                if c.key.is_empty() || !cols.insert(c.key.as_str()) {
                    fail(
                        t.key.to_string(),
                        format!("表 {} 的列 key “{}” 为空或重复", t.key, c.key),
                        format!(
                            "column key “{}” of table {} is empty or repeated",
                            c.key, t.key
                        ),
                    );
                }
            }
        }
        problems
    }
}

fn kind_error(file: &str, what: &str, zh: String, en: String) -> Diagnostic {
    Diagnostic::error(
        "E1302",
        Location::File {
            file: format!("{file}#{what}"),
        },
        Text::new(zh, en),
    )
}
