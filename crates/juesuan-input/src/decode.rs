//! The one decoder from a [`Node`] tree to a [`DepartmentYear`], for every input format.
//!
//! It checks the tree against [`crate::schema::DOCUMENT`] and the catalog, and reports every
//! problem it finds (not just the first), each with its location, what was expected and what
//! was found.

use crate::node::{Loc, Node, Value, parse_json, parse_toml};
use crate::schema::{
    self, Field, FieldType, MAX_COUNT, MAX_SCORE, MAX_TEXT_CHARS, STRICT, Section, Shape,
};
use crate::source::Source;
use juesuan_core::catalog::{Catalog, Classification, Entry, Level, parent_code, same_name};
use juesuan_core::disclosure::Disclosure;
use juesuan_core::facts::{
    BalanceFact, BalanceKind, Department, DepartmentYear, EconomicFact, ExpKind, ExpenditureFact,
    Facts, FundSource, IncomeFact, SanGong, SanGongFact, Scenario, Unit,
};
use juesuan_core::money::{AmountError, AmountUnit, Money};
use juesuan_core::{Diagnostic, Location, Text};
use std::collections::{BTreeMap, HashMap};

/// Reads a department-year file: JSON when the name ends in `.json` or the text starts with
/// `{`, TOML otherwise.
pub fn read_department_year(
    source: &Source,
    catalog: &Catalog,
) -> Result<DepartmentYear, Vec<Diagnostic>> {
    decode(&parse_document(source)?, source, catalog)
}

/// Parses a department-year file into its tree: JSON when the name ends in `.json` or the
/// text starts with `{`, TOML otherwise.
pub fn parse_document(source: &Source) -> Result<Node, Vec<Diagnostic>> {
    let is_json = source.name.to_ascii_lowercase().ends_with(".json")
        || source.text.trim_start().starts_with('{');
    if is_json {
        parse_json(source)
    } else {
        parse_toml(source)
    }
}

/// Decodes a parsed tree.
pub fn decode(
    root: &Node,
    source: &Source,
    catalog: &Catalog,
) -> Result<DepartmentYear, Vec<Diagnostic>> {
    decode_with_codes(root, source, catalog).map(|(dy, _)| dy)
}

/// Codes an input uses that the catalog lacks, each with the name the input gives it.
pub type Supplied = Vec<(Classification, Entry)>;

/// [`decode`], and the codes the input uses that `catalog` lacks, each with the name the input
/// gives it: a well-formed code under a 类 the catalog has is accepted so (unless the catalog
/// is strict, [`Catalog::is_strict`]), named where the fact writes it (`"2050299
/// 其他普通教育支出"`) or in the `[codes]` section, which also names a missing 款.
pub fn decode_with_codes(
    root: &Node,
    source: &Source,
    catalog: &Catalog,
) -> Result<(DepartmentYear, Supplied), Vec<Diagnostic>> {
    let mut d = Decoder {
        source,
        catalog,
        problems: Vec::new(),
        unit: AmountUnit::Wan,
        units: Vec::new(),
        unit_index: HashMap::new(),
        named: BTreeMap::new(),
        strict: catalog.is_strict(),
        scenario: Scenario::Actual,
        supplied: BTreeMap::new(),
        written: BTreeMap::new(),
    };
    let dy = d.document(root);
    match dy {
        Some(dy) if d.problems.is_empty() => Ok((
            dy,
            d.supplied
                .into_iter()
                .map(|((class, _), entry)| (class, entry))
                .collect(),
        )),
        _ => Err(d.problems),
    }
}

struct Decoder<'a> {
    source: &'a Source,
    catalog: &'a Catalog,
    problems: Vec<Diagnostic>,
    /// The file's amount unit, once read.
    unit: AmountUnit,
    /// Declared unit ids, in declaration order, and where.
    units: Vec<(String, Location)>,
    /// Position of each id in `units`: files may declare many units and name them in every fact.
    unit_index: HashMap<String, usize>,
    /// The names the `[codes]` section gives, by code, and where.
    named: BTreeMap<String, (String, Location)>,
    /// Every code must be in the catalog: the catalog is strict, or the file asks so.
    strict: bool,
    /// The scenario of facts that name none ([department] scenario).
    scenario: Scenario,
    /// Codes the catalog lacks that the input uses, accepted with the input's names.
    supplied: BTreeMap<(Classification, String), Entry>,
    /// The names facts write after codes the catalog lacks, by code, and where.
    written: BTreeMap<(Classification, String), (String, Location)>,
}

/// A record's fields by name.
struct Record<'n> {
    at: &'n Loc,
    fields: HashMap<&'n str, &'n Node>,
}

impl<'n> Record<'n> {
    fn get(&self, name: &str) -> Option<&'n Node> {
        self.fields.get(name).copied()
    }
}

fn t(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text::new(zh, en)
}

impl<'a> Decoder<'a> {
    fn loc(&self, at: &Loc) -> Location {
        at.locate(self.source)
    }

    fn push(&mut self, d: Diagnostic) {
        self.problems.push(d);
    }

    fn wrong_type(&mut self, node: &Node, expected: Text) {
        let loc = self.loc(&node.at);
        self.push(
            Diagnostic::error("E0204", loc, t("类型不符", "wrong type"))
                .expected(expected)
                .found(format!("{} {}", node.type_name(), node.shown())),
        );
    }

    fn document(&mut self, root: &Node) -> Option<DepartmentYear> {
        let Value::Table(entries) = &root.value else {
            self.wrong_type(root, t("表（对象）", "a table (object)"));
            return None;
        };
        let mut sections: HashMap<&str, &Node> = HashMap::new();
        for (key, node) in entries {
            match schema::section(&key.name) {
                Some(s) => {
                    sections.insert(s.name, node);
                }
                None => {
                    let names: Vec<&str> = schema::DOCUMENT.iter().map(|s| s.name).collect();
                    self.unknown_key(&key.name, &key.at, &names);
                }
            }
        }
        for s in schema::DOCUMENT {
            if s.required && !sections.contains_key(s.name) {
                let loc = self.loc(&root.at);
                self.push(
                    Diagnostic::error(
                        "E0203",
                        loc,
                        t(
                            format!("缺少 [{}] 部分", s.name),
                            format!("missing section [{}]", s.name),
                        ),
                    )
                    .expected(t(s.zh, s.en)),
                );
            }
        }
        // Codes named first: the facts below may use them.
        self.codes(sections.get("codes").copied());
        let department = self.department(sections.get("department").copied());
        let units = self.units(sections.get("units").copied());
        let mut facts = Facts::default();
        let mut budget = Facts::default();
        self.each_record(sections.get("income").copied(), "income", |d, r| {
            if let (Some(s), Some(f)) = (d.scenario_of(&r, "income"), d.income(&r)) {
                pick(&mut facts, &mut budget, s).income.push(f);
            }
        });
        self.each_record(
            sections.get("expenditure").copied(),
            "expenditure",
            |d, r| {
                if let (Some(s), Some(f)) = (d.scenario_of(&r, "expenditure"), d.expenditure(&r)) {
                    pick(&mut facts, &mut budget, s).expenditure.push(f);
                }
            },
        );
        self.each_record(
            sections.get("basic_economic").copied(),
            "basic_economic",
            |d, r| {
                if let (Some(s), Some(f)) = (d.scenario_of(&r, "basic_economic"), d.economic(&r)) {
                    pick(&mut facts, &mut budget, s).basic_economic.push(f);
                }
            },
        );
        self.each_record(sections.get("balances").copied(), "balances", |d, r| {
            if let (Some(s), Some(f)) = (d.scenario_of(&r, "balances"), d.balance(&r)) {
                pick(&mut facts, &mut budget, s).balances.push(f);
            }
        });
        self.each_record(sections.get("sangong").copied(), "sangong", |d, r| {
            facts.sangong.extend(d.sangong(&r));
        });
        self.duplicates(&facts);
        self.duplicates(&budget);
        let disclosure = self.disclosure(&sections);
        Some(DepartmentYear {
            department: department?,
            units,
            facts,
            budget,
            disclosure: disclosure?,
        })
    }

    /// The sections beyond the facts: checked against the schema, normalised (amounts to exact
    /// 元, codes to their digits), then read into typed values.
    fn disclosure(&mut self, sections: &HashMap<&str, &Node>) -> Option<Disclosure> {
        const NAMES: &[&str] = &[
            "profile",
            "prior_year",
            "reasons",
            "class_uses",
            "budgets",
            "sangong_details",
            "running_costs",
            "procurement",
            "assets",
            "performance",
            "key_work",
            "texts",
        ];
        let mut entries = Vec::new();
        for name in NAMES {
            let Some(node) = sections.get(name) else {
                continue;
            };
            let section = schema::section(name).expect("section in schema");
            let ty = match (section.shape, *name) {
                (_, "class_uses") => FieldType::ClassTexts,
                (Shape::Table, _) => FieldType::Record(section.fields),
                (Shape::List, _) => FieldType::Records(section.fields),
            };
            let field = Field {
                name: section.name,
                ty,
                required: false,
                zh: section.zh,
                en: section.en,
            };
            if let Some(normal) = self.value(node, &field) {
                entries.push((
                    crate::node::Key {
                        name: name.to_string(),
                        at: node.at.clone(),
                    },
                    normal,
                ));
            }
        }
        let tree = Node {
            at: Loc::Offset(0),
            value: Value::Table(entries),
        };
        match crate::node::de::from_node::<Disclosure>(&tree) {
            Ok(d) => Some(d),
            Err(e) => {
                // The checks above mirror the types; a mismatch is a bug worth reporting.
                self.push(
                    Diagnostic::error(
                        "E0218",
                        self.loc(&Loc::Offset(0)),
                        t(
                            "内部错误：输入结构与类型不符",
                            "internal error: input does not fit its type",
                        ),
                    )
                    .found(e.to_string()),
                );
                None
            }
        }
    }

    /// Checks one value against its field type and returns it normalised.
    fn value(&mut self, node: &Node, field: &Field) -> Option<Node> {
        let norm = |value: Value| {
            Some(Node {
                at: node.at.clone(),
                value,
            })
        };
        match field.ty {
            // `[codes]` is read before the facts ([`Decoder::codes`]), never as a field.
            FieldType::CodeNames => Some(node.clone()),
            FieldType::Text => self.text(Some(node)).and_then(|s| norm(Value::Str(s))),
            FieldType::Year => self
                .year(Some(node))
                .and_then(|y| norm(Value::Num(y.to_string()))),
            FieldType::Amount => self
                .amount(Some(node))
                .and_then(|m| norm(Value::Str(m.to_string()))),
            FieldType::Choice(_) => self
                .choice(node, field, |s| Some(s.to_string()))
                .and_then(|s| norm(Value::Str(s))),
            FieldType::FunctionCode => self
                .code(Some(node), Classification::Function)
                .and_then(|c| norm(Value::Str(c))),
            FieldType::EconomicCode => self
                .code(Some(node), Classification::Economic)
                .and_then(|c| norm(Value::Str(c))),
            FieldType::UnitRef => self
                .unit_ref(Some(node), field.name)
                .flatten()
                .and_then(|u| norm(Value::Str(u))),
            FieldType::Count => {
                let raw = match &node.value {
                    Value::Num(n) | Value::Str(n) => n.replace('_', ""),
                    _ => String::new(),
                };
                match raw.trim().parse::<u32>() {
                    Ok(n) if n <= MAX_COUNT => norm(Value::Num(n.to_string())),
                    _ => {
                        let loc = self.loc(&node.at);
                        self.push(
                            Diagnostic::error("E0204", loc, t("类型不符", "wrong type"))
                                .expected(t(
                                    format!("0 到 {MAX_COUNT} 之间的整数"),
                                    format!("a whole number from 0 to {MAX_COUNT}"),
                                ))
                                .found(node.shown()),
                        );
                        None
                    }
                }
            }
            FieldType::Score => {
                let raw = match &node.value {
                    Value::Num(n) | Value::Str(n) => n.replace('_', ""),
                    _ => String::new(),
                };
                let ok = raw.parse::<rust_decimal::Decimal>().ok().filter(|d| {
                    !d.is_sign_negative()
                        && d.scale() <= 2
                        && *d <= rust_decimal::Decimal::from(MAX_SCORE)
                });
                match ok {
                    Some(d) => norm(Value::Str(d.to_string())),
                    None => {
                        let loc = self.loc(&node.at);
                        self.push(
                            Diagnostic::error("E0205", loc, t("分值格式错误", "malformed score"))
                                .expected(t(
                                    format!("0 到 {MAX_SCORE} 之间的数，最多 2 位小数，如 19.93"),
                                    format!(
                                        "a number from 0 to {MAX_SCORE} with at most 2 decimals, e.g. 19.93"
                                    ),
                                ))
                                .found(node.shown()),
                        );
                        None
                    }
                }
            }
            FieldType::Texts => {
                let Value::Array(items) = &node.value else {
                    self.wrong_type(
                        node,
                        t(
                            "文本列表：[\"第一段\", \"第二段\"]",
                            "a list of texts: [\"first\", \"second\"]",
                        ),
                    );
                    return None;
                };
                let texts: Vec<Node> = items
                    .iter()
                    .filter_map(|n| {
                        self.text(Some(n)).map(|s| Node {
                            at: n.at.clone(),
                            value: Value::Str(s),
                        })
                    })
                    .collect();
                (texts.len() == items.len()).then_some(())?;
                norm(Value::Array(texts))
            }
            FieldType::ClassTexts | FieldType::Counts(_) => {
                let Value::Table(entries) = &node.value else {
                    self.wrong_type(node, t("表", "a table"));
                    return None;
                };
                let mut out = Vec::new();
                for (key, v) in entries {
                    let key_ok = match field.ty {
                        FieldType::Counts(keys) => keys.contains(&key.name.as_str()),
                        _ => {
                            key.name.len() == 3
                                && self
                                    .catalog
                                    .get(Classification::Function, &key.name)
                                    .is_some()
                        }
                    };
                    if !key_ok {
                        let expected = match field.ty {
                            FieldType::Counts(keys) => t(
                                format!("以下之一：{}", keys.join("、")),
                                format!("one of: {}", keys.join(", ")),
                            ),
                            _ => t(
                                "分类目录中的功能分类类级代码（3 位）",
                                "a function class code (3 digits) of the catalog",
                            ),
                        };
                        let loc = self.loc(&key.at);
                        self.push(
                            Diagnostic::error(
                                "E0209",
                                loc,
                                t(
                                    format!("{} 的键无效", field.name),
                                    format!("invalid key in {}", field.name),
                                ),
                            )
                            .expected(expected)
                            .found(crate::node::abridged(&key.name)),
                        );
                        continue;
                    }
                    let inner = Field {
                        name: field.name,
                        ty: if matches!(field.ty, FieldType::Counts(_)) {
                            FieldType::Count
                        } else {
                            FieldType::Text
                        },
                        required: true,
                        zh: field.zh,
                        en: field.en,
                    };
                    if let Some(n) = self.value(v, &inner) {
                        out.push((key.clone(), n));
                    }
                }
                norm(Value::Table(out))
            }
            FieldType::Record(fields) => {
                let Value::Table(entries) = &node.value else {
                    self.wrong_type(
                        node,
                        t(
                            format!("{}（表）", field.name),
                            format!("{} (a table)", field.name),
                        ),
                    );
                    return None;
                };
                let mut out = Vec::new();
                let mut ok = true;
                for (key, v) in entries {
                    match fields.iter().find(|f| f.name == key.name) {
                        Some(f) => match self.value(v, f) {
                            Some(n) => out.push((key.clone(), n)),
                            None => ok = false,
                        },
                        None => {
                            let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
                            self.unknown_key(&key.name, &key.at, &names);
                            ok = false;
                        }
                    }
                }
                for f in fields.iter().filter(|f| f.required) {
                    if !entries.iter().any(|(k, _)| k.name == f.name) {
                        let loc = self.loc(&node.at);
                        self.push(
                            Diagnostic::error(
                                "E0203",
                                loc,
                                t(
                                    format!("{} 缺少字段 {}", field.name, f.name),
                                    format!("{} lacks field {}", field.name, f.name),
                                ),
                            )
                            .expected(t(f.zh, f.en)),
                        );
                        ok = false;
                    }
                }
                if ok { norm(Value::Table(out)) } else { None }
            }
            FieldType::Records(fields) => {
                let Value::Array(items) = &node.value else {
                    self.wrong_type(
                        node,
                        t(
                            format!("{} 的记录列表", field.name),
                            format!("a list of {} records", field.name),
                        ),
                    );
                    return None;
                };
                let inner = Field {
                    name: field.name,
                    ty: FieldType::Record(fields),
                    required: true,
                    zh: field.zh,
                    en: field.en,
                };
                let out: Vec<Node> = items.iter().filter_map(|n| self.value(n, &inner)).collect();
                (out.len() == items.len()).then_some(())?;
                norm(Value::Array(out))
            }
        }
    }

    fn unknown_key(&mut self, name: &str, at: &Loc, known: &[&str]) {
        let loc = self.loc(at);
        let name = &crate::node::abridged(name);
        let near = known
            .iter()
            .map(|k| (strsim::levenshtein(k, name), *k))
            .filter(|(d, _)| *d <= 2)
            .min();
        let mut d = Diagnostic::error(
            "E0202",
            loc,
            match near {
                Some((_, k)) => t(
                    format!("未知字段 \"{name}\"（是否应为 \"{k}\"？）"),
                    format!("unknown field \"{name}\" (did you mean \"{k}\"?)"),
                ),
                None => t(
                    format!("未知字段 \"{name}\""),
                    format!("unknown field \"{name}\""),
                ),
            },
        )
        .expected(t(
            format!("以下之一：{}", known.join(", ")),
            format!("one of: {}", known.join(", ")),
        ));
        d = d.found(name.to_string());
        self.push(d);
    }

    /// Checks a record's keys against its section and returns its fields.
    fn record<'n>(&mut self, node: &'n Node, section: &'static Section) -> Option<Record<'n>> {
        let Value::Table(entries) = &node.value else {
            self.wrong_type(
                node,
                t(
                    format!("[{}] 的一条记录（表）", section.name),
                    format!("a record (table) of [{}]", section.name),
                ),
            );
            return None;
        };
        let mut fields = HashMap::new();
        for (key, value) in entries {
            match section.field(&key.name) {
                Some(f) => {
                    fields.insert(f.name, value);
                }
                None if schema::section(&key.name).is_some() => {
                    // The TOML trap: a top-level key written after a [table] header belongs
                    // to that table.
                    let loc = self.loc(&key.at);
                    self.push(
                        Diagnostic::error(
                            "E0202",
                            loc,
                            t(
                                format!(
                                    "“{}”是顶层部分，却写在了 [{}] 的表头之后，TOML 会把它归入该表",
                                    key.name, section.name
                                ),
                                format!(
                                    "\"{}\" is a top-level section but follows a [{}] header, so TOML puts it inside that table",
                                    key.name, section.name
                                ),
                            ),
                        )
                        .expected(t(
                            format!("把 {} = [...] 移到所有 [表头] 之前，或逐条写成 [[{}]]", key.name, key.name),
                            format!("move {} = [...] above every [header], or write each record as [[{}]]", key.name, key.name),
                        ))
                        .found(crate::node::abridged(&key.name)),
                    );
                }
                None => {
                    let names: Vec<&str> = section.fields.iter().map(|f| f.name).collect();
                    self.unknown_key(&key.name, &key.at, &names);
                }
            }
        }
        for f in section.fields {
            if f.required && !fields.contains_key(f.name) {
                let loc = self.loc(&node.at);
                self.push(
                    Diagnostic::error(
                        "E0203",
                        loc,
                        t(
                            format!("[{}] 的记录缺少字段 {}", section.name, f.name),
                            format!("a record of [{}] lacks field {}", section.name, f.name),
                        ),
                    )
                    .expected(t(f.zh, f.en)),
                );
            }
        }
        Some(Record {
            at: &node.at,
            fields,
        })
    }

    fn each_record(
        &mut self,
        node: Option<&Node>,
        name: &str,
        mut f: impl FnMut(&mut Self, Record<'_>),
    ) {
        let Some(node) = node else { return };
        let section = schema::section(name).expect("section in schema");
        debug_assert_eq!(section.shape, Shape::List);
        let Value::Array(items) = &node.value else {
            self.wrong_type(
                node,
                t(
                    format!("记录列表：[[{name}]] 或 {name} = [ {{ … }} ]"),
                    format!("a list of records: [[{name}]] or {name} = [ {{ … }} ]"),
                ),
            );
            return;
        };
        for item in items {
            if let Some(r) = self.record(item, section) {
                f(self, r);
            }
        }
    }

    fn department(&mut self, node: Option<&Node>) -> Option<Department> {
        let node = node?;
        let section = schema::section("department").expect("section");
        let r = self.record(node, section)?;
        let name = self.text(r.get("name"));
        let year = self.year(r.get("year"));
        let unit = r
            .get("amount_unit")
            .and_then(|n| self.choice(n, section.field("amount_unit")?, AmountUnit::parse));
        if let Some(u) = unit {
            self.unit = u;
        }
        let code = self.text(r.get("code"));
        let layout = self.text(r.get("layout"));
        let strict = r
            .get("catalog")
            .and_then(|n| self.choice(n, section.field("catalog")?, |s| Some(s == STRICT)));
        if strict == Some(true) {
            self.strict = true;
        }
        if let Some(s) = r
            .get("scenario")
            .and_then(|n| self.choice(n, section.field("scenario")?, Scenario::parse))
        {
            self.scenario = s;
        }
        Some(Department {
            name: name?,
            code,
            year: year?,
            amount_unit: unit?,
            layout,
            strict_catalog: strict == Some(true),
        })
    }

    fn units(&mut self, node: Option<&Node>) -> Vec<Unit> {
        let mut units = Vec::new();
        self.each_record(node, "units", |d, r| {
            let id = d.text(r.get("id"));
            let name = d.text(r.get("name"));
            let kind = d.text(r.get("kind"));
            let note = d.text(r.get("note"));
            let (Some(id), Some(name)) = (id, name) else {
                return;
            };
            let loc = d.loc(&r.get("id").map_or(r.at, |n| &n.at).clone());
            if let Some(&i) = d.unit_index.get(&id) {
                let first = d.units[i].1.clone();
                d.push(
                    Diagnostic::error(
                        "E0207",
                        loc,
                        t(
                            format!("单位 id \"{id}\" 重复"),
                            format!("unit id \"{id}\" declared twice"),
                        ),
                    )
                    .found(id.clone())
                    .related(first),
                );
                return;
            }
            d.unit_index.insert(id.clone(), d.units.len());
            d.units.push((id.clone(), loc.clone()));
            units.push(Unit {
                id,
                name,
                kind,
                note,
                location: loc,
            });
        });
        units
    }

    fn text(&mut self, node: Option<&Node>) -> Option<String> {
        let node = node?;
        match &node.value {
            Value::Str(s) if s.chars().count() > MAX_TEXT_CHARS => {
                let loc = self.loc(&node.at);
                self.push(
                    Diagnostic::error("E0219", loc, t("文本过长", "text too long"))
                        .expected(t(
                            format!("不超过 {MAX_TEXT_CHARS} 个字符"),
                            format!("at most {MAX_TEXT_CHARS} characters"),
                        ))
                        .found(format!("{} characters", s.chars().count())),
                );
                None
            }
            Value::Str(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Str(_) => {
                self.wrong_type(node, t("非空文本", "non-empty text"));
                None
            }
            _ => {
                self.wrong_type(node, t("文本（加引号）", "text (in quotes)"));
                None
            }
        }
    }

    /// An optional text field: `Some(None)` when absent, `None` when present but wrong.
    fn optional_text(&mut self, node: Option<&Node>) -> Option<Option<String>> {
        match node {
            None => Some(None),
            Some(n) => self.text(Some(n)).map(Some),
        }
    }

    fn year(&mut self, node: Option<&Node>) -> Option<i32> {
        let node = node?;
        let raw = match &node.value {
            Value::Num(n) | Value::Str(n) => n.replace('_', ""),
            _ => {
                self.wrong_type(
                    node,
                    t("年度（整数，如 2023）", "a year (integer, e.g. 2023)"),
                );
                return None;
            }
        };
        match raw.trim().parse::<i32>() {
            Ok(y) if (1990..=2100).contains(&y) => Some(y),
            _ => {
                let loc = self.loc(&node.at);
                self.push(
                    Diagnostic::error("E0217", loc, t("年度不合理", "implausible year"))
                        .expected(t("1990–2100 之间的整数", "an integer from 1990 to 2100"))
                        .found(node.shown()),
                );
                None
            }
        }
    }

    fn amount(&mut self, node: Option<&Node>) -> Option<Money> {
        let node = node?;
        let raw = match &node.value {
            Value::Num(n) => n.replace('_', ""),
            Value::Str(s) => s.clone(),
            _ => {
                self.wrong_type(
                    node,
                    t("金额（数字，如 552.98）", "an amount (number, e.g. 552.98)"),
                );
                return None;
            }
        };
        let unit = self.unit;
        let loc = self.loc(&node.at);
        match Money::parse(&raw, unit) {
            Ok(m) if m.is_negative() => {
                self.push(
                    Diagnostic::error("E0206", loc, t("金额不能为负", "amount cannot be negative"))
                        .expected(t("大于或等于 0 的金额", "an amount of 0 or more"))
                        .found(node.shown()),
                );
                None
            }
            Ok(m) => Some(m),
            Err(e) => {
                let expected = match e {
                    AmountError::Malformed => t(
                        format!("数字，如 552.98 或 \"35,549.61\"（单位：{}）", unit.zh()),
                        format!(
                            "a number such as 552.98 or \"35,549.61\" (in {})",
                            unit.en()
                        ),
                    ),
                    AmountError::TooManyDecimals { allowed } => t(
                        format!("最多 {allowed} 位小数（单位：{}，精确到分）", unit.zh()),
                        format!(
                            "at most {allowed} decimals (in {}, exact to the fen)",
                            unit.en()
                        ),
                    ),
                    AmountError::TooLarge => {
                        t("不超过 10^16 元的金额", "an amount below 10^16 yuan")
                    }
                };
                self.push(
                    Diagnostic::error("E0205", loc, t("金额格式错误", "malformed amount"))
                        .expected(expected)
                        .found(node.shown()),
                );
                None
            }
        }
    }

    fn choice<T>(
        &mut self,
        node: &Node,
        field: &Field,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let FieldType::Choice(values) = field.ty else {
            return None;
        };
        let Value::Str(s) = &node.value else {
            self.wrong_type(
                node,
                t(
                    format!("以下之一：{}", values.join("、")),
                    format!("one of: {}", values.join(", ")),
                ),
            );
            return None;
        };
        match parse(s) {
            Some(v) => Some(v),
            None => {
                let loc = self.loc(&node.at);
                self.push(
                    Diagnostic::error(
                        "E0209",
                        loc,
                        t(
                            format!("{} 的取值无效", field.name),
                            format!("invalid value for {}", field.name),
                        ),
                    )
                    .expected(t(
                        format!("以下之一：{}", values.join("、")),
                        format!("one of: {}", values.join(", ")),
                    ))
                    .found(node.shown()),
                );
                None
            }
        }
    }

    fn unit_ref(&mut self, node: Option<&Node>, field: &str) -> Option<Option<String>> {
        let Some(node) = node else { return Some(None) };
        let id = self.text(Some(node))?;
        if self.unit_index.contains_key(&id) {
            return Some(Some(id));
        }
        let loc = self.loc(&node.at);
        // The first few suffice to show what ids look like.
        let mut declared: Vec<&str> = self
            .units
            .iter()
            .take(10)
            .map(|(u, _)| u.as_str())
            .collect();
        if self.units.len() > declared.len() {
            declared.push("…");
        }
        let expected = if declared.is_empty() {
            t(
                "先在 [[units]] 中声明单位；部门级事实不填 unit",
                "declare the unit in [[units]] first; department-level facts have no unit",
            )
        } else {
            t(
                format!("已声明的单位之一：{}", declared.join(", ")),
                format!("one of the declared units: {}", declared.join(", ")),
            )
        };
        self.push(
            Diagnostic::error(
                "E0208",
                loc,
                t(
                    format!("{field} 引用了未声明的单位 \"{id}\""),
                    format!("{field} names an undeclared unit \"{id}\""),
                ),
            )
            .expected(expected)
            .found(id),
        );
        None
    }

    /// Resolves a classification reference: `2060101`, `2060101 行政运行` or `行政运行`.
    fn code(&mut self, node: Option<&Node>, class: Classification) -> Option<String> {
        let node = node?;
        let Value::Str(written) = &node.value else {
            let level = class.deepest();
            self.wrong_type(
                node,
                t(
                    format!(
                        "{}级代码文本（加引号），如 \"{}\"",
                        level.zh(),
                        example(class)
                    ),
                    format!(
                        "a {} code as text (in quotes), e.g. \"{}\"",
                        level.en(),
                        example(class)
                    ),
                ),
            );
            return None;
        };
        let loc = self.loc(&node.at);
        let written = written.trim();
        let digits: String = written.chars().take_while(|c| c.is_ascii_digit()).collect();
        let name = written[digits.len()..].trim();
        let deepest = class.deepest();
        let fail = |code: &'static str, zh: String, en: String| {
            Diagnostic::error(code, loc.clone(), t(zh, en))
                .found(format!("\"{}\"", crate::node::abridged(written)))
        };
        let candidates = |entries: Vec<&juesuan_core::catalog::Entry>| -> Text {
            let list: Vec<String> = entries
                .iter()
                .map(|e| format!("{} {}", e.code, e.name))
                .collect();
            if list.is_empty() {
                t(
                    format!("{}中的{}级代码", class.zh(), deepest.zh()),
                    format!("a {} code of the {}", deepest.en(), class.en()),
                )
            } else {
                t(
                    format!("最接近的：{}", list.join("；")),
                    format!("nearest: {}", list.join("; ")),
                )
            }
        };
        if digits.is_empty() {
            // A name alone: it must name exactly one code at the deepest level.
            let matches: Vec<_> = self
                .catalog
                .entries(class)
                .filter(|e| e.level == deepest && same_name(&e.name, name))
                .collect();
            return match matches.as_slice() {
                [one] => Some(one.code.clone()),
                [] => {
                    let near = self.catalog.nearest(class, name, 3);
                    let near: Vec<_> = near.into_iter().filter(|e| e.level == deepest).collect();
                    self.push(
                        fail(
                            "E0211",
                            format!("{}目录中没有名为“{name}”的{}", class.zh(), deepest.zh()),
                            format!("no {} named “{name}” in the {}", deepest.en(), class.en()),
                        )
                        .expected(candidates(near)),
                    );
                    None
                }
                many => {
                    let list = many.to_vec();
                    self.push(
                        fail(
                            "E0211",
                            format!("名称“{name}”对应多个{}，请写代码", deepest.zh()),
                            format!(
                                "the name “{name}” fits several {}s: write the code",
                                deepest.en()
                            ),
                        )
                        .expected(candidates(list)),
                    );
                    None
                }
            };
        }
        if digits.len() != deepest.digits() {
            if Level::of(&digits).is_some_and(|l| l < deepest)
                && self.catalog.get(class, &digits).is_some()
            {
                let children: Vec<_> = self
                    .catalog
                    .entries(class)
                    .filter(|e| e.level == deepest && e.code.starts_with(digits.as_str()))
                    .take(5)
                    .collect();
                self.push(
                    fail(
                        "E0213",
                        format!(
                            "事实须记到{}级，{digits} 是{}级代码",
                            deepest.zh(),
                            Level::of(&digits).map_or("", |l| l.zh())
                        ),
                        format!(
                            "facts are recorded at {} level; {digits} is a {} code",
                            deepest.en(),
                            Level::of(&digits).map_or("", |l| l.en())
                        ),
                    )
                    .expected(candidates(children)),
                );
            } else {
                self.push(
                    fail(
                        "E0210",
                        format!("{}代码应为 {} 位数字", class.zh(), deepest.digits()),
                        format!("a {} code has {} digits", class.en(), deepest.digits()),
                    )
                    .expected(t(
                        format!("如 \"{}\"", example(class)),
                        format!("e.g. \"{}\"", example(class)),
                    )),
                );
            }
            return None;
        }
        match self.catalog.get(class, &digits) {
            Some(entry) => {
                if !name.is_empty() && !same_name(&entry.name, name) {
                    self.push(
                        fail(
                            "E0214",
                            format!("代码 {digits} 的名称与分类目录不符"),
                            format!("the name given for {digits} differs from the catalog"),
                        )
                        .expected(t(
                            format!("{digits} {}", entry.name),
                            format!("{digits} {}", entry.name),
                        )),
                    );
                    return None;
                }
                Some(digits)
            }
            None if !self.strict => self.supplied_code(class, &digits, name, &loc, fail),
            None => {
                // Find the deepest ancestor the catalog lacks, to say which level is wrong.
                let mut missing_parent = None;
                let mut p = parent_code(&digits);
                while let Some(code) = p {
                    if self.catalog.get(class, code).is_none() {
                        missing_parent = Some(code.to_string());
                    }
                    p = parent_code(code);
                }
                match missing_parent {
                    Some(parent) => {
                        let level = Level::of(&parent).unwrap_or(Level::Lei);
                        let near = self.catalog.nearest(class, &digits, 3);
                        self.push(
                            fail(
                                "E0212",
                                format!(
                                    "代码 {digits} 所属的{} {parent} 不在分类目录中",
                                    level.zh()
                                ),
                                format!(
                                    "code {digits} sits under {} {parent}, which is not in the catalog",
                                    level.en()
                                ),
                            )
                            .expected(candidates(near)),
                        );
                    }
                    None => {
                        let parent = parent_code(&digits).unwrap_or("");
                        // The code the written name names comes first: a mistyped code with
                        // its right name is the commonest slip.
                        let named = self.catalog.entries(class).filter(|e| {
                            e.level == deepest && !name.is_empty() && same_name(&e.name, name)
                        });
                        let siblings = self.catalog.entries(class).filter(|e| {
                            e.level == deepest
                                && e.code.starts_with(parent)
                                && (name.is_empty() || !same_name(&e.name, name))
                        });
                        let siblings: Vec<_> = named.chain(siblings).take(5).collect();
                        self.push(
                            fail(
                                "E0211",
                                format!("分类目录中没有代码 {digits}（可用 --catalog 载入完整目录）"),
                                format!("code {digits} is not in the catalog (load the complete one with --catalog)"),
                            )
                            .expected(candidates(siblings)),
                        );
                    }
                }
                None
            }
        }
    }

    /// Reads the `[codes]` section: names of codes the catalog lacks (`"20502" = "普通教育"`).
    fn codes(&mut self, node: Option<&Node>) {
        let Some(node) = node else { return };
        let Value::Table(entries) = &node.value else {
            self.wrong_type(node, t("表", "a table"));
            return;
        };
        for (key, v) in entries {
            let code = key.name.trim();
            let well_formed = code.bytes().all(|b| b.is_ascii_digit())
                && Classification::infer(code)
                    .is_some_and(|c| Level::of(code).is_some_and(|l| l <= c.deepest()));
            if !well_formed {
                let loc = self.loc(&key.at);
                self.push(
                    Diagnostic::error(
                        "E0209",
                        loc,
                        t("codes 的键无效", "invalid key in codes"),
                    )
                    .expected(t(
                        "分类代码：功能分类 3、5 或 7 位，以 2 开头；经济分类 3 或 5 位，以 3 或 5 开头",
                        "a classification code: function 3, 5 or 7 digits starting with 2; economic 3 or 5 digits starting with 3 or 5",
                    ))
                    .found(crate::node::abridged(&key.name)),
                );
                continue;
            }
            let Value::Str(name) = &v.value else {
                self.wrong_type(v, t("科目名称文本", "the code's name as text"));
                continue;
            };
            let name = name.trim();
            if name.is_empty() {
                let loc = self.loc(&v.at);
                self.push(
                    Diagnostic::error(
                        "E0209",
                        loc,
                        t(
                            format!("代码 {code} 缺少名称"),
                            format!("code {code} has no name"),
                        ),
                    )
                    .expected(t("科目名称", "the code's name")),
                );
                continue;
            }
            let loc = self.loc(&v.at);
            self.named.insert(code.to_string(), (name.to_string(), loc));
        }
    }

    /// A well-formed code `digits` the catalog lacks (written `name` after it, perhaps empty),
    /// accepted with the input's names for it and its missing parents; each missing name, or
    /// a 类 the catalog lacks, is an error.
    fn supplied_code(
        &mut self,
        class: Classification,
        digits: &str,
        name: &str,
        loc: &Location,
        fail: impl Fn(&'static str, String, String) -> Diagnostic,
    ) -> Option<String> {
        let lei = &digits[..3];
        if self.catalog.get(class, lei).is_none() {
            let near: Vec<_> = self
                .catalog
                .nearest(class, lei, 50)
                .into_iter()
                .filter(|e| e.level == Level::Lei)
                .take(3)
                .collect();
            let list: Vec<String> = near
                .iter()
                .map(|e| format!("{} {}", e.code, e.name))
                .collect();
            self.push(
                fail(
                    "E0212",
                    format!("代码 {digits} 所属的类 {lei} 不在{}中", class.zh()),
                    format!(
                        "code {digits} sits under class {lei}, which the {} does not have",
                        class.en()
                    ),
                )
                .expected(t(
                    format!("现有类下的代码；最接近的：{}", list.join("；")),
                    format!(
                        "a code under an existing class; nearest: {}",
                        list.join("; ")
                    ),
                )),
            );
            return None;
        }
        // A code the catalog lacks written with the name of a sibling it has (same parent) is a
        // mistyped code — the commonest slip — not a new one. (Names like 行政运行 recur under
        // every 款, so only a sibling's counts.)
        let parent = parent_code(digits).unwrap_or(digits);
        if !name.is_empty()
            && let Some(named) = self.catalog.entries(class).find(|e| {
                e.level == class.deepest() && e.code.starts_with(parent) && same_name(&e.name, name)
            })
        {
            let right = format!("{} {}", named.code, named.name);
            self.push(
                fail(
                    "E0211",
                    format!(
                        "{}中没有代码 {digits}；名称“{name}”是代码 {} 的名称",
                        class.zh(),
                        named.code
                    ),
                    format!(
                        "the {} has no code {digits}; “{name}” is the name of {}",
                        class.en(),
                        named.code
                    ),
                )
                .expected(t(right.clone(), right)),
            );
            return None;
        }
        // The code and each missing level above it, deepest first, need a name.
        let mut missing: Vec<(String, Option<(String, Location)>)> = Vec::new();
        let mut code = Some(digits);
        while let Some(c) = code {
            if self.catalog.get(class, c).is_some() {
                break;
            }
            let written =
                (c == digits && !name.is_empty()).then(|| (name.to_string(), loc.clone()));
            let named = self.named.get(c).cloned();
            if let (Some((w, _)), Some((n, at))) = (&written, &named)
                && !same_name(w, n)
            {
                self.push(
                    fail(
                        "E0214",
                        format!("代码 {c} 在此处与 [codes] 中的名称不同"),
                        format!("code {c} is named otherwise here than in [codes]"),
                    )
                    .expected(t(format!("{c} {n}（{at}）"), format!("{c} {n} ({at})"))),
                );
                return None;
            }
            // Named already by an earlier fact (accepted or not).
            let before = self.written.get(&(class, c.to_string())).cloned();
            if let Some(w) = &written {
                self.written
                    .entry((class, c.to_string()))
                    .or_insert_with(|| w.clone());
            }
            missing.push((c.to_string(), written.or(named).or(before)));
            code = parent_code(c);
        }
        let unnamed: Vec<&str> = missing
            .iter()
            .filter(|(_, n)| n.is_none())
            .map(|(c, _)| c.as_str())
            .collect();
        if !unnamed.is_empty() {
            let example: Vec<String> = unnamed
                .iter()
                .map(|c| format!("\"{c}\" = \"……\""))
                .collect();
            self.push(
                fail(
                    "E0211",
                    format!(
                        "{}中没有代码 {}，输入中也未写出其名称（可用 --catalog 载入完整目录）",
                        class.zh(),
                        unnamed.join("、")
                    ),
                    format!(
                        "the {} has no code {} and the input does not name it (or load the complete catalog with --catalog)",
                        class.en(),
                        unnamed.join(", ")
                    ),
                )
                .expected(t(
                    format!("在代码后写出名称（\"{digits} 名称\"），或在 [codes] 中写出：{}", example.join("，")),
                    format!("the name after the code (\"{digits} name\"), or in [codes]: {}", example.join(", ")),
                )),
            );
            return None;
        }
        for (c, n) in missing {
            let Some((name, location)) = n else { continue };
            let level = Level::of(&c)?;
            self.supplied.entry((class, c.clone())).or_insert(Entry {
                code: c,
                name,
                level,
                description: None,
                location,
                supplied: true,
            });
        }
        Some(digits.to_string())
    }

    fn field_choice<T>(
        &mut self,
        r: &Record<'_>,
        section: &str,
        name: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let field = schema::section(section)?.field(name)?;
        let node = r.get(name)?;
        self.choice(node, field, parse)
    }

    /// The record's scenario, or the file's.
    fn scenario_of(&mut self, r: &Record<'_>, section: &str) -> Option<Scenario> {
        match r.get("scenario") {
            Some(_) => self.field_choice(r, section, "scenario", Scenario::parse),
            None => Some(self.scenario),
        }
    }

    fn income(&mut self, r: &Record<'_>) -> Option<IncomeFact> {
        let unit = self.unit_ref(r.get("unit"), "unit");
        let counterparty = self.unit_ref(r.get("counterparty"), "counterparty");
        let counterparty_department = self.optional_text(r.get("counterparty_department"));
        let detail = self.optional_text(r.get("detail"));
        let source = self.field_choice(r, "income", "source", FundSource::parse);
        let function = self.code(r.get("function"), Classification::Function);
        let amount = self.amount(r.get("amount"));
        Some(IncomeFact {
            unit: unit?,
            source: source?,
            function: function?,
            counterparty: counterparty?,
            counterparty_department: counterparty_department?,
            detail: detail?,
            amount: amount?,
            location: self.loc(r.at),
        })
    }

    fn expenditure(&mut self, r: &Record<'_>) -> Option<ExpenditureFact> {
        let unit = self.unit_ref(r.get("unit"), "unit");
        let counterparty = self.unit_ref(r.get("counterparty"), "counterparty");
        let counterparty_department = self.optional_text(r.get("counterparty_department"));
        let detail = self.optional_text(r.get("detail"));
        let fund = self.field_choice(r, "expenditure", "fund", FundSource::parse);
        let function = self.code(r.get("function"), Classification::Function);
        let kind = self.field_choice(r, "expenditure", "kind", ExpKind::parse);
        let amount = self.amount(r.get("amount"));
        if let (Some(f), Some(k)) = (fund, kind)
            && f.is_fiscal()
            && !matches!(k, ExpKind::Basic | ExpKind::Project)
        {
            let loc = self.loc(&r.get("kind").map_or(r.at, |n| &n.at).clone());
            self.push(
                Diagnostic::error(
                    "E0215",
                    loc,
                    t(
                        format!("{}只能列基本支出或项目支出", f.zh()),
                        format!("{} pays only basic or project expenditure", f.en()),
                    ),
                )
                .expected(t("基本支出 或 项目支出", "基本支出 or 项目支出"))
                .found(k.zh().to_string()),
            );
            return None;
        }
        Some(ExpenditureFact {
            unit: unit?,
            fund: fund?,
            function: function?,
            kind: kind?,
            counterparty: counterparty?,
            counterparty_department: counterparty_department?,
            detail: detail?,
            amount: amount?,
            location: self.loc(r.at),
        })
    }

    fn economic(&mut self, r: &Record<'_>) -> Option<EconomicFact> {
        let unit = self.unit_ref(r.get("unit"), "unit");
        let fund = match r.get("fund") {
            Some(_) => self.field_choice(r, "basic_economic", "fund", FundSource::parse),
            None => Some(FundSource::GeneralBudget),
        };
        let economic = self.code(r.get("economic"), Classification::Economic);
        let amount = self.amount(r.get("amount"));
        Some(EconomicFact {
            unit: unit?,
            fund: fund?,
            economic: economic?,
            amount: amount?,
            location: self.loc(r.at),
        })
    }

    fn balance(&mut self, r: &Record<'_>) -> Option<BalanceFact> {
        let unit = self.unit_ref(r.get("unit"), "unit");
        let fund = self.field_choice(r, "balances", "fund", FundSource::parse);
        let kind = self.field_choice(r, "balances", "kind", BalanceKind::parse);
        let function = match r.get("function") {
            Some(n) => Some(self.code(Some(n), Classification::Function)?),
            None => None,
        };
        let amount = self.amount(r.get("amount"));
        if fund == Some(FundSource::GovFund) && function.is_none() {
            let loc = self.loc(r.at);
            self.push(
                Diagnostic::error(
                    "E0216",
                    loc,
                    t(
                        "政府性基金预算财政拨款的结转结余须注明功能分类项（公开07表按项列示）",
                        "government fund balances need a function item (table 07 shows them by item)",
                    ),
                )
                .expected(t("function = \"…\"（7 位项级代码）", "function = \"…\" (a 7-digit item code)")),
            );
            return None;
        }
        Some(BalanceFact {
            unit: unit?,
            fund: fund?,
            kind: kind?,
            function,
            amount: amount?,
            location: self.loc(r.at),
        })
    }

    fn sangong(&mut self, r: &Record<'_>) -> Vec<SanGongFact> {
        let unit = self.unit_ref(r.get("unit"), "unit");
        let category = self.field_choice(r, "sangong", "category", SanGong::parse);
        let budget = self.amount(r.get("budget"));
        let actual = self.amount(r.get("actual"));
        if r.get("budget").is_none() && r.get("actual").is_none() {
            let loc = self.loc(r.at);
            self.push(
                Diagnostic::error(
                    "E0203",
                    loc,
                    t(
                        "“三公”记录缺少 budget 和 actual",
                        "a sangong record needs budget or actual",
                    ),
                )
                .expected(t(
                    "budget = 预算数 和/或 actual = 决算数",
                    "budget and/or actual",
                )),
            );
        }
        let (Some(unit), Some(category)) = (unit, category) else {
            return Vec::new();
        };
        let location = self.loc(r.at);
        [(Scenario::Budget, budget), (Scenario::Actual, actual)]
            .into_iter()
            .filter_map(|(scenario, amount)| {
                Some(SanGongFact {
                    unit: unit.clone(),
                    category,
                    scenario,
                    amount: amount?,
                    location: location.clone(),
                })
            })
            .collect()
    }

    /// The same fact written twice would be counted twice: refuse it.
    fn duplicates(&mut self, facts: &Facts) {
        fn check<K: Ord>(
            problems: &mut Vec<Diagnostic>,
            what: (&str, &str),
            items: impl Iterator<Item = (K, String, Location)>,
        ) {
            let mut seen: BTreeMap<K, Location> = BTreeMap::new();
            for (key, shown, loc) in items {
                if let Some(first) = seen.get(&key) {
                    problems.push(
                        Diagnostic::error(
                            "E0207",
                            loc,
                            t(
                                format!("{}重复：同一事实写了两次", what.0),
                                format!("duplicate {}: the same fact is written twice", what.1),
                            ),
                        )
                        .expected(t(
                            "每个维度组合只写一条（金额请合并）",
                            "one record per combination of dimensions (add the amounts up)",
                        ))
                        .found(shown)
                        .related(first.clone()),
                    );
                } else {
                    seen.insert(key, loc);
                }
            }
        }
        let p = &mut self.problems;
        let u = |u: &Option<String>| u.clone().unwrap_or_default();
        check(
            p,
            ("收入", "income"),
            facts.income.iter().map(|f| {
                (
                    (
                        u(&f.unit),
                        f.source,
                        f.function.clone(),
                        f.counterparty.clone(),
                        f.counterparty_department.clone(),
                        f.detail.clone(),
                    ),
                    format!(
                        "unit={} source={} function={}",
                        u(&f.unit),
                        f.source.zh(),
                        f.function
                    ),
                    f.location.clone(),
                )
            }),
        );
        check(
            p,
            ("支出", "expenditure"),
            facts.expenditure.iter().map(|f| {
                (
                    (
                        u(&f.unit),
                        f.fund,
                        f.function.clone(),
                        f.kind,
                        f.counterparty.clone(),
                        f.counterparty_department.clone(),
                        f.detail.clone(),
                    ),
                    format!(
                        "unit={} fund={} function={} kind={}",
                        u(&f.unit),
                        f.fund.zh(),
                        f.function,
                        f.kind.zh()
                    ),
                    f.location.clone(),
                )
            }),
        );
        check(
            p,
            ("基本支出经济分类", "economic fact"),
            facts.basic_economic.iter().map(|f| {
                (
                    (u(&f.unit), f.fund, f.economic.clone()),
                    format!(
                        "unit={} fund={} economic={}",
                        u(&f.unit),
                        f.fund.zh(),
                        f.economic
                    ),
                    f.location.clone(),
                )
            }),
        );
        check(
            p,
            ("结转结余", "balance"),
            facts.balances.iter().map(|f| {
                (
                    (u(&f.unit), f.fund, f.kind, f.function.clone()),
                    format!(
                        "unit={} fund={} kind={}",
                        u(&f.unit),
                        f.fund.zh(),
                        f.kind.zh()
                    ),
                    f.location.clone(),
                )
            }),
        );
        check(
            p,
            ("“三公”", "sangong"),
            facts.sangong.iter().map(|f| {
                (
                    (u(&f.unit), f.category, f.scenario),
                    format!("unit={} category={}", u(&f.unit), f.category.zh()),
                    f.location.clone(),
                )
            }),
        );
    }
}

/// The fact set a fact of `scenario` belongs to.
fn pick<'f>(actual: &'f mut Facts, budget: &'f mut Facts, scenario: Scenario) -> &'f mut Facts {
    match scenario {
        Scenario::Actual => actual,
        Scenario::Budget => budget,
    }
}

fn example(class: Classification) -> &'static str {
    match class {
        Classification::Function => "2060101",
        Classification::Economic => "30101",
        Classification::EconomicGov => "50101",
    }
}
