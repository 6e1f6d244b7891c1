//! Which rules a check could run. A rule whose formulas name a table the sheet does not have
//! (a layout without the 三公 table, an audit that found only some tables), or a builtin check
//! whose subject was not given (the 绩效 forms or the narrative of a report read back, the
//! catalog), checked nothing: it is reported as not applicable, not counted as run.

use super::builtin;
use super::claims;
use super::sheet::Sheet;
use super::{Rule, RuleSet};
use crate::catalog::Catalog;
use crate::text::Text;
use serde::{Deserialize, Serialize};

/// What a checked sheet is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The tables built from a department's facts: its whole disclosure. Its 绩效 forms are
    /// the input's (a department without forms has nothing to score) and its narrative is
    /// written from the checked figures (nothing is read), so every builtin check applies.
    Built,
    /// A published report read back: the tables that were found and the claims of its
    /// narrative that were matched. Its 绩效 forms are not read.
    Published,
}

/// Whether a rule ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every formula (and the builtin check) ran.
    Evaluated,
    /// Some formulas ran; those naming a missing table did not.
    Partly,
    /// Nothing ran.
    NotApplicable,
}

/// Why a rule did not run, or not wholly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Its formulas name tables the sheet does not have.
    MissingTables,
    /// No 绩效自评 forms were given (a report read back).
    NoForms,
    /// The narrative read has no claim of the kind the rule checks.
    NoClaims,
    /// No classification catalog was given.
    NoCatalog,
    /// Its formulas address rows the layout does not print (lines a family leaves out, codes
    /// in a table without any).
    RowsNotPrinted,
}

/// One rule's coverage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCoverage {
    /// Rule id.
    pub rule: String,
    /// Whether it ran.
    pub status: Status,
    /// Why not, or not wholly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// The table keys its formulas name that the sheet does not have.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_tables: Vec<String>,
    /// Their titles, as people read them (the kind's; the key where the kind has none).
    #[serde(skip)]
    pub missing_names: Vec<Text>,
}

/// Every rule of a check, in catalog order, with whether it ran.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// One entry per rule.
    pub rules: Vec<RuleCoverage>,
}

impl Coverage {
    /// `n` rules, every one run (what a caller without a sheet assumes).
    pub fn all_run(ids: impl IntoIterator<Item = String>) -> Coverage {
        Coverage {
            rules: ids
                .into_iter()
                .map(|rule| RuleCoverage {
                    rule,
                    status: Status::Evaluated,
                    reason: None,
                    missing_tables: Vec::new(),
                    missing_names: Vec::new(),
                })
                .collect(),
        }
    }

    /// How many rules ran, wholly or in part.
    pub fn run(&self) -> usize {
        self.rules.len() - self.not_applicable()
    }

    /// How many rules did not apply.
    pub fn not_applicable(&self) -> usize {
        self.rules
            .iter()
            .filter(|r| r.status == Status::NotApplicable)
            .count()
    }

    /// The rules that did not run wholly, in catalog order.
    pub fn incomplete(&self) -> Vec<&RuleCoverage> {
        self.rules
            .iter()
            .filter(|r| r.status != Status::Evaluated)
            .collect()
    }
}

impl RuleSet {
    /// Which rules a check of `sheet` runs and which do not apply, and why.
    pub fn coverage(&self, sheet: &Sheet, catalog: Option<&Catalog>, subject: Subject) -> Coverage {
        Coverage {
            rules: self
                .rules
                .iter()
                .map(|r| {
                    let mut c = r.coverage(sheet, catalog, subject);
                    c.missing_names = c
                        .missing_tables
                        .iter()
                        .map(|k| {
                            self.tables
                                .iter()
                                .find(|(key, _)| key == k)
                                .map_or_else(|| Text::same(k), |(_, t)| t.clone())
                        })
                        .collect();
                    c
                })
                .collect(),
        }
    }
}

impl Rule {
    /// Whether this rule runs on `sheet`, and why not.
    pub fn coverage(
        &self,
        sheet: &Sheet,
        catalog: Option<&Catalog>,
        subject: Subject,
    ) -> RuleCoverage {
        let mut missing: Vec<String> = Vec::new();
        let mut formulas_run = 0;
        let mut unprinted = false;
        for f in &self.formulas {
            let lacking: Vec<String> = f
                .tables()
                .into_iter()
                .filter(|t| sheet.table(t).is_none())
                .collect();
            let printed = sheet.prints(f);
            unprinted |= !printed;
            if lacking.is_empty() && printed {
                formulas_run += 1;
            }
            for t in lacking {
                if !missing.contains(&t) {
                    missing.push(t);
                }
            }
        }
        let builtin = self
            .def
            .builtin
            .as_deref()
            .map(|b| builtin_applies(b, sheet, catalog, subject));
        let ran = formulas_run > 0 || builtin == Some(None);
        let all_ran = formulas_run == self.formulas.len() && matches!(builtin, None | Some(None));
        let reason = if !missing.is_empty() {
            Some(Reason::MissingTables)
        } else if unprinted {
            Some(Reason::RowsNotPrinted)
        } else {
            builtin.flatten()
        };
        let (status, reason) = match (all_ran, ran) {
            (true, _) => (Status::Evaluated, None),
            (false, true) => (Status::Partly, reason),
            (false, false) => (Status::NotApplicable, reason),
        };
        RuleCoverage {
            rule: self.def.id.clone(),
            status,
            reason,
            missing_tables: missing,
            missing_names: Vec::new(),
        }
    }
}

/// Why builtin check `name` has nothing to check on `sheet` (`None`: it runs).
fn builtin_applies(
    name: &str,
    sheet: &Sheet,
    catalog: Option<&Catalog>,
    subject: Subject,
) -> Option<Reason> {
    if name == "names_match_catalog" && catalog.is_none() {
        return Some(Reason::NoCatalog);
    }
    if subject == Subject::Built {
        return None;
    }
    if name.starts_with("evaluation_") && sheet.evaluations.is_none() {
        return Some(Reason::NoForms);
    }
    match builtin::claim_kinds(name) {
        Some(kinds)
            if !sheet
                .claims
                .iter()
                .any(|c| kinds.contains(&claims::kind_of(&c.kind))) =>
        {
            Some(Reason::NoClaims)
        }
        _ => None,
    }
}
