//! Numbers of a narrative as printed, read the same way from a built report and a published
//! one, and aligned section by section (the narrative tests of the Shanghai 决算 and budget).

use rust_decimal::Decimal;
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::collections::BTreeSet;

/// A number as printed with its unit, and its value.
#[derive(Clone, Debug)]
pub struct Number {
    /// As printed, with its unit.
    pub text: String,
    /// Its value.
    pub value: Decimal,
    /// Its unit.
    pub unit: &'static str,
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        self.value == other.value && self.unit == other.unit
    }
}
impl Eq for Number {}
impl std::hash::Hash for Number {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.value.normalize().hash(h);
        self.unit.hash(h);
    }
}
impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Number {
    fn cmp(&self, other: &Number) -> std::cmp::Ordering {
        (self.value, self.unit).cmp(&(other.value, other.unit))
    }
}

/// Units a narrative number is printed with, longest first; `万` alone is 万元 broken by a line.
const UNITS: &[(&str, &str)] = &[
    ("台（套）", "台（套）"),
    ("万元", "万元"),
    ("人次", "人次"),
    ("批次", "批次"),
    ("万", "万元"),
    ("%", "%"),
    ("％", "%"),
    ("个", "个"),
    ("辆", "辆"),
    ("分", "分"),
];

/// Every number of `text` followed by a unit, in order.
pub fn numbers(text: &str) -> Vec<Number> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit()
            || (i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.'))
        {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        let digits: String = chars[start..i].iter().collect();
        let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
        if let Some((printed, unit)) = UNITS.iter().find(|(u, _)| rest.starts_with(u))
            && let Ok(value) = digits.trim_end_matches('.').parse::<Decimal>()
        {
            out.push(Number {
                text: format!("{digits}{unit}"),
                value,
                unit,
            });
            i += printed.chars().count();
        }
    }
    out
}

/// A difference: (section's number, published number, built number — `None` where the build
/// prints none).
pub type Difference = (String, String, Option<String>);

/// What differs between the numbers of the published sections and the built ones (aligned in
/// order, Myers): (section's number, published number, built number — `None` where the build
/// prints none), with how many published numbers were compared and how many are equal.
pub fn differences(
    built: &[(String, String)],
    published: &[String],
) -> (Vec<Difference>, usize, usize) {
    let mut differences: Vec<Difference> = Vec::new();
    let (mut compared, mut equal) = (0, 0);
    for ((heading, ours), theirs) in built.iter().zip(published) {
        let section = heading.split('、').next().unwrap().to_string();
        let (a, b) = (numbers(theirs), numbers(ours));
        compared += a.len();
        for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
            match op {
                DiffOp::Equal { len, .. } => equal += len,
                DiffOp::Delete {
                    old_index, old_len, ..
                } => {
                    for n in &a[old_index..old_index + old_len] {
                        differences.push((section.clone(), n.text.clone(), None));
                    }
                }
                DiffOp::Insert {
                    new_index, new_len, ..
                } => {
                    for n in &b[new_index..new_index + new_len] {
                        differences.push((section.clone(), String::new(), Some(n.text.clone())));
                    }
                }
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    for k in 0..old_len.max(new_len) {
                        differences.push((
                            section.clone(),
                            a.get(old_index + k)
                                .map(|n| n.text.clone())
                                .unwrap_or_default(),
                            (k < new_len).then(|| b[new_index + k].text.clone()),
                        ));
                    }
                }
            }
        }
    }
    (differences, compared, equal)
}

/// The numbers of a published report's narrative that its audit (`juesuan audit FILE`) finds
/// not holding against its tables, as printed (`887.36万元`).
pub fn audited_not_holding(published: &str) -> BTreeSet<String> {
    let out = super::juesuan()
        .args(["audit", published, "--format", "json"])
        .output()
        .unwrap();
    let audit: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("audit JSON: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
    audit["narrative"]["each"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["status"]["holds"] == false)
        .map(|m| m["text"].as_str().unwrap().to_string())
        .collect()
}
