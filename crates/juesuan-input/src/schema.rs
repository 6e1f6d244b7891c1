//! The department-year input format, described once.
//!
//! [`DOCUMENT`] lists every section and field with its type and meaning in both languages.
//! The decoder checks input against it (unknown and missing fields), `docs/input-format.md` and
//! `schema/department-year.schema.json` are generated from it, and a test keeps them in step.

use serde_json::{Value as Json, json};

/// The type of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// Free text.
    Text,
    /// A whole number (the year).
    Year,
    /// An exact amount in the file's unit: a number or a string such as `"35,549.61"`.
    Amount,
    /// One of a fixed list of Chinese names.
    Choice(&'static [&'static str]),
    /// A function 项 code (7 digits), optionally followed by its name, or the name alone.
    FunctionCode,
    /// An economic 款 code (5 digits), optionally followed by its name, or the name alone.
    EconomicCode,
    /// The id of a unit declared in `units`.
    UnitRef,
}

/// One field of a record.
#[derive(Debug)]
pub struct Field {
    /// Key as written.
    pub name: &'static str,
    /// Type.
    pub ty: FieldType,
    /// Must be present.
    pub required: bool,
    /// Meaning, in Chinese.
    pub zh: &'static str,
    /// Meaning, in English.
    pub en: &'static str,
}

/// Whether a section is one table or a list of records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `[section]`: one table.
    Table,
    /// `[[section]]` or `section = [ {...}, ... ]`: a list.
    List,
}

/// A top-level section.
#[derive(Debug)]
pub struct Section {
    /// Key as written.
    pub name: &'static str,
    /// Table or list.
    pub shape: Shape,
    /// Must be present.
    pub required: bool,
    /// Meaning, in Chinese.
    pub zh: &'static str,
    /// Meaning, in English.
    pub en: &'static str,
    /// Fields of the table or of each record.
    pub fields: &'static [Field],
}

impl Section {
    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

const FUND_SOURCES: &[&str] = &[
    "一般公共预算财政拨款",
    "政府性基金预算财政拨款",
    "国有资本经营预算财政拨款",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
];
const EXP_KINDS: &[&str] = &[
    "基本支出",
    "项目支出",
    "上缴上级支出",
    "经营支出",
    "对附属单位补助支出",
];
const BALANCE_KINDS: &[&str] = &[
    "年初结转和结余",
    "使用非财政拨款结余",
    "结余分配",
    "年末结转和结余",
];
const SANGONG: &[&str] = &[
    "因公出国(境)费",
    "公务用车购置费",
    "公务用车运行维护费",
    "公务接待费",
];
const UNITS: &[&str] = &["元", "万元"];

const fn f(
    name: &'static str,
    ty: FieldType,
    required: bool,
    zh: &'static str,
    en: &'static str,
) -> Field {
    Field {
        name,
        ty,
        required,
        zh,
        en,
    }
}

const UNIT: Field = f(
    "unit",
    FieldType::UnitRef,
    false,
    "单位 id（units 中声明）；省略表示部门级（已汇总）事实",
    "unit id declared in `units`; omit for a department-level (already consolidated) fact",
);
const AMOUNT: Field = f(
    "amount",
    FieldType::Amount,
    true,
    "金额（按 department.amount_unit），不得为负",
    "amount in department.amount_unit; never negative",
);
const COUNTERPARTY: Field = f(
    "counterparty",
    FieldType::UnitRef,
    false,
    "本部门内的往来单位 id：填写后该笔内部往来在汇总时抵消",
    "the other unit of the department for an internal flow; such flows are eliminated on consolidation",
);

/// Every section of the department-year file.
pub const DOCUMENT: &[Section] = &[
    Section {
        name: "department",
        shape: Shape::Table,
        required: true,
        zh: "部门与年度",
        en: "the department and year",
        fields: &[
            f(
                "name",
                FieldType::Text,
                true,
                "部门全称，如表头“部门：”后所印",
                "full name, as printed after 部门：",
            ),
            f("year", FieldType::Year, true, "决算年度", "fiscal year"),
            f(
                "amount_unit",
                FieldType::Choice(UNITS),
                true,
                "本文件金额的单位：元（最多 2 位小数）或 万元（最多 6 位小数）",
                "unit of every amount in this file: 元 (up to 2 decimals) or 万元 (up to 6)",
            ),
            f(
                "code",
                FieldType::Text,
                false,
                "部门编码（可选）",
                "department code in the finance bureau's system (optional)",
            ),
            f(
                "layout",
                FieldType::Text,
                false,
                "公开表式 id（如 hubei-wuhan-2023），可被 --layout 覆盖",
                "layout id (e.g. hubei-wuhan-2023); --layout overrides it",
            ),
        ],
    },
    Section {
        name: "units",
        shape: Shape::List,
        required: false,
        zh: "纳入部门决算的单位（本级与下属单位）",
        en: "the budget units consolidated into the department",
        fields: &[
            f(
                "id",
                FieldType::Text,
                true,
                "单位简称，供事实引用",
                "short id used by facts",
            ),
            f("name", FieldType::Text, true, "单位全称", "full name"),
            f(
                "kind",
                FieldType::Text,
                false,
                "单位性质，如 行政单位、事业单位",
                "kind, e.g. 行政单位 or 事业单位",
            ),
        ],
    },
    Section {
        name: "income",
        shape: Shape::List,
        required: false,
        zh: "收入：单位 × 来源 × 功能分类项",
        en: "income by unit × source × function item",
        fields: &[
            UNIT,
            f(
                "source",
                FieldType::Choice(FUND_SOURCES),
                true,
                "收入来源",
                "source of income",
            ),
            f(
                "function",
                FieldType::FunctionCode,
                true,
                "支出功能分类项级代码（7 位），可带名称",
                "function item code (7 digits), optionally with its name",
            ),
            COUNTERPARTY,
            AMOUNT,
        ],
    },
    Section {
        name: "expenditure",
        shape: Shape::List,
        required: false,
        zh: "支出：单位 × 资金来源 × 功能分类项 × 支出类型",
        en: "expenditure by unit × fund source × function item × kind",
        fields: &[
            UNIT,
            f(
                "fund",
                FieldType::Choice(FUND_SOURCES),
                true,
                "资金来源；财政拨款只能列基本支出或项目支出",
                "fund source; appropriations pay only basic or project expenditure",
            ),
            f(
                "function",
                FieldType::FunctionCode,
                true,
                "支出功能分类项级代码（7 位），可带名称",
                "function item code (7 digits), optionally with its name",
            ),
            f(
                "kind",
                FieldType::Choice(EXP_KINDS),
                true,
                "支出类型",
                "kind of expenditure",
            ),
            COUNTERPARTY,
            AMOUNT,
        ],
    },
    Section {
        name: "basic_economic",
        shape: Shape::List,
        required: false,
        zh: "基本支出：单位 × 资金来源 × 经济分类款（公开06表）",
        en: "basic expenditure by unit × fund source × economic section (table 06)",
        fields: &[
            UNIT,
            f(
                "fund",
                FieldType::Choice(FUND_SOURCES),
                false,
                "资金来源，默认 一般公共预算财政拨款",
                "fund source; default 一般公共预算财政拨款",
            ),
            f(
                "economic",
                FieldType::EconomicCode,
                true,
                "部门预算支出经济分类款级代码（5 位），可带名称",
                "economic section code (5 digits), optionally with its name",
            ),
            AMOUNT,
        ],
    },
    Section {
        name: "balances",
        shape: Shape::List,
        required: false,
        zh: "结转结余：单位 × 资金来源 × 类型（政府性基金须按功能分类项）",
        en: "balances by unit × fund source × kind (by function item for government funds)",
        fields: &[
            UNIT,
            f(
                "fund",
                FieldType::Choice(FUND_SOURCES),
                true,
                "资金来源",
                "fund source",
            ),
            f(
                "kind",
                FieldType::Choice(BALANCE_KINDS),
                true,
                "结转结余类型",
                "kind of balance",
            ),
            f(
                "function",
                FieldType::FunctionCode,
                false,
                "功能分类项级代码；政府性基金预算财政拨款必填",
                "function item code; required for 政府性基金预算财政拨款",
            ),
            AMOUNT,
        ],
    },
    Section {
        name: "sangong",
        shape: Shape::List,
        required: false,
        zh: "财政拨款“三公”经费：单位 × 类别的预算数与决算数",
        en: "appropriation-funded \"three public expenses\": budget and actual by unit × category",
        fields: &[
            UNIT,
            f(
                "category",
                FieldType::Choice(SANGONG),
                true,
                "类别",
                "category",
            ),
            f(
                "budget",
                FieldType::Amount,
                false,
                "全年预算数",
                "full-year (adjusted) budget",
            ),
            f("actual", FieldType::Amount, false, "决算数", "actual"),
        ],
    },
];

/// The section named `name`.
pub fn section(name: &str) -> Option<&'static Section> {
    DOCUMENT.iter().find(|s| s.name == name)
}

fn field_schema(field: &Field) -> Json {
    let description = format!("{} / {}", field.zh, field.en);
    match field.ty {
        FieldType::Text | FieldType::UnitRef => {
            json!({ "type": "string", "minLength": 1, "description": description })
        }
        FieldType::Year => {
            json!({ "type": "integer", "minimum": 1990, "maximum": 2100, "description": description })
        }
        FieldType::Amount => json!({
            "description": description,
            "oneOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": "^(0|[1-9][0-9]{0,2}(,[0-9]{3})*|[1-9][0-9]*)(\\.[0-9]+)?$" }
            ]
        }),
        FieldType::Choice(values) => {
            json!({ "type": "string", "enum": values, "description": description })
        }
        FieldType::FunctionCode => {
            json!({ "type": "string", "pattern": "^([0-9]{7}\\s*.*|[^0-9].*)$", "description": description })
        }
        FieldType::EconomicCode => {
            json!({ "type": "string", "pattern": "^([0-9]{5}\\s*.*|[^0-9].*)$", "description": description })
        }
    }
}

/// The JSON Schema (draft 2020-12) of the department-year file, generated from [`DOCUMENT`].
pub fn json_schema() -> Json {
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    for s in DOCUMENT {
        let mut fields = serde_json::Map::new();
        let mut req = Vec::new();
        for f in s.fields {
            fields.insert(f.name.into(), field_schema(f));
            if f.required {
                req.push(f.name);
            }
        }
        let record = json!({
            "type": "object",
            "additionalProperties": false,
            "properties": fields,
            "required": req,
        });
        let schema = match s.shape {
            Shape::Table => {
                let mut r = record;
                r["description"] = json!(format!("{} / {}", s.zh, s.en));
                r
            }
            Shape::List => json!({
                "type": "array",
                "description": format!("{} / {}", s.zh, s.en),
                "items": record,
            }),
        };
        properties.insert(s.name.into(), schema);
        if s.required {
            required.push(s.name);
        }
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://juesuan.org/schema/department-year.schema.json",
        "title": "juesuan department-year facts / 部门决算事实",
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
        "required": required,
    })
}

/// The Markdown reference of the format, generated from [`DOCUMENT`].
pub fn markdown() -> String {
    let mut out = String::from(
        "<!-- Generated by `juesuan schema --markdown`; edit crates/juesuan-input/src/schema.rs instead. -->\n\n\
         # 部门决算事实文件 / Department-year input file\n\n\
         One file holds one department's facts for one year. Write it in TOML (for people) or JSON\n\
         (for programs); both have the same structure. Amounts are exact decimals in the unit the\n\
         file declares (`department.amount_unit`): write them as numbers (`552.98`) or strings\n\
         (`\"35,549.61\"`); they are never read through binary floating point. A machine-readable\n\
         JSON Schema is in `schema/department-year.schema.json`.\n\n\
         一个文件记录一个部门一个年度的全部事实。金额为精确小数，单位由 `department.amount_unit` 声明。\n\n\
         A list section may be written record by record (`[[income]]`) or as one array of inline\n\
         tables, as the examples in `examples/` do:\n\n\
         ```toml\n\
         department = { name = \"武汉市洪山区科学技术和经济信息化局\", year = 2023, amount_unit = \"万元\" }\n\
         income = [\n  { source = \"一般公共预算财政拨款\", function = \"2060101 行政运行\", amount = 552.98 },\n]\n\
         ```\n\n\
         In TOML a `key = value` written after a `[table]` header belongs to that table, so write\n\
         top-level arrays before any header (juesuan reports the mistake, `E0202`). A code may be\n\
         written alone (`\"2060101\"`), with its name (`\"2060101 行政运行\"`, checked against the\n\
         catalog) or as a name alone when that name is unique in the catalog. Errors: `docs/errors.md`.\n",
    );
    for s in DOCUMENT {
        let shape = match s.shape {
            Shape::Table => format!("`[{}]`", s.name),
            Shape::List => format!("`[[{}]]`", s.name),
        };
        let req = if s.required {
            "required / 必填"
        } else {
            "optional / 可选"
        };
        out.push_str(&format!("\n## {shape} — {}\n\n{} ({req})\n\n", s.zh, s.en));
        out.push_str("| field / 字段 | type / 类型 | required / 必填 | meaning / 含义 |\n|---|---|---|---|\n");
        for f in s.fields {
            let ty = match f.ty {
                FieldType::Text => "text".to_string(),
                FieldType::Year => "integer".to_string(),
                FieldType::Amount => "amount".to_string(),
                FieldType::Choice(v) => format!("one of: {}", v.join(" / ")),
                FieldType::FunctionCode => "function 项 code".to_string(),
                FieldType::EconomicCode => "economic 款 code".to_string(),
                FieldType::UnitRef => "unit id".to_string(),
            };
            out.push_str(&format!(
                "| `{}` | {ty} | {} | {}<br>{} |\n",
                f.name,
                if f.required { "yes / 是" } else { "no / 否" },
                f.zh,
                f.en
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use juesuan_core::facts::{BalanceKind, ExpKind, FundSource, SanGong};

    /// The documented choices are exactly the core's vocabularies.
    #[test]
    fn choices_match_the_core_vocabularies() {
        let zh = |all: Vec<&'static str>| all;
        assert_eq!(
            FUND_SOURCES,
            zh(FundSource::ALL.iter().map(|v| v.zh()).collect()).as_slice()
        );
        assert_eq!(
            EXP_KINDS,
            zh(ExpKind::ALL.iter().map(|v| v.zh()).collect()).as_slice()
        );
        assert_eq!(
            BALANCE_KINDS,
            zh(BalanceKind::ALL.iter().map(|v| v.zh()).collect()).as_slice()
        );
        assert_eq!(
            SANGONG,
            zh(SanGong::ALL.iter().map(|v| v.zh()).collect()).as_slice()
        );
    }
}
