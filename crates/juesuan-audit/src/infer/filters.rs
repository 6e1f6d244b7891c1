//! The filters of a drafted table: what its columns mean, from the known layouts.
//!
//! A known layout of the same table that has every column the report prints gives its filters
//! as it writes them (table, panel, column). Otherwise each column's whole filter (table, panel
//! and column together) is taken where a known layout has that column: in the same table, else
//! in a table of the kind whose column of that key has the same name (the kind says they mean
//! the same: a 国有资本经营 table's 年初结转和结余 is the 政府性基金 one's, for another fund),
//! with what the same table's known filter says of the whole table (its fund) kept; else from
//! the vocabulary term the key names. What all the columns share becomes the table's filter.

use super::term_filter;
use juesuan_core::kind::{Kind, RowsBy, TableDef};
use juesuan_core::layout::{ColumnKind, Filter, Layout, PanelLayout, TableLayout};
use std::sync::Arc;

/// Filters of a table, its panels and each panel's value columns.
#[derive(Clone, Debug, Default)]
pub(super) struct Filters {
    pub table: Filter,
    pub panels: Vec<Filter>,
    pub columns: Vec<Vec<Filter>>,
    /// Keys whose filter no known layout gives.
    pub guessed: Vec<String>,
}

macro_rules! fields {
    ($m:ident) => {
        $m!(dataset);
        $m!(fund);
        $m!(kind);
        $m!(balance);
        $m!(category);
        $m!(scenario);
        $m!(function);
        $m!(economic);
        $m!(detail);
    };
}

/// `b` over `a`: each dimension `b` sets, else `a`'s.
fn merge(a: &Filter, b: &Filter) -> Filter {
    let mut out = a.clone();
    macro_rules! m {
        ($f:ident) => {
            if b.$f.is_some() {
                out.$f = b.$f.clone();
            }
        };
    }
    fields!(m);
    out
}

/// What every filter of `fs` sets alike.
fn common(fs: &[Filter]) -> Filter {
    let mut out = Filter::default();
    let Some(first) = fs.first() else {
        return out;
    };
    macro_rules! m {
        ($f:ident) => {
            if first.$f.is_some() && fs.iter().all(|x| x.$f == first.$f) {
                out.$f = first.$f.clone();
            }
        };
    }
    fields!(m);
    out
}

/// `f` without the dimensions `c` sets.
fn minus(f: &Filter, c: &Filter) -> Filter {
    let mut out = f.clone();
    macro_rules! m {
        ($f:ident) => {
            if c.$f.is_some() {
                out.$f = None;
            }
        };
    }
    fields!(m);
    out
}

/// The panel of `t` that stands for panel `p` of a table whose rows are `by`: the same one for
/// fixed lines, else the p-th (or first) panel of the same kind.
fn panel_of(t: &TableLayout, p: usize, by: RowsBy) -> Option<&PanelLayout> {
    let same = |x: &&PanelLayout| match by {
        RowsBy::Function => matches!(x, PanelLayout::Function { .. }),
        RowsBy::Economic => matches!(x, PanelLayout::Economic { .. }),
        RowsBy::Lines | RowsBy::Single => true,
    };
    match by {
        RowsBy::Lines | RowsBy::Single => t.panels.get(p),
        _ => t
            .panels
            .iter()
            .filter(same)
            .nth(p)
            .or_else(|| t.panels.iter().find(same)),
    }
}

/// A value column of `key` in `t`: in panel `p` if it has one there, else in any panel, with
/// its panel.
fn column<'a>(t: &'a TableLayout, p: usize, key: &str) -> Option<(&'a PanelLayout, &'a Filter)> {
    let find = |panel: &'a PanelLayout| {
        panel
            .columns()
            .iter()
            .find(|c| c.kind == ColumnKind::Value && c.key.as_deref() == Some(key))
            .map(|c| (panel, &c.filter))
    };
    t.panels
        .get(p)
        .and_then(find)
        .or_else(|| t.panels.iter().find_map(find))
}

/// The filters of a table of `def` (rows `by`) whose panels print the value columns `keys`, with
/// `reference` the known layout of the same table, if any.
pub(super) fn filters(
    kind: &Kind,
    def: &TableDef,
    reference: Option<&TableLayout>,
    known: &[Arc<Layout>],
    by: RowsBy,
    keys: &[Vec<String>],
) -> Filters {
    let all_known = reference.is_some_and(|t| {
        keys.iter()
            .enumerate()
            .all(|(p, ks)| ks.iter().all(|k| column(t, p, k).is_some()))
    });
    let mut out = Filters::default();
    if let (true, Some(t)) = (all_known, reference) {
        out.table = t.filter.clone();
        for (p, ks) in keys.iter().enumerate() {
            out.panels.push(
                panel_of(t, p, by)
                    .map(|x| x.filter().clone())
                    .unwrap_or_default(),
            );
            out.columns.push(
                ks.iter()
                    .map(|k| column(t, p, k).map(|(_, f)| f.clone()).unwrap_or_default())
                    .collect(),
            );
        }
        return out;
    }
    // Each column's whole filter.
    let lines = by == RowsBy::Lines;
    let mut whole: Vec<Vec<Filter>> = Vec::new();
    for (p, ks) in keys.iter().enumerate() {
        let mut cols = Vec::new();
        for k in ks {
            let own = reference.and_then(|t| {
                column(t, p, k).map(|(panel, f)| {
                    if lines {
                        f.clone()
                    } else {
                        merge(&merge(&t.filter, panel.filter()), f)
                    }
                })
            });
            let sibling = || {
                let name = def.column(k).map(|c| c.name.zh.clone());
                known
                    .iter()
                    .flat_map(|l| l.tables.iter())
                    .filter(|t| t.id != def.key)
                    .filter(|t| {
                        kind.table(t.id.key())
                            .and_then(|d| d.column(k))
                            .is_some_and(|c| Some(&c.name.zh) == name.as_ref())
                    })
                    .find_map(|t| {
                        column(t, p, k).map(|(panel, f)| {
                            let w = merge(&merge(&t.filter, panel.filter()), f);
                            // What the same table says of itself (its fund) over the other's.
                            match reference {
                                Some(r) => {
                                    let mut mine = r.filter.clone();
                                    mine.dataset = None;
                                    merge(&w, &mine)
                                }
                                None => w,
                            }
                        })
                    })
            };
            match own.or_else(sibling) {
                Some(f) => cols.push(f),
                None => {
                    out.guessed.push(k.clone());
                    cols.push(term_filter(def, k));
                }
            }
        }
        whole.push(cols);
    }
    if lines {
        // Fixed lines keep the known panels' filters; columns theirs.
        out.table = reference.map(|t| t.filter.clone()).unwrap_or_default();
        for p in 0..keys.len() {
            out.panels.push(
                reference
                    .and_then(|t| t.panels.get(p))
                    .map(|x| x.filter().clone())
                    .unwrap_or_default(),
            );
        }
        out.columns = whole;
        return out;
    }
    let flat: Vec<Filter> = whole.iter().flatten().cloned().collect();
    out.table = common(&flat);
    out.panels = vec![Filter::default(); keys.len()];
    out.columns = whole
        .iter()
        .map(|cols| cols.iter().map(|f| minus(f, &out.table)).collect())
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Filter {
        toml::from_str(s).unwrap()
    }

    #[test]
    fn what_columns_share_is_the_tables() {
        let cols = [
            f(
                "dataset = \"balance\"\nbalance = [\"年初结转和结余\"]\nfund = [\"国有资本经营预算财政拨款\"]",
            ),
            f("dataset = \"expenditure\"\nfund = [\"国有资本经营预算财政拨款\"]"),
        ];
        let c = common(&cols);
        assert_eq!(c, f("fund = [\"国有资本经营预算财政拨款\"]"));
        assert_eq!(minus(&cols[1], &c), f("dataset = \"expenditure\""));
        assert_eq!(
            merge(&f("dataset = \"income\""), &f("fund = [\"财政拨款\"]")),
            f("dataset = \"income\"\nfund = [\"财政拨款\"]")
        );
    }
}
