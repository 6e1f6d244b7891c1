//! Where a finding's figures are printed on the pages of a PDF, for a reader to see them boxed.
//!
//! A PDF is read through the positions of its words ([`crate::bbox`]), so every line keeps the
//! box of each of its words. A finding about cells (a relation, a code's name) boxes, on each
//! cell's row line, the word that prints the cell's figure (or its name); a finding about a
//! sentence of the narrative boxes the numbers (or words) it is about, inside the words of their
//! line, and the table cells they were checked against; anything else (a line that could not be
//! read, a missing part) boxes its whole line, as does a figure whose word cannot be told.
//!
//! Box heights are estimated, not read: some PDFs give their words boxes of the height of the
//! table's cell or of a sliver under the glyphs (report 01: 22 and 3 points for text of about
//! 10). A box whose height is far from the width of the word's glyphs is replaced by one of a
//! character's size around the word's baseline ([`glyph_height`]).

use crate::text::{Document, Span, amount, ascii_digits, is_separator};
use juesuan_core::rules::eval;
use juesuan_core::rules::finding::{CellValue, Detail, Evidence, Rect};
use juesuan_core::rules::sheet::{ClaimKind, Operand};
use juesuan_core::rules::{Cell, CheckRow, Finding, RowKey, Sheet};

/// Space left between a figure and its box, so the box does not cover it: 1.5 points.
const PAD: i32 = 150;

/// The evidence of every finding, in order (empty for a finding, or a document, without word
/// positions: text, a workbook, a page, a report in several files).
pub fn of_all(findings: &[Finding], doc: &Document, sheet: &Sheet) -> Vec<Vec<Evidence>> {
    if doc.page_sizes.is_empty() {
        return vec![Vec::new(); findings.len()];
    }
    let pages = crate::pages(doc);
    findings
        .iter()
        .map(|f| group(doc, &pages, marks(f, doc, sheet)))
        .collect()
}

/// The evidence of one finding of `doc` (a PDF read through [`crate::bbox`]) whose tables read
/// as `sheet`: one [`Evidence`] per page, in the order their boxes are first met.
pub fn of(f: &Finding, doc: &Document, sheet: &Sheet) -> Vec<Evidence> {
    of_all(std::slice::from_ref(f), doc, sheet)
        .pop()
        .unwrap_or_default()
}

/// The boxes of `marks` (each with its line) gathered by page.
fn group(doc: &Document, pages: &[u32], marks: Vec<(u32, Rect)>) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = Vec::new();
    for (line, rect) in marks {
        let Some(&page) = pages.get(line.saturating_sub(1) as usize) else {
            continue;
        };
        let Some(size) = doc.page_sizes.get(page.saturating_sub(1) as usize) else {
            continue;
        };
        if size.width <= 0 || size.height <= 0 {
            continue;
        }
        // Padded, and kept on the page.
        let x0 = (rect.x - PAD).clamp(0, size.width);
        let y0 = (rect.y - PAD).clamp(0, size.height);
        let x1 = (rect.x + rect.width + PAD).clamp(0, size.width);
        let y1 = (rect.y + rect.height + PAD).clamp(0, size.height);
        let rect = Rect {
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
        };
        let at = match out.iter().position(|e| e.page == page) {
            Some(i) => i,
            None => {
                out.push(Evidence {
                    page,
                    width: size.width,
                    height: size.height,
                    boxes: Vec::new(),
                });
                out.len() - 1
            }
        };
        if !out[at].boxes.contains(&rect) {
            out[at].boxes.push(rect);
        }
    }
    out
}

/// A word of a line with its box on the page.
struct Word<'a> {
    text: &'a str,
    x: Span,
    y: Span,
}

/// The words of line `no` (1-based), as [`crate::text::tokens_at`] splits it, with their boxes;
/// empty when the line has no positions.
fn words(doc: &Document, no: u32) -> Vec<Word<'_>> {
    let i = no.saturating_sub(1) as usize;
    let (Some(line), Some(xs), Some(ys)) =
        (doc.lines.get(i), doc.positions.get(i), doc.vertical.get(i))
    else {
        return Vec::new();
    };
    line.split(is_separator)
        .filter(|w| !w.is_empty())
        .zip(xs.iter().zip(ys))
        .map(|(text, (x, y))| Word { text, x: *x, y: *y })
        .collect()
}

/// How wide a character prints, in half ems: a Chinese character or full-width sign is one em,
/// a digit or Latin letter about half.
fn weight(c: char) -> i64 {
    if matches!(c, '\u{1100}'..='\u{115f}' | '\u{2e80}'..='\u{a4cf}' | '\u{ac00}'..='\u{d7a3}' | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}' | '\u{ff00}'..='\u{ff60}' | '\u{ffe0}'..='\u{ffe6}')
    {
        2
    } else {
        1
    }
}

fn weights(s: &str) -> i64 {
    s.chars().map(weight).sum()
}

/// The vertical extent of a word's glyphs: its box when its height is about a character's
/// (between 0.6 and 1.5 of the em its width gives), else an em around its baseline (estimated
/// as in [`crate::bbox`]: a quarter of the box above its bottom), 85 % of it above.
fn glyph_height(w: &Word<'_>) -> Span {
    let em = 2 * i64::from(w.x.len()) / weights(w.text).max(1);
    let h = i64::from(w.y.len());
    if em <= 0 || (10 * h >= 6 * em && 2 * h <= 3 * em) {
        return w.y;
    }
    let base = i64::from(w.y.max) - h / 4;
    let at = |v: i64| i32::try_from(v).unwrap_or(w.y.max);
    Span {
        min: at(base - em * 85 / 100),
        max: at(base + em * 15 / 100),
    }
}

/// The box of characters `from..to` (char indices) of a word: their share of its width, by
/// [`weight`].
fn part(w: &Word<'_>, from: usize, to: usize) -> Rect {
    let total = weights(w.text).max(1);
    let before: i64 = w.text.chars().take(from).map(weight).sum();
    let upto: i64 = w.text.chars().take(to).map(weight).sum();
    let width = i64::from(w.x.len());
    let at = |k: i64| w.x.min + i32::try_from(width * k / total).unwrap_or(0);
    let y = glyph_height(w);
    let (x0, x1) = (at(before), at(upto).max(at(before) + 1));
    Rect {
        x: x0,
        y: y.min,
        width: x1 - x0,
        height: y.len(),
    }
}

fn whole(w: &Word<'_>) -> Rect {
    part(w, 0, w.text.chars().count())
}

/// The smallest box holding both.
fn union(a: Rect, b: Rect) -> Rect {
    let (x0, y0) = (a.x.min(b.x), a.y.min(b.y));
    let x1 = (a.x + a.width).max(b.x + b.width);
    let y1 = (a.y + a.height).max(b.y + b.height);
    Rect {
        x: x0,
        y: y0,
        width: x1 - x0,
        height: y1 - y0,
    }
}

/// The whole of line `no`: every word's box together.
fn line_box(doc: &Document, no: u32) -> Option<(u32, Rect)> {
    words(doc, no)
        .iter()
        .map(whole)
        .reduce(union)
        .map(|r| (no, r))
}

/// Every box of finding `f`, each with its line: its figures, else its line.
fn marks(f: &Finding, doc: &Document, sheet: &Sheet) -> Vec<(u32, Rect)> {
    let mut out = Vec::new();
    match &f.detail {
        Detail::Claim(c) => {
            let claim = &c.claim;
            let mut said: Vec<(String, u32)> = Vec::new();
            let mut operands: Vec<&Operand> = Vec::new();
            match &claim.kind {
                ClaimKind::Amount {
                    stated, against, ..
                } => {
                    said.push((stated.stated.text.clone(), claim.line));
                    operands.push(against);
                }
                ClaimKind::Rate {
                    stated, num, den, ..
                } => {
                    said.push((stated.stated.text.clone(), claim.line));
                    operands.extend([num, den]);
                }
                ClaimKind::Sum { stated, parts, .. } => {
                    said.push((stated.stated.text.clone(), claim.line));
                    said.extend(parts.iter().map(|p| (p.stated.text.clone(), claim.line)));
                }
                ClaimKind::Compare {
                    word, left, right, ..
                } => {
                    said.push((word.clone(), claim.line));
                    operands.extend([left, right]);
                }
                ClaimKind::Name { stated, .. } => said.push((stated.clone(), claim.line)),
                ClaimKind::Unresolved { numbers } => {
                    // Each as printed with its unit and the words before it: `603.14万元（…）`.
                    for n in numbers {
                        let digits: String = n
                            .chars()
                            .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
                            .collect();
                        if !digits.is_empty() {
                            said.push((digits, claim.line));
                        }
                    }
                }
            }
            let mut cells: Vec<Cell> = Vec::new();
            for o in operands {
                operand_marks(o, sheet, &mut said, &mut cells);
            }
            for (text, line) in said {
                out.extend(stated_at(doc, &text, line));
            }
            for cell in &cells {
                out.extend(cell_mark(doc, sheet, cell));
            }
        }
        _ => {
            for cell in &f.cells {
                out.extend(cell_mark(doc, sheet, cell));
            }
        }
    }
    if out.is_empty()
        && let Some(p) = f.source()
    {
        out.extend(line_box(doc, p.line));
    }
    out
}

/// The numbers a claim's operand states (with their lines) and the table cells it reads.
fn operand_marks(o: &Operand, sheet: &Sheet, said: &mut Vec<(String, u32)>, cells: &mut Vec<Cell>) {
    match o {
        Operand::Stated { number, line } => said.push((number.stated.text.clone(), *line)),
        Operand::Cells { cells: e, .. } => {
            for r in e.cell_refs() {
                if let Some(a) =
                    eval::amount(sheet, r, false).or_else(|| eval::amount(sheet, r, true))
                {
                    cells.extend(a.cells);
                }
            }
        }
        Operand::Sum { terms } => {
            for (_, o) in terms {
                operand_marks(o, sheet, said, cells);
            }
        }
    }
}

/// Where the narrative prints `text` (a number as stated, a word) from line `line` on: the
/// characters of its first occurrence, within the next few lines of the page when the
/// sentence wraps (a number of a paragraph is placed at the paragraph's line); words (a name)
/// may themselves wrap from a line's last word to the next line's first, and are boxed on both.
fn stated_at(doc: &Document, text: &str, line: u32) -> Vec<(u32, Rect)> {
    const WRAP: u32 = 6;
    let want: Vec<char> = ascii_digits(text).chars().collect();
    if want.is_empty() {
        return Vec::new();
    }
    let numeric = want
        .iter()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ','));
    let on_page = |no: u32| {
        doc.lines
            .get(no as usize - 1)
            .is_some_and(|l| !crate::text::is_page_marker(l))
    };
    for no in line..line.saturating_add(WRAP) {
        if no > line && !on_page(no) {
            break;
        }
        let ws = words(doc, no);
        for w in &ws {
            let chars: Vec<char> = ascii_digits(w.text).chars().collect();
            let found = (0..chars.len().saturating_sub(want.len() - 1)).find(|&i| {
                chars[i..i + want.len()] == want[..]
                    && (!numeric
                        || (i.checked_sub(1).is_none_or(|j| !is_number_char(chars[j]))
                            && chars
                                .get(i + want.len())
                                .is_none_or(|c| !c.is_ascii_digit())))
            });
            if let Some(i) = found {
                return vec![(no, part(w, i, i + want.len()))];
            }
        }
        // Words cut by the end of the line: a start of them ends this line, the rest begins
        // the next.
        if !numeric
            && on_page(no + 1)
            && let (Some(a), Some(b)) = (ws.last(), words(doc, no + 1).into_iter().next())
        {
            let (ac, bc): (Vec<char>, Vec<char>) =
                (a.text.chars().collect(), b.text.chars().collect());
            let cut =
                (1..want.len()).find(|&k| ac.ends_with(&want[..k]) && bc.starts_with(&want[k..]));
            if let Some(k) = cut {
                return vec![
                    (no, part(a, ac.len() - k, ac.len())),
                    (no + 1, part(&b, 0, want.len() - k)),
                ];
            }
        }
    }
    Vec::new()
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | ',')
}

/// The row of `sheet` a cell is on: a printed row, or a 合计 printed twice.
fn row_of<'a>(sheet: &'a Sheet, cell: &Cell) -> Option<&'a CheckRow> {
    let t = sheet.table(&cell.table)?;
    let mut rows = t
        .rows
        .iter()
        .chain(&t.repeats)
        .filter(|r| RowKey::of(r) == cell.row);
    let first = rows.clone().next();
    rows.find(|r| r.cells.iter().any(|(k, _)| *k == cell.column))
        .or(first)
}

/// Where a cell is printed: the word of its row's line that prints its figure (or the words of
/// its name), else the row's line.
fn cell_mark(doc: &Document, sheet: &Sheet, cell: &Cell) -> Option<(u32, Rect)> {
    let row = row_of(sheet, cell)?;
    let line = row.source_line?;
    let ws = words(doc, line);
    let found = match &cell.value {
        CellValue::Figure(figure) => {
            let printed = figure.printed();
            let prints = |w: &Word<'_>| amount(&ascii_digits(w.text)) == Some(printed);
            // A line may print the same figure twice (a 合计 equal to its only part, two panels
            // side by side): the row's figures are in column order, as its words are, so the
            // cell is the k-th word of that figure after the row's label.
            let k = row
                .cells
                .iter()
                .take_while(|(key, _)| *key != cell.column)
                .filter(|(_, f)| f.printed() == printed)
                .count();
            let label = crate::text::normalize(&row.label.zh);
            let after = ws
                .iter()
                .position(|w| {
                    let n = crate::text::normalize(w.text);
                    n.chars().count() >= 2 && label.starts_with(&n)
                })
                .map_or(0, |i| i + 1);
            let candidates: Vec<&Word<'_>> = ws.iter().skip(after).filter(|w| prints(w)).collect();
            let candidates = if candidates.is_empty() {
                ws.iter().filter(|w| prints(w)).collect()
            } else {
                candidates
            };
            candidates.get(k).or(candidates.last()).map(|w| whole(w))
        }
        CellValue::Label(name) => {
            let name = crate::text::normalize(name);
            ws.iter()
                .filter(|w| {
                    let n = crate::text::normalize(w.text);
                    !n.is_empty() && amount(&n).is_none() && name.contains(&n)
                })
                .map(whole)
                .reduce(union)
        }
    };
    match found {
        Some(r) => Some((line, r)),
        None => line_box(doc, line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use juesuan_core::diag::Severity;
    use juesuan_core::kind::TableId;
    use juesuan_core::money::{AmountUnit, Printed};
    use juesuan_core::rules::finding::{Against, ClaimProblem, Passage, Place};
    use juesuan_core::rules::sheet::{Claim, Figure, Interval, NumUnit, Number, Stated};
    use juesuan_core::rules::{CheckTable, Scope};
    use juesuan_core::text::Text;
    use juesuan_core::views::RowKind;

    /// Page 1: a row of a table printing one figure twice (its 合计 and its only column),
    /// boxes as most PDFs give them; a sentence as report 01 gives it (one word with the
    /// number inside, a box 3 points high under 10-point glyphs).
    fn doc() -> Document {
        let word = |x0: &str, y0: &str, x1: &str, y1: &str, t: &str| {
            format!(r#"<word xMin="{x0}" yMin="{y0}" xMax="{x1}" yMax="{y1}">{t}</word>"#)
        };
        let xhtml = format!(
            r#"<html><body><doc><page width="595.32" height="841.92">{}{}{}{}</page></doc></body></html>"#,
            word("100", "100", "200", "110", "八、社会保障和就业支出"),
            word("300", "100", "330", "110", "326.71"),
            word("400", "100", "430", "110", "326.71"),
            word(
                "100",
                "200",
                "250",
                "203",
                "财政拨款收入支出总计0.3万元。与"
            ),
        );
        crate::bbox::document("a.pdf", &xhtml).unwrap()
    }

    fn sheet() -> Sheet {
        let figure = Figure::Printed {
            value: Printed::from_hundredths(32671),
            unit: AmountUnit::Wan,
        };
        let row = CheckRow {
            line: Some(40),
            code: None,
            label: Text::zh("八、社会保障和就业支出"),
            kind: RowKind::Line,
            panel: 1,
            cells: vec![("total".into(), figure), ("general_budget".into(), figure)],
            uncertain: false,
            source_line: Some(2),
        };
        Sheet {
            department: "测试".into(),
            tables: vec![CheckTable::new(
                TableId::new("fiscal_summary"),
                Text::zh("财政拨款收入支出决算总表"),
                vec![row],
            )],
            evaluations: None,
            claims: Vec::new(),
        }
    }

    fn finding(place: Place, detail: Detail, cells: Vec<Cell>) -> Finding {
        Finding {
            rule: "X107".into(),
            severity: Severity::Warning,
            scope: Scope::Between,
            place,
            message: Text::zh("m"),
            hint: Text::zh("h"),
            detail,
            cells,
            review: None,
        }
    }

    /// A box as [`group`] pads it around `x` and `y`.
    fn padded(x: Span, y: Span) -> Rect {
        Rect {
            x: x.min - PAD,
            y: y.min - PAD,
            width: x.len() + 2 * PAD,
            height: y.len() + 2 * PAD,
        }
    }

    #[test]
    fn a_cell_is_boxed_at_the_word_printing_it_in_its_column() {
        let (doc, sheet) = (doc(), sheet());
        assert_eq!(doc.lines[1], "八、社会保障和就业支出 326.71 326.71");
        let cell = |column: &str| Cell {
            table: "fiscal_summary".into(),
            row: RowKey::Line(40),
            column: column.into(),
            value: CellValue::Figure(sheet.tables[0].rows[0].cells[0].1),
        };
        let f = finding(
            Place::Nowhere,
            Detail::Document {
                what: Text::zh("x"),
            },
            vec![cell("general_budget")],
        );
        let e = of(&f, &doc, &sheet);
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].page, e[0].width, e[0].height), (1, 59532, 84192));
        // The second of the two words printing 326.71: the column after 合计. Its box is the
        // word's as read (a plausible height for its width).
        assert_eq!(
            e[0].boxes,
            [padded(doc.positions[1][2], doc.vertical[1][2])]
        );
        let first = of(
            &finding(Place::Nowhere, f.detail.clone(), vec![cell("total")]),
            &doc,
            &sheet,
        );
        assert_eq!(
            first[0].boxes,
            [padded(doc.positions[1][1], doc.vertical[1][1])]
        );
        // Without word positions (text), nothing to box.
        let text = crate::text::decode("a.txt", doc.lines.join("\n").as_bytes()).unwrap();
        assert!(of(&f, &text, &sheet).is_empty());
    }

    #[test]
    fn a_number_of_a_sentence_is_boxed_inside_its_word() {
        let (doc, sheet) = (doc(), sheet());
        let number = Number {
            stated: Stated::parse("0.3").unwrap(),
            unit: NumUnit::Money("万元".into(), 1_000_000_000),
        };
        let claim = Claim {
            pattern: "total".into(),
            line: 3,
            sentence: doc.lines[2].clone(),
            section: None,
            kind: ClaimKind::Amount {
                stated: number,
                change: None,
                against: Operand::Stated {
                    number: Number {
                        stated: Stated::parse("326.71").unwrap(),
                        unit: NumUnit::Money("万元".into(), 1_000_000_000),
                    },
                    line: 2,
                },
            },
        };
        let f = finding(
            Place::Document(Passage {
                line: 3,
                page: Some(1),
                text: None,
            }),
            Detail::Claim(Box::new(ClaimProblem {
                claim,
                against: Against::Amount(Interval::point(0)),
                words: Vec::new(),
            })),
            Vec::new(),
        );
        let e = of(&f, &doc, &sheet);
        assert_eq!(e.len(), 1);
        let (word_x, word_y) = (doc.positions[2][0], doc.vertical[2][0]);
        let [stated, other] = e[0].boxes[..] else {
            panic!("{e:?}");
        };
        // `0.3` after ten Chinese characters (two half-ems each) of a word of 31 half-ems.
        let at = |k: i32| word_x.min + word_x.len() * k / 31;
        assert_eq!(
            (stated.x + PAD, stated.x + stated.width - PAD),
            (at(20), at(23))
        );
        // Taller than the 3-point sliver pdftotext gives, about the em its width gives (9.7
        // points), with the sliver's bottom inside.
        let h = stated.height - 2 * PAD;
        assert!((900..=1000).contains(&h), "{stated:?}");
        assert!(stated.y < word_y.min && stated.y + stated.height > word_y.max);
        // The number it is compared with, stated on the line of the table row: its first
        // occurrence.
        assert_eq!(other, padded(doc.positions[1][1], doc.vertical[1][1]));
    }

    /// A name cut by the end of its line (02: `…（款）其` / `他国土资源事务支出（项）`): boxed on
    /// both lines.
    #[test]
    fn a_name_that_wraps_is_boxed_on_both_lines() {
        let word = |y0: &str, y1: &str, t: &str| {
            format!(r#"<word xMin="100" yMin="{y0}" xMax="300" yMax="{y1}">{t}</word>"#)
        };
        let xhtml = format!(
            r#"<doc><page width="595" height="842">{}{}</page></doc>"#,
            word("100", "110", "自然资源事务（款）其"),
            word("120", "130", "他国土资源事务支出（项）。"),
        );
        let doc = crate::bbox::document("a.pdf", &xhtml).unwrap();
        let claim = Claim {
            pattern: "name".into(),
            line: 2,
            sentence: String::new(),
            section: None,
            kind: ClaimKind::Name {
                stated: "其他国土资源事务支出".into(),
                printed: None,
            },
        };
        let f = finding(
            Place::Nowhere,
            Detail::Claim(Box::new(ClaimProblem {
                claim,
                against: Against::Name,
                words: Vec::new(),
            })),
            Vec::new(),
        );
        let e = of(&f, &doc, &sheet());
        let [first, rest] = e[0].boxes[..] else {
            panic!("{e:?}");
        };
        // `其`, the last of ten characters; then nine of thirteen.
        let at = |k: i32, n: i32| 10000 + 20000 * k / n;
        assert_eq!(
            (first.x + PAD, first.x + first.width - PAD),
            (at(9, 10), at(10, 10))
        );
        assert_eq!(
            (rest.x + PAD, rest.x + rest.width - PAD),
            (at(0, 13), at(9, 13))
        );
        assert!(rest.y > first.y);
    }

    #[test]
    fn a_line_that_could_not_be_read_is_boxed_whole() {
        let (doc, sheet) = (doc(), sheet());
        let f = finding(
            Place::Document(Passage {
                line: 2,
                page: Some(1),
                text: None,
            }),
            Detail::Unread { why: Text::zh("x") },
            Vec::new(),
        );
        let e = of(&f, &doc, &sheet);
        let x = doc.positions[1][0].union(doc.positions[1][2]);
        assert_eq!(e[0].boxes, [padded(x, doc.vertical[1][0])]);
    }
}
