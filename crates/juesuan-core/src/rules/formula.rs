//! The formula language of rules: relations between named cells of the views.
//!
//! ```text
//! formula  := [ "for" binding ("," binding)* ":" ] relation [ "when" relation ]
//! binding  := NAME "in" ( "rows" "(" TABLE [ "," kinds ] ")" | "cols" "(" TABLE ")" )
//! kinds    := KIND ( "|" KIND )*        KIND: lei kuan xiang total line code all
//! relation := expr ( "=" | "<=" | ">=" ) expr
//! expr     := [ "-" ] term ( ( "+" | "-" ) term )*
//! term     := "sum" "(" ref ")" | ref | "0" | "(" expr ")"
//! ref      := TABLE "[" row [ "," col ] "]"
//! row      := "L" INT [ ".." "L" INT ]     行次 (a range only inside sum)
//!           | "C" DIGITS                   a classification code
//!           | "\"" LABEL "\""              a row label without spaces, e.g. "合计"
//!           | "_"                          the table's only data row (公开09)
//!           | NAME                         a bound row
//!           | "code(" NAME ")"             the row with the bound row's code
//!           | "children(" NAME ")"         the rows one level below the bound row (sum only)
//!           | "kind(" kinds ")"            every row of those kinds (sum only)
//! col      := KEY                          a column key of the table (`fiscal`, `basic`…)
//!           | NAME                         a bound column
//!           | "{" KEY ( "," KEY )* "}"     several columns (only inside sum)
//! ```
//!
//! Columns are named by what they mean (the column keys of the document kind's tables,
//! [`crate::kind::TableDef::columns`]), so one rule serves every layout; 行次 are the national
//! template's.
//!
//! Figure catalogs ([`crate::figures`]) define figures in the same language, with a few more
//! terms ([`parse_figure`]):
//!
//! ```text
//! figure   := expr [ "/" expr ]                a ratio when there is a "/"
//! term     += "@" KEY                          another figure of the catalog
//!           | "input(" PATH ")"                a number of the department's own input
//!           | "count(input(" PATH "))"         how many entries a list or table of it has
//!           | "sum(input(" PATH "))"           the sum of the numbers the path selects
//!           | NAME "(" expr ("," expr)* ")"    a function: first(a, b, …), execution_score(actual,
//!                                              budget), project_score(input(…)),
//!                                              department_score(input(…))
//! ```
//!
//! Examples: `summary[L27] = sum(summary[L1..L8])`;
//! `for r in rows(income, lei|kuan), c in cols(income): income[r, c] = sum(income[children(r), c])`.

use serde::Serialize;
use std::fmt;

/// Kinds of rows a quantifier or `kind(...)` selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowFilter {
    /// 类 rows.
    Lei,
    /// 款 rows.
    Kuan,
    /// 项 rows.
    Xiang,
    /// Totals (合计, 总计, footer totals).
    Total,
    /// Fixed lines of `lines` panels.
    Line,
    /// Any row that has a classification code.
    Code,
    /// Every row with values.
    All,
}

impl RowFilter {
    /// True for the kinds only rows with classification codes are (类, 款, 项, any code).
    pub fn needs_code(&self) -> bool {
        matches!(
            self,
            RowFilter::Lei | RowFilter::Kuan | RowFilter::Xiang | RowFilter::Code
        )
    }

    fn parse(s: &str) -> Option<RowFilter> {
        Some(match s {
            "lei" => RowFilter::Lei,
            "kuan" => RowFilter::Kuan,
            "xiang" => RowFilter::Xiang,
            "total" => RowFilter::Total,
            "line" => RowFilter::Line,
            "code" => RowFilter::Code,
            "all" => RowFilter::All,
            _ => return None,
        })
    }
}

/// A row selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowSel {
    /// 行次 `from..=to` (a single line when equal).
    Lines(u32, u32),
    /// The row with this code.
    Code(String),
    /// The row with this label (spaces ignored).
    Label(String),
    /// The table's only data row.
    Only,
    /// A bound row variable.
    Var(String),
    /// The row, in this table, with the code of a bound row.
    CodeOf(String),
    /// The rows one level below a bound row.
    Children(String),
    /// Every row of these kinds.
    Kinds(Vec<RowFilter>),
}

impl RowSel {
    /// True when the selector names several rows (allowed only inside `sum`).
    pub fn is_set(&self) -> bool {
        matches!(self, RowSel::Lines(a, b) if a != b)
            || matches!(self, RowSel::Children(_) | RowSel::Kinds(_))
    }
}

/// A column selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColSel {
    /// The row's only value column.
    Implicit,
    /// A column key, or a bound column variable of that name.
    Name(String),
    /// Several column keys.
    Set(Vec<String>),
}

impl ColSel {
    fn is_set(&self) -> bool {
        matches!(self, ColSel::Set(v) if v.len() > 1)
    }
}

/// A reference to cells of one table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellRef {
    /// Table key (`summary`, `income`, ...).
    pub table: String,
    /// Rows.
    pub row: RowSel,
    /// Columns.
    pub col: ColSel,
}

/// How findings name a cell reference: `summary[L27]`, `expenditure[合计, basic]`,
/// `sangong[_, actual_total]`.
impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let row = match &self.row {
            RowSel::Lines(a, b) if a == b => format!("L{a}"),
            RowSel::Lines(a, b) => format!("L{a}..L{b}"),
            RowSel::Code(c) => format!("C{c}"),
            RowSel::Label(l) => l.clone(),
            RowSel::Only => "_".into(),
            RowSel::Var(v) => v.clone(),
            RowSel::CodeOf(v) => format!("code({v})"),
            RowSel::Children(v) => format!("children({v})"),
            RowSel::Kinds(k) => format!("kind({k:?})").to_lowercase(),
        };
        match &self.col {
            ColSel::Implicit => write!(f, "{}[{row}]", self.table),
            ColSel::Name(c) => write!(f, "{}[{row}, {c}]", self.table),
            ColSel::Set(cs) => write!(f, "{}[{row}, {{{}}}]", self.table, cs.join(", ")),
        }
    }
}

/// A term of a sum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// One cell.
    Cell(CellRef),
    /// The sum of several cells.
    Sum(CellRef),
    /// Zero.
    Zero,
    /// A parenthesised expression.
    Group(Expr),
    /// `@key`: another figure (figure catalogs only).
    Figure(String),
    /// `input(path)`: a number of the department's own input (figure catalogs only).
    Input(String),
    /// `count(input(path))`: how many entries a list or table of the input has.
    Count(String),
    /// `sum(input(path))`: the sum of the numbers of the input the path selects.
    InputSum(String),
    /// `name(args)`: a function of the figure language.
    Call(String, Vec<Expr>),
}

/// A signed sum of terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    /// (sign: +1 or −1, term).
    pub terms: Vec<(i8, Term)>,
}

impl Expr {
    /// Every cell reference of the expression, in groups and calls too.
    pub fn cell_refs(&self) -> Vec<&CellRef> {
        fn walk<'e>(e: &'e Expr, out: &mut Vec<&'e CellRef>) {
            for (_, t) in &e.terms {
                match t {
                    Term::Cell(r) | Term::Sum(r) => out.push(r),
                    Term::Group(g) => walk(g, out),
                    Term::Call(_, args) => args.iter().for_each(|a| walk(a, out)),
                    Term::Zero
                    | Term::Figure(_)
                    | Term::Input(_)
                    | Term::Count(_)
                    | Term::InputSum(_) => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }
}

/// How the two sides must compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Op {
    /// Equal (within rounding).
    #[serde(rename = "=")]
    Eq,
    /// Left at most right.
    #[serde(rename = "<=")]
    Le,
    /// Left at least right.
    #[serde(rename = ">=")]
    Ge,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Eq => "=",
            Op::Le => "≤",
            Op::Ge => "≥",
        })
    }
}

/// `left op right`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    /// Left side.
    pub left: Expr,
    /// Comparison.
    pub op: Op,
    /// Right side.
    pub right: Expr,
}

/// What a quantifier ranges over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Domain {
    /// Rows of a table of these kinds.
    Rows(String, Vec<RowFilter>),
    /// Value columns of a table.
    Cols(String),
}

/// A whole formula.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formula {
    /// Quantifiers, outermost first.
    pub bindings: Vec<(String, Domain)>,
    /// The relation that must hold.
    pub relation: Relation,
    /// The relation applies only where this one holds.
    pub when: Option<Relation>,
}

/// A parse error: byte offset in the formula and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset.
    pub at: usize,
    /// What was expected there.
    pub expected: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Name(String),
    Int(u32),
    Str(String),
    Sym(&'static str),
    /// `@key`.
    FigureRef(String),
    /// `input(path)`, the path as written.
    Input(String),
}

/// Characters that end a figure key after `@`.
fn ends_key(c: char) -> bool {
    c.is_whitespace() || "+-/(),[]\"".contains(c)
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let mut out = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let n = src[start..i].parse().map_err(|_| ParseError {
                at: start,
                expected: "a smaller number".into(),
            })?;
            out.push((start, Tok::Int(n)));
        } else if c == b'@' {
            let start = i;
            let len = src[i + 1..].find(ends_key).unwrap_or(src.len() - i - 1);
            if len == 0 {
                return Err(ParseError {
                    at: start,
                    expected: "a figure key after @".into(),
                });
            }
            out.push((start, Tok::FigureRef(src[i + 1..i + 1 + len].to_string())));
            i += 1 + len;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            // A table of another document: `last:summary` (cross-document relations name the
            // documents they read, docs/audit.md); a `:` after a binding's `)` is no qualifier.
            if bytes.get(i) == Some(&b':') && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
            {
                i += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
            }
            let name = &src[start..i];
            if name == "input" && src[i..].trim_start().starts_with('(') {
                // A path: dots, brackets, selectors and names in any script, up to its `)`.
                let open = i + src[i..].find('(').unwrap_or(0);
                let close = src[open..].find(')').ok_or(ParseError {
                    at: open,
                    expected: "the `)` that closes input(".into(),
                })?;
                let path = src[open + 1..open + close].trim();
                if path.is_empty() {
                    return Err(ParseError {
                        at: open + 1,
                        expected: "a path of the input, e.g. prior_year.income".into(),
                    });
                }
                out.push((start, Tok::Input(path.to_string())));
                i = open + close + 1;
                continue;
            }
            out.push((start, Tok::Name(name.to_string())));
        } else if c == b'"' {
            let start = i;
            let end = src[i + 1..].find('"').ok_or(ParseError {
                at: start,
                expected: "a closing quote".into(),
            })?;
            out.push((start, Tok::Str(src[i + 1..i + 1 + end].to_string())));
            i += end + 2;
        } else {
            let sym = [
                "..", "<=", ">=", "=", "+", "-", "(", ")", "[", "]", "{", "}", ",", ":", "|", "/",
            ]
            .into_iter()
            .find(|s| src[i..].starts_with(s))
            .ok_or(ParseError {
                at: i,
                expected: "a name, number, quoted label or one of = <= >= + - ( ) [ ] { } , : | .."
                    .into(),
            })?;
            out.push((i, Tok::Sym(sym)));
            i += sym.len();
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
    /// Figure catalogs' terms (`@key`, `input(…)`, functions) are allowed.
    figures: bool,
}

impl Parser {
    fn at(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |t| t.0)
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.1)
    }

    fn fail<T>(&self, expected: &str) -> Result<T, ParseError> {
        Err(ParseError {
            at: self.at(),
            expected: expected.to_string(),
        })
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Sym(x)) if *x == s) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_sym(&mut self, s: &str) -> Result<(), ParseError> {
        if self.eat_sym(s) {
            Ok(())
        } else {
            self.fail(&format!("`{s}`"))
        }
    }

    fn eat_name(&mut self, n: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Name(x)) if x == n) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn name(&mut self, what: &str) -> Result<String, ParseError> {
        match self.peek() {
            Some(Tok::Name(n)) => {
                let n = n.clone();
                self.pos += 1;
                Ok(n)
            }
            _ => self.fail(what),
        }
    }

    fn kinds(&mut self) -> Result<Vec<RowFilter>, ParseError> {
        let mut out = Vec::new();
        loop {
            let at = self.at();
            let n = self.name("a row kind: lei, kuan, xiang, total, line, code or all")?;
            out.push(RowFilter::parse(&n).ok_or(ParseError {
                at,
                expected: "a row kind: lei, kuan, xiang, total, line, code or all".into(),
            })?);
            if !self.eat_sym("|") {
                return Ok(out);
            }
        }
    }

    fn formula(&mut self) -> Result<Formula, ParseError> {
        let mut bindings = Vec::new();
        if self.eat_name("for") {
            loop {
                let var = self.name("a variable name")?;
                if !self.eat_name("in") {
                    return self.fail("`in`");
                }
                let domain = if self.eat_name("rows") {
                    self.expect_sym("(")?;
                    let table = self.name("a table key")?;
                    let kinds = if self.eat_sym(",") {
                        self.kinds()?
                    } else {
                        vec![RowFilter::All]
                    };
                    self.expect_sym(")")?;
                    Domain::Rows(table, kinds)
                } else if self.eat_name("cols") {
                    self.expect_sym("(")?;
                    let table = self.name("a table key")?;
                    self.expect_sym(")")?;
                    Domain::Cols(table)
                } else {
                    return self.fail("`rows(...)` or `cols(...)`");
                };
                bindings.push((var, domain));
                if !self.eat_sym(",") {
                    break;
                }
            }
            self.expect_sym(":")?;
        }
        let relation = self.relation()?;
        let when = if self.eat_name("when") {
            Some(self.relation()?)
        } else {
            None
        };
        if self.pos < self.toks.len() {
            return self.fail("the end of the formula");
        }
        Ok(Formula {
            bindings,
            relation,
            when,
        })
    }

    fn relation(&mut self) -> Result<Relation, ParseError> {
        let left = self.expr()?;
        let op = if self.eat_sym("=") {
            Op::Eq
        } else if self.eat_sym("<=") {
            Op::Le
        } else if self.eat_sym(">=") {
            Op::Ge
        } else {
            return self.fail("`=`, `<=` or `>=`");
        };
        let right = self.expr()?;
        Ok(Relation { left, op, right })
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        let mut terms = Vec::new();
        let mut sign = if self.eat_sym("-") { -1 } else { 1 };
        loop {
            terms.push((sign, self.term()?));
            sign = if self.eat_sym("+") {
                1
            } else if self.eat_sym("-") {
                -1
            } else {
                return Ok(Expr { terms });
            };
        }
    }

    fn term(&mut self) -> Result<Term, ParseError> {
        if self.eat_sym("(") {
            let e = self.expr()?;
            self.expect_sym(")")?;
            return Ok(Term::Group(e));
        }
        if matches!(self.peek(), Some(Tok::Int(0))) {
            self.pos += 1;
            return Ok(Term::Zero);
        }
        if self.figures {
            if let Some(t) = self.figure_term()? {
                return Ok(t);
            }
        } else if matches!(self.peek(), Some(Tok::FigureRef(_) | Tok::Input(_))) {
            return self.fail("a cell reference (figures and input belong to figure catalogs)");
        }
        if self.eat_name("sum") {
            self.expect_sym("(")?;
            let r = self.cell_ref()?;
            self.expect_sym(")")?;
            return Ok(Term::Sum(r));
        }
        let at = self.at();
        let r = self.cell_ref()?;
        if r.row.is_set() || r.col.is_set() {
            return Err(ParseError {
                at,
                expected: "a single cell (ranges, children(…) and kind(…) need sum(…))".into(),
            });
        }
        Ok(Term::Cell(r))
    }

    /// A term only figure catalogs have, if one comes next.
    fn figure_term(&mut self) -> Result<Option<Term>, ParseError> {
        let input_path = |p: &mut Parser| match p.peek().cloned() {
            Some(Tok::Input(path)) => {
                p.pos += 1;
                Ok(path)
            }
            _ => p.fail("input(…)"),
        };
        match self.peek().cloned() {
            Some(Tok::FigureRef(key)) => {
                self.pos += 1;
                Ok(Some(Term::Figure(key)))
            }
            Some(Tok::Input(path)) => {
                self.pos += 1;
                Ok(Some(Term::Input(path)))
            }
            Some(Tok::Name(n)) if self.is_call(&n) => {
                self.pos += 2;
                let term = match n.as_str() {
                    "count" => Term::Count(input_path(self)?),
                    "sum" => Term::InputSum(input_path(self)?),
                    _ => {
                        let mut args = vec![self.expr()?];
                        while self.eat_sym(",") {
                            args.push(self.expr()?);
                        }
                        Term::Call(n, args)
                    }
                };
                self.expect_sym(")")?;
                Ok(Some(term))
            }
            _ => Ok(None),
        }
    }

    /// Whether the name `n` at the current position starts a function call of the figure
    /// language: `name(`, but not `sum(` over cells (`sum(input(…))` is one).
    fn is_call(&self, n: &str) -> bool {
        let at = |k: usize| self.toks.get(self.pos + k).map(|t| &t.1);
        let open = matches!(at(1), Some(Tok::Sym("(")));
        let sum_of_cells = n == "sum" && !matches!(at(2), Some(Tok::Input(_)));
        open && !sum_of_cells
    }

    fn cell_ref(&mut self) -> Result<CellRef, ParseError> {
        let table = self.name("a table key, `sum(`, `0` or `(`")?;
        self.expect_sym("[")?;
        let row = self.row()?;
        let col = if self.eat_sym(",") {
            self.col()?
        } else {
            ColSel::Implicit
        };
        self.expect_sym("]")?;
        Ok(CellRef { table, row, col })
    }

    fn row(&mut self) -> Result<RowSel, ParseError> {
        let what = "a row: L27, C2060101, \"合计\", _, a variable, code(r), children(r) or kind(…)";
        match self.peek().cloned() {
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Ok(RowSel::Label(s.split_whitespace().collect()))
            }
            Some(Tok::Name(n)) => {
                self.pos += 1;
                if n == "_" {
                    return Ok(RowSel::Only);
                }
                if let Some(digits) = n.strip_prefix('L')
                    && let Ok(from) = digits.parse::<u32>()
                {
                    if self.eat_sym("..") {
                        let at = self.at();
                        let to = self.name("L and a line number")?;
                        let to = to
                            .strip_prefix('L')
                            .and_then(|d| d.parse::<u32>().ok())
                            .filter(|t| *t >= from)
                            .ok_or(ParseError {
                                at,
                                expected: "L and a line number not below the first".into(),
                            })?;
                        return Ok(RowSel::Lines(from, to));
                    }
                    return Ok(RowSel::Lines(from, from));
                }
                if let Some(digits) = n.strip_prefix('C')
                    && !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit())
                {
                    return Ok(RowSel::Code(digits.to_string()));
                }
                match n.as_str() {
                    "code" | "children" => {
                        self.expect_sym("(")?;
                        let var = self.name("a bound row variable")?;
                        self.expect_sym(")")?;
                        Ok(if n == "code" {
                            RowSel::CodeOf(var)
                        } else {
                            RowSel::Children(var)
                        })
                    }
                    "kind" => {
                        self.expect_sym("(")?;
                        let kinds = self.kinds()?;
                        self.expect_sym(")")?;
                        Ok(RowSel::Kinds(kinds))
                    }
                    _ => Ok(RowSel::Var(n)),
                }
            }
            _ => self.fail(what),
        }
    }

    fn col(&mut self) -> Result<ColSel, ParseError> {
        if self.eat_sym("{") {
            let mut keys = vec![self.name("a column key")?];
            while self.eat_sym(",") {
                keys.push(self.name("a column key")?);
            }
            self.expect_sym("}")?;
            return Ok(ColSel::Set(keys));
        }
        match self.peek().cloned() {
            Some(Tok::Name(n)) => {
                self.pos += 1;
                Ok(ColSel::Name(n))
            }
            _ => self.fail("a column key (`fiscal`, `basic`…), a variable or `{key, key}`"),
        }
    }
}

/// Parses a formula.
pub fn parse(src: &str) -> Result<Formula, ParseError> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        end: src.len(),
        figures: false,
    };
    p.formula()
}

/// A figure's definition: an expression, or the ratio of two.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FigureFormula {
    /// The expression, or the numerator of a ratio.
    pub num: Expr,
    /// The denominator of a ratio.
    pub den: Option<Expr>,
}

/// Parses a figure's definition (the language of figure catalogs, see the module's
/// documentation).
pub fn parse_figure(src: &str) -> Result<FigureFormula, ParseError> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        end: src.len(),
        figures: true,
    };
    let num = p.expr()?;
    let den = if p.eat_sym("/") {
        Some(p.expr()?)
    } else {
        None
    };
    if p.pos < p.toks.len() {
        return p.fail("the end of the definition (`+`, `-` or one `/`)");
    }
    Ok(FigureFormula { num, den })
}

/// Parses a single cell reference such as `summary[L27]` or `income["合计", 2]`.
pub fn parse_cell(src: &str) -> Result<CellRef, ParseError> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        end: src.len(),
        figures: false,
    };
    let r = p.cell_ref()?;
    if p.pos < p.toks.len() {
        return p.fail("the end of the cell reference");
    }
    Ok(r)
}

impl Formula {
    /// Every cell reference of the formula, in its relation and its condition.
    pub fn cell_refs(&self) -> Vec<&CellRef> {
        std::iter::once(&self.relation)
            .chain(self.when.as_ref())
            .flat_map(|rel| [&rel.left, &rel.right])
            .flat_map(Expr::cell_refs)
            .collect()
    }

    /// Every (table, column name) the formula's references use, and the bound column
    /// variables: for checking names against the tables' column keys.
    pub fn column_names(&self) -> (Vec<(String, String)>, Vec<String>) {
        let vars: Vec<String> = self
            .bindings
            .iter()
            .filter(|(_, d)| matches!(d, Domain::Cols(_)))
            .map(|(n, _)| n.clone())
            .collect();
        let mut out = Vec::new();
        for r in self.cell_refs() {
            match &r.col {
                ColSel::Implicit => {}
                ColSel::Name(n) => out.push((r.table.clone(), n.clone())),
                ColSel::Set(v) => out.extend(v.iter().map(|n| (r.table.clone(), n.clone()))),
            }
        }
        (out, vars)
    }

    /// Every table key the formula mentions.
    pub fn tables(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let bound = self.bindings.iter().map(|(_, d)| match d {
            Domain::Rows(t, _) | Domain::Cols(t) => t.as_str(),
        });
        for t in bound.chain(self.cell_refs().into_iter().map(|r| r.table.as_str())) {
            if !out.iter().any(|x| x == t) {
                out.push(t.to_string());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_rules_use() {
        let f = parse("summary[L27] = sum(summary[L1..L8])").unwrap();
        assert!(f.bindings.is_empty());
        assert_eq!(f.relation.op, Op::Eq);
        let f = parse(
            "for r in rows(income, lei|kuan), c in cols(income): income[r, c] = sum(income[children(r), c])",
        )
        .unwrap();
        assert_eq!(f.bindings.len(), 2);
        assert_eq!(f.tables(), vec!["income".to_string()]);
        let f = parse("sangong[_, actual_abroad] = 0 when sangong[_, budget_abroad] = 0").unwrap();
        assert!(f.when.is_some());
        let f = parse("basic_economic[\"人员经费 合计\"] + basic_economic[\"公用经费合计\"] = general_budget[\"合计\", basic]").unwrap();
        assert_eq!(f.tables().len(), 2);
        let (columns, vars) = f.column_names();
        assert_eq!(
            columns,
            vec![("general_budget".to_string(), "basic".to_string())]
        );
        assert!(vars.is_empty());
        let f =
            parse("fiscal_summary[L28] + fiscal_summary[L27] - fiscal_summary[L59, total] >= -(0)")
                .unwrap();
        assert_eq!(f.relation.op, Op::Ge);
        let f = parse("for r in rows(income): income[r, total] = sum(income[r, {fiscal, other}])")
            .unwrap();
        assert_eq!(f.column_names().0.len(), 3);
        // Another document's table, qualified by the name the relation gives that document.
        let f = parse("for r in rows(gov_fund, xiang): gov_fund[r, opening] = last:gov_fund[code(r), closing]")
            .unwrap();
        assert_eq!(
            f.tables(),
            vec!["gov_fund".to_string(), "last:gov_fund".to_string()]
        );
        assert_eq!(
            f.relation.right.cell_refs()[0].to_string(),
            "last:gov_fund[code(r), closing]"
        );
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse("income[C201, {fiscal, other}] = 0").unwrap_err();
        assert!(e.expected.contains("sum"), "{e:?}");
        let e = parse("summary[L27] = summary[L1..L8]").unwrap_err();
        assert!(e.expected.contains("sum"), "{e:?}");
        assert_eq!(e.at, 15);
        let e = parse("summary[L27] == 1").unwrap_err();
        assert_eq!(e.at, 14);
        let e = parse("for r in rows(income, leaf): income[r] = 0").unwrap_err();
        assert!(e.expected.contains("row kind"));
        assert!(parse("summary[L27] = summary[L1] extra").is_err());
    }
}
