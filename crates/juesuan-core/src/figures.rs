//! The figure catalog: every named figure the narrative, charts, scores and the audit speak of,
//! each defined once (a bundle's `figures.toml`) in the formula language, with its label.
//!
//! A figure is a key (`grand_total`, `income.fiscal.share`, `gb.class.206`), a label in both
//! languages and a definition: cells of the tables (`summary[L31]`), other figures
//! (`@income.change / @prior.income`), numbers of the department's own input
//! (`input(prior_year.income)`), or a function (`execution_score(…)`). A **family** defines one
//! figure per member of a domain — the 类 rows of a table, the projects of the input, the terms
//! of a vocabulary — with `{var}` in its key, label and definition (docs/extending.md).
//!
//! The same definitions serve the writer and the auditor: a build evaluates every figure over
//! its exact tables and its input ([`FigureCatalog::evaluate`]); an audit resolves the figure a
//! sentence states into the cells it stands for ([`FigureCatalog::cells`]) and compares the
//! stated number with the printed ones, rounding-aware. The charts of the report are defined
//! here too ([`ChartDef`]): which figures each shows.

use crate::diag::{Diagnostic, Location};
use crate::disclosure::{DepartmentEvaluation, ProjectEvaluation, Scheme};
use crate::money::{AmountUnit, Money};
use crate::rules::formula::{self, CellRef, Expr, FigureFormula, RowFilter, Term};
use crate::rules::sheet::{Interval, Sheet};
use crate::text::Text;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};

/// What a figure is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Value {
    /// An exact amount.
    Money {
        /// The amount.
        value: Money,
    },
    /// A ratio of two exact amounts, printed as a percentage; no value when the base is zero.
    Ratio {
        /// Numerator.
        num: Money,
        /// Denominator (base).
        den: Money,
    },
    /// A count of things.
    Count {
        /// The count.
        value: u64,
    },
    /// A score (2 decimals).
    Score {
        /// The score.
        value: Decimal,
    },
}

/// One figure of a department-year and where it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// What it is called, in both languages.
    pub label: Text,
    /// A shorter name for narrow places (chart legends).
    #[serde(skip)]
    pub terse: Text,
    /// Its value.
    pub value: Value,
    /// Its definition, as the catalog writes it (members of a family filled in).
    pub formula: String,
    /// Table cells (`table/row/column`) and input fields (`input:prior_year.grand_total`) it
    /// reads itself (not through other figures).
    pub sources: Vec<String>,
}

/// A figure (or a family of figures) as a catalog file writes it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureDef {
    /// Key; a family's has `{var}` for its member (`gb.class.{r}`).
    pub key: String,
    /// A family's domain: `VAR in DOMAIN`, DOMAIN one of `rows(TABLE, KINDS)`, `input(PATH)`,
    /// `terms(VOCABULARY)`, `[a, b, …]`, or several joined with `|` (their union, by id).
    #[serde(default, rename = "for")]
    pub domain: Option<String>,
    /// Label in both languages (`{var}`, `{var.label}` filled in for a family).
    #[serde(default)]
    pub label: Option<Text>,
    /// A core vocabulary term whose names label it: `income_source.business`, or `{var}` of a
    /// `terms(…)` family.
    #[serde(default)]
    pub term: Option<String>,
    /// The definition (see [`formula::parse_figure`]).
    pub value: String,
    /// The figure exists only where this input path holds something (`input(budgets)`: the
    /// budgets are known, not zero).
    #[serde(default, rename = "if")]
    pub only_if: Option<String>,
    /// `money` (the default), `count` or `score`: what a sum over nothing comes to.
    #[serde(default)]
    pub unit: Unit,
}

/// What a figure counts in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// An amount (元; printed in the tables' unit).
    #[default]
    Money,
    /// A count of things.
    Count,
    /// A score.
    Score,
    /// A ratio of two amounts, printed as a percentage.
    Ratio,
}

/// A chart of the report: which figures it shows.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChartDef {
    /// Id, as narrative templates insert it (`[[chart:income|…]]`).
    pub id: String,
    /// `bars` (one bar per figure, labelled by its year) or `donut` (shares of a whole).
    pub kind: ChartKind,
    /// Title, in both languages.
    pub title: Text,
    /// Bars: figures and the year each stands for, relative to the report's (-1: last year).
    #[serde(default)]
    pub bars: Vec<Bar>,
    /// Donut: the figures that make up the whole, labelled by their terse names.
    #[serde(default)]
    pub parts: Vec<String>,
}

/// Kinds of charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Bars side by side.
    Bars,
    /// A ring of shares.
    Donut,
}

/// One bar.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bar {
    /// The figure.
    pub figure: String,
    /// Its year relative to the report's.
    #[serde(default)]
    pub year: i32,
}

/// A figure catalog file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureFile {
    /// Figures and families.
    #[serde(default)]
    pub figures: Vec<FigureDef>,
    /// Charts.
    #[serde(default)]
    pub charts: Vec<ChartDef>,
}

/// One member of a family's domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// What `{var}` becomes: a code, a key, a position from 1.
    pub id: String,
    /// What `{var.i}` becomes: the position from 0 in an input list.
    pub index: Option<usize>,
    /// What `{var.label}` becomes.
    pub label: Text,
    /// The terse name of a vocabulary term.
    pub terse: Option<Text>,
}

/// A checked catalog: figures in file order (later files' figures replace earlier ones by key)
/// and charts.
#[derive(Clone, Debug, Default)]
pub struct FigureCatalog {
    defs: Vec<FigureDef>,
    /// The charts of the report.
    pub charts: Vec<ChartDef>,
}

/// What a build's figures are evaluated over.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The tables, exact.
    pub sheet: &'a Sheet,
    /// The department's own input as JSON (`prior_year`, `budgets`, `performance`…, and
    /// `units`); none in an audit.
    pub input: Option<&'a Json>,
    /// How 绩效 forms are scored.
    pub scheme: &'a Scheme,
}

/// A definition resolved into the cells it stands for: a signed sum of cell references, or
/// the ratio of two. What an audit compares a stated number with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// An amount.
    Amount(Expr),
    /// A ratio.
    Ratio(Expr, Expr),
}

/// A catalog problem.
fn catalog_error(file: &str, key: &str, zh: String, en: String) -> Diagnostic {
    Diagnostic::error(
        "E1303",
        Location::File {
            file: format!("{file}#{key}"),
        },
        Text::new(zh, en),
    )
}

/// The variable a family binds (`r` of `r in rows(…)`), if `def` is one.
fn variable(domain: &str) -> Option<&str> {
    let (var, _) = domain.split_once(" in ")?;
    Some(var.trim())
}

/// `text` with `{var}`, `{var.i}` and `{var.label}` filled in for `m` (the label in `lang`'s
/// words where `zh` is false).
fn fill(text: &str, var: &str, m: &Member, zh: bool) -> String {
    let label = if zh {
        m.label.zh.as_str()
    } else {
        m.label.get(crate::Lang::En)
    };
    text.replace(&format!("{{{var}.label}}"), label)
        .replace(
            &format!("{{{var}.i}}"),
            &m.index.map(|i| i.to_string()).unwrap_or_default(),
        )
        .replace(&format!("{{{var}}}"), &m.id)
}

/// A concrete figure: a definition with its member filled in.
#[derive(Clone, Debug)]
struct Concrete {
    key: String,
    label: Text,
    terse: Text,
    value: String,
    only_if: Option<String>,
    unit: Unit,
}

impl FigureCatalog {
    /// Checks catalog files (later ones replace figures of earlier ones by key, and charts by
    /// id): keys unique within a file, every definition parses, a family's key uses its
    /// variable, every figure has a label or a term, every chart's figures exist. `name` of
    /// each file names it in diagnostics.
    pub fn new(files: Vec<(String, FigureFile)>) -> Result<FigureCatalog, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut cat = FigureCatalog::default();
        for (name, file) in files {
            let mut seen = BTreeSet::new();
            for def in file.figures {
                if !seen.insert(def.key.clone()) {
                    problems.push(catalog_error(
                        &name,
                        &def.key,
                        format!("数字 {} 重复定义", def.key),
                        format!("figure {} is defined twice", def.key),
                    ));
                }
                problems.extend(check_def(&name, &def));
                cat.defs.retain(|d| d.key != def.key);
                cat.defs.push(def);
            }
            for chart in file.charts {
                cat.charts.retain(|c| c.id != chart.id);
                cat.charts.push(chart);
            }
        }
        for c in &cat.charts {
            let figures = c.bars.iter().map(|b| &b.figure).chain(&c.parts);
            for f in figures {
                if cat.concrete(f).is_none() {
                    problems.push(catalog_error(
                        "charts",
                        &c.id,
                        format!("图表 {} 引用了未定义的数字 {f}", c.id),
                        format!("chart {} shows figure {f}, which is not defined", c.id),
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(cat)
        } else {
            Err(problems)
        }
    }

    /// Every definition, in catalog order.
    pub fn defs(&self) -> &[FigureDef] {
        &self.defs
    }

    /// The chart `id`.
    pub fn chart(&self, id: &str) -> Option<&ChartDef> {
        self.charts.iter().find(|c| c.id == id)
    }

    /// The definition of `key` with a family's member filled in from the key itself (the
    /// member's label is not known this way).
    fn concrete(&self, key: &str) -> Option<Concrete> {
        if let Some(d) = self
            .defs
            .iter()
            .find(|d| d.domain.is_none() && d.key == key)
        {
            return Some(concrete(d, None));
        }
        self.defs.iter().find_map(|d| {
            let var = variable(d.domain.as_deref()?)?;
            let id = bind(&d.key, var, key)?;
            let m = Member {
                id,
                index: None,
                label: Text::default(),
                terse: None,
            };
            Some(concrete(d, Some((var, &m))))
        })
    }

    /// The cells figure `key` stands for: its definition with every figure it names resolved
    /// in turn, as long as it reads only table cells (a figure of the input resolves to
    /// nothing). What an audit checks a stated number against.
    pub fn cells(&self, key: &str) -> Option<Resolved> {
        let c = self.concrete(key)?;
        let f = formula::parse_figure(&c.value).ok()?;
        let num = self.flatten(&f.num, 0)?;
        match f.den {
            None => Some(Resolved::Amount(num)),
            Some(den) => Some(Resolved::Ratio(num, self.flatten(&den, 0)?)),
        }
    }

    /// `e` with every `@figure` replaced by the cells it stands for.
    fn flatten(&self, e: &Expr, depth: usize) -> Option<Expr> {
        if depth > 16 {
            return None;
        }
        let mut terms = Vec::new();
        for (sign, t) in &e.terms {
            match t {
                Term::Cell(_) | Term::Sum(_) | Term::Zero => terms.push((*sign, t.clone())),
                Term::Group(g) => {
                    let inner = self.flatten(g, depth + 1)?;
                    terms.extend(inner.terms.into_iter().map(|(s, t)| (s * sign, t)));
                }
                Term::Figure(k) => match self.cells(k)? {
                    Resolved::Amount(inner) => {
                        let inner = self.flatten(&inner, depth + 1)?;
                        terms.extend(inner.terms.into_iter().map(|(s, t)| (s * sign, t)));
                    }
                    Resolved::Ratio(..) => return None,
                },
                _ => return None,
            }
        }
        Some(Expr { terms })
    }

    /// Every figure's key and label over `ctx` (each family expanded over its members there),
    /// in catalog order, whether or not it can be evaluated: what an audit's reader resolves a
    /// sentence's words against.
    /// (A family member's figure also gives the member's own name: a row's label, a term's
    /// name.)
    pub fn labels(&self, ctx: &Context) -> Vec<(String, Text, Option<Member>)> {
        let mut out = Vec::new();
        for d in &self.defs {
            match d.domain.as_deref() {
                None => {
                    let c = concrete(d, None);
                    out.push((c.key, c.label, None));
                }
                Some(domain) => {
                    let var = variable(domain).unwrap_or_default();
                    for m in members(domain, ctx) {
                        let c = concrete(d, Some((var, &m)));
                        out.push((c.key, c.label, Some(m)));
                    }
                }
            }
        }
        out
    }

    /// Every figure of a department-year: each family expanded over its members, each
    /// definition evaluated once (figures named by others first). A figure whose definition
    /// cannot be evaluated here (its input absent, its table not printed) is left out.
    pub fn evaluate(&self, ctx: &Context) -> BTreeMap<String, Figure> {
        let mut order: Vec<Concrete> = Vec::new();
        for d in &self.defs {
            match d.domain.as_deref() {
                None => order.push(concrete(d, None)),
                Some(domain) => {
                    let var = variable(domain).unwrap_or_default();
                    for m in members(domain, ctx) {
                        order.push(concrete(d, Some((var, &m))));
                    }
                }
            }
        }
        let index: BTreeMap<&str, usize> = order
            .iter()
            .enumerate()
            .rev()
            .map(|(i, c)| (c.key.as_str(), i))
            .collect();
        let mut e = Evaluator {
            ctx,
            order: &order,
            index: &index,
            done: BTreeMap::new(),
            busy: BTreeSet::new(),
            unit: Unit::Money,
        };
        for c in &order {
            e.figure(&c.key);
        }
        e.done
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?)))
            .collect()
    }
}

/// `key` matched against a family's key `pattern` (`gb.class.{r}`): what `{var}` stands for.
fn bind(pattern: &str, var: &str, key: &str) -> Option<String> {
    let hole = format!("{{{var}}}");
    let (before, after) = pattern.split_once(&hole)?;
    let rest = key.strip_prefix(before)?.strip_suffix(after)?;
    (!rest.is_empty() && !rest.contains('.')).then(|| rest.to_string())
}

fn concrete(d: &FigureDef, member: Option<(&str, &Member)>) -> Concrete {
    let f = |s: &str, zh: bool| match member {
        Some((var, m)) => fill(s, var, m, zh),
        None => s.to_string(),
    };
    let term = d.term.as_deref().map(|t| f(t, true)).and_then(|t| {
        let (vocabulary, key) = t.split_once('.')?;
        crate::facts::term(vocabulary, key)
    });
    let label = match (&d.label, &term) {
        (Some(l), _) => Text {
            zh: f(&l.zh, true),
            en: f(&l.en, false),
        },
        (None, Some(t)) => t.name(),
        (None, None) => Text::default(),
    };
    let terse = term.map_or_else(|| label.clone(), |t| t.terse());
    Concrete {
        key: f(&d.key, true),
        label,
        terse,
        value: f(&d.value, true),
        only_if: d.only_if.as_deref().map(|s| f(s, true)),
        unit: d.unit,
    }
}

/// Problems of one definition, found without any department: its domain, its key and its
/// definition with a stand-in member.
fn check_def(file: &str, d: &FigureDef) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut fail = |zh: String, en: String| problems.push(catalog_error(file, &d.key, zh, en));
    // A stand-in that parses wherever a member goes: a code after `C`, a column key, a key.
    let member = Member {
        id: "x0".into(),
        index: Some(0),
        label: Text::same("x"),
        terse: None,
    };
    let var = match d.domain.as_deref() {
        None => None,
        Some(domain) => match variable(domain) {
            Some(v) if !v.is_empty() && domains(domain).is_some() => {
                if !d.key.contains(&format!("{{{v}}}")) && !d.key.contains(&format!("{{{v}.i}}")) {
                    fail(
                        format!("族数字的 key 须含 {{{v}}}"),
                        format!("a family's key must contain {{{v}}}"),
                    );
                }
                Some(v)
            }
            _ => {
                fail(
                    format!("无法解析的定义域：{domain}"),
                    format!("the domain does not parse: {domain}"),
                );
                return problems;
            }
        },
    };
    if d.label.is_none() && d.term.is_none() {
        fail(
            "数字须有 label 或 term".into(),
            "a figure needs a label or a term".into(),
        );
    }
    let c = concrete(d, var.map(|v| (v, &member)));
    if let Err(e) = formula::parse_figure(&c.value) {
        fail(
            format!("定义无法解析（第 {} 个字符处）：{}", e.at + 1, c.value),
            format!(
                "the definition does not parse at character {}: {}",
                e.at + 1,
                c.value
            ),
        );
    }
    if c.key.contains('{') {
        fail(
            "key 中有未绑定的变量".into(),
            "the key has a variable no domain binds".into(),
        );
    }
    problems
}

/// One domain of a `for` (the part after `in`), split on `|`.
enum Domain {
    Rows(String, Vec<RowFilter>),
    Input(String),
    Terms(String),
    List(Vec<String>),
}

/// The domains of `VAR in D1 | D2`.
fn domains(domain: &str) -> Option<Vec<Domain>> {
    let (_, rest) = domain.split_once(" in ")?;
    rest.split('|')
        .map(|d| {
            let d = d.trim();
            if let Some(inner) = d.strip_prefix("rows(").and_then(|x| x.strip_suffix(')')) {
                let mut parts = inner.split(',').map(str::trim);
                let table = parts.next()?.to_string();
                let kinds = parts
                    .map(|k| match k {
                        "lei" => Some(RowFilter::Lei),
                        "kuan" => Some(RowFilter::Kuan),
                        "xiang" => Some(RowFilter::Xiang),
                        "total" => Some(RowFilter::Total),
                        "line" => Some(RowFilter::Line),
                        "code" => Some(RowFilter::Code),
                        "all" => Some(RowFilter::All),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(Domain::Rows(table, kinds))
            } else if let Some(p) = d.strip_prefix("input(").and_then(|x| x.strip_suffix(')')) {
                Some(Domain::Input(p.trim().to_string()))
            } else if let Some(v) = d.strip_prefix("terms(").and_then(|x| x.strip_suffix(')')) {
                crate::facts::terms(v.trim())?;
                Some(Domain::Terms(v.trim().to_string()))
            } else {
                d.strip_prefix('[')
                    .and_then(|x| x.strip_suffix(']'))
                    .map(|l| {
                        Domain::List(
                            l.split(',')
                                .map(|s| s.trim().to_string())
                                .filter(|s| !s.is_empty())
                                .collect(),
                        )
                    })
            }
        })
        .collect()
}

/// The members of a family's domain in a department-year.
fn members(domain: &str, ctx: &Context) -> Vec<Member> {
    let Some(list) = domains(domain) else {
        return Vec::new();
    };
    let union = list.len() > 1;
    let mut out: Vec<Member> = Vec::new();
    for d in list {
        let found: Vec<Member> = match d {
            Domain::Rows(table, kinds) => ctx
                .sheet
                .table(&table)
                .map(|t| {
                    t.rows
                        .iter()
                        .filter(|r| crate::rules::eval::row_matches(r, &kinds))
                        .map(|r| Member {
                            id: r.code.clone().unwrap_or_else(|| r.address()),
                            index: None,
                            label: r.label.clone(),
                            terse: None,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            Domain::Input(path) => match ctx.input.and_then(|i| select(i, &path)) {
                Some(Selected::One(Json::Array(items))) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| Member {
                        id: (i + 1).to_string(),
                        index: Some(i),
                        label: Text::same(
                            ["name", "item"]
                                .iter()
                                .find_map(|f| item.get(f)?.as_str())
                                .unwrap_or_default(),
                        ),
                        terse: None,
                    })
                    .collect(),
                Some(Selected::One(Json::Object(map))) => map
                    .keys()
                    .map(|k| Member {
                        id: k.clone(),
                        index: None,
                        label: Text::same(k.clone()),
                        terse: None,
                    })
                    .collect(),
                Some(Selected::Many(values)) => values
                    .iter()
                    .filter_map(|v| v.as_str())
                    .map(|s| Member {
                        id: s.to_string(),
                        index: None,
                        label: Text::same(s),
                        terse: None,
                    })
                    .collect(),
                _ => Vec::new(),
            },
            Domain::Terms(v) => crate::facts::terms(&v)
                .unwrap_or_default()
                .into_iter()
                .map(|t| Member {
                    id: t.key.to_string(),
                    index: None,
                    label: t.name(),
                    terse: Some(t.terse()),
                })
                .collect(),
            Domain::List(items) => items
                .into_iter()
                .map(|s| Member {
                    label: Text::same(s.clone()),
                    id: s,
                    index: None,
                    terse: None,
                })
                .collect(),
        };
        for m in found {
            if !out.iter().any(|x| x.id == m.id) {
                out.push(m);
            }
        }
    }
    // A union's members come from several places: in the order of their ids (codes sort as
    // tables print them).
    if union {
        out.sort_by(|a, b| a.id.cmp(&b.id));
    }
    out
}

/// What an input path selects: one value, or the values of a `[*]`.
enum Selected<'a> {
    One(&'a Json),
    Many(Vec<&'a Json>),
}

/// The value(s) at `path` of `root`: segments `name`, `name[N]` (from 0), `name[N..]` (a
/// list from N), `name[*]` (every element), `name[field=value]` (the element whose field is
/// that), `name[*field=value]` (every element whose field is that).
fn select<'a>(root: &'a Json, path: &str) -> Option<Selected<'a>> {
    let mut cur: Vec<&Json> = vec![root];
    let mut many = false;
    for seg in segments(path) {
        let (name, index) = match seg.split_once('[') {
            Some((n, rest)) => (n, Some(rest.strip_suffix(']')?)),
            None => (seg, None),
        };
        let mut next = Vec::new();
        for v in &cur {
            let v = if name.is_empty() { *v } else { v.get(name)? };
            match index {
                None => next.push(v),
                Some("*") => {
                    many = true;
                    next.extend(v.as_array()?.iter());
                }
                Some(sel) if sel.contains('=') => {
                    // `*field=value`: every element so; `field=value`: the first.
                    let (every, sel) = match sel.strip_prefix('*') {
                        Some(rest) => (true, rest),
                        None => (false, sel),
                    };
                    let (field, want) = sel.split_once('=')?;
                    let mut found = v.as_array()?.iter().filter(|x| {
                        x.get(field.trim()).is_some_and(|f| match f {
                            Json::String(s) => s == want.trim(),
                            other => want.trim().parse::<Json>().is_ok_and(|w| w == *other),
                        })
                    });
                    if every {
                        many = true;
                        next.extend(found);
                    } else {
                        next.push(found.next()?);
                    }
                }
                Some(sel) if sel.ends_with("..") => {
                    let from: usize = sel.trim_end_matches("..").parse().ok()?;
                    many = true;
                    next.extend(v.as_array()?.iter().skip(from));
                }
                Some(n) => next.push(v.as_array()?.get(n.parse::<usize>().ok()?)?),
            }
        }
        cur = next;
    }
    if many {
        Some(Selected::Many(cur))
    } else {
        cur.into_iter().next().map(Selected::One)
    }
}

/// The segments of an input path: split at dots outside brackets (`units[1..]` is one).
fn segments(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in path.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                out.push(&path[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&path[start..]);
    out
}

/// An evaluated value, with the cells and inputs it read itself.
#[derive(Clone, Debug)]
enum Val {
    /// 分, possibly a range (printed figures).
    Amount(Interval),
    Count(u64),
    Score(Decimal),
}

struct Evaluator<'a, 'c> {
    ctx: &'a Context<'c>,
    order: &'a [Concrete],
    index: &'a BTreeMap<&'a str, usize>,
    done: BTreeMap<String, Option<Figure>>,
    busy: BTreeSet<String>,
    /// The unit of the figure being evaluated: what an empty sum is.
    unit: Unit,
}

/// A number of the input: an amount (a decimal string, in 元), a count (an integer) or a
/// score (a decimal number, or a decimal string where the figure is a score: the input's
/// scores serialise as strings).
fn number(v: &Json, unit: Unit) -> Option<Val> {
    match v {
        Json::String(s) if unit == Unit::Score => s.parse::<Decimal>().ok().map(Val::Score),
        Json::String(s) => Money::parse(s, AmountUnit::Yuan)
            .ok()
            .map(|m| Val::Amount(Interval::point(m.fen()))),
        Json::Number(n) => match n.as_u64() {
            Some(c) => Some(Val::Count(c)),
            None => n.to_string().parse::<Decimal>().ok().map(Val::Score),
        },
        _ => None,
    }
}

fn add(a: Val, sign: i8, b: Val) -> Option<Val> {
    match (a, b) {
        (Val::Amount(x), Val::Amount(y)) => Some(Val::Amount(x.add(sign, y))),
        (Val::Count(x), Val::Count(y)) if sign > 0 => Some(Val::Count(x.checked_add(y)?)),
        (Val::Count(x), Val::Count(y)) => Some(Val::Count(x.checked_sub(y)?)),
        (Val::Score(x), Val::Score(y)) => Some(Val::Score(if sign > 0 { x + y } else { x - y })),
        _ => None,
    }
}

impl Evaluator<'_, '_> {
    /// The figure `key`, evaluated once.
    fn figure(&mut self, key: &str) -> Option<Figure> {
        if let Some(done) = self.done.get(key) {
            return done.clone();
        }
        if !self.busy.insert(key.to_string()) {
            // A definition that names itself through others has no value.
            return None;
        }
        let c = self.index.get(key).map(|&i| &self.order[i]);
        let outer = self.unit;
        let result = c.and_then(|c| {
            self.unit = c.unit;
            self.evaluate(c)
        });
        self.unit = outer;
        self.busy.remove(key);
        self.done.insert(key.to_string(), result.clone());
        result
    }

    fn evaluate(&mut self, c: &Concrete) -> Option<Figure> {
        if let Some(cond) = &c.only_if {
            let path = cond.strip_prefix("input(")?.strip_suffix(')')?;
            let present = match select(self.ctx.input?, path)? {
                Selected::One(Json::Array(a)) => !a.is_empty(),
                Selected::One(Json::Object(o)) => !o.is_empty(),
                Selected::One(Json::Null) => false,
                Selected::One(_) => true,
                Selected::Many(m) => !m.is_empty(),
            };
            if !present {
                return None;
            }
        }
        let f: FigureFormula = formula::parse_figure(&c.value).ok()?;
        let mut sources = Vec::new();
        let num = self.expr(&f.num, &mut sources)?;
        let value = match f.den {
            None => match num {
                Val::Amount(i) => Value::Money {
                    value: Money::from_fen(exact(i)?),
                },
                Val::Count(n) => Value::Count { value: n },
                Val::Score(s) => Value::Score { value: s },
            },
            Some(den) => match (num, self.expr(&den, &mut sources)?) {
                (Val::Amount(n), Val::Amount(d)) => Value::Ratio {
                    num: Money::from_fen(exact(n)?),
                    den: Money::from_fen(exact(d)?),
                },
                _ => return None,
            },
        };
        Some(Figure {
            label: c.label.clone(),
            terse: c.terse.clone(),
            value,
            formula: c.value.clone(),
            sources,
        })
    }

    fn expr(&mut self, e: &Expr, sources: &mut Vec<String>) -> Option<Val> {
        let mut acc: Option<Val> = None;
        for (sign, t) in &e.terms {
            let v = self.term(t, sources)?;
            acc = Some(match acc {
                None if *sign > 0 => v,
                None => add(zero_like(&v), -1, v)?,
                Some(a) => add(a, *sign, v)?,
            });
        }
        Some(acc.unwrap_or(Val::Amount(Interval::point(0))))
    }

    fn term(&mut self, t: &Term, sources: &mut Vec<String>) -> Option<Val> {
        match t {
            Term::Zero => Some(Val::Amount(Interval::point(0))),
            Term::Group(g) => self.expr(g, sources),
            Term::Cell(r) | Term::Sum(r) => {
                let a = crate::rules::eval::amount(self.ctx.sheet, r, matches!(t, Term::Sum(_)))?;
                sources.extend(
                    a.cells
                        .iter()
                        .map(|c| format!("{}/{}/{}", c.table, c.row, c.column)),
                );
                Some(Val::Amount(a.interval))
            }
            Term::Figure(k) => match self.figure(k)?.value {
                Value::Money { value } => Some(Val::Amount(Interval::point(value.fen()))),
                Value::Count { value } => Some(Val::Count(value)),
                Value::Score { value } => Some(Val::Score(value)),
                Value::Ratio { .. } => None,
            },
            Term::Input(path) => {
                let v = match select(self.ctx.input?, path)? {
                    Selected::One(v) => number(v, self.unit)?,
                    Selected::Many(_) => return None,
                };
                sources.push(format!("input:{path}"));
                Some(v)
            }
            Term::Count(path) => {
                let n = match select(self.ctx.input?, path)? {
                    Selected::One(Json::Array(a)) => a.len(),
                    Selected::One(Json::Object(o)) => o.len(),
                    Selected::Many(m) => m.len(),
                    Selected::One(_) => return None,
                };
                Some(Val::Count(u64::try_from(n).ok()?))
            }
            Term::InputSum(path) => {
                let values: Vec<&Json> = match select(self.ctx.input?, path)? {
                    Selected::One(Json::Array(a)) => a.iter().collect(),
                    Selected::One(Json::Object(o)) => o.values().collect(),
                    Selected::One(v) => vec![v],
                    Selected::Many(m) => m,
                };
                let mut acc: Option<Val> = None;
                for v in values {
                    let n = number(v, self.unit)?;
                    acc = Some(match acc {
                        None => n,
                        Some(a) => add(a, 1, n)?,
                    });
                }
                Some(acc.unwrap_or(match self.unit {
                    Unit::Count => Val::Count(0),
                    Unit::Score => Val::Score(Decimal::ZERO),
                    Unit::Money | Unit::Ratio => Val::Amount(Interval::point(0)),
                }))
            }
            Term::Call(name, args) => self.call(name, args, sources),
        }
    }

    fn call(&mut self, name: &str, args: &[Expr], sources: &mut Vec<String>) -> Option<Val> {
        let money = |v: Val| match v {
            Val::Amount(i) => exact(i).map(Money::from_fen),
            _ => None,
        };
        match (name, args) {
            ("first", _) => args.iter().find_map(|a| self.expr(a, sources)),
            ("execution_score", [actual, budget]) => {
                let actual = money(self.expr(actual, sources)?)?;
                let budget = money(self.expr(budget, sources)?)?;
                Some(Val::Score(crate::scoring::execution_score(
                    actual,
                    budget,
                    self.ctx.scheme.execution,
                )))
            }
            ("project_score" | "department_score", [arg]) => {
                let [(_, Term::Input(path))] = arg.terms.as_slice() else {
                    return None;
                };
                let Selected::One(json) = select(self.ctx.input?, path)? else {
                    return None;
                };
                let total = if name == "project_score" {
                    let p: ProjectEvaluation = serde_json::from_value(json.clone()).ok()?;
                    crate::scoring::project(&p, self.ctx.scheme).total
                } else {
                    let d: DepartmentEvaluation = serde_json::from_value(json.clone()).ok()?;
                    crate::scoring::department(&d, self.ctx.scheme).total
                };
                total.map(Val::Score)
            }
            _ => None,
        }
    }
}

/// The one value of an exact interval (a build's figures are exact).
fn exact(i: Interval) -> Option<i128> {
    i.is_exact().then_some(i.lo)
}

fn zero_like(v: &Val) -> Val {
    match v {
        Val::Amount(_) => Val::Amount(Interval::point(0)),
        Val::Count(_) => Val::Count(0),
        Val::Score(_) => Val::Score(Decimal::ZERO),
    }
}

/// The terms of a resolved expression with their signs, for describing and evaluating a claim.
pub fn cell_terms(e: &Expr) -> Vec<(i8, &CellRef, bool)> {
    e.terms
        .iter()
        .filter_map(|(s, t)| match t {
            Term::Cell(r) => Some((*s, r, false)),
            Term::Sum(r) => Some((*s, r, true)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::TableId;
    use crate::rules::sheet::{CheckRow, CheckTable, Figure as Cellfig};
    use crate::views::RowKind;

    /// A sheet of one `summary` table with lines 1, 2, 3 (exact 元) and a `general_budget` of
    /// two 类 rows.
    fn sheet() -> Sheet {
        let row = |line: Option<u32>, code: Option<&str>, kind, col: &str, fen: i128| CheckRow {
            line,
            code: code.map(str::to_string),
            label: Text::zh(code.unwrap_or("行")),
            kind,
            panel: 0,
            cells: vec![(
                col.to_string(),
                Cellfig::Exact {
                    value: Money::from_fen(fen),
                    unit: AmountUnit::Wan,
                },
            )],
            uncertain: false,
            source_line: None,
        };
        let table = |key: &str, rows| CheckTable::new(TableId::new(key), Text::zh(key), rows);
        Sheet {
            department: String::new(),
            tables: vec![
                table(
                    "summary",
                    vec![
                        row(Some(1), None, RowKind::Line, "amount", 300),
                        row(Some(2), None, RowKind::Line, "amount", 100),
                        row(Some(3), None, RowKind::Total, "amount", 400),
                    ],
                ),
                table(
                    "general_budget",
                    vec![
                        row(None, Some("201"), RowKind::Lei, "total", 150),
                        row(None, Some("206"), RowKind::Lei, "total", 250),
                    ],
                ),
            ],
            evaluations: None,
            claims: Vec::new(),
        }
    }

    fn catalog(text: &str) -> Result<FigureCatalog, Vec<Diagnostic>> {
        let file: FigureFile = toml::from_str(text).unwrap();
        FigureCatalog::new(vec![("test.toml".into(), file)])
    }

    const CATALOG: &str = r#"
        [[figures]]
        key = "total"
        label = ["合计", "total"]
        value = "summary[L3]"

        [[figures]]
        key = "parts"
        label = ["两项之和", "parts"]
        value = "summary[L1] + summary[L2]"

        [[figures]]
        key = "first.share"
        label = ["第1行占比", "share of line 1"]
        value = "@first / @total"

        [[figures]]
        key = "first"
        label = ["第1行", "line 1"]
        value = "summary[L1]"

        [[figures]]
        key = "prior"
        label = ["上年", "last year"]
        value = "input(prior_year.total)"

        [[figures]]
        key = "change"
        label = ["增减", "change"]
        value = "@total - @prior"

        [[figures]]
        key = "class.{r}"
        for = "r in rows(general_budget, lei)"
        label = ["{r.label}（类）", "class {r}"]
        value = "general_budget[C{r}, total]"

        [[figures]]
        key = "projects"
        label = ["项目数", "projects"]
        value = "count(input(projects))"
        unit = "count"

        [[figures]]
        key = "project.{p}.spent"
        for = "p in input(projects)"
        label = ["{p.label}", "{p.label}"]
        value = "input(projects[{p.i}].spent)"

        [[figures]]
        key = "loop"
        label = ["循环", "loop"]
        value = "@loop"
    "#;

    fn evaluate(input: Option<&Json>) -> BTreeMap<String, Figure> {
        let cat = catalog(CATALOG).unwrap();
        cat.evaluate(&Context {
            sheet: &sheet(),
            input,
            scheme: &Scheme::default(),
        })
    }

    fn money(f: &BTreeMap<String, Figure>, k: &str) -> Option<i128> {
        match f.get(k)?.value {
            Value::Money { value } => Some(value.fen()),
            _ => None,
        }
    }

    #[test]
    fn figures_evaluate_from_cells_other_figures_and_the_input() {
        let input: Json = serde_json::json!({
            "prior_year": { "total": "3.00" },
            "projects": [{ "name": "甲", "spent": "1.50" }, { "name": "乙", "spent": "2.00" }],
        });
        let f = evaluate(Some(&input));
        assert_eq!(money(&f, "total"), Some(400));
        assert_eq!(money(&f, "parts"), Some(400));
        assert_eq!(money(&f, "change"), Some(100));
        assert_eq!(f["parts"].sources, ["summary/1/amount", "summary/2/amount"]);
        assert_eq!(f["prior"].sources, ["input:prior_year.total"]);
        assert_eq!(
            f["first.share"].value,
            Value::Ratio {
                num: Money::from_fen(300),
                den: Money::from_fen(400)
            }
        );
        // A family: one figure per member, labels filled in.
        assert_eq!(money(&f, "class.206"), Some(250));
        assert_eq!(f["class.201"].label.zh, "201（类）");
        assert_eq!(f["projects"].value, Value::Count { value: 2 });
        assert_eq!(money(&f, "project.2.spent"), Some(200));
        assert_eq!(f["project.1.spent"].label.zh, "甲");
        // A definition that reaches itself has no value.
        assert!(!f.contains_key("loop"));
    }

    #[test]
    fn without_the_input_its_figures_are_absent() {
        let f = evaluate(None);
        assert!(!f.contains_key("prior") && !f.contains_key("change"));
        assert!(!f.contains_key("projects"));
        assert_eq!(money(&f, "total"), Some(400));
    }

    #[test]
    fn an_audit_resolves_a_figure_into_its_cells() {
        let cat = catalog(CATALOG).unwrap();
        let Some(Resolved::Ratio(num, den)) = cat.cells("first.share") else {
            panic!("a ratio of cells");
        };
        let cells = |e: &Expr| {
            cell_terms(e)
                .iter()
                .map(|(s, r, _)| format!("{s}{r}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(cells(&num), ["1summary[L1]"]);
        assert_eq!(cells(&den), ["1summary[L3]"]);
        // A family member, named by its key alone.
        let Some(Resolved::Amount(e)) = cat.cells("class.206") else {
            panic!("an amount");
        };
        assert_eq!(cells(&e), ["1general_budget[C206, total]"]);
        // A figure of the input is not in the tables.
        assert_eq!(cat.cells("change"), None);
        assert_eq!(cat.cells("nosuch"), None);
    }

    #[test]
    fn bad_catalogs_are_refused_where_written() {
        let one = |value: &str, extra: &str| {
            catalog(&format!(
                "[[figures]]\nkey = \"k\"\nlabel = \"x\"\nvalue = '{value}'\n{extra}"
            ))
        };
        assert!(one("summary[L1]", "").is_ok());
        let e = one("summary[L1] +", "").unwrap_err();
        assert_eq!(e[0].code, "E1303");
        assert!(e[0].message.en.contains("does not parse"), "{e:?}");
        assert!(
            one("@a", "for = \"r in rows(x, lei)\"").is_err(),
            "key without {{r}}"
        );
        assert!(one("@a", "for = \"r in nowhere(x)\"").is_err());
        let twice = "[[figures]]\nkey = \"k\"\nlabel = \"x\"\nvalue = \"0\"\n".repeat(2);
        assert!(catalog(&twice).is_err());
        let chart =
            "[[charts]]\nid = \"c\"\nkind = \"donut\"\ntitle = \"t\"\nparts = [\"nosuch\"]\n";
        assert!(catalog(chart).is_err());
        // Rules cannot name figures or the input.
        assert!(formula::parse("@a = 0").is_err());
        assert!(formula::parse("input(x) = 0").is_err());
    }
}
