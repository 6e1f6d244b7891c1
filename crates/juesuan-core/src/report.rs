//! Everything the narrative templates read: every figure of the figure catalog
//! ([`crate::figures`]), evaluated once over the views and the input, each with its provenance;
//! and the lists a template walks (the 类 of 五(二), the 项 of 五(三), the projects…).
//!
//! The narrative templates (data) never compute: they ask for figures by key and choose how to
//! print them. So a sentence cannot disagree with a table, and a rate over a zero base cannot
//! be printed (it has no value).

use crate::catalog::{Catalog, Classification};
use crate::disclosure::{Disclosure, ProjectEvaluation, Scheme};
use crate::facts::DepartmentYear;
use crate::figures::{Context, FigureCatalog};
use crate::money::Money;
use crate::rules::Sheet;
use crate::views::{RowKind, Views};
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::figures::{Figure, Value};

/// A function class line of 五(二).
#[derive(Clone, Debug, Serialize)]
pub struct ClassLine {
    /// Class code.
    pub code: String,
    /// Class name.
    pub name: String,
    /// Figure key of the amount.
    pub amount: String,
    /// Figure key of the share of general budget expenditure.
    pub share: String,
    /// What it was used for (the department's words).
    pub uses: Option<String>,
}

/// A budget line of 五(三).
#[derive(Clone, Debug, Serialize)]
pub struct BudgetLine {
    /// 项 code.
    pub code: String,
    /// 类, 款 and 项 names.
    pub names: [String; 3],
    /// Figure key of the initial budget; none when the input gives no budgets.
    pub budget: Option<String>,
    /// Figure key of the actual.
    pub actual: String,
    /// Figure key of actual / budget (no value when the budget is zero).
    pub completion: String,
    /// `大于`, `小于` or `等于`: actual against budget.
    pub comparison: &'static str,
    /// The department's reason.
    pub reason: Option<String>,
    /// What the 项 was mainly used for (the department's words).
    pub uses: Option<String>,
}

/// A unit of the department as part one lists it.
#[derive(Clone, Debug, Serialize)]
pub struct UnitLine {
    /// Full name.
    pub name: String,
    /// 行政单位 / 事业单位 …, where given.
    pub kind: Option<String>,
    /// The remark printed beside it (预算不单列，并入本级), where given.
    pub note: Option<String>,
}

/// A "三公" category line of 九.
#[derive(Clone, Debug, Serialize)]
pub struct SanGongLine {
    /// Key: abroad, vehicle_purchase, vehicle_operation, reception.
    pub key: &'static str,
    /// Figure keys: budget, actual, completion (actual/budget), difference (actual − budget).
    pub budget: String,
    /// See `budget`.
    pub actual: String,
    /// See `budget`.
    pub completion: String,
    /// See `budget`.
    pub difference: String,
    /// `增加`, `减少` or `持平`: actual against budget.
    pub direction: &'static str,
    /// The department's reason.
    pub reason: Option<String>,
}

/// A project of 十三(二) and part six.
#[derive(Clone, Debug, Serialize)]
pub struct ProjectLine {
    /// Position, from 1.
    pub index: usize,
    /// Figure key prefix `project.N`.
    pub key: String,
    /// The evaluation as entered.
    pub evaluation: ProjectEvaluation,
}

/// A term of 名词解释 for a function 项 the department used.
#[derive(Clone, Debug, Serialize)]
pub struct ItemTerm {
    /// 项 code.
    pub code: String,
    /// 类, 款 and 项 names.
    pub names: [String; 3],
    /// The official description, where the catalog has one.
    pub description: Option<String>,
}

/// Everything the narrative templates read: figures by key, and lists of keys and texts.
#[derive(Clone, Debug, Serialize)]
pub struct ReportData {
    /// Department name.
    pub department: String,
    /// Fiscal year.
    pub year: i32,
    /// Unit names, in order.
    pub units: Vec<String>,
    /// The units with their kinds and remarks, in order (a template that prints a table of
    /// them).
    pub unit_lines: Vec<UnitLine>,
    /// The department's own texts.
    pub disclosure: Disclosure,
    /// Every figure, by key.
    pub figures: BTreeMap<String, Figure>,
    /// How the 绩效 forms are scored.
    pub scheme: Scheme,
    /// Income sources with an amount (keys of `income.<source>`), in table order.
    pub income_sources: Vec<String>,
    /// Income sources without one (keys).
    pub income_absent: Vec<String>,
    /// Expenditure kinds with an amount (keys of `expenditure.<kind>`).
    pub expenditure_kinds: Vec<String>,
    /// Expenditure kinds without one (keys).
    pub expenditure_absent: Vec<String>,
    /// 五(二): classes of general budget expenditure.
    pub classes: Vec<ClassLine>,
    /// 五(三): items of general budget expenditure and their budgets.
    pub budget_lines: Vec<BudgetLine>,
    /// 六: names of the personnel and public 款 with an amount.
    pub personnel_items: Vec<String>,
    /// See `personnel_items`.
    pub public_items: Vec<String>,
    /// 九: "三公" categories by key (abroad, vehicles, vehicle_purchase, vehicle_operation,
    /// reception).
    pub sangong: BTreeMap<&'static str, SanGongLine>,
    /// 十三: projects evaluated.
    pub projects: Vec<ProjectLine>,
    /// 名词解释: function 项 used.
    pub item_terms: Vec<ItemTerm>,
    /// The report's charts (their figures are in `figures`).
    pub charts: Vec<crate::figures::ChartDef>,
    /// Whether the government fund and state capital tables have amounts.
    pub has_gov_fund: bool,
    /// See `has_gov_fund`.
    pub has_state_capital: bool,
}

/// The direction of a change: `增加`, `减少` or `持平`.
pub fn direction(m: Money) -> &'static str {
    if m.is_zero() {
        "持平"
    } else if m.is_negative() {
        "减少"
    } else {
        "增加"
    }
}

/// `大于`, `小于` or `等于`.
pub fn comparison(a: Money, b: Money) -> &'static str {
    match a.cmp(&b) {
        std::cmp::Ordering::Greater => "大于",
        std::cmp::Ordering::Less => "小于",
        std::cmp::Ordering::Equal => "等于",
    }
}

/// The department's own input as the figure catalog reads it (`input(…)`): the sections of
/// the input file besides the facts (`prior_year`, `budgets`, `performance`…) and its `units`
/// (name and kind).
pub fn input_json(dy: &DepartmentYear) -> serde_json::Value {
    let mut root = match serde_json::to_value(&dy.disclosure) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    // Each unit's name and kind (`count(input(units[kind=行政单位]))`).
    root.insert(
        "units".into(),
        dy.units
            .iter()
            .map(|u| serde_json::json!({ "name": u.name, "kind": u.kind }))
            .collect(),
    );
    serde_json::Value::Object(root)
}

/// The amount figure `key`, if it is one.
fn money(figures: &BTreeMap<String, Figure>, key: &str) -> Option<Money> {
    match figures.get(key)?.value {
        Value::Money { value } => Some(value),
        _ => None,
    }
}

/// Keys of the terms of `vocabulary` whose figure `<prefix>.<key>` is not zero, and of those
/// whose figure is zero (or absent).
fn present_and_absent(
    figures: &BTreeMap<String, Figure>,
    vocabulary: &str,
    prefix: &str,
) -> (Vec<String>, Vec<String>) {
    crate::facts::terms(vocabulary)
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.key.to_string())
        .partition(|k| money(figures, &format!("{prefix}.{k}")).is_some_and(|m| !m.is_zero()))
}

/// Evaluates the figure catalog over the department-year's views and input, and gathers the
/// lists the narrative walks.
pub fn report_data(
    dy: &DepartmentYear,
    views: &Views,
    catalog: &Catalog,
    figures: &FigureCatalog,
) -> ReportData {
    report_data_on(dy, views, &Sheet::from_views(views), catalog, figures)
}

/// [`report_data`] with the views' sheet already built (a render reads one sheet for its
/// figures, its checks and its explanations).
pub fn report_data_on(
    dy: &DepartmentYear,
    views: &Views,
    sheet: &Sheet,
    catalog: &Catalog,
    figures: &FigureCatalog,
) -> ReportData {
    let d = &dy.disclosure;
    let scheme = d
        .performance
        .as_ref()
        .and_then(|p| p.scheme.clone())
        .unwrap_or_default();
    let input = input_json(dy);
    let charts = figures.charts.clone();
    let figures = figures.evaluate(&Context {
        sheet,
        input: Some(&input),
        scheme: &scheme,
    });
    let (income_sources, income_absent) = present_and_absent(&figures, "income_source", "income");
    let (expenditure_kinds, expenditure_absent) =
        present_and_absent(&figures, "expenditure_kind", "expenditure");
    let names = |code: &str| -> [String; 3] {
        let n = |c: &str| {
            catalog
                .name(Classification::Function, c)
                .unwrap_or("")
                .to_string()
        };
        [n(&code[..3]), n(&code[..5]), n(code)]
    };
    let rows_of = |table: &str, kind: RowKind| -> Vec<(String, String)> {
        views
            .table(table)
            .map(|v| {
                v.panels
                    .iter()
                    .flat_map(|p| p.rows.iter())
                    .filter(|r| r.kind == kind)
                    .filter_map(|r| Some((r.code.clone()?, r.label.zh.clone())))
                    .collect()
            })
            .unwrap_or_default()
    };

    // 五(二): classes of general budget expenditure.
    let classes = rows_of("general_budget", RowKind::Lei)
        .into_iter()
        .map(|(code, name)| {
            let key = format!("gb.class.{code}");
            ClassLine {
                name,
                share: format!("{key}.share"),
                amount: key,
                uses: d.class_uses.get(&code).cloned(),
                code,
            }
        })
        .collect();

    // 五(三): every item with an amount or a budget.
    let mut items: Vec<String> = rows_of("general_budget", RowKind::Xiang)
        .into_iter()
        .map(|(code, _)| code)
        .collect();
    for l in &d.budgets {
        if !items.contains(&l.function) {
            items.push(l.function.clone());
        }
    }
    items.sort();
    let budget_lines = items
        .iter()
        .map(|code| {
            let key = format!("gb.item.{code}");
            let line = d.budgets.iter().find(|l| l.function == *code);
            let actual = money(&figures, &format!("{key}.actual")).unwrap_or_default();
            let budget = line.and_then(|l| l.initial).unwrap_or_default();
            BudgetLine {
                names: names(code),
                budget: figures
                    .contains_key(&format!("{key}.budget"))
                    .then(|| format!("{key}.budget")),
                actual: format!("{key}.actual"),
                completion: format!("{key}.completion"),
                comparison: comparison(actual, budget),
                reason: line.and_then(|l| l.reason.clone()),
                uses: line.and_then(|l| l.uses.clone()),
                code: code.clone(),
            }
        })
        .collect();

    // 六: the personnel and public 款 with an amount.
    let (mut personnel_items, mut public_items) = (Vec::new(), Vec::new());
    if let Some(v) = views.table("basic_economic") {
        let personnel_panels: Vec<usize> = v
            .footer
            .first()
            .map(|f| f.panels.clone())
            .unwrap_or_default();
        for (pi, panel) in v.panels.iter().enumerate() {
            for r in panel.rows.iter().filter(|r| r.kind == RowKind::Kuan) {
                if r.values.iter().flatten().all(|m| m.is_zero()) {
                    continue;
                }
                let list = if personnel_panels.contains(&pi) {
                    &mut personnel_items
                } else {
                    &mut public_items
                };
                list.push(r.label.zh.clone());
            }
        }
    }

    // 七、八
    let has_amounts = |id: &str| views.table(id).is_some_and(|v| !v.empty);

    // 九 "三公": each category against its budget, with the department's reason.
    let reasons = &d.reasons;
    let mut sangong = BTreeMap::new();
    for (key, reason) in [
        ("abroad", &reasons.sangong_abroad),
        ("vehicles", &None),
        ("vehicle_purchase", &reasons.sangong_vehicle_purchase),
        ("vehicle_operation", &reasons.sangong_vehicle_operation),
        ("reception", &reasons.sangong_reception),
    ] {
        let get =
            |what: &str| money(&figures, &format!("sangong.{key}.{what}")).unwrap_or_default();
        sangong.insert(
            key,
            SanGongLine {
                key,
                budget: format!("sangong.{key}.budget"),
                actual: format!("sangong.{key}.actual"),
                completion: format!("sangong.{key}.completion"),
                difference: format!("sangong.{key}.difference"),
                direction: direction(get("actual") - get("budget")),
                reason: reason.clone(),
            },
        );
    }

    // 十三 and part six: the projects evaluated.
    let projects = d
        .performance
        .iter()
        .flat_map(|p| p.projects.iter())
        .enumerate()
        .map(|(i, p)| ProjectLine {
            index: i + 1,
            key: format!("project.{}", i + 1),
            evaluation: p.clone(),
        })
        .collect();

    // 名词解释: every function 项 the department spent on.
    let item_terms = rows_of("expenditure", RowKind::Xiang)
        .into_iter()
        .map(|(code, _)| ItemTerm {
            names: names(&code),
            description: catalog
                .get(Classification::Function, &code)
                .and_then(|e| e.description.clone()),
            code,
        })
        .collect();

    ReportData {
        department: dy.department.name.clone(),
        year: dy.department.year,
        units: dy.units.iter().map(|u| u.name.clone()).collect(),
        unit_lines: dy
            .units
            .iter()
            .map(|u| UnitLine {
                name: u.name.clone(),
                kind: u.kind.clone(),
                note: u.note.clone(),
            })
            .collect(),
        disclosure: d.clone(),
        figures,
        scheme,
        income_sources,
        income_absent,
        expenditure_kinds,
        expenditure_absent,
        classes,
        budget_lines,
        personnel_items,
        public_items,
        sangong,
        projects,
        item_terms,
        charts,
        has_gov_fund: has_amounts("gov_fund"),
        has_state_capital: has_amounts("state_capital"),
    }
}
