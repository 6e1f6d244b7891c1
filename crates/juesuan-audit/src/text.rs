//! The text of a published report: decoding, lines, and the tokens of a printed table.
//!
//! Text extracted from PDFs loses the grid: cells are separated by tabs (some extractors) or
//! spaces (others), blank cells may be dropped, long labels wrap onto the next line and page
//! markers interrupt tables. Tokens keep only what is certain: amounts as printed, integers
//! (codes, 行次, 栏次) and words, each with the line it came from.

use juesuan_core::diag::{Diagnostic, Location};
use juesuan_core::money::Printed;
use juesuan_core::text::Text;

/// A decoded document: its name and its lines (line `i` is `lines[i - 1]`).
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The file as the user named it.
    pub name: String,
    /// Lines without their line breaks.
    pub lines: Vec<String>,
    /// For a document rebuilt from word positions (a PDF, [`crate::bbox`]): the horizontal
    /// extent of every word of every line, in the order [`tokens`] splits the line (line `i`'s
    /// are `positions[i - 1]`). Empty for plain text.
    pub positions: Vec<Vec<Span>>,
    /// For a PDF: the vertical extent of every word, as [`Document::positions`] gives the
    /// horizontal (what boxes a figure on its page, [`crate::evidence`]). Empty otherwise.
    pub vertical: Vec<Vec<Span>>,
    /// For a PDF: the size of every page (page `p` is `page_sizes[p - 1]`). Empty otherwise.
    pub page_sizes: Vec<PageSize>,
}

/// The size of a PDF page, in hundredths of a point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageSize {
    /// Width.
    pub width: i32,
    /// Height.
    pub height: i32,
}

impl Document {
    /// The tokens of line `no` (1-based), with their horizontal extents when the document has
    /// word positions.
    pub fn line_tokens(&self, no: u32) -> Vec<Token> {
        let i = no.saturating_sub(1) as usize;
        let Some(line) = self.lines.get(i) else {
            return Vec::new();
        };
        tokens_at(line, no, self.positions.get(i).map(Vec::as_slice))
    }
}

/// A horizontal or vertical extent on a PDF page, in hundredths of a point (integers: no
/// floating point anywhere).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Left or top edge.
    pub min: i32,
    /// Right or bottom edge.
    pub max: i32,
}

impl Span {
    /// How far the two extents overlap (0 when they do not).
    pub fn overlap(self, other: Span) -> i32 {
        (self.max.min(other.max) - self.min.max(other.min)).max(0)
    }

    /// The extent's length.
    pub fn len(self) -> i32 {
        (self.max - self.min).max(0)
    }

    /// True for an extent of no length.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The smallest extent covering both.
    pub fn union(self, other: Span) -> Span {
        Span {
            min: self.min.min(other.min),
            max: self.max.max(other.max),
        }
    }

    /// Twice the centre (an integer without rounding).
    pub fn centre2(self) -> i64 {
        i64::from(self.min) + i64::from(self.max)
    }
}

/// The ASCII digits `s` ends with (`上海市普陀区财政局2024` → `2024`): the year printed
/// before a `年度`.
pub fn trailing_digits(s: &str) -> &str {
    let digits = s.bytes().rev().take_while(u8::is_ascii_digit).count();
    &s[s.len() - digits..]
}

/// The largest report read: real ones are well under a megabyte of text.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;

/// Decodes a report's bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030/GBK
/// when the bytes are not UTF-8 and decode cleanly as GB18030.
pub fn decode(name: &str, bytes: &[u8]) -> Result<Document, Diagnostic> {
    let file = || Location::File {
        file: name.to_string(),
    };
    if bytes.len() > MAX_BYTES {
        return Err(Diagnostic::error(
            "E0901",
            file(),
            Text::new(
                "文件过大，不像部门决算报告",
                "the file is too large for a report",
            ),
        )
        .expected(Text::new(
            format!("不超过 {} MiB 的文本", MAX_BYTES >> 20),
            format!("at most {} MiB of text", MAX_BYTES >> 20),
        ))
        .found(format!("{} bytes", bytes.len())));
    }
    let text = decoded_text(name, bytes)?;
    // Binary files decode "cleanly" as GB18030 more often than one would like: control
    // characters other than tab and form feed give them away.
    if let Some((i, line)) = text.lines().enumerate().find(|(_, l)| {
        l.chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\u{c}' | '\r'))
    }) {
        let col = line
            .chars()
            .position(|c| c.is_control() && !matches!(c, '\t' | '\u{c}' | '\r'))
            .unwrap_or(0);
        return Err(Diagnostic::error(
            "E0902",
            Location::Text {
                file: name.to_string(),
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                col: u32::try_from(col + 1).unwrap_or(u32::MAX),
            },
            Text::new("不是文本文件", "not a text file"),
        )
        .expected(Text::new(
            "从 PDF 提取的文本、PDF、工作簿、网页或 Word 文档",
            "text extracted from a PDF, a PDF, a workbook, an HTML page or a Word document",
        ))
        .found_text(Text::new(
            "控制字符（二进制数据）",
            "control characters (binary data)",
        )));
    }
    Ok(Document {
        name: name.to_string(),
        lines: text
            .split('\n')
            .map(|l| l.trim_end_matches('\r').replace('\u{c}', ""))
            .collect(),
        ..Document::default()
    })
}

/// A report's bytes as text, as [`decode`] reads them: UTF-8 (with or without BOM), UTF-16
/// with a BOM, or GB18030/GBK. Line and column numbers of the reader's errors count in it.
pub fn decoded_text(name: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let text = if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(unreadable(name, enc.name()));
        }
        text.into_owned()
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        s.to_string()
    } else {
        let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
        if had_errors {
            return Err(unreadable(name, "UTF-8 / GB18030"));
        }
        text.into_owned()
    };
    Ok(text)
}

fn unreadable(name: &str, tried: &str) -> Diagnostic {
    Diagnostic::error(
        "E0902",
        Location::File {
            file: name.to_string(),
        },
        Text::new("无法解码为文本", "cannot be decoded as text"),
    )
    .expected(Text::new(
        "UTF-8、UTF-16 或 GB18030/GBK 编码的文本",
        "text in UTF-8, UTF-16 or GB18030/GBK",
    ))
    .found_text(Text::new(
        format!("不是有效 {tried} 的字节"),
        format!("bytes that are not valid {tried}"),
    ))
}

/// One piece of a printed row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    /// An amount as printed: digits with a decimal point, maybe thousands separators.
    Amount(Printed),
    /// An integer: a code, a code segment, a 行次 or a 栏次.
    Int(String),
    /// Words.
    Text(String),
    /// A figure printed but not read with certainty (a word holding [`UNREADABLE`]: a scan's
    /// figure whose two readings disagree): its row is left out of the checks.
    Unsure,
}

/// What a figure that could not be read with certainty is printed as in a document read:
/// U+FFFD, the character that stands for what could not be decoded (a scan's figure whose two
/// readings disagree, `ocr.rs`).
pub const UNREADABLE: char = '\u{FFFD}';

/// A token and the line it is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// 1-based line in the document.
    pub line: u32,
    /// Where it is printed across the page, when the document has word positions (a PDF);
    /// `None` for plain text.
    pub x: Option<Span>,
}

/// `1,234.56`, `-0.50`, `12.3` → hundredths; a whole amount with thousands separators
/// (`164,978,640`, as budgets print whole 元) too; not an amount without a decimal point or a
/// separator (a code, a 行次, a count).
pub fn amount(s: &str) -> Option<Printed> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some(parts) => parts,
        None if body.contains(',') => (body, "00"),
        None => return None,
    };
    if frac.is_empty() || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Thousands separators only in groups of three.
    let groups: Vec<&str> = int.split(',').collect();
    let well_grouped = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    if int.is_empty() || !well_grouped || !int.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return None;
    }
    let digits: String = int.chars().filter(char::is_ascii_digit).collect();
    if digits.len() > 20 {
        return None;
    }
    let whole: i128 = digits.parse().ok()?;
    let frac: i128 = format!("{frac:0<2}").parse().ok()?;
    let h = whole.checked_mul(100)?.checked_add(frac)?;
    Some(Printed::from_hundredths(if neg { -h } else { h }))
}

/// True for a page marker an extractor inserted (`=== 第7页 ===`, `- 12 -`, a bare page
/// number).
pub fn is_page_marker(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with("===") && t.ends_with("===") && t.contains('页'))
        || (t.starts_with('-')
            && t.ends_with('-')
            && t.len() > 2
            && t.trim_matches(|c: char| c == '-' || c.is_whitespace())
                .bytes()
                .all(|b| b.is_ascii_digit()))
}

/// What the page marker of a page whose text was recognised from its image (a scan) says
/// after the page number: `=== 第3页（文字识别）===`. The marking travels with the lines, so a
/// report in parts keeps it ([`crate::Auditor::combine`]).
pub const RECOGNISED: &str = "（文字识别）";

/// For each line of `doc` (first line first), whether it is on a page whose text was
/// recognised from its image (its page marker says [`RECOGNISED`]).
pub fn recognised_lines(doc: &Document) -> Vec<bool> {
    let mut on = false;
    doc.lines
        .iter()
        .map(|l| {
            if is_page_marker(l) {
                on = l.contains(RECOGNISED);
            }
            on
        })
        .collect()
}

/// Full-width digits, commas and points as ASCII, so `１，２３４．５６` reads as an amount.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            _ => c,
        })
        .collect()
}

/// True for the characters that separate the words of a line.
pub fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// The tokens of one line, in order.
pub fn tokens(line: &str, no: u32) -> Vec<Token> {
    tokens_at(line, no, None)
}

/// The tokens of one line, in order; `positions` gives the extent of each word (the pieces
/// between separators, in order), when known.
pub fn tokens_at(line: &str, no: u32, positions: Option<&[Span]>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut index = 0;
    for word in line.split(is_separator) {
        if word.is_empty() {
            continue;
        }
        let x = positions.and_then(|p| p.get(index).copied());
        index += 1;
        let w = ascii_digits(word);
        let tok = if word.contains(UNREADABLE) {
            Tok::Unsure
        } else if let Some(p) = amount(&w) {
            Tok::Amount(p)
        } else if w.bytes().all(|b| b.is_ascii_digit()) {
            Tok::Int(w)
        } else if matches!(w.as_str(), "-" | "—" | "－" | "/" | "——") {
            // A dash in a cell means "none": nothing to read.
            continue;
        } else {
            Tok::Text(word.to_string())
        };
        out.push(Token { tok, line: no, x });
    }
    out
}

/// A label as compared: no whitespace, full-width brackets and colons as half-width.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            '“' | '”' => '"',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_printed() {
        assert_eq!(
            amount("35,549.61"),
            Some(Printed::from_hundredths(3_554_961))
        );
        assert_eq!(amount("0.00"), Some(Printed::from_hundredths(0)));
        assert_eq!(amount("-1.5"), Some(Printed::from_hundredths(-150)));
        assert_eq!(amount("12,34.00"), None);
        assert_eq!(amount("2023"), None);
        assert_eq!(amount("1.234"), None);
        assert_eq!(amount("."), None);
        assert_eq!(amount("99999999999999999999999.00"), None);
    }

    #[test]
    fn tokens_of_a_row() {
        let t = tokens("201 06 01 行政运行 1,511.90 1,511.89 0.01", 7);
        let kinds: Vec<&Tok> = t.iter().map(|t| &t.tok).collect();
        assert_eq!(kinds.len(), 7);
        assert_eq!(kinds[0], &Tok::Int("201".into()));
        assert_eq!(kinds[3], &Tok::Text("行政运行".into()));
        assert_eq!(kinds[6], &Tok::Amount(Printed::from_hundredths(1)));
        assert!(t.iter().all(|t| t.line == 7));
    }

    #[test]
    fn recognised_pages_and_unreadable_figures() {
        let doc = Document {
            name: "scan.pdf".to_string(),
            lines: [
                "=== 第1页 ===",
                "text",
                "=== 第2页（文字识别）===",
                "合计 \u{FFFD} 12.50",
                "=== 第3页 ===",
            ]
            .map(String::from)
            .to_vec(),
            positions: Vec::new(),
            vertical: Vec::new(),
            page_sizes: Vec::new(),
        };
        assert!(is_page_marker(&doc.lines[2]));
        assert_eq!(recognised_lines(&doc), [false, false, true, true, false]);
        let t = tokens(&doc.lines[3], 4);
        assert_eq!(t[1].tok, Tok::Unsure);
        assert!(matches!(t[2].tok, Tok::Amount(_)));
    }

    #[test]
    fn decoding() {
        let (gbk, _, _) = encoding_rs::GBK.encode("收入决算表\n单位：万元\n");
        let d = decode("a.txt", &gbk).unwrap();
        assert_eq!(d.lines[0], "收入决算表");
        assert!(decode("b.bin", b"\x00\x01\x02PNG").is_err());
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("合计".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode("c.txt", &utf16).unwrap().lines[0], "合计");
        assert!(is_page_marker("=== 第7页 ==="));
        assert!(is_page_marker("- 12 -"));
        assert!(!is_page_marker("一、收入"));
    }
}
