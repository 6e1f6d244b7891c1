//! Layout files: TOML describing how a region and year prints a document kind's tables.

use crate::node::{Node, Value, parse_toml};
use crate::source::Source;
use juesuan_core::layout::Layout;
use juesuan_core::{Diagnostic, Text};

/// Upper bounds of a layout's numbers, far above any printed form. Past them a layout would
/// make the program build millions of blank rows or header cells, or a spreadsheet column
/// wider than a spreadsheet allows (255).
const LIMITS: &[(&str, u64)] = &[
    ("min_rows", 1_000),
    ("colspan", 256),
    ("rowspan", 256),
    ("width", 255),
];

/// Parses a layout file and checks that it can be computed and printed. Whether its tables and
/// columns are its kind's is checked by the assets loader ([`crate::assets::Assets::load_layout`]),
/// which knows the kinds.
pub fn parse(source: &Source) -> Result<Layout, Vec<Diagnostic>> {
    let layout = typed(source)?;
    let problems = layout.check(&source.name);
    if problems.is_empty() {
        Ok(layout)
    } else {
        Err(problems)
    }
}

/// The layout a file describes, its numbers within bounds, before any check of its meaning
/// (what [`crate::layout_check`] locates where written).
pub(crate) fn typed(source: &Source) -> Result<Layout, Vec<Diagnostic>> {
    let layout: Layout = crate::embedded::from_toml(source).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        vec![
            Diagnostic::error(
                "E0502",
                source.location(offset),
                Text::new("版式文件无效", "invalid layout file"),
            )
            .found(e.message().trim().to_string()),
        ]
    })?;
    let mut problems = Vec::new();
    // The located check parses the file a second time (a built-in layout's start took twice
    // as long): done only when the text does not plainly keep every bounded number in bounds.
    if !plainly_within_limits(&source.text)
        && let Ok(root) = parse_toml(source)
    {
        over_limits(&root, source, &mut problems);
    }
    if problems.is_empty() {
        Ok(layout)
    } else {
        Err(problems)
    }
}

/// Whether every key of [`LIMITS`] in `text` is written `key = DIGITS` with its number in
/// bounds. False at anything else (a quoted key, another kind of value, the word inside a
/// string): [`over_limits`] then decides, so this only saves time and never changes a result.
fn plainly_within_limits(text: &str) -> bool {
    let bytes = text.as_bytes();
    let bare = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    LIMITS.iter().all(|(name, max)| {
        text.match_indices(name).all(|(at, _)| {
            let end = at + name.len();
            // Part of a longer key (`max_width`): not this one.
            if at > 0 && bare(bytes[at - 1]) || bytes.get(end).is_some_and(|&b| bare(b)) {
                return true;
            }
            let rest = text[end..].trim_start_matches([' ', '\t']);
            let Some(rest) = rest.strip_prefix('=') else {
                return false;
            };
            let rest = rest.trim_start_matches([' ', '\t']);
            let digits = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '_'))
                .unwrap_or(rest.len());
            let ends_plainly = rest[digits..]
                .chars()
                .next()
                .is_none_or(|c| matches!(c, ' ' | '\t' | '\r' | '\n' | ',' | '}' | ']' | '#'));
            digits > 0
                && ends_plainly
                && rest[..digits]
                    .replace('_', "")
                    .parse::<u64>()
                    .is_ok_and(|v| v <= *max)
        })
    })
}

/// Reports every number of [`LIMITS`] past its bound, where it is written.
fn over_limits(node: &Node, source: &Source, problems: &mut Vec<Diagnostic>) {
    match &node.value {
        Value::Table(entries) => {
            for (key, value) in entries {
                let limit = LIMITS.iter().find(|(name, _)| *name == key.name);
                if let (Some((name, max)), Value::Num(n)) = (limit, &value.value)
                    && n.replace('_', "")
                        .parse::<u64>()
                        .ok()
                        .is_none_or(|v| v > *max)
                {
                    problems.push(
                        Diagnostic::error(
                            "E0502",
                            value.at.locate(source),
                            Text::new(
                                format!("版式文件无效：{name} 过大"),
                                format!("invalid layout file: {name} is too large"),
                            ),
                        )
                        .expected(Text::new(format!("不超过 {max}"), format!("at most {max}")))
                        .found(value.shown()),
                    );
                }
                over_limits(value, source, problems);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| over_limits(i, source, problems)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_that_would_exhaust_memory_are_refused_where_written() {
        let assets = crate::assets::Assets::builtin().unwrap();
        let (_, layout) = assets
            .layouts()
            .find(|(_, l)| l.id == "shanghai-putuo-2024")
            .unwrap();
        let (name, text) = (layout.source.name.as_str(), layout.source.text.as_str());
        assert!(parse(&Source::new(name, text)).is_ok());
        let first = text.find("min_rows = 8").unwrap();
        let huge = text.replacen("min_rows = 8", "min_rows = 300000000", 1);
        let problems = parse(&Source::new(name, huge.as_str())).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].code, "E0502");
        assert_eq!(
            problems[0].location,
            Source::new(name, huge.as_str()).location(first + "min_rows = ".len())
        );
        // Once a panic (adding 1 overflowed) rather than an exhausted memory.
        let max = text.replacen("min_rows = 8", "min_rows = 18446744073709551615", 1);
        assert_eq!(
            parse(&Source::new(name, max.as_str())).unwrap_err()[0].code,
            "E0502"
        );
        assert!(plainly_within_limits(text));
        assert!(!plainly_within_limits(&huge));
        assert!(!plainly_within_limits("a = { colspan = 2.5 }"));
        assert!(!plainly_within_limits("\"rowspan\" = 2"));
        assert!(plainly_within_limits("max_width = 900\nwidth = 1_2 # c"));
        let wide = text.replacen("width = ", "width = 3", 1);
        let problems = parse(&Source::new(name, wide.as_str())).unwrap_err();
        assert!(problems[0].message.en.contains("width"), "{problems:#?}");
    }
}
