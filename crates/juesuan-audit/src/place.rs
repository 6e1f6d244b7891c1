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

use crate::text::Span;
use juesuan_core::money::{AmountUnit, Printed};
use juesuan_core::rules::eval::Probe;
use juesuan_core::rules::{CheckRow, CheckTable, Figure, RuleSet, Sheet};

/// A placement: cells by column key.
pub type Cells = Vec<(String, Figure)>;

/// A value column of a printed table (PDF input): its panel, its key, and where its header is
/// printed across the page, when the header's words were found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueColumn {
    /// The panel it belongs to.
    pub panel: usize,
    /// Its key (`total`, `fiscal`…).
    pub key: String,
    /// The horizontal extent of its header's words.
    pub header: Option<Span>,
}

/// Where a table's amounts are printed: the groups of amounts that share a column (their
/// horizontal extents overlap, left to right) and the value column under which each group
/// stands, when that is certain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnsAt {
    /// Each group's extent and the index of its value column.
    pub groups: Vec<(Span, Option<usize>)>,
}

impl ColumnsAt {
    /// Groups the amounts printed at `amounts` and finds each group's column among
    /// `columns` (all the table's value columns, left to right):
    ///
    /// - by the headers, when every column's header was found (in whatever order they are
    ///   printed): a group belongs to the column whose share of the line (from halfway to the
    ///   header on its left to halfway to the one on its right) holds the whole group, and no
    ///   other group does;
    /// - else in order, when there are as many groups as columns and each header that was found
    ///   stands nearer its own group than any other;
    /// - else by the headers found, when some are not printed (another region's set of the
    ///   kind's columns) and every group has a found header's share to itself.
    ///
    /// When the first two apply they must agree; otherwise no group has a column.
    ///
    /// `as_printed`: the headers' own order and subsets are trusted (words a PDF, a workbook or
    /// a page prints); for words recognised from a scan only the layout's order is, since a
    /// header misread, or read at the wrong place, would move figures between columns.
    pub fn find(columns: &[ValueColumn], amounts: &[Span], as_printed: bool) -> ColumnsAt {
        let mut sorted = amounts.to_vec();
        sorted.sort();
        let mut groups: Vec<Span> = Vec::new();
        for a in sorted {
            match groups.last_mut() {
                Some(g) if a.min < g.max => *g = g.union(a),
                _ => groups.push(a),
            }
        }
        // The headers found, left to right as printed (a region may print the kind's columns
        // in another order).
        let mut anchors: Vec<(usize, i64)> = columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.header.map(|h| (i, h.centre2())))
            .collect();
        let in_layout_order = anchors.windows(2).all(|w| w[0].1 < w[1].1);
        anchors.sort_by_key(|(_, x)| *x);
        let distinct =
            anchors.windows(2).all(|w| w[0].1 < w[1].1) && (as_printed || in_layout_order);
        // Each group to the column whose share of the line holds it: from halfway to the
        // header on its left to halfway to the one on its right; two groups under one header
        // leave both without a column.
        let shares = || -> Vec<Option<usize>> {
            let found: Vec<Option<usize>> = groups
                .iter()
                .map(|g| {
                    // In units of half a hundredth, like the anchors.
                    let (lo, hi) = (2 * i64::from(g.min), 2 * i64::from(g.max));
                    (0..anchors.len())
                        .find(|&j| {
                            let left = j.checked_sub(1).map(|i| (anchors[i].1 + anchors[j].1) / 2);
                            let right = anchors.get(j + 1).map(|n| (anchors[j].1 + n.1) / 2);
                            left.is_none_or(|l| l <= lo) && right.is_none_or(|r| hi <= r)
                        })
                        .map(|j| anchors[j].0)
                })
                .collect();
            found
                .iter()
                .map(|c| c.filter(|c| found.iter().filter(|d| **d == Some(*c)).count() == 1))
                .collect()
        };
        let by_header = (anchors.len() == columns.len() && distinct).then(shares);
        // Only some headers found: a region's table without some of the kind's columns. Taken
        // only when every group of amounts stands under its own found header — a printed
        // column whose header was not read would be a group too many, and nothing is placed.
        let by_found = (as_printed
            && anchors.len() < columns.len()
            && anchors.len() >= 2
            && distinct
            && groups.len() <= anchors.len())
        .then(shares)
        .filter(|s| s.iter().all(Option::is_some));
        // In order, unless a header that was found stands nearer another group.
        let in_order: Option<Vec<Option<usize>>> = (groups.len() == columns.len()
            && columns.iter().enumerate().all(|(i, c)| {
                let Some(h) = c.header else { return true };
                let nearest = groups
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, g)| (g.centre2() - h.centre2()).abs())
                    .map(|(j, _)| j);
                nearest == Some(i)
            }))
        .then(|| (0..groups.len()).map(Some).collect());
        let assigned = match (by_header, in_order) {
            (Some(h), Some(o)) if h == o => h,
            (Some(_), Some(_)) => vec![None; groups.len()],
            (Some(h), None) => h,
            (None, Some(o)) => o,
            (None, None) => by_found.unwrap_or_else(|| vec![None; groups.len()]),
        };
        ColumnsAt {
            groups: groups.into_iter().zip(assigned).collect(),
        }
    }

    /// The column of an amount printed at `x` (groups are disjoint, left to right).
    fn column_of(&self, x: Span) -> Option<usize> {
        let i = self.groups.partition_point(|(g, _)| g.max < x.max);
        self.groups
            .get(i)
            .filter(|(g, _)| g.min <= x.min && x.max <= g.max)
            .and_then(|(_, c)| *c)
    }
}

/// The placement of a row's amounts by where they are printed: each amount in the column its
/// group stands under. `None` unless every amount has a position and a column of the row's
/// panel, and no two share a column; the rules then decide ([`candidates`]).
pub fn by_position(
    at: &ColumnsAt,
    columns: &[ValueColumn],
    panel: usize,
    keys: &[String],
    amounts: &[Printed],
    xs: &[Option<Span>],
    unit: AmountUnit,
) -> Option<Cells> {
    if amounts.is_empty() || amounts.len() != xs.len() {
        return None;
    }
    let mut placed: Vec<(usize, Printed)> = Vec::with_capacity(amounts.len());
    for (p, x) in amounts.iter().zip(xs) {
        let c = &columns[at.column_of((*x)?)?];
        let k = keys
            .iter()
            .position(|k| *k == c.key)
            .filter(|_| c.panel == panel)?;
        if placed.iter().any(|(j, _)| *j == k) {
            return None;
        }
        placed.push((k, *p));
    }
    placed.sort_by_key(|(k, _)| *k);
    Some(
        placed
            .into_iter()
            .map(|(k, p)| (keys[k].clone(), Figure::Printed { value: p, unit }))
            .collect(),
    )
}

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

/// `table` without rows, to stand in a sheet while its rows are placed one at a time
/// ([`candidates`] puts the row being placed in it; the rules see this row alone).
pub fn row_table(table: &CheckTable) -> CheckTable {
    CheckTable {
        rows: Vec::new(),
        absent_is_zero: false,
        partial: false,
        ..table.clone()
    }
}

/// The candidate placements of `amounts` in `columns` for `row`, on `sheet`: the tables
/// placed so far, with [`row_table`] of the row's table at `at`. `formula_rules` should hold
/// the catalog's formula rules only (the builtin checks of names and codes say nothing about
/// one row).
pub fn candidates(
    formula_rules: &RuleSet,
    sheet: &mut Sheet,
    at: usize,
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
    // One sheet for every candidate: the tables placed so far and this row alone.
    sheet.tables[at].rows = vec![row.clone()];
    let mini = &mut *sheet;
    let mut fits: Vec<Cells> = Vec::new();
    if formula_rules.rules.iter().any(|r| r.def.builtin.is_some()) {
        // A builtin check needs the whole sheet each time.
        for pick in combinations(n, amounts.len(), 5000) {
            let cells = positional(&pick);
            mini.tables[at].rows[0].cells = cells.clone();
            if formula_rules.check(mini, None).is_empty() {
                fits.push(cells);
            }
        }
    } else {
        // The relations that do not read this row are evaluated once; each placement
        // re-evaluates only those that do (most of the catalog is about other rows).
        let probe = Probe::new(
            formula_rules.rules.iter().flat_map(|r| &r.formulas),
            mini,
            at,
            0,
        );
        for pick in combinations(n, amounts.len(), 5000) {
            let cells = positional(&pick);
            if probe.holds(&cells) {
                fits.push(cells);
            }
        }
    }
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
            let decided: Vec<usize> = children
                .iter()
                .copied()
                .filter(|&c| candidates[c].len() == 1)
                .collect();
            // The columns the parent leaves blank or its placed children already exhaust.
            let exhausted: Vec<&String> = columns
                .iter()
                .filter(|key| {
                    let target = value(&parent_cells, key);
                    let sum: i128 = decided.iter().map(|&c| value(&candidates[c][0], key)).sum();
                    target == 0 || within(sum, target, decided.len() + 1)
                })
                .collect();
            if exhausted.is_empty() {
                continue;
            }
            for &c in &children {
                if candidates[c].len() > 1 {
                    let before = candidates[c].len();
                    // Every exhausted column at once: narrowing one column after another
                    // would keep whatever the last one leaves when together they leave
                    // nothing (a parent read without its amounts).
                    let kept: Vec<Cells> = candidates[c]
                        .iter()
                        .filter(|cells| exhausted.iter().all(|key| value(cells, key) == 0))
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

    fn span(min: i32, max: i32) -> Span {
        Span { min, max }
    }

    fn column(panel: usize, key: &str, header: Option<Span>) -> ValueColumn {
        ValueColumn {
            panel,
            key: key.to_string(),
            header,
        }
    }

    #[test]
    fn amounts_go_under_the_columns_they_are_printed_in() {
        // 支出决算表 of report 02 (page 10): six columns, amounts only under the first three.
        let columns: Vec<ValueColumn> = [
            ("total", 29100, 35400),
            ("basic", 38300, 42600),
            ("project", 46600, 50800),
            ("to_superior", 53700, 60000),
            ("operating", 63000, 67200),
            ("to_subsidiaries", 70200, 76500),
        ]
        .iter()
        .map(|(k, a, b)| column(0, k, Some(span(*a, *b))))
        .collect();
        let keys: Vec<String> = columns.iter().map(|c| c.key.clone()).collect();
        let amounts = [
            span(32100, 35800),
            span(40400, 44000),
            span(48600, 52200),
            span(50100, 52300),
            span(33700, 35800),
        ];
        let at = ColumnsAt::find(&columns, &amounts, true);
        assert_eq!(
            at.groups.iter().map(|(_, c)| *c).collect::<Vec<_>>(),
            [Some(0), Some(1), Some(2)]
        );
        let p = |h| Printed::from_hundredths(h);
        // 2200199: 45.00 under 本年支出合计 and 项目支出, nothing under 基本支出.
        let cells = by_position(
            &at,
            &columns,
            0,
            &keys,
            &[p(4500), p(4500)],
            &[Some(span(33700, 35800)), Some(span(50100, 52300))],
            AmountUnit::Wan,
        )
        .unwrap();
        assert_eq!(cells, self::cells(&[("total", 4500), ("project", 4500)]));
        // Two amounts under one column, or one without a position: the rules decide.
        let two = [Some(span(32100, 35800)), Some(span(33700, 35800))];
        assert!(
            by_position(
                &at,
                &columns,
                0,
                &keys,
                &[p(1), p(2)],
                &two,
                AmountUnit::Wan
            )
            .is_none()
        );
        assert!(by_position(&at, &columns, 0, &keys, &[p(1)], &[None], AmountUnit::Wan).is_none());
        // A column of another panel.
        assert!(
            by_position(&at, &columns, 1, &keys, &[p(1)], &two[..1], AmountUnit::Wan).is_none()
        );
    }

    #[test]
    fn without_headers_groups_go_in_order_only_when_they_are_as_many_as_the_columns() {
        let columns = vec![column(0, "a", None), column(0, "b", None)];
        let amounts = [span(100, 200), span(300, 400), span(150, 210)];
        let at = ColumnsAt::find(&columns, &amounts, true);
        assert_eq!(
            at.groups,
            vec![(span(100, 210), Some(0)), (span(300, 400), Some(1))]
        );
        let at = ColumnsAt::find(&columns, &amounts[..1], true);
        assert_eq!(at.groups, vec![(span(100, 200), None)]);
        // Headers that disagree with the order: nothing is certain.
        let columns = vec![
            column(0, "a", Some(span(0, 50))),
            column(0, "b", Some(span(60, 90))),
        ];
        let at = ColumnsAt::find(&columns, &amounts, true);
        assert!(at.groups.iter().all(|(_, c)| c.is_none()));
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
