//! A published HTML page as a document: its tables (`<table>`) row by row with each cell's
//! words at its columns ([`crate::markup`]), the rest — the narrative — as the lines a reader
//! sees (a paragraph, a heading, a list item, a line ended by `<br>`).
//!
//! Pages are parsed as browsers parse them (html5ever, through `scraper`): unclosed cells and
//! paragraphs, entities and stray tags read as a browser shows them. A table that holds other
//! tables is page layout, not data: its cells are read as flowing text and its inner tables as
//! tables.

use crate::markup::{Builder, Cell};
use crate::text::Document;
use juesuan_core::diag::{Diagnostic, Location};
use juesuan_core::text::Text;
use scraper::{ElementRef, Html, Node};

/// True for bytes that look like an HTML page: after any BOM and whitespace, a doctype, an
/// `<html>`, `<head>` or `<body>` tag, or markup that opens with a tag and holds a `<table>`.
pub fn is_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = head[start..].to_ascii_lowercase();
    let has = |s: &[u8]| head.windows(s.len()).any(|w| w == s);
    head.starts_with(b"<!doctype html")
        || head.starts_with(b"<html")
        || (head.starts_with(b"<")
            && (has(b"<html") || has(b"<body") || has(b"<head") || has(b"<table")))
}

/// Elements whose text is not shown.
const HIDDEN: [&str; 7] = [
    "head", "script", "style", "template", "noscript", "title", "object",
];

/// Elements that begin and end a line of their own.
const BLOCKS: [&str; 31] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "ul",
];

/// The HTML page `name` as a document.
pub fn document(name: &str, bytes: &[u8]) -> Result<Document, Diagnostic> {
    if bytes.len() > crate::text::MAX_BYTES {
        return Err(Diagnostic::error(
            "E0901",
            Location::File {
                file: name.to_string(),
            },
            Text::new(
                "文件过大，不像部门决算报告",
                "the file is too large for a report",
            ),
        )
        .expected(Text::new(
            format!("不超过 {} MiB", crate::text::MAX_BYTES >> 20),
            format!("at most {} MiB", crate::text::MAX_BYTES >> 20),
        ))
        .found(format!("{} bytes", bytes.len())));
    }
    let source = crate::text::decoded_text(name, bytes)?;
    let page = Html::parse_document(&source);
    let mut b = Builder::default();
    flow(page.root_element(), &mut b, 0);
    Ok(b.finish(name))
}

/// How deep elements are read one by one: real pages nest far less; deeper content is read as
/// its text alone, so a hostile page cannot exhaust the stack.
const MAX_DEPTH: usize = 200;

/// Reads the content of `e`, `depth` elements down, as flowing text into `b`.
fn flow(e: ElementRef<'_>, b: &mut Builder, depth: usize) {
    if depth > MAX_DEPTH {
        for t in e.text() {
            b.text(t);
        }
        return;
    }
    for child in e.children() {
        match child.value() {
            Node::Text(t) => b.text(t),
            Node::Element(_) => {
                let Some(el) = ElementRef::wrap(child) else {
                    continue;
                };
                let tag = el.value().name();
                if HIDDEN.contains(&tag) {
                    continue;
                }
                match tag {
                    "br" => b.break_line(),
                    "table" if has_table_inside(el) => {
                        for cell in table_rows(el).flat_map(cells) {
                            b.break_line();
                            flow(cell, b, depth + 1);
                            b.break_line();
                        }
                    }
                    "table" => b.table(&rows(el, depth + 1)),
                    _ if BLOCKS.contains(&tag) => {
                        b.break_line();
                        flow(el, b, depth + 1);
                        b.break_line();
                    }
                    // Inline elements side by side are often set apart by the page's style
                    // (`部门：…` `2023年度` `金额单位：万元` in one row): their words are kept
                    // apart, as the reader of a PDF sees them.
                    _ => {
                        b.text(" ");
                        flow(el, b, depth + 1);
                        b.text(" ");
                    }
                }
            }
            _ => {}
        }
    }
}

/// True when a table holds another table (page layout).
fn has_table_inside(table: ElementRef<'_>) -> bool {
    table
        .descendants()
        .skip(1)
        .filter_map(ElementRef::wrap)
        .any(|e| e.value().name() == "table")
}

/// The rows of a table: its own `<tr>`s, in its head, bodies and foot or directly in it.
fn table_rows(table: ElementRef<'_>) -> impl Iterator<Item = ElementRef<'_>> {
    table.children().filter_map(ElementRef::wrap).flat_map(|c| {
        let own = (c.value().name() == "tr").then_some(c);
        let grouped = matches!(c.value().name(), "thead" | "tbody" | "tfoot").then_some(c);
        own.into_iter().chain(
            grouped
                .into_iter()
                .flat_map(|g| g.children().filter_map(ElementRef::wrap))
                .filter(|r| r.value().name() == "tr"),
        )
    })
}

/// The cells of a row.
fn cells(tr: ElementRef<'_>) -> impl Iterator<Item = ElementRef<'_>> {
    tr.children()
        .filter_map(ElementRef::wrap)
        .filter(|c| matches!(c.value().name(), "td" | "th"))
}

/// The rows of a data table (those of its head, bodies and foot, in document order), each as
/// its cells.
fn rows(table: ElementRef<'_>, depth: usize) -> Vec<Vec<Cell>> {
    table_rows(table)
        .map(|tr| {
            cells(tr)
                .map(|c| {
                    let mut inner = Builder::default();
                    flow(c, &mut inner, depth + 1);
                    let span = |a: &str| {
                        c.value()
                            .attr(a)
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(1)
                    };
                    Cell {
                        // A cell's lines are words of one cell.
                        text: inner.finish("").lines.join(" "),
                        colspan: span("colspan"),
                        rowspan: span("rowspan"),
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::COLUMN;
    use crate::text::Span;

    #[test]
    fn a_page_with_a_table_and_a_narrative() {
        let page = "<!DOCTYPE html><html><head><title>不读</title><style>p{}</style></head><body>\
            <table><tr><td><h1>某局2024年度部门决算</h1>\
            <p>收入决算表</p><p>单位：万元</p>\
            <table border=1>\
              <tr><th rowspan=2>项目<th colspan=2>本年收入\
              <tr><th>财政拨款<th>其他\
              <tr><td>合&nbsp;计<td>1,234.50<td>\
            </table>\
            <p>一、收入<br>本年收入 1234.50 万元。</p></td></tr></table></body></html>";
        assert!(is_html(page.as_bytes()));
        assert!(!is_html(b"%PDF-1.7"));
        assert!(!is_html("收入决算表\n单位：万元".as_bytes()));
        let d = document("p.html", page.as_bytes()).unwrap();
        assert_eq!(
            d.lines,
            [
                "某局2024年度部门决算",
                "收入决算表",
                "单位：万元",
                "项目\t本年收入",
                "财政拨款\t其他",
                "合\t计\t1,234.50",
                "一、收入",
                "本年收入 1234.50 万元。",
            ]
        );
        let at = |c: i32| Span {
            min: c * COLUMN,
            max: (c + 1) * COLUMN - 1,
        };
        assert_eq!(d.positions[5], [at(0), at(0), at(1)]);
        assert_eq!(d.positions[4], [at(1), at(2)]);
        assert!(d.positions[6].is_empty());
    }

    #[test]
    fn hostile_pages_are_read_without_crashing() {
        let deep = format!(
            "<html>{}收入{}",
            "<div><span>".repeat(1000),
            "</span></div>".repeat(1000)
        );
        let d = document("deep.html", deep.as_bytes()).unwrap();
        assert_eq!(d.lines, ["收入"]);
        let wide = "<table><tr><td colspan=99999 rowspan=99999>1.00<td>2.00</table>";
        let d = document("wide.html", wide.as_bytes()).unwrap();
        assert_eq!(d.lines, ["1.00\t2.00"]);
        let nested = "<table><tr><td>".repeat(1000);
        assert!(document("nested.html", nested.as_bytes()).is_ok());
    }
}
