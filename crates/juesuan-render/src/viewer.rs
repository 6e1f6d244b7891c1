//! The figure viewer of the report page: every figure the narrative prints explains itself.
//!
//! The page carries, after its content, the facts a reader may ask about — for each printed
//! figure its name, exact value, definition in words and the table cells it reads (with their
//! names) — as a JSON island, and a small script (`data/templates/viewer.js`) that opens a panel
//! on a figure or a table cell (click, or Tab then Enter). The script only reads the page: the
//! printed page is unchanged (the panel and the highlights are hidden in print,
//! `data/templates/viewer.css`). The island is the same data as `report.json`'s figures
//! (docs: `juesuan.report/1`), limited to what the narrative prints, and with the names filled in.

use juesuan_core::figures::{Figure, Value};
use juesuan_core::report::ReportData;
use juesuan_core::rules::Finding;
use juesuan_core::rules::RowRef;
use juesuan_core::rules::claims::{Mention, NarrativeParagraph, Status, Unchecked, compared};
use juesuan_core::rules::finding::RowKey;
use juesuan_core::rules::sheet::{CheckTable, Sheet};
use juesuan_core::views::Views;
use juesuan_core::{Lang, Text};
use serde::Serialize;
use std::collections::BTreeMap;

use crate::narrative::{Block, Narrative, Segment};

/// The checks behind the cells, for the panel: which rules read each cell and whether they
/// held ([`juesuan_core::rules::RuleSet::checks_by_cell`]), and each rule's title.
#[derive(Default, Serialize)]
pub struct Checks {
    /// `table/row/column` → rule id → held everywhere it read the cell.
    pub by_cell: BTreeMap<String, BTreeMap<String, bool>>,
    /// Rule id → its title, in both languages.
    pub titles: BTreeMap<String, Text>,
    /// The tables as the rules read them: the explanations and the viewer name cells with the
    /// same sheet, built once per report.
    #[serde(skip)]
    sheet: Option<Sheet>,
}

impl Checks {
    /// The checks of `rules` on the tables `views` (and the forms of `disclosure`).
    pub fn of(
        rules: &juesuan_core::rules::RuleSet,
        views: &Views,
        disclosure: &juesuan_core::disclosure::Disclosure,
    ) -> Checks {
        Checks::on(rules, Sheet::of_build(views, disclosure))
    }

    /// The checks of `rules` on `sheet` (a build's tables and forms, [`Sheet::of_build`]).
    pub fn on(rules: &juesuan_core::rules::RuleSet, sheet: Sheet) -> Checks {
        let by_cell = rules.checks_by_cell(&sheet);
        let titles = rules
            .rules
            .iter()
            .filter(|r| by_cell.values().any(|m| m.contains_key(&r.def.id)))
            .map(|r| (r.def.id.clone(), r.def.title.clone()))
            .collect();
        Checks {
            by_cell,
            titles,
            sheet: Some(sheet),
        }
    }

    /// The sheet the checks read, or `views`' own where no rules ran.
    fn sheet<'s>(&'s self, views: &Views) -> std::borrow::Cow<'s, Sheet> {
        match &self.sheet {
            Some(s) => std::borrow::Cow::Borrowed(s),
            None => std::borrow::Cow::Owned(Sheet::from_views(views)),
        }
    }
}

/// The checks as the island gives them: titles in the page's language.
#[derive(Serialize)]
struct IslandChecks<'a> {
    by_cell: &'a BTreeMap<String, BTreeMap<String, bool>>,
    titles: BTreeMap<&'a str, &'a str>,
}

impl<'a> IslandChecks<'a> {
    fn of(c: &'a Checks, lang: Lang) -> IslandChecks<'a> {
        IslandChecks {
            by_cell: &c.by_cell,
            titles: c
                .titles
                .iter()
                .map(|(id, t)| (id.as_str(), t.get(lang)))
                .collect(),
        }
    }
}

/// A figure as `report.json` publishes it: as computed ([`Figure`]), and its definition in
/// words.
#[derive(Serialize)]
pub struct FigureJson<'a> {
    /// What it is called.
    pub label: &'a Text,
    /// Its value.
    pub value: &'a Value,
    /// Its definition as the catalog writes it.
    pub formula: &'a str,
    /// The cells and input fields it reads itself.
    pub sources: &'a [String],
    /// The formula in words: other figures by name, cells by table, row and column.
    pub definition: Text,
}

/// A table cell a figure reads, as `report.json` names it.
#[derive(Serialize)]
pub struct CellJson {
    /// The table: its number and title (`公开05表 一般公共预算财政拨款支出决算表`).
    pub table: Text,
    /// The row: `第32行 …`, `206 科学技术支出`, or its label.
    pub row: Text,
    /// The column's name (empty for a footer total, which adds whole panels).
    pub column: Text,
    /// The exact amount in 元 (`300486500.00`); `null` where the cell is blank.
    pub value: Option<String>,
}

/// What `report.json` publishes to explain its figures the way the viewer does: each figure
/// with its definition in words, every table cell a figure reads (named, with its exact
/// value; its address is the page's `data-table`/`data-row`/`data-key`), and the rules that
/// check each cell with their titles.
#[derive(Serialize)]
pub struct Explained<'a> {
    /// Every figure by key.
    pub figures: BTreeMap<&'a str, FigureJson<'a>>,
    /// Every cell a figure reads, by `table/row/column`.
    pub cells: BTreeMap<&'a str, CellJson>,
    /// `table/row/column` → rule id → whether it held everywhere it read the cell.
    pub checks: &'a BTreeMap<String, BTreeMap<String, bool>>,
    /// Rule id → title.
    pub rules: &'a BTreeMap<String, Text>,
}

/// The explanation of every figure of `data` over `views` ([`Explained`]).
pub fn explained<'a>(data: &'a ReportData, views: &Views, checks: &'a Checks) -> Explained<'a> {
    let sheet = checks.sheet(views);
    // Figures share their cells: each source is named once, in both languages.
    let mut named: BTreeMap<&str, (String, String)> = BTreeMap::new();
    let mut cells = BTreeMap::new();
    for s in data.figures.values().flat_map(|f| &f.sources) {
        if named.contains_key(s.as_str()) {
            continue;
        }
        named.insert(
            s,
            (
                source_words(s, &sheet, Lang::Zh),
                source_words(s, &sheet, Lang::En),
            ),
        );
        if let Some(c) = cell_json(s, views, &sheet) {
            cells.insert(s.as_str(), c);
        }
    }
    let figures = data
        .figures
        .iter()
        .map(|(k, f)| {
            let words = |lang: Lang| {
                let sources: Vec<(String, String)> = f
                    .sources
                    .iter()
                    .map(|s| {
                        let (zh, en) = &named[s.as_str()];
                        let w = if lang == Lang::Zh { zh } else { en };
                        (s.clone(), w.clone())
                    })
                    .collect();
                formula_words(&f.formula, data, &sources, lang)
            };
            let definition = Text::new(words(Lang::Zh), words(Lang::En));
            (
                k.as_str(),
                FigureJson {
                    label: &f.label,
                    value: &f.value,
                    formula: &f.formula,
                    sources: &f.sources,
                    definition,
                },
            )
        })
        .collect();
    Explained {
        figures,
        cells,
        checks: &checks.by_cell,
        rules: &checks.titles,
    }
}

/// The cell `table/row/column` of `views`, named; `None` for an input field or an address no
/// table has.
fn cell_json(source: &str, views: &Views, sheet: &Sheet) -> Option<CellJson> {
    let mut parts = source.splitn(3, '/');
    let (table, row, column) = (parts.next()?, parts.next()?, parts.next()?);
    let v = views.tables.iter().find(|v| v.id.key() == table)?;
    let t = sheet.table(table)?;
    let column_name = if column.is_empty() {
        Text::default()
    } else {
        // Findings put it after a row's words; here it stands alone.
        let c = t.column_name(column);
        Text::new(c.zh.trim(), c.en.trim())
    };
    if let Some(item) = v
        .footer
        .iter()
        .find(|i| juesuan_core::text::compact(&i.label.zh) == row)
    {
        return Some(CellJson {
            table: t.describe(),
            row: item.label.clone(),
            column: column_name,
            value: Some(item.value.to_string()),
        });
    }
    for (pi, panel) in v.panels.iter().enumerate() {
        let Some(index) = v
            .value_columns(pi)
            .position(|c| c.key.as_deref() == Some(column))
        else {
            continue;
        };
        // A table of one line (公开09) addresses its cells by column alone.
        let Some(r) = panel.rows.iter().find(|r| {
            r.address().as_deref() == Some(row) || (row.is_empty() && r.address().is_none())
        }) else {
            continue;
        };
        let key = match (r.line, &r.code) {
            (Some(l), _) => RowKey::Line(l),
            (None, Some(c)) => RowKey::Code(c.clone()),
            (None, None) => RowKey::Label(juesuan_core::text::compact(&r.label.zh)),
        };
        let row_words = row_name(&RowRef {
            key,
            label: r.label.clone(),
        });
        return Some(CellJson {
            table: t.describe(),
            row: row_words,
            column: column_name,
            value: r
                .values
                .get(index)
                .copied()
                .flatten()
                .map(|m| m.to_string()),
        });
    }
    None
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
    /// An audited number: where it is printed, what became of it, what it was compared with
    /// and the findings on its line.
    place: &'static str,
    result: &'static str,
    compared: &'static str,
    findings: &'static str,
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
                place: "位置",
                result: "核对结果",
                compared: "比对",
                findings: "本行的审查发现",
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
                place: "Where",
                result: "Result",
                compared: "Compared with",
                findings: "Findings on this line",
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
    checks: IslandChecks<'a>,
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
    let sheet = checks.sheet(views);
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
        checks: IslandChecks::of(checks, lang),
    };
    with_script(&island, Script::Inline)
}

/// How a page carries the viewer's script.
#[derive(Clone, Copy, Debug)]
pub enum Script<'a> {
    /// In the page (a self-contained file).
    Inline,
    /// From this address (a page whose policy runs no inline script: the web app's).
    Src(&'a str),
}

/// The viewer's script itself (`data/templates/viewer.js`), for a server to serve.
pub fn script() -> &'static str {
    crate::html::builtin_template("viewer.js")
}

/// The style, the data island `island` and the script.
fn with_script(island: &impl Serialize, script: Script<'_>) -> String {
    // In a script element only `</` can end it early.
    let json = serde_json::to_string(island)
        .expect("the island serializes")
        .replace("</", "<\\/");
    let script = match script {
        Script::Inline => format!("<script>{}</script>", self::script()),
        Script::Src(src) => {
            let mut tag = String::from("<script src=\"");
            crate::html::push_escaped(&mut tag, src);
            tag.push_str("\" defer></script>");
            tag
        }
    };
    format!(
        "<style>{}</style>\n<script type=\"application/json\" id=\"figure-data\">{json}</script>\n{script}\n",
        crate::html::builtin_template("viewer.css"),
    )
}

/// An audited report's narrative, as the panel shows it over the published text.
pub struct AuditedText<'a> {
    /// The narrative's paragraphs as the auditor read them.
    pub paragraphs: &'a [NarrativeParagraph],
    /// Every number of the narrative, checked or why not (each with its place in
    /// `paragraphs`).
    pub mentions: &'a [Mention],
    /// The names of the mentions' subjects.
    pub subjects: &'a BTreeMap<String, Text>,
    /// The tables read and the narrative's claims (what a checked number was compared with).
    pub sheet: &'a Sheet,
    /// The audit's findings (those on a number's line are listed with it).
    pub findings: &'a [Finding],
    /// A document line as people find it (`第 12 页`, `第 412 行`).
    pub place: &'a dyn Fn(u32) -> String,
    /// The page's language.
    pub lang: Lang,
}

/// What became of a number: a CSS class of its mark and the panel's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum State {
    Held,
    Contradicted,
    Bounded,
    Unchecked,
}

impl State {
    fn of(m: &Mention) -> State {
        match m.status {
            Status::Checked { holds: true, .. } => State::Held,
            Status::Checked { holds: false, .. } => State::Contradicted,
            Status::NotCheckable {
                reason: Unchecked::Bounded,
            } => State::Bounded,
            Status::NotCheckable { .. } => State::Unchecked,
        }
    }

    /// Every state, in the legend's order (the order of the variants: `as usize` indexes it).
    const ALL: [State; 4] = [
        State::Held,
        State::Contradicted,
        State::Bounded,
        State::Unchecked,
    ];

    fn class(self) -> &'static str {
        match self {
            State::Held => "m-held",
            State::Contradicted => "m-contradicted",
            State::Bounded => "m-bounded",
            State::Unchecked => "m-unchecked",
        }
    }

    fn words(self) -> Text {
        match self {
            State::Held => Text::new("已核对，相符", "checked: agrees"),
            State::Contradicted => Text::new("已核对，不符", "checked: contradicted"),
            State::Bounded => Text::new("只能核对大小或范围", "only bounded"),
            State::Unchecked => Text::new("无法核对", "not checkable"),
        }
    }
}

/// What the island says of one number of an audited narrative.
#[derive(Serialize)]
struct MentionInfo {
    text: String,
    subject: String,
    place: String,
    state: State,
    result: String,
    compared: Option<String>,
    findings: Vec<String>,
}

#[derive(Serialize)]
struct AuditedIsland {
    labels: Labels,
    mentions: Vec<MentionInfo>,
}

/// The audited narrative as a section of the page: its paragraphs as read, every number
/// marked by what became of it (agrees, contradicted, only bounded, not checkable) and opening
/// the viewer's panel — what it was read as, where it is printed, what it was compared with and
/// the findings on its line — with a legend, the data island and the script.
pub fn audited(a: &AuditedText<'_>, script: Script<'_>) -> String {
    let lang = a.lang;
    let mut by_paragraph: Vec<Vec<(usize, &Mention)>> = vec![Vec::new(); a.paragraphs.len()];
    for (i, m) in a.mentions.iter().enumerate() {
        if let Some(at) = m.at
            && let Some(list) = by_paragraph.get_mut(at.paragraph)
        {
            list.push((i, m));
        }
    }
    let mut counts = [0usize; 4];
    for m in a.mentions {
        counts[State::of(m) as usize] += 1;
    }
    let mut out =
        String::from("<section class=\"audited-text\" id=\"audited-text\">\n<p class=\"legend\">");
    for (state, n) in State::ALL.iter().zip(counts) {
        out.push_str(&format!(
            "<span class=\"key {}\">{}</span> {n}　",
            state.class(),
            state.words().get(lang)
        ));
    }
    out.push_str("</p>\n");
    for (p, marks) in a.paragraphs.iter().zip(&mut by_paragraph) {
        marks.sort_by_key(|(_, m)| m.at.map_or(0, |at| at.start));
        let first = p.lines.first().map_or(0, |(_, l)| *l);
        out.push_str(&format!("<p data-line=\"{first}\">"));
        paragraph_markup(&mut out, p, marks);
        out.push_str("</p>\n");
    }
    out.push_str("</section>\n");
    let mentions = a.mentions.iter().map(|m| mention_info(a, m)).collect();
    let island = AuditedIsland {
        labels: Labels::of(lang),
        mentions,
    };
    out.push_str(&with_script(&island, script));
    out
}

/// `p`'s text with its numbers `marks` marked. A document line starts a new line of the
/// page after one that ends a sentence or a clause (`。：；`) or is short (a heading, a
/// paragraph's last line); a line wrapped mid-sentence (a PDF's) runs on.
fn paragraph_markup(out: &mut String, p: &NarrativeParagraph, marks: &[(usize, &Mention)]) {
    let text = p.text.as_str();
    let mut breaks: Vec<usize> = Vec::new();
    for w in p.lines.windows(2) {
        let (from, to) = (w[0].0, w[1].0);
        let Some(line) = text.get(from..to) else {
            continue;
        };
        let ends = line
            .chars()
            .next_back()
            .is_some_and(|c| "。：；！？:;".contains(c));
        if ends || line.chars().count() < 24 {
            breaks.push(to);
        }
    }
    let mut at = 0;
    let mut next_break = breaks.iter().peekable();
    let mut plain = |out: &mut String, from: usize, to: usize| {
        let mut start = from;
        while let Some(&&b) = next_break.peek() {
            if b > to {
                break;
            }
            next_break.next();
            if b < start {
                continue;
            }
            crate::html::push_escaped(out, text.get(start..b).unwrap_or_default());
            out.push_str("<br>");
            start = b;
        }
        crate::html::push_escaped(out, text.get(start..to).unwrap_or_default());
    };
    for (i, m) in marks {
        let Some(span) = m.at else { continue };
        let Some(number) = text.get(span.start..span.end) else {
            continue;
        };
        if span.start < at {
            continue;
        }
        plain(out, at, span.start);
        out.push_str(&format!(
            "<span class=\"fig {}\" data-mention=\"{i}\" data-line=\"{}\">",
            State::of(m).class(),
            m.line
        ));
        crate::html::push_escaped(out, number);
        out.push_str("</span>");
        at = span.end;
    }
    plain(out, at, text.len());
}

fn mention_info(a: &AuditedText<'_>, m: &Mention) -> MentionInfo {
    let lang = a.lang;
    let state = State::of(m);
    let subject = match a.subjects.get(&m.subject) {
        Some(label) => label.get(lang).to_string(),
        None => m.subject.trim_start_matches(['?', '§']).to_string(),
    };
    let result = match &m.status {
        Status::NotCheckable { reason } if *reason != Unchecked::Bounded => format!(
            "{}{}{}",
            state.words().get(lang),
            Labels::of(lang).sep,
            reason.text().get(lang)
        ),
        _ => state.words().get(lang).to_string(),
    };
    let compared = m
        .claim
        .and_then(|c| a.sheet.claims.get(c))
        .and_then(|c| compared(a.sheet, c))
        .map(|(_, t)| t.get(lang).to_string());
    let findings = a
        .findings
        .iter()
        .filter(|f| f.rule.starts_with('N') && f.source().is_some_and(|p| p.line == m.line))
        .map(|f| format!("{} {}", f.rule, f.message.get(lang)))
        .collect();
    MentionInfo {
        text: m.text.clone(),
        subject,
        place: (a.place)(m.line),
        state,
        result,
        compared,
        findings,
    }
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
        t.column_name(column).get(lang).trim().to_string()
    };
    [t.describe().get(lang).to_string(), row_words, column_words]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn row_words(t: &CheckTable, row: &str, lang: Lang) -> String {
    // Compared without building a string per row: a report's tables have hundreds.
    let line: Option<u32> = row.parse().ok();
    let compact_is = |label: &str| label.chars().filter(|c| !c.is_whitespace()).eq(row.chars());
    let found = t.rows.iter().find(|r| {
        (line.is_some() && r.line == line)
            || r.code.as_deref() == Some(row)
            || compact_is(&r.label.zh)
    });
    match found {
        Some(r) => row_name(&RowRef::of(r)).get(lang).to_string(),
        None => row.to_string(),
    }
}

/// A row as findings name it, a 行次 followed by the row's label: `第32行 总计`,
/// `206 科学技术支出`, `合计`, `数据行`.
fn row_name(row: &RowRef) -> Text {
    let d = row.describe();
    match row.key {
        RowKey::Line(_) => Text::new(
            format!("{} {}", d.zh, row.label.zh),
            format!("{} {}", d.en, row.label.get(Lang::En)),
        ),
        _ => d,
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

#[cfg(test)]
mod tests {
    use super::*;
    use juesuan_core::rules::claims::At;

    fn mention(line: u32, text: &str, start: usize, end: usize, status: Status) -> Mention {
        Mention {
            line,
            text: text.into(),
            section: None,
            subject: "grand_total".into(),
            status,
            paragraph: 1,
            at: Some(At {
                paragraph: 0,
                start,
                end,
            }),
            claim: None,
        }
    }

    /// The text is kept byte for byte (escaped), each number marked by what became of it, a
    /// line break kept after a heading and a sentence, not inside a wrapped sentence.
    #[test]
    fn numbers_are_marked_in_the_text_as_read() {
        let heading = "一、总体情况";
        let first = "收入支出总计2995.39万元，比上年减少<1>";
        let second = "56.95万元。";
        let text = format!("{heading}{first}{second}");
        let p = NarrativeParagraph {
            text: text.clone(),
            lines: vec![
                (0, 10),
                (heading.len(), 11),
                (heading.len() + first.len(), 12),
            ],
        };
        let at = |s: &str| text.find(s).unwrap();
        let a = at("2995.39");
        let b = at("56.95");
        let mentions = vec![
            mention(
                11,
                "2995.39万元",
                a,
                a + "2995.39万元".len(),
                Status::Checked {
                    against: "grand_total".into(),
                    holds: false,
                },
            ),
            mention(
                12,
                "56.95万元",
                b,
                b + "56.95万元".len(),
                Status::NotCheckable {
                    reason: Unchecked::Bounded,
                },
            ),
        ];
        let sheet = Sheet {
            department: String::new(),
            tables: Vec::new(),
            evaluations: None,
            claims: Vec::new(),
        };
        let place = |l: u32| format!("第 {l} 行");
        let subjects =
            BTreeMap::from([("grand_total".to_string(), Text::new("收支总计", "total"))]);
        let html = audited(
            &AuditedText {
                paragraphs: std::slice::from_ref(&p),
                mentions: &mentions,
                subjects: &subjects,
                sheet: &sheet,
                findings: &[],
                place: &place,
                lang: Lang::Zh,
            },
            Script::Src("/viewer.js"),
        );
        assert!(html.contains(
            "<p data-line=\"10\">一、总体情况<br>收入支出总计<span class=\"fig m-contradicted\" data-mention=\"0\" data-line=\"11\">2995.39万元</span>，比上年减少&lt;1&gt;<span class=\"fig m-bounded\" data-mention=\"1\" data-line=\"12\">56.95万元</span>。</p>"
        ), "{html}");
        assert!(html.contains("<span class=\"key m-contradicted\">已核对，不符</span> 1"));
        assert!(
            html.contains("<script src=\"&#x2f;viewer.js\" defer></script>"),
            "{html}"
        );
        assert!(html.contains("\"subject\":\"收支总计\""));
        assert!(html.contains("\"place\":\"第 11 行\""));
        assert!(!html.contains("<script>"), "no inline script");
    }
}
