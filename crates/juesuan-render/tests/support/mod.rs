//! Shared by the narrative tests: checking a printed figure against the exact value of its key.

use juesuan_core::report::{Figure, Value};
use juesuan_render::narrative::{Block, Narrative, Segment};
use rust_decimal::Decimal;
use std::str::FromStr;

/// The repository.
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// |printed − exact| ≤ half a unit of the last printed digit.
pub fn rounds_to(exact: Decimal, printed: &str) -> bool {
    let Ok(p) = Decimal::from_str(printed) else {
        return false;
    };
    let half = Decimal::new(5, p.scale() + 1);
    (exact - p).abs() <= half
}

/// `text` prints figure `f` (named `key`), rounded once: amounts in 万元, possibly as an
/// absolute value; rates as percentages of a non-zero base; counts exactly; scores.
pub fn check_figure(key: &str, text: &str, f: &Figure) -> Result<(), String> {
    let ok = match f.value {
        Value::Money { value } => {
            // Amounts print in 万元, possibly as an absolute value ("decreased by X").
            let wan = value.to_yuan_decimal() / Decimal::from(10_000);
            rounds_to(wan, text) || rounds_to(-wan, text)
        }
        Value::Ratio { num, den } => {
            let Some(t) = text.strip_suffix('%') else {
                return Err(format!("{key}: rate {text:?} lacks %"));
            };
            if den.is_zero() {
                return Err(format!("{key}: rate over a zero base printed as {text:?}"));
            }
            let exact = num.to_yuan_decimal().abs() * Decimal::from(100) / den.to_yuan_decimal();
            rounds_to(exact, t)
        }
        Value::Count { value } => text == value.to_string(),
        Value::Score { value } => rounds_to(value, text),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{key}: printed {text:?} for {:?}", f.value))
    }
}

/// Every printed figure of a narrative: (key, text).
pub fn figure_segments(n: &Narrative) -> Vec<(&str, &str)> {
    n.blocks
        .iter()
        .flat_map(|b| match b {
            Block::Paragraph { segments } => segments.as_slice(),
            _ => &[],
        })
        .filter_map(|s| match s {
            Segment::Figure { key, text } => Some((key.as_str(), text.as_str())),
            Segment::Text { .. } => None,
        })
        .collect()
}
