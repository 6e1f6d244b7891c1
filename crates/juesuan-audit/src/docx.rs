//! A Word document (.docx) as a document: the body of `word/document.xml` in order, each
//! paragraph (`w:p`) a line, each table (`w:tbl`) row by row with each cell's words at its grid
//! columns (`w:gridSpan`), as [`crate::markup`] places them. A cell that continues a vertical
//! merge (`w:vMerge`) is written by Word as an empty cell of its own, so it keeps its columns.
//! Deleted text (`w:delText`) and field codes (`w:instrText`) are not printed and not read.
//!
//! A `.doc` (Word 97–2003) is not read here: the command line converts it to .docx with
//! LibreOffice first ([`is_doc`]).

use crate::markup::{Builder, Cell};
use crate::text::{Document, MAX_BYTES};
use juesuan_core::diag::{Diagnostic, Location};
use juesuan_core::text::Text;
use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

/// The part of a .docx that holds its body.
const BODY: &str = "word/document.xml";

/// True for bytes that look like a .docx: a ZIP that names `word/document.xml`.
pub fn is_docx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") && contains(bytes, BODY.as_bytes())
}

/// True for bytes that look like a Word 97–2003 document: a compound file with a
/// `WordDocument` stream (an XLS has a `Workbook` stream instead).
pub fn is_doc(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "WordDocument"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) && contains(bytes, &name)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The Word document `name` as a document.
pub fn document(name: &str, bytes: &[u8]) -> Result<Document, Diagnostic> {
    let unreadable = |why: String| {
        Diagnostic::error(
            "E0908",
            Location::File {
                file: name.to_string(),
            },
            Text::new("无法读取 Word 文档", "the Word document cannot be read"),
        )
        .expected(Text::new(
            "含 word/document.xml 的 .docx 文档",
            "a .docx document with its word/document.xml",
        ))
        .found(why)
    };
    if bytes.len() > MAX_BYTES {
        return Err(unreadable(format!("{} bytes", bytes.len())));
    }
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let mut part = zip
        .by_name(BODY)
        .map_err(|e| unreadable(format!("{BODY}: {e}")))?;
    // Bounded: a ZIP can unpack to far more than it holds.
    let mut xml = String::new();
    (&mut part)
        .take(MAX_BYTES as u64 + 1)
        .read_to_string(&mut xml)
        .map_err(|e| unreadable(format!("{BODY}: {e}")))?;
    if xml.len() > MAX_BYTES {
        return Err(unreadable(format!("{BODY}: over {} MiB", MAX_BYTES >> 20)));
    }
    body(name, &xml).map_err(|why| unreadable(format!("{BODY}: {why}")))
}

/// A table being read: its rows so far, and the cell being read.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
    cell: Option<Cell>,
}

/// The body of `word/document.xml` as a document.
fn body(name: &str, xml: &str) -> Result<Document, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut b = Builder::default();
    // Tables being read, the innermost last: a table in a cell is read into that cell's text.
    let mut tables: Vec<Table> = Vec::new();
    // Inside a `w:t` (printed text).
    let mut in_text = false;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("XML at byte {at}: {e}"))?;
        // Text goes into the innermost open cell, else into the line being built.
        let put = |tables: &mut Vec<Table>, b: &mut Builder, s: &str| match tables
            .last_mut()
            .and_then(|t| t.cell.as_mut())
        {
            Some(c) => c.text.push_str(s),
            None => b.text(s),
        };
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => in_text = true,
                "tbl" => {
                    b.break_line();
                    tables.push(Table::default());
                }
                "tr" => {
                    if let Some(t) = tables.last_mut() {
                        t.rows.push(Vec::new());
                    }
                }
                "tc" => {
                    if let Some(t) = tables.last_mut() {
                        t.cell = Some(Cell {
                            colspan: 1,
                            rowspan: 1,
                            ..Cell::default()
                        });
                    }
                }
                "gridSpan" => grid_span(&e, &mut tables)?,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "gridSpan" => grid_span(&e, &mut tables)?,
                "tab" => put(&mut tables, &mut b, " "),
                "br" | "cr" => match tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    Some(c) => c.text.push(' '),
                    None => b.break_line(),
                },
                _ => {}
            },
            Event::Text(t) if in_text => put(&mut tables, &mut b, &t.xml10_content()),
            Event::CData(t) if in_text => {
                put(&mut tables, &mut b, &t);
            }
            Event::GeneralRef(r) if in_text => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*r {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => format!("&{other};"),
                    },
                };
                put(&mut tables, &mut b, &c);
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => match tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    // The paragraphs of a cell are words of one cell.
                    Some(c) => c.text.push(' '),
                    None => b.break_line(),
                },
                "tc" => {
                    if let Some(t) = tables.last_mut()
                        && let Some(c) = t.cell.take()
                    {
                        match t.rows.last_mut() {
                            Some(r) => r.push(c),
                            None => t.rows.push(vec![c]),
                        }
                    }
                }
                "tbl" => {
                    let Some(t) = tables.pop() else { continue };
                    match tables.last_mut().and_then(|o| o.cell.as_mut()) {
                        Some(outer) => {
                            for cell in t.rows.iter().flatten() {
                                outer.text.push(' ');
                                outer.text.push_str(&cell.text);
                            }
                        }
                        None => b.table(&t.rows),
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(b.finish(name))
}

/// `<w:gridSpan w:val="3"/>`: the columns the open cell spans.
fn grid_span(e: &BytesStart<'_>, tables: &mut [Table]) -> Result<(), String> {
    let Some(cell) = tables.last_mut().and_then(|t| t.cell.as_mut()) else {
        return Ok(());
    };
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|e| e.to_string())?;
        if a.key.local_name().as_ref() == "val" {
            let v = &a.value;
            cell.colspan = v
                .trim()
                .parse()
                .map_err(|_| format!("w:gridSpan {v:?} is not a number"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::COLUMN;
    use crate::text::Span;

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    #[test]
    fn paragraphs_and_a_merged_table() {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>
            <w:p><w:r><w:t>收入决算表</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">单位：</w:t></w:r><w:r><w:t>万元</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc>
              <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>本年收入</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>财政拨款</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>其他</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p><w:r><w:t>合计</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc>
              <w:tc><w:p><w:r><w:t>1,234.50</w:t><w:delText>9.99</w:delText></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:t>本年收入&amp;支出</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>
            </w:body></w:document>"#
        );
        let d = body("d.docx", &xml).unwrap();
        assert_eq!(
            d.lines,
            [
                "收入决算表",
                "单位：万元",
                "项目\t本年收入",
                "财政拨款\t其他",
                "合计\t1,234.50",
                "本年收入&支出",
                "第二行"
            ]
        );
        let at = |c: i32, n: i32| Span {
            min: c * COLUMN,
            max: (c + n) * COLUMN - 1,
        };
        assert_eq!(d.positions[2], [at(0, 1), at(1, 2)]);
        assert_eq!(d.positions[3], [at(1, 1), at(2, 1)]);
        assert_eq!(d.positions[4], [at(0, 1), at(2, 1)]);
        assert!(is_docx(b"PK\x03\x04....word/document.xml...."));
        assert!(!is_docx(b"PK\x03\x04....xl/workbook.xml...."));
        let e = document("x.docx", b"PK\x03\x04 broken").unwrap_err();
        assert_eq!(e.code, "E0908");
    }
}
