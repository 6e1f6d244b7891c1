//! Several documents of one department audited together: each read on its own (its kind, year
//! and department from its own pages), then every pair its kind's `reconcile.toml` relates —
//! this year's 决算 and last year's, a 决算 and the 预算 it cites — checked by the R rules
//! ([`juesuan_core::rules::reconcile`]).
//!
//! A cell relation is evaluated on one sheet of both documents' tables (the cited document's
//! under its name, `last:summary`), by the engine every rule uses; a narrative relation makes a
//! claim of each number the report's narrative states of the aspect (`said(growth)`), against
//! the figures of both documents, checked as the narrative's claims are (N rules). Every
//! finding names both documents (kind, year, file) and the places (the tables' titles carry
//! their document; a statement's line is in the report). A difference that the report's
//! narrative explains with an adjustment (the lexicon's `adjust` words, in a paragraph naming
//! the figure) is a warning.

use crate::Audit;
use crate::claims::Statement;
use crate::claims::lexicon::{Aspect, Concepts};
use juesuan_core::diag::Severity;
use juesuan_core::figures::Resolved;
use juesuan_core::rules::claims as narrative;
use juesuan_core::rules::coverage::{Reason, RuleCoverage, Status};
use juesuan_core::rules::finding::Place;
use juesuan_core::rules::formula::{self, CellRef, Expr, Term};
use juesuan_core::rules::reconcile::{ReconcileRule, Relation, joined};
use juesuan_core::rules::sheet::{Claim, ClaimKind, Direction, Operand};
use juesuan_core::rules::{Coverage, Finding, Sheet, eval};
use juesuan_core::text::Text;

/// One document of a set: the file it was read from and its audit.
pub struct Doc<'a> {
    /// The file (or files, for a report in parts), as the user named it.
    pub file: &'a str,
    /// What the audit read and found.
    pub audit: &'a Audit,
}

/// One document of a pair as a relation reads it: its kind, its tables, what its narrative
/// states.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    /// Its document kind.
    pub kind: &'a str,
    /// Its tables as read.
    pub sheet: &'a Sheet,
    /// What its narrative states ([`crate::claims::Reading::statements`]).
    pub statements: &'a [Statement],
}

/// One pair of documents a rule related.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// Index of the report in the set.
    pub this: usize,
    /// Index of the document it cites.
    pub cited: usize,
    /// The name the rules give the cited document (`last`).
    pub name: String,
    /// Relations evaluated, per rule id (0: the rule had nothing to check in this pair).
    pub checked: Vec<(String, usize)>,
    /// The same as the findings' coverage: a rule with nothing to check is not applicable
    /// (no statement of its aspect in the narrative, no row it names printed).
    pub coverage: Coverage,
}

/// What the reconciliation of a set found.
#[derive(Clone, Debug, Default)]
pub struct Reconciled {
    /// The pairs related, in the set's order.
    pub pairs: Vec<Pair>,
    /// For each finding, the pair it is about (an index into `pairs`), findings in order.
    pub findings: Vec<(usize, Finding)>,
    /// Documents a rule would relate that the set lacks: (report, what the cited document is).
    pub missing: Vec<(usize, Text)>,
}

/// What a document is, in findings: `2024年度部门决算（2024.pdf）`.
pub fn label(kind_name: &Text, year: Option<i32>, file: &str) -> Text {
    let file = file.rsplit(['/', '\\']).next().unwrap_or(file);
    match year {
        Some(y) => Text::new(
            format!("{y}年度{}（{file}）", kind_name.zh),
            format!("{} {y} ({file})", kind_name.en),
        ),
        None => Text::new(
            format!("{}（{file}）", kind_name.zh),
            format!("{} ({file})", kind_name.en),
        ),
    }
}

/// Whether two documents name the same department: equal names, or one the end of the other
/// (`普陀区财政局` of `上海市普陀区财政局`), as the identity checks read a short form.
pub fn same_department(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (a, b) = (crate::text::normalize(a), crate::text::normalize(b));
            a == b || a.ends_with(&b) || b.ends_with(&a)
        }
        // A document without a name of its own (a workbook of tables) is not refused for it.
        _ => true,
    }
}

impl crate::Auditor {
    /// The relations of the documents `docs` (each audited on its own): for every document,
    /// every document its kind's rules cite that the set has — the same department, the
    /// cited kind and year — is checked with those rules.
    pub fn reconcile<'a>(&self, docs: &[Doc<'a>]) -> Reconciled {
        let mut out = Reconciled::default();
        for (i, this) in docs.iter().enumerate() {
            let Some(reader) = self
                .readers
                .iter()
                .find(|r| r.bundle.kind.id == this.audit.kind)
            else {
                continue;
            };
            let bundle = &reader.bundle;
            for (name, cited) in bundle.reconcile.cited() {
                let found = docs.iter().enumerate().find(|(j, d)| {
                    *j != i
                        && d.audit.kind == cited.kind
                        && this.audit.year.is_some()
                        && d.audit.year == this.audit.year.map(|y| y + cited.year)
                        && same_department(
                            this.audit.department.as_deref(),
                            d.audit.department.as_deref(),
                        )
                });
                let Some((j, other)) = found else {
                    out.missing.push((i, cited.name.clone()));
                    continue;
                };
                let kind_name = |kind: &str| {
                    self.readers
                        .iter()
                        .find(|r| r.bundle.kind.id == kind)
                        .map(|r| r.bundle.kind.name.clone())
                        .unwrap_or_else(|| Text::same(kind))
                };
                let this_is = label(&bundle.kind.name, this.audit.year, this.file);
                let other_is = label(&kind_name(&other.audit.kind), other.audit.year, other.file);
                let sheet = joined(
                    &this.audit.read.sheet,
                    Some(&this_is),
                    &other.audit.read.sheet,
                    name,
                    Some(&other_is),
                );
                let pair = out.pairs.len();
                let mut checked = Vec::new();
                let mut coverage = Coverage::default();
                for rule in bundle.reconcile.rules.iter().filter(|r| r.with == name) {
                    let side = |a: &'a Audit| Side {
                        kind: &a.kind,
                        sheet: &a.read.sheet,
                        statements: &a.statements,
                    };
                    let (found, n) = self.relate(rule, &sheet, side(this.audit), side(other.audit));
                    checked.push((rule.def.id.clone(), n));
                    let said = rule
                        .relations
                        .iter()
                        .all(|(_, r)| matches!(r, Relation::Said { .. }));
                    coverage.rules.push(RuleCoverage {
                        rule: rule.def.id.clone(),
                        status: if n > 0 {
                            Status::Evaluated
                        } else {
                            Status::NotApplicable
                        },
                        reason: (n == 0).then_some(if said {
                            Reason::NoClaims
                        } else {
                            Reason::RowsNotPrinted
                        }),
                        missing_tables: Vec::new(),
                        missing_names: Vec::new(),
                    });
                    for mut f in found {
                        f.message = Text::new(
                            format!("{}（{} ↔ {}）", f.message.zh, this_is.zh, other_is.zh),
                            format!("{} ({} ↔ {})", f.message.en, this_is.en, other_is.en),
                        );
                        self.explained(&mut f, this.audit, reader);
                        out.findings.push((pair, f));
                    }
                }
                out.pairs.push(Pair {
                    this: i,
                    cited: j,
                    name: name.to_string(),
                    checked,
                    coverage,
                });
            }
        }
        out
    }

    /// The findings of relation rule `rule` on `sheet`, the report's and the cited document's
    /// tables joined ([`joined`]), with what the report's narrative states, and how many
    /// relations it evaluated. What the rule cases of `reconcile.toml` run, and
    /// [`crate::Auditor::reconcile`] for every pair of a set.
    pub fn relate(
        &self,
        rule: &ReconcileRule,
        sheet: &Sheet,
        this: Side<'_>,
        cited: Side<'_>,
    ) -> (Vec<Finding>, usize) {
        let reader_of = |kind: &str| self.readers.iter().find(|r| r.bundle.kind.id == kind);
        let (Some(reader), Some(other)) = (reader_of(this.kind), reader_of(cited.kind)) else {
            return (Vec::new(), 0);
        };
        let concepts = |sheet: &Sheet, r: &crate::Reader| {
            Concepts::new(&self.lexicons[r.lexicon], &r.bundle.figures, sheet)
        };
        let (here, there) = (concepts(this.sheet, reader), concepts(cited.sheet, other));
        let mut found = Vec::new();
        let mut n = 0;
        let mut claims = Vec::new();
        for (src, relation) in &rule.relations {
            match relation {
                Relation::Cells(f) => {
                    eval::trace(f, sheet, &mut |_, _| n += 1);
                    // One finding per discrepancy: a relation stated from both documents' side
                    // (each item of this year, each of last year) finds a difference twice.
                    for finding in eval::evaluate(&rule.def, src, f, sheet) {
                        let key = cells_of(&finding);
                        if key.is_empty() || !found.iter().any(|g| cells_of(g) == key) {
                            found.push(finding);
                        }
                    }
                }
                Relation::Said { aspect, value } => {
                    for s in this.statements.iter().filter(|s| s.aspect == aspect) {
                        let resolve = |key: &str| {
                            let (r, c, key, prefix) = match key.split_once(':') {
                                Some((q, k)) if q == rule.with => (other, &there, k, Some(q)),
                                _ => (reader, &here, key, None),
                            };
                            self.figure_cells(r, c, key, prefix)
                        };
                        if let Some(c) = said_claim(s, value, sheet, &resolve) {
                            claims.push(c);
                        }
                    }
                }
            }
        }
        if !claims.is_empty() {
            let mut with_claims = sheet.clone();
            n += claims
                .iter()
                .filter(|c| narrative::evaluate(sheet, c).is_some())
                .count();
            with_claims.claims = claims;
            found.extend(narrative::check(
                &rule.def,
                &with_claims,
                &["amount", "restated", "rate"],
            ));
        }
        (found, n)
    }

    /// The cells the figure of concept `key` (this year's amount, the key the reader of the
    /// narrative gives it) stands for in a document read with `reader`, its tables qualified
    /// with `prefix` for a cited document.
    fn figure_cells(
        &self,
        reader: &crate::Reader,
        concepts: &Concepts,
        key: &str,
        prefix: Option<&str>,
    ) -> Option<Operand> {
        let lex = &self.lexicons[reader.lexicon];
        let figure = lex.key(concepts, key, Aspect::Actual)?;
        let Resolved::Amount(mut cells) = reader.bundle.figures.cells(&figure)? else {
            return None;
        };
        if let Some(p) = prefix {
            qualify(&mut cells, p);
        }
        Some(Operand::Cells {
            figure: match prefix {
                Some(p) => format!("{p}:{figure}"),
                None => figure,
            },
            cells,
        })
    }

    /// Makes `f` a warning when the report's narrative explains it with an adjustment: a
    /// paragraph with an `adjust` word that names the figure (the sentence's subject, or the
    /// row the finding is placed at).
    fn explained(&self, f: &mut Finding, this: &Audit, reader: &crate::Reader) {
        let lex = &self.lexicons[reader.lexicon];
        let words = lex.words("adjust");
        if words.is_empty() {
            return;
        }
        let mut names: Vec<String> = Vec::new();
        match &f.place {
            Place::Cell(c) => {
                if let Some(r) = &c.row {
                    names.push(lex.norm(&r.label.zh));
                }
            }
            Place::Document(p) => {
                if let juesuan_core::rules::Detail::Claim(c) = &f.detail
                    && let Some(label) = this.subjects.get(&c.claim.pattern)
                {
                    names.push(lex.norm(&label.zh));
                }
                names.push(format!("@line{}", p.line));
            }
            Place::Nowhere => {}
        }
        let explains = this.paragraphs.iter().find(|p| {
            let text = lex.norm(&p.text);
            words.iter().any(|w| text.contains(&lex.norm(w)))
                && names.iter().any(|n| match n.strip_prefix("@line") {
                    Some(line) => p.lines.iter().any(|(_, l)| l.to_string() == line),
                    None => !n.is_empty() && text.contains(n.as_str()),
                })
        });
        if let Some(p) = explains {
            let line = p.lines.first().map_or(0, |(_, l)| *l);
            f.severity = Severity::Warning;
            f.message = Text::new(
                format!("{}；说明第 {line} 行述及调整", f.message.zh),
                format!(
                    "{}; the narrative speaks of an adjustment (line {line})",
                    f.message.en
                ),
            );
        }
    }
}

/// The cells a finding involves, as a sorted list of addresses.
fn cells_of(f: &Finding) -> Vec<String> {
    let mut out: Vec<String> = f
        .cells
        .iter()
        .map(|c| format!("{}|{:?}|{}", c.table, c.row, c.column))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `e` with every table it reads qualified with `prefix` (`summary` → `last:summary`).
fn qualify(e: &mut Expr, prefix: &str) {
    let q = |r: &mut CellRef| r.table = format!("{prefix}:{}", r.table);
    for (_, t) in &mut e.terms {
        match t {
            Term::Cell(r) | Term::Sum(r) => q(r),
            Term::Group(g) => qualify(g, prefix),
            Term::Call(_, args) => args.iter_mut().for_each(|a| qualify(a, prefix)),
            _ => {}
        }
    }
}

/// An expression of figures as an operand: each `@key` resolved to cells, `None` when one of
/// them is no figure of cells, or its cells are not read.
fn operand_of(e: &Expr, resolve: &dyn Fn(&str) -> Option<Operand>) -> Option<Operand> {
    let mut terms = Vec::new();
    for (sign, t) in &e.terms {
        let o = match t {
            Term::Figure(k) => resolve(k)?,
            Term::Group(g) => operand_of(g, resolve)?,
            Term::Zero => Operand::Sum { terms: Vec::new() },
            _ => return None,
        };
        terms.push((*sign, o));
    }
    Some(Operand::Sum { terms })
}

/// The claim a relation `said(aspect) = value` makes of statement `s`: the stated amount
/// against `value` (a change signed by its direction), or the stated rate against the ratio.
fn said_claim(
    s: &Statement,
    value: &str,
    sheet: &Sheet,
    resolve: &dyn Fn(&str) -> Option<Operand>,
) -> Option<Claim> {
    let f = formula::parse_figure(&value.replace("{c}", &s.concept)).ok()?;
    let num = operand_of(&f.num, resolve)?;
    narrative::operand(sheet, &num)?;
    let kind = match &f.den {
        None => ClaimKind::Amount {
            stated: s.number.clone(),
            change: s.direction,
            against: num,
        },
        Some(den) => {
            let den = operand_of(den, resolve)?;
            narrative::operand(sheet, &den)?;
            // A fall of p% is (last − this) / last.
            let num = match s.direction {
                Some(Direction::Down) => Operand::Sum {
                    terms: vec![(-1, num)],
                },
                _ => num,
            };
            ClaimKind::Rate {
                stated: s.number.clone(),
                figure: None,
                num,
                den,
                growth: None,
            }
        }
    };
    Some(Claim {
        pattern: s.concept.clone(),
        line: s.line,
        sentence: s.sentence.clone(),
        section: s.section.clone(),
        kind,
    })
}
