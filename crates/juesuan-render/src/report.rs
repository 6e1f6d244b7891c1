//! The whole disclosure as one print-ready HTML document: the narrative (parts one, three to
//! six), the nine tables, the charts and the performance forms, from
//! `data/templates/report.html.j2` (data). And its JSON twin: every block, every printed
//! figure with its key, and every figure with its formula and sources.

use crate::charts;
use crate::html::{HtmlError, PageModel, report_template};
use crate::narrative::{Block, Narrative, Segment};
use juesuan_core::disclosure::{Indicator, KeyWorkItem};
use juesuan_core::money::{AmountUnit, Money};
use juesuan_core::report::{Figure, ReportData};
use juesuan_core::scoring;
use juesuan_core::views::Views;
use juesuan_core::{Lang, Text};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A block as the template sees it.
#[derive(Clone, Debug, Serialize)]
pub struct BlockModel {
    /// `heading`, `paragraph` or the insert's name (`tables`, `chart`, `key_work`,
    /// `evaluation`, `page`).
    pub kind: String,
    /// Heading level.
    pub level: u8,
    /// Anchor of a heading.
    pub id: String,
    /// Escaped HTML of a heading or paragraph; printed figures are spans with their key.
    pub html: String,
    /// The plain text of a heading or paragraph (what `html` shows), for writers of other
    /// formats (the Word document).
    pub text: String,
    /// An insert's argument.
    pub arg: Option<String>,
    /// An insert's caption.
    pub caption: Option<String>,
}

/// An entry of the table of contents.
#[derive(Clone, Debug, Serialize)]
pub struct TocEntry {
    /// Anchor.
    pub id: String,
    /// Heading level (1 or 2).
    pub level: u8,
    /// Text.
    pub text: String,
}

/// One indicator row of a form, with the rowspans of its merged 一级/二级 cells.
#[derive(Clone, Debug, Serialize)]
pub struct IndicatorRow {
    /// 一级指标, printed on the first row of its run.
    pub level1: Option<(String, usize)>,
    /// 二级指标, likewise.
    pub level2: Option<(String, usize)>,
    /// The indicator.
    pub name: String,
    /// 年初目标值.
    pub target: String,
    /// 实际完成值.
    pub actual: String,
    /// 得分 as entered.
    pub score: String,
}

/// A project's form (附件).
#[derive(Clone, Debug, Serialize)]
pub struct ProjectForm {
    /// 附件 number.
    pub annex: usize,
    /// 1-based position among projects.
    pub index: usize,
    /// 项目名称.
    pub name: String,
    /// 主管部门.
    pub department: String,
    /// 项目实施单位.
    pub implementer: String,
    /// 单位名称（盖章）.
    pub unit_name: String,
    /// 填报日期.
    pub filled_on: String,
    /// 预算数, 执行数, 执行率, 执行得分, as printed.
    pub budget: String,
    /// See `budget`.
    pub actual: String,
    /// See `budget`.
    pub rate: String,
    /// See `budget`.
    pub execution: String,
    /// 年初设定目标 and 全年实际完成情况, and the goal's score.
    pub goal_target: String,
    /// See `goal_target`.
    pub goal_actual: String,
    /// See `goal_target`.
    pub goal_score: String,
    /// Indicators.
    pub indicators: Vec<IndicatorRow>,
    /// 偏差大或目标未完成原因分析.
    pub deviation: String,
    /// 改进措施及结果应用方案.
    pub improvement_plan: String,
    /// 自评得分: computed, or "—" when the form lacks parts.
    pub score: String,
    /// 自评得分 as the department entered it, when it differs from the computed one.
    pub reported_score: Option<String>,
}

/// A goal of the department-wide form.
#[derive(Clone, Debug, Serialize)]
pub struct GoalForm {
    /// Position, from 1.
    pub index: usize,
    /// Weight, as printed.
    pub weight: String,
    /// The goal.
    pub text: String,
    /// Its indicators.
    pub indicators: Vec<IndicatorRow>,
}

/// The department-wide form (附件1).
#[derive(Clone, Debug, Serialize)]
pub struct DepartmentForm {
    /// 单位名称 (the department).
    pub department: String,
    /// 单位名称（盖章）.
    pub unit_name: String,
    /// 填报日期.
    pub filled_on: String,
    /// 总分.
    pub score: String,
    /// 基本支出总额 and 项目支出总额 (万元).
    pub basic: String,
    /// See `basic`.
    pub project: String,
    /// 预算数, 执行数, 执行率, 得分.
    pub budget: String,
    /// See `budget`.
    pub actual: String,
    /// See `budget`.
    pub rate: String,
    /// See `budget`.
    pub execution: String,
    /// Goals.
    pub goals: Vec<GoalForm>,
}

/// What the report template sees.
#[derive(Clone, Debug, Serialize)]
pub struct ReportModel {
    /// The tables page's model (tables, meta line, language).
    pub page: PageModel,
    /// The narrative.
    pub blocks: Vec<BlockModel>,
    /// Headings of parts and sections, for the contents.
    pub toc: Vec<TocEntry>,
    /// Charts by id (SVG markup).
    pub charts: BTreeMap<String, String>,
    /// Key-work table.
    pub key_work: Vec<KeyWorkItem>,
    /// Department-wide form.
    pub department_form: Option<DepartmentForm>,
    /// Project forms.
    pub project_forms: Vec<ProjectForm>,
    /// Points of the scoring scheme, as the forms' headers print them.
    pub scheme: SchemePoints,
    /// The figure viewer (style, data and script, [`crate::viewer`]), for the end of the body.
    pub viewer: String,
}

/// The scheme's points as printed.
#[derive(Clone, Debug, Serialize)]
pub struct SchemePoints {
    /// Budget execution.
    pub execution: String,
    /// A project's overall goal.
    pub goal: String,
    /// Indicators.
    pub indicators: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn block_html(b: &Block) -> String {
    match b {
        Block::Heading { text, .. } => escape(text),
        Block::Paragraph { segments } => segments
            .iter()
            .map(|s| match s {
                Segment::Text { text } => escape(text),
                Segment::Figure { key, text } => format!(
                    "<span class=\"fig\" data-figure=\"{}\">{}</span>",
                    escape(key),
                    escape(text)
                ),
            })
            .collect(),
        Block::Insert { .. } => String::new(),
    }
}

fn wan(m: Money) -> String {
    m.display_in(AmountUnit::Wan).plain()
}

fn points(d: Decimal) -> String {
    d.round_dp(2).normalize().to_string()
}

/// Indicator rows with the runs of equal 一级 and 二级 labels merged.
fn indicator_rows(list: &[Indicator]) -> Vec<IndicatorRow> {
    let mut rows: Vec<IndicatorRow> = Vec::with_capacity(list.len());
    for (i, ind) in list.iter().enumerate() {
        let l1 = if i > 0 && list[i - 1].level1 == ind.level1 {
            None
        } else {
            let n = list[i..]
                .iter()
                .take_while(|x| x.level1 == ind.level1)
                .count();
            Some((ind.level1.clone(), n))
        };
        // A 二级 run never crosses a 一级 boundary.
        let l2 = if i > 0 && list[i - 1].level2 == ind.level2 && list[i - 1].level1 == ind.level1 {
            None
        } else {
            let n = list[i..]
                .iter()
                .take_while(|x| x.level2 == ind.level2 && x.level1 == ind.level1)
                .count();
            Some((ind.level2.clone(), n))
        };
        rows.push(IndicatorRow {
            level1: l1,
            level2: l2,
            name: ind.name.clone(),
            target: ind.target.clone(),
            actual: ind.actual.clone(),
            score: ind.score.map(points).unwrap_or_default(),
        });
    }
    rows
}

fn money_of(figures: &BTreeMap<String, Figure>, key: &str) -> Option<Money> {
    match figures.get(key)?.value {
        juesuan_core::report::Value::Money { value } => Some(value),
        _ => None,
    }
}

/// The report's model, its viewer without the checks behind the cells.
pub fn model(views: &Views, narrative: &Narrative, data: &ReportData, lang: Lang) -> ReportModel {
    model_with(views, narrative, data, &Default::default(), lang)
}

/// The report's model, its viewer showing `checks`.
pub fn model_with(
    views: &Views,
    narrative: &Narrative,
    data: &ReportData,
    checks: &crate::viewer::Checks,
    lang: Lang,
) -> ReportModel {
    let scheme = &data.scheme;
    let mut toc = Vec::new();
    let mut n = 0;
    let blocks = narrative
        .blocks
        .iter()
        .map(|b| {
            let (kind, level, arg, caption) = match b {
                Block::Heading { level, .. } => ("heading".to_string(), *level, None, None),
                Block::Paragraph { .. } => ("paragraph".to_string(), 0, None, None),
                Block::Insert { what, arg, caption } => {
                    (what.clone(), 0, arg.clone(), caption.clone())
                }
            };
            let id = if kind == "heading" {
                n += 1;
                format!("s{n}")
            } else {
                String::new()
            };
            if kind == "heading" && level <= 2 {
                toc.push(TocEntry {
                    id: id.clone(),
                    level,
                    text: b.text(),
                });
            }
            BlockModel {
                kind,
                level,
                id,
                html: block_html(b),
                text: b.text(),
                arg,
                caption,
            }
        })
        .collect();
    let d = &data.disclosure;
    let perf = d.performance.as_ref();
    let annex_base = usize::from(perf.is_some_and(|p| p.department.is_some()));
    let project_forms = data
        .projects
        .iter()
        .map(|p| {
            let e = &p.evaluation;
            let s = scoring::project(e, scheme);
            let score = s.total.map(points).unwrap_or_else(|| "—".into());
            ProjectForm {
                annex: p.index + annex_base,
                index: p.index,
                name: e.name.clone(),
                department: e.department.clone(),
                implementer: e.implementer.clone(),
                unit_name: e.unit_name.clone().unwrap_or_default(),
                filled_on: e.filled_on.clone().unwrap_or_default(),
                budget: wan(e.budget),
                actual: wan(e.actual),
                rate: s.rate_percent.map(|r| format!("{r}%")).unwrap_or_default(),
                execution: points(s.execution),
                goal_target: e.goal_target.clone(),
                goal_actual: e.goal_actual.clone(),
                goal_score: e.goal_score.map(points).unwrap_or_default(),
                indicators: indicator_rows(&e.indicators),
                deviation: e.deviation.clone().unwrap_or_default(),
                improvement_plan: e.improvement_plan.clone().unwrap_or_default(),
                reported_score: e.reported_score.filter(|r| Some(*r) != s.total).map(points),
                score,
            }
        })
        .collect();
    let department_form = perf.and_then(|p| p.department.as_ref()).map(|dep| {
        let s = scoring::department(dep, scheme);
        DepartmentForm {
            department: data.department.clone(),
            unit_name: dep.unit_name.clone().unwrap_or_default(),
            filled_on: dep.filled_on.clone().unwrap_or_default(),
            score: s.total.map(points).unwrap_or_else(|| "—".into()),
            basic: money_of(&data.figures, "expenditure.basic")
                .map(wan)
                .unwrap_or_default(),
            project: money_of(&data.figures, "expenditure.project")
                .map(wan)
                .unwrap_or_default(),
            budget: wan(dep.budget),
            actual: wan(dep.actual),
            rate: s.rate_percent.map(|r| format!("{r}%")).unwrap_or_default(),
            execution: points(s.execution),
            goals: dep
                .goals
                .iter()
                .enumerate()
                .map(|(i, g)| GoalForm {
                    index: i + 1,
                    weight: points(g.weight),
                    text: g.text.clone(),
                    indicators: indicator_rows(&g.indicators),
                })
                .collect(),
        }
    });
    ReportModel {
        page: PageModel::new(views, lang),
        blocks,
        toc,
        charts: charts::charts(data, lang),
        key_work: d.key_work.items.clone(),
        department_form,
        project_forms,
        scheme: SchemePoints {
            execution: points(scheme.execution),
            goal: points(scheme.goal),
            indicators: points(scheme.indicators),
        },
        viewer: crate::viewer::markup(data, views, narrative, checks, lang),
    }
}

/// A report rendered: the HTML document and its JSON twin.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// The print-ready document.
    pub html: String,
    /// Narrative blocks and figures with provenance.
    pub json: Vec<u8>,
    /// The report's model: what the document shows, built once for every format made from
    /// it (its `page` is the tables page's model, [`crate::html::page_of`]; the Word
    /// document is [`crate::docx::document`] of it).
    pub model: ReportModel,
}

/// Why a report could not be rendered.
#[derive(Debug)]
pub enum ReportError {
    /// The narrative template failed: syntax, an unknown figure, a rate over a zero base. The
    /// line is the template's.
    Narrative {
        /// Line in the template, when known.
        line: Option<usize>,
        /// What went wrong.
        message: String,
    },
    /// The document template failed (a bug of the built-in template).
    Html(HtmlError),
}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReportError::Narrative { message, .. } => f.write_str(message),
            ReportError::Html(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReportError {}

/// The whole report of a build: the figures of `figures` (its bundle's catalog), the narrative
/// from `template`, the document and its JSON.
pub fn render(
    facts: &juesuan_core::facts::DepartmentYear,
    views: &Views,
    catalog: &juesuan_core::Catalog,
    figures: &juesuan_core::figures::FigureCatalog,
    rules: &juesuan_core::rules::RuleSet,
    template: &str,
    lang: Lang,
) -> Result<Rendered, ReportError> {
    // One sheet of the tables for the figures, the checks and the explanations.
    let sheet = juesuan_core::rules::Sheet::of_build(views, &facts.disclosure);
    let data = juesuan_core::report::report_data_on(facts, views, &sheet, catalog, figures);
    let narrative = crate::narrative::narrative(&data, template, lang).map_err(|e| {
        // The error and the template's line, without minijinja's debug dump of variables.
        let source = e
            .line()
            .and_then(|l| template.lines().nth(l.saturating_sub(1)))
            .map(|l| format!("\n    | {}", l.trim()))
            .unwrap_or_default();
        ReportError::Narrative {
            line: e.line(),
            message: format!("{e}{source}"),
        }
    })?;
    // The page's viewer shows the checks behind each cell too.
    let checks = crate::viewer::Checks::on(rules, sheet);
    let model = model_with(views, &narrative, &data, &checks, lang);
    let html = html(&model).map_err(ReportError::Html)?;
    Ok(Rendered {
        html,
        json: json(&narrative, &data, views, &checks),
        model,
    })
}

/// The report as one HTML document, with the built-in template.
pub fn html(model: &ReportModel) -> Result<String, HtmlError> {
    static ENV: std::sync::OnceLock<Option<minijinja::Environment<'static>>> =
        std::sync::OnceLock::new();
    let m = model;
    let builtin = BuiltinReport {
        page: crate::html::BuiltinPage::of(&m.page),
        blocks: &m.blocks,
        toc: &m.toc,
        charts: &m.charts,
        key_work: &m.key_work,
        department_form: &m.department_form,
        project_forms: &m.project_forms,
        scheme: &m.scheme,
        viewer: &m.viewer,
    };
    crate::html::render_builtin(&ENV, REPORT_TEMPLATE_NAME, report_template(), &builtin)
}

/// A [`ReportModel`] as the built-in template reads it: its tables without their cells as
/// template values (see `html::BuiltinPage`).
#[derive(Serialize)]
struct BuiltinReport<'a> {
    page: crate::html::BuiltinPage<'a>,
    blocks: &'a [BlockModel],
    toc: &'a [TocEntry],
    charts: &'a BTreeMap<String, String>,
    key_work: &'a [KeyWorkItem],
    department_form: &'a Option<DepartmentForm>,
    project_forms: &'a [ProjectForm],
    scheme: &'a SchemePoints,
    viewer: &'a str,
}

/// The report rendered by `template`.
pub fn html_with(model: &ReportModel, template: &str) -> Result<String, HtmlError> {
    crate::html::render_with(REPORT_TEMPLATE_NAME, template, model)
}

/// The report template's name in minijinja's errors.
const REPORT_TEMPLATE_NAME: &str = "report.html.j2";

/// The report's JSON twin (`juesuan.report/1`, docs/report-json.md): the narrative's blocks
/// with their figure keys, every figure with its value, formula, definition in words and
/// sources, the table cells the figures read and the rules that check them.
#[derive(Serialize)]
pub struct ReportJson<'a> {
    /// Format version.
    pub format: &'static str,
    /// Department.
    pub department: &'a str,
    /// Fiscal year.
    pub year: i32,
    /// Blocks of the narrative.
    pub narrative: &'a [Block],
    /// Every figure by key, with its definition in words.
    pub figures: BTreeMap<&'a str, crate::viewer::FigureJson<'a>>,
    /// Every cell a figure reads, by `table/row/column`.
    pub cells: BTreeMap<&'a str, crate::viewer::CellJson>,
    /// `table/row/column` → rule id → whether it held everywhere it read the cell.
    pub checks: &'a BTreeMap<String, BTreeMap<String, bool>>,
    /// Rule id → title.
    pub rules: &'a BTreeMap<String, Text>,
}

/// The report as JSON; `checks`: the rules behind each cell ([`crate::viewer::Checks`]).
pub fn json(
    narrative: &Narrative,
    data: &ReportData,
    views: &Views,
    checks: &crate::viewer::Checks,
) -> Vec<u8> {
    let crate::viewer::Explained {
        figures,
        cells,
        checks,
        rules,
    } = crate::viewer::explained(data, views, checks);
    let doc = ReportJson {
        format: "juesuan.report/1",
        department: &data.department,
        year: data.year,
        narrative: &narrative.blocks,
        figures,
        cells,
        checks,
        rules,
    };
    let mut out = serde_json::to_vec_pretty(&doc).expect("report serializes");
    out.push(b'\n');
    out
}
