//! Shared by the mutation examples: a reproducible generator, the findings of an audit, rates.

#![allow(dead_code)]

use juesuan_audit::Audit;
use juesuan_core::diag::Severity;
use std::collections::BTreeSet;

/// A small deterministic generator (64-bit LCG), so the figures can be reproduced.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The findings of `audit` of the given severities, as `rule location`.
pub fn of(audit: Option<Audit>, severities: &[Severity]) -> Option<BTreeSet<String>> {
    Some(
        audit?
            .findings
            .iter()
            .filter(|f| severities.contains(&f.severity))
            .map(|f| format!("{} {}", f.rule, f.location()))
            .collect(),
    )
}

/// `part / whole` as a whole percentage, rounded half up.
pub fn percent(part: usize, whole: usize) -> usize {
    (part * 200 + whole.max(1)) / (2 * whole.max(1))
}
