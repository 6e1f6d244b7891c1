//! The report's charts as inline SVG: the same picture on screen and on paper, deterministic,
//! labelled in the report's language. Geometry uses exact decimals (no binary floating point).

use juesuan_core::Lang;
use juesuan_core::figures::ChartKind;
use juesuan_core::money::{AmountUnit, Money, percent};
use juesuan_core::report::{Figure, ReportData, Value};
use rust_decimal::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write;

const FONT: &str =
    "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif";

/// The charts' fonts, in order of preference (their `font-family`): what a writer drawing them
/// itself (the Word document's pictures) looks for.
pub fn font_families() -> impl Iterator<Item = &'static str> {
    FONT.split(',').map(str::trim)
}
/// Fills: a dark blue, an orange, and greys, legible in black-and-white print.
const FILLS: &[&str] = &[
    "#1f4e79", "#d9822b", "#7f7f7f", "#a9c4e0", "#4d4d4d", "#f2c28f",
];

fn money(figures: &BTreeMap<String, Figure>, key: &str) -> Option<Money> {
    match figures.get(key)?.value {
        Value::Money { value } => Some(value),
        _ => None,
    }
}

fn wan(m: Money) -> String {
    m.display_in(AmountUnit::Wan).plain()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The unit note of a chart (`单位：万元`, `Unit: 10,000 yuan`).
fn unit_note(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("单位：{}", AmountUnit::Wan.zh()),
        Lang::En => format!("Unit: {}", AmountUnit::Wan.en()),
    }
}

/// Two bars, last year and this year, each labelled with its amount in 万元.
fn bars_svg(title: &str, bars: &[(String, Money)], lang: Lang) -> String {
    let (w, h, top, base) = (480, 300, 50, 250);
    let max = bars.iter().map(|(_, m)| m.fen()).max().unwrap_or(0).max(1);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" font-family="{FONT}" font-size="14"><title>{t}</title>"#,
        t = esc(title)
    );
    let _ = write!(
        svg,
        r##"<line x1="40" y1="{base}" x2="{}" y2="{base}" stroke="#000" stroke-width="1"/>"##,
        w - 40
    );
    let slot = (w - 80) / bars.len().max(1) as i128;
    for (i, (label, m)) in bars.iter().enumerate() {
        let height = (base - top) * m.fen().max(0) / max;
        let x = 40 + slot * i as i128 + slot / 4;
        let bw = slot / 2;
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="{}" width="{bw}" height="{height}" fill="{}"/>"#,
            base - height,
            FILLS[i % FILLS.len()]
        );
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            x + bw / 2,
            base - height - 8,
            wan(*m)
        );
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            x + bw / 2,
            base + 22,
            esc(label)
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{}" y="28" text-anchor="middle" font-size="13">{}</text></svg>"#,
        w - 70,
        esc(&unit_note(lang))
    );
    svg
}

fn point(cx: Decimal, cy: Decimal, r: Decimal, turn: Decimal) -> (Decimal, Decimal) {
    // Angles start at twelve o'clock and run clockwise.
    let a = turn * Decimal::TWO_PI;
    (
        (cx + r * a.sin()).round_dp(2),
        (cy - r * a.cos()).round_dp(2),
    )
}

/// A ring of shares, each labelled in a legend with its amount and its share (1 decimal).
/// Chinese legends carry the unit on every line (`万元`); English ones state it once, above.
fn donut(title: &str, parts: &[(String, Money)], lang: Lang) -> String {
    let total: Money = parts.iter().map(|(_, m)| *m).sum();
    let (cx, cy, r, inner) = (
        Decimal::from(140),
        Decimal::from(150),
        Decimal::from(110),
        Decimal::from(62),
    );
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 520 300" role="img" aria-label="{t}" font-family="{FONT}" font-size="14"><title>{t}</title>"#,
        t = esc(title)
    );
    if lang == Lang::En {
        let _ = write!(
            svg,
            r#"<text x="290" y="36" font-size="13">{}</text>"#,
            esc(&unit_note(lang))
        );
    }
    let mut start = Decimal::ZERO;
    let shown: Vec<&(String, Money)> = parts.iter().filter(|(_, m)| !m.is_zero()).collect();
    for (i, (label, m)) in shown.iter().enumerate() {
        let fill = FILLS[i % FILLS.len()];
        let share = if total.is_zero() {
            Decimal::ZERO
        } else {
            m.to_yuan_decimal() / total.to_yuan_decimal()
        };
        if shown.len() == 1 {
            let _ = write!(
                svg,
                r#"<circle cx="{cx}" cy="{cy}" r="{}" fill="none" stroke="{fill}" stroke-width="{}"/>"#,
                (r + inner) / Decimal::TWO,
                r - inner
            );
        } else {
            let end = start + share;
            let large = if share > Decimal::new(5, 1) { 1 } else { 0 };
            let (x1, y1) = point(cx, cy, r, start);
            let (x2, y2) = point(cx, cy, r, end);
            let (x3, y3) = point(cx, cy, inner, end);
            let (x4, y4) = point(cx, cy, inner, start);
            let _ = write!(
                svg,
                r##"<path d="M{x1} {y1} A{r} {r} 0 {large} 1 {x2} {y2} L{x3} {y3} A{inner} {inner} 0 {large} 0 {x4} {y4} Z" fill="{fill}" stroke="#fff" stroke-width="1"/>"##
            );
            start = end;
        }
        let y = 70 + 40 * i as i64;
        let pct = percent(*m, total, 1)
            .map(|p| p.to_string())
            .unwrap_or_default();
        let amount = match lang {
            Lang::Zh => format!("{} 万元（{pct}%）", wan(*m)),
            Lang::En => format!("{} ({pct}%)", wan(*m)),
        };
        let _ = write!(
            svg,
            r#"<rect x="290" y="{}" width="16" height="16" fill="{fill}"/><text x="314" y="{}">{}</text><text x="314" y="{}" font-size="12">{}</text>"#,
            y - 13,
            y,
            esc(label),
            y + 17,
            esc(&amount)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The charts of the report in `lang`, by the ids the narrative template uses: each as its
/// bundle's figure catalog defines it ([`juesuan_core::figures::ChartDef`]), from the figures
/// of `data`. A figure a department does not have is left out of its chart.
pub fn charts(data: &ReportData, lang: Lang) -> BTreeMap<String, String> {
    let f = &data.figures;
    let year = |y: i32| match lang {
        Lang::Zh => format!("{y}年"),
        Lang::En => y.to_string(),
    };
    data.charts
        .iter()
        .map(|c| {
            let title = c.title.get(lang);
            let svg = match c.kind {
                ChartKind::Bars => {
                    let bars: Vec<(String, Money)> = c
                        .bars
                        .iter()
                        .filter_map(|b| Some((year(data.year + b.year), money(f, &b.figure)?)))
                        .collect();
                    bars_svg(title, &bars, lang)
                }
                ChartKind::Donut => {
                    let parts: Vec<(String, Money)> = c
                        .parts
                        .iter()
                        .filter_map(|k| {
                            let fig = f.get(k)?;
                            Some((fig.terse.get(lang).to_string(), money(f, k)?))
                        })
                        .collect();
                    donut(title, &parts, lang)
                }
            };
            (c.id.clone(), svg)
        })
        .collect()
}
