//! The figure viewer of the report page: every figure the narrative prints explains itself.
//!
//! The page carries, after its content, the facts a reader may ask about — for each printed
//! figure its name, exact value, definition in words and the table cells it reads (with their
//! names) — as a JSON island, and a small script (`data/templates/viewer.js`) that opens a panel
//! on a figure or a table cell (click, or Tab then Enter). The script only reads the page: the
//! printed page is unchanged (the panel and the highlights are hidden in print,
//! `data/templates/viewer.css`). The island is the same data as `report.json`'s figures
//! (docs: `juesuan.report/1`), limited to what the narrative prints, and with the names filled in.

use juesuan_core::Lang;
use juesuan_core::figures::{Figure, Value};
use juesuan_core::report::ReportData;
use juesuan_core::rules::RowRef;
use juesuan_core::rules::sheet::{CheckTable, Sheet};
use juesuan_core::views::Views;
use serde::Serialize;
use std::collections::BTreeMap;

use crate::narrative::{Block, Narrative, Segment};

/// The checks behind the cells, for the panel: which rules read each cell and whether they
/// held ([`juesuan_core::rules::RuleSet::checks_by_cell`]), and each rule's title.
#[derive(Default, Serialize)]
pub struct Checks {
    /// `table/row/column` → rule id → held everywhere it read the cell.
    pub by_cell: BTreeMap<String, BTreeMap<String, bool>>,
    /// Rule id → its title in the report's language.
    pub titles: BTreeMap<String, String>,
}

impl Checks {
    /// The checks of `rules` on the tables `views` (and the forms of `disclosure`), titles in
    /// `lang`.
    pub fn of(
        rules: &juesuan_core::rules::RuleSet,
        views: &Views,
        disclosure: &juesuan_core::disclosure::Disclosure,
        lang: Lang,
    ) -> Checks {
        let sheet = Sheet::of_build(views, disclosure);
        let by_cell = rules.checks_by_cell(&sheet);
        let titles = rules
            .rules
            .iter()
            .filter(|r| by_cell.values().any(|m| m.contains_key(&r.def.id)))
            .map(|r| (r.def.id.clone(), r.def.title.get(lang).to_string()))
            .collect();
        Checks { by_cell, titles }
    }
}

/// What the island says of one printed figure.
#[derive(Serialize)]
struct FigureInfo {
    /// Its name.
    label: String,
    /// money, ratio, count or score.
    kind: &'static str,
    /// The exact value (money in 元 with its cents; a ratio's two sides).
    exact: Vec<String>,
    /// The definition as the figure catalog writes it.
    formula: String,
    /// The definition in words: other figures by name, cells by table, row and column.
    words: String,
    /// The cells it reads: `table/row/column` (as the page's `data-table`, `data-row`,
    /// `data-key`) and their names.
    sources: Vec<(String, String)>,
}

/// The labels the panel prints, in the page's language.
#[derive(Serialize)]
struct Labels {
    close: &'static str,
    figure: &'static str,
    value: &'static str,
    exact: &'static str,
    definition: &'static str,
    sources: &'static str,
    cited: &'static str,
    parts: &'static str,
    whole: &'static str,
    none: &'static str,
    cell: &'static str,
    yuan: &'static str,
    over: &'static str,
    checks: &'static str,
    held: &'static str,
    failed: &'static str,
    /// Between a name and its value.
    sep: &'static str,
    /// Around a quoted sentence.
    open: &'static str,
    shut: &'static str,
}

impl Labels {
    fn of(lang: Lang) -> Labels {
        match lang {
            Lang::Zh => Labels {
                close: "关闭",
                figure: "数字",
                value: "所印数值",
                exact: "精确值",
                definition: "口径",
                sources: "来源单元格",
                cited: "情况说明中引用此格的数字",
                parts: "由以下各行加总",
                whole: "计入",
                none: "无",
                cell: "表格单元格",
                yuan: "元",
                over: "÷",
                checks: "核对它的规则",
                held: "相符",
                failed: "不符",
                sep: "：",
                open: "（",
                shut: "）",
            },
            Lang::En => Labels {
                close: "Close",
                figure: "Figure",
                value: "Printed",
                exact: "Exact value",
                definition: "Definition",
                sources: "Source cells",
                cited: "Figures of the narrative citing this cell",
                parts: "Sum of the rows",
                whole: "Adds up into",
                none: "none",
                cell: "Table cell",
                yuan: "yuan",
                over: "÷",
                checks: "Rules that check it",
                held: "holds",
                failed: "fails",
                sep: ": ",
                open: " (",
                shut: ")",
            },
        }
    }
}

#[derive(Serialize)]
struct Island<'a> {
    labels: Labels,
    figures: BTreeMap<&'a str, FigureInfo>,
    /// Column names by table and column key, for the panel of any table cell.
    columns: BTreeMap<String, BTreeMap<String, String>>,
    /// The rules behind each cell.
    checks: &'a Checks,
}

/// The viewer's markup for a report of `data` over `views` whose narrative is `narrative`: the
/// style, the data island and the script, to put at the end of the page's body.
pub fn markup(
    data: &ReportData,
    views: &Views,
    narrative: &Narrative,
    checks: &Checks,
    lang: Lang,
) -> String {
    let sheet = Sheet::from_views(views);
    let printed: Vec<&str> = narrative
        .blocks
        .iter()
        .flat_map(|b| match b {
            Block::Paragraph { segments } => segments.as_slice(),
            _ => &[],
        })
        .filter_map(|s| match s {
            Segment::Figure { key, .. } => Some(key.as_str()),
            Segment::Text { .. } => None,
        })
        .collect();
    let figures = printed
        .into_iter()
        .filter_map(|k| data.figures.get_key_value(k))
        .map(|(k, f)| (k.as_str(), info(f, data, &sheet, lang)))
        .collect();
    let columns = sheet
        .tables
        .iter()
        .map(|t| {
            let names = t
                .columns
                .iter()
                .map(|c| (c.key.clone(), t.column_name(&c.key).get(lang).to_string()))
                .collect();
            (t.id.key().to_string(), names)
        })
        .collect();
    let island = Island {
        labels: Labels::of(lang),
        figures,
        columns,
        checks,
    };
    // In a script element only `</` can end it early.
    let json = serde_json::to_string(&island)
        .expect("the island serializes")
        .replace("</", "<\\/");
    format!(
        "<style>{}</style>\n<script type=\"application/json\" id=\"figure-data\">{json}</script>\n<script>{}</script>\n",
        crate::html::builtin_template("viewer.css"),
        crate::html::builtin_template("viewer.js"),
    )
}

fn info(f: &Figure, data: &ReportData, sheet: &Sheet, lang: Lang) -> FigureInfo {
    let (kind, exact) = match &f.value {
        Value::Money { value } => ("money", vec![value.to_string()]),
        Value::Ratio { num, den } => ("ratio", vec![num.to_string(), den.to_string()]),
        Value::Count { value } => ("count", vec![value.to_string()]),
        Value::Score { value } => ("score", vec![value.to_string()]),
    };
    let sources: Vec<(String, String)> = f
        .sources
        .iter()
        .map(|s| (s.clone(), source_words(s, sheet, lang)))
        .collect();
    FigureInfo {
        label: f.label.get(lang).to_string(),
        kind,
        exact,
        formula: f.formula.clone(),
        words: formula_words(&f.formula, data, &sources, lang),
        sources,
    }
}

/// A source in words: `一般公共预算财政拨款支出决算表 206 科学技术支出 （合计）`; an input field
/// as `填报数据：path`.
fn source_words(source: &str, sheet: &Sheet, lang: Lang) -> String {
    if let Some(path) = source.strip_prefix("input:") {
        return match lang {
            Lang::Zh => format!("填报数据 {path}"),
            Lang::En => format!("input {path}"),
        };
    }
    let mut parts = source.splitn(3, '/');
    let (Some(table), Some(row), Some(column)) = (parts.next(), parts.next(), parts.next()) else {
        return source.to_string();
    };
    let Some(t) = sheet.table(table) else {
        return source.to_string();
    };
    let row_words = row_words(t, row, lang);
    let column_words = if column.is_empty() {
        String::new()
    } else {
        t.column_name(column).get(lang).to_string()
    };
    [t.describe().get(lang).to_string(), row_words, column_words]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn row_words(t: &CheckTable, row: &str, lang: Lang) -> String {
    let found = t.rows.iter().find(|r| {
        r.line.is_some_and(|l| l.to_string() == row)
            || r.code.as_deref() == Some(row)
            || r.compact_label() == row
    });
    match found {
        Some(r) if r.line.is_some() => {
            format!(
                "{} {}",
                RowRef::of(r).describe().get(lang),
                r.label.get(lang)
            )
        }
        Some(r) => RowRef::of(r).describe().get(lang).to_string(),
        None => row.to_string(),
    }
}

/// `formula` with other figures (`@key`) by name, cells (`table[…]`) by the words of its
/// sources in order, and the operators as printed (÷ ×).
fn formula_words(
    formula: &str,
    data: &ReportData,
    sources: &[(String, String)],
    lang: Lang,
) -> String {
    let quoted = |s: &str| match lang {
        Lang::Zh => format!("「{s}」"),
        Lang::En => format!("“{s}”"),
    };
    let cells: Vec<&str> = sources
        .iter()
        .filter(|(s, _)| !s.starts_with("input:"))
        .map(|(_, w)| w.as_str())
        .collect();
    let mut next_cell = cells.iter();
    let mut out = String::new();
    let chars: Vec<char> = formula.chars().collect();
    let mut i = 0;
    let ends = |c: char| c.is_whitespace() || "()+-*/,".contains(c);
    while i < chars.len() {
        let c = chars[i];
        if c == '@' {
            let start = i + 1;
            i = start;
            while i < chars.len() && !ends(chars[i]) {
                i += 1;
            }
            let key: String = chars[start..i].iter().collect();
            match data.figures.get(&key) {
                Some(f) => out.push_str(&quoted(f.label.get(lang))),
                None => out.push_str(&key),
            }
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if chars.get(i) == Some(&'[') {
                // A cell reference: up to its closing bracket.
                while i < chars.len() && chars[i] != ']' {
                    i += 1;
                }
                i = (i + 1).min(chars.len());
                match next_cell.next() {
                    Some(w) => out.push_str(&quoted(w)),
                    None => out.extend(chars[start..i].iter()),
                }
                continue;
            }
            out.push_str(&word);
            continue;
        }
        match c {
            '/' => out.push_str(" ÷ "),
            '*' => out.push_str(" × "),
            '+' => out.push_str(" + "),
            '-' => out.push_str(" − "),
            ' ' => {}
            _ => out.push(c),
        }
        i += 1;
    }
    out
}
