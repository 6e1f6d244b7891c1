//! 绩效自评 scoring: execution of the budget, goals and indicators.
//!
//! A project earns `execution × min(1, 执行数 / 预算数)` points for spending (2 decimals), its goal
//! score (at most `goal`) and its indicator scores (together at most `indicators`). The
//! department-wide evaluation earns the same execution score, each goal's weight `w` and its
//! indicators' scores (at most `3w` each goal). The scheme ([`Scheme`]) is configuration the
//! input carries with the forms: other provinces use other points.

use crate::disclosure::{DepartmentEvaluation, ProjectEvaluation, Scheme};
use crate::money::Money;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// The 绩效自评 forms of a department-year, as the checks see them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Evaluations {
    /// The scoring scheme.
    pub scheme: Scheme,
    /// The department-wide form (附件1 when present).
    pub department: Option<DepartmentEvaluation>,
    /// Project forms, in the order printed.
    pub projects: Vec<ProjectEvaluation>,
    /// Half the last printed digit of the forms' 预算数 and 执行数 when they were read from a
    /// published report (a printed amount stands for every amount that prints the same); zero
    /// for the exact amounts of the facts.
    pub half_unit: Money,
}

impl Evaluations {
    /// The forms of a disclosure, if it has any.
    pub fn of(d: &crate::disclosure::Disclosure) -> Option<Evaluations> {
        let p = d.performance.as_ref()?;
        (p.department.is_some() || !p.projects.is_empty()).then(|| Evaluations {
            scheme: p.scheme.clone().unwrap_or_default(),
            department: p.department.clone(),
            projects: p.projects.clone(),
            half_unit: Money::ZERO,
        })
    }

    /// The 附件 number of project `i` (0-based).
    pub fn project_annex(&self, i: usize) -> usize {
        i + 1 + usize::from(self.department.is_some())
    }
}

/// A computed score and its parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Score {
    /// 执行率 as an exact fraction's percentage, 2 decimals (None over a zero budget).
    pub rate_percent: Option<Decimal>,
    /// 执行得分.
    pub execution: Decimal,
    /// Goal points.
    pub goal: Decimal,
    /// Σ indicator scores.
    pub indicators: Decimal,
    /// The total; `None` when the form lacks a goal score or a score of a real indicator
    /// (one not named 无), so that the total cannot be known.
    pub total: Option<Decimal>,
}

/// True for an indicator row that says there is none (指标名称 无).
pub fn is_none_row(i: &crate::disclosure::Indicator) -> bool {
    matches!(i.name.trim(), "无" | "")
}

/// `points × actual / budget`, capped at `points`, rounded half up to 2 decimals.
pub fn execution_score(actual: Money, budget: Money, points: Decimal) -> Decimal {
    if budget.is_zero() || budget.is_negative() {
        return Decimal::ZERO;
    }
    if actual >= budget {
        return points.round_dp(2);
    }
    let exact = points * actual.to_yuan_decimal() / budget.to_yuan_decimal();
    exact
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .min(points)
}

fn sum(scores: impl Iterator<Item = Option<Decimal>>) -> Decimal {
    scores.flatten().sum()
}

/// A project's score.
pub fn project(p: &ProjectEvaluation, scheme: &Scheme) -> Score {
    let execution = execution_score(p.actual, p.budget, scheme.execution);
    let goal = p.goal_score.unwrap_or(Decimal::ZERO);
    let indicators = sum(p.indicators.iter().map(|i| i.score));
    let complete = p.goal_score.is_some()
        && p.indicators
            .iter()
            .all(|i| i.score.is_some() || is_none_row(i));
    Score {
        rate_percent: crate::money::percent(p.actual, p.budget, 2),
        execution,
        goal,
        indicators,
        total: complete.then_some(execution + goal + indicators),
    }
}

/// The department-wide score.
pub fn department(d: &DepartmentEvaluation, scheme: &Scheme) -> Score {
    let execution = execution_score(d.actual, d.budget, scheme.execution);
    let goal: Decimal = d.goals.iter().map(|g| g.weight).sum();
    let indicators = sum(d
        .goals
        .iter()
        .flat_map(|g| g.indicators.iter().map(|i| i.score)));
    let complete = d
        .goals
        .iter()
        .flat_map(|g| g.indicators.iter())
        .all(|i| i.score.is_some() || is_none_row(i));
    Score {
        rate_percent: crate::money::percent(d.actual, d.budget, 2),
        execution,
        goal,
        indicators,
        total: complete.then_some(execution + goal + indicators),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::AmountUnit;

    fn wan(s: &str) -> Money {
        Money::parse(s, AmountUnit::Wan).unwrap()
    }

    #[test]
    fn execution_scores_of_the_seed() {
        let twenty = Decimal::from(20);
        // 9.09 / 9.12 = 99.67% → 19.93; 35549.61 / 36143.17 = 98.36% → 19.67;
        // 28698.57 / 29288.98 = 97.98% → 19.60.
        assert_eq!(
            execution_score(wan("9.09"), wan("9.12"), twenty).to_string(),
            "19.93"
        );
        assert_eq!(
            execution_score(wan("35549.61"), wan("36143.17"), twenty).to_string(),
            "19.67"
        );
        assert_eq!(
            execution_score(wan("28698.57"), wan("29288.98"), twenty).to_string(),
            "19.60"
        );
        // Spending more than the budget earns no more than the points.
        assert_eq!(
            execution_score(wan("12"), wan("10"), twenty).to_string(),
            "20"
        );
        assert_eq!(
            execution_score(wan("1"), Money::ZERO, twenty),
            Decimal::ZERO
        );
    }
}
