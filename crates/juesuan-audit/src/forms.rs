//! The 绩效自评 forms a report prints (附件): read back into [`Evaluations`] so that the
//! rules that check the forms of a build (P101–P105) check a published report's too.
//!
//! A form is found by its execution row — a header that holds the words of 预算数 and 执行数
//! (the lexicon's `[forms]`), followed by a row of amounts, a percentage and a score — not by
//! its title or its place, so forms printed under other titles and in other orders are read
//! alike. Cells are the tab-separated cells of a line (text from a word processor), the words
//! of a line with their positions (a PDF: a cell goes to the header column it stands under),
//! or the words of a plain line. What cannot be read with certainty is left out: a form whose
//! execution row has no amounts is not read; a score is a plain number within the points of
//! its part; the scheme's points are those the headers print (`(20分)`), else the default.
//!
//! In a PDF a table cell is centred on its row, so an indicator row is found by its score
//! (one score, one indicator): an indicator whose score is blank cannot be told from the
//! lines of a neighbouring row there, and such forms are checked as printed.

use crate::claims::lexicon::Lexicon;
use crate::text::{self, Document, Span};
use juesuan_core::disclosure::{DepartmentEvaluation, Goal, Indicator, ProjectEvaluation, Scheme};
use juesuan_core::money::{AmountUnit, Money};
use juesuan_core::scoring::Evaluations;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Where a form read from the document stands, for the findings' places.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormLines {
    /// The 附件 number the checks give the form (the department-wide form 1, then projects).
    pub annex: usize,
    /// The line of the execution header.
    pub anchor: u32,
    /// The line of the execution figures.
    pub execution: u32,
    /// The line of the reported total, where one was read.
    pub total: Option<u32>,
    /// The line of the goal score (a project) or of each goal (department-wide).
    pub goals: Vec<u32>,
    /// Each indicator's label as the findings name it (`一级/二级/名称`) and its line.
    pub indicators: Vec<(String, u32)>,
}

/// The forms of a document and where they stand.
#[derive(Clone, Debug, Default)]
pub struct FormsRead {
    /// The forms, as the checks see them.
    pub evaluations: Evaluations,
    /// Where each stands.
    pub lines: Vec<FormLines>,
}

/// Where a cell stands in its line: its index among the tab-separated cells, or its
/// horizontal middle on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    Index(usize),
    X(i32),
}

#[derive(Clone, Debug)]
struct Cell {
    text: String,
    at: At,
}

/// The cells of line `no` (1-based), empty ones left out.
fn cells(doc: &Document, no: u32) -> Vec<Cell> {
    let i = no as usize - 1;
    let line = &doc.lines[i];
    if line.contains('\t') {
        return line
            .split('\t')
            .enumerate()
            .map(|(k, c)| Cell {
                text: c.trim().to_string(),
                at: At::Index(k),
            })
            .filter(|c| !c.text.is_empty())
            .collect();
    }
    let spans: Option<&[Span]> = doc.positions.get(i).map(Vec::as_slice);
    line.split(text::is_separator)
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(k, w)| Cell {
            text: w.to_string(),
            at: match spans.and_then(|s| s.get(k)) {
                Some(s) => At::X((s.min + s.max) / 2),
                None => At::Index(k),
            },
        })
        .collect()
}

/// The words a form is read with: the lexicon's `[forms]` roles.
struct Words<'a> {
    lex: &'a Lexicon,
}

impl Words<'_> {
    fn has(&self, role: &str, s: &str) -> bool {
        let s = text::normalize(s);
        self.lex
            .form_words(role)
            .iter()
            .any(|w| s.contains(w.as_str()))
    }

    fn ends(&self, role: &str, s: &str) -> bool {
        let s = text::normalize(s);
        self.lex
            .form_words(role)
            .iter()
            .any(|w| s.ends_with(w.as_str()))
    }

    fn starts(&self, role: &str, s: &str) -> bool {
        let s = text::normalize(s);
        self.lex
            .form_words(role)
            .iter()
            .any(|w| s.starts_with(w.as_str()))
    }
}

/// A number as a form prints a score or an amount: ASCII or full-width digits, a decimal
/// point (a comma or a space inside a small number is a decimal point the extraction
/// garbled: `1, 4` is 1.4, never a thousands separator, which has three digits after it).
fn number(s: &str) -> Option<Decimal> {
    let s: String = text::ascii_digits(s)
        .chars()
        .filter(|c| !text::is_separator(*c))
        .collect();
    let s = s.trim_end_matches('分');
    let s = match s.split_once([',', '，']) {
        Some((a, b))
            if !a.is_empty()
                && a.len() <= 3
                && (1..=2).contains(&b.len())
                && b.bytes().all(|c| c.is_ascii_digit()) =>
        {
            format!("{a}.{b}")
        }
        _ => s.replace(',', ""),
    };
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        return None;
    }
    Decimal::from_str(&s).ok()
}

/// A score cell: a number, or a number after the label of its column when the extraction
/// merged the two (`得分 20`, `得分 (20分*执行率) 19.9`).
fn score(words: &Words, cell: &str) -> Option<Decimal> {
    number(cell).or_else(|| {
        let (label, last) = cell.trim().rsplit_once(text::is_separator)?;
        words
            .has("indicator_score", label)
            .then(|| number(last))
            .flatten()
    })
}

/// A number after the label of the score column in one cell (`得分 20`).
fn label_score(words: &Words, cell: &str) -> Option<Decimal> {
    number(cell).is_none().then(|| score(words, cell)).flatten()
}

/// A percentage cell: `98.36%`.
fn percent(s: &str) -> Option<Decimal> {
    let t = text::normalize(s);
    let t = t.strip_suffix('%').or_else(|| t.strip_suffix('％'))?;
    number(t)
}

/// The points a header prints for its part: the number of the first `N分` (`(20分)`,
/// `得分（20分*执行率）`, `年度目标1（14分）`).
fn points(s: &str) -> Option<Decimal> {
    let t = text::normalize(s);
    let chars: Vec<char> = t.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c != '分' || i == 0 {
            continue;
        }
        let start = chars[..i]
            .iter()
            .rposition(|c| !(c.is_ascii_digit() || *c == '.'))
            .map_or(0, |p| p + 1);
        if start < i
            && let Some(d) = number(&chars[start..i].iter().collect::<String>())
        {
            return Some(d);
        }
    }
    None
}

/// The roles of a header's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Level1,
    Level2,
    Name,
    Target,
    Achieved,
    Weight,
    Score,
    Other,
}

/// An indicator header: where each column stands.
#[derive(Clone, Debug, Default)]
struct Header {
    cols: Vec<(Col, At)>,
}

impl Header {
    fn read(words: &Words, cells: &[Cell]) -> Header {
        let cols = cells
            .iter()
            .map(|c| {
                let role = [
                    ("level1", Col::Level1),
                    ("level2", Col::Level2),
                    ("name", Col::Name),
                    ("target", Col::Target),
                    ("achieved", Col::Achieved),
                    ("weight", Col::Weight),
                    ("score", Col::Score),
                ]
                .into_iter()
                .find(|(r, _)| words.has(&format!("indicator_{r}"), &c.text))
                .map_or(Col::Other, |(_, col)| col);
                (role, c.at)
            })
            .collect();
        Header { cols }
    }

    /// The column a cell stands on the page: that of the nearest header cell. Cells by
    /// index have none: a word processor's rows leave out or shift cells (a merged cell, a
    /// label printed in the column beside its own), so their cells are read by what they say.
    fn col(&self, at: At) -> Option<Col> {
        match at {
            At::Index(_) => None,
            At::X(x) => self
                .cols
                .iter()
                .filter_map(|(c, a)| match a {
                    At::X(h) => Some((*c, (h - x).abs())),
                    At::Index(_) => None,
                })
                .min_by_key(|(_, d)| *d)
                .map(|(c, _)| c),
        }
    }
}

/// The number of tab-separated cells of a line, empty ones included (0 without tabs).
fn width(line: &str) -> usize {
    if line.contains('\t') {
        line.split('\t').count()
    } else {
        0
    }
}

/// Reads the forms of `doc` with the lexicon's words; `None` when it prints none.
pub fn read(doc: &Document, lex: &Lexicon) -> Option<FormsRead> {
    let words = Words { lex };
    let n = doc.lines.len() as u32;
    // Each form's execution header, with the line of its figures.
    let mut anchors: Vec<(u32, u32)> = Vec::new();
    let mut no = 1;
    while no <= n {
        // A header, not a sentence that names both (`预算数为…万元，执行数为…`); in a PDF its
        // cells may wrap over two lines.
        let header = |upto: u32| {
            let text: String = (no..=upto.min(n))
                .map(|l| doc.lines[l as usize - 1].as_str())
                .collect::<Vec<_>>()
                .join(" ");
            (words.has("execution_budget", &text)
                && words.has("execution_actual", &text)
                && !text.contains(['。', '，', '；']))
            .then_some(upto.min(n))
        };
        // A header wrapped over two lines begins on this one: it holds one of the words.
        let begins = words.has("execution_budget", &doc.lines[no as usize - 1])
            || words.has("execution_actual", &doc.lines[no as usize - 1]);
        if let Some(last) = header(no).or_else(|| begins.then(|| header(no + 1)).flatten())
            && let Some(values) = (last + 1..=(last + 4).min(n)).find(|&v| {
                cells(doc, v)
                    .iter()
                    .filter(|c| number(&c.text).is_some() || percent(&c.text).is_some())
                    .count()
                    >= 2
            })
        {
            anchors.push((no, values));
            no = values + 1;
            continue;
        }
        no += 1;
    }
    if anchors.is_empty() {
        return None;
    }
    let mut scheme = Scheme::default();
    let mut execution_points = None;
    let mut goal_points = None;
    let mut indicator_points = None;
    let mut department: Option<(DepartmentEvaluation, FormLines)> = None;
    let mut projects: Vec<(ProjectEvaluation, FormLines)> = Vec::new();
    let mut prev_end = 0;
    let mut half_unit = None;
    for (k, &(anchor, values)) in anchors.iter().enumerate() {
        let next = anchors.get(k + 1).map_or(n + 1, |a| a.0);
        // The form ends where the next one's head begins: an 附件 line, a title, the next
        // execution header.
        let end = (values + 1..next)
            .find(|&l| {
                let t = &doc.lines[l as usize - 1];
                !t.contains('\t')
                    && !t.contains('。')
                    && (words.starts("annex", t) || words.has("title", t))
            })
            .unwrap_or(next);
        // The form's head: from its title (the last before the header) — not the narrative
        // or the tables before it, whose numbers are not the form's.
        let head_start = (prev_end + 1..anchor)
            .rev()
            .find(|&l| {
                let t = &doc.lines[l as usize - 1];
                !t.contains('。') && words.has("title", t)
            })
            .unwrap_or(prev_end + 1);
        let head = head_start..anchor;
        prev_end = end - 1;
        // The header with the lines up to its figures (where a PDF wraps its cells).
        let header_line: String = (anchor..values)
            .map(|l| doc.lines[l as usize - 1].as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let unit = if text::normalize(&header_line).contains("(元)") {
            AmountUnit::Yuan
        } else {
            AmountUnit::Wan
        };
        let Some(exec) = execution(doc, &words, anchor, values, unit) else {
            continue;
        };
        half_unit.get_or_insert(unit);
        if execution_points.is_none() {
            execution_points = exec.points.or_else(|| points(&header_line));
        }
        let is_department = words.has("department", &header_line)
            || head.clone().any(|l| {
                words.has("department", &doc.lines[l as usize - 1])
                    && words.has("title", &doc.lines[l as usize - 1])
            });
        let (reported, total_line) = total(doc, &words, head.clone())
            .or_else(|| total(doc, &words, values + 1..end))
            .map_or((None, None), |(v, l)| (Some(v), Some(l)));
        let mut lines = FormLines {
            anchor,
            execution: values,
            total: total_line,
            ..FormLines::default()
        };
        let body = Body::read(doc, &words, values + 1..end, &mut lines);
        if goal_points.is_none() {
            goal_points = body.goal_points;
        }
        if indicator_points.is_none() {
            indicator_points = body.indicator_points;
        }
        if is_department && department.is_none() {
            let d = DepartmentEvaluation {
                budget: exec.budget,
                actual: exec.actual,
                reported_rate: exec.rate,
                reported_execution: exec.score,
                reported_score: reported,
                goals: body.goals,
                ..DepartmentEvaluation::default()
            };
            department = Some((d, lines));
        } else {
            let p = ProjectEvaluation {
                name: name(doc, &words, head.clone()).unwrap_or_default(),
                budget: exec.budget,
                actual: exec.actual,
                reported_rate: exec.rate,
                reported_execution: exec.score,
                reported_score: reported,
                goal_score: body.goal_score,
                indicators: body.indicators,
                ..ProjectEvaluation::default()
            };
            projects.push((p, lines));
        }
    }
    if department.is_none() && projects.is_empty() {
        return None;
    }
    if let Some(p) = execution_points {
        scheme.execution = p;
    }
    if let Some(p) = goal_points {
        scheme.goal = p;
    }
    if let Some(p) = indicator_points {
        scheme.indicators = p;
    }
    let half_unit = half_unit.unwrap_or(AmountUnit::Wan);
    let mut all_lines = Vec::new();
    let department = department.map(|(d, mut l)| {
        l.annex = 1;
        all_lines.push(l);
        d
    });
    let first = 1 + usize::from(department.is_some());
    let projects = projects
        .into_iter()
        .enumerate()
        .map(|(i, (p, mut l))| {
            l.annex = first + i;
            all_lines.push(l);
            p
        })
        .collect();
    Some(FormsRead {
        evaluations: Evaluations {
            scheme,
            department,
            projects,
            // Amounts print with two decimals of their unit: each stands for half of the
            // last digit either way (nothing below the fen for amounts in 元).
            half_unit: Money::from_fen(half_unit.fen_per_hundredth() / 2),
        },
        lines: all_lines,
    })
}

/// The figures of an execution row.
struct Execution {
    budget: Money,
    actual: Money,
    rate: Option<Decimal>,
    score: Option<Decimal>,
    /// The points of the row, where it has a 分值 column (the national form).
    points: Option<Decimal>,
}

/// What a column of the execution header holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Exec {
    Budget,
    Actual,
    Weight,
    Rate,
    Score,
}

/// The execution row's figures (line `values`) under its header (lines `anchor..values`):
/// the header's columns in order (预算数, 执行数, 分值, 执行率, 得分 — a 全年预算数 after the
/// 年初预算数 is the budget the rate is of) matched one for one with the row's numbers; when
/// they do not match in number, the two amounts before the percentage and the score after it.
fn execution(
    doc: &Document,
    words: &Words,
    anchor: u32,
    values: u32,
    unit: AmountUnit,
) -> Option<Execution> {
    let mut head: Vec<Cell> = (anchor..values).flat_map(|l| cells(doc, l)).collect();
    head.sort_by_key(|c| match c.at {
        At::X(x) => x,
        At::Index(_) => 0,
    });
    let roles: Vec<Exec> = head
        .iter()
        .filter_map(|c| {
            [
                ("indicator_score", Exec::Score),
                ("execution_rate", Exec::Rate),
                ("indicator_weight", Exec::Weight),
                ("execution_actual", Exec::Actual),
                ("execution_budget", Exec::Budget),
            ]
            .into_iter()
            .find(|(w, _)| words.has(w, &c.text))
            .map(|(_, r)| r)
        })
        .collect();
    let row = cells(doc, values);
    let figures: Vec<&Cell> = row
        .iter()
        .filter(|c| number(&c.text).is_some() || percent(&c.text).is_some())
        .collect();
    let money = |c: &Cell| Money::parse(&c.text.replace([',', ' '], ""), unit).ok();
    if roles.len() == figures.len()
        && roles.contains(&Exec::Budget)
        && roles.contains(&Exec::Actual)
    {
        let last = |r: Exec| roles.iter().rposition(|x| *x == r).map(|i| figures[i]);
        return Some(Execution {
            budget: money(last(Exec::Budget)?)?,
            actual: money(last(Exec::Actual)?)?,
            rate: last(Exec::Rate).and_then(|c| percent(&c.text)),
            // A score printed with its label in the row (`得分 (20分*执行率) 19.9`).
            score: last(Exec::Score)
                .and_then(|c| number(&c.text))
                .or_else(|| row.iter().rev().find_map(|c| label_score(words, &c.text))),
            points: last(Exec::Weight).and_then(|c| number(&c.text)),
        });
    }
    let rate_at = row.iter().position(|c| percent(&c.text).is_some());
    let amounts: Vec<&Cell> = row[..rate_at.unwrap_or(row.len())]
        .iter()
        .filter(|c| number(&c.text).is_some())
        .collect();
    let (budget, actual) = match amounts.as_slice() {
        [.., b, a] => (*b, *a),
        _ => return None,
    };
    let score = match rate_at {
        Some(r) => row[r + 1..].iter().find_map(|c| score(words, &c.text)),
        None => amounts.get(2).and_then(|c| number(&c.text)),
    };
    Some(Execution {
        budget: money(budget)?,
        actual: money(actual)?,
        rate: rate_at.and_then(|r| percent(&row[r].text)),
        score,
        points: None,
    })
}

/// The reported total of a form: a total word followed by its number (`自评得分: 99.6分`,
/// `总分：99.67分`, `总分 | 100`); where the line also says what was entered (`（填报 99 分）`),
/// that. The last such line of `range`.
fn total(doc: &Document, words: &Words, range: std::ops::Range<u32>) -> Option<(Decimal, u32)> {
    range.rev().find_map(|no| {
        let cs = cells(doc, no);
        let raw = &doc.lines[no as usize - 1];
        // Tab-separated cells apart; a line of words whole (`自评得分： 99.6分`).
        let texts: Vec<&str> = if raw.contains('\t') {
            cs.iter().map(|c| c.text.as_str()).collect()
        } else {
            vec![raw.as_str()]
        };
        // The number after a word in its own cell, wherever the word stands (`填报日期`
        // before `（填报 99 分）`).
        let after = |role: &str| -> Option<Decimal> {
            texts.iter().find_map(|c| {
                let t = text::normalize(c);
                words.lex.form_words(role).iter().find_map(|w| {
                    t.match_indices(w.as_str()).find_map(|(i, _)| {
                        leading_number(t[i + w.len()..].trim_start_matches([':', '：']))
                    })
                })
            })
        };
        if let Some(v) = after("entered").or_else(|| after("total")) {
            return Some((v, no));
        }
        // A total row at the foot (`总分 | 100 | 95.5`): its last number, the score (the
        // points come first).
        let at = cs.iter().position(|c| {
            let t = text::normalize(&c.text);
            words.lex.form_words("total").contains(&t)
        })?;
        cs[at + 1..]
            .iter()
            .rev()
            .find_map(|c| number(&c.text))
            .map(|v| (v, no))
    })
}

/// The number a text begins with (`99.6分…` → 99.6).
fn leading_number(s: &str) -> Option<Decimal> {
    let s = s.trim_start_matches(|c: char| text::is_separator(c));
    let digits: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if digits.is_empty() {
        return None;
    }
    number(&digits)
}

/// A project's name: the cell after 项目名称, else the title without its year and suffix.
fn name(doc: &Document, words: &Words, head: std::ops::Range<u32>) -> Option<String> {
    for no in head.clone().rev() {
        let cs = cells(doc, no);
        if let Some(i) = cs.iter().position(|c| words.has("project_name", &c.text))
            && let Some(c) = cs.get(i + 1)
        {
            return Some(c.text.clone());
        }
    }
    head.rev().find_map(|no| {
        let t = text::normalize(&doc.lines[no as usize - 1]);
        if !words.has("title", &t) {
            return None;
        }
        let t = t.split_once("年度").map_or(t.as_str(), |(_, b)| b);
        let t = t.trim_start_matches(|c: char| c.is_ascii_digit());
        let cut = words
            .lex
            .form_words("title")
            .iter()
            .filter_map(|w| t.find(w.as_str()))
            .min()?;
        let mut name = &t[..cut];
        for w in words.lex.form_words("title_suffix") {
            name = name.trim_end_matches(w.as_str());
        }
        let name = name.to_string();
        (!name.is_empty()).then_some(name)
    })
}

/// What follows a form's execution row: the goal score (a project), the goals
/// (department-wide) and the indicators.
#[derive(Default)]
struct Body {
    goal_score: Option<Decimal>,
    goals: Vec<Goal>,
    indicators: Vec<Indicator>,
    goal_points: Option<Decimal>,
    indicator_points: Option<Decimal>,
}

impl Body {
    fn read(
        doc: &Document,
        words: &Words,
        range: std::ops::Range<u32>,
        lines: &mut FormLines,
    ) -> Body {
        let mut body = Body::default();
        let mut header: Option<Header> = None;
        // Within the goal block of a project (after its header, before the indicators').
        let mut in_goal = false;
        let mut goal_score_col: Option<At> = None;
        let mut level = (String::new(), String::new());
        // The cells of a row the extraction wrote down a column, one per line.
        let mut column_row: Vec<(String, u32)> = Vec::new();
        for no in range {
            let line = &doc.lines[no as usize - 1];
            if text::is_page_marker(line) {
                continue;
            }
            let cs = cells(doc, no);
            if cs.is_empty() {
                continue;
            }
            // The rows after the indicators, or the total at the foot.
            let first = text::normalize(&cs[0].text);
            if words.has("end", &cs[0].text) || words.lex.form_words("total").contains(&first) {
                break;
            }
            let joined: String = cs.iter().map(|c| c.text.as_str()).collect();
            // 年度目标N（W分）: a department-wide goal.
            if words.starts("goals", &joined)
                && let Some(w) = points(&joined)
            {
                body.goals.push(Goal {
                    weight: w,
                    text: joined.clone(),
                    indicators: Vec::new(),
                });
                lines.goals.push(no);
                header = None;
                in_goal = false;
                continue;
            }
            if header.is_none()
                && (words.has("goal", &cs[0].text) || words.has("goal_target", &joined))
            {
                in_goal = true;
                if body.goal_points.is_none() {
                    body.goal_points = cs
                        .iter()
                        .filter(|c| words.has("goal", &c.text))
                        .find_map(|c| points(&c.text));
                }
                if let Some(c) = cs
                    .iter()
                    .rev()
                    .find(|c| words.has("indicator_score", &c.text))
                {
                    goal_score_col = Some(c.at);
                }
                // The goal's header may wrap its points onto the next line (a PDF).
                continue;
            }
            // A form may print no score column at all: its indicators are then all blank.
            let is_header = cs.iter().any(|c| words.has("indicator_name", &c.text))
                && cs.iter().any(|c| {
                    words.has("indicator_score", &c.text)
                        || words.has("indicator_target", &c.text)
                        || words.has("indicator_achieved", &c.text)
                });
            if is_header {
                in_goal = false;
                let h = Header::read(words, &cs);
                if body.indicator_points.is_none() {
                    body.indicator_points =
                        cs.first().and_then(|c| points(&c.text)).or_else(|| {
                            // The points wrapped onto the next line (`指标（60分）`).
                            (no < doc.lines.len() as u32)
                                .then(|| cells(doc, no + 1))
                                .and_then(|n| n.first().and_then(|c| points(&c.text)))
                        });
                }
                header = Some(h);
                continue;
            }
            if in_goal {
                if body.goal_points.is_none() {
                    // The goal header's points wrapped onto a line of their own cell (`标（20分）`).
                    body.goal_points = cs
                        .iter()
                        .filter(|c| {
                            let t = text::normalize(&c.text);
                            t.chars().count() <= 8 && t.contains('(')
                        })
                        .find_map(|c| points(&c.text));
                }
                let last = cs.last().expect("not empty");
                let in_col = match (goal_score_col, last.at) {
                    (Some(At::X(h)), At::X(x)) => (h - x).abs() < 4000,
                    _ => cs.len() >= 2,
                };
                if in_col && let Some(v) = score(words, &last.text) {
                    body.goal_score = Some(v);
                    lines.goals.push(no);
                }
                continue;
            }
            let Some(h) = &header else { continue };
            // A row written down a column: one cell per line, at the first place.
            if cs.len() == 1 && matches!(cs[0].at, At::Index(0)) && width(line) > 2 {
                column_row.push((cs[0].text.clone(), no));
                if let Some(v) = number(&cs[0].text) {
                    let texts: Vec<&str> = column_row.iter().map(|(t, _)| t.as_str()).collect();
                    let ind = Indicator {
                        level1: texts
                            .iter()
                            .find(|t| words.has("level1_word", t))
                            .map_or(level.0.clone(), |t| t.to_string()),
                        level2: texts
                            .iter()
                            .find(|t| words.ends("level2_end", t) && !words.has("level1_word", t))
                            .map_or(String::new(), |t| t.to_string()),
                        name: String::new(),
                        score: Some(v),
                        ..Indicator::default()
                    };
                    push(&mut body, lines, ind, no);
                    column_row.clear();
                }
                continue;
            }
            column_row.clear();
            let mut ind = Indicator::default();
            // Cells by index: the row's last numbers (after its texts) are its 得分 and, before
            // it where the header has a 分值 column, its 分值; a deviation note may follow.
            let trailing: Vec<usize> = if matches!(cs[0].at, At::Index(_)) {
                let last_text = cs
                    .iter()
                    .rposition(|c| number(&c.text).is_none() && !words.has("indicators", &c.text));
                let mut nums: Vec<usize> = (1..cs.len())
                    .filter(|&i| number(&cs[i].text).is_some())
                    .collect();
                // Numbers before the last text are targets or values (`3200`, `0`), unless the
                // text is a note after the scores.
                if let Some(t) = last_text
                    && nums.iter().any(|&i| i > t)
                {
                    nums.retain(|&i| i > t);
                } else if let Some(t) = last_text {
                    nums.retain(|&i| i + 1 == t || i > t);
                }
                nums
            } else {
                Vec::new()
            };
            let weighted = h.cols.iter().any(|(c, _)| *c == Col::Weight);
            match trailing.as_slice() {
                [.., w, s] if weighted => {
                    ind.weight = number(&cs[*w].text);
                    ind.score = number(&cs[*s].text);
                }
                [.., s] => ind.score = number(&cs[*s].text),
                [] => {}
            }
            for (i, c) in cs.iter().enumerate() {
                if trailing.contains(&i) {
                    continue;
                }
                let col = h.col(c.at);
                match col {
                    Some(Col::Level1) if words.has("level1_word", &c.text) => {
                        ind.level1 = c.text.clone()
                    }
                    Some(Col::Level1) => {}
                    Some(Col::Level2) => ind.level2 = c.text.clone(),
                    Some(Col::Name) => ind.name.push_str(&c.text),
                    Some(Col::Target) => ind.target.push_str(&c.text),
                    Some(Col::Achieved) => ind.actual.push_str(&c.text),
                    Some(Col::Weight) => ind.weight = number(&c.text),
                    Some(Col::Score) => ind.score = number(&c.text),
                    Some(Col::Other) => {}
                    None => {
                        // Read by what they say: the level words are known, the first other
                        // text is the name, then the target and the value.
                        if words.has("indicators", &c.text) {
                            // The header's own label printed again before a row (a page break).
                            continue;
                        }
                        if words.has("level1_word", &c.text)
                            && text::normalize(&c.text).chars().count() <= 5
                        {
                            ind.level1 = c.text.clone();
                        } else if words.ends("level2_end", &c.text)
                            && ind.level2.is_empty()
                            && ind.name.is_empty()
                        {
                            ind.level2 = c.text.clone();
                        } else if ind.name.is_empty() {
                            ind.name = c.text.clone();
                        } else if ind.target.is_empty() {
                            ind.target = c.text.clone();
                        } else if ind.actual.is_empty() {
                            ind.actual = c.text.clone();
                        }
                    }
                }
            }
            // The header's own label printed again before a row (a page break).
            if words.has("indicators", &ind.level1) {
                ind.level1.clear();
            }
            if ind.level1.is_empty() {
                ind.level1 = level.0.clone();
            } else {
                level.0 = ind.level1.clone();
            }
            if ind.level2.is_empty() {
                ind.level2 = level.1.clone();
            } else {
                level.1 = ind.level2.clone();
            }
            let positional = matches!(cs[0].at, At::X(_));
            // A score beyond what the indicators may earn is a figure of another cell.
            if ind.score.is_some_and(|s| s > Decimal::ONE_HUNDRED) {
                ind.score = None;
            }
            let is_row = if positional {
                // A cell is centred on its row: a row is found by its score.
                ind.score.is_some()
            } else {
                !ind.name.is_empty() || ind.score.is_some()
            };
            if is_row {
                push(&mut body, lines, ind, no);
            }
        }
        body
    }
}

/// Adds an indicator to the last goal (department-wide) or the project's list.
fn push(body: &mut Body, lines: &mut FormLines, ind: Indicator, no: u32) {
    // Named as the form checks name it, so a finding on it is placed at its line.
    let label = juesuan_core::rules::forms::indicator_item(&ind).zh;
    lines.indicators.push((label, no));
    match body.goals.last_mut() {
        Some(g) => g.indicators.push(ind),
        None => body.indicators.push(ind),
    }
}
