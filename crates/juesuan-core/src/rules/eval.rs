//! Evaluating formulas over a [`Sheet`] with interval arithmetic, and the findings they give.

use super::RuleDef;
use super::finding::{
    Broken, Cell, CellPlace, CellValue, CellsPart, Column, Columns, Detail, Finding, Part, Passage,
    Place, RowKey, RowRef, Rows, Side, TableRef,
};
use super::formula::{
    CellRef, ColSel, Domain, Expr, Formula, Op, Relation, RowFilter, RowSel, Term,
};
use super::sheet::{CheckRow, CheckTable, Figure, Interval, Sheet};
use crate::money::AmountUnit;
use crate::views::RowKind;

/// A value of an expression: the interval of possible amounts, the sum of the printed figures
/// as they read, and (when described) the cells that made it and its terms.
#[derive(Clone, Debug)]
struct Value {
    interval: Interval,
    nominal: i128,
    exact: bool,
    cells: Vec<Cell>,
    terms: Vec<(i8, Part)>,
}

/// Why a binding could not be evaluated (a table or row the sheet lacks).
struct Skip;

/// Bound variables.
#[derive(Clone, Default)]
struct Env<'a> {
    rows: Vec<(&'a str, &'a CheckTable, &'a CheckRow)>,
    cols: Vec<(&'a str, String)>,
}

impl<'a> Env<'a> {
    fn row(&self, name: &str) -> Option<(&'a CheckTable, &'a CheckRow)> {
        self.rows
            .iter()
            .rev()
            .find(|(n, _, _)| *n == name)
            .map(|(_, t, r)| (*t, *r))
    }
    fn col(&self, name: &str) -> Option<&str> {
        self.cols
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c.as_str())
    }
}

/// Whether `row` is of one of `kinds`.
pub fn row_matches(row: &CheckRow, kinds: &[RowFilter]) -> bool {
    kinds.iter().any(|k| match k {
        RowFilter::All => true,
        RowFilter::Lei => row.kind == RowKind::Lei,
        RowFilter::Kuan => row.kind == RowKind::Kuan,
        RowFilter::Xiang => row.kind == RowKind::Xiang,
        RowFilter::Total => row.kind == RowKind::Total,
        RowFilter::Line => row.kind == RowKind::Line,
        RowFilter::Code => row.code.is_some(),
    })
}

fn zero_value() -> Value {
    Value {
        interval: Interval::point(0),
        nominal: 0,
        exact: true,
        cells: Vec::new(),
        terms: Vec::new(),
    }
}

/// The rows `sel` names in `table`, with `env`'s bound rows: the one reading of a row address,
/// for rules and for the cells test cases change ([`rows_named`]).
fn select<'a>(
    table: &'a CheckTable,
    sel: &RowSel,
    env: &Env<'a>,
) -> Result<Vec<&'a CheckRow>, Skip> {
    let rows = &table.rows;
    Ok(match sel {
        RowSel::Lines(a, b) => rows
            .iter()
            .filter(|r| r.line.is_some_and(|l| *a <= l && l <= *b))
            .collect(),
        RowSel::Code(c) => rows
            .iter()
            .filter(|r| r.code.as_deref() == Some(c))
            .collect(),
        RowSel::Label(l) => rows
            .iter()
            .filter(|r| r.line.is_none() && r.code.is_none() && r.compact_label() == *l)
            .collect(),
        RowSel::Only => {
            let all: Vec<&CheckRow> = rows.iter().collect();
            if all.len() != 1 {
                return Err(Skip);
            }
            all
        }
        RowSel::Var(v) => {
            let (t, r) = env.row(v).ok_or(Skip)?;
            if t.id != table.id {
                return Err(Skip);
            }
            vec![r]
        }
        RowSel::CodeOf(v) => {
            let (_, r) = env.row(v).ok_or(Skip)?;
            let code = r.code.as_deref().ok_or(Skip)?;
            rows.iter()
                .filter(|x| x.code.as_deref() == Some(code))
                .collect()
        }
        RowSel::Children(v) => {
            let (_, r) = env.row(v).ok_or(Skip)?;
            let code = r.code.as_deref().ok_or(Skip)?;
            rows.iter()
                .filter(|x| {
                    x.code
                        .as_deref()
                        .is_some_and(|c| c.len() == code.len() + 2 && c.starts_with(code))
                })
                .collect()
        }
        RowSel::Kinds(k) => rows.iter().filter(|r| row_matches(r, k)).collect(),
    })
}

/// The rows a row address outside any quantifier names in `table` (`L27`, `C2060101`,
/// `"合计"`, `_`, a range or a kind), as rules read them; `None` when it names none by itself
/// (a bound variable, or `_` in a table without exactly one row).
pub fn rows_named<'a>(table: &'a CheckTable, sel: &RowSel) -> Option<Vec<&'a CheckRow>> {
    select(table, sel, &Env::default()).ok()
}

#[derive(Clone, Copy)]
struct Ctx<'a, 'f> {
    sheet: &'a Sheet,
    unit: AmountUnit,
    /// Build the cells and texts a finding prints. Off for the first pass: most relations
    /// hold, and describing them took most of the time of a check; a relation that fails is
    /// evaluated again with it on.
    describe: bool,
    /// One row whose cells are read from elsewhere (the filling being tried, see [`Probe`]),
    /// and whether an evaluation read that row.
    focus: Option<Focus<'a, 'f>>,
}

/// The row of a [`Probe`], the cells to read in its place, and a flag set when a term selects it.
#[derive(Clone, Copy)]
struct Focus<'a, 'f> {
    row: &'a CheckRow,
    cells: &'f [(String, Figure)],
    touched: &'f std::cell::Cell<bool>,
}

impl<'a> Ctx<'a, '_> {
    fn table(&self, key: &str) -> Result<&'a CheckTable, Skip> {
        self.sheet.table(key).ok_or(Skip)
    }

    /// The rows a selector names in `table`.
    fn rows(
        &self,
        table: &'a CheckTable,
        sel: &RowSel,
        env: &Env<'a>,
    ) -> Result<Vec<&'a CheckRow>, Skip> {
        // A table with unreadable rows cannot say what a set of its rows adds up to.
        if table.partial
            && matches!(
                sel,
                RowSel::Lines(..) | RowSel::Only | RowSel::Children(_) | RowSel::Kinds(_)
            )
        {
            return Err(Skip);
        }
        select(table, sel, env)
    }

    /// The cells a column selector names in `row`.
    fn cells<'s>(
        &'s self,
        row: &'a CheckRow,
        sel: &ColSel,
        env: &Env<'a>,
    ) -> Result<Vec<&'s (String, Figure)>, Skip> {
        let all: &'s [(String, Figure)] = match self.focus {
            Some(f) if std::ptr::eq(f.row, row) => f.cells,
            _ => &row.cells,
        };
        Ok(match sel {
            ColSel::Implicit => {
                if all.len() != 1 {
                    return Err(Skip);
                }
                all.iter().collect()
            }
            ColSel::Name(n) => {
                let key = env.col(n).unwrap_or(n);
                all.iter().filter(|(c, _)| c == key).collect()
            }
            ColSel::Set(keys) => all.iter().filter(|(c, _)| keys.contains(c)).collect(),
        })
    }

    /// Which rows a term read, for its finding.
    fn rows_shown(&self, sel: &RowSel, env: &Env<'a>, found: &[&CheckRow]) -> Rows {
        match (sel, found) {
            (RowSel::Lines(a, b), _) if a != b => Rows::Range(*a, *b),
            (RowSel::Children(v), _) => Rows::Children(
                env.row(v)
                    .and_then(|(_, r)| r.code.clone())
                    .unwrap_or_default(),
            ),
            (RowSel::Kinds(k), _) => Rows::Kinds(k.clone()),
            (_, [one]) => Rows::One(RowRef::of(one)),
            (RowSel::Code(c), []) => Rows::Absent(RowKey::Code(c.clone())),
            (RowSel::Label(l), []) => Rows::Absent(RowKey::Label(l.clone())),
            (RowSel::Lines(a, _), []) => Rows::Absent(RowKey::Line(*a)),
            _ => Rows::Unknown,
        }
    }

    /// One term: a cell (absent → zero where the table prints only rows with amounts) or a sum;
    /// with what it read when described.
    fn term(&self, r: &CellRef, sum: bool, env: &Env<'a>) -> Result<(Value, Part), Skip> {
        let table = self.table(&r.table)?;
        let rows = self.rows(table, &r.row, env)?;
        if let Some(f) = self.focus
            && rows.iter().any(|row| std::ptr::eq(*row, f.row))
        {
            f.touched.set(true);
        }
        // An absent row is zero only in a table read in full.
        if rows.is_empty() && (!table.absent_is_zero || table.partial) {
            return Err(Skip);
        }
        let mut v = zero_value();
        let mut count = 0;
        for row in &rows {
            if row.uncertain {
                return Err(Skip);
            }
            let cells = self.cells(row, &r.col, env)?;
            for (col, fig) in cells {
                v.interval = v.interval.add(1, fig.interval());
                // What the figure reads as: an exact amount as itself, a printed one as printed.
                v.nominal += fig.nominal();
                v.exact &= fig.is_exact();
                if self.describe {
                    v.cells.push(Cell {
                        table: table.id.key().to_string(),
                        row: RowKey::of(row),
                        column: col.clone(),
                        value: CellValue::Figure(*fig),
                    });
                }
                count += 1;
            }
        }
        if !sum && count > 1 {
            return Err(Skip);
        }
        if !self.describe {
            return Ok((v, Part::Zero));
        }
        let column = |key: &str| Column {
            key: key.to_string(),
            info: table.columns.iter().find(|c| c.key == key).cloned(),
        };
        let columns = match &r.col {
            ColSel::Implicit => Columns::Implicit,
            ColSel::Name(n) => Columns::One(column(env.col(n).unwrap_or(n))),
            // The columns of the set the table prints (a family without 上缴上级支出 has
            // nothing to show for it).
            ColSel::Set(keys) => Columns::Set(
                keys.iter()
                    .filter(|k| {
                        table.columns.is_empty() || table.columns.iter().any(|c| c.key == **k)
                    })
                    .map(|k| column(k))
                    .collect(),
            ),
        };
        let part = Part::Cells(Box::new(CellsPart {
            sum,
            table: TableRef::of(table),
            rows: self.rows_shown(&r.row, env, &rows),
            columns,
            nominal: v.nominal,
        }));
        Ok((v, part))
    }

    fn expr(&self, e: &Expr, env: &Env<'a>) -> Result<Value, Skip> {
        let mut acc = zero_value();
        for (sign, t) in &e.terms {
            let (v, part) = match t {
                Term::Zero => (zero_value(), Part::Zero),
                // Terms of figure catalogs: rules cannot name them (the parser refuses them).
                Term::Figure(_)
                | Term::Input(_)
                | Term::Count(_)
                | Term::InputSum(_)
                | Term::Call(..) => return Err(Skip),
                Term::Cell(r) => self.term(r, false, env)?,
                Term::Sum(r) => self.term(r, true, env)?,
                Term::Group(g) => {
                    let mut v = self.expr(g, env)?;
                    let terms = std::mem::take(&mut v.terms);
                    (v, Part::Group(terms))
                }
            };
            acc.interval = acc.interval.add(*sign, v.interval);
            acc.nominal += i128::from(*sign) * v.nominal;
            acc.exact &= v.exact;
            if self.describe {
                acc.cells.extend(v.cells);
                acc.terms.push((*sign, part));
            }
        }
        Ok(acc)
    }

    /// `Some(true)` holds, `Some(false)` fails, `None` could not be evaluated.
    fn relation(&self, rel: &Relation, env: &Env<'a>) -> Result<(bool, Value, Value), Skip> {
        let l = self.expr(&rel.left, env)?;
        let r = self.expr(&rel.right, env)?;
        let holds = match rel.op {
            Op::Eq => l.interval.gap(r.interval) == 0,
            Op::Le => l.interval.lo <= r.interval.hi,
            Op::Ge => l.interval.hi >= r.interval.lo,
        };
        Ok((holds, l, r))
    }
}

/// What a cell reference of a figure or a claim comes to: the amounts it can stand for, the
/// sum of its figures as printed, and the cells it read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount {
    /// Whole 分 it can stand for.
    pub interval: Interval,
    /// The sum of its figures as they read (in 分).
    pub nominal: i128,
    /// Every figure read was exact (built from facts).
    pub exact: bool,
    /// The cells read.
    pub cells: Vec<Cell>,
}

/// What the cells `r` names come to on `sheet` (their sum when `sum`), or `None` when the sheet
/// cannot say: a table or row it lacks where absence is not zero, a row read without
/// certainty, several cells where one is named. The same reading as the rules'.
pub fn amount(sheet: &Sheet, r: &CellRef, sum: bool) -> Option<Amount> {
    let ctx = Ctx {
        sheet,
        unit: sheet.unit(),
        describe: true,
        focus: None,
    };
    let (v, _) = ctx.term(r, sum, &Env::default()).ok()?;
    Some(Amount {
        interval: v.interval,
        nominal: v.nominal,
        exact: v.exact,
        cells: v.cells,
    })
}

/// Evaluates one formula of `def` over every binding of its quantifiers.
pub fn evaluate(def: &RuleDef, source: &str, f: &Formula, sheet: &Sheet) -> Vec<Finding> {
    let ctx = Ctx {
        sheet,
        unit: sheet.unit(),
        describe: false,
        focus: None,
    };
    let mut out = Vec::new();
    bind(&ctx, f, 0, Env::default(), &mut |env| {
        if !holds(&ctx, f, &env) {
            let full = Ctx {
                describe: true,
                ..ctx
            };
            if let Ok((_, l, r)) = full.relation(&f.relation, &env) {
                out.push(finding(&full, def, source, &f.relation, l, r));
            }
        }
    });
    out
}

/// Every relation `f` states on `sheet` (one per binding of its quantifiers), with the cells it
/// reads and whether it holds, given to `visit`: what a reader is shown of the checks behind a
/// cell. Bindings that cannot be evaluated (a cell the sheet cannot say) are left out.
pub fn trace(f: &Formula, sheet: &Sheet, visit: &mut dyn FnMut(&[Cell], bool)) {
    let ctx = Ctx {
        sheet,
        unit: sheet.unit(),
        describe: true,
        focus: None,
    };
    bind(&ctx, f, 0, Env::default(), &mut |env| {
        if let Ok((held, l, r)) = ctx.relation(&f.relation, &env) {
            let cells: Vec<Cell> = l.cells.into_iter().chain(r.cells).collect();
            visit(&cells, held && holds(&ctx, f, &env));
        }
    });
}

/// Every binding of `f`'s quantifiers from `depth` on, in order, given to `visit`.
fn bind<'a>(
    ctx: &Ctx<'a, '_>,
    f: &'a Formula,
    depth: usize,
    env: Env<'a>,
    visit: &mut dyn FnMut(Env<'a>),
) {
    // A formula over rows the layouts never print has nothing to check ([`Sheet::prints`]).
    if depth == 0 && !ctx.sheet.prints(f) {
        return;
    }
    if let Some((name, domain)) = f.bindings.get(depth) {
        let name: &'a str = name.as_str();
        match domain {
            Domain::Rows(table, kinds) => {
                let Ok(t) = ctx.table(table) else { return };
                for row in t.rows.iter().filter(|r| row_matches(r, kinds)) {
                    let mut e = env.clone();
                    e.rows.push((name, t, row));
                    bind(ctx, f, depth + 1, e, visit);
                }
            }
            Domain::Cols(table) => {
                let Ok(t) = ctx.table(table) else { return };
                for c in &t.columns {
                    let mut e = env.clone();
                    e.cols.push((name, c.key.clone()));
                    bind(ctx, f, depth + 1, e, visit);
                }
            }
        }
        return;
    }
    visit(env);
}

/// Whether one binding of `f` holds: its condition does not hold, or cannot be evaluated, or
/// its relation holds or cannot be evaluated.
fn holds(ctx: &Ctx<'_, '_>, f: &Formula, env: &Env<'_>) -> bool {
    if let Some(w) = &f.when {
        match ctx.relation(w, env) {
            Ok((true, _, _)) => {}
            _ => return true,
        }
    }
    !matches!(ctx.relation(&f.relation, env), Ok((false, _, _)))
}

/// One row of a sheet tried with many fillings (a published report's row whose blank cells
/// were dropped, so its amounts could stand in several columns): the bindings of the formulas
/// that never read the row are evaluated once, and each filling only re-evaluates those that
/// do. [`Probe::holds`] answers as `check(..).is_empty()` would on the sheet with the row so
/// filled, for formula rules (builtin checks are not run).
pub struct Probe<'a> {
    sheet: &'a Sheet,
    row: &'a CheckRow,
    /// A binding that does not read the row fails: no filling holds.
    fails_anyway: bool,
    /// The bindings that read the row, in catalog order.
    reading: Vec<(&'a Formula, Env<'a>)>,
}

impl<'a> Probe<'a> {
    /// Prepares `formulas` over `sheet` for fillings of row `row` of table `table` (indices
    /// into `sheet.tables` and its rows).
    pub fn new(
        formulas: impl IntoIterator<Item = &'a Formula>,
        sheet: &'a Sheet,
        table: usize,
        row: usize,
    ) -> Probe<'a> {
        let focus_row = &sheet.tables[table].rows[row];
        let touched = std::cell::Cell::new(false);
        let ctx = Ctx {
            sheet,
            unit: sheet.unit(),
            describe: false,
            focus: Some(Focus {
                row: focus_row,
                cells: &focus_row.cells,
                touched: &touched,
            }),
        };
        let mut fails_anyway = false;
        let mut reading = Vec::new();
        for f in formulas {
            bind(&ctx, f, 0, Env::default(), &mut |env| {
                touched.set(false);
                let ok = holds(&ctx, f, &env);
                if touched.get() {
                    reading.push((f, env));
                } else if !ok {
                    fails_anyway = true;
                }
            });
        }
        Probe {
            sheet,
            row: focus_row,
            fails_anyway,
            reading,
        }
    }

    /// Whether every formula holds with the row's cells replaced by `cells`.
    pub fn holds(&self, cells: &[(String, Figure)]) -> bool {
        if self.fails_anyway {
            return false;
        }
        let touched = std::cell::Cell::new(false);
        let ctx = Ctx {
            sheet: self.sheet,
            unit: self.sheet.unit(),
            describe: false,
            focus: Some(Focus {
                row: self.row,
                cells,
                touched: &touched,
            }),
        };
        self.reading.iter().all(|(f, env)| holds(&ctx, f, env))
    }
}

fn finding(
    ctx: &Ctx<'_, '_>,
    def: &RuleDef,
    source: &str,
    rel: &Relation,
    mut l: Value,
    mut r: Value,
) -> Finding {
    let cells: Vec<Cell> = std::mem::take(&mut l.cells)
        .into_iter()
        .chain(std::mem::take(&mut r.cells))
        .collect();
    // Where: the first cell of the left side (else of the right), the row its address names.
    let place = match cells.first() {
        None => Place::Nowhere,
        Some(c) => {
            let t = ctx.sheet.table(&c.table);
            let row = t.and_then(|t| t.rows.iter().find(|x| RowKey::of(x) == c.row));
            Place::Cell(Box::new(CellPlace {
                table: t.map(TableRef::of).unwrap_or_else(|| TableRef {
                    key: c.table.clone(),
                    ..TableRef::default()
                }),
                row: row.map(RowRef::of),
                column: c.column.clone(),
                source: row.and_then(|x| x.source_line).map(|line| Passage {
                    line,
                    page: None,
                    text: None,
                }),
            }))
        }
    };
    let side = |v: Value| Side {
        interval: v.interval,
        nominal: v.nominal,
        exact: v.exact,
        terms: v.terms,
    };
    Finding {
        rule: def.id.clone(),
        severity: def.severity,
        scope: def.scope,
        place,
        message: def.title.clone(),
        hint: def.hint.clone(),
        detail: Detail::Relation(Box::new(Broken {
            source: source.to_string(),
            op: rel.op,
            left: side(l),
            right: side(r),
            unit: ctx.unit,
        })),
        cells,
        review: None,
    }
}
