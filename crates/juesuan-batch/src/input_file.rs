//! A department-year written back as an input file (`docs/input-format.md`), TOML or JSON:
//! what the generator writes, and what a roll-up writes so that `juesuan build` can rebuild
//! the district from one file.
//!
//! Codes are written with their catalog names (`"2060101 行政运行"`), amounts as exact 元
//! strings; serialization is serde's (the `toml` and `serde_json` writers), so the text is
//! always well-formed whatever the names hold.

use juesuan_core::catalog::{Catalog, Classification};
use juesuan_core::facts::{DepartmentYear, SanGong, Scenario};
use serde::Serialize;
use serde_json::Value;

/// The input file formats the generator writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// TOML, for people.
    Toml,
    /// JSON, for programs.
    Json,
}

impl InputFormat {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            InputFormat::Toml => "toml",
            InputFormat::Json => "json",
        }
    }
}

#[derive(Serialize)]
struct Doc {
    department: DepartmentOut,
    /// Names of the codes the catalog lacks (the input's own, kept so the file reads back).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    codes: std::collections::BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    units: Vec<UnitOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    income: Vec<IncomeOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    expenditure: Vec<ExpenditureOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    basic_economic: Vec<EconomicOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    balances: Vec<BalanceOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sangong: Vec<SanGongOut>,
    #[serde(flatten)]
    disclosure: serde_json::Map<String, Value>,
}

#[derive(Serialize)]
struct DepartmentOut {
    name: String,
    year: i32,
    amount_unit: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    layout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    catalog: Option<&'static str>,
}

#[derive(Serialize)]
struct UnitOut {
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize)]
struct IncomeOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    source: &'static str,
    function: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    counterparty: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counterparty_department: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    amount: String,
}

#[derive(Serialize)]
struct ExpenditureOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    fund: &'static str,
    function: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    counterparty: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counterparty_department: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    amount: String,
}

#[derive(Serialize)]
struct EconomicOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    fund: &'static str,
    economic: String,
    amount: String,
}

#[derive(Serialize)]
struct BalanceOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    fund: &'static str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    function: Option<String>,
    amount: String,
}

#[derive(Serialize)]
struct SanGongOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    category: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    budget: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actual: Option<String>,
}

/// `code name`, or the bare code when the catalog does not know it.
fn coded(catalog: &Catalog, class: Classification, code: &str) -> String {
    match catalog.name(class, code) {
        Some(name) => format!("{code} {name}"),
        None => code.to_string(),
    }
}

/// Drops nulls, empty lists and empty tables (the input format has no null).
fn prune(v: Value) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::Array(a) => {
            let a: Vec<Value> = a.into_iter().filter_map(prune).collect();
            (!a.is_empty()).then_some(Value::Array(a))
        }
        Value::Object(o) => {
            let o: serde_json::Map<String, Value> = o
                .into_iter()
                .filter_map(|(k, v)| prune(v).map(|v| (k, v)))
                .collect();
            (!o.is_empty()).then_some(Value::Object(o))
        }
        other => Some(other),
    }
}

/// The file text of `dy` (amounts in 元).
pub fn write(dy: &DepartmentYear, catalog: &Catalog, format: InputFormat) -> String {
    let f = &dy.facts;
    let func = |c: &str| coded(catalog, Classification::Function, c);
    let mut sangong: Vec<SanGongOut> = Vec::new();
    let mut keys: Vec<(Option<String>, SanGong)> = Vec::new();
    for s in &f.sangong {
        let key = (s.unit.clone(), s.category);
        let i = match keys.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                keys.push(key);
                sangong.push(SanGongOut {
                    unit: s.unit.clone(),
                    category: s.category.zh(),
                    budget: None,
                    actual: None,
                });
                sangong.len() - 1
            }
        };
        let slot = match s.scenario {
            Scenario::Budget => &mut sangong[i].budget,
            Scenario::Actual => &mut sangong[i].actual,
        };
        *slot = Some(s.amount.to_string());
    }
    let disclosure = match prune(serde_json::to_value(&dy.disclosure).expect("disclosure")) {
        Some(Value::Object(o)) => o,
        _ => serde_json::Map::new(),
    };
    let doc = Doc {
        department: DepartmentOut {
            name: dy.department.name.clone(),
            year: dy.department.year,
            amount_unit: "元",
            code: dy.department.code.clone(),
            layout: dy.department.layout.clone(),
            catalog: dy
                .department
                .strict_catalog
                .then_some(juesuan_input::schema::STRICT),
        },
        units: dy
            .units
            .iter()
            .map(|u| UnitOut {
                id: u.id.clone(),
                name: u.name.clone(),
                kind: u.kind.clone(),
                note: u.note.clone(),
            })
            .collect(),
        income: f
            .income
            .iter()
            .map(|i| IncomeOut {
                unit: i.unit.clone(),
                source: i.source.zh(),
                function: func(&i.function),
                counterparty: i.counterparty.clone(),
                counterparty_department: i.counterparty_department.clone(),
                detail: i.detail.clone(),
                amount: i.amount.to_string(),
            })
            .collect(),
        expenditure: f
            .expenditure
            .iter()
            .map(|e| ExpenditureOut {
                unit: e.unit.clone(),
                fund: e.fund.zh(),
                function: func(&e.function),
                kind: e.kind.zh(),
                counterparty: e.counterparty.clone(),
                counterparty_department: e.counterparty_department.clone(),
                detail: e.detail.clone(),
                amount: e.amount.to_string(),
            })
            .collect(),
        basic_economic: f
            .basic_economic
            .iter()
            .map(|e| EconomicOut {
                unit: e.unit.clone(),
                fund: e.fund.zh(),
                economic: coded(catalog, Classification::Economic, &e.economic),
                amount: e.amount.to_string(),
            })
            .collect(),
        balances: f
            .balances
            .iter()
            .map(|b| BalanceOut {
                unit: b.unit.clone(),
                fund: b.fund.zh(),
                kind: b.kind.zh(),
                function: b.function.as_deref().map(func),
                amount: b.amount.to_string(),
            })
            .collect(),
        sangong,
        disclosure,
        codes: catalog
            .supplied()
            .map(|(_, e)| (e.code.clone(), e.name.clone()))
            .collect(),
    };
    match format {
        InputFormat::Json => {
            let mut s = serde_json::to_string_pretty(&doc).expect("json");
            s.push('\n');
            s
        }
        InputFormat::Toml => toml::to_string(&doc).expect("toml"),
    }
}
