//! Reading a scanned page: the words tesseract recognised, made the same positioned words as
//! a PDF's text ([`bbox::Word`]), so a scan is read as a PDF is.
//!
//! The edge (`juesuan-publish`'s `ocr.rs`) renders each page without text to a grey image at
//! [`DPI`], removes the table rules ([`Gray::without_rules`]: tesseract reads a grid's lines as
//! glyphs and loses rows), recognises it with `chi_sim` (TSV: every word with its box, [`tsv`])
//! and recognises again, with digits only, every word that looks like a figure
//! ([`figure_like`], cropped from the same image: [`Gray::crop`]). This module is the pure
//! part: the TSV read, the words joined (Chinese OCR gives a word per character and splits
//! `9746.` from `50`), the two readings of a figure reconciled ([`reconcile`]) — a figure
//! whose readings disagree is [`UNREADABLE`], never guessed — and the coordinates turned into
//! hundredths of a point.

use crate::bbox::Word;
use crate::text::{self, Span};

/// The resolution pages are rendered at for recognition: tesseract reads Chinese best at
/// about 300 dpi (a scan's own 100 or 150 dpi loses strokes; measured in the README).
pub const DPI: u32 = 300;

/// What an unreadable figure is printed as in the document read ([`text::UNREADABLE`]).
pub use crate::text::UNREADABLE;

/// A word tesseract recognised on a page image, in pixels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recognised {
    /// The line tesseract put it on: (block, paragraph, line).
    pub line: (u32, u32, u32),
    /// Left to right, in pixels.
    pub x: Span,
    /// Top to bottom, in pixels.
    pub y: Span,
    /// Confidence, 0–100 (the integer part of tesseract's).
    pub conf: i32,
    /// The word as recognised.
    pub text: String,
}

/// The words of tesseract's TSV output (`tesseract IMAGE - tsv`), in order, each with its box
/// reaching down to the bottom of its line.
pub fn tsv(text: &str) -> Result<Vec<Recognised>, String> {
    let mut words = Vec::new();
    // The box of each line (level 4), for its words.
    let mut lines: Vec<((u32, u32, u32), Span)> = Vec::new();
    for (n, row) in text.lines().enumerate() {
        if n == 0 && row.starts_with("level") {
            continue;
        }
        let c: Vec<&str> = row.split('\t').collect();
        if c.len() < 11 {
            continue;
        }
        let int = |i: usize| {
            c[i].trim()
                .parse::<i64>()
                .map_err(|_| format!("TSV line {}: column {} is {:?}", n + 1, i + 1, c[i]))
        };
        let level = int(0)?;
        let key = (
            u32::try_from(int(2)?).unwrap_or(0),
            u32::try_from(int(3)?).unwrap_or(0),
            u32::try_from(int(4)?).unwrap_or(0),
        );
        let at = |a: i64, len: i64| {
            let a = i32::try_from(a).unwrap_or(i32::MAX);
            let len = i32::try_from(len.max(1)).unwrap_or(1);
            Span {
                min: a,
                max: a.saturating_add(len),
            }
        };
        let (x, y) = (at(int(6)?, int(8)?), at(int(7)?, int(9)?));
        match level {
            4 => lines.push((key, y)),
            5 => {
                // What is left of a table's rules reads as `|`; a report prints none.
                let text = c
                    .get(11)
                    .map_or("", |t| t.trim().trim_matches(['|', '｜']).trim());
                if text.is_empty() {
                    continue;
                }
                // `95.000000`, `-1`: the integer part is enough.
                let conf = c[10].split('.').next().unwrap_or("0");
                let conf = conf.trim().parse::<i32>().unwrap_or(0).clamp(0, 100);
                // A word reaches down to its line's bottom: the boxes of glyphs such as `一`
                // are a sliver, but the words of a line share a baseline. Its own top stays,
                // so the lines of a cell that wraps stay in order.
                let y = lines
                    .iter()
                    .rev()
                    .find(|(k, _)| *k == key)
                    .map_or(y, |(_, band)| Span {
                        min: y.min.max(band.min).min(band.max - 1),
                        max: band.max,
                    });
                words.push(Recognised {
                    line: key,
                    x,
                    y,
                    conf,
                    text: text.to_string(),
                });
            }
            _ => {}
        }
    }
    Ok(words)
}

/// A word's text with what Chinese OCR confuses and a report never means put right: the
/// brackets of `（类）`, `（款）`, `（项）` read as `〈`, `《`, `〉` or `》`.
pub fn tidy(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let level = |j: usize| {
            chars
                .get(j)
                .is_some_and(|c| matches!(c, '类' | '款' | '项'))
        };
        let c = match c {
            '〈' | '《' | '(' if level(i + 1) => '（',
            '〉' | '》' | ')' if i > 0 && level(i - 1) => '）',
            _ => c,
        };
        out.push(c);
    }
    out
}

/// True for a character Chinese OCR may give for a digit or a figure's punctuation.
fn figure_char(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || matches!(c, '.' | ',' | '，' | '。' | '．' | '·' | '-' | '－')
}

/// True for a word that looks like a figure (an amount, a code, a 行次): digits and the
/// punctuation of figures only, at least one digit.
pub fn figure_like(text: &str) -> bool {
    let body = text.trim_end_matches(['%', '％']);
    body.chars().all(figure_char)
        && body
            .chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

/// True for a character of Chinese text (not a digit, not Latin).
fn cjk(c: char) -> bool {
    !c.is_ascii() && !figure_char(c)
}

/// Words that hold a figure and text (`50万元`, `30101工资`) split in two, each part with its
/// share of the box (a Chinese glyph twice as wide as a digit), so the figure is read again on
/// its own; punctuation without digits stays with its text.
pub fn split(words: Vec<Recognised>) -> Vec<Recognised> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let chars: Vec<char> = w.text.chars().collect();
        // Runs of figure characters (a `%` ending one) and of the rest.
        let mut runs: Vec<(bool, String)> = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            let fig =
                figure_char(c) || (matches!(c, '%' | '％') && i > 0 && figure_char(chars[i - 1]));
            // A figure ends at its `%`.
            let after_rate = i > 0 && matches!(chars[i - 1], '%' | '％');
            match runs.last_mut() {
                Some((f, r)) if *f == fig && !after_rate => r.push(c),
                _ => runs.push((fig, c.to_string())),
            }
        }
        let digits = |r: &str| {
            r.chars()
                .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        };
        let mut parts: Vec<(bool, String)> = Vec::new();
        for (fig, r) in runs {
            let fig = fig && digits(&r);
            match parts.last_mut() {
                Some((f, p)) if !*f && !fig => p.push_str(&r),
                _ => parts.push((fig, r)),
            }
        }
        if parts.len() < 2 {
            out.push(w);
            continue;
        }
        let weight = |s: &str| -> i64 { s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum() };
        let total = weight(&w.text).max(1);
        let width = i64::from(w.x.len());
        let mut at = 0;
        for (_, text) in parts {
            let from = w.x.min + i32::try_from(width * at / total).unwrap_or(0);
            at += weight(&text);
            let to = w.x.min + i32::try_from(width * at / total).unwrap_or(0);
            out.push(Recognised {
                x: Span {
                    min: from,
                    max: to.max(from + 1),
                },
                text,
                ..w.clone()
            });
        }
    }
    out
}

/// The words of a page joined where they are one printed word: Chinese glyphs of one line
/// about half a glyph apart or closer (OCR gives a word per glyph, or per two), and the pieces
/// of a figure side by side on one row (`9746.` `50`; tesseract may even put them on two
/// lines) closer than half a glyph, or a glyph after a point (Chinese fonts print a wide space
/// there: `28. 11`). Words of different cells stay apart: a cell's padding is wider.
pub fn join(words: Vec<Recognised>) -> Vec<Recognised> {
    let point = |c: Option<char>| matches!(c, Some('.' | ',' | '，' | '。' | '．'));
    let mut out: Vec<Recognised> = Vec::with_capacity(words.len());
    for w in words {
        if let Some(prev) = out.last_mut()
            && prev.line == w.line
        {
            let gap = w.x.min - prev.x.max;
            let glyph = prev.y.len().max(w.y.len()).max(1);
            let text = |s: &str| s.chars().all(cjk);
            if text(&prev.text) && text(&w.text) && 2 * gap <= glyph {
                prev.text.push_str(&w.text);
                prev.x = prev.x.union(w.x);
                prev.y = prev.y.union(w.y);
                prev.conf = prev.conf.min(w.conf);
                continue;
            }
        }
        out.push(w);
    }
    // Pieces of figures, wherever tesseract put them: the nearest piece to the right on the
    // same row, as long as one is found.
    let rate = |s: &str| s.ends_with(['%', '％']);
    loop {
        let mut best: Option<(i32, usize, usize)> = None;
        for (a, l) in out.iter().enumerate() {
            if !figure_like(&l.text) || rate(&l.text) {
                continue;
            }
            for (b, r) in out.iter().enumerate() {
                if a == b || !figure_like(&r.text) {
                    continue;
                }
                let glyph = l.y.len().min(r.y.len()).max(1);
                let gap = r.x.min - l.x.max;
                let spaced = point(l.text.chars().last()) || point(r.text.chars().next());
                let near = if spaced {
                    gap <= glyph
                } else {
                    2 * gap <= glyph
                };
                if near
                    && 4 * gap >= -glyph
                    && 2 * l.y.overlap(r.y) >= glyph
                    && best.is_none_or(|(g, _, _)| gap < g)
                {
                    best = Some((gap, a, b));
                }
            }
        }
        let Some((_, a, b)) = best else {
            break;
        };
        let r = out.remove(b);
        let l = &mut out[if b < a { a - 1 } else { a }];
        l.text.push_str(&r.text);
        l.x = l.x.union(r.x);
        l.y = l.y.union(r.y);
        l.conf = l.conf.min(r.conf);
    }
    out
}

/// A figure as OCR gives it, normalised where that is safe: full-width digits and the
/// punctuation Chinese OCR gives for `.` and `,` as ASCII, spaces removed.
fn normalised(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '，' => ',',
            '。' | '．' | '·' => '.',
            '－' => '-',
            _ => c,
        })
        .collect()
}

/// True for a figure as printed in a report: an amount (`1,234.56`), or an integer (a code,
/// a 行次).
fn well_formed(s: &str) -> bool {
    text::amount(s).is_some() || (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
}

/// The figure a word is, from its two readings: `text` (the Chinese pass) and `digits` (the
/// digits-only pass of its box, `None` when that read nothing). `None` when they cannot be
/// reconciled: their digits differ, or both are figures of different values (a decimal point
/// one of them lost), or neither is a figure. Where they agree on the digits and only one is
/// a well-formed figure, that one is the reading (`3845，25` and `3845.25`).
pub fn reconcile(text: &str, digits: Option<&str>) -> Option<String> {
    // A rate: the figure before its `%`, which the digits-only pass cannot read.
    let percent = |s: &str| {
        let n = normalised(s);
        let body = n.trim_end_matches(['%', '％']);
        (body.len() != n.len(), body.to_string())
    };
    let (rate, a) = percent(text);
    let (_, b) = percent(digits?);
    if a == b {
        // Two readings agree: whatever it is (`1.` numbering a paragraph), it is read.
        return Some(if rate { format!("{b}%") } else { b });
    }
    let figure = reconciled(&a, &b)?;
    Some(if rate { format!("{figure}%") } else { figure })
}

/// [`reconcile`] of two different readings.
fn reconciled(a: &str, b: &str) -> Option<String> {
    let (a, b) = (a.to_string(), b.to_string());
    let only_digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    if only_digits(&a) != only_digits(&b) {
        return None;
    }
    let value = |s: &str| text::amount(s).map(|p| p.hundredths());
    match (well_formed(&a), well_formed(&b)) {
        (true, true) if value(&a).is_some() && value(&a) == value(&b) => Some(b),
        (true, false) => Some(a),
        (false, true) => Some(b),
        _ => None,
    }
}

/// True for a reading that is a whole figure: an amount, an integer, a rate, or a
/// paragraph's number (`1.`, `2、`).
fn complete(s: &str) -> bool {
    let body = s.trim_end_matches('%');
    well_formed(body)
        || ((2..=3).contains(&s.len())
            && s[..s.len() - 1].bytes().all(|b| b.is_ascii_digit())
            && s.ends_with(['.', ',']))
}

/// Pixels of a page rendered at [`DPI`] → hundredths of a point (72 points an inch).
fn hundredths(px: i32) -> i32 {
    let v = i64::from(px) * 7200 / i64::from(DPI);
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// The words of page `page` as the PDF reader's words ([`bbox::Word`], hundredths of a
/// point): `words` joined ([`join`]) and each figure-like word replaced by its reconciled
/// reading — `digits(i)` is the digits-only reading of the `i`-th joined word (see
/// [`figures`]) — or by [`UNREADABLE`] when the two readings cannot be reconciled.
pub fn page_words(
    page: u32,
    words: &[Recognised],
    digits: &dyn Fn(usize) -> Option<String>,
) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let text = if !figure_like(&w.text) {
            tidy(&w.text)
        } else {
            // A figure cut short (`236.`, its decimals lost) is no figure either.
            reconcile(&w.text, digits(i).as_deref())
                .filter(|r| complete(r))
                .unwrap_or_else(|| UNREADABLE.to_string())
        };
        let span = |s: Span| Span {
            min: hundredths(s.min),
            max: hundredths(s.max).max(hundredths(s.min) + 1),
        };
        // OCR boxes are loose: words side by side may overlap a little, which would read as
        // words stacked in one cell (`bbox::order`). A glyph's sixth off each side.
        let trim = (w.y.len() / 6).min((w.x.len() - 1) / 2).max(0);
        let x = Span {
            min: w.x.min + trim,
            max: w.x.max - trim,
        };
        out.push(Word {
            page,
            x: span(x),
            y: span(w.y),
            text,
        });
    }
    out
}

/// The indices of the joined words to read again with digits only: those that look like
/// figures.
pub fn figures(words: &[Recognised]) -> Vec<usize> {
    (0..words.len())
        .filter(|&i| figure_like(&words[i].text))
        .collect()
}

/// An 8-bit grey image (a page rendered by `pdftoppm -gray`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gray {
    /// Pixels across.
    pub width: usize,
    /// Pixels down.
    pub height: usize,
    /// Row by row, 0 black to 255 white.
    pub pixels: Vec<u8>,
}

/// Darker than this is part of a rule (a scanned rule's edges are light grey).
const RULE: u8 = 224;

impl Gray {
    /// A binary PGM (`P5`, 8 bits), as `pdftoppm -gray` writes.
    pub fn from_pgm(bytes: &[u8]) -> Result<Gray, String> {
        // The header: magic, width, height, maxval, separated by whitespace (and comments).
        let mut fields = Vec::new();
        let mut i = 0;
        while fields.len() < 4 {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if bytes.get(i) == Some(&b'#') {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if start == i {
                return Err("a PGM header cut short".to_string());
            }
            fields.push(String::from_utf8_lossy(&bytes[start..i]).to_string());
        }
        let number = |s: &str| {
            s.parse::<usize>()
                .map_err(|_| format!("PGM header field {s:?}"))
        };
        if fields[0] != "P5" || number(&fields[3])? != 255 {
            return Err(format!(
                "not an 8-bit binary PGM ({} with maxval {})",
                fields[0], fields[3]
            ));
        }
        let (width, height) = (number(&fields[1])?, number(&fields[2])?);
        // One whitespace byte ends the header.
        let data = bytes.get(i + 1..).unwrap_or_default();
        let n = width.checked_mul(height).ok_or("PGM too large")?;
        if data.len() < n {
            return Err(format!("PGM of {width}×{height} with {} bytes", data.len()));
        }
        Ok(Gray {
            width,
            height,
            pixels: data[..n].to_vec(),
        })
    }

    /// The image as a binary PGM.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }

    /// The image with the rules of its tables whitened: every horizontal or vertical run of
    /// ink at least `min_run` pixels long. Glyphs are shorter than a rule (at 300 dpi a
    /// 10.5-point glyph is 44 pixels; the caller passes half an inch), so text stays; a
    /// glyph a rule crosses loses only the rule's pixels.
    pub fn without_rules(&self, min_run: usize) -> Gray {
        let (w, h) = (self.width, self.height);
        // A rule's grey edges count: left behind, tesseract reads them as `|` and quotes.
        let ink = |i: usize| self.pixels[i] < RULE;
        let mut out = self.clone();
        for y in 0..h {
            let mut x = 0;
            while x < w {
                if !ink(y * w + x) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < w && ink(y * w + x) {
                    x += 1;
                }
                if x - start >= min_run {
                    out.pixels[y * w + start..y * w + x].fill(255);
                }
            }
        }
        for x in 0..w {
            let mut y = 0;
            while y < h {
                if !ink(y * w + x) {
                    y += 1;
                    continue;
                }
                let start = y;
                while y < h && ink(y * w + x) {
                    y += 1;
                }
                if y - start >= min_run {
                    for k in start..y {
                        out.pixels[k * w + x] = 255;
                    }
                }
            }
        }
        out
    }

    /// The part of the image in `x` × `y` (pixels, clipped to the image), with a white margin
    /// of `margin` pixels around it (tesseract reads a word touching the edge badly).
    pub fn crop(&self, x: Span, y: Span, margin: usize) -> Gray {
        let clip = |s: Span, n: usize| {
            let lo = usize::try_from(s.min.max(0)).unwrap_or(0).min(n);
            let hi = usize::try_from(s.max.max(0)).unwrap_or(0).min(n);
            (lo, hi.max(lo))
        };
        let (x0, x1) = clip(x, self.width);
        let (y0, y1) = clip(y, self.height);
        let (cw, ch) = (x1 - x0, y1 - y0);
        let width = cw + 2 * margin;
        let height = ch + 2 * margin;
        let mut pixels = vec![255u8; width * height];
        for row in 0..ch {
            let from = (y0 + row) * self.width + x0;
            let to = (margin + row) * width + margin;
            pixels[to..to + cw].copy_from_slice(&self.pixels[from..from + cw]);
        }
        Gray {
            width,
            height,
            pixels,
        }
    }
}

/// The box a figure-like word is cropped with for its digits-only reading: its own width and
/// a little more (a glyph's tenth each side; OCR boxes may cut a digit's edge), its line's
/// height.
pub fn figure_box(w: &Recognised) -> (Span, Span) {
    let pad = w.y.len() / 6 + 2;
    (
        Span {
            min: w.x.min - pad,
            max: w.x.max + pad,
        },
        Span {
            min: w.y.min - 2,
            max: w.y.max + 2,
        },
    )
}

/// The readings of a digits-only pass over many crops at once (`tesseract LIST - tsv`, one
/// image per crop, in order): crop `i`'s words joined, or `None` when it read nothing.
pub fn digit_readings(text: &str, crops: usize) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = vec![None; crops];
    for row in text.lines() {
        let c: Vec<&str> = row.split('\t').collect();
        if c.len() < 12 || c[0].trim() != "5" {
            continue;
        }
        let Ok(page) = c[1].trim().parse::<usize>() else {
            continue;
        };
        let word = c[11].trim();
        if word.is_empty() || page == 0 {
            continue;
        }
        if let Some(slot) = out.get_mut(page - 1) {
            slot.get_or_insert_with(String::new).push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(line: u32, x0: i32, x1: i32, text: &str) -> Recognised {
        Recognised {
            line: (1, 1, line),
            x: Span { min: x0, max: x1 },
            y: Span { min: 100, max: 150 },
            conf: 90,
            text: text.to_string(),
        }
    }

    #[test]
    fn tsv_words_with_their_boxes() {
        let t = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                 1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n\
                 4\t1\t1\t1\t1\t0\t100\t700\t900\t60\t-1\t\n\
                 5\t1\t1\t1\t1\t1\t100\t730\t40\t4\t95.5\t一\n\
                 5\t1\t1\t1\t1\t2\t150\t705\t40\t50\t91.000000\t般\n\
                 5\t1\t1\t1\t1\t3\t300\t705\t40\t50\t-1\t \n";
        let w = tsv(t).unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].y, Span { min: 730, max: 760 });
        assert_eq!(w[1].x, Span { min: 150, max: 190 });
        assert_eq!(w[0].conf, 95);
        assert!(tsv("level\n5\t1\tx\t1\t1\t1\t1\t1\t1\t1\t9\ty").is_err());
    }

    #[test]
    fn glyphs_and_pieces_of_figures_join_cells_do_not() {
        let w = join(vec![
            rec(1, 0, 40, "一"),
            rec(1, 45, 85, "般"),
            rec(1, 90, 170, "公共"),
            rec(1, 400, 550, "9746."),
            rec(1, 540, 590, "50"),
            rec(1, 800, 840, "一"),
            rec(2, 845, 885, "般"),
        ]);
        let t: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(t, ["一般公共", "9746.50", "一", "般"]);
        assert_eq!(w[1].x, Span { min: 400, max: 590 });
    }

    #[test]
    fn figures_are_split_from_their_words() {
        let w = split(vec![
            rec(1, 0, 80, "50万元"),
            rec(1, 100, 140, "收入，支出"),
        ]);
        let t: Vec<(&str, i32, i32)> = w
            .iter()
            .map(|w| (w.text.as_str(), w.x.min, w.x.max))
            .collect();
        assert_eq!(
            t,
            [("50", 0, 26), ("万元", 26, 80), ("收入，支出", 100, 140)]
        );
        let w = split(vec![rec(1, 0, 60, "增长71.08%。")]);
        let t: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(t, ["增长", "71.08%", "。"]);
    }

    #[test]
    fn two_readings_of_a_figure_agree_or_it_is_unreadable() {
        assert_eq!(
            reconcile("71.08%", Some("71.08")).as_deref(),
            Some("71.08%")
        );
        assert_eq!(reconcile("1.", Some("1.")).as_deref(), Some("1."));
        assert_eq!(
            reconcile("9746.50", Some("9746.50")).as_deref(),
            Some("9746.50")
        );
        assert_eq!(
            reconcile("3845，25", Some("3845.25")).as_deref(),
            Some("3845.25")
        );
        assert_eq!(
            reconcile("１，２３４．５０", Some("1,234.50")).as_deref(),
            Some("1,234.50")
        );
        assert_eq!(
            reconcile("1,234.50", Some("1234.50")).as_deref(),
            Some("1234.50")
        );
        assert_eq!(
            reconcile("2010101", Some("2010101")).as_deref(),
            Some("2010101")
        );
        // A lost decimal point, a digit read differently, no second reading: never guessed.
        assert_eq!(reconcile("9746.50", Some("974650")), None);
        assert_eq!(reconcile("9746.50", Some("9146.50")), None);
        assert_eq!(reconcile("9746.50", None), None);
        assert_eq!(reconcile("97,46,50", Some("9,746,50")), None);
    }

    #[test]
    fn figure_like_words() {
        assert!(figure_like("9746.50"));
        assert!(figure_like("3845，25"));
        assert!(figure_like("30101"));
        assert!(!figure_like("2024年"));
        assert!(!figure_like("-"));
        assert!(!figure_like("一、"));
    }

    #[test]
    fn page_words_are_in_hundredths_of_a_point_and_unreconciled_figures_unreadable() {
        let words = vec![rec(1, 300, 600, "收入"), rec(1, 900, 1050, "12.50")];
        assert_eq!(figures(&words), [1]);
        let w = page_words(3, &words, &|_| Some("12.58".to_string()));
        // Loose boxes narrowed by a sixth of their height each side.
        assert_eq!(
            w[0].x,
            Span {
                min: 7392,
                max: 14208
            }
        );
        assert_eq!(
            w[0].y,
            Span {
                min: 2400,
                max: 3600
            }
        );
        assert_eq!(w[0].page, 3);
        assert_eq!(w[1].text, UNREADABLE.to_string());
        let w = page_words(3, &words, &|_| Some("12.50".to_string()));
        assert_eq!(w[1].text, "12.50");
    }

    #[test]
    fn rules_are_removed_and_glyphs_kept() {
        // A 40×20 image: a horizontal rule on row 5, a vertical one on column 30, a 6-pixel
        // stroke on row 12.
        let (w, h) = (40, 20);
        let mut px = vec![255u8; w * h];
        px[5 * w..6 * w].fill(0);
        for y in 0..h {
            px[y * w + 30] = 0;
        }
        px[12 * w + 3..12 * w + 9].fill(0);
        let g = Gray {
            width: w,
            height: h,
            pixels: px,
        };
        let back = Gray::from_pgm(&g.to_pgm()).unwrap();
        assert_eq!(back, g);
        let clean = g.without_rules(15);
        assert!(clean.pixels[5 * w..6 * w].iter().all(|&p| p == 255));
        assert!((0..h).all(|y| clean.pixels[y * w + 30] == 255));
        assert!(clean.pixels[12 * w + 3..12 * w + 9].iter().all(|&p| p == 0));
        let c = clean.crop(Span { min: 2, max: 10 }, Span { min: 11, max: 14 }, 2);
        assert_eq!((c.width, c.height), (12, 7));
        assert_eq!(c.pixels[3 * 12 + 3], 0);
        assert!(Gray::from_pgm(b"P6\n1 1\n255\n\0\0\0").is_err());
        assert!(Gray::from_pgm(b"P5\n4 4\n255\n\0").is_err());
    }

    #[test]
    fn digit_readings_by_image() {
        let t = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                 5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t90\t9746.50\n\
                 5\t3\t1\t1\t1\t1\t0\t0\t9\t9\t90\t12\n\
                 5\t3\t1\t1\t1\t2\t0\t0\t9\t9\t90\t.50\n";
        assert_eq!(
            digit_readings(t, 3),
            [Some("9746.50".to_string()), None, Some("12.50".to_string())]
        );
    }
}
