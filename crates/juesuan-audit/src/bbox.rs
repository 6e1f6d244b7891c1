//! Reading a PDF through the positions of its words.
//!
//! `pdftotext -bbox-layout` (poppler) writes every word of a PDF with its box on the page
//! (`<word xMin=… yMin=… xMax=… yMax=…>`, in points). This module parses that XHTML into
//! positioned words — coordinates as integer hundredths of a point, never floating point —
//! and rebuilds lines: the words of a page that sit side by side form a line, ordered left to
//! right, and the lines of one table row (a label wrapped above and below its row's line, a
//! cell printed a little off its row) are joined (`page_lines`). The result is the same
//! [`Document`] the text path reads, so tables are found and labels read exactly as in text;
//! in addition every word keeps its horizontal extent ([`Document::positions`]), so the reader
//! can place a row's amounts under the columns they are printed in instead of inferring where
//! blank cells were dropped.
//!
//! Pages are separated by a marker line `=== 第N页 ===`, as in the extracted texts of
//! `fixtures/reports`.
//!
//! Some PDFs report boxes of very different heights for Latin and Chinese glyphs of one line
//! (01 in `fixtures/reports/pdf`: 22 pt for digits, 3 pt for Chinese, around centres 4 pt
//! apart): overlap is measured against the smaller box, and distances between lines between
//! estimated baselines (`base`), not centres.

use crate::text::{Document, PageSize, Span, is_separator};
use juesuan_core::diag::{Diagnostic, Location};
use juesuan_core::text::Text;
use quick_xml::events::{BytesStart, Event};

/// The largest XHTML read: pdftotext's output of a real report is under a megabyte.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// A word on a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// 1-based page number.
    pub page: u32,
    /// Left to right, in hundredths of a point.
    pub x: Span,
    /// Top to bottom, in hundredths of a point.
    pub y: Span,
    /// The word as printed.
    pub text: String,
}

/// The words of `pdftotext -bbox-layout` output, page by page, in the order written, and the
/// size of every page (`<page width=… height=…>`; zero where not given). Pages without words
/// still count (`page` numbers follow the PDF's).
pub fn words(xhtml: &str) -> Result<(Vec<Word>, Vec<PageSize>), String> {
    let mut reader = quick_xml::Reader::from_str(xhtml);
    let mut out = Vec::new();
    let mut page = 0u32;
    let mut sizes = Vec::new();
    // The box of the word being read and its text so far.
    let mut open: Option<(Span, Span, String)> = None;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("XHTML at byte {at}: {e}"))?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "page" => {
                page += 1;
                sizes.push(page_size(&e).map_err(|m| format!("XHTML at byte {at}: {m}"))?);
            }
            Event::Start(e) if e.local_name().as_ref() == "word" => {
                if page == 0 {
                    return Err(format!("XHTML at byte {at}: a word outside any page"));
                }
                let (x, y) = word_box(&e).map_err(|m| format!("XHTML at byte {at}: {m}"))?;
                open = Some((x, y, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, _, s)) = open.as_mut() {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some((_, _, s)) = open.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, _, s)) = open.as_mut() {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match &*r {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    match c {
                        Some(c) => s.push(c),
                        None => {
                            s.push('&');
                            s.push_str(&r);
                            s.push(';');
                        }
                    }
                }
            }
            Event::End(e) if e.local_name().as_ref() == "word" => {
                if let Some((x, y, text)) = open.take() {
                    // Control characters are no part of a printed word.
                    let text: String = text.chars().filter(|c| !c.is_control()).collect();
                    if !text.trim().is_empty() {
                        out.push(Word { page, x, y, text });
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if page == 0 {
        return Err("no <page> element: not the output of pdftotext -bbox-layout".to_string());
    }
    Ok((out, sizes))
}

/// The size of a `<page>`.
fn page_size(e: &BytesStart<'_>) -> Result<PageSize, String> {
    let mut size = PageSize::default();
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|e| e.to_string())?;
        let at = match a.key.as_ref() {
            "width" => &mut size.width,
            "height" => &mut size.height,
            _ => continue,
        };
        let value = a.value;
        *at = hundredths(&value).ok_or_else(|| format!("page size {value:?} is not a number"))?;
    }
    Ok(size)
}

/// The box of a `<word>`.
fn word_box(e: &BytesStart<'_>) -> Result<(Span, Span), String> {
    let mut v = [None; 4];
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|e| e.to_string())?;
        let i = match a.key.as_ref() {
            "xMin" => 0,
            "yMin" => 1,
            "xMax" => 2,
            "yMax" => 3,
            _ => continue,
        };
        let value = a.value;
        v[i] = Some(
            hundredths(&value).ok_or_else(|| format!("coordinate {value:?} is not a number"))?,
        );
    }
    let [Some(x0), Some(y0), Some(x1), Some(y1)] = v else {
        return Err("a word without xMin, yMin, xMax and yMax".to_string());
    };
    // A box of no extent still occupies a point.
    let span = |a: i32, b: i32| Span {
        min: a.min(b),
        max: a.max(b).max(a.min(b) + 1),
    };
    Ok((span(x0, x1), span(y0, y1)))
}

/// `99.384000` → 9938 (hundredths of a point, rounded half away from zero).
fn hundredths(s: &str) -> Option<i32> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || int.len() > 7
    {
        return None;
    }
    let digit = |i: usize| frac.as_bytes().get(i).map_or(0, |b| i32::from(b - b'0'));
    let whole: i32 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut h = whole * 100 + digit(0) * 10 + digit(1);
    if digit(2) >= 5 {
        h += 1;
    }
    Some(if neg { -h } else { h })
}

/// A line being built: the box of the word that started it (the tallest), and its words.
struct Line {
    band: Span,
    words: Vec<Word>,
}

/// Where a word's baseline is estimated to be, in quarter-hundredths of a point: a quarter of
/// its box above the bottom (glyphs descend about that far below the baseline). Some PDFs give
/// Latin and Chinese glyphs of one line boxes of very different heights around different
/// centres (01: 22 and 3 points); their bottoms, less a quarter of the height, still agree.
fn base(y: Span) -> i64 {
    4 * i64::from(y.max) - i64::from(y.len())
}

/// The farthest two lines of one table row may be apart: 10 points (the lines of a wrapped
/// cell, or a cell a PDF prints higher or lower than the rest of its row, are about 7 points
/// from the row's line in the reports here; lines of a paragraph 14 or more).
const ROW_REACH: i64 = 4 * 1000;

/// A line's baseline: the median of its words' (quarter-hundredths, see [`base`]).
fn line_base(words: &[Word]) -> i64 {
    let mut c: Vec<i64> = words.iter().map(|w| base(w.y)).collect();
    c.sort_unstable();
    c.get(c.len() / 2).copied().unwrap_or(0)
}

/// True when a word of `a` and a word of `b` share some width of the page.
fn share_columns(a: &[Word], b: &[Word]) -> bool {
    let sorted = |l: &[Word]| {
        let mut x: Vec<Span> = l.iter().map(|w| w.x).collect();
        x.sort();
        x
    };
    let (a, b) = (sorted(a), sorted(b));
    // The words of `b` that start before each word of `a` ends, swept once.
    let (mut j, mut reach) = (0, i32::MIN);
    for v in &a {
        while j < b.len() && b[j].min < v.max {
            reach = reach.max(b[j].max);
            j += 1;
        }
        if reach > v.min {
            return true;
        }
    }
    false
}

/// The lines of one page's words, top to bottom, each left to right.
///
/// Words join the line of a taller word whose box holds at least three quarters of theirs (the
/// nearest such line by baseline); the tallest words start lines. Then two neighbouring lines
/// become one when they are within [`ROW_REACH`] of each other, at least twice as close to each
/// other as to their other neighbour, and side by side (no word of one above a word of the
/// other): the lines of a cell whose text wraps beside a row (`机关事业单位基本养老保` above and
/// `险缴费` below the line of `30108`), or cells a PDF prints a little higher or lower than the
/// rest of their row. Lines of a paragraph always share columns, so they never join.
fn page_lines(mut words: Vec<Word>) -> Vec<Vec<Word>> {
    words.sort_by_key(|w| (std::cmp::Reverse(w.y.len()), w.y.centre2(), w.x.min));
    let mut lines: Vec<Line> = Vec::new();
    // The lines by the top of their band, to find those a word overlaps without a scan of all.
    let mut by_top: std::collections::BTreeSet<(i32, usize)> = Default::default();
    let mut tallest = 0;
    for w in words {
        let best = by_top
            .range((w.y.min.saturating_sub(tallest), 0)..(w.y.max, 0))
            .map(|(_, i)| *i)
            .filter(|&i| {
                let band = lines[i].band;
                let overlap = i64::from(w.y.overlap(band));
                let smaller = i64::from(w.y.len().min(band.len()).max(1));
                overlap > 0 && 4 * overlap >= 3 * smaller
            })
            .min_by_key(|&i| ((base(w.y) - base(lines[i].band)).abs(), i));
        match best {
            Some(i) => lines[i].words.push(w),
            None => {
                by_top.insert((w.y.min, lines.len()));
                tallest = tallest.max(w.y.len());
                lines.push(Line {
                    band: w.y,
                    words: vec![w],
                });
            }
        }
    }
    let mut lines: Vec<Vec<Word>> = lines.into_iter().map(|l| l.words).collect();
    lines.sort_by_key(|l| line_base(l));
    // Each line's choice of a neighbour to join, then the groups those choices make.
    let centre: Vec<i64> = lines.iter().map(|l| line_base(l)).collect();
    let n = lines.len();
    // `joined[i]`: line `i` and line `i + 1` are one.
    let mut joined = vec![false; n];
    for i in 0..n {
        let d = |j: usize| (centre[i] - centre[j]).abs();
        let prev = i.checked_sub(1);
        let next = (i + 1 < n).then_some(i + 1);
        let pick = |near: Option<usize>, far: Option<usize>| {
            let j = near?;
            (d(j) <= ROW_REACH
                && far.is_none_or(|f| 2 * d(j) <= d(f))
                && !share_columns(&lines[i], &lines[j]))
            .then_some(j)
        };
        if let Some(j) = pick(prev, next).or_else(|| pick(next, prev)) {
            joined[i.min(j)] = true;
        }
    }
    let mut out: Vec<Vec<Word>> = Vec::new();
    for (i, l) in lines.into_iter().enumerate() {
        match out.last_mut() {
            Some(row) if i > 0 && joined[i - 1] => row.extend(l),
            _ => out.push(l),
        }
    }
    out.into_iter().map(order).collect()
}

/// A line's words left to right; words stacked in one cell (their horizontal extents overlap)
/// read top to bottom.
fn order(mut words: Vec<Word>) -> Vec<Word> {
    words.sort_by_key(|w| (w.x.min, w.y.min));
    let mut out: Vec<Word> = Vec::with_capacity(words.len());
    let mut group: Vec<Word> = Vec::new();
    let mut reach = i32::MIN;
    for w in words {
        if !group.is_empty() && w.x.min >= reach {
            group.sort_by_key(|w| (w.y.min, w.x.min));
            out.append(&mut group);
        }
        reach = if group.is_empty() {
            w.x.max
        } else {
            reach.max(w.x.max)
        };
        group.push(w);
    }
    group.sort_by_key(|w| (w.y.min, w.x.min));
    out.append(&mut group);
    out
}

/// A word's pieces between separators (a word may hold an ideographic or no-break space),
/// each with its share of the word's width.
fn pieces(w: &Word) -> Vec<(String, Span)> {
    let chars: Vec<char> = w.text.chars().collect();
    let n = i64::try_from(chars.len()).unwrap_or(i64::MAX).max(1);
    let width = i64::from(w.x.len());
    let at = |k: usize| {
        let k = i64::try_from(k).unwrap_or(i64::MAX);
        w.x.min + i32::try_from(width * k / n).unwrap_or(0)
    };
    let mut out = Vec::new();
    let mut start = None;
    for (k, c) in chars.iter().enumerate() {
        let sep = is_separator(*c) || *c == '\u{a0}';
        match (sep, start) {
            (false, None) => start = Some(k),
            (true, Some(s)) => {
                out.push((
                    chars[s..k].iter().collect(),
                    Span {
                        min: at(s),
                        max: at(k).max(at(s) + 1),
                    },
                ));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        let piece: String = chars[s..].iter().collect();
        if s == 0 {
            out.push((piece, w.x));
        } else {
            out.push((
                piece,
                Span {
                    min: at(s),
                    max: w.x.max,
                },
            ));
        }
    }
    out
}

/// The document `name` from `pdftotext -bbox-layout` output: its lines (words joined by a
/// space, a marker line before each page) and the extent of every word.
pub fn document(name: &str, xhtml: &str) -> Result<Document, Diagnostic> {
    let (words, sizes) = page_words(name, xhtml)?;
    let pages = u32::try_from(sizes.len()).unwrap_or(u32::MAX);
    Ok(document_of(name, by_page(words, pages), &[], sizes))
}

/// The words of `pdftotext -bbox-layout` output for the PDF `name` and the size of each of its
/// pages, with the errors [`document`] gives.
pub fn page_words(name: &str, xhtml: &str) -> Result<(Vec<Word>, Vec<PageSize>), Diagnostic> {
    let file = || Location::File {
        file: name.to_string(),
    };
    if xhtml.len() > MAX_BYTES {
        return Err(Diagnostic::error(
            "E0901",
            file(),
            Text::new(
                "文件过大，不像部门决算报告",
                "the file is too large for a report",
            ),
        )
        .expected(Text::new(
            format!("不超过 {} MiB 的 pdftotext 输出", MAX_BYTES >> 20),
            format!("at most {} MiB of pdftotext output", MAX_BYTES >> 20),
        ))
        .found(format!("{} bytes", xhtml.len())));
    }
    words(xhtml).map_err(|why| {
        Diagnostic::error(
            "E0906",
            file(),
            Text::new(
                "无法读取 PDF 的文字位置",
                "the word positions of the PDF cannot be read",
            ),
        )
        .expected(Text::new(
            "pdftotext -bbox-layout 的输出（XHTML）",
            "the output of pdftotext -bbox-layout (XHTML)",
        ))
        .found(why)
    })
}

/// `words` page by page (`pages` of them; a word's `page` is 1-based).
pub fn by_page(words: Vec<Word>, pages: u32) -> Vec<Vec<Word>> {
    let mut by_page: Vec<Vec<Word>> = vec![Vec::new(); pages as usize];
    for w in words {
        if let Some(p) = by_page.get_mut(w.page.saturating_sub(1) as usize) {
            p.push(w);
        }
    }
    by_page
}

/// The document `name` of positioned words, page by page (a PDF's, or a scan's recognised
/// words, [`crate::ocr`]): its lines, a marker line before each page, and the extent of every
/// word. The markers of the pages in `recognised` (1-based) say their text was recognised
/// from their image ([`crate::text::RECOGNISED`]); `page_sizes` are the pages' sizes.
pub fn document_of(
    name: &str,
    by_page: Vec<Vec<Word>>,
    recognised: &[u32],
    page_sizes: Vec<PageSize>,
) -> Document {
    let mut lines = Vec::new();
    let mut positions = Vec::new();
    let mut vertical = Vec::new();
    for (p, words) in by_page.into_iter().enumerate() {
        let n = u32::try_from(p + 1).unwrap_or(u32::MAX);
        let mark = if recognised.contains(&n) {
            crate::text::RECOGNISED
        } else {
            " "
        };
        lines.push(format!("=== 第{n}页{mark}==="));
        positions.push(Vec::new());
        vertical.push(Vec::new());
        for line in page_lines(words) {
            let mut text = String::new();
            let mut xs = Vec::new();
            let mut ys = Vec::new();
            for w in &line {
                for (piece, x) in pieces(w) {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(&piece);
                    xs.push(x);
                    ys.push(w.y);
                }
            }
            lines.push(text);
            positions.push(xs);
            vertical.push(ys);
        }
    }
    Document {
        name: name.to_string(),
        lines,
        positions,
        vertical,
        page_sizes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(x0: &str, y0: &str, x1: &str, y1: &str, text: &str) -> String {
        format!(r#"<word xMin="{x0}" yMin="{y0}" xMax="{x1}" yMax="{y1}">{text}</word>"#)
    }

    #[test]
    fn coordinates_in_hundredths() {
        assert_eq!(hundredths("99.384000"), Some(9938));
        assert_eq!(hundredths("99.385"), Some(9939));
        assert_eq!(hundredths("12"), Some(1200));
        assert_eq!(hundredths("-0.5"), Some(-50));
        assert_eq!(hundredths("1e5"), None);
        assert_eq!(hundredths(""), None);
        assert_eq!(hundredths("99999999.0"), None);
    }

    #[test]
    fn lines_are_rebuilt_from_positions() {
        // Page 1: a row's label and amount given out of order; a wrapped label's second line
        // (15 points down: not joined); a Chinese word with a short box inside a tall Latin one
        // (report 01). Page 2 (report 02, page 16): a label wrapped above and below its row's
        // line, between two other rows. Page 3 has no words.
        let page = |words: &[String]| {
            format!(
                r#"<page width="595" height="842"><flow><block><line>{}</line></block></flow></page>"#,
                words.concat()
            )
        };
        let xhtml = format!(
            r#"<?xml version="1.0"?><html><body><doc>{}{}<page/></doc></body></html>"#,
            page(&[
                word("300.0", "100.0", "330.5", "110.0", "1,511.90"),
                word("77.0", "100.0", "114.0", "110.0", "2010101"),
                word(
                    "153.0",
                    "100.5",
                    "250.0",
                    "110.5",
                    "机关事业单位基本养老保险缴"
                ),
                word("153.0", "115.0", "190.0", "125.0", "费支出"),
                word("360.0", "130.0", "390.0", "152.0", "6.20"),
                word("153.0", "140.0", "200.0", "143.0", "其他&amp;收入"),
            ]),
            page(&[
                word("68.3", "199.5", "94.7", "210.1", "30107"),
                word("278.5", "199.5", "309.6", "210.1", "1594.02"),
                word("132.9", "213.7", "255.6", "224.2", "机关事业单位基本养老保"),
                word("68.3", "220.5", "94.7", "231.1", "30108"),
                word("282.5", "221.2", "309.6", "230.2", "446.11"),
                word("122.3", "227.3", "154.0", "237.9", "险缴费"),
                word("68.3", "241.4", "94.7", "252.0", "30109"),
            ]),
        );
        let d = document("a.pdf", &xhtml).unwrap();
        assert_eq!(
            d.lines,
            [
                "=== 第1页 ===",
                "2010101 机关事业单位基本养老保险缴 1,511.90",
                "费支出",
                "其他&收入 6.20",
                "=== 第2页 ===",
                "30107 1594.02",
                "30108 机关事业单位基本养老保 险缴费 446.11",
                "30109",
                "=== 第3页 ===",
            ]
        );
        // Every page's size (the third gives none); every word's vertical extent.
        let size = |width, height| PageSize { width, height };
        assert_eq!(
            d.page_sizes,
            [size(59500, 84200), size(59500, 84200), size(0, 0)]
        );
        assert_eq!(
            d.vertical[1],
            [
                Span {
                    min: 10000,
                    max: 11000
                },
                Span {
                    min: 10050,
                    max: 11050
                },
                Span {
                    min: 10000,
                    max: 11000
                }
            ]
        );
        let t = d.line_tokens(2);
        assert_eq!(t.len(), 3);
        assert_eq!(
            t[2].x,
            Some(Span {
                min: 30000,
                max: 33050
            })
        );
        assert!(d.line_tokens(1).iter().all(|t| t.x.is_none()));
        assert!(
            crate::text::tokens(&d.lines[1], 2)
                .iter()
                .all(|t| t.x.is_none())
        );
    }

    #[test]
    fn malformed_output_is_refused() {
        let e = document("a.pdf", "<page><word xMin=\"x\">1</word></page>").unwrap_err();
        assert_eq!(e.code, "E0906");
        assert!(document("a.pdf", "<page><word>1</wor></page>").is_err());
    }

    #[test]
    fn a_word_with_a_space_splits_with_its_share_of_the_width() {
        let w = Word {
            page: 1,
            x: Span { min: 0, max: 400 },
            y: Span { min: 0, max: 100 },
            text: "合\u{3000}计".to_string(),
        };
        let p = pieces(&w);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0], ("合".to_string(), Span { min: 0, max: 133 }));
        assert_eq!(p[1], ("计".to_string(), Span { min: 266, max: 400 }));
    }
}
