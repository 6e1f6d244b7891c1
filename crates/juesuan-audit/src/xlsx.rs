//! A published workbook (XLSX or XLS) as a document: each sheet a page, each row a line, each
//! cell's words placed at its column — a merged cell's at all the columns it covers, as a header
//! over several columns is printed — so that every amount is read under the column it is in,
//! the same reading as a PDF's word positions ([`crate::bbox`]).
//!
//! Numbers become amounts with two decimals, except the integers of 行次, 栏次 and code columns
//! (found by their headers), which stay integers. A cell holding an Excel error (`#DIV/0!`) is
//! reported as a located problem in the sheet's text, not guessed.

use crate::text::{Document, Span, is_separator};
use calamine::{Data, Dimensions, Reader, Sheets};
use juesuan_core::diag::{Diagnostic, Location};
use juesuan_core::money::Printed;
use juesuan_core::text::Text;
use rust_decimal::{Decimal, RoundingStrategy};
use std::io::Cursor;
use std::str::FromStr;

/// Width given to a column in the word positions: cells of one column share an extent.
const COLUMN: i32 = 1000;

/// True for bytes that start a workbook: a ZIP (XLSX) or a compound file (XLS), as the input
/// reader tells them.
pub use juesuan_input::workbook::is_workbook;

/// A number cell as a table prints it: two decimals, half away from zero.
fn two_decimals(shown: &str) -> Option<Printed> {
    let d = Decimal::from_str(shown)
        .or_else(|_| Decimal::from_scientific(shown))
        .ok()?
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let h = d.mantissa() * 10i128.pow(2 - d.scale().min(2));
    Some(Printed::from_hundredths(h))
}

/// Columns and rows whose integers are 行次, 栏次 or codes, not amounts.
fn integer_places(rows: &[Vec<Data>]) -> (Vec<usize>, Vec<usize>) {
    let mut cols = Vec::new();
    let mut int_rows = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let Data::String(s) = cell else { continue };
            let t: String = s.chars().filter(|c| !is_separator(*c)).collect();
            if t.contains("行次")
                || t.contains("编码")
                || t.contains("代码")
                || matches!(t.as_str(), "类" | "款" | "项")
            {
                cols.push(c);
            }
            if t == "栏次" {
                int_rows.push(r);
            }
        }
    }
    (cols, int_rows)
}

/// The workbook `name` as a document.
pub fn document(name: &str, bytes: &[u8]) -> Result<Document, Diagnostic> {
    let file = || Location::File {
        file: name.to_string(),
    };
    let unreadable = |why: String| {
        Diagnostic::error(
            "E0907",
            file(),
            Text::new("无法读取工作簿", "the workbook cannot be read"),
        )
        .expected(Text::new("XLSX 或 XLS 工作簿", "an XLSX or XLS workbook"))
        .found(why)
    };
    if bytes.len() > crate::text::MAX_BYTES {
        return Err(unreadable(format!("{} bytes", bytes.len())));
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| unreadable(e.to_string()))?;
    let mut lines = Vec::new();
    let mut positions = Vec::new();
    for (p, sheet) in book.sheet_names().into_iter().enumerate() {
        let range = book
            .worksheet_range(&sheet)
            .map_err(|e| unreadable(format!("{sheet}: {e}")))?;
        let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        // Merged cells are not an error of the workbook: without their list each merged
        // cell is read at its first column only.
        let merged: Vec<Dimensions> = match &mut book {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&sheet).unwrap_or_default(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&sheet).unwrap_or_default(),
            _ => Vec::new(),
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let (int_cols, int_rows) = integer_places(&rows);
        lines.push(format!("=== 第{}页 ===", p + 1));
        positions.push(Vec::new());
        for (r, row) in rows.iter().enumerate() {
            let mut text = String::new();
            let mut xs = Vec::new();
            for (c, cell) in row.iter().enumerate() {
                let integer_here = int_cols.contains(&c) || int_rows.contains(&r);
                let shown = match cell {
                    Data::Empty => continue,
                    Data::String(s) => s.trim().to_string(),
                    Data::Int(i) if integer_here => i.to_string(),
                    Data::Int(i) => Printed::from_hundredths(i128::from(*i) * 100).grouped(),
                    // The stored number's shortest decimal form, then rounded as printed.
                    Data::Float(v) => {
                        let plain = format!("{v}");
                        match two_decimals(&plain) {
                            Some(p) if integer_here && p.hundredths() % 100 == 0 => {
                                (p.hundredths() / 100).to_string()
                            }
                            Some(p) => p.grouped(),
                            None => return Err(unreadable(format!("{sheet}: number {plain}"))),
                        }
                    }
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(d) => d.to_string(),
                    Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Error(e) => {
                        return Err(Diagnostic::error(
                            "E0907",
                            Location::Cell {
                                file: name.to_string(),
                                sheet: sheet.clone(),
                                cell: cell_name(r, c, range.start()),
                            },
                            Text::new("单元格是 Excel 错误值", "the cell holds an Excel error"),
                        )
                        .expected(Text::new("数字或文字", "a number or text"))
                        .found(format!("{e:?}")));
                    }
                };
                let at =
                    |i: usize, i0: u32| u32::try_from(i).unwrap_or(u32::MAX).saturating_add(i0);
                let width = merged
                    .iter()
                    .find(|m| m.start == (at(r, r0), at(c, c0)))
                    .map_or(1, |m| m.end.1.saturating_sub(m.start.1).saturating_add(1));
                let left = i32::try_from(c)
                    .unwrap_or(i32::MAX / COLUMN)
                    .min(i32::MAX / COLUMN - 1);
                let width = i32::try_from(width)
                    .unwrap_or(1)
                    .min(i32::MAX / COLUMN - left);
                let x = Span {
                    min: left * COLUMN,
                    max: (left + width) * COLUMN - 1,
                };
                for word in shown.split(is_separator).filter(|w| !w.is_empty()) {
                    if !text.is_empty() {
                        text.push('\t');
                    }
                    text.push_str(word);
                    xs.push(x);
                }
            }
            lines.push(text);
            positions.push(xs);
        }
    }
    Ok(Document {
        name: name.to_string(),
        lines,
        positions,
        ..Document::default()
    })
}

/// `B7` for row `r`, column `c` of a range starting at `start`.
fn cell_name(r: usize, c: usize, start: Option<(u32, u32)>) -> String {
    let (r0, c0) = start.unwrap_or((0, 0));
    let at = |i: usize, i0: u32| u32::try_from(i).unwrap_or(u32::MAX).saturating_add(i0);
    juesuan_input::workbook::read::cell_name(at(r, r0), at(c, c0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_printed() {
        assert_eq!(
            two_decimals("35549.61"),
            Some(Printed::from_hundredths(3_554_961))
        );
        assert_eq!(
            two_decimals("4.4000000000000004"),
            Some(Printed::from_hundredths(440))
        );
        assert_eq!(two_decimals("560"), Some(Printed::from_hundredths(56_000)));
        assert_eq!(two_decimals("0.005"), Some(Printed::from_hundredths(1)));
        assert_eq!(
            two_decimals("1e21").map(|p| p.hundredths()),
            Some(100_000_000_000_000_000_000_000)
        );
        assert_eq!(cell_name(0, 0, None), "A1");
        assert_eq!(cell_name(6, 27, Some((0, 0))), "AB7");
        assert!(is_workbook(b"PK\x03\x04rest"));
        assert!(!is_workbook(b"%PDF-1.7"));
    }
}
