//! Placing a row's printed amounts into the table's columns.
//!
//! When a row prints as many amounts as the panel has value columns, they go in order. When
//! blank cells were dropped, every order-preserving placement is a candidate; candidates are
//! kept only if the catalog's formula rules hold on them (the row's own relations, e.g.
//! 合计 = 财政拨款 + … + 其他, and its relations to tables already read, e.g. the 合计 row of
//! 收入决算表 and lines 1–8 of 收入支出决算总表), then narrowed by the classification tree: a
//! column a parent row leaves blank, or that its placed children already exhaust, holds nothing
//! in the remaining children. A unique survivor is taken; anything else is reported as
//! ambiguous and left out of the checks. The relations that choose a placement are never the
//! evidence of an error: a row no placement satisfies is ambiguous, not wrong.

use juesuan_core::money::{AmountUnit, Printed};
use juesuan_core::rules::{CheckRow, CheckTable, Figure, RuleSet, Sheet};

/// A placement: cells by column key.
pub type Cells = Vec<(String, Figure)>;

/// Every way to choose `k` of `n` positions in order, at most `limit` of them.
fn combinations(n: usize, k: usize, limit: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    if k > n {
        return out;
    }
    let mut pick: Vec<usize> = (0..k).collect();
    loop {
        out.push(pick.clone());
        if out.len() >= limit {
            break;
        }
        // The rightmost position that can still move right.
        let Some(i) = (0..k).rev().find(|&i| pick[i] < n - k + i) else {
            break;
        };
        pick[i] += 1;
        for j in i + 1..k {
            pick[j] = pick[j - 1] + 1;
        }
    }
    out
}

/// Why a row has no candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoFit {
    /// More amounts than columns, beyond trailing zeros.
    TooMany,
    /// No placement satisfies the rules.
    Impossible,
}

/// The candidate placements of `amounts` in `columns` for `row` of `table`, given the tables
/// `placed` so far. `formula_rules` should hold the catalog's formula rules only (the builtin
/// checks of names and codes say nothing about one row).
pub fn candidates(
    formula_rules: &RuleSet,
    placed: &Sheet,
    table: &CheckTable,
    row: &CheckRow,
    columns: &[String],
    amounts: &[Printed],
    unit: AmountUnit,
) -> Result<Vec<Cells>, NoFit> {
    let fig = |p: Printed| Figure::Printed { value: p, unit };
    let n = columns.len();
    let mut amounts = amounts.to_vec();
    // Some extractions print one more 0.00 than there are columns (the seed's 公开02/03).
    while amounts.len() > n && amounts.last().is_some_and(|p| p.hundredths() == 0) {
        amounts.pop();
    }
    if amounts.len() > n {
        return Err(NoFit::TooMany);
    }
    let positional = |pick: &[usize]| -> Cells {
        pick.iter()
            .zip(&amounts)
            .map(|(&i, p)| (columns[i].clone(), fig(*p)))
            .collect()
    };
    if amounts.len() == n || amounts.is_empty() {
        return Ok(vec![positional(&(0..amounts.len()).collect::<Vec<_>>())]);
    }
    let holds = |cells: &Cells| {
        let mut r = row.clone();
        r.cells = cells.clone();
        let mut mini = placed.clone();
        mini.tables.retain(|t| t.id != table.id);
        mini.tables.push(CheckTable {
            rows: vec![r],
            absent_is_zero: false,
            partial: false,
            ..table.clone()
        });
        formula_rules.check(&mini, None).is_empty()
    };
    let fits: Vec<Cells> = combinations(n, amounts.len(), 5000)
        .iter()
        .map(|p| positional(p))
        .filter(holds)
        .collect();
    if fits.is_empty() {
        Err(NoFit::Impossible)
    } else {
        Ok(fits)
    }
}

/// Half a hundredth per printed term: how far a printed sum may be from its printed parts.
fn within(sum: i128, parent: i128, terms: usize) -> bool {
    2 * (sum - parent).abs() <= i128::try_from(terms).unwrap_or(i128::MAX)
}

fn value(cells: &Cells, key: &str) -> i128 {
    cells
        .iter()
        .find(|(k, _)| k == key)
        .map_or(0, |(_, f)| f.printed().hundredths())
}

/// Narrows the candidates of the children of each parent (`parent[i]` is the index of row
/// `i`'s parent, if any) until nothing changes: a column the parent leaves blank, or that the
/// children already placed add up to, takes nothing in a child still undecided.
pub fn narrow(candidates: &mut [Vec<Cells>], parent: &[Option<usize>], columns: &[String]) {
    loop {
        let mut changed = false;
        for p in 0..candidates.len() {
            let [parent_cells] = candidates[p].as_slice() else {
                continue;
            };
            let parent_cells = parent_cells.clone();
            let children: Vec<usize> = (0..candidates.len())
                .filter(|&c| parent[c] == Some(p))
                .collect();
            for key in columns {
                let target = value(&parent_cells, key);
                let decided: Vec<usize> = children
                    .iter()
                    .copied()
                    .filter(|&c| candidates[c].len() == 1)
                    .collect();
                let sum: i128 = decided.iter().map(|&c| value(&candidates[c][0], key)).sum();
                let exhausted = target == 0 || within(sum, target, decided.len() + 1);
                if !exhausted {
                    continue;
                }
                for &c in &children {
                    if candidates[c].len() > 1 {
                        let before = candidates[c].len();
                        let kept: Vec<Cells> = candidates[c]
                            .iter()
                            .filter(|cells| value(cells, key) == 0)
                            .cloned()
                            .collect();
                        // Never narrow to nothing: that is an inconsistency for the rules.
                        if !kept.is_empty() && kept.len() < before {
                            candidates[c] = kept;
                            changed = true;
                        }
                    }
                }
            }
        }
        if !changed {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_in_order() {
        let c = combinations(4, 2, 100);
        assert_eq!(
            c,
            vec![
                vec![0, 1],
                vec![0, 2],
                vec![0, 3],
                vec![1, 2],
                vec![1, 3],
                vec![2, 3]
            ]
        );
        assert_eq!(combinations(7, 3, 1000).len(), 35);
        assert_eq!(combinations(3, 3, 10), vec![vec![0, 1, 2]]);
        assert_eq!(combinations(3, 0, 10), vec![Vec::<usize>::new()]);
        assert!(combinations(2, 3, 10).is_empty());
    }

    fn cells(pairs: &[(&str, i128)]) -> Cells {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    Figure::Printed {
                        value: Printed::from_hundredths(*v),
                        unit: AmountUnit::Wan,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn a_column_the_parent_leaves_blank_is_blank_in_its_children() {
        let cols: Vec<String> = ["total", "fiscal", "other"].map(String::from).to_vec();
        // Parent: total 10, fiscal 10; the child's two amounts fit fiscal or other.
        let mut c = vec![
            vec![cells(&[("total", 1000), ("fiscal", 1000)])],
            vec![
                cells(&[("total", 1000), ("fiscal", 1000)]),
                cells(&[("total", 1000), ("other", 1000)]),
            ],
        ];
        narrow(&mut c, &[None, Some(0)], &cols);
        assert_eq!(c[1], vec![cells(&[("total", 1000), ("fiscal", 1000)])]);
    }
}
