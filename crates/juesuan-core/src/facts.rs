//! The department-year fact set: who the department is, its units, and its accounting facts
//! by unit × fund source × classification × kind.
//!
//! Every table, sentence and chart of the disclosure is a view of one [`DepartmentYear`].

use crate::diag::{Diagnostic, Location};
use crate::money::{AmountUnit, Money};
use crate::text::Text;
use serde::{Deserialize, Serialize};

/// Declares a closed vocabulary whose Chinese names are the canonical spelling in files.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $zh:literal / $en:literal / $key:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in the order tables print them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The Chinese names of [`Self::ALL`], in order: what input files write.
            pub const NAMES: &'static [&'static str] = &[$($zh),+];

            /// The Chinese name, as printed and as written in input files.
            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            /// The English name.
            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// A short ASCII key for programs (JSON consumers, CSV headers).
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// Reads the Chinese name, the English name or the key.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                $( if s == $zh || s == $key || s.eq_ignore_ascii_case($en) { return Some($name::$variant); } )+
                None
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.zh())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| {
                    let expected: Vec<&str> = $name::ALL.iter().map(|v| v.zh()).collect();
                    serde::de::Error::custom(format!("unknown value {s:?}, expected one of: {}", expected.join(", ")))
                })
            }
        }
    };
}

vocabulary! {
    /// Where money comes from: the eight income sources of 公开01 rows 1–8.
    FundSource {
        /// 一般公共预算财政拨款.
        GeneralBudget = "一般公共预算财政拨款" / "general public budget appropriation" / "general_budget",
        /// 政府性基金预算财政拨款.
        GovFund = "政府性基金预算财政拨款" / "government fund budget appropriation" / "gov_fund",
        /// 国有资本经营预算财政拨款.
        StateCapital = "国有资本经营预算财政拨款" / "state capital operation budget appropriation" / "state_capital",
        /// 上级补助收入.
        SuperiorSubsidy = "上级补助收入" / "subsidies from superior units" / "superior_subsidy",
        /// 事业收入.
        Business = "事业收入" / "public service income" / "business",
        /// 经营收入.
        Operating = "经营收入" / "operating income" / "operating",
        /// 附属单位上缴收入.
        FromSubsidiaries = "附属单位上缴收入" / "remittances from subsidiary units" / "from_subsidiaries",
        /// 其他收入.
        Other = "其他收入" / "other income" / "other",
    }
}

impl FundSource {
    /// The three 财政拨款 (appropriation) sources.
    pub const FISCAL: &'static [FundSource] = &[
        FundSource::GeneralBudget,
        FundSource::GovFund,
        FundSource::StateCapital,
    ];

    /// True for the three appropriation sources.
    pub fn is_fiscal(self) -> bool {
        FundSource::FISCAL.contains(&self)
    }

    /// Reads a source or a group name: `财政拨款` (the three appropriations) or `非财政拨款`
    /// (the other five).
    pub fn parse_group(s: &str) -> Option<Vec<FundSource>> {
        match s.trim() {
            "财政拨款" | "fiscal" => Some(FundSource::FISCAL.to_vec()),
            "非财政拨款" | "non_fiscal" => Some(
                FundSource::ALL
                    .iter()
                    .copied()
                    .filter(|f| !f.is_fiscal())
                    .collect(),
            ),
            other => FundSource::parse(other).map(|f| vec![f]),
        }
    }
}

vocabulary! {
    /// What an expenditure is for (the columns of 公开03).
    ExpKind {
        /// 基本支出.
        Basic = "基本支出" / "basic expenditure" / "basic",
        /// 项目支出.
        Project = "项目支出" / "project expenditure" / "project",
        /// 上缴上级支出.
        ToSuperior = "上缴上级支出" / "payments to superior units" / "to_superior",
        /// 经营支出.
        Operating = "经营支出" / "operating expenditure" / "operating",
        /// 对附属单位补助支出.
        ToSubsidiaries = "对附属单位补助支出" / "subsidies to subsidiary units" / "to_subsidiaries",
    }
}

vocabulary! {
    /// Balances carried between years (公开01 rows 28, 29, 59, 60).
    BalanceKind {
        /// 年初结转和结余.
        Opening = "年初结转和结余" / "opening carry-over and balance" / "opening",
        /// 使用非财政拨款结余.
        UseOfNonFiscal = "使用非财政拨款结余" / "use of non-appropriation balance" / "use_of_non_fiscal",
        /// 结余分配.
        Distribution = "结余分配" / "distribution of balance" / "distribution",
        /// 年末结转和结余.
        Closing = "年末结转和结余" / "closing carry-over and balance" / "closing",
    }
}

vocabulary! {
    /// The "三公" categories of 公开09.
    SanGong {
        /// 因公出国(境)费.
        Abroad = "因公出国(境)费" / "official travel abroad" / "abroad",
        /// 公务用车购置费.
        VehiclePurchase = "公务用车购置费" / "official vehicle purchase" / "vehicle_purchase",
        /// 公务用车运行维护费.
        VehicleOperation = "公务用车运行维护费" / "official vehicle operation and maintenance" / "vehicle_operation",
        /// 公务接待费.
        Reception = "公务接待费" / "official reception" / "reception",
    }
}

vocabulary! {
    /// Budget or actual, for facts that carry both.
    Scenario {
        /// 预算数 (全年预算, adjusted budget).
        Budget = "预算数" / "budget" / "budget",
        /// 决算数 (actual).
        Actual = "决算数" / "actual" / "actual",
    }
}

/// Income as tables and narratives group it: the three appropriations as one source
/// (财政拨款收入), the other five one by one. These are the value columns of 收入决算表 and the
/// sources 情况说明 二 lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IncomeSource {
    /// 财政拨款收入: the three appropriation sources together.
    Fiscal,
    /// One of the five other sources.
    Other(FundSource),
}

impl IncomeSource {
    /// Every income source, in the order tables print them.
    pub fn all() -> impl Iterator<Item = IncomeSource> {
        std::iter::once(IncomeSource::Fiscal).chain(
            FundSource::ALL
                .iter()
                .filter(|f| !f.is_fiscal())
                .map(|f| IncomeSource::Other(*f)),
        )
    }

    /// The fund sources it adds up.
    pub fn funds(self) -> Vec<FundSource> {
        match self {
            IncomeSource::Fiscal => FundSource::FISCAL.to_vec(),
            IncomeSource::Other(f) => vec![f],
        }
    }

    /// The key (`fiscal`, `business`…).
    pub fn key(self) -> &'static str {
        match self {
            IncomeSource::Fiscal => "fiscal",
            IncomeSource::Other(f) => f.key(),
        }
    }
}

/// One term of a vocabulary, as data files name it: its key, its name in both languages and a
/// terse name for narrow places (chart legends).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// Key (`business`, `basic`), as columns, figures and files name the term.
    pub key: &'static str,
    /// Name in Chinese, as printed.
    pub zh: &'static str,
    /// Name in English, as a phrase in running text (lower case).
    pub en: &'static str,
    /// Short English name for legends (capitalised).
    pub terse_en: &'static str,
}

impl Term {
    /// The name as a [`crate::Text`].
    pub fn name(&self) -> crate::Text {
        crate::Text::new(self.zh, self.en)
    }

    /// The terse name as a [`crate::Text`] (Chinese names are short already).
    pub fn terse(&self) -> crate::Text {
        crate::Text::new(self.zh, self.terse_en)
    }
}

/// Short English names of terms whose legends need them (the Chinese name is short already).
const TERSE: &[(&str, &str, &str)] = &[
    ("income_source", "fiscal", "Appropriations"),
    ("income_source", "superior_subsidy", "Superior subsidies"),
    ("income_source", "business", "Public service income"),
    ("income_source", "operating", "Operating income"),
    (
        "income_source",
        "from_subsidiaries",
        "Subsidiary remittances",
    ),
    ("income_source", "other", "Other income"),
    ("expenditure_kind", "basic", "Basic expenditure"),
    ("expenditure_kind", "project", "Project expenditure"),
    ("expenditure_kind", "to_superior", "Paid to superior units"),
    ("expenditure_kind", "operating", "Operating expenditure"),
    (
        "expenditure_kind",
        "to_subsidiaries",
        "Subsidies to subsidiaries",
    ),
];

/// The names of the core vocabularies that data files may draw terms from.
pub const VOCABULARIES: &[&str] = &[
    "income_source",
    "fund_source",
    "expenditure_kind",
    "balance_kind",
    "sangong_category",
    "sangong_item",
    "scenario",
];

/// The terms of vocabulary `name` (one of [`VOCABULARIES`]), in printed order.
pub fn terms(name: &str) -> Option<Vec<Term>> {
    let term = |key: &'static str, zh: &'static str, en: &'static str| {
        let terse_en = TERSE
            .iter()
            .find(|(v, k, _)| *v == name && *k == key)
            .map_or(en, |(_, _, t)| *t);
        Term {
            key,
            zh,
            en,
            terse_en,
        }
    };
    macro_rules! of {
        ($t:ty) => {
            <$t>::ALL
                .iter()
                .map(|v| term(v.key(), v.zh(), v.en()))
                .collect()
        };
    }
    Some(match name {
        "income_source" => IncomeSource::all()
            .map(|s| match s {
                IncomeSource::Fiscal => term("fiscal", "财政拨款收入", "appropriation income"),
                IncomeSource::Other(f) => term(f.key(), f.zh(), f.en()),
            })
            .collect(),
        "fund_source" => of!(FundSource),
        "expenditure_kind" => of!(ExpKind),
        "balance_kind" => of!(BalanceKind),
        "sangong_category" => of!(SanGong),
        // The lines of 情况说明 九 and the columns of 公开09: the categories, with the two
        // vehicle categories also together.
        "sangong_item" => {
            let mut t: Vec<Term> = of!(SanGong);
            t.insert(
                1,
                term(
                    "vehicles",
                    "公务用车购置及运行维护费",
                    "official vehicle purchase, operation and maintenance",
                ),
            );
            t
        }
        "scenario" => of!(Scenario),
        _ => return None,
    })
}

/// The term `key` of vocabulary `name`.
pub fn term(name: &str, key: &str) -> Option<Term> {
    terms(name)?.into_iter().find(|t| t.key == key)
}

/// A budget unit of the department (本级 or 下属单位).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// Short id used by facts.
    pub id: String,
    /// Full name.
    pub name: String,
    /// 行政单位 / 事业单位 / ..., free text.
    pub kind: Option<String>,
    /// A remark printed beside it (备注: 预算不单列，并入本级).
    pub note: Option<String>,
    /// Where the unit was declared.
    #[serde(skip)]
    pub location: Location,
}

/// The department and year a fact set describes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Department {
    /// Full name, as printed in "部门：…".
    pub name: String,
    /// Optional department code of the finance bureau's system.
    pub code: Option<String>,
    /// Fiscal year (年度).
    pub year: i32,
    /// Unit in which the file wrote its amounts (facts are held exactly in 元 regardless).
    pub amount_unit: AmountUnit,
    /// Layout the department reports in, if the file names one.
    pub layout: Option<String>,
    /// The file asks that every code be in the loaded catalog (`catalog = "严格"`), as
    /// `--strict-catalog` does.
    pub strict_catalog: bool,
}

/// Income by unit × source × function 项 (公开01 rows 1–8, 公开02).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IncomeFact {
    /// Unit id; `None` for a department-level (already consolidated) fact.
    pub unit: Option<String>,
    /// Source of the income.
    pub source: FundSource,
    /// Function 项 code (7 digits).
    pub function: String,
    /// For 上级补助收入 / 附属单位上缴收入 from another unit of the same department: that unit.
    pub counterparty: Option<String>,
    /// For 上级补助收入 / 附属单位上缴收入 from another department of the same roll-up (汇总):
    /// that department's code. Kept in the department's own tables; eliminated in a roll-up.
    pub counterparty_department: Option<String>,
    /// The "其中" item this income is, where the tables break its source down (教育收费 under
    /// 事业收入, 捐赠收入 under 其他收入): layouts show such parts with a `detail` filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Exact amount.
    pub amount: Money,
    /// Where the fact was written.
    #[serde(skip)]
    pub location: Location,
}

/// Expenditure by unit × fund source × function 项 × kind (公开01 rows 32–57, 公开03–05).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpenditureFact {
    /// Unit id; `None` for a department-level fact.
    pub unit: Option<String>,
    /// Fund source paying for it.
    pub fund: FundSource,
    /// Function 项 code (7 digits).
    pub function: String,
    /// Kind of expenditure.
    pub kind: ExpKind,
    /// For 上缴上级支出 / 对附属单位补助支出 to another unit of the same department: that unit.
    pub counterparty: Option<String>,
    /// For 上缴上级支出 / 对附属单位补助支出 to another department of the same roll-up (汇总):
    /// that department's code. Kept in the department's own tables; eliminated in a roll-up.
    pub counterparty_department: Option<String>,
    /// The "其中" item this expenditure is, where the tables break its kind down (基本建设
    /// under 项目支出).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Exact amount.
    pub amount: Money,
    /// Where the fact was written.
    #[serde(skip)]
    pub location: Location,
}

/// Basic expenditure by unit × fund source × economic 款 (公开06).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EconomicFact {
    /// Unit id; `None` for a department-level fact.
    pub unit: Option<String>,
    /// Fund source (公开06 shows 一般公共预算财政拨款).
    pub fund: FundSource,
    /// Economic 款 code (5 digits).
    pub economic: String,
    /// Exact amount.
    pub amount: Money,
    /// Where the fact was written.
    #[serde(skip)]
    pub location: Location,
}

/// A balance by unit × fund source × kind, optionally by function 项 (公开01, 04, 07).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BalanceFact {
    /// Unit id; `None` for a department-level fact.
    pub unit: Option<String>,
    /// Fund source of the balance.
    pub fund: FundSource,
    /// Which balance.
    pub kind: BalanceKind,
    /// Function 项 code, where the balance is tracked by function (required for 政府性基金).
    pub function: Option<String>,
    /// Exact amount.
    pub amount: Money,
    /// Where the fact was written.
    #[serde(skip)]
    pub location: Location,
}

/// "三公" budget or actual by unit × category (公开09).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SanGongFact {
    /// Unit id; `None` for a department-level fact.
    pub unit: Option<String>,
    /// Category.
    pub category: SanGong,
    /// 预算数 or 决算数.
    pub scenario: Scenario,
    /// Exact amount.
    pub amount: Money,
    /// Where the fact was written.
    #[serde(skip)]
    pub location: Location,
}

/// All facts of a department-year, as written (per unit, not yet consolidated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// Income.
    pub income: Vec<IncomeFact>,
    /// Expenditure.
    pub expenditure: Vec<ExpenditureFact>,
    /// Basic expenditure by economic 款.
    pub basic_economic: Vec<EconomicFact>,
    /// Balances.
    pub balances: Vec<BalanceFact>,
    /// "三公" budget and actual.
    pub sangong: Vec<SanGongFact>,
}

impl Facts {
    /// True when it holds no fact.
    pub fn is_empty(&self) -> bool {
        self.income.is_empty()
            && self.expenditure.is_empty()
            && self.basic_economic.is_empty()
            && self.balances.is_empty()
            && self.sangong.is_empty()
    }
}

/// One department's facts for one year.
///
/// The year has two scenarios: what was budgeted (预算数, the 部门预算's subject) and what
/// happened (决算数, the 部门决算's). Income, expenditure, basic expenditure by economic 款 and
/// balances of each are kept apart in two fact sets of the same shape, so that every view,
/// rule and figure reads either unchanged ([`DepartmentYear::as_scenario`]); the "三公" facts
/// carry their scenario themselves, since the 决算's table prints both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DepartmentYear {
    /// The department and year.
    pub department: Department,
    /// Its units (may be empty when all facts are department-level).
    pub units: Vec<Unit>,
    /// The facts of the 决算数 scenario (and the "三公" facts of both).
    pub facts: Facts,
    /// The facts of the 预算数 scenario: the year's budget, by the same dimensions (no "三公":
    /// those are in `facts`, each with its scenario).
    #[serde(skip_serializing_if = "Facts::is_empty")]
    pub budget: Facts,
    /// Everything else the disclosure needs (texts, last year, budgets, evaluations).
    pub disclosure: crate::disclosure::Disclosure,
}

impl DepartmentYear {
    /// The department-year as a document of `scenario` sees it: for 预算数 the budget's facts
    /// stand where the actual ones stood (the "三公" facts stay, with both scenarios), so a
    /// 部门预算 is built by the same consolidation, views and figures as a 部门决算.
    pub fn into_scenario(mut self, scenario: Scenario) -> DepartmentYear {
        if scenario == Scenario::Budget {
            let budget = std::mem::take(&mut self.budget);
            self.facts = Facts {
                sangong: std::mem::take(&mut self.facts.sangong),
                ..budget
            };
        }
        self
    }

    /// The year's 年初预算 of each general-budget item (`disclosure.budgets`) taken from its
    /// budget facts, where the input has them: a 部门决算 compiled from one ledger with its
    /// budget states the budget the budget's own tables print. An `initial` the input writes
    /// must agree (E0221, where `locate` says the input wrote that item's line); one it leaves
    /// out is filled in.
    pub fn with_initial_budgets(
        mut self,
        locate: impl Fn(&str) -> Location,
    ) -> Result<DepartmentYear, Vec<Diagnostic>> {
        if self.budget.expenditure.is_empty() {
            return Ok(self);
        }
        let mut sums: std::collections::BTreeMap<&str, Money> = Default::default();
        for f in self
            .budget
            .expenditure
            .iter()
            .filter(|f| f.fund == FundSource::GeneralBudget)
        {
            *sums.entry(&f.function).or_default() += f.amount;
        }
        let mut problems = Vec::new();
        let lines = &mut self.disclosure.budgets;
        for line in lines.iter_mut() {
            let sum = sums
                .get(line.function.as_str())
                .copied()
                .unwrap_or_default();
            match line.initial {
                None => line.initial = Some(sum),
                Some(written) if written != sum => problems.push(
                    Diagnostic::error(
                        "E0221",
                        locate(&line.function),
                        Text::new(
                            format!(
                                "项 {} 的年初预算与本文件的预算事实不符",
                                line.function
                            ),
                            format!(
                                "the initial budget of item {} differs from this file's budget facts",
                                line.function
                            ),
                        ),
                    )
                    .expected(Text::same(sum.to_string()))
                    .found(written.to_string()),
                ),
                Some(_) => {}
            }
        }
        for (function, sum) in &sums {
            if !lines.iter().any(|l| l.function == *function) {
                lines.push(crate::disclosure::BudgetLine {
                    function: function.to_string(),
                    initial: Some(*sum),
                    adjusted: None,
                    reason: None,
                    uses: None,
                });
            }
        }
        lines.sort_by(|a, b| a.function.cmp(&b.function));
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }

    /// The unit with id `id`.
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.id == id)
    }
}
