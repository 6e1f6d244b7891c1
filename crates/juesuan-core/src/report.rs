//! Every figure the narrative prints, computed once from the facts and the views, each with
//! its provenance: which cells or inputs it comes from, and the formula.
//!
//! The narrative templates (data) never compute: they ask for figures by key and choose how to
//! print them. So a sentence cannot disagree with a table, and a rate over a zero base cannot
//! be printed (it has no value).

use crate::catalog::{Catalog, Classification};
use crate::disclosure::{Disclosure, ProjectEvaluation, Scheme};
use crate::facts::DepartmentYear;
use crate::money::Money;
use crate::scoring;
use crate::views::{RowKind, View, Views};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

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

/// One figure and where it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Its value.
    pub value: Value,
    /// How it is computed, in terms of other figures or sources.
    pub formula: String,
    /// Table cells (`table/row/column`) and input fields (`input:prior_year.grand_total`) it
    /// reads.
    pub sources: Vec<String>,
}

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
    /// The department's own texts.
    pub disclosure: Disclosure,
    /// Every figure, by key.
    pub figures: BTreeMap<String, Figure>,
    /// How the 绩效 forms are scored.
    pub scheme: Scheme,
    /// Income sources with an amount (keys of `income.<source>`), in table order.
    pub income_sources: Vec<String>,
    /// Income sources without one.
    pub income_absent: Vec<String>,
    /// Expenditure kinds with an amount (keys of `expenditure.<kind>`).
    pub expenditure_kinds: Vec<String>,
    /// Expenditure kinds without one.
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
    /// Whether the government fund and state capital tables have amounts.
    pub has_gov_fund: bool,
    /// See `has_gov_fund`.
    pub has_state_capital: bool,
}

struct Builder<'a> {
    views: &'a Views,
    figures: BTreeMap<String, Figure>,
}

impl Builder<'_> {
    fn cell(&self, table: &str, row: &str, col: &str) -> (Money, String) {
        let value = self
            .views
            .table(table)
            .and_then(|v| cell(v, row, col))
            .unwrap_or(Money::ZERO);
        (value, format!("{table}/{row}/{col}"))
    }

    fn money(&mut self, key: &str, value: Money, formula: impl Into<String>, sources: Vec<String>) {
        self.figures.insert(
            key.to_string(),
            Figure {
                value: Value::Money { value },
                formula: formula.into(),
                sources,
            },
        );
    }

    fn cell_figure(&mut self, key: &str, table: &str, row: &str, col: &str) -> Money {
        let (v, src) = self.cell(table, row, col);
        self.money(key, v, src.clone(), vec![src]);
        v
    }

    fn get(&self, key: &str) -> Option<Money> {
        match self.figures.get(key)?.value {
            Value::Money { value } => Some(value),
            _ => None,
        }
    }

    fn ratio(&mut self, key: &str, num: &str, den: &str) {
        let (Some(n), Some(d)) = (self.get(num), self.get(den)) else {
            return;
        };
        self.figures.insert(
            key.to_string(),
            Figure {
                value: Value::Ratio { num: n, den: d },
                formula: format!("{num} / {den}"),
                sources: Vec::new(),
            },
        );
    }

    fn diff(&mut self, key: &str, a: &str, b: &str) {
        let (Some(x), Some(y)) = (self.get(a), self.get(b)) else {
            return;
        };
        self.money(key, x - y, format!("{a} − {b}"), Vec::new());
    }

    fn input(&mut self, key: &str, value: Option<Money>, path: &str) {
        if let Some(v) = value {
            self.money(
                key,
                v,
                format!("input:{path}"),
                vec![format!("input:{path}")],
            );
        }
    }

    fn count(&mut self, key: &str, value: u64, formula: impl Into<String>) {
        self.figures.insert(
            key.to_string(),
            Figure {
                value: Value::Count { value },
                formula: formula.into(),
                sources: Vec::new(),
            },
        );
    }

    fn score(&mut self, key: &str, value: Decimal, formula: impl Into<String>) {
        self.figures.insert(
            key.to_string(),
            Figure {
                value: Value::Score { value },
                formula: formula.into(),
                sources: Vec::new(),
            },
        );
    }

    /// This year's figure, last year's, the change and the growth rate.
    fn year_over_year(&mut self, key: &str, prior: Option<Money>, path: &str) {
        self.input(&format!("prior.{key}"), prior, path);
        self.diff(&format!("{key}.change"), key, &format!("prior.{key}"));
        self.ratio(
            &format!("{key}.growth"),
            &format!("{key}.change"),
            &format!("prior.{key}"),
        );
    }
}

/// The value at (row address, column key) of a view.
fn cell(view: &View, row: &str, col: &str) -> Option<Money> {
    for (pi, panel) in view.panels.iter().enumerate() {
        let keys: Vec<&str> = view
            .value_columns(pi)
            .map(|c| c.key.as_deref().unwrap_or(""))
            .collect();
        for r in &panel.rows {
            // The single row of 公开09 has no address: `""` names it.
            if r.address().unwrap_or_default() == row
                && let Some(i) = keys.iter().position(|k| *k == col)
            {
                return r.values.get(i).copied().flatten();
            }
        }
    }
    view.footer
        .iter()
        .find(|f| f.label.zh.split_whitespace().collect::<String>() == row)
        .map(|f| f.value)
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

const INCOME_SOURCES: &[(&str, &str, &[&str])] = &[
    ("fiscal", "财政拨款收入", &["1", "2", "3"]),
    ("superior_subsidy", "上级补助收入", &["4"]),
    ("business", "事业收入", &["5"]),
    ("operating", "经营收入", &["6"]),
    ("from_subsidiaries", "附属单位上缴收入", &["7"]),
    ("other", "其他收入", &["8"]),
];

const EXPENDITURE_KINDS: &[(&str, &str)] = &[
    ("basic", "基本支出"),
    ("project", "项目支出"),
    ("to_superior", "上缴上级支出"),
    ("operating", "经营支出"),
    ("to_subsidiaries", "对附属单位补助支出"),
];

/// Computes every figure and list the narrative uses.
pub fn report_data(dy: &DepartmentYear, views: &Views, catalog: &Catalog) -> ReportData {
    let d = &dy.disclosure;
    let scheme = &d
        .performance
        .as_ref()
        .and_then(|p| p.scheme.clone())
        .unwrap_or_default();
    let mut b = Builder {
        views,
        figures: BTreeMap::new(),
    };
    let prior = d.prior_year.clone().unwrap_or_default();

    // 第一部分: units below the department's own.
    b.count(
        "units.subordinate",
        dy.units.len().saturating_sub(1) as u64,
        "count of input:units − 1 (本级)",
    );

    // 一 收入支出总体
    b.cell_figure("grand_total", "summary", "31", "amount");
    b.year_over_year("grand_total", prior.grand_total, "prior_year.grand_total");

    // 二 收入
    let income = b.cell_figure("income", "summary", "27", "amount");
    b.year_over_year("income", prior.income, "prior_year.income");
    let mut income_sources = Vec::new();
    let mut income_absent = Vec::new();
    for (key, name, lines) in INCOME_SOURCES {
        let mut total = Money::ZERO;
        let mut sources = Vec::new();
        for l in *lines {
            let (v, src) = b.cell("summary", l, "amount");
            total += v;
            sources.push(src);
        }
        let formula = sources.join(" + ");
        b.money(&format!("income.{key}"), total, formula, sources);
        b.ratio(
            &format!("income.{key}.share"),
            &format!("income.{key}"),
            "income",
        );
        if total.is_zero() {
            income_absent.push(name.to_string());
        } else {
            income_sources.push(key.to_string());
        }
    }
    let _ = income;

    // 三 支出
    b.cell_figure("expenditure", "summary", "58", "amount");
    b.year_over_year("expenditure", prior.expenditure, "prior_year.expenditure");
    let mut expenditure_kinds = Vec::new();
    let mut expenditure_absent = Vec::new();
    for (key, name) in EXPENDITURE_KINDS {
        let v = b.cell_figure(&format!("expenditure.{key}"), "expenditure", "合计", key);
        b.ratio(
            &format!("expenditure.{key}.share"),
            &format!("expenditure.{key}"),
            "expenditure",
        );
        if v.is_zero() {
            expenditure_absent.push(name.to_string());
        } else {
            expenditure_kinds.push(key.to_string());
        }
    }

    // 四 财政拨款
    b.cell_figure("fiscal_grand_total", "fiscal_summary", "32", "amount");
    b.year_over_year(
        "fiscal_grand_total",
        prior.fiscal_grand_total,
        "prior_year.fiscal_grand_total",
    );
    b.cell_figure("general_budget_income", "fiscal_summary", "1", "amount");
    b.year_over_year(
        "general_budget_income",
        prior.general_budget_income,
        "prior_year.general_budget_income",
    );
    b.cell_figure("gov_fund_income", "fiscal_summary", "2", "amount");
    b.cell_figure("state_capital_income", "fiscal_summary", "3", "amount");

    // 五 一般公共预算财政拨款支出
    b.cell_figure(
        "general_budget_expenditure",
        "general_budget",
        "合计",
        "total",
    );
    b.ratio(
        "general_budget_expenditure.share",
        "general_budget_expenditure",
        "expenditure",
    );
    b.year_over_year(
        "general_budget_expenditure",
        prior.general_budget_expenditure,
        "prior_year.general_budget_expenditure",
    );
    let gb = views.table("general_budget");
    let gb_rows: Vec<&crate::views::Row> = gb
        .map(|v| v.panels.iter().flat_map(|p| p.rows.iter()).collect())
        .unwrap_or_default();
    let mut classes = Vec::new();
    for r in gb_rows.iter().filter(|r| r.kind == RowKind::Lei) {
        let code = r.code.clone().unwrap_or_default();
        let key = format!("gb.class.{code}");
        b.cell_figure(&key, "general_budget", &code, "total");
        b.ratio(&format!("{key}.share"), &key, "general_budget_expenditure");
        classes.push(ClassLine {
            name: r.label.zh.clone(),
            amount: key.clone(),
            share: format!("{key}.share"),
            uses: d.class_uses.get(&code).cloned(),
            code,
        });
    }
    // 五(三): every item with an amount or a budget.
    let mut items: Vec<String> = gb_rows
        .iter()
        .filter(|r| r.kind == RowKind::Xiang)
        .filter_map(|r| r.code.clone())
        .collect();
    for l in &d.budgets {
        if !items.contains(&l.function) {
            items.push(l.function.clone());
        }
    }
    items.sort();
    let names = |code: &str| -> [String; 3] {
        let n = |c: &str| {
            catalog
                .name(Classification::Function, c)
                .unwrap_or("")
                .to_string()
        };
        [n(&code[..3]), n(&code[..5]), n(code)]
    };
    // Without any `budgets` in the input the budgets are unknown, not zero: no budget figures.
    let budgets_known = !d.budgets.is_empty();
    let mut budget_lines = Vec::new();
    let mut budget_total = Money::ZERO;
    for code in &items {
        let key = format!("gb.item.{code}");
        let actual = b.cell_figure(&format!("{key}.actual"), "general_budget", code, "total");
        let line = d.budgets.iter().find(|l| l.function == *code);
        let budget = line.map_or(Money::ZERO, |l| l.initial);
        budget_total += budget;
        if budgets_known {
            b.money(
                &format!("{key}.budget"),
                budget,
                format!("input:budgets[{code}].initial"),
                vec![format!("input:budgets[{code}].initial")],
            );
            b.ratio(
                &format!("{key}.completion"),
                &format!("{key}.actual"),
                &format!("{key}.budget"),
            );
        }
        budget_lines.push(BudgetLine {
            names: names(code),
            budget: budgets_known.then(|| format!("{key}.budget")),
            actual: format!("{key}.actual"),
            completion: format!("{key}.completion"),
            comparison: comparison(actual, budget),
            reason: line.and_then(|l| l.reason.clone()),
            code: code.clone(),
        });
    }
    if budgets_known {
        b.money(
            "gb.budget_total",
            budget_total,
            "Σ input:budgets[*].initial",
            Vec::new(),
        );
        b.ratio(
            "gb.budget_completion",
            "general_budget_expenditure",
            "gb.budget_total",
        );
    }

    // 六 基本支出
    b.cell_figure("gb.basic", "general_budget", "合计", "basic");
    b.cell_figure("personnel", "basic_economic", "人员经费合计", "amount");
    b.cell_figure("public", "basic_economic", "公用经费合计", "amount");
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
    let has_gov_fund = has_amounts("gov_fund");
    let has_state_capital = has_amounts("state_capital");

    // 九 "三公"
    for (prefix, scenario) in [("budget", "budget"), ("actual", "actual")] {
        b.cell_figure(
            &format!("sangong.{prefix}"),
            "sangong",
            "",
            &format!("{scenario}_total"),
        );
    }
    b.ratio("sangong.completion", "sangong.actual", "sangong.budget");
    b.diff("sangong.difference", "sangong.actual", "sangong.budget");
    let reasons = &d.reasons;
    let mut sangong = BTreeMap::new();
    for (key, reason) in [
        ("abroad", &reasons.sangong_abroad),
        ("vehicles", &None),
        ("vehicle_purchase", &reasons.sangong_vehicle_purchase),
        ("vehicle_operation", &reasons.sangong_vehicle_operation),
        ("reception", &reasons.sangong_reception),
    ] {
        let budget = b.cell_figure(
            &format!("sangong.{key}.budget"),
            "sangong",
            "",
            &format!("budget_{key}"),
        );
        let actual = b.cell_figure(
            &format!("sangong.{key}.actual"),
            "sangong",
            "",
            &format!("actual_{key}"),
        );
        b.ratio(
            &format!("sangong.{key}.completion"),
            &format!("sangong.{key}.actual"),
            &format!("sangong.{key}.budget"),
        );
        b.diff(
            &format!("sangong.{key}.difference"),
            &format!("sangong.{key}.actual"),
            &format!("sangong.{key}.budget"),
        );
        sangong.insert(
            key,
            SanGongLine {
                key,
                budget: format!("sangong.{key}.budget"),
                actual: format!("sangong.{key}.actual"),
                completion: format!("sangong.{key}.completion"),
                difference: format!("sangong.{key}.difference"),
                direction: direction(actual - budget),
                reason: reason.clone(),
            },
        );
    }
    let details = &d.sangong_details;
    for (i, item) in details.operation_breakdown.iter().enumerate() {
        b.input(
            &format!("sangong.operation_item.{i}"),
            Some(item.amount),
            &format!("sangong_details.operation_breakdown[{i}].amount"),
        );
    }
    if let Some(n) = details.purchased_vehicles {
        b.count(
            "sangong.purchased_vehicles",
            u64::from(n),
            "input:sangong_details.purchased_vehicles",
        );
    }
    if let Some(n) = details.fleet {
        b.count("sangong.fleet", u64::from(n), "input:sangong_details.fleet");
    }

    // 十 机关运行经费
    if let Some(rc) = &d.running_costs {
        match rc.actual {
            Some(a) => b.input("running_costs", Some(a), "running_costs.actual"),
            None => {
                let public = b.get("public").unwrap_or_default();
                b.money(
                    "running_costs",
                    public,
                    "public",
                    vec!["basic_economic/公用经费合计/amount".into()],
                );
            }
        }
        b.input("running_costs.budget", rc.budget, "running_costs.budget");
        b.diff(
            "running_costs.change",
            "running_costs",
            "running_costs.budget",
        );
        b.ratio(
            "running_costs.rate",
            "running_costs.change",
            "running_costs.budget",
        );
    }

    // 十一 政府采购
    if let Some(p) = &d.procurement {
        for (key, v) in [
            ("goods", p.goods),
            ("works", p.works),
            ("services", p.services),
            ("sme", p.sme),
            ("small_micro", p.small_micro),
        ] {
            b.input(
                &format!("procurement.{key}"),
                Some(v),
                &format!("procurement.{key}"),
            );
        }
        b.money(
            "procurement.total",
            p.goods + p.works + p.services,
            "procurement.goods + procurement.works + procurement.services",
            Vec::new(),
        );
        b.ratio(
            "procurement.sme.share",
            "procurement.sme",
            "procurement.total",
        );
        b.ratio(
            "procurement.small_micro.share",
            "procurement.small_micro",
            "procurement.total",
        );
    }

    // 十二 国有资产
    if let Some(a) = &d.assets {
        let total: u32 = a.vehicles.values().sum();
        b.count(
            "assets.vehicles",
            u64::from(total),
            "Σ input:assets.vehicles",
        );
        for (kind, n) in &a.vehicles {
            b.count(
                &format!("assets.vehicles.{kind}"),
                u64::from(*n),
                format!("input:assets.vehicles.{kind}"),
            );
        }
        b.count(
            "assets.equipment",
            u64::from(a.equipment_over_million),
            "input:assets.equipment_over_million",
        );
    }

    // 十三 预算绩效 and part six.
    let mut projects = Vec::new();
    if let Some(perf) = &d.performance {
        let mut evaluated = Money::ZERO;
        for (i, p) in perf.projects.iter().enumerate() {
            let key = format!("project.{}", i + 1);
            b.input(
                &format!("{key}.budget"),
                Some(p.budget),
                &format!("performance.projects[{i}].budget"),
            );
            b.input(
                &format!("{key}.actual"),
                Some(p.actual),
                &format!("performance.projects[{i}].actual"),
            );
            b.ratio(
                &format!("{key}.rate"),
                &format!("{key}.actual"),
                &format!("{key}.budget"),
            );
            let s = scoring::project(p, scheme);
            b.score(
                &format!("{key}.execution_score"),
                s.execution,
                format!(
                    "min({}, round2({} × {key}.rate))",
                    scheme.execution, scheme.execution
                ),
            );
            if let Some(total) = s.total {
                b.score(
                    &format!("{key}.score"),
                    total,
                    format!("{key}.execution_score + goal + Σ indicators"),
                );
            }
            evaluated += p.actual;
            projects.push(ProjectLine {
                index: i + 1,
                key,
                evaluation: p.clone(),
            });
        }
        b.count(
            "projects.count",
            perf.projects.len() as u64,
            "count of input:performance.projects",
        );
        b.money(
            "projects.actual",
            evaluated,
            "Σ project.N.actual",
            Vec::new(),
        );
        b.cell_figure("gb.project", "general_budget", "合计", "project");
        b.ratio("projects.share", "projects.actual", "gb.project");
        if let Some(dep) = &perf.department {
            b.input(
                "department_eval.budget",
                Some(dep.budget),
                "performance.department.budget",
            );
            b.input(
                "department_eval.actual",
                Some(dep.actual),
                "performance.department.actual",
            );
            b.ratio(
                "department_eval.rate",
                "department_eval.actual",
                "department_eval.budget",
            );
            let s = scoring::department(dep, scheme);
            b.score(
                "department_eval.execution_score",
                s.execution,
                "min(20, round2(20 × department_eval.rate))",
            );
            if let Some(total) = s.total {
                b.score(
                    "department_eval.score",
                    total,
                    "execution + Σ goal weights + Σ indicators",
                );
            }
        }
    }

    // 名词解释: every function 项 the department spent on.
    let item_terms = views
        .table("expenditure")
        .map(|v| {
            v.panels
                .iter()
                .flat_map(|p| p.rows.iter())
                .filter(|r| r.kind == RowKind::Xiang)
                .filter_map(|r| r.code.clone())
                .map(|code| ItemTerm {
                    names: names(&code),
                    description: catalog
                        .get(Classification::Function, &code)
                        .and_then(|e| e.description.clone()),
                    code,
                })
                .collect()
        })
        .unwrap_or_default();

    ReportData {
        department: dy.department.name.clone(),
        year: dy.department.year,
        units: dy.units.iter().map(|u| u.name.clone()).collect(),
        disclosure: d.clone(),
        figures: b.figures,
        scheme: scheme.clone(),
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
        has_gov_fund,
        has_state_capital,
    }
}
