//! The cheapest way to give distinct keys to a table's printed columns (the Hungarian method,
//! in integers): which column is which when a heading is spread over several header rows.

/// A pair that may not be chosen.
pub const FORBIDDEN: i64 = 1_000_000_000_000_000;
/// What leaving a row without a column costs: more than any real pair, less than a forbidden
/// one, so that as many rows as possible are given a column.
const UNMATCHED: i64 = 10_000_000_000_000;

/// The cheapest assignment of rows to distinct columns, a row left without one where every
/// column is forbidden to it or taken; and whether it is the only cheapest one.
///
/// `cost[i][j]` is what giving column `j` to row `i` costs ([`FORBIDDEN`]: never).
pub fn assign(cost: &[Vec<i64>]) -> (Vec<Option<usize>>, bool) {
    let n = cost.len();
    if n == 0 {
        return (Vec::new(), true);
    }
    let m = cost[0].len();
    // Each row may also take a column of its own that stands for "none".
    let padded: Vec<Vec<i64>> = cost
        .iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter()
                .copied()
                .chain((0..n).map(|k| if k == i { UNMATCHED } else { FORBIDDEN }))
                .collect()
        })
        .collect();
    let (best, total) = hungarian(&padded);
    let chosen: Vec<Option<usize>> = best
        .iter()
        .enumerate()
        .map(|(i, &j)| (j < m && cost[i][j] < FORBIDDEN).then_some(j))
        .collect();
    // Unique when forbidding any pair chosen makes the assignment dearer.
    let unique = chosen.iter().enumerate().all(|(i, j)| {
        let Some(j) = *j else { return true };
        let mut other = padded.clone();
        other[i][j] = FORBIDDEN;
        hungarian(&other).1 > total
    });
    (chosen, unique)
}

/// The Hungarian method for an n × m matrix, n ≤ m: each row's column and the total cost.
fn hungarian(cost: &[Vec<i64>]) -> (Vec<usize>, i64) {
    let n = cost.len();
    let m = cost[0].len();
    let inf = i64::MAX / 4;
    let mut u = vec![0i64; n + 1];
    let mut v = vec![0i64; m + 1];
    let mut p = vec![0usize; m + 1];
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![inf; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = inf;
            let mut j1 = 0;
            for j in 1..=m {
                if !used[j] {
                    let cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut rows = vec![0usize; n];
    for j in 1..=m {
        if p[j] != 0 {
            rows[p[j] - 1] = j - 1;
        }
    }
    let total = rows.iter().enumerate().map(|(i, &j)| cost[i][j]).sum();
    (rows, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cheapest_distinct_columns() {
        const F: i64 = FORBIDDEN;
        // Row 0 can only take column 0; row 1 prefers 0 but must take 1.
        let (a, unique) = assign(&[vec![5, F], vec![1, 10]]);
        assert_eq!(a, [Some(0), Some(1)]);
        assert!(unique);
        // Two rows, one column: the cheaper gets it, the other none.
        let (a, _) = assign(&[vec![3], vec![1]]);
        assert_eq!(a, [None, Some(0)]);
        // A tie is not unique.
        let (a, unique) = assign(&[vec![1, 1], vec![1, 1]]);
        assert!(a.iter().all(Option::is_some));
        assert!(!unique);
        // Nothing allowed: nothing chosen.
        assert_eq!(assign(&[vec![F, F]]).0, [None]);
    }
}
