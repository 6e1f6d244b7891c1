//! What the HTML and Word readers share: a [`Document`] built from a page's flow of text and
//! its tables. Text outside tables becomes lines as a reader would see them (a paragraph, a
//! heading, a line broken with `<br>`); each table row becomes one line whose words stand at
//! their cell's columns — a cell spanning columns covers all of them — so every amount is
//! placed under the column it is in, as in a workbook ([`crate::xlsx`]).

use crate::text::{Document, Span, is_separator};

/// Width given to a grid column in the word positions: cells of one column share an extent.
pub const COLUMN: i32 = 1000;

/// The most columns a cell may span (a larger `colspan` counts as this).
pub const MAX_SPAN: usize = 256;

/// The most columns a table's grid may have: past it cells share the last column. A real
/// report's tables have fewer than 30; the bound keeps a hostile page's work linear in its size.
const MAX_COLUMNS: usize = 256;

/// A cell of a table row as the markup gives it.
#[derive(Clone, Debug, Default)]
pub struct Cell {
    /// Its text (words separated by whitespace).
    pub text: String,
    /// How many grid columns it spans (at least 1).
    pub colspan: usize,
    /// How many rows it spans (at least 1).
    pub rowspan: usize,
}

/// Lines being built.
#[derive(Default)]
pub struct Builder {
    lines: Vec<String>,
    positions: Vec<Vec<Span>>,
    current: String,
}

impl Builder {
    /// Adds text to the line being built; runs of whitespace count as one space.
    pub fn text(&mut self, t: &str) {
        for (i, piece) in t.split(is_separator).enumerate() {
            if i > 0 && !self.current.ends_with(' ') && !self.current.is_empty() {
                self.current.push(' ');
            }
            self.current.push_str(piece);
        }
    }

    /// Ends the line being built, if it has text.
    pub fn break_line(&mut self) {
        let line = self.current.trim().to_string();
        self.current.clear();
        if !line.is_empty() {
            self.lines.push(line);
            self.positions.push(Vec::new());
        }
    }

    /// Adds a table given row by row: each row a line, each word at its cell's columns; the
    /// columns a cell spanning rows covers are skipped in the rows below, as browsers do.
    pub fn table(&mut self, rows: &[Vec<Cell>]) {
        self.break_line();
        // For each grid column: how many rows below this one a cell above still covers.
        let mut held: Vec<usize> = Vec::new();
        for row in rows {
            let mut next: Vec<usize> = held.iter().map(|n| n.saturating_sub(1)).collect();
            let mut col = 0;
            let mut text = String::new();
            let mut xs = Vec::new();
            for cell in row {
                while held.get(col).is_some_and(|&n| n > 0) {
                    col += 1;
                }
                let col0 = col.min(MAX_COLUMNS);
                let col1 = (col0 + cell.colspan.clamp(1, MAX_SPAN)).min(MAX_COLUMNS + 1);
                if next.len() < col1 {
                    next.resize(col1, 0);
                }
                for n in &mut next[col0..col1] {
                    *n = cell.rowspan.max(1) - 1;
                }
                let x = Span {
                    min: position(col0),
                    max: position(col1) - 1,
                };
                for word in cell.text.split(is_separator).filter(|w| !w.is_empty()) {
                    if !text.is_empty() {
                        text.push('\t');
                    }
                    text.push_str(word);
                    xs.push(x);
                }
                col = col1;
            }
            // Only the columns still held matter to the rows below.
            while next.last() == Some(&0) {
                next.pop();
            }
            held = next;
            if !text.is_empty() {
                self.lines.push(text);
                self.positions.push(xs);
            }
        }
    }

    /// The document built, named `name`.
    pub fn finish(mut self, name: &str) -> Document {
        self.break_line();
        Document {
            name: name.to_string(),
            lines: self.lines,
            positions: self.positions,
            ..Document::default()
        }
    }
}

/// The left edge of grid column `col`.
fn position(col: usize) -> i32 {
    i32::try_from(col).map_or(i32::MAX / COLUMN, |c| c.min(i32::MAX / COLUMN - 1)) * COLUMN
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, colspan: usize, rowspan: usize) -> Cell {
        Cell {
            text: text.into(),
            colspan,
            rowspan,
        }
    }

    #[test]
    fn spans_keep_their_columns() {
        let mut b = Builder::default();
        b.text("收入决算表 \n");
        b.break_line();
        b.table(&[
            vec![cell("项目", 1, 2), cell("本年收入", 2, 1)],
            vec![cell("财政拨款", 1, 1), cell("其他", 1, 1)],
            vec![cell("合计", 1, 1), cell("1.00", 1, 1), cell("2.00", 1, 1)],
        ]);
        let d = b.finish("t.html");
        assert_eq!(
            d.lines,
            [
                "收入决算表",
                "项目\t本年收入",
                "财政拨款\t其他",
                "合计\t1.00\t2.00"
            ]
        );
        assert!(d.positions[0].is_empty());
        let at = |c: i32, n: i32| Span {
            min: c * COLUMN,
            max: (c + n) * COLUMN - 1,
        };
        assert_eq!(d.positions[1], [at(0, 1), at(1, 2)]);
        // The rowspan of 项目 pushes the second row's cells right.
        assert_eq!(d.positions[2], [at(1, 1), at(2, 1)]);
        assert_eq!(d.positions[3], [at(0, 1), at(1, 1), at(2, 1)]);
    }
}
