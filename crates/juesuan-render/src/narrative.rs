//! The narrative of the report (parts one, three to six) from a template that is data.
//!
//! A template (minijinja) writes the report in a small line-based markup: `#`, `##`, `###`
//! headings, one paragraph per line, and `[[…]]` placeholders for the tables, charts and forms.
//! It never computes: it asks for figures by key (`m("grand_total")`, `pct("income.growth", 1)`)
//! and each printed figure keeps its key, so the JSON of the report says where every number
//! comes from. Asking for a rate over a zero base is an error: templates must test `has(key)`.

use juesuan_core::money::{AmountUnit, Money, percent};
use juesuan_core::report::{Figure, ReportData, Value};
use minijinja::{Environment, Error as TemplateError, ErrorKind, UndefinedBehavior};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Marks a figure in rendered text: `START key SEP text END` (private-use characters).
const START: char = '\u{E000}';
const SEP: char = '\u{E001}';
const END: char = '\u{E002}';

/// A piece of a paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Segment {
    /// Words.
    Text {
        /// The words.
        text: String,
    },
    /// A printed figure and the key of the figure it prints.
    Figure {
        /// Key into the report's figures.
        key: String,
        /// As printed.
        text: String,
    },
}

/// A block of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A heading, level 1 (part) to 4.
    Heading {
        /// 1 for `#`, 2 for `##`, 3 for `###`, 4 for `####`.
        level: u8,
        /// The text.
        text: String,
    },
    /// A paragraph.
    Paragraph {
        /// Its pieces.
        segments: Vec<Segment>,
    },
    /// A placeholder: `[[tables]]`, `[[chart:ID|caption]]`, `[[evaluation:department]]`,
    /// `[[evaluation:project:3]]`, `[[key_work]]`, `[[page]]`.
    Insert {
        /// What to insert (`tables`, `chart`, `evaluation`, `key_work`, `page`).
        what: String,
        /// Its argument (chart id, `department` or a project number).
        arg: Option<String>,
        /// Its caption, if any.
        caption: Option<String>,
    },
}

impl Block {
    /// The plain text of a heading or paragraph.
    pub fn text(&self) -> String {
        match self {
            Block::Heading { text, .. } => text.clone(),
            Block::Paragraph { segments } => segments
                .iter()
                .map(|s| match s {
                    Segment::Text { text } | Segment::Figure { text, .. } => text.as_str(),
                })
                .collect(),
            Block::Insert { .. } => String::new(),
        }
    }
}

/// A rendered narrative.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Narrative {
    /// Blocks in order.
    pub blocks: Vec<Block>,
}

/// Printing options of the template's figures.
fn money_text(m: Money, trim: bool) -> String {
    let s = m.display_in(AmountUnit::Wan).plain();
    if trim { trim_decimal(&s) } else { s }
}

fn trim_decimal(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

fn figure<'a>(
    figures: &'a BTreeMap<String, Figure>,
    key: &str,
) -> Result<&'a Figure, TemplateError> {
    figures.get(key).ok_or_else(|| {
        TemplateError::new(
            ErrorKind::InvalidOperation,
            format!("the template asks for figure {key:?}, which the report does not have"),
        )
    })
}

fn mark(key: &str, text: &str) -> String {
    format!("{START}{key}{SEP}{text}{END}")
}

fn money_of(f: &Figure, key: &str) -> Result<Money, TemplateError> {
    match f.value {
        Value::Money { value } => Ok(value),
        _ => Err(TemplateError::new(
            ErrorKind::InvalidOperation,
            format!("figure {key:?} is not an amount"),
        )),
    }
}

/// Renders `template` over `data`; the template sees `lang` (`"zh"` or `"en"`) besides the
/// report's data.
pub fn narrative(
    data: &ReportData,
    template: &str,
    lang: juesuan_core::Lang,
) -> Result<Narrative, TemplateError> {
    let env = environment(template, lang)?;
    let _current = Current::set(Arc::new(data.figures.clone()));
    let text = env
        .get_template("narrative")?
        .render(minijinja::value::Serde(data))?;
    Ok(parse(&text))
}

/// A compiled narrative environment, shared by the renders of one thread.
type Compiled = std::rc::Rc<Environment<'static>>;

thread_local! {
    /// The figures of the narrative being rendered on this thread: the template's functions
    /// read them, so one compiled environment serves every report.
    static FIGURES: std::cell::RefCell<Arc<BTreeMap<String, Figure>>> = Default::default();
    /// Compiled environments by language and template text, most recent last (a batch renders
    /// thousands of reports with one template, and compiling it took a fifth of the narrative).
    static ENVIRONMENTS: std::cell::RefCell<Vec<(juesuan_core::Lang, Arc<str>, Compiled)>> =
        Default::default();
}

/// How many compiled narrative environments a thread keeps.
const KEEP: usize = 4;

/// Sets the figures the template functions read, until dropped.
struct Current;

impl Current {
    fn set(figures: Arc<BTreeMap<String, Figure>>) -> Current {
        FIGURES.with(|f| *f.borrow_mut() = figures);
        Current
    }
}

impl Drop for Current {
    fn drop(&mut self) {
        FIGURES.with(|f| *f.borrow_mut() = Arc::default());
    }
}

/// `k` of the figure `key` of the narrative being rendered.
fn with_figure<T>(
    key: &str,
    k: impl FnOnce(&Figure) -> Result<T, TemplateError>,
) -> Result<T, TemplateError> {
    FIGURES.with(|f| k(figure(&f.borrow(), key)?))
}

/// The value of the figure `key` of the narrative being rendered.
fn value_of(key: &str) -> Result<Value, TemplateError> {
    with_figure(key, |f| Ok(f.value.clone()))
}

/// The compiled environment of `template` in `lang`, from this thread's cache.
fn environment(template: &str, lang: juesuan_core::Lang) -> Result<Compiled, TemplateError> {
    let cached = ENVIRONMENTS.with(|e| {
        e.borrow()
            .iter()
            .find(|(l, t, _)| *l == lang && **t == *template)
            .map(|(_, _, env)| env.clone())
    });
    if let Some(env) = cached {
        return Ok(env);
    }
    let env = Compiled::new(compile(template, lang)?);
    ENVIRONMENTS.with(|e| {
        let mut e = e.borrow_mut();
        if e.len() >= KEEP {
            e.remove(0);
        }
        e.push((lang, Arc::from(template), env.clone()));
    });
    Ok(env)
}

/// A new environment with the narrative functions and `template`.
fn compile(
    template: &str,
    lang: juesuan_core::Lang,
) -> Result<Environment<'static>, TemplateError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // The markup is plain text; HTML escaping happens when blocks are rendered.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);

    let amount = |trim: bool, abs: bool, grouped: bool| {
        move |key: String| -> Result<String, TemplateError> {
            let mut m = with_figure(&key, |f| money_of(f, &key))?;
            if abs && m.is_negative() {
                m = -m;
            }
            let text = if grouped {
                m.display_in(AmountUnit::Wan).grouped()
            } else {
                money_text(m, trim)
            };
            Ok(mark(&key, &text))
        }
    };
    env.add_function("m", amount(false, false, false));
    env.add_function("mt", amount(true, false, false));
    env.add_function("mabs", amount(false, true, false));
    env.add_function("mtabs", amount(true, true, false));
    // With thousands separators (`3,121.42`), as budgets print their amounts.
    env.add_function("mg", amount(false, false, true));
    env.add_function("mgabs", amount(false, true, true));

    let rate = |trim: bool| {
        move |key: String, decimals: u32| -> Result<String, TemplateError> {
            let Value::Ratio { num, den } = value_of(&key)? else {
                return Err(TemplateError::new(
                    ErrorKind::InvalidOperation,
                    format!("figure {key:?} is not a rate"),
                ));
            };
            let Some(p) = percent(num.abs(), den, decimals) else {
                return Err(TemplateError::new(
                    ErrorKind::InvalidOperation,
                    format!(
                        "rate {key:?} has a zero base and must not be printed; test has({key:?}) first"
                    ),
                ));
            };
            let text = p.to_string();
            let text = if trim { trim_decimal(&text) } else { text };
            Ok(mark(&key, &format!("{text}%")))
        }
    };
    env.add_function("pct", rate(false));
    env.add_function("pctt", rate(true));

    env.add_function("n", move |key: String| -> Result<String, TemplateError> {
        match value_of(&key)? {
            Value::Count { value } => Ok(mark(&key, &value.to_string())),
            _ => Err(TemplateError::new(
                ErrorKind::InvalidOperation,
                format!("figure {key:?} is not a count"),
            )),
        }
    });
    let points = |trim: bool| {
        move |key: String| -> Result<String, TemplateError> {
            match value_of(&key)? {
                Value::Score { value } => {
                    let text = value.round_dp(2);
                    let text = if trim {
                        trim_decimal(&text.to_string())
                    } else {
                        format!("{text:.2}")
                    };
                    Ok(mark(&key, &text))
                }
                _ => Err(TemplateError::new(
                    ErrorKind::InvalidOperation,
                    format!("figure {key:?} is not a score"),
                )),
            }
        }
    };
    env.add_function(
        "label",
        move |key: String| -> Result<String, TemplateError> {
            with_figure(&key, |f| Ok(f.label.get(lang).to_string()))
        },
    );
    env.add_function("score", points(false));
    env.add_function("scoret", points(true));
    env.add_function("has", move |key: String| -> bool {
        FIGURES.with(|f| match f.borrow().get(&key).map(|f| &f.value) {
            Some(Value::Ratio { den, .. }) => !den.is_zero(),
            Some(_) => true,
            None => false,
        })
    });
    env.add_function("zero", move |key: String| -> Result<bool, TemplateError> {
        Ok(match value_of(&key)? {
            Value::Money { value } => value.is_zero(),
            Value::Count { value } => value == 0,
            Value::Score { value } => value.is_zero(),
            Value::Ratio { num, .. } => num.is_zero(),
        })
    });
    env.add_function(
        "dir",
        move |key: String| -> Result<&'static str, TemplateError> {
            let m = with_figure(&key, |f| money_of(f, &key))?;
            Ok(juesuan_core::report::direction(m))
        },
    );
    env.add_function(
        "cmp",
        move |a: String, b: String| -> Result<&'static str, TemplateError> {
            let x = with_figure(&a, |f| money_of(f, &a))?;
            let y = with_figure(&b, |f| money_of(f, &b))?;
            Ok(juesuan_core::report::comparison(x, y))
        },
    );
    env.add_filter("cn_numeral", |n: u32| cn_numeral(n));
    env.add_global(
        "lang",
        match lang {
            juesuan_core::Lang::Zh => "zh",
            juesuan_core::Lang::En => "en",
        },
    );

    env.add_template_owned("narrative", template.to_string())?;
    Ok(env)
}

pub use juesuan_core::text::cn_numeral;

/// Turns the rendered markup into blocks.
fn parse(text: &str) -> Narrative {
    let mut blocks = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(inner) = line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]")) {
            let (spec, caption) = match inner.split_once('|') {
                Some((s, c)) => (s, Some(c.trim().to_string())),
                None => (inner, None),
            };
            let (what, arg) = match spec.split_once(':') {
                Some((w, a)) => (w.to_string(), Some(a.to_string())),
                None => (spec.to_string(), None),
            };
            blocks.push(Block::Insert { what, arg, caption });
            continue;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if (1..=4).contains(&hashes) && line[hashes..].starts_with(' ') {
            blocks.push(Block::Heading {
                level: hashes as u8,
                text: strip_marks(line[hashes..].trim()),
            });
            continue;
        }
        blocks.push(Block::Paragraph {
            segments: segments(line),
        });
    }
    Narrative { blocks }
}

fn strip_marks(s: &str) -> String {
    segments(s)
        .into_iter()
        .map(|seg| match seg {
            Segment::Text { text } | Segment::Figure { text, .. } => text,
        })
        .collect()
}

fn segments(line: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find(START) {
        if start > 0 {
            out.push(Segment::Text {
                text: rest[..start].to_string(),
            });
        }
        let after = &rest[start + START.len_utf8()..];
        let (Some(sep), Some(end)) = (after.find(SEP), after.find(END)) else {
            break;
        };
        out.push(Segment::Figure {
            key: after[..sep].to_string(),
            text: after[sep + SEP.len_utf8()..end].to_string(),
        });
        rest = &after[end + END.len_utf8()..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text {
            text: rest.to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_and_trimming() {
        assert_eq!(cn_numeral(1), "一");
        assert_eq!(cn_numeral(10), "十");
        assert_eq!(cn_numeral(14), "十四");
        assert_eq!(cn_numeral(26), "二十六");
        assert_eq!(trim_decimal("560.00"), "560");
        assert_eq!(trim_decimal("0.60"), "0.6");
        assert_eq!(trim_decimal("100"), "100");
    }

    #[test]
    fn figures_keep_their_keys() {
        let s = segments(&format!("共 {} 万元。", mark("grand_total", "35549.61")));
        assert_eq!(s.len(), 3);
        assert_eq!(
            s[1],
            Segment::Figure {
                key: "grand_total".into(),
                text: "35549.61".into()
            }
        );
    }
}
