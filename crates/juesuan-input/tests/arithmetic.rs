//! Money across every magnitude a department meets, 0.01 元 to 10^12 元: printing rounds half
//! away from zero exactly once (checked against `rust_decimal`'s own rounding), what prints
//! parses back, the rules' intervals hold exactly the amounts that print alike, and sums
//! cannot overflow for anything the readers accept.

use juesuan_core::money::{AmountUnit, Money, Printed};
use juesuan_core::rules::Figure;
use juesuan_input::Source;
use juesuan_input::compile::compile_with_builtins;
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

/// 10^12 元 in 分.
const MAX_TESTED_FEN: i128 = 100_000_000_000_000;

/// An amount of 分 whose magnitude is spread evenly over the decades from 0.01 元 (1 分) to
/// 10^12 元, either sign: uniform sampling would almost never try small amounts.
fn amounts() -> impl Strategy<Value = i128> {
    (0u32..14, any::<u64>(), any::<bool>()).prop_map(|(decade, x, negative)| {
        let low = 10_i128.pow(decade);
        let fen = (low + i128::from(x) % (9 * low)).min(MAX_TESTED_FEN);
        if negative { -fen } else { fen }
    })
}

/// The amount written in `unit` with every decimal it has (6 for 万元, 2 for 元).
fn written(fen: i128, unit: AmountUnit) -> Decimal {
    match unit {
        AmountUnit::Yuan => Decimal::from_i128_with_scale(fen, 2),
        AmountUnit::Wan => Decimal::from_i128_with_scale(fen, 6),
    }
}

fn printed_like_decimal(fen: i128, unit: AmountUnit) -> Decimal {
    written(fen, unit).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// The printed figure is the exact amount rounded half away from zero to 0.01 of the
    /// unit, by an independent implementation, in both units.
    #[test]
    fn printing_rounds_half_away_from_zero_once(fen in amounts()) {
        let m = Money::from_fen(fen);
        for unit in [AmountUnit::Yuan, AmountUnit::Wan] {
            prop_assert_eq!(m.display_in(unit).to_decimal(), printed_like_decimal(fen, unit));
        }
        // In 元 nothing rounds.
        prop_assert_eq!(m.display_in(AmountUnit::Yuan).hundredths(), fen);
    }

    /// Exactly half a printed step rounds away from zero; a 分 less rounds toward it.
    #[test]
    fn halves_round_away_from_zero(hundredths in 0_i128..10_000_000_000, negative in any::<bool>()) {
        let sign = if negative { -1 } else { 1 };
        let step = AmountUnit::Wan.fen_per_hundredth();
        let half = Money::from_fen(sign * (hundredths * step + step / 2));
        let below = Money::from_fen(sign * (hundredths * step + step / 2 - 1));
        prop_assert_eq!(half.to_wan().hundredths(), sign * (hundredths + 1));
        prop_assert_eq!(below.to_wan().hundredths(), sign * hundredths);
    }

    /// Whatever prints parses back: an amount written with all its decimals, plain or with
    /// thousands separators, is read to the 分.
    #[test]
    fn written_amounts_read_back_exactly(fen in amounts()) {
        let fen = fen.abs();
        for unit in [AmountUnit::Yuan, AmountUnit::Wan] {
            let text = written(fen, unit).to_string();
            prop_assert_eq!(Money::parse(&text, unit).map(Money::fen), Ok(fen), "{}", text);
        }
        // `1,234,567.89`, as tables print 元.
        let yuan = Printed::from_hundredths(fen).grouped();
        prop_assert_eq!(Money::parse(&yuan, AmountUnit::Yuan).map(Money::fen), Ok(fen), "{}", yuan);
    }

    /// A printed figure stands for exactly the whole-分 amounts that print the same (the
    /// rules' interval semantics), at every magnitude and in both units.
    #[test]
    fn a_printed_figure_stands_for_the_amounts_that_print_alike(fen in amounts()) {
        for unit in [AmountUnit::Yuan, AmountUnit::Wan] {
            let printed = Money::from_fen(fen).display_in(unit);
            let i = Figure::Printed { value: printed, unit }.interval();
            prop_assert!(i.lo <= fen && fen <= i.hi);
            for inside in [i.lo, i.hi] {
                prop_assert_eq!(Money::from_fen(inside).display_in(unit), printed);
            }
            for outside in [i.lo - 1, i.hi + 1] {
                prop_assert_ne!(Money::from_fen(outside).display_in(unit), printed);
            }
            // A step wide, but for zero: both half steps round away from it.
            let width = unit.fen_per_hundredth() - i128::from(printed.hundredths() == 0 && unit == AmountUnit::Wan);
            prop_assert_eq!(i.hi - i.lo + 1, width);
        }
    }
}

/// The module documentation's argument, as arithmetic: a file of at most `Source::MAX_BYTES`
/// bytes holds fewer facts than bytes, each at most `Money::MAX_ABS_FEN`; their sum stays
/// within `Money::MAX_FEN`, the exact-decimal bound. Raising either limit fails here first.
#[test]
fn no_sum_of_one_files_facts_can_overflow() {
    let facts = Source::MAX_BYTES as i128;
    let largest_sum = Money::MAX_ABS_FEN.checked_mul(facts).unwrap();
    assert!(
        largest_sum <= Money::MAX_FEN,
        "{largest_sum} > {}",
        Money::MAX_FEN
    );
    let sum = Money::checked_sum(std::iter::repeat_n(
        Money::from_fen(Money::MAX_ABS_FEN),
        1 << 10,
    ))
    .unwrap();
    assert_eq!(sum.fen(), Money::MAX_ABS_FEN << 10);
    assert_eq!(sum.to_yuan_decimal().mantissa(), sum.fen());
}

/// End to end: amounts at the largest the reader accepts consolidate and lay out exactly;
/// one 分 more is refused where it is written.
#[test]
fn the_largest_amounts_compile_exactly_and_one_fen_more_is_refused() {
    let fact = |source: &str, function: &str, amount: &str| {
        format!("  {{ source = \"{source}\", function = \"{function}\", amount = {amount} }},\n")
    };
    let max = "10000000000000000";
    let mut text = String::from(
        "department = { name = \"测试局\", year = 2023, amount_unit = \"元\" }\nincome = [\n",
    );
    for source in ["事业收入", "经营收入", "其他收入"] {
        for function in ["2060101", "2060102"] {
            text.push_str(&fact(source, function, max));
        }
    }
    text.push_str("]\n");
    let built = compile_with_builtins("max.toml", &text).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(built.ledger.total_income().fen(), 6 * Money::MAX_ABS_FEN);
    assert_eq!(
        built.ledger.total_income().to_wan().grouped(),
        "6,000,000,000,000.00"
    );

    let over = text.replacen(max, "10000000000000000.01", 1);
    let problems = compile_with_builtins("over.toml", &over).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(
        (problems[0].code, problems[0].location.to_string()),
        ("E0205", "over.toml:3:53".to_string())
    );
}

/// A layout can make sums grow without bound (a line adding the line before it twenty
/// times, eighteen lines deep): the overflow is an error at the first cell past the bound
/// (line 24 here: 20^16 × the line-1 figure), never a wrapped or a crashed total.
#[test]
fn a_layout_whose_sums_overflow_is_refused_at_the_cell() {
    use juesuan_input::compile::{LayoutChoice, catalog, compile};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut layout = std::fs::read_to_string(
        root.join("data/kinds/final-accounts/layouts/hubei-wuhan-2023.toml"),
    )
    .unwrap()
    .replace("id = \"hubei-wuhan-2023\"", "id = \"doubling\"");
    for line in 9..=26 {
        let previous = if line == 9 { 1 } else { line - 1 };
        let refs = vec![previous.to_string(); 20].join(", ");
        let blank = format!("  {{ line = {line} }},\n");
        assert!(
            layout.contains(&blank),
            "line {line} is no longer blank in the layout"
        );
        layout = layout.replace(
            &blank,
            &format!("  {{ line = {line}, label = \"x\", sum = [{refs}] }},\n"),
        );
    }
    let input = std::fs::read_to_string(root.join("examples/three-units-2024.toml")).unwrap();
    let choice = LayoutChoice::File(Source::new("doubling.toml", layout));
    let problems = compile(
        &Source::new("three-units-2024.toml", input),
        &juesuan_input::assets::Assets::builtin().unwrap(),
        &catalog(true, &[]).unwrap(),
        &choice,
    )
    .unwrap_err();
    assert!(
        problems.iter().all(|d| d.code == "E0404"
            && matches!(d.location, juesuan_core::Location::View { ref row, .. } if row == "24")),
        "{problems:#?}"
    );
    assert!(!problems.is_empty());
}
