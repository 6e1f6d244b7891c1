//! Exact money: 元 with 分, 万元 for display, and percentages rounded once.
//!
//! Accounts hold 元 with two decimals; public tables print 万元 with two decimals
//! (1 万元 = 10,000 元). [`Money`] counts 分 in an `i128`, so sums never lose a cent. Conversions
//! between 元 and 万元 are explicit; rounding is half away from zero (四舍五入) and happens only
//! when a figure is printed.
//!
//! **Overflow.** Every amount stays within [`Money::MAX_FEN`] (what a decimal, and so a
//! spreadsheet cell or a JSON figure, holds exactly). Sums of facts cannot reach it: a written
//! amount is at most [`Money::MAX_ABS_FEN`] (10^18 分) and a file holds fewer facts than bytes
//! (the readers refuse files over 64 MiB), so any sum of facts stays below 2^26 × 10^18 分,
//! a thousandth of the bound. Sums whose count the input does not bound (a layout adding
//! lines to lines) use [`Money::checked_add`] and report a located error. The operators check
//! too, in release builds as well: past the bound they stop the program rather than print a
//! wrapped figure.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// 分 per 元.
const FEN_PER_YUAN: i128 = 100;
/// 分 per 万元.
const FEN_PER_WAN: i128 = 1_000_000;

/// The unit in which an input file states its amounts, or in which a table prints them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AmountUnit {
    /// 元: at most two decimals (分).
    #[serde(rename = "元")]
    Yuan,
    /// 万元: at most six decimals (still whole 分).
    #[serde(rename = "万元")]
    Wan,
}

impl AmountUnit {
    /// The unit's Chinese name, as printed in "金额单位：万元".
    pub fn zh(self) -> &'static str {
        match self {
            AmountUnit::Yuan => "元",
            AmountUnit::Wan => "万元",
        }
    }

    /// The unit's English name.
    pub fn en(self) -> &'static str {
        match self {
            AmountUnit::Yuan => "yuan",
            AmountUnit::Wan => "10,000 yuan",
        }
    }

    /// Parses `元` / `万元` (or `yuan` / `wan`).
    pub fn parse(s: &str) -> Option<AmountUnit> {
        match s.trim() {
            "元" | "yuan" | "CNY" => Some(AmountUnit::Yuan),
            "万元" | "wan" | "10000 yuan" | "10,000 yuan" => Some(AmountUnit::Wan),
            _ => None,
        }
    }

    /// Decimals an exact amount may carry in this unit (2 for 元, 6 for 万元).
    pub fn max_input_decimals(self) -> u32 {
        match self {
            AmountUnit::Yuan => 2,
            AmountUnit::Wan => 6,
        }
    }

    /// 分 in one printed hundredth of this unit (100 元 → 10,000 分 for 万元; 1 分 for 元).
    pub fn fen_per_hundredth(self) -> i128 {
        self.fen_per_unit() / 100
    }

    fn fen_per_unit(self) -> i128 {
        match self {
            AmountUnit::Yuan => FEN_PER_YUAN,
            AmountUnit::Wan => FEN_PER_WAN,
        }
    }
}

/// Why a written amount could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Not a plain decimal number (letters, two points, a stray sign, an exponent...).
    Malformed,
    /// More decimals than whole 分 allow in the declared unit.
    TooManyDecimals {
        /// Decimals allowed in the unit.
        allowed: u32,
    },
    /// Larger than any real account (over [`Money::MAX_ABS_FEN`] 分).
    TooLarge,
}

/// An exact amount of money in 元, held as an integer number of 分.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money {
    fen: i128,
}

impl Money {
    /// Zero.
    pub const ZERO: Money = Money { fen: 0 };

    /// The largest magnitude a single written amount may have: 10^18 分 (10^16 元, far above
    /// any public budget), so sums of any number of facts stay exact in an `i128`.
    pub const MAX_ABS_FEN: i128 = 1_000_000_000_000_000_000;

    /// The largest magnitude any amount may reach, sums included: 2^96 − 1 分, the largest
    /// exact decimal (`rust_decimal`'s mantissa), about 7.9 × 10^26 元.
    pub const MAX_FEN: i128 = (1 << 96) - 1;

    /// An amount of `fen` 分.
    pub const fn from_fen(fen: i128) -> Money {
        Money { fen }
    }

    /// An amount of whole 元.
    pub const fn from_yuan(yuan: i64) -> Money {
        Money {
            fen: yuan as i128 * FEN_PER_YUAN,
        }
    }

    /// The amount in 分.
    pub const fn fen(self) -> i128 {
        self.fen
    }

    /// True for zero.
    pub const fn is_zero(self) -> bool {
        self.fen == 0
    }

    /// True below zero.
    pub const fn is_negative(self) -> bool {
        self.fen < 0
    }

    /// Reads a plain decimal written in `unit`: digits, at most one point, an optional leading
    /// `-`, and thousands separators `,` between digit groups (`35,549.61`). Refuses anything
    /// that would need rounding: a 万元 figure may carry up to six decimals, a 元 figure two.
    pub fn parse(text: &str, unit: AmountUnit) -> Result<Money, AmountError> {
        let s = text.trim();
        let (negative, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int_part.is_empty() || (body.contains('.') && frac_part.is_empty()) {
            return Err(AmountError::Malformed);
        }
        let digits = strip_group_separators(int_part).ok_or(AmountError::Malformed)?;
        if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AmountError::Malformed);
        }
        let frac = frac_part.trim_end_matches('0');
        let allowed = unit.max_input_decimals();
        if frac.len() > allowed as usize {
            return Err(AmountError::TooManyDecimals { allowed });
        }
        let digits = digits.trim_start_matches('0');
        if digits.len() > 20 {
            return Err(AmountError::TooLarge);
        }
        let mut units: i128 = 0;
        for b in digits.bytes() {
            units = units * 10 + i128::from(b - b'0');
        }
        let mut frac_value: i128 = 0;
        for b in frac.bytes() {
            frac_value = frac_value * 10 + i128::from(b - b'0');
        }
        let frac_scale = 10_i128.pow(frac.len() as u32);
        let per = unit.fen_per_unit();
        let fen = units * per + frac_value * per / frac_scale;
        if fen > Money::MAX_ABS_FEN {
            return Err(AmountError::TooLarge);
        }
        Ok(Money {
            fen: if negative { -fen } else { fen },
        })
    }

    /// The amount rounded to 0.01 of `unit` for printing (half away from zero).
    pub fn display_in(self, unit: AmountUnit) -> Printed {
        let per_hundredth = unit.fen_per_hundredth();
        Printed {
            hundredths: div_round_half_away(self.fen, per_hundredth),
        }
    }

    /// The amount in 万元, rounded to two decimals for printing.
    pub fn to_wan(self) -> Printed {
        self.display_in(AmountUnit::Wan)
    }

    /// The exact amount in 元 as a decimal with two places.
    pub fn to_yuan_decimal(self) -> Decimal {
        Decimal::from_i128_with_scale(self.fen, 2)
    }

    /// The amount without its sign.
    pub fn abs(self) -> Money {
        Money::from_fen(self.fen.abs())
    }

    /// `self + other`, or `None` past [`Money::MAX_FEN`]: for sums whose number of terms the
    /// input does not bound.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        Money::within(self.fen.checked_add(other.fen)?)
    }

    /// `self − other`, or `None` past [`Money::MAX_FEN`].
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        Money::within(self.fen.checked_sub(other.fen)?)
    }

    /// The sum of `amounts`, or `None` as soon as it passes [`Money::MAX_FEN`].
    pub fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    fn within(fen: i128) -> Option<Money> {
        (fen.abs() <= Money::MAX_FEN).then_some(Money { fen })
    }
}

/// Why the operators may stop the program: only a bug can get there (see the module
/// documentation), and a wrong total must never be printed.
const OVERFLOW: &str = "money overflow: an amount passed Money::MAX_FEN";

/// Accepts `123`, `1,234`, `12,345,678`; refuses misplaced separators and non-digits.
fn strip_group_separators(s: &str) -> Option<String> {
    if !s.contains(',') {
        return s.bytes().all(|b| b.is_ascii_digit()).then(|| s.to_string());
    }
    let groups: Vec<&str> = s.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    let all_digits = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    (first_ok && rest_ok && all_digits).then(|| groups.concat())
}

/// `n / d` rounded half away from zero; `d` > 0.
fn div_round_half_away(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d { q + n.signum() } else { q }
}

impl fmt::Display for Money {
    /// Exact 元 with two decimals, no separators: `35549610000.00` is never printed by a table,
    /// which prints [`Printed`] instead.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_yuan_decimal())
    }
}

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Reads the exact 元 string written by [`Serialize`].
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let s = String::deserialize(d)?;
        Money::parse(&s, AmountUnit::Yuan)
            .map_err(|e| serde::de::Error::custom(format!("invalid amount {s:?}: {e:?}")))
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        self.checked_add(o).expect(OVERFLOW)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        *self = *self + o;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        self.checked_sub(o).expect(OVERFLOW)
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, o: Money) {
        *self = *self - o;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money::from_fen(-self.fen)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

/// A printed amount: an integer count of hundredths of the display unit (e.g. 0.01 万元).
///
/// What the reader of a table sees; it stands for every exact amount within half a hundredth.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Printed {
    hundredths: i128,
}

impl Printed {
    /// From a count of hundredths.
    pub const fn from_hundredths(hundredths: i128) -> Printed {
        Printed { hundredths }
    }

    /// The count of hundredths.
    pub const fn hundredths(self) -> i128 {
        self.hundredths
    }

    /// As a decimal with two places (for spreadsheet cells).
    pub fn to_decimal(self) -> Decimal {
        Decimal::from_i128_with_scale(self.hundredths, 2)
    }

    /// `35,549.61`: thousands separators, two decimals, as the tables print.
    pub fn grouped(self) -> String {
        let sign = if self.hundredths < 0 { "-" } else { "" };
        let abs = self.hundredths.unsigned_abs();
        let int = (abs / 100).to_string();
        let mut out = String::with_capacity(int.len() + int.len() / 3 + 4);
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        format!("{sign}{out}.{:02}", abs % 100)
    }

    /// `35549.61`: plain, as narratives print.
    pub fn plain(self) -> String {
        self.to_decimal().to_string()
    }
}

impl Serialize for Printed {
    /// Serialized as the plain decimal string, e.g. `"35549.61"`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.to_decimal())
    }
}

impl fmt::Display for Printed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.grouped())
    }
}

/// `numerator / denominator` as a percentage with `decimals` places, rounded half away from
/// zero exactly (integer arithmetic, no intermediate rounding). `None` when the denominator
/// is zero (a rate over a zero base is not printed) or the rate is too large to hold.
pub fn percent(numerator: Money, denominator: Money, decimals: u32) -> Option<Decimal> {
    if denominator.is_zero() || decimals > 6 {
        return None;
    }
    let scale = 100 * 10_i128.pow(decimals);
    let (n, d) = if denominator.fen < 0 {
        (-numerator.fen, -denominator.fen)
    } else {
        (numerator.fen, denominator.fen)
    };
    let scaled = n.checked_mul(scale)?;
    // A huge amount over a tiny base gives a rate no decimal holds: not printed either.
    Decimal::try_from_i128_with_scale(div_round_half_away(scaled, d), decimals).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn wan(s: &str) -> Money {
        Money::parse(s, AmountUnit::Wan).unwrap()
    }

    #[test]
    fn parses_wan_and_yuan() {
        assert_eq!(wan("35549.61").fen(), 35_549_610_000);
        assert_eq!(wan("35,549.61"), wan("35549.61"));
        assert_eq!(wan("0.000001").fen(), 1);
        assert_eq!(Money::parse("12.34", AmountUnit::Yuan).unwrap().fen(), 1234);
        assert_eq!(Money::parse("-5", AmountUnit::Yuan).unwrap().fen(), -500);
        assert_eq!(Money::parse("7.10", AmountUnit::Yuan).unwrap().fen(), 710);
    }

    #[test]
    fn refuses_what_would_need_rounding_or_guessing() {
        use AmountError::*;
        for bad in [
            "", "-", "1.", ".5", "1.2.3", "1e5", "+3", "12a", "1,23", "1,2345", ",123",
        ] {
            assert_eq!(
                Money::parse(bad, AmountUnit::Yuan),
                Err(Malformed),
                "{bad:?}"
            );
        }
        assert_eq!(
            Money::parse("0.001", AmountUnit::Yuan),
            Err(TooManyDecimals { allowed: 2 })
        );
        assert_eq!(
            Money::parse("0.0000001", AmountUnit::Wan),
            Err(TooManyDecimals { allowed: 6 })
        );
        assert_eq!(
            Money::parse("99999999999999999999", AmountUnit::Wan),
            Err(TooLarge)
        );
    }

    #[test]
    fn wan_display_rounds_half_away_from_zero() {
        let y = |s| Money::parse(s, AmountUnit::Yuan).unwrap();
        assert_eq!(y("12345.00").to_wan().grouped(), "1.23");
        assert_eq!(y("12350.00").to_wan().grouped(), "1.24");
        assert_eq!(y("12349.99").to_wan().grouped(), "1.23");
        assert_eq!(y("-12350.00").to_wan().grouped(), "-1.24");
        assert_eq!(wan("35549.61").to_wan().grouped(), "35,549.61");
        assert_eq!(wan("0").to_wan().grouped(), "0.00");
        assert_eq!(wan("1234567.8").to_wan().grouped(), "1,234,567.80");
        assert_eq!(wan("560").to_wan().plain(), "560.00");
    }

    #[test]
    fn operators_stop_rather_than_wrap() {
        let max = Money::from_fen(Money::MAX_FEN);
        assert_eq!(max.checked_add(Money::from_fen(1)), None);
        assert_eq!((-max).checked_sub(Money::from_fen(1)), None);
        assert_eq!(Money::checked_sum([max, max]), None);
        assert_eq!(Money::checked_sum([max, -max, max]), Some(max));
        assert_eq!(max.to_yuan_decimal().mantissa(), Money::MAX_FEN);
        let wrapped = std::panic::catch_unwind(|| max + Money::from_fen(1));
        assert!(wrapped.is_err(), "an overflowing sum must not wrap");
        let wrapped = std::panic::catch_unwind(|| [max, max].iter().sum::<Money>());
        assert!(wrapped.is_err());
    }

    #[test]
    fn percent_is_exact_and_refuses_zero_base() {
        let p = |a, b, d| percent(wan(a), wan(b), d).map(|x| x.to_string());
        assert_eq!(p("1466.62", "35549.61", 1).as_deref(), Some("4.1"));
        assert_eq!(p("552.98", "467.91", 2).as_deref(), Some("118.18"));
        assert_eq!(p("1", "8", 1).as_deref(), Some("12.5"));
        assert_eq!(p("1", "16", 2).as_deref(), Some("6.25"));
        assert_eq!(p("1", "16", 1).as_deref(), Some("6.3"));
        assert_eq!(p("-1", "16", 1).as_deref(), Some("-6.3"));
        assert_eq!(p("1", "0", 1), None);
        // 7.9 × 10^26 元 over one 分: a rate past any decimal, refused rather than a panic.
        let huge = Money::from_fen(Money::MAX_FEN);
        assert_eq!(percent(huge, Money::from_fen(1), 2), None);
        assert_eq!(percent(Money::from_fen(1), huge, 2), Some(Decimal::ZERO));
    }

    proptest! {
        #[test]
        fn parse_print_round_trip_in_yuan(fen in -(10_i128.pow(15))..10_i128.pow(15)) {
            let m = Money::from_fen(fen);
            prop_assert_eq!(Money::parse(&m.to_string(), AmountUnit::Yuan), Ok(m));
            prop_assert_eq!(serde_json::from_str::<Money>(&serde_json::to_string(&m).unwrap()).unwrap(), m);
        }

        #[test]
        fn wan_display_is_within_half_a_hundredth(fen in -(10_i128.pow(15))..10_i128.pow(15)) {
            let printed = Money::from_fen(fen).to_wan().hundredths();
            // One printed hundredth of 万元 is 10,000 分.
            let diff = (fen - printed * 10_000).abs();
            prop_assert!(diff <= 5_000);
        }

        #[test]
        fn grouped_and_plain_agree(h in -(10_i128.pow(14))..10_i128.pow(14)) {
            let p = Printed::from_hundredths(h);
            prop_assert_eq!(p.grouped().replace(',', ""), p.plain());
        }

        #[test]
        fn checked_arithmetic_is_exact_within_the_bound_and_refuses_past_it(
            a in -Money::MAX_FEN..=Money::MAX_FEN,
            b in -Money::MAX_FEN..=Money::MAX_FEN,
        ) {
            let (x, y) = (Money::from_fen(a), Money::from_fen(b));
            let sum = a + b;
            prop_assert_eq!(
                x.checked_add(y),
                (sum.abs() <= Money::MAX_FEN).then(|| Money::from_fen(sum))
            );
            prop_assert_eq!(
                x.checked_sub(y),
                ((a - b).abs() <= Money::MAX_FEN).then(|| Money::from_fen(a - b))
            );
            if let Some(s) = x.checked_add(y) {
                // Whatever is in bounds converts to an exact decimal.
                prop_assert_eq!(s.to_yuan_decimal().mantissa(), sum);
            }
        }

        #[test]
        fn sums_are_exact(xs in proptest::collection::vec(-(10_i128.pow(12))..10_i128.pow(12), 0..50)) {
            let total: Money = xs.iter().map(|&f| Money::from_fen(f)).sum();
            prop_assert_eq!(total.fen(), xs.iter().sum::<i128>());
        }
    }
}
