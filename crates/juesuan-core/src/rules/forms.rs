//! Checks of the 绩效自评 forms (附件): entered scores against the scoring scheme.
//!
//! The formula language speaks of amounts in the nine tables; scores are points on forms, and
//! the execution score is a capped product, so these checks are builtins. Each is named by a
//! rule of the catalog (P1xx) and tested there like any rule.

use super::RuleDef;
use super::finding::{
    Capped, CellPlace, Detail, Executed, Finding, Place, RowKey, RowRef, ScoreProblem, TableRef,
};
use super::sheet::Sheet;
use crate::disclosure::{Indicator, ProjectEvaluation};
use crate::money::Money;
use crate::scoring::{self, Evaluations, is_none_row};
use crate::text::Text;
use rust_decimal::{Decimal, RoundingStrategy};

/// One form of the sheet: its 附件 number and names.
struct Form<'a> {
    annex: usize,
    name: &'a str,
}

impl Form<'_> {
    /// A finding about `item` of this form (a score, a total, an indicator).
    fn finding(&self, def: &RuleDef, item: Text, problem: ScoreProblem) -> Finding {
        Finding {
            rule: def.id.clone(),
            severity: def.severity,
            scope: def.scope,
            place: Place::Cell(Box::new(CellPlace {
                table: TableRef {
                    key: format!("附件{}", self.annex),
                    number: Some(Text::new(
                        format!("附件{}", self.annex),
                        format!("Annex {}", self.annex),
                    )),
                    title: Text::same(self.name),
                },
                row: Some(RowRef {
                    key: RowKey::Label(item.zh.clone()),
                    label: item,
                }),
                column: "得分".into(),
                source: None,
            })),
            message: def.title.clone(),
            hint: def.hint.clone(),
            detail: Detail::Score(problem),
            cells: Vec::new(),
            review: None,
        }
    }
}

/// Every form with its number: the department-wide one first.
fn forms(e: &Evaluations) -> (Option<Form<'_>>, Vec<(Form<'_>, &ProjectEvaluation)>) {
    let dep = e.department.as_ref().map(|_| Form {
        annex: 1,
        name: "部门整体绩效自评表",
    });
    let projects = e
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                Form {
                    annex: e.project_annex(i),
                    name: &p.name,
                },
                p,
            )
        })
        .collect();
    (dep, projects)
}

/// How findings name an indicator of a form (`一级/二级/名称`): the row a finding on it is
/// placed at, which a reader of printed forms finds again by the same name.
pub fn indicator_item(i: &Indicator) -> Text {
    Text::new(
        format!("{}/{}/{}", i.level1, i.level2, i.name),
        format!("indicator {}/{}/{}", i.level1, i.level2, i.name),
    )
}

fn total_item() -> Text {
    Text::new("自评得分", "total score")
}

/// P101: the entered total equals execution + goal + indicator points, computed.
pub fn totals(def: &RuleDef, sheet: &Sheet) -> Vec<Finding> {
    let Some(e) = &sheet.evaluations else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (dep_form, projects) = forms(e);
    if let (Some(form), Some(d)) = (dep_form, &e.department) {
        let s = scoring::department(d, &e.scheme);
        if let (Some(reported), Some(total)) = (d.reported_score, s.total)
            && reported != total
        {
            out.push(form.finding(
                def,
                total_item(),
                ScoreProblem::Total {
                    reported,
                    score: s,
                    actual: d.actual,
                    budget: d.budget,
                    department: true,
                },
            ));
        }
    }
    for (form, p) in projects {
        let s = scoring::project(p, &e.scheme);
        if let (Some(reported), Some(total)) = (p.reported_score, s.total)
            && reported != total
        {
            out.push(form.finding(
                def,
                total_item(),
                ScoreProblem::Total {
                    reported,
                    score: s,
                    actual: p.actual,
                    budget: p.budget,
                    department: false,
                },
            ));
        }
    }
    out
}

/// A score above what its part may earn.
fn over(
    def: &RuleDef,
    form: &Form,
    item: Text,
    got: Decimal,
    cap: Decimal,
    part: Capped,
) -> Option<Finding> {
    (got > cap).then(|| form.finding(def, item, ScoreProblem::Over { got, cap, part }))
}

fn sum(list: &[Indicator]) -> Decimal {
    list.iter().filter_map(|i| i.score).sum()
}

/// Indicator scores within their own 分值 and not negative.
fn indicator_caps(def: &RuleDef, form: &Form, list: &[Indicator], out: &mut Vec<Finding>) {
    for i in list {
        let Some(score) = i.score else { continue };
        if score.is_sign_negative() && !score.is_zero() {
            out.push(form.finding(def, indicator_item(i), ScoreProblem::Negative { score }));
        }
        if let Some(w) = i.weight {
            out.extend(over(
                def,
                form,
                indicator_item(i),
                score,
                w,
                Capped::Indicator,
            ));
        }
    }
}

/// P102: no part of a form earns more than the scheme gives it.
pub fn caps(def: &RuleDef, sheet: &Sheet) -> Vec<Finding> {
    let Some(e) = &sheet.evaluations else {
        return Vec::new();
    };
    let scheme = &e.scheme;
    let mut out = Vec::new();
    let (dep_form, projects) = forms(e);
    if let (Some(form), Some(d)) = (dep_form, &e.department)
        && let Some(per_weight) = scheme.indicators_per_weight()
    {
        for (k, g) in d.goals.iter().enumerate() {
            indicator_caps(def, &form, &g.indicators, &mut out);
            out.extend(over(
                def,
                &form,
                Text::new(format!("年度目标{}", k + 1), format!("goal {}", k + 1)),
                sum(&g.indicators),
                per_weight * g.weight,
                Capped::GoalIndicators {
                    goal: k + 1,
                    weight: g.weight,
                },
            ));
        }
    }
    for (form, p) in projects {
        indicator_caps(def, &form, &p.indicators, &mut out);
        if let Some(goal) = p.goal_score {
            out.extend(over(
                def,
                &form,
                Text::new("总目标得分", "goal score"),
                goal,
                scheme.goal,
                Capped::GoalScore,
            ));
        }
        out.extend(over(
            def,
            &form,
            Text::new("指标得分合计", "indicator scores"),
            sum(&p.indicators),
            scheme.indicators,
            Capped::Indicators,
        ));
        for cap in &scheme.caps {
            let got: Decimal = p
                .indicators
                .iter()
                .filter(|i| i.level1 == cap.level1)
                .filter_map(|i| i.score)
                .sum();
            out.extend(over(
                def,
                &form,
                Text::new(cap.level1.clone(), cap.level1.clone()),
                got,
                cap.points,
                Capped::Level1(cap.level1.clone()),
            ));
        }
    }
    out
}

/// P103: the department-wide goals' weights add up to the scheme's goal points.
pub fn weights(def: &RuleDef, sheet: &Sheet) -> Vec<Finding> {
    let Some(e) = &sheet.evaluations else {
        return Vec::new();
    };
    let (Some(form), Some(d)) = (forms(e).0, &e.department) else {
        return Vec::new();
    };
    let total: Decimal = d.goals.iter().map(|g| g.weight).sum();
    if d.goals.is_empty() || total == e.scheme.goal {
        return Vec::new();
    }
    vec![form.finding(
        def,
        Text::new("年度目标权重", "goal weights"),
        ScoreProblem::Weights {
            weights: d.goals.iter().map(|g| g.weight).collect(),
            goal: e.scheme.goal,
        },
    )]
}

/// P104: a form that reports a total but leaves scores blank cannot be verified.
pub fn complete(def: &RuleDef, sheet: &Sheet) -> Vec<Finding> {
    let Some(e) = &sheet.evaluations else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let blank = |list: &[Indicator]| {
        list.iter()
            .filter(|i| i.score.is_none() && !is_none_row(i))
            .count()
    };
    let (dep_form, projects) = forms(e);
    if let (Some(form), Some(d)) = (dep_form, &e.department) {
        let n: usize = d.goals.iter().map(|g| blank(&g.indicators)).sum();
        if n > 0 {
            out.push(form.finding(
                def,
                total_item(),
                ScoreProblem::Blank {
                    reported: d.reported_score,
                    goal: false,
                    indicators: n,
                },
            ));
        }
    }
    for (form, p) in projects {
        let n = blank(&p.indicators);
        if n == 0 && p.goal_score.is_some() {
            continue;
        }
        out.push(form.finding(
            def,
            total_item(),
            ScoreProblem::Blank {
                reported: p.reported_score,
                goal: p.goal_score.is_none(),
                indicators: n,
            },
        ));
    }
    out
}

/// The printed figures of one form's execution row.
struct ExecutionRow {
    budget: Money,
    actual: Money,
    rate: Option<Decimal>,
    score: Option<Decimal>,
}

/// `printed` with `d` decimals stands for `[printed − ½·10⁻ᵈ, printed + ½·10⁻ᵈ]`; the lowest
/// and highest of `[lo, hi]` at those decimals when the two meet, `None` when they do not.
fn disagrees(printed: Decimal, lo: Decimal, hi: Decimal) -> Option<(Decimal, Decimal)> {
    let d = printed.scale();
    let half = Decimal::new(5, d + 1);
    if printed + half >= lo && printed - half <= hi {
        return None;
    }
    let at = |x: Decimal| x.round_dp_with_strategy(d, RoundingStrategy::MidpointAwayFromZero);
    Some((at(lo), at(hi)))
}

/// The 执行率 and 执行得分 a form prints against its 预算数 and 执行数: the rate as a
/// percentage of `actual / budget`, the score `points × min(1, actual / budget)` rounded to 2
/// decimals, both at the decimals printed. Amounts read from a published report stand for
/// every amount that prints the same (`half`).
fn execution_row(
    def: &RuleDef,
    form: &Form,
    row: ExecutionRow,
    points: Decimal,
    half: Money,
    out: &mut Vec<Finding>,
) {
    let h = half.to_yuan_decimal();
    let (a, b) = (row.actual.to_yuan_decimal(), row.budget.to_yuan_decimal());
    if b - h <= Decimal::ZERO {
        return;
    }
    let hundred = Decimal::ONE_HUNDRED;
    let (r_lo, r_hi) = ((a - h).max(Decimal::ZERO) / (b + h), (a + h) / (b - h));
    let problem = |part, printed, (lo, hi)| ScoreProblem::Execution {
        part,
        printed,
        lo,
        hi,
        actual: row.actual,
        budget: row.budget,
        points,
    };
    if let Some(rate) = row.rate
        && let Some(range) = disagrees(rate, r_lo * hundred, r_hi * hundred)
    {
        out.push(form.finding(
            def,
            Text::new("执行率", "execution rate"),
            problem(Executed::Rate, rate, range),
        ));
    }
    let score = |r: Decimal| {
        (points * r.min(Decimal::ONE))
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    };
    if let Some(printed) = row.score
        && let Some(range) = disagrees(printed, score(r_lo), score(r_hi))
    {
        out.push(form.finding(
            def,
            Text::new("执行得分", "execution points"),
            problem(Executed::Score, printed, range),
        ));
    }
}

/// P105: a printed 执行率 and 执行得分 are what the form's 预算数 and 执行数 give.
pub fn execution(def: &RuleDef, sheet: &Sheet) -> Vec<Finding> {
    let Some(e) = &sheet.evaluations else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let points = e.scheme.execution;
    let (dep_form, projects) = forms(e);
    let department = dep_form.zip(e.department.as_ref()).map(|(form, d)| {
        let row = ExecutionRow {
            budget: d.budget,
            actual: d.actual,
            rate: d.reported_rate,
            score: d.reported_execution,
        };
        (form, row)
    });
    let projects = projects.into_iter().map(|(form, p)| {
        let row = ExecutionRow {
            budget: p.budget,
            actual: p.actual,
            rate: p.reported_rate,
            score: p.reported_execution,
        };
        (form, row)
    });
    for (form, row) in department.into_iter().chain(projects) {
        execution_row(def, &form, row, points, e.half_unit, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::disclosure::{Cap, Scheme};
    use crate::money::{AmountUnit, Money};
    use crate::rules::{Formulas, Scope};

    fn def(id: &str) -> RuleDef {
        RuleDef {
            id: id.into(),
            severity: Severity::Error,
            scope: Scope::Performance,
            title: Text::new("t", "t"),
            why: Text::new("w", "w"),
            hint: Text::new("h", "h"),
            formula: Formulas::default(),
            builtin: None,
            pass: Vec::new(),
            fail: Vec::new(),
        }
    }

    fn indicator(level1: &str, score: i64) -> Indicator {
        Indicator {
            level1: level1.into(),
            level2: "数量指标".into(),
            name: format!("{level1}指标"),
            score: Some(Decimal::from(score)),
            ..Default::default()
        }
    }

    /// A 10/50/30/10 province: execution 10, no separate goal, indicators 90 capped per 一级.
    fn sheet(outputs: i64, effects: i64, reported: i64) -> Sheet {
        let wan = |s: &str| Money::parse(s, AmountUnit::Wan).unwrap();
        let project = ProjectEvaluation {
            name: "示例项目".into(),
            budget: wan("100"),
            actual: wan("100"),
            goal_score: Some(Decimal::ZERO),
            indicators: vec![
                indicator("产出指标", outputs),
                indicator("效益指标", effects),
                indicator("满意度指标", 10),
            ],
            reported_score: Some(Decimal::from(reported)),
            ..Default::default()
        };
        Sheet {
            department: "测试".into(),
            tables: Vec::new(),
            claims: Vec::new(),
            evaluations: Some(Evaluations {
                scheme: Scheme {
                    execution: Decimal::from(10),
                    goal: Decimal::ZERO,
                    indicators: Decimal::from(90),
                    caps: vec![
                        Cap {
                            level1: "产出指标".into(),
                            points: Decimal::from(50),
                        },
                        Cap {
                            level1: "效益指标".into(),
                            points: Decimal::from(30),
                        },
                        Cap {
                            level1: "满意度指标".into(),
                            points: Decimal::from(10),
                        },
                    ],
                },
                department: None,
                projects: vec![project],
                half_unit: Money::ZERO,
            }),
        }
    }

    #[test]
    fn a_capped_scheme_scores_and_checks_each_first_level_indicator() {
        // 10 + 0 + 50 + 30 + 10 = 100.
        let good = sheet(50, 30, 100);
        assert!(totals(&def("P101"), &good).is_empty());
        assert!(caps(&def("P102"), &good).is_empty());
        // 产出指标 55 > 50, though the indicators' sum (90) is within 90.
        let over = sheet(55, 25, 100);
        let found = caps(&def("P102"), &over);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].row_name().zh, "产出指标");
        assert_eq!(found[0].location().to_string(), "附件1/产出指标/得分");
        // A reported total that is not the sum.
        let wrong = sheet(50, 30, 99);
        let found = totals(&def("P101"), &wrong);
        assert_eq!(
            (found[0].found().as_str(), found[0].expected().as_str()),
            ("99", "100")
        );
    }
}
