//! Synthetic department-years: realistic, valid inputs for tests and benchmarks, with errors
//! injected at a given rate and recorded so that a check can be proved to find them.
//!
//! [`generate`] is a pure function of the catalog, the parameters and the department's index:
//! departments can be made in any order, in parallel, one at a time (memory stays flat in N),
//! and the same seed always gives the same files. Every code comes from the catalog; each
//! department has a theme (科学技术局, 文化和旅游局…) with its own function 项, a 本级 and
//! subordinate 事业单位, internal subsidies and remittances between them (with
//! `counterparty`), 事业收入 and 经营收入 in some units, 政府性基金 money in the themes that have
//! fund items, project-heavy spending in some, balances that close for every unit and fund,
//! basic expenditure split into economic 款 that add up to it, and 三公 actuals that are the
//! matching 款.
//!
//! Pairs of departments (0–1, 2–3, …) may share a subsidy from one to the other, marked on
//! both sides with `counterparty_department`: `juesuan rollup` eliminates it.
//!
//! **Injected errors** are what a person retyping figures gets wrong: two digits transposed,
//! one digit mistyped, a zero too many — in one fact — or an internal flow booked differently
//! by its two units, or a code that is not in the catalog. Each is recorded in the manifest
//! ([`Injection`]) with the rules (and tables) or the diagnostic codes that must report it;
//! which rules those are follows from the identity the changed fact takes part in (see
//! [`ErrorKind`](crate::inject::ErrorKind)), not from running the checks.

use crate::inject::Injection;
use juesuan_core::catalog::{Catalog, Classification};
use juesuan_core::consolidate::consolidate;
use juesuan_core::disclosure::{
    Assets, BudgetLine, Disclosure, PriorYear, Procurement, Profile, Reasons, RunningCosts,
    SanGongDetails,
};
use juesuan_core::facts::{
    BalanceFact, BalanceKind, Department, DepartmentYear, EconomicFact, ExpKind, ExpenditureFact,
    Facts, FundSource, IncomeFact, SanGong, SanGongFact, Scenario, Unit,
};
use juesuan_core::money::AmountUnit;
use juesuan_core::{Location, Money};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::collections::BTreeMap;

/// What to generate.
#[derive(Clone, Debug)]
pub struct Params {
    /// Number of departments.
    pub departments: usize,
    /// Units per department (本级 included); `None`: 1 to 4, varying.
    pub units: Option<usize>,
    /// Seed: the same seed gives the same departments.
    pub seed: u64,
    /// Share of departments given one injected error, in parts per million.
    pub error_ppm: u32,
    /// Fiscal year.
    pub year: i32,
    /// Whether pairs of departments may subsidise one another (eliminated in a roll-up).
    pub interdepartment: bool,
    /// File format of the inputs.
    pub format: crate::input_file::InputFormat,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            departments: 10,
            units: None,
            seed: 1,
            error_ppm: 0,
            year: 2024,
            interdepartment: true,
            format: crate::input_file::InputFormat::Toml,
        }
    }
}

/// One generated department: its input file and what was injected into it.
#[derive(Clone, Debug)]
pub struct Generated {
    /// File name (`dept-00001.toml`).
    pub file: String,
    /// The input file's text.
    pub text: String,
    /// The facts as generated (before any error was written into the text).
    pub facts: DepartmentYear,
    /// Its manifest line.
    pub entry: ManifestEntry,
}

/// One line of the manifest (`manifest.jsonl`): a department and the errors injected into it.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct ManifestEntry {
    /// File name, relative to the folder.
    pub file: String,
    /// `department.code`.
    pub code: String,
    /// `department.name`.
    pub department: String,
    /// Errors injected (empty: the file must pass every rule).
    pub injected: Vec<Injection>,
}

/// The manifest's first line.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct ManifestHeader {
    /// `juesuan.gen/1`.
    pub format: String,
    /// Departments generated.
    pub departments: usize,
    /// Units per department, if fixed.
    pub units: Option<usize>,
    /// The seed.
    pub seed: u64,
    /// Share of departments with an injected error, in parts per million.
    pub error_ppm: u32,
    /// Fiscal year.
    pub year: i32,
}

/// A department theme: the bureau, the function 项 it spends on, and its 事业单位.
struct Theme {
    bureau: &'static str,
    /// 项 of the 本级's basic expenditure (行政运行 where the catalog has it).
    admin: &'static str,
    /// 项 of project expenditure.
    projects: &'static [&'static str],
    /// 项 of a 事业单位's basic expenditure (事业运行 or the service it runs).
    service: &'static [&'static str],
    /// Names of the 事业单位, after the district.
    unit_names: &'static [&'static str],
    /// A 政府性基金 项, where the theme has one.
    gov_fund: Option<&'static str>,
    /// What it is for (部门主要职责).
    duties: &'static [&'static str],
}

/// Themes by the function 类 their money goes to; every code is in `data/catalog` (a test
/// checks it).
const THEMES: &[Theme] = &[
    Theme {
        bureau: "科学技术局",
        admin: "2060101",
        projects: &[
            "2060102", "2060199", "2060204", "2060499", "2060702", "2069999",
        ],
        service: &["2060702", "2060499"],
        unit_names: &["科技创新服务中心", "科学技术馆", "生产力促进中心"],
        gov_fund: None,
        duties: &[
            "贯彻落实科技创新发展的方针政策，拟订全区科技发展规划并组织实施。",
            "组织实施科技计划项目，推动科技成果转化和科学技术普及。",
        ],
    },
    Theme {
        bureau: "文化和旅游局",
        admin: "2070101",
        projects: &[
            "2070108", "2070111", "2070112", "2070113", "2070114", "2070199", "2079903",
        ],
        service: &["2070104", "2070105", "2070109"],
        unit_names: &["图书馆", "文化馆", "博物馆"],
        gov_fund: Some("2070904"),
        duties: &[
            "贯彻落实文化和旅游工作的方针政策，统筹规划全区文化事业、文化产业和旅游业发展。",
            "管理全区公共文化服务体系建设和文化和旅游市场。",
        ],
    },
    Theme {
        bureau: "统计局",
        admin: "2010506",
        projects: &["2010505", "2010507"],
        service: &["2010505"],
        unit_names: &["统计调查队", "普查中心"],
        gov_fund: None,
        duties: &["组织实施全区统计调查和普查，依法管理统计工作，提供统计信息服务。"],
    },
    Theme {
        bureau: "财政局",
        admin: "2010601",
        projects: &["2010602", "2010607", "2010608"],
        service: &["2010608"],
        unit_names: &["财政投资评审中心", "国库支付中心"],
        gov_fund: None,
        duties: &["拟订全区财政发展规划和政策，编制预决算，管理财政收支。"],
    },
    Theme {
        bureau: "市场监督管理局",
        admin: "2013802",
        projects: &["2013899"],
        service: &["2013899"],
        unit_names: &["市场监管综合执法大队", "消费者权益保护中心"],
        gov_fund: None,
        duties: &["负责全区市场综合监督管理，规范市场秩序，保护消费者权益。"],
    },
    Theme {
        bureau: "司法局",
        admin: "2040607",
        projects: &["2049999"],
        service: &["2040607"],
        unit_names: &["公共法律服务中心", "公证处"],
        gov_fund: None,
        duties: &["负责全区法治建设的统筹协调，管理公共法律服务。"],
    },
    Theme {
        bureau: "人力资源和社会保障局",
        admin: "2089999",
        projects: &["2080705", "2080799"],
        service: &["2080799"],
        unit_names: &["就业服务中心", "社会保险服务中心"],
        gov_fund: None,
        duties: &["拟订全区人力资源和社会保障事业发展规划，促进就业，管理社会保险。"],
    },
    Theme {
        bureau: "民政局",
        admin: "2082501",
        projects: &["2080801", "2082501"],
        service: &["2082501"],
        unit_names: &["社会救助服务中心", "殡葬服务中心"],
        gov_fund: None,
        duties: &["负责全区社会救助、社会组织管理和基层政权建设。"],
    },
    Theme {
        bureau: "卫生健康局",
        admin: "2100799",
        projects: &["2100717", "2100799"],
        service: &["2100717"],
        unit_names: &["疾病预防控制中心", "妇幼保健院"],
        gov_fund: None,
        duties: &["负责全区卫生健康事业发展，组织实施公共卫生和计划生育服务。"],
    },
    Theme {
        bureau: "生态环境局",
        admin: "2110101",
        projects: &[
            "2110104", "2110105", "2110107", "2110199", "2110301", "2110302", "2110399", "2111101",
            "2111102", "2111103",
        ],
        service: &["2111101", "2111102"],
        unit_names: &["生态环境监测站", "生态环境保护综合执法大队"],
        gov_fund: None,
        duties: &["负责全区生态环境保护，组织实施污染防治和生态环境监测。"],
    },
    Theme {
        bureau: "城市管理局",
        admin: "2120101",
        projects: &[
            "2120102", "2120104", "2120199", "2120201", "2120399", "2120501", "2129999",
        ],
        service: &["2120501", "2120104"],
        unit_names: &["环境卫生服务中心", "城管执法大队", "市政设施维护中心"],
        gov_fund: Some("2121999"),
        duties: &["负责全区城市管理和综合执法，组织城乡社区环境卫生和市政设施维护。"],
    },
    Theme {
        bureau: "农业农村局",
        admin: "2130106",
        projects: &["2130106"],
        service: &["2130106"],
        unit_names: &["农业技术推广中心"],
        gov_fund: None,
        duties: &["负责全区农业农村发展，组织农业科技转化与推广服务。"],
    },
    Theme {
        bureau: "经济和信息化局",
        admin: "2150899",
        projects: &["2150299", "2150805", "2150899"],
        service: &["2150805"],
        unit_names: &["中小企业服务中心"],
        gov_fund: None,
        duties: &["拟订全区工业和信息化发展规划，支持中小企业发展。"],
    },
    Theme {
        bureau: "自然资源局",
        admin: "2200199",
        projects: &["2200199"],
        service: &["2200150"],
        unit_names: &["自然资源事务中心", "测绘中心"],
        gov_fund: None,
        duties: &["负责全区自然资源调查、确权登记和国土空间规划管理。"],
    },
    Theme {
        bureau: "应急管理局",
        admin: "2240299",
        projects: &["2240299"],
        service: &["2240299"],
        unit_names: &["应急救援服务中心"],
        gov_fund: None,
        duties: &["负责全区应急管理和安全生产监督，组织消防救援和灾害防治。"],
    },
    Theme {
        bureau: "社会工作部",
        admin: "2013901",
        projects: &["2013999"],
        service: &["2013950"],
        unit_names: &["社会工作服务中心"],
        gov_fund: None,
        duties: &["统筹指导全区社会工作，推进基层治理和志愿服务。"],
    },
];

/// Wages and public costs split into economic 款: (code, weight).
const WAGE_SPLIT: &[(&str, u32)] = &[("30101", 30), ("30102", 25), ("30103", 10), ("30107", 35)];
const PUBLIC_SPLIT: &[(&str, u32)] = &[
    ("30201", 20),
    ("30205", 3),
    ("30206", 8),
    ("30207", 4),
    ("30209", 12),
    ("30211", 6),
    ("30213", 8),
    ("30215", 2),
    ("30216", 3),
    ("30226", 10),
    ("30228", 6),
    ("30229", 4),
    ("30239", 5),
    ("30299", 6),
    ("31002", 3),
];

/// Personnel items every unit pays from the general budget, with their economic 款 and share
/// of wages (percent).
const PERSONNEL: &[(&str, &str, &str, i128)] = &[
    ("2080505", "2080505", "30108", 16),
    ("2080506", "2080506", "30109", 8),
    ("2101101", "2101102", "30110", 7),
    ("2210201", "2210201", "30113", 12),
];

/// The 三公 categories and their economic 款.
const SANGONG_CODES: &[(SanGong, &str)] = &[
    (SanGong::Abroad, "30212"),
    (SanGong::VehiclePurchase, "31013"),
    (SanGong::VehicleOperation, "30231"),
    (SanGong::Reception, "30217"),
];

/// The department's code for index `i`.
pub fn code_of(i: usize) -> String {
    format!("D{:05}", i + 1)
}

/// The department's file stem for index `i`.
pub fn stem_of(i: usize) -> String {
    format!("dept-{:05}", i + 1)
}

/// splitmix64: independent seeds for (seed, stream, index).
fn mix(seed: u64, stream: u64, index: u64) -> u64 {
    let mut z = seed
        .wrapping_add(stream.wrapping_mul(0xD6E8_FEB8_6659_FD93))
        .wrapping_add(index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn rng(seed: u64, stream: u64, index: usize) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(mix(seed, stream, index as u64))
}

/// `amount × percent / 100`, in 分.
fn pct(fen: i128, percent: i128) -> i128 {
    fen * percent / 100
}

/// A subsidy between the departments of pair `k` (departments 2k → 2k+1), if there is one.
fn pair_subsidy(params: &Params, k: usize) -> Option<i128> {
    if !params.interdepartment || 2 * k + 1 >= params.departments {
        return None;
    }
    let mut r = rng(params.seed, 3, k);
    // One pair in three.
    (r.random_range(0..3) == 0).then(|| r.random_range(5_000_000_i128..50_000_000) / 100 * 100)
}

/// Facts being built, per unit and fund, with the money each (unit, fund) has left.
struct Builder<'a> {
    catalog: &'a Catalog,
    rng: ChaCha8Rng,
    facts: Facts,
}

impl Builder<'_> {
    fn income(&mut self, unit: &str, source: FundSource, function: &str, fen: i128) {
        if fen > 0 {
            self.facts.income.push(IncomeFact {
                unit: Some(unit.into()),
                source,
                function: function.into(),
                counterparty: None,
                counterparty_department: None,
                detail: None,
                amount: Money::from_fen(fen),
                location: Location::Nowhere,
            });
        }
    }

    fn expenditure(
        &mut self,
        unit: &str,
        fund: FundSource,
        function: &str,
        kind: ExpKind,
        fen: i128,
    ) {
        if fen > 0 {
            self.facts.expenditure.push(ExpenditureFact {
                unit: Some(unit.into()),
                fund,
                function: function.into(),
                kind,
                counterparty: None,
                counterparty_department: None,
                detail: None,
                amount: Money::from_fen(fen),
                location: Location::Nowhere,
            });
        }
    }

    fn balance(
        &mut self,
        unit: &str,
        fund: FundSource,
        kind: BalanceKind,
        function: Option<&str>,
        fen: i128,
    ) {
        if fen > 0 {
            self.facts.balances.push(BalanceFact {
                unit: Some(unit.into()),
                fund,
                kind,
                function: function.map(str::to_string),
                amount: Money::from_fen(fen),
                location: Location::Nowhere,
            });
        }
    }

    fn economic(&mut self, unit: &str, code: &str, fen: i128) {
        if fen > 0 {
            self.facts.basic_economic.push(EconomicFact {
                unit: Some(unit.into()),
                fund: FundSource::GeneralBudget,
                economic: code.into(),
                amount: Money::from_fen(fen),
                location: Location::Nowhere,
            });
        }
    }

    /// Splits `fen` by `weights` over a random subset (at least `min` of them), whole 分.
    fn split<'c>(
        &mut self,
        fen: i128,
        weights: &[(&'c str, u32)],
        min: usize,
    ) -> Vec<(&'c str, i128)> {
        let chosen: Vec<(&str, u32)> = weights
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < min || self.rng.random_range(0..3) > 0)
            .map(|(_, w)| *w)
            .collect();
        let total: i128 = chosen.iter().map(|(_, w)| i128::from(*w)).sum();
        let mut left = fen;
        let mut out = Vec::with_capacity(chosen.len());
        for (i, (code, w)) in chosen.iter().enumerate() {
            let share = if i + 1 == chosen.len() {
                left
            } else {
                fen * i128::from(*w) / total
            };
            left -= share;
            out.push((*code, share));
        }
        out
    }

    /// A random amount between `lo` and `hi` 元 with odd 分.
    fn yuan(&mut self, lo: i128, hi: i128) -> i128 {
        self.rng.random_range(lo * 100..hi * 100)
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.rng.random_range(0..100) < percent
    }

    fn pick<'c>(&mut self, from: &[&'c str]) -> &'c str {
        from[self.rng.random_range(0..from.len())]
    }

    fn name(&self, function: &str) -> bool {
        self.catalog
            .name(Classification::Function, function)
            .is_some()
    }
}

/// What one unit spends: per unit, the internal flows it takes part in.
struct UnitPlan {
    id: String,
    admin: bool,
    item: &'static str,
}

/// Generates department `index` of `params` (pure: the same arguments give the same result).
pub fn generate(catalog: &Catalog, params: &Params, index: usize) -> Generated {
    let theme = &THEMES[index % THEMES.len()];
    let district = index / THEMES.len() + 1;
    let code = code_of(index);
    let name = format!("示例{district}区{}", theme.bureau);
    let mut b = Builder {
        catalog,
        rng: rng(params.seed, 1, index),
        facts: Facts::default(),
    };
    let n_units = params
        .units
        .unwrap_or_else(|| b.rng.random_range(1..=4))
        .max(1);
    let mut units = vec![Unit {
        id: "本级".into(),
        name: format!("{name}（本级）"),
        kind: Some("行政单位".into()),
        note: None,
        location: Location::Nowhere,
    }];
    let mut plans = vec![UnitPlan {
        id: "本级".into(),
        admin: true,
        item: theme.admin,
    }];
    for k in 1..n_units {
        let base = theme.unit_names[(k - 1) % theme.unit_names.len()];
        let unit_name = if k > theme.unit_names.len() {
            format!("示例{district}区{base}（{k}）")
        } else {
            format!("示例{district}区{base}")
        };
        let id = format!("单位{k}");
        units.push(Unit {
            id: id.clone(),
            name: unit_name,
            kind: Some("事业单位".into()),
            note: None,
            location: Location::Nowhere,
        });
        let item = b.pick(theme.service);
        plans.push(UnitPlan {
            id,
            admin: false,
            item,
        });
    }
    let project_heavy = b.chance(30);
    let gov_fund = theme.gov_fund.filter(|_| b.chance(60));

    // Non-fiscal pools (unit, fund) → money available, spent at the end.
    let mut pools: BTreeMap<(String, FundSource), (i128, &'static str)> = BTreeMap::new();
    let mut sangong: Vec<SanGongFact> = Vec::new();
    for plan in &plans {
        let u = plan.id.as_str();
        let staff: i128 = if plan.admin {
            b.rng.random_range(15..160)
        } else {
            b.rng.random_range(8..90)
        };
        let per_head = b.yuan(110_000, 190_000);
        let wages = staff * per_head;
        let public = pct(wages, b.rng.random_range(12..30));
        let mut gb_exp: BTreeMap<&str, i128> = BTreeMap::new();
        // Basic expenditure: wages and public costs on the unit's own item.
        let mut economic: Vec<(&str, i128)> = b.split(wages, WAGE_SPLIT, 2);
        economic.extend(b.split(public, PUBLIC_SPLIT, 3));
        // 三公 (appropriation-funded, within basic expenditure).
        let mut sangong_fen = Vec::new();
        for (cat, econ) in SANGONG_CODES {
            let (p, lo, hi) = match cat {
                SanGong::Abroad => (10, 20_000, 120_000),
                SanGong::VehiclePurchase => (if plan.admin { 12 } else { 4 }, 150_000, 300_000),
                SanGong::VehicleOperation => (if plan.admin { 80 } else { 40 }, 10_000, 90_000),
                SanGong::Reception => (if plan.admin { 70 } else { 30 }, 2_000, 40_000),
            };
            let fen = if b.chance(p) { b.yuan(lo, hi) } else { 0 };
            if fen > 0 {
                economic.push((econ, fen));
            }
            sangong_fen.push((*cat, fen));
        }
        let own_basic: i128 = economic.iter().map(|(_, f)| f).sum();
        *gb_exp.entry(plan.item).or_default() += own_basic;
        b.expenditure(
            u,
            FundSource::GeneralBudget,
            plan.item,
            ExpKind::Basic,
            own_basic,
        );
        for (code, fen) in &economic {
            b.economic(u, code, *fen);
        }
        for (admin_item, service_item, econ, share) in PERSONNEL {
            if *econ == "30109" && !b.chance(60) {
                continue;
            }
            let item = if plan.admin { admin_item } else { service_item };
            let fen = pct(wages, *share) + b.rng.random_range(0..10_000);
            *gb_exp.entry(item).or_default() += fen;
            b.expenditure(u, FundSource::GeneralBudget, item, ExpKind::Basic, fen);
            b.economic(u, econ, fen);
        }
        if b.chance(40) {
            let item = if plan.admin { "2080501" } else { "2080502" };
            let fen = b.yuan(50_000, 600_000);
            *gb_exp.entry(item).or_default() += fen;
            b.expenditure(u, FundSource::GeneralBudget, item, ExpKind::Basic, fen);
            b.economic(u, "30302", fen);
        }
        for (cat, fen) in sangong_fen {
            let budget = if fen > 0 {
                fen + pct(fen, b.rng.random_range(0..30))
            } else if b.chance(30) {
                b.yuan(5_000, 50_000)
            } else {
                0
            };
            for (scenario, amount) in [(Scenario::Actual, fen), (Scenario::Budget, budget)] {
                if amount > 0 {
                    sangong.push(SanGongFact {
                        unit: Some(u.into()),
                        category: cat,
                        scenario,
                        amount: Money::from_fen(amount),
                        location: Location::Nowhere,
                    });
                }
            }
        }
        // Project expenditure from the general budget.
        let basic_total: i128 = gb_exp.values().sum();
        let share = if project_heavy {
            b.rng.random_range(150..600)
        } else {
            b.rng.random_range(10..60)
        };
        let projects = pct(basic_total, share);
        let n = b
            .rng
            .random_range(1..=theme.projects.len().min(if project_heavy { 5 } else { 3 }));
        let mut left = projects;
        for i in 0..n {
            let item = theme.projects[(i + index) % theme.projects.len()];
            let fen = if i + 1 == n {
                left
            } else {
                left * i128::from(b.rng.random_range(20_u32..70)) / 100
            };
            left -= fen;
            *gb_exp.entry(item).or_default() += fen;
            b.expenditure(u, FundSource::GeneralBudget, item, ExpKind::Project, fen);
        }
        // General budget income: expenditure per item, plus or minus what is carried over.
        let mut carried = 0;
        let items: Vec<(&str, i128)> = gb_exp.iter().map(|(k, v)| (*k, *v)).collect();
        for (item, fen) in items {
            let carry = if b.chance(30) {
                pct(fen, b.rng.random_range(-8..12))
            } else {
                0
            };
            carried += carry;
            b.income(u, FundSource::GeneralBudget, item, fen + carry);
        }
        let mut opening = if b.chance(50) {
            pct(basic_total, b.rng.random_range(1..8))
        } else {
            0
        };
        if opening + carried < 0 {
            opening = -carried;
        }
        b.balance(
            u,
            FundSource::GeneralBudget,
            BalanceKind::Opening,
            None,
            opening,
        );
        b.balance(
            u,
            FundSource::GeneralBudget,
            BalanceKind::Closing,
            None,
            opening + carried,
        );

        // 政府性基金 (本级 only): balances close per item.
        if let Some(item) = gov_fund.filter(|_| plan.admin) {
            let income = b.yuan(500_000, 8_000_000);
            let opening = if b.chance(50) {
                b.yuan(10_000, 900_000)
            } else {
                0
            };
            let spent = pct(income + opening, b.rng.random_range(50..100));
            b.income(u, FundSource::GovFund, item, income);
            b.expenditure(u, FundSource::GovFund, item, ExpKind::Project, spent);
            b.balance(
                u,
                FundSource::GovFund,
                BalanceKind::Opening,
                Some(item),
                opening,
            );
            b.balance(
                u,
                FundSource::GovFund,
                BalanceKind::Closing,
                Some(item),
                income + opening - spent,
            );
        }
        // Non-fiscal income: 事业收入 and 经营收入 in 事业单位, 其他收入 anywhere.
        if !plan.admin && b.chance(60) {
            let fen = pct(wages, b.rng.random_range(10..50));
            b.income(u, FundSource::Business, plan.item, fen);
            pools.insert((u.into(), FundSource::Business), (fen, plan.item));
        }
        if !plan.admin && b.chance(25) {
            let fen = b.yuan(100_000, 900_000);
            b.income(u, FundSource::Operating, plan.item, fen);
            pools.insert((u.into(), FundSource::Operating), (fen, plan.item));
        }
        if b.chance(35) {
            let fen = b.yuan(10_000, 200_000);
            b.income(u, FundSource::Other, plan.item, fen);
            pools.insert((u.into(), FundSource::Other), (fen, plan.item));
        }
    }

    // Internal flows: 本级 subsidises some units; units with operating income remit to 本级.
    for plan in plans.iter().skip(1) {
        if b.chance(50) {
            let fen = b.yuan(50_000, 500_000);
            let (src_item, dst_item) = (theme.admin, plan.item);
            // The subsidy comes from 本级's other income, all of it passed on.
            b.income("本级", FundSource::Other, src_item, fen);
            push_flow(
                &mut b,
                "本级",
                &plan.id,
                FundSource::Other,
                src_item,
                ExpKind::ToSubsidiaries,
                FundSource::SuperiorSubsidy,
                dst_item,
                fen,
            );
            pools.insert(
                (plan.id.clone(), FundSource::SuperiorSubsidy),
                (fen, dst_item),
            );
        }
        if let Some((available, item)) = pools
            .get(&(plan.id.clone(), FundSource::Operating))
            .copied()
            && b.chance(60)
        {
            let fen = pct(available, b.rng.random_range(10..40));
            if fen > 0 {
                push_flow(
                    &mut b,
                    &plan.id,
                    "本级",
                    FundSource::Operating,
                    item,
                    ExpKind::ToSuperior,
                    FundSource::FromSubsidiaries,
                    theme.admin,
                    fen,
                );
                pools
                    .get_mut(&(plan.id.clone(), FundSource::Operating))
                    .expect("pool")
                    .0 -= fen;
                let pool = pools
                    .entry(("本级".into(), FundSource::FromSubsidiaries))
                    .or_insert((0, theme.admin));
                pool.0 += fen;
            }
        }
    }
    // Between departments: 2k subsidises 2k+1 (marked with counterparty_department).
    if index.is_multiple_of(2)
        && let Some(fen) = pair_subsidy(params, index / 2)
    {
        b.income("本级", FundSource::Other, theme.admin, fen);
        b.facts.expenditure.push(ExpenditureFact {
            unit: Some("本级".into()),
            fund: FundSource::Other,
            function: theme.admin.into(),
            kind: ExpKind::ToSubsidiaries,
            counterparty: None,
            counterparty_department: Some(code_of(index + 1)),
            detail: None,
            amount: Money::from_fen(fen),
            location: Location::Nowhere,
        });
    }
    if !index.is_multiple_of(2)
        && let Some(fen) = pair_subsidy(params, index / 2)
    {
        b.facts.income.push(IncomeFact {
            unit: Some("本级".into()),
            source: FundSource::SuperiorSubsidy,
            function: theme.admin.into(),
            counterparty: None,
            counterparty_department: Some(code_of(index - 1)),
            detail: None,
            amount: Money::from_fen(fen),
            location: Location::Nowhere,
        });
        let pool = pools
            .entry(("本级".into(), FundSource::SuperiorSubsidy))
            .or_insert((0, theme.admin));
        pool.0 += fen;
    }
    // Spend what the non-fiscal pools hold; the rest is carried over.
    let pool_list: Vec<_> = pools.into_iter().collect();
    for ((u, fund), (fen, item)) in pool_list {
        if fen <= 0 {
            continue;
        }
        let opening = if b.chance(40) {
            pct(fen, b.rng.random_range(1..20))
        } else {
            0
        };
        let spent = pct(fen + opening, b.rng.random_range(60..100));
        let (kind, distribution) = match fund {
            FundSource::Operating => (
                ExpKind::Operating,
                pct(fen + opening - spent, b.rng.random_range(0..40)),
            ),
            FundSource::Business => (ExpKind::Basic, 0),
            _ => (ExpKind::Project, 0),
        };
        b.expenditure(&u, fund, item, kind, spent);
        b.balance(&u, fund, BalanceKind::Opening, None, opening);
        b.balance(&u, fund, BalanceKind::Distribution, None, distribution);
        b.balance(
            &u,
            fund,
            BalanceKind::Closing,
            None,
            fen + opening - spent - distribution,
        );
    }
    debug_assert!(b.facts.income.iter().all(|f| b.name(&f.function)));
    b.facts.sangong = sangong;
    merge(&mut b.facts);
    let department = Department {
        name: name.clone(),
        code: Some(code.clone()),
        year: params.year,
        amount_unit: AmountUnit::Yuan,
        layout: Some("hubei-wuhan-2023".into()),
        strict_catalog: false,
    };
    let mut dy = DepartmentYear {
        department,
        units,
        facts: b.facts,
        budget: Default::default(),
        disclosure: Disclosure::default(),
    };
    dy.disclosure = disclosure(&mut b.rng, theme, &dy);

    let file = format!("{}.{}", stem_of(index), params.format.extension());
    let mut err_rng = rng(params.seed, 2, index);
    let inject = params.error_ppm > 0 && err_rng.random_range(0..1_000_000) < params.error_ppm;
    let mut written = dy.clone();
    let mut injected = Vec::new();
    if inject && let Some(inj) = crate::inject::inject(&mut err_rng, catalog, &mut written) {
        injected.push(inj);
    }
    let text = crate::input_file::write(&written, catalog, params.format);
    Generated {
        file: file.clone(),
        text,
        facts: dy,
        entry: ManifestEntry {
            file,
            code,
            department: name,
            injected,
        },
    }
}

/// One record per fact: amounts booked twice under the same dimensions are added (the input
/// format refuses a fact written twice, E0207).
fn merge(f: &mut Facts) {
    fn dedup<T, K: PartialEq>(
        v: &mut Vec<T>,
        key: impl Fn(&T) -> K,
        amount: impl Fn(&mut T) -> &mut Money,
    ) {
        let mut out: Vec<T> = Vec::with_capacity(v.len());
        for mut x in v.drain(..) {
            match out.iter_mut().find(|y| key(y) == key(&x)) {
                Some(y) => {
                    let add = *amount(&mut x);
                    *amount(y) += add;
                }
                None => out.push(x),
            }
        }
        *v = out;
    }
    dedup(
        &mut f.income,
        |x| {
            (
                x.unit.clone(),
                x.source,
                x.function.clone(),
                x.counterparty.clone(),
                x.counterparty_department.clone(),
            )
        },
        |x| &mut x.amount,
    );
    dedup(
        &mut f.expenditure,
        |x| {
            (
                x.unit.clone(),
                x.fund,
                x.function.clone(),
                x.kind,
                x.counterparty.clone(),
                x.counterparty_department.clone(),
            )
        },
        |x| &mut x.amount,
    );
    dedup(
        &mut f.basic_economic,
        |x| (x.unit.clone(), x.fund, x.economic.clone()),
        |x| &mut x.amount,
    );
    dedup(
        &mut f.balances,
        |x| (x.unit.clone(), x.fund, x.kind, x.function.clone()),
        |x| &mut x.amount,
    );
}

/// Both sides of an internal flow between two units of the department.
#[allow(clippy::too_many_arguments)]
fn push_flow(
    b: &mut Builder,
    payer: &str,
    payee: &str,
    fund: FundSource,
    payer_item: &str,
    kind: ExpKind,
    source: FundSource,
    payee_item: &str,
    fen: i128,
) {
    b.facts.expenditure.push(ExpenditureFact {
        unit: Some(payer.into()),
        fund,
        function: payer_item.into(),
        kind,
        counterparty: Some(payee.into()),
        counterparty_department: None,
        detail: None,
        amount: Money::from_fen(fen),
        location: Location::Nowhere,
    });
    b.facts.income.push(IncomeFact {
        unit: Some(payee.into()),
        source,
        function: payee_item.into(),
        counterparty: Some(payer.into()),
        counterparty_department: None,
        detail: None,
        amount: Money::from_fen(fen),
        location: Location::Nowhere,
    });
}

/// The texts and figures of the disclosure besides the accounts: duties, last year, budgets,
/// 三公 details, running costs, procurement and assets, consistent with the facts.
fn disclosure(rng: &mut ChaCha8Rng, theme: &Theme, dy: &DepartmentYear) -> Disclosure {
    let Ok(ledger) = consolidate(dy) else {
        return Disclosure::default();
    };
    let income = ledger.total_income();
    let expenditure = ledger.total_expenditure();
    let opening =
        ledger.balance(BalanceKind::Opening) + ledger.balance(BalanceKind::UseOfNonFiscal);
    let fiscal = |m: &BTreeMap<(FundSource, String), Money>| -> Money {
        m.iter()
            .filter(|((f, _), _)| f.is_fiscal())
            .map(|(_, v)| *v)
            .sum()
    };
    let fiscal_opening: Money = ledger
        .balances
        .iter()
        .filter(|((f, k, _), _)| f.is_fiscal() && *k == BalanceKind::Opening)
        .map(|(_, v)| *v)
        .sum();
    let gb_income: Money = ledger
        .income
        .iter()
        .filter(|((f, _), _)| *f == FundSource::GeneralBudget)
        .map(|(_, v)| *v)
        .sum();
    let gb_exp: Money = ledger
        .expenditure
        .iter()
        .filter(|((f, _, _), _)| *f == FundSource::GeneralBudget)
        .map(|(_, v)| *v)
        .sum();
    let mut last = |m: Money| -> Option<Money> {
        let p: i128 = rng.random_range(80..125);
        Some(Money::from_fen(m.fen() * p / 100))
    };
    let prior_year = PriorYear {
        grand_total: last(income + opening),
        income: last(income),
        expenditure: last(expenditure),
        fiscal_grand_total: last(fiscal(&ledger.income) + fiscal_opening),
        general_budget_income: last(gb_income),
        general_budget_expenditure: last(gb_exp),
        ..PriorYear::default()
    };
    let change = "主要是人员结构调整及项目支出变化。".to_string();
    let reasons = Reasons {
        grand_total: Some(change.clone()),
        income: Some(change.clone()),
        expenditure: Some(change.clone()),
        fiscal_grand_total: Some(change.clone()),
        general_budget_income: Some(change.clone()),
        general_budget_expenditure: Some(change),
        sangong: Some("严格执行中央八项规定精神，厉行节约。".into()),
        running_costs: Some("主要是日常公用经费变化。".into()),
        ..Reasons::default()
    };
    let mut by_item: BTreeMap<&str, Money> = BTreeMap::new();
    for ((fund, function, _), m) in &ledger.expenditure {
        if *fund == FundSource::GeneralBudget {
            *by_item.entry(function.as_str()).or_default() += *m;
        }
    }
    let budgets = by_item
        .iter()
        .map(|(function, actual)| {
            let p: i128 = rng.random_range(85..116);
            let initial = Money::from_fen((actual.fen() * p / 100).max(100));
            BudgetLine {
                function: function.to_string(),
                initial: Some(initial),
                adjusted: Some(*actual),
                reason: (initial != *actual).then(|| "年中追加或调减预算。".to_string()),
                uses: None,
            }
        })
        .collect();
    let vehicles: u32 = rng.random_range(0..6);
    let purchased = ledger
        .sangong
        .get(&(SanGong::VehiclePurchase, Scenario::Actual))
        .is_some_and(|m| !m.is_zero());
    let public: Money = ledger
        .basic_economic
        .iter()
        .filter(|((f, c), _)| {
            *f == FundSource::GeneralBudget && !c.starts_with("301") && !c.starts_with("303")
        })
        .map(|(_, v)| *v)
        .sum();
    let total = expenditure.fen();
    let goods = total * i128::from(rng.random_range(1_u32..6)) / 100;
    let works = total * i128::from(rng.random_range(0_u32..4)) / 100;
    let services = total * i128::from(rng.random_range(1_u32..8)) / 100;
    let sme = (goods + works + services) * i128::from(rng.random_range(50_u32..95)) / 100;
    Disclosure {
        profile: Profile {
            duties: theme
                .duties
                .iter()
                .enumerate()
                .map(|(i, d)| format!("（{}）{d}", ["一", "二", "三", "四"][i.min(3)]))
                .collect(),
        },
        prior_year: Some(prior_year),
        reasons,
        budgets,
        sangong_details: SanGongDetails {
            purchased_vehicles: Some(u32::from(purchased)),
            fleet: Some(vehicles + u32::from(purchased)),
            operation_use: Some("机要通信、应急保障等公务活动".into()),
            ..SanGongDetails::default()
        },
        running_costs: Some(RunningCosts {
            budget: Some(Money::from_fen(
                public.fen() * i128::from(rng.random_range(90_u32..111)) / 100,
            )),
            actual: None,
        }),
        procurement: Some(Procurement {
            goods: Money::from_fen(goods),
            works: Money::from_fen(works),
            services: Money::from_fen(services),
            sme: Some(Money::from_fen(sme)),
            small_micro: Some(Money::from_fen(sme * 6 / 10)),
            ..Procurement::default()
        }),
        assets: Some(Assets {
            vehicles: BTreeMap::from([
                ("机要通信用车".to_string(), vehicles / 2),
                (
                    "应急保障用车".to_string(),
                    vehicles - vehicles / 2 + u32::from(purchased),
                ),
            ]),
            other_vehicles_use: None,
            equipment_over_million: rng.random_range(0..3),
            ..Assets::default()
        }),
        ..Disclosure::default()
    }
}

/// Every theme's codes are 项 of the catalog.
pub fn theme_codes() -> Vec<&'static str> {
    let mut codes = Vec::new();
    for t in THEMES {
        codes.push(t.admin);
        codes.extend(t.projects);
        codes.extend(t.service);
        codes.extend(t.gov_fund);
    }
    for (a, s, _, _) in PERSONNEL {
        codes.push(a);
        codes.push(s);
    }
    codes.extend(["2080501", "2080502"]);
    codes
}

/// Every economic 款 the generator writes.
pub fn economic_codes() -> Vec<&'static str> {
    let mut codes: Vec<&str> = WAGE_SPLIT
        .iter()
        .chain(PUBLIC_SPLIT)
        .map(|(c, _)| *c)
        .collect();
    codes.extend(PERSONNEL.iter().map(|(_, _, e, _)| *e));
    codes.extend(SANGONG_CODES.iter().map(|(_, e)| *e));
    codes.push("30302");
    codes
}

/// The manifest's header line for `params`.
pub fn header(params: &Params) -> ManifestHeader {
    ManifestHeader {
        format: "juesuan.gen/1".into(),
        departments: params.departments,
        units: params.units,
        seed: params.seed,
        error_ppm: params.error_ppm,
        year: params.year,
    }
}
