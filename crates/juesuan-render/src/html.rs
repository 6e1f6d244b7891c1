//! HTML of the nine tables: one self-contained, print-ready page.
//!
//! The page is rendered by a minijinja template kept as data ([`template`],
//! `data/templates/tables.html.j2`), so a region can ship its own look without a code change.
//! This module only turns [`Views`] into a plain model of strings ([`PageModel`]): the
//! template decides markup, CSS and the fixed words of the page.
//!
//! Every printed amount carries its figure as data: `data-value` (the printed decimal, e.g.
//! `35549.61`), `data-row` (行次, else code, else the row's Chinese label) and `data-col`
//! (栏次), so the web app, the audit and scripts read figures back from the HTML instead of
//! parsing grouped text. Each `<table>` says which table it is (`data-table`, the id key that
//! is also its anchor) and the unit of its figures (`data-unit`, `万元`). A footer total
//! (公开06 人员经费合计) has its label as `data-row` and no `data-col`: it adds whole panels.

use juesuan_core::Lang;
use juesuan_core::views::{Content, View, Views};
use minijinja::Environment;
use minijinja::value::Serde;
use serde::Serialize;
use std::fmt;
use std::sync::OnceLock;

/// The built-in report template file `name` of `data/templates/` (one of the built-in assets,
/// [`juesuan_input::assets`]).
pub fn builtin_template(name: &str) -> &'static str {
    let path = format!("data/templates/{name}");
    juesuan_input::assets::builtin_files()
        .iter()
        .find(|(p, _)| *p == path)
        .map_or("", |(_, text)| text)
}

/// The built-in template of the page (`data/templates/tables.html.j2`).
pub fn template() -> &'static str {
    builtin_template("tables.html.j2")
}

/// The built-in template of the whole report (`data/templates/report.html.j2`).
pub fn report_template() -> &'static str {
    builtin_template("report.html.j2")
}

/// Parts every page template may include or import.
const PARTS: &[&str] = &["style.css", "macros.html.j2"];

/// An environment with the shared parts and `template` under `name`.
pub(crate) fn environment<'a>(
    name: &'a str,
    template: &'a str,
) -> Result<Environment<'a>, HtmlError> {
    let mut env = Environment::new();
    // Block tags on their own lines leave no blank lines behind, so the output reads well
    // and snapshots stay small.
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()?,
    );
    // A misspelt field must fail loudly, not print an empty cell.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for n in PARTS {
        env.add_template(n, builtin_template(n))?;
    }
    env.add_template(name, template)?;
    Ok(env)
}

/// The name templates are registered under: its `.html` suffix turns on HTML autoescaping
/// (minijinja ignores the `.j2`), whatever template is rendered.
const TEMPLATE_NAME: &str = "tables.html.j2";

/// Why a page could not be rendered.
#[derive(Debug)]
pub enum HtmlError {
    /// The template does not parse or fails while rendering.
    Template(minijinja::Error),
}

impl fmt::Display for HtmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HtmlError::Template(e) => write!(f, "HTML template: {e:#}"),
        }
    }
}

impl std::error::Error for HtmlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HtmlError::Template(e) => Some(e),
        }
    }
}

impl From<minijinja::Error> for HtmlError {
    fn from(e: minijinja::Error) -> HtmlError {
        HtmlError::Template(e)
    }
}

/// The views as one self-contained HTML page, with the built-in template.
pub fn page(views: &Views, lang: Lang) -> Result<String, HtmlError> {
    page_of(&PageModel::new(views, lang))
}

/// The page of a model already built (a report's, [`crate::report::Rendered::tables`]), with
/// the built-in template.
pub fn page_of(model: &PageModel) -> Result<String, HtmlError> {
    static ENV: OnceLock<Option<Environment<'static>>> = OnceLock::new();
    render_builtin(&ENV, TEMPLATE_NAME, template(), &BuiltinPage::of(model))
}

/// A page as the built-in templates read it: the [`PageModel`] without its cells as template
/// values, since those templates print the rows' markup (`header_html`, `rows_html`) and
/// converting every cell into a template value took about as long as printing it.
#[derive(Serialize)]
pub(crate) struct BuiltinPage<'a> {
    lang: &'static str,
    html_lang: &'static str,
    department: &'a str,
    year: i32,
    layout: &'a str,
    unit: &'static str,
    meta: &'a [String; 3],
    generator: &'a str,
    titles: &'a [String; 4],
    tables: Vec<BuiltinTable<'a>>,
}

/// A [`TableModel`] without `header` and `rows`.
#[derive(Serialize)]
struct BuiltinTable<'a> {
    key: &'a str,
    number: &'a Option<String>,
    title: &'a str,
    landscape: bool,
    widths: &'a [String],
    header_html: &'a str,
    rows_html: &'a str,
    note: &'a Option<String>,
    empty_note: &'a Option<String>,
    meta: &'a [String; 3],
    unit: &'a str,
}

impl<'a> BuiltinPage<'a> {
    pub(crate) fn of(m: &'a PageModel) -> BuiltinPage<'a> {
        BuiltinPage {
            lang: m.lang,
            html_lang: m.html_lang,
            department: &m.department,
            year: m.year,
            layout: &m.layout,
            unit: m.unit,
            meta: &m.meta,
            generator: &m.generator,
            titles: &m.titles,
            tables: m
                .tables
                .iter()
                .map(|t| BuiltinTable {
                    key: &t.key,
                    number: &t.number,
                    title: &t.title,
                    landscape: t.landscape,
                    widths: &t.widths,
                    header_html: &t.header_html,
                    rows_html: &t.rows_html,
                    note: &t.note,
                    empty_note: &t.empty_note,
                    meta: &t.meta,
                    unit: t.unit,
                })
                .collect(),
        }
    }
}

/// `model` rendered by a built-in template, whose environment is compiled once per process
/// and shared by every render (compiling took as long as a small table's rendering).
pub(crate) fn render_builtin<M: Serialize>(
    cache: &'static OnceLock<Option<Environment<'static>>>,
    name: &'static str,
    template: &'static str,
    model: &M,
) -> Result<String, HtmlError> {
    match cache.get_or_init(|| environment(name, template).ok()) {
        Some(env) => Ok(env.get_template(name)?.render(Serde(model))?),
        // Compiled again to say why it does not compile.
        None => render_with(name, template, model),
    }
}

/// `model` rendered by `template` (named `name` in its errors), compiled for this render.
pub(crate) fn render_with<M: Serialize>(
    name: &str,
    template: &str,
    model: &M,
) -> Result<String, HtmlError> {
    let env = environment(name, template)?;
    Ok(env.get_template(name)?.render(Serde(model))?)
}

/// The views as one HTML page rendered by `template` (minijinja syntax, HTML autoescaped);
/// the template receives a [`PageModel`] as its context.
pub fn page_with(views: &Views, lang: Lang, template: &str) -> Result<String, HtmlError> {
    render_with(TEMPLATE_NAME, template, &PageModel::new(views, lang))
}

/// What a template sees: every text already in the page's language.
#[derive(Clone, Debug, Serialize)]
pub struct PageModel {
    /// `zh` or `en`: picks the template's own fixed words.
    pub lang: &'static str,
    /// The `lang` attribute of `<html>` (`zh-CN`, `en`).
    pub html_lang: &'static str,
    /// Department name.
    pub department: String,
    /// Fiscal year.
    pub year: i32,
    /// Layout id (for the generator comment).
    pub layout: String,
    /// Amount unit in Chinese (`万元`) whatever the page's language: the `data-unit` of the
    /// tables, read by machines like the other data attributes.
    pub unit: &'static str,
    /// The line above each table: department, year, unit.
    pub meta: [String; 3],
    /// Version of the writer (for the generator comment).
    pub generator: String,
    /// What the document is called, filled in: the report's heading and title bar, the
    /// tables page's heading and title bar (its kind's titles).
    pub titles: [String; 4],
    /// Tables in printed order.
    pub tables: Vec<TableModel>,
}

/// One table of the page.
#[derive(Clone, Debug, Serialize)]
pub struct TableModel {
    /// Table id key (`summary`, `income`, ...): the anchor of the table.
    pub key: String,
    /// Printed number (公开01表).
    pub number: Option<String>,
    /// Title.
    pub title: String,
    /// Printed on landscape A4.
    pub landscape: bool,
    /// Relative width of each body column, `23.4%`; empty when the layout gives none.
    pub widths: Vec<String>,
    /// The same widths in thousandths of the table's width (what `widths` prints), for
    /// writers that measure columns themselves (the Word document).
    pub shares: Vec<u32>,
    /// Header rows, each with its cells left to right.
    pub header: Vec<Vec<HeaderModel>>,
    /// Body rows.
    pub rows: Vec<Vec<CellModel>>,
    /// The header rows as markup, one `<tr>…</tr>` a line, escaped: what the built-in
    /// templates print (see [`row_markup`]).
    pub header_html: String,
    /// The body rows as markup, like `header_html`.
    pub rows_html: String,
    /// Note under the table (注：…).
    pub note: Option<String>,
    /// Sentence printed because the table is empty.
    pub empty_note: Option<String>,
    /// The line above it: department, year and unit (what the layout prints of them).
    pub meta: [String; 3],
    /// The unit its amounts print in (`万元`).
    pub unit: &'static str,
}

/// A header cell.
#[derive(Clone, Debug, Serialize)]
pub struct HeaderModel {
    /// Text.
    pub text: String,
    /// Rows covered.
    pub rowspan: usize,
    /// Columns covered.
    pub colspan: usize,
}

/// A body cell (cells covered by a merged cell are left out, as HTML wants).
#[derive(Clone, Debug, Serialize)]
pub struct CellModel {
    /// Printed text (amounts grouped: `35,549.61`).
    pub text: String,
    /// Columns covered.
    pub colspan: usize,
    /// What the column shows: `label`, `line`, `code`, `value`...; drives alignment.
    pub kind: &'static str,
    /// Printed bold.
    pub strong: bool,
    /// Plain printed decimal of an amount (`35549.61`).
    pub value: Option<String>,
    /// Address of the amount's row: 行次, else code, else the Chinese label.
    pub row: Option<String>,
    /// 栏次 of the amount's column.
    pub col: Option<String>,
    /// Key of the amount's column (what it means: `fiscal`, `basic`…).
    pub key: Option<String>,
}

impl PageModel {
    /// The model of `views` in `lang`.
    pub fn new(views: &Views, lang: Lang) -> PageModel {
        PageModel {
            lang: match lang {
                Lang::Zh => "zh",
                Lang::En => "en",
            },
            html_lang: match lang {
                Lang::Zh => "zh-CN",
                Lang::En => "en",
            },
            department: views.department.clone(),
            year: views.year,
            layout: views.layout.clone(),
            unit: views.amount_unit.zh(),
            // A layout may print only some of department, year and unit.
            meta: [
                views.meta.department.as_ref(),
                views.meta.year.as_ref(),
                Some(&views.meta.unit),
            ]
            .map(|t| t.map_or_else(String::new, |t| t.get(lang).to_string())),
            generator: format!("juesuan-render {}", env!("CARGO_PKG_VERSION")),
            titles: {
                let t = &views.titles;
                [&t.report, &t.report_title, &t.tables, &t.tables_title].map(|x| {
                    juesuan_core::kind::DocumentTitles::fill(x, &views.department, views.year, lang)
                })
            },
            tables: views.tables.iter().map(|v| table(v, views, lang)).collect(),
        }
    }
}

fn table(view: &View, views: &Views, lang: Lang) -> TableModel {
    let mut header: Vec<Vec<HeaderModel>> = vec![Vec::new(); view.header_rows];
    let mut cells: Vec<_> = view.header.iter().collect();
    cells.sort_by_key(|c| (c.row, c.col));
    for c in cells {
        if let Some(row) = header.get_mut(c.row) {
            row.push(HeaderModel {
                text: c.text.get(lang).to_string(),
                rowspan: c.rowspan,
                colspan: c.colspan,
            });
        }
    }
    let rows = body(view, views, lang);
    let shares = shares(view);
    let unit_line = views.unit_line(view);
    let meta = [
        views.meta.department.as_ref(),
        views.meta.year.as_ref(),
        Some(&unit_line),
    ]
    .map(|t| t.map_or_else(String::new, |t| t.get(lang).to_string()));
    TableModel {
        meta,
        unit: views.unit_of(view).zh(),
        header_html: header_markup(&header),
        rows_html: row_markup(&rows),
        key: view.id.key().to_string(),
        number: view.number.as_ref().map(|t| t.get(lang).to_string()),
        title: view.title.get(lang).to_string(),
        landscape: view.landscape,
        widths: shares
            .iter()
            .map(|p| format!("{}.{}%", p / 10, p % 10))
            .collect(),
        shares,
        header,
        rows,
        note: view.note.as_ref().map(|t| t.get(lang).to_string()),
        empty_note: view.empty_note.as_ref().map(|t| t.get(lang).to_string()),
    }
}

/// The header rows' markup, as the loop over `t.header` in a template would write it:
/// `<th>` with `rowspan` and `colspan` when over 1, `scope` `colgroup` or `col`.
pub fn header_markup(header: &[Vec<HeaderModel>]) -> String {
    let mut out = String::with_capacity(header.iter().map(|r| 64 * r.len() + 10).sum());
    for row in header {
        out.push_str("<tr>");
        for h in row {
            out.push_str("<th");
            if h.rowspan > 1 {
                push_attr(&mut out, "rowspan", &h.rowspan.to_string());
            }
            if h.colspan > 1 {
                push_attr(&mut out, "colspan", &h.colspan.to_string());
                out.push_str(" scope=\"colgroup\"");
            } else {
                out.push_str(" scope=\"col\"");
            }
            out.push('>');
            push_escaped(&mut out, &h.text);
            out.push_str("</th>");
        }
        out.push_str("</tr>\n");
    }
    out
}

/// The body rows' markup, as the loop over `t.rows` in a template would write it: each cell a
/// `<td>` whose classes are its column's kind and `strong`, with the data attributes of an
/// amount (`data-value`, `data-row`, `data-col`, `data-key`). Written here rather than by the
/// template because it is most of a page (a cell at a time, a template engine took a quarter
/// of a build); the template keeps the page, the table element and the look (CSS on these
/// classes), and may still loop over `t.rows` itself.
pub fn row_markup(rows: &[Vec<CellModel>]) -> String {
    let mut out = String::with_capacity(rows.iter().map(|r| 96 * r.len() + 10).sum());
    for row in rows {
        out.push_str("<tr>");
        for c in row {
            out.push_str("<td class=\"");
            push_escaped(&mut out, c.kind);
            if c.strong {
                out.push_str(" strong");
            }
            out.push('"');
            if c.colspan > 1 {
                push_attr(&mut out, "colspan", &c.colspan.to_string());
            }
            for (name, value) in [
                ("data-value", &c.value),
                ("data-row", &c.row),
                ("data-col", &c.col),
                ("data-key", &c.key),
            ] {
                if let Some(v) = value {
                    push_attr(&mut out, name, v);
                }
            }
            out.push('>');
            push_escaped(&mut out, &c.text);
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out
}

/// ` name="value"`, the value escaped.
fn push_attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_escaped(out, value);
    out.push('"');
}

/// `text` escaped exactly as the templates' autoescaping does, so that markup written here and
/// markup a template writes are the same bytes.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    use std::fmt::Write;
    if text
        .bytes()
        .any(|b| matches!(b, b'<' | b'>' | b'&' | b'"' | b'\'' | b'/'))
    {
        // Writing to a String cannot fail.
        let _ = write!(out, "{}", minijinja::HtmlEscape(text));
    } else {
        out.push_str(text);
    }
}

/// Column widths in thousandths of the table, from the layout's character widths (integer
/// arithmetic: one decimal of a percent is plenty and keeps output deterministic).
fn shares(view: &View) -> Vec<u32> {
    if view.columns.iter().any(|c| c.width.is_none()) {
        return Vec::new();
    }
    let total: u32 = view
        .columns
        .iter()
        .map(|c| u32::from(c.width.unwrap_or(0)))
        .sum();
    if total == 0 {
        return Vec::new();
    }
    view.columns
        .iter()
        .map(|c| u32::from(c.width.unwrap_or(0)) * 1000 / total)
        .collect()
}

/// The body, each amount with its address (行次 or code, and 栏次) from the grid.
fn body(view: &View, views: &Views, lang: Lang) -> Vec<Vec<CellModel>> {
    view.body_grid(lang, views.unit_of(view))
        .iter()
        .map(|cells| {
            cells
                .iter()
                .filter(|c| c.content != Content::Covered)
                .map(|c| CellModel {
                    text: c.text(),
                    colspan: c.colspan,
                    kind: c.column.key(),
                    strong: c.strong,
                    value: match &c.content {
                        Content::Amount(p) => Some(p.plain()),
                        _ => None,
                    },
                    row: c.row.clone(),
                    col: c.col.clone(),
                    key: c.key.clone(),
                })
                .collect()
        })
        .collect()
}
