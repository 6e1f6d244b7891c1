//! The department-year input format, described once.
//!
//! [`DOCUMENT`] lists every section and field with its type and meaning in both languages, and
//! [`MAX_TEXT_CHARS`], [`MAX_COUNT`] and [`MAX_SCORE`] bound the values. The decoder checks
//! input against it (unknown and missing fields), `docs/input-format.md` and
//! `schema/department-year.schema.json` are generated from it, and a test keeps them in step.

use juesuan_core::facts::{BalanceKind, ExpKind, FundSource, SanGong, Scenario};
use serde_json::{Value as Json, json};

/// The longest text a field may hold. Far above any real name or paragraph, and low enough
/// that a text printed with its label stays within a spreadsheet cell (32,767 characters).
pub const MAX_TEXT_CHARS: usize = 10_000;

/// The largest count (vehicles, staff, equipment): far above any department's, and small
/// enough that the report's sums of counts never overflow.
pub const MAX_COUNT: u32 = 1_000_000;

/// The largest score or weight: scores are out of 100; this bound keeps every sum and product
/// of scores far inside exact decimal arithmetic.
pub const MAX_SCORE: u32 = 10_000;

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
    /// A whole number of things, 0 or more.
    Count,
    /// A score or weight: a decimal of at most two places, 0 or more.
    Score,
    /// A list of texts (paragraphs).
    Texts,
    /// A table of texts keyed by function 类 code.
    ClassTexts,
    /// A table of names keyed by classification code (function 类/款/项, economic 类/款): codes
    /// the catalog lacks, named by the input.
    CodeNames,
    /// A table of counts keyed by one of these names.
    Counts(&'static [&'static str]),
    /// A nested table with these fields.
    Record(&'static [Field]),
    /// A list of nested tables with these fields.
    Records(&'static [Field]),
}

/// One field of a record.
#[derive(Debug, PartialEq, Eq)]
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

// The choices of the facts' fields are the core vocabulary's names (juesuan-core facts.rs).
const FUND_SOURCES: &[&str] = FundSource::NAMES;
const EXP_KINDS: &[&str] = ExpKind::NAMES;
const BALANCE_KINDS: &[&str] = BalanceKind::NAMES;
const SANGONG: &[&str] = SanGong::NAMES;
const UNITS: &[&str] = &["元", "万元"];
const SCENARIOS: &[&str] = Scenario::NAMES;

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

const COUNTERPARTY_DEPARTMENT: Field = f(
    "counterparty_department",
    FieldType::Text,
    false,
    "同一汇总范围内另一部门的编码（department.code）：部门之间的上缴、补助；本部门表中照列，汇总（juesuan rollup）时抵消",
    "the code (department.code) of another department of the same roll-up, for a remittance or subsidy between departments: kept in this department's tables, eliminated by `juesuan rollup`",
);

const SCENARIO: Field = f(
    "scenario",
    FieldType::Choice(SCENARIOS),
    false,
    "预算数（部门预算的事实）或 决算数（部门决算的事实）；默认取 [department] 的 scenario",
    "预算数 (a fact of the budget) or 决算数 (of the final accounts); default: [department]'s scenario",
);

const DETAIL: Field = f(
    "detail",
    FieldType::Text,
    false,
    "“其中”项目：表中单独列出的部分（如事业收入中的教育收费、项目支出中的基本建设），由版式的 detail 筛选列示",
    "the \"其中\" item this amount is, where a layout shows it apart (教育收费 of 事业收入, 基本建设 of 项目支出): layouts select it with a `detail` filter",
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
            f(
                "catalog",
                FieldType::Choice(CATALOG_MODES),
                false,
                "分类代码：宽松（默认：目录中没有的合规代码按本文件所写名称接受并提示）或 严格（只接受载入目录中的代码，同 --strict-catalog）",
                "codes: 宽松 (lenient, the default: a well-formed code the catalog lacks is accepted with the name this file gives, and reported) or 严格 (strict: only codes of the loaded catalog, as --strict-catalog)",
            ),
            f(
                "scenario",
                FieldType::Choice(SCENARIOS),
                false,
                "未注明 scenario 的收入、支出、基本支出与结转结余事实属于：决算数（默认）或 预算数（部门预算的文件）",
                "what income, expenditure, basic expenditure and balance facts that name no scenario are: 决算数 (actual, the default) or 预算数 (budget, for a 部门预算's file)",
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
            f(
                "note",
                FieldType::Text,
                false,
                "备注，如 预算不单列，并入本级",
                "a remark, e.g. 预算不单列，并入本级 (not budgeted separately)",
            ),
        ],
    },
    Section {
        name: "codes",
        shape: Shape::Table,
        required: false,
        zh: "分类目录中没有的代码及其名称（如 \"20502\" = \"普通教育\"）：所用项、款不在载入的目录中时写明，检查时逐一提示",
        en: "names of codes the catalog lacks (e.g. \"20502\" = \"普通教育\"): for items or sections the loaded catalog does not have; each is reported",
        fields: &[],
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
            COUNTERPARTY_DEPARTMENT,
            AMOUNT,
            SCENARIO,
            DETAIL,
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
            COUNTERPARTY_DEPARTMENT,
            AMOUNT,
            SCENARIO,
            DETAIL,
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
            SCENARIO,
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
            SCENARIO,
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
    Section {
        name: "profile",
        shape: Shape::Table,
        required: false,
        zh: "第一部分 部门概况",
        en: "part one: the department",
        fields: &[f(
            "duties",
            FieldType::Texts,
            true,
            "部门主要职责，每段一项，照印（含（一）编号）",
            "duties, one paragraph each, as printed (with their （一） numbering)",
        )],
    },
    Section {
        name: "prior_year",
        shape: Shape::Table,
        required: false,
        zh: "上年数（部门决算：上年决算数；部门预算：上年预算数），用于与上年比较的句子",
        en: "last year's totals (a 部门决算's: last year's actuals; a 部门预算's: last year's budget), for year-over-year sentences",
        fields: &[
            f(
                "grand_total",
                FieldType::Amount,
                false,
                "收入支出总计",
                "grand total of income and expenditure",
            ),
            f(
                "income",
                FieldType::Amount,
                false,
                "本年收入合计",
                "total income",
            ),
            f(
                "expenditure",
                FieldType::Amount,
                false,
                "本年支出合计",
                "total expenditure",
            ),
            f(
                "fiscal_grand_total",
                FieldType::Amount,
                false,
                "财政拨款收入支出总计",
                "grand total of appropriations",
            ),
            f(
                "general_budget_income",
                FieldType::Amount,
                false,
                "一般公共预算财政拨款收入",
                "general public budget appropriation income",
            ),
            f(
                "general_budget_expenditure",
                FieldType::Amount,
                false,
                "一般公共预算财政拨款支出",
                "general public budget appropriation expenditure",
            ),
            f(
                "running_costs",
                FieldType::Amount,
                false,
                "机关运行经费",
                "running costs of the offices",
            ),
            f(
                "sangong",
                FieldType::Amount,
                false,
                "财政拨款“三公”经费支出决算",
                "the three public expenses",
            ),
            f(
                "sangong_abroad",
                FieldType::Amount,
                false,
                "因公出国（境）费支出决算",
                "travel abroad",
            ),
            f(
                "sangong_vehicles",
                FieldType::Amount,
                false,
                "公务用车购置及运行维护费支出决算",
                "official vehicles, purchase and operation",
            ),
            f(
                "sangong_reception",
                FieldType::Amount,
                false,
                "公务接待费支出决算",
                "official reception",
            ),
            f(
                "gov_fund_expenditure",
                FieldType::Amount,
                false,
                "政府性基金预算财政拨款支出",
                "government fund budget appropriation expenditure",
            ),
            f(
                "state_capital_expenditure",
                FieldType::Amount,
                false,
                "国有资本经营预算财政拨款支出",
                "state capital operation budget appropriation expenditure",
            ),
        ],
    },
    Section {
        name: "reasons",
        shape: Shape::Table,
        required: false,
        zh: "部门说明的原因（与上年或预算相比增减的主要原因）",
        en: "the department's reasons for changes against last year or the budget",
        fields: &[
            f(
                "grand_total",
                FieldType::Text,
                false,
                "收支总计增减原因",
                "why the grand total changed",
            ),
            f(
                "income",
                FieldType::Text,
                false,
                "收入合计增减原因",
                "why total income changed",
            ),
            f(
                "expenditure",
                FieldType::Text,
                false,
                "支出合计增减原因",
                "why total expenditure changed",
            ),
            f(
                "fiscal_grand_total",
                FieldType::Text,
                false,
                "财政拨款收支总计增减原因",
                "why the appropriations total changed",
            ),
            f(
                "general_budget_income",
                FieldType::Text,
                false,
                "一般公共预算财政拨款收入增减原因",
                "why general budget income changed",
            ),
            f(
                "general_budget_expenditure",
                FieldType::Text,
                false,
                "一般公共预算财政拨款支出增减原因",
                "why general budget expenditure changed",
            ),
            f(
                "sangong",
                FieldType::Text,
                false,
                "“三公”经费决算与预算差异原因",
                "why the three public expenses differ from budget",
            ),
            f(
                "sangong_abroad",
                FieldType::Text,
                false,
                "因公出国（境）费差异原因",
                "why travel abroad differs from budget",
            ),
            f(
                "sangong_vehicle_purchase",
                FieldType::Text,
                false,
                "公务用车购置费差异原因",
                "why vehicle purchase differs from budget",
            ),
            f(
                "sangong_vehicle_operation",
                FieldType::Text,
                false,
                "公务用车运行维护费差异原因",
                "why vehicle operation differs from budget",
            ),
            f(
                "sangong_reception",
                FieldType::Text,
                false,
                "公务接待费差异原因",
                "why reception differs from budget",
            ),
            f(
                "running_costs",
                FieldType::Text,
                false,
                "机关运行经费增减原因",
                "why running costs changed",
            ),
            f(
                "general_budget_completion",
                FieldType::Text,
                false,
                "一般公共预算财政拨款支出决算与年初预算差异原因（五(三)）",
                "why general budget expenditure differs from its initial budget",
            ),
            f(
                "sangong_prior",
                FieldType::Text,
                false,
                "“三公”经费决算与上年相比增减原因",
                "why the three public expenses changed against last year",
            ),
        ],
    },
    Section {
        name: "class_uses",
        shape: Shape::Table,
        required: false,
        zh: "各功能分类类级支出主要用于哪些方面，键为类级代码（五(二)）",
        en: "what each functional class was mainly spent on, keyed by class code",
        fields: &[],
    },
    Section {
        name: "budgets",
        shape: Shape::List,
        required: false,
        zh: "年初预算与全年预算（按功能分类项），及决算与预算差异的原因（五(三)）",
        en: "initial and adjusted budgets by function item, with the reason for differences",
        fields: &[
            f(
                "function",
                FieldType::FunctionCode,
                true,
                "功能分类项级代码",
                "function item code",
            ),
            f(
                "initial",
                FieldType::Amount,
                false,
                "年初预算数（部门决算须写；部门预算不写：其金额即预算数）",
                "initial budget (a 部门决算's; a 部门预算 leaves it out: its amount is the budget)",
            ),
            f(
                "adjusted",
                FieldType::Amount,
                false,
                "全年预算数（调整后）",
                "full-year (adjusted) budget",
            ),
            f(
                "reason",
                FieldType::Text,
                false,
                "决算数大于或小于年初预算数的主要原因",
                "why the actual differs from the initial budget",
            ),
            f(
                "uses",
                FieldType::Text,
                false,
                "主要用于哪些方面",
                "what the item was mainly spent on",
            ),
        ],
    },
    Section {
        name: "sangong_details",
        shape: Shape::Table,
        required: false,
        zh: "“三公”经费说明所需的细节（九）",
        en: "details of the three public expenses for the narrative",
        fields: &[
            f(
                "purchased_vehicles",
                FieldType::Count,
                false,
                "本年度购置（更新）公务用车数量",
                "vehicles bought or replaced",
            ),
            f(
                "fleet",
                FieldType::Count,
                false,
                "年末开支财政拨款的公务用车保有量",
                "vehicles at year end paid from appropriations",
            ),
            f(
                "operation_use",
                FieldType::Text,
                false,
                "公务用车主要用于",
                "what the vehicles serve",
            ),
            f(
                "operation_breakdown",
                FieldType::Records(ITEM),
                false,
                "运行维护费构成（燃料费、维修费、保险费……）",
                "operation costs by item",
            ),
            f(
                "abroad_groups",
                FieldType::Count,
                false,
                "因公出国（境）团组数",
                "delegations abroad",
            ),
            f(
                "abroad_people",
                FieldType::Count,
                false,
                "因公出国（境）人次",
                "people travelling abroad",
            ),
            f(
                "reception_batches",
                FieldType::Count,
                false,
                "国内公务接待批次",
                "official receptions",
            ),
            f(
                "reception_people",
                FieldType::Count,
                false,
                "国内公务接待人次",
                "people received",
            ),
            f(
                "foreign_reception",
                FieldType::Amount,
                false,
                "外宾接待支出",
                "reception of foreign guests",
            ),
            f(
                "foreign_batches",
                FieldType::Count,
                false,
                "接待外宾批次",
                "receptions of foreign guests",
            ),
            f(
                "foreign_people",
                FieldType::Count,
                false,
                "接待外宾人次",
                "foreign guests received",
            ),
            f(
                "reception_use",
                FieldType::Text,
                false,
                "公务接待主要用于",
                "what the receptions served",
            ),
        ],
    },
    Section {
        name: "running_costs",
        shape: Shape::Table,
        required: false,
        zh: "机关运行经费（十）",
        en: "running costs of the administration",
        fields: &[
            f(
                "budget",
                FieldType::Amount,
                false,
                "年初预算数",
                "initial budget",
            ),
            f(
                "actual",
                FieldType::Amount,
                false,
                "决算数；省略时取基本支出的公用经费合计（增减原因写在 reasons.running_costs）",
                "actual; by default the public (operating) total of basic expenditure (the reason goes in reasons.running_costs)",
            ),
        ],
    },
    Section {
        name: "procurement",
        shape: Shape::Table,
        required: false,
        zh: "政府采购支出（十一）",
        en: "government procurement",
        fields: &[
            f(
                "goods",
                FieldType::Amount,
                true,
                "政府采购货物支出",
                "goods",
            ),
            f(
                "works",
                FieldType::Amount,
                true,
                "政府采购工程支出",
                "works",
            ),
            f(
                "services",
                FieldType::Amount,
                true,
                "政府采购服务支出",
                "services",
            ),
            f(
                "sme",
                FieldType::Amount,
                false,
                "授予中小企业合同金额",
                "contracts awarded to small and medium enterprises",
            ),
            f(
                "small_micro",
                FieldType::Amount,
                false,
                "其中授予小微企业合同金额",
                "of which to small and micro enterprises",
            ),
            f(
                "reserved_sme",
                FieldType::Amount,
                false,
                "面向中小企业预留政府采购项目预算金额",
                "budget of projects reserved for small and medium enterprises",
            ),
            f(
                "reserved_small_micro",
                FieldType::Amount,
                false,
                "面向小微企业预留政府采购项目预算金额",
                "budget of projects reserved for small and micro enterprises",
            ),
            f(
                "reserved_sme_awarded",
                FieldType::Amount,
                false,
                "预留项目中由中小企业供应商中标或成交的采购金额",
                "reserved projects won by small and medium enterprises",
            ),
            f(
                "reserved_small_micro_awarded",
                FieldType::Amount,
                false,
                "预留项目中由小微企业供应商中标或成交的采购金额",
                "reserved projects won by small and micro enterprises",
            ),
            f(
                "other_sme_awarded",
                FieldType::Amount,
                false,
                "其他采购项目中由中小企业供应商中标或成交的采购金额",
                "other projects won by small and medium enterprises",
            ),
        ],
    },
    Section {
        name: "assets",
        shape: Shape::Table,
        required: false,
        zh: "国有资产占用（十二）",
        en: "state assets in use",
        fields: &[
            f(
                "vehicles",
                FieldType::Counts(VEHICLE_KINDS),
                false,
                "年末车辆数，按类别",
                "vehicles at year end by category",
            ),
            f(
                "other_vehicles_use",
                FieldType::Text,
                false,
                "其他用车主要是",
                "what the other vehicles are",
            ),
            f(
                "equipment_over_million",
                FieldType::Count,
                false,
                "单位价值 100 万元以上专用设备台（套）数",
                "special equipment worth over 1,000,000 yuan each",
            ),
            f(
                "as_of",
                FieldType::Text,
                false,
                "数据截止日期，如 2024年8月31日（部门预算：年度开始前；默认年末）",
                "the date of the counts, e.g. 2024年8月31日 (a 部门预算's, before its year; default the year's end)",
            ),
            f(
                "planned_vehicles",
                FieldType::Counts(VEHICLE_KINDS),
                false,
                "部门预算安排购置车辆数，按类别",
                "vehicles the budget plans to buy, by category",
            ),
            f(
                "planned_equipment_over_million",
                FieldType::Count,
                false,
                "部门预算安排购置单价 100 万元（含）以上设备台（套）数",
                "equipment worth 1,000,000 yuan or more each the budget plans to buy",
            ),
        ],
    },
    Section {
        name: "performance",
        shape: Shape::Table,
        required: false,
        zh: "预算绩效（十三）与绩效自评（第六部分）",
        en: "budget performance and self-evaluations",
        fields: &[
            f(
                "overview",
                FieldType::Texts,
                false,
                "十三(一)计算所得句子之后的说明",
                "十三(一) after the computed sentence",
            ),
            f(
                "use_of_results",
                FieldType::Texts,
                false,
                "十三(三)绩效评价结果应用情况",
                "use of the evaluation results",
            ),
            f(
                "department",
                FieldType::Record(DEPARTMENT_EVALUATION),
                false,
                "部门整体绩效自评（附件1）",
                "the department-wide self-evaluation",
            ),
            f(
                "projects",
                FieldType::Records(PROJECT_EVALUATION),
                false,
                "项目绩效自评（附件2起）",
                "project self-evaluations",
            ),
            f(
                "scheme",
                FieldType::Record(SCHEME),
                false,
                "评分办法；省略时为预算执行 20、总目标 20、绩效指标 60 分",
                "how the forms are scored; by default 20 for execution, 20 for the goal, 60 for indicators",
            ),
            f(
                "management",
                FieldType::Record(MANAGEMENT),
                false,
                "预算绩效管理工作开展情况（不附自评表时的汇总数）",
                "performance management in figures (without the forms)",
            ),
        ],
    },
    Section {
        name: "key_work",
        shape: Shape::Table,
        required: false,
        zh: "第四部分 其他需要说明的情况",
        en: "part four: other matters",
        fields: &[
            f(
                "summary",
                FieldType::Texts,
                false,
                "重点工作开展情况综述",
                "summary of key work",
            ),
            f(
                "items",
                FieldType::Records(KEY_WORK_ITEM),
                false,
                "重点工作完成情况表",
                "table of key work",
            ),
        ],
    },
    Section {
        name: "texts",
        shape: Shape::Table,
        required: false,
        zh: "说明中由部门自行撰写的其他文字",
        en: "other texts of the narrative the department writes",
        fields: &[
            f(
                "special_funds",
                FieldType::Text,
                false,
                "十四 专项支出、转移支付支出情况说明",
                "special and transfer payments",
            ),
            f(
                "other_terms",
                FieldType::Texts,
                false,
                "名词解释：其他专用名词",
                "other terms to explain",
            ),
        ],
    },
];

/// The values of `department.catalog`: lenient, strict.
pub const CATALOG_MODES: &[&str] = &["宽松", STRICT];
/// The strict value of `department.catalog`.
pub const STRICT: &str = "严格";

const VEHICLE_KINDS: &[&str] = &[
    "副省级及以上领导干部用车",
    "主要领导干部用车",
    "机要通信用车",
    "应急保障用车",
    "执法执勤用车",
    "特种专业技术用车",
    "离退休干部用车",
    "其他用车",
];

const MANAGEMENT: &[Field] = &[
    f(
        "text",
        FieldType::Texts,
        false,
        "部门所写的制度、工作机制等说明",
        "the department's words on rules and mechanisms",
    ),
    f(
        "goal_projects",
        FieldType::Count,
        false,
        "编报绩效目标的项目个数",
        "projects with performance goals",
    ),
    f(
        "goal_amount",
        FieldType::Amount,
        false,
        "编报绩效目标的项目涉及预算金额",
        "their budget",
    ),
    f(
        "tracked_projects",
        FieldType::Count,
        false,
        "绩效跟踪评价的项目个数",
        "projects tracked",
    ),
    f(
        "tracked_amount",
        FieldType::Amount,
        false,
        "绩效跟踪评价的项目涉及预算金额",
        "their budget",
    ),
    f(
        "evaluated_projects",
        FieldType::Count,
        false,
        "绩效自评的项目个数",
        "projects self-evaluated",
    ),
    f(
        "evaluated_amount",
        FieldType::Amount,
        false,
        "绩效自评的项目涉及预算金额",
        "their budget",
    ),
    f(
        "average_score",
        FieldType::Score,
        false,
        "平均得分",
        "average score",
    ),
    f(
        "excellent",
        FieldType::Count,
        false,
        "绩效评级为“优”的项目个数",
        "projects rated excellent",
    ),
    f(
        "good",
        FieldType::Count,
        false,
        "绩效评级为“良”的项目个数",
        "projects rated good",
    ),
    f(
        "pass",
        FieldType::Count,
        false,
        "绩效评级为“合格”的项目个数",
        "projects rated pass",
    ),
    f(
        "fail",
        FieldType::Count,
        false,
        "绩效评级为“不合格”的项目个数",
        "projects rated fail",
    ),
    f(
        "problems_found",
        FieldType::Count,
        false,
        "绩效自评中发现问题个数",
        "problems found",
    ),
    f(
        "problems_fixed",
        FieldType::Count,
        false,
        "已经完成整改的问题个数",
        "problems fixed",
    ),
    f(
        "problems_fixing",
        FieldType::Count,
        false,
        "正在整改的问题个数",
        "problems being fixed",
    ),
    f(
        "goal_items",
        FieldType::Records(ITEM),
        false,
        "编报绩效目标的项目及其预算金额（部门预算的绩效目标设置情况）",
        "the projects with performance goals and their budgets (a 部门预算's)",
    ),
];

const SCHEME: &[Field] = &[
    f(
        "execution",
        FieldType::Score,
        true,
        "预算执行分值（得分 = 分值 × 执行率）",
        "points for budget execution (earned × execution rate)",
    ),
    f(
        "goal",
        FieldType::Score,
        true,
        "项目总目标分值；部门整体各年度目标权重之和",
        "points of a project's overall goal; the sum of the department-wide goals' weights",
    ),
    f(
        "indicators",
        FieldType::Score,
        true,
        "绩效指标分值",
        "points of the indicators",
    ),
    f(
        "caps",
        FieldType::Records(CAP),
        false,
        "各一级指标的分值（如产出指标 50、效益指标 30、满意度指标 10）",
        "points of each first-level indicator, where capped",
    ),
];

const CAP: &[Field] = &[
    f(
        "level1",
        FieldType::Text,
        true,
        "一级指标",
        "first-level indicator",
    ),
    f("points", FieldType::Score, true, "分值", "points"),
];

const ITEM: &[Field] = &[
    f("item", FieldType::Text, true, "项目（燃料费等）", "item"),
    f("amount", FieldType::Amount, true, "金额", "amount"),
];

const INDICATOR: &[Field] = &[
    f(
        "level1",
        FieldType::Text,
        true,
        "一级指标",
        "first-level indicator",
    ),
    f(
        "level2",
        FieldType::Text,
        true,
        "二级指标",
        "second-level indicator",
    ),
    f(
        "name",
        FieldType::Text,
        true,
        "指标名称（无则写“无”）",
        "indicator name (\"无\" for none)",
    ),
    f("target", FieldType::Text, false, "年初目标值", "target"),
    f("actual", FieldType::Text, false, "实际完成值", "actual"),
    f(
        "weight",
        FieldType::Score,
        false,
        "分值",
        "points available",
    ),
    f("score", FieldType::Score, false, "得分", "score as entered"),
];

const GOAL: &[Field] = &[
    f(
        "weight",
        FieldType::Score,
        true,
        "权重（分）：目标得此分，其指标最多得 3 倍",
        "weight: the goal earns it, its indicators up to three times it",
    ),
    f("text", FieldType::Text, true, "年度目标", "the goal"),
    f(
        "indicators",
        FieldType::Records(INDICATOR),
        false,
        "年度绩效指标",
        "indicators",
    ),
];

const DEPARTMENT_EVALUATION: &[Field] = &[
    f(
        "budget",
        FieldType::Amount,
        true,
        "部门整体支出预算数（A）",
        "budget of the department's spending (A)",
    ),
    f(
        "actual",
        FieldType::Amount,
        true,
        "执行数（B）",
        "spent (B)",
    ),
    f(
        "goals",
        FieldType::Records(GOAL),
        false,
        "年度目标",
        "goals",
    ),
    f(
        "reported_rate",
        FieldType::Score,
        false,
        "执行率（照填报，百分数：98.36 即 98.36%%）",
        "execution rate as printed, in percent (98.36 for 98.36%%)",
    ),
    f(
        "reported_execution",
        FieldType::Score,
        false,
        "执行得分（照填报）",
        "execution points as printed",
    ),
    f(
        "reported_score",
        FieldType::Score,
        false,
        "自评总分（照填报）",
        "total score as reported",
    ),
    f(
        "unit_name",
        FieldType::Text,
        false,
        "单位名称（盖章）",
        "unit name (seal)",
    ),
    f(
        "filled_on",
        FieldType::Text,
        false,
        "填报日期",
        "date filled in",
    ),
    f(
        "achieved",
        FieldType::Texts,
        false,
        "完成的绩效目标",
        "goals achieved",
    ),
    f(
        "not_achieved",
        FieldType::Texts,
        false,
        "未完成的绩效目标",
        "goals not achieved",
    ),
    f(
        "problems",
        FieldType::Texts,
        false,
        "存在的问题和原因",
        "problems and causes",
    ),
    f(
        "improvements",
        FieldType::Texts,
        false,
        "下一步拟改进措施",
        "improvements",
    ),
    f(
        "budget_link",
        FieldType::Texts,
        false,
        "拟与预算安排相结合情况",
        "link to next budgets",
    ),
];

const PROJECT_EVALUATION: &[Field] = &[
    f("name", FieldType::Text, true, "项目名称", "project"),
    f(
        "department",
        FieldType::Text,
        false,
        "主管部门",
        "responsible department",
    ),
    f(
        "implementer",
        FieldType::Text,
        false,
        "项目实施单位",
        "implementing unit",
    ),
    f(
        "budget",
        FieldType::Amount,
        true,
        "预算数（A）",
        "budget (A)",
    ),
    f(
        "actual",
        FieldType::Amount,
        true,
        "执行数（B）",
        "spent (B)",
    ),
    f(
        "goal_target",
        FieldType::Text,
        false,
        "年初设定目标",
        "goal as set",
    ),
    f(
        "goal_actual",
        FieldType::Text,
        false,
        "全年实际完成情况",
        "goal as achieved",
    ),
    f(
        "goal_score",
        FieldType::Score,
        false,
        "总目标得分（满分 20）",
        "goal score (of 20)",
    ),
    f(
        "indicators",
        FieldType::Records(INDICATOR),
        false,
        "年度绩效指标",
        "indicators",
    ),
    f(
        "deviation",
        FieldType::Text,
        false,
        "偏差大或目标未完成原因分析",
        "why results deviate",
    ),
    f(
        "improvement_plan",
        FieldType::Text,
        false,
        "改进措施及结果应用方案",
        "improvements and use of results",
    ),
    f(
        "reported_rate",
        FieldType::Score,
        false,
        "执行率（照填报，百分数：98.36 即 98.36%%）",
        "execution rate as printed, in percent (98.36 for 98.36%%)",
    ),
    f(
        "reported_execution",
        FieldType::Score,
        false,
        "执行得分（照填报）",
        "execution points as printed",
    ),
    f(
        "reported_score",
        FieldType::Score,
        false,
        "自评得分（照填报）",
        "score as reported",
    ),
    f(
        "unit_name",
        FieldType::Text,
        false,
        "单位名称（盖章）",
        "unit name (seal)",
    ),
    f(
        "filled_on",
        FieldType::Text,
        false,
        "填报日期",
        "date filled in",
    ),
    f(
        "outputs",
        FieldType::Text,
        false,
        "主要产出和效益（十三(二)）",
        "main outputs and benefits",
    ),
    f(
        "problems",
        FieldType::Text,
        false,
        "发现的问题及原因",
        "problems found and causes",
    ),
    f(
        "next_steps",
        FieldType::Text,
        false,
        "下一步改进措施",
        "next steps",
    ),
    f(
        "report",
        FieldType::Texts,
        false,
        "项目绩效评价自评报告（如有）",
        "the project's evaluation report, if any",
    ),
];

const KEY_WORK_ITEM: &[Field] = &[
    f("name", FieldType::Text, true, "重要事项", "matter"),
    f(
        "details",
        FieldType::Texts,
        false,
        "开展情况",
        "what was done",
    ),
];

/// The section named `name`.
pub fn section(name: &str) -> Option<&'static Section> {
    DOCUMENT.iter().find(|s| s.name == name)
}

/// The type of a section that is one table keyed by code (`class_uses`, `codes`), not a
/// record of fields.
pub fn keyed(section: &str) -> Option<FieldType> {
    match section {
        "class_uses" => Some(FieldType::ClassTexts),
        "codes" => Some(FieldType::CodeNames),
        _ => None,
    }
}

fn record_schema(fields: &[Field]) -> Json {
    let mut props = serde_json::Map::new();
    let mut req = Vec::new();
    for f in fields {
        props.insert(f.name.into(), field_schema(f));
        if f.required {
            req.push(f.name);
        }
    }
    json!({ "type": "object", "additionalProperties": false, "properties": props, "required": req })
}

fn field_schema(field: &Field) -> Json {
    let description = format!("{} / {}", field.zh, field.en);
    let mut schema = match field.ty {
        FieldType::Text | FieldType::UnitRef => {
            json!({ "type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS })
        }
        FieldType::Year => json!({ "type": "integer", "minimum": 1990, "maximum": 2100 }),
        FieldType::Amount => json!({
            "oneOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": "^(0|[1-9][0-9]{0,2}(,[0-9]{3})*|[1-9][0-9]*)(\\.[0-9]+)?$" }
            ]
        }),
        FieldType::Choice(values) => json!({ "type": "string", "enum": values }),
        FieldType::FunctionCode => {
            json!({ "type": "string", "pattern": "^([0-9]{7}\\s*.*|[^0-9].*)$" })
        }
        FieldType::EconomicCode => {
            json!({ "type": "string", "pattern": "^([0-9]{5}\\s*.*|[^0-9].*)$" })
        }
        FieldType::Count => {
            json!({ "type": "integer", "minimum": 0, "maximum": MAX_COUNT })
        }
        FieldType::Score => json!({ "oneOf": [
            { "type": "number", "minimum": 0, "maximum": MAX_SCORE },
            { "type": "string", "pattern": "^[0-9]+(\\.[0-9]{1,2})?$" }
        ] }),
        FieldType::Texts => json!({ "type": "array", "items": { "type": "string" } }),
        FieldType::ClassTexts => json!({
            "type": "object",
            "propertyNames": { "pattern": "^[0-9]{3}$" },
            "additionalProperties": { "type": "string" }
        }),
        FieldType::CodeNames => json!({
            "type": "object",
            "propertyNames": { "pattern": "^(2[0-9]{2}([0-9]{2}){0,2}|[35][0-9]{2}([0-9]{2})?)$" },
            "additionalProperties": { "type": "string", "minLength": 1 }
        }),
        FieldType::Counts(keys) => json!({
            "type": "object",
            "propertyNames": { "enum": keys },
            "additionalProperties": { "type": "integer", "minimum": 0 }
        }),
        FieldType::Record(fields) => record_schema(fields),
        FieldType::Records(fields) => json!({ "type": "array", "items": record_schema(fields) }),
    };
    schema["description"] = json!(description);
    schema
}

/// The JSON Schema (draft 2020-12) of the department-year file, generated from [`DOCUMENT`].
pub fn json_schema() -> Json {
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    for s in DOCUMENT {
        let record = match keyed(s.name) {
            Some(ty) => field_schema(&Field {
                name: s.name,
                ty,
                required: false,
                zh: s.zh,
                en: s.en,
            }),
            None => record_schema(s.fields),
        };
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

fn type_name(ty: FieldType) -> String {
    match ty {
        FieldType::Text => "text".into(),
        FieldType::Year => "integer".into(),
        FieldType::Amount => "amount".into(),
        FieldType::Choice(v) => format!("one of: {}", v.join(" / ")),
        FieldType::FunctionCode => "function 项 code".into(),
        FieldType::EconomicCode => "economic 款 code".into(),
        FieldType::UnitRef => "unit id".into(),
        FieldType::Count => format!("count (0–{})", MAX_COUNT),
        FieldType::Score => format!("score (0–{}, 2 decimals)", MAX_SCORE),
        FieldType::Texts => "list of texts".into(),
        FieldType::ClassTexts => "table: 类 code → text".into(),
        FieldType::CodeNames => "table: code → name".into(),
        FieldType::Counts(keys) => format!("table: one of {} → count", keys.join(" / ")),
        FieldType::Record(_) => "table (below)".into(),
        FieldType::Records(_) => "list of tables (below)".into(),
    }
}

fn markdown_fields(out: &mut String, fields: &[Field], path: &str) {
    out.push_str(
        "| field / 字段 | type / 类型 | required / 必填 | meaning / 含义 |\n|---|---|---|---|\n",
    );
    for f in fields {
        out.push_str(&format!(
            "| `{}` | {} | {} | {}<br>{} |\n",
            f.name,
            type_name(f.ty),
            if f.required { "yes / 是" } else { "no / 否" },
            f.zh,
            f.en
        ));
    }
    for f in fields {
        if let FieldType::Record(inner) | FieldType::Records(inner) = f.ty {
            let path = format!("{path}.{}", f.name);
            out.push_str(&format!("\n#### `{path}`\n\n"));
            markdown_fields(out, inner, &path);
        }
    }
}

/// The Markdown reference of the file format, generated from [`DOCUMENT`]; the workbook's
/// part (`workbook::book::markdown`) follows it in `docs/input-format.md`.
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
         catalog) or as a name alone when that name is unique in the catalog. A well-formed code the\n\
         catalog lacks, under a 类 it has, is accepted with the name written after it; a 款 (or 项)\n\
         the catalog lacks is named in `[codes]`; each such code is reported once (rule C104, a\n\
         warning) and refused with `--strict-catalog`. Errors: `docs/errors.md`.\n",
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
        if let Some(ty) = keyed(s.name) {
            out.push_str(&format!("{}.\n", type_name(ty)));
        } else {
            markdown_fields(&mut out, s.fields, s.name);
        }
    }
    out
}
