//! What the rest of the disclosure needs beyond the accounting facts: the department's duties,
//! last year's totals, budgets per item with their reasons, "三公" details, 机关运行经费,
//! 政府采购, 国有资产, key work, and the performance self-evaluations (绩效自评) with the scheme
//! they are scored by.
//!
//! Every figure the narrative prints is computed from these and the facts; the texts here are
//! the department's own words (reasons, descriptions), which no computation can supply.

use crate::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything besides the facts, as the input file gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Disclosure {
    /// 第一部分: duties.
    pub profile: Profile,
    /// Last year's totals, for year-over-year sentences.
    pub prior_year: Option<PriorYear>,
    /// The department's reasons for changes and differences.
    pub reasons: Reasons,
    /// What each function 类 was mainly used for (五(二)), by 类 code.
    pub class_uses: BTreeMap<String, String>,
    /// 年初预算 and 全年预算 per function 项, with the reason for any difference (五(三)).
    pub budgets: Vec<BudgetLine>,
    /// "三公" details (九).
    pub sangong_details: SanGongDetails,
    /// 机关运行经费 (十).
    pub running_costs: Option<RunningCosts>,
    /// 政府采购 (十一).
    pub procurement: Option<Procurement>,
    /// 国有资产占用 (十二).
    pub assets: Option<Assets>,
    /// 预算绩效 (十三) and the self-evaluations of part six.
    pub performance: Option<Performance>,
    /// 第四部分: other matters, key work.
    pub key_work: KeyWork,
    /// Other fixed texts of part three.
    pub texts: Texts,
}

/// 第一部分 部门概况.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// 部门主要职责, one paragraph each, as printed (with their （一） numbering).
    pub duties: Vec<String>,
}

/// Last year's totals (上年决算).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PriorYear {
    /// 收入支出总计 (收、支总计).
    pub grand_total: Option<Money>,
    /// 本年收入合计.
    pub income: Option<Money>,
    /// 本年支出合计.
    pub expenditure: Option<Money>,
    /// 财政拨款收入支出总计.
    pub fiscal_grand_total: Option<Money>,
    /// 一般公共预算财政拨款收入.
    pub general_budget_income: Option<Money>,
    /// 一般公共预算财政拨款支出.
    pub general_budget_expenditure: Option<Money>,
    /// 机关运行经费.
    pub running_costs: Option<Money>,
    /// 财政拨款"三公"经费支出决算.
    pub sangong: Option<Money>,
    /// 因公出国（境）费支出决算.
    pub sangong_abroad: Option<Money>,
    /// 公务用车购置及运行维护费支出决算.
    pub sangong_vehicles: Option<Money>,
    /// 公务接待费支出决算.
    pub sangong_reception: Option<Money>,
    /// 政府性基金预算财政拨款支出.
    pub gov_fund_expenditure: Option<Money>,
    /// 国有资本经营预算财政拨款支出.
    pub state_capital_expenditure: Option<Money>,
}

impl PriorYear {
    /// How many amounts a prior year has ([`PriorYear::amounts`]).
    pub const AMOUNTS: usize = 13;

    /// Every amount, in declaration order: what a roll-up adds field by field.
    pub fn amounts(&self) -> [Option<Money>; Self::AMOUNTS] {
        [
            self.grand_total,
            self.income,
            self.expenditure,
            self.fiscal_grand_total,
            self.general_budget_income,
            self.general_budget_expenditure,
            self.running_costs,
            self.sangong,
            self.sangong_abroad,
            self.sangong_vehicles,
            self.sangong_reception,
            self.gov_fund_expenditure,
            self.state_capital_expenditure,
        ]
    }

    /// The prior year of these amounts, in the order of [`PriorYear::amounts`].
    pub fn from_amounts(a: [Option<Money>; Self::AMOUNTS]) -> PriorYear {
        let [
            grand_total,
            income,
            expenditure,
            fiscal_grand_total,
            general_budget_income,
            general_budget_expenditure,
            running_costs,
            sangong,
            sangong_abroad,
            sangong_vehicles,
            sangong_reception,
            gov_fund_expenditure,
            state_capital_expenditure,
        ] = a;
        PriorYear {
            grand_total,
            income,
            expenditure,
            fiscal_grand_total,
            general_budget_income,
            general_budget_expenditure,
            running_costs,
            sangong,
            sangong_abroad,
            sangong_vehicles,
            sangong_reception,
            gov_fund_expenditure,
            state_capital_expenditure,
        }
    }
}

/// The department's reasons, keyed by the sentence they explain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Reasons {
    /// Change of 收支总计 against last year.
    pub grand_total: Option<String>,
    /// Change of 本年收入合计.
    pub income: Option<String>,
    /// Change of 本年支出合计.
    pub expenditure: Option<String>,
    /// Change of 财政拨款收支总计.
    pub fiscal_grand_total: Option<String>,
    /// Change of 一般公共预算财政拨款收入.
    pub general_budget_income: Option<String>,
    /// Change of 一般公共预算财政拨款支出.
    pub general_budget_expenditure: Option<String>,
    /// "三公" actual against budget.
    pub sangong: Option<String>,
    /// 因公出国(境)费 against budget.
    pub sangong_abroad: Option<String>,
    /// 公务用车购置费 against budget.
    pub sangong_vehicle_purchase: Option<String>,
    /// 公务用车运行维护费 against budget.
    pub sangong_vehicle_operation: Option<String>,
    /// 公务接待费 against budget.
    pub sangong_reception: Option<String>,
    /// 机关运行经费 against budget (or last year, as the region's template compares it).
    pub running_costs: Option<String>,
    /// 一般公共预算财政拨款支出 against its 年初预算 (五(三)).
    pub general_budget_completion: Option<String>,
    /// "三公" actual against last year's.
    pub sangong_prior: Option<String>,
}

/// One function 项's budget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    /// Function 项 code.
    pub function: String,
    /// 年初预算; a 部门预算 leaves it out (its amount is the budget's own).
    #[serde(default)]
    pub initial: Option<Money>,
    /// 全年预算 (adjusted), if given.
    #[serde(default)]
    pub adjusted: Option<Money>,
    /// Why the actual differs from the initial budget.
    #[serde(default)]
    pub reason: Option<String>,
    /// What the 项 was mainly used for (主要用于…).
    #[serde(default)]
    pub uses: Option<String>,
}

/// One line of a breakdown: a name and an amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// What it is (燃料费, 维修费…).
    pub item: String,
    /// Amount.
    pub amount: Money,
}

/// "三公" details for the narrative.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SanGongDetails {
    /// Vehicles bought or replaced in the year.
    pub purchased_vehicles: Option<u32>,
    /// Vehicles paid from appropriations at year end (保有量).
    pub fleet: Option<u32>,
    /// What the vehicles serve (主要用于…).
    pub operation_use: Option<String>,
    /// 运行维护费 by item (燃料费, 维修费, 保险费, 路桥费, 停车费…).
    pub operation_breakdown: Vec<Item>,
    /// 因公出国（境）团组数.
    pub abroad_groups: Option<u32>,
    /// 因公出国（境）人次.
    pub abroad_people: Option<u32>,
    /// 国内公务接待批次 (外宾接待 included).
    pub reception_batches: Option<u32>,
    /// 国内公务接待人次.
    pub reception_people: Option<u32>,
    /// 外宾接待支出.
    pub foreign_reception: Option<Money>,
    /// 接待外宾批次.
    pub foreign_batches: Option<u32>,
    /// 接待外宾人次.
    pub foreign_people: Option<u32>,
    /// What the receptions were for (主要用于…).
    pub reception_use: Option<String>,
}

/// 机关运行经费.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunningCosts {
    /// 年初预算.
    pub budget: Option<Money>,
    /// The actual, when it is not the 公用经费 of basic expenditure.
    pub actual: Option<Money>,
}

/// 政府采购.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Procurement {
    /// 政府采购货物支出.
    pub goods: Money,
    /// 政府采购工程支出.
    pub works: Money,
    /// 政府采购服务支出.
    pub services: Money,
    /// 授予中小企业合同金额.
    pub sme: Option<Money>,
    /// 其中授予小微企业合同金额.
    pub small_micro: Option<Money>,
    /// 面向中小企业预留政府采购项目预算金额.
    pub reserved_sme: Option<Money>,
    /// 面向小微企业预留政府采购项目预算金额.
    pub reserved_small_micro: Option<Money>,
    /// 面向中小企业预留的项目中由中小企业供应商中标或成交的采购金额.
    pub reserved_sme_awarded: Option<Money>,
    /// 面向小微企业预留的项目中由小微企业供应商中标或成交的采购金额.
    pub reserved_small_micro_awarded: Option<Money>,
    /// 其他政府采购项目中由中小企业供应商中标或成交的采购金额.
    pub other_sme_awarded: Option<Money>,
}

/// 国有资产占用.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Assets {
    /// Vehicles by category (副省级及以上领导干部用车, 主要领导干部用车, 机要通信用车, 应急保障用车,
    /// 执法执勤用车, 特种专业技术用车, 其他用车).
    pub vehicles: BTreeMap<String, u32>,
    /// What the 其他用车 are.
    pub other_vehicles_use: Option<String>,
    /// 单位价值 100 万元以上专用设备, 台（套）.
    pub equipment_over_million: u32,
    /// The date the counts are taken on, as written (`2024年8月31日`), where it is not the
    /// year's end (a 部门预算 counts before its year).
    pub as_of: Option<String>,
    /// Vehicles the budget plans to buy, by category (a 部门预算's).
    pub planned_vehicles: BTreeMap<String, u32>,
    /// Equipment worth over 1,000,000 yuan each the budget plans to buy (a 部门预算's).
    pub planned_equipment_over_million: Option<u32>,
}

/// One performance indicator (绩效指标).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Indicator {
    /// 一级指标 (产出指标, 效益指标, 成本指标, 满意度指标).
    pub level1: String,
    /// 二级指标 (数量指标…).
    pub level2: String,
    /// 指标名称 ("无" where the form says none).
    pub name: String,
    /// 年初目标值.
    pub target: String,
    /// 实际完成值.
    pub actual: String,
    /// 分值 (the points the indicator can earn), where the form gives them.
    pub weight: Option<Decimal>,
    /// 得分 as entered.
    pub score: Option<Decimal>,
}

/// A goal of the department-wide evaluation (年度目标).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Goal {
    /// Weight w (the goal earns w; its indicators up to 3w).
    pub weight: Decimal,
    /// The goal as printed.
    pub text: String,
    /// Its indicators.
    pub indicators: Vec<Indicator>,
}

/// The department-wide self-evaluation (附件1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DepartmentEvaluation {
    /// 部门整体支出 预算数 (A).
    pub budget: Money,
    /// 执行数 (B).
    pub actual: Money,
    /// 年度目标 with their indicators.
    pub goals: Vec<Goal>,
    /// 执行率 as the form prints it, in percent (98.36 for 98.36%), where it prints one.
    pub reported_rate: Option<Decimal>,
    /// 执行得分 as the form prints it (points × 执行率), where it prints one.
    pub reported_execution: Option<Decimal>,
    /// 总分 as entered.
    pub reported_score: Option<Decimal>,
    /// 单位名称（盖章）.
    pub unit_name: Option<String>,
    /// 填报日期 as printed.
    pub filled_on: Option<String>,
    /// 完成的绩效目标: paragraphs.
    pub achieved: Vec<String>,
    /// 未完成的绩效目标.
    pub not_achieved: Vec<String>,
    /// 存在的问题和原因.
    pub problems: Vec<String>,
    /// 下一步拟改进措施.
    pub improvements: Vec<String>,
    /// 拟与预算安排相结合情况.
    pub budget_link: Vec<String>,
}

/// A project's self-evaluation (附件2–).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectEvaluation {
    /// 项目名称.
    pub name: String,
    /// 主管部门.
    pub department: String,
    /// 项目实施单位.
    pub implementer: String,
    /// 预算数 (A).
    pub budget: Money,
    /// 执行数 (B).
    pub actual: Money,
    /// 年初设定目标.
    pub goal_target: String,
    /// 全年实际完成情况.
    pub goal_actual: String,
    /// 总目标得分 (of 20), as entered; the form may leave it blank.
    pub goal_score: Option<Decimal>,
    /// 年度绩效指标.
    pub indicators: Vec<Indicator>,
    /// 偏差大或目标未完成原因分析.
    pub deviation: Option<String>,
    /// 改进措施及结果应用方案.
    pub improvement_plan: Option<String>,
    /// 执行率 as the form prints it, in percent (97.98 for 97.98%), where it prints one.
    pub reported_rate: Option<Decimal>,
    /// 执行得分 as the form prints it (points × 执行率), where it prints one.
    pub reported_execution: Option<Decimal>,
    /// 自评得分 as entered.
    pub reported_score: Option<Decimal>,
    /// 单位名称（盖章）.
    pub unit_name: Option<String>,
    /// 填报日期.
    pub filled_on: Option<String>,
    /// 主要产出和效益 (part three 十三(二)).
    pub outputs: Option<String>,
    /// 发现的问题及原因.
    pub problems: Option<String>,
    /// 下一步改进措施.
    pub next_steps: Option<String>,
    /// A full evaluation report, where the project has one: paragraphs.
    pub report: Vec<String>,
}

/// 预算绩效.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Performance {
    /// 十三(一) after the computed sentence: how the evaluation went.
    pub overview: Vec<String>,
    /// 十三(三) 绩效评价结果应用情况.
    pub use_of_results: Vec<String>,
    /// The department-wide evaluation.
    pub department: Option<DepartmentEvaluation>,
    /// Project evaluations, in the order printed.
    pub projects: Vec<ProjectEvaluation>,
    /// How the forms are scored; Hubei's 20/20/60 when absent.
    pub scheme: Option<Scheme>,
    /// 预算绩效管理 in figures, as a region's template reports it without the forms.
    pub management: Option<Management>,
}

/// 预算绩效管理工作开展情况: what the department reports of its performance management, without
/// the forms themselves (the Shanghai template's 十、预算绩效管理情况).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Management {
    /// The department's words before the figures (制度、工作机制).
    pub text: Vec<String>,
    /// 编报绩效目标的项目个数.
    pub goal_projects: Option<u32>,
    /// Their 预算金额.
    pub goal_amount: Option<Money>,
    /// 绩效跟踪评价的项目个数.
    pub tracked_projects: Option<u32>,
    /// Their 预算金额.
    pub tracked_amount: Option<Money>,
    /// 绩效自评的项目个数.
    pub evaluated_projects: Option<u32>,
    /// Their 预算金额.
    pub evaluated_amount: Option<Money>,
    /// 平均得分.
    pub average_score: Option<Decimal>,
    /// Projects rated 优.
    pub excellent: Option<u32>,
    /// Projects rated 良.
    pub good: Option<u32>,
    /// Projects rated 合格.
    pub pass: Option<u32>,
    /// Projects rated 不合格.
    pub fail: Option<u32>,
    /// 绩效自评中发现问题个数.
    pub problems_found: Option<u32>,
    /// 已经完成整改的.
    pub problems_fixed: Option<u32>,
    /// 正在整改的.
    pub problems_fixing: Option<u32>,
    /// The projects with performance goals, each with its budget (a 部门预算's 绩效目标设置情况).
    pub goal_items: Vec<Item>,
}

/// How the 绩效自评 forms are scored: the points of each part of an evaluation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Points for executing the budget (20).
    pub execution: Decimal,
    /// Points for the overall goal of a project (20); the department-wide goals' weights add
    /// up to it.
    pub goal: Decimal,
    /// Points for the indicators (60).
    pub indicators: Decimal,
    /// Points of each 一级指标, where the scheme caps them (e.g. 产出指标 50, 效益指标 30,
    /// 满意度指标 10 in a 10/50/30/10 scheme).
    #[serde(default)]
    pub caps: Vec<Cap>,
}

/// The points a 一级指标 may earn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cap {
    /// 一级指标, as the forms print it.
    pub level1: String,
    /// Its points.
    pub points: Decimal,
}

impl Default for Scheme {
    /// 20 / 20 / 60, as Hubei scores.
    fn default() -> Scheme {
        Scheme {
            execution: Decimal::from(20),
            goal: Decimal::from(20),
            indicators: Decimal::from(60),
            caps: Vec::new(),
        }
    }
}

impl Scheme {
    /// How many points a department-wide goal's indicators may earn per point of its weight
    /// (3 when indicators are 60 and goals 20).
    pub fn indicators_per_weight(&self) -> Option<Decimal> {
        (!self.goal.is_zero()).then(|| self.indicators / self.goal)
    }
}

/// One item of the key-work table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KeyWorkItem {
    /// 重要事项.
    pub name: String,
    /// 开展情况: paragraphs.
    pub details: Vec<String>,
}

/// 第四部分 其他需要说明的情况.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KeyWork {
    /// 重点工作开展情况综述: paragraphs.
    pub summary: Vec<String>,
    /// 重点工作完成情况表.
    pub items: Vec<KeyWorkItem>,
}

/// Fixed texts of part three the department writes itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Texts {
    /// 十四 专项支出、转移支付支出情况说明.
    pub special_funds: Option<String>,
    /// 名词解释 (十八) 其他专用名词.
    pub other_terms: Vec<String>,
}
