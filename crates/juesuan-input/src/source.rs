//! A named input text and the mapping from byte offsets to lines and columns.

use juesuan_core::Location;

/// An input file as text, with its name for messages.
#[derive(Clone, Debug)]
pub struct Source {
    /// The name the user gave (a path as typed, or `<stdin>`).
    pub name: String,
    /// The text.
    pub text: String,
    line_starts: Vec<usize>,
    /// Every [`CHECKPOINT`] bytes, the byte offset and its column (characters from the start
    /// of its line, from 0): a column is then counted over at most that many bytes, not over
    /// the whole line (JSON from programs often comes on one line of megabytes).
    checkpoints: Vec<(usize, u32)>,
}

/// Bytes between column checkpoints.
const CHECKPOINT: usize = 1024;

impl Source {
    /// Wraps `text` read from `name`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        let text: String = text.into();
        let mut line_starts = vec![0];
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        let mut col: u32 = 0;
        // Bytes rather than chars: a char starts at every byte that is not a continuation
        // byte (10xxxxxx), and decoding every built-in file at each start was measurable.
        for (i, &b) in text.as_bytes().iter().enumerate() {
            if b & 0xC0 == 0x80 {
                continue;
            }
            if i >= checkpoints.len() * CHECKPOINT {
                checkpoints.push((i, col));
            }
            if b == b'\n' {
                line_starts.push(i + 1);
                col = 0;
            } else {
                col = col.saturating_add(1);
            }
        }
        Source {
            name: name.into(),
            text,
            line_starts,
            checkpoints,
        }
    }

    /// The largest file juesuan reads: a department-year is well under a megabyte and an
    /// official catalog a few; refusing more keeps memory bounded by what was read.
    pub const MAX_BYTES: usize = 64 * 1024 * 1024;

    /// Decodes bytes as UTF-8 (a leading BOM is dropped). On failure, a located error that
    /// names the encoding when it can tell (UTF-16, GBK).
    pub fn from_bytes(
        name: impl Into<String>,
        bytes: &[u8],
    ) -> Result<Source, juesuan_core::Diagnostic> {
        use juesuan_core::{Diagnostic, Location, Text};
        let name = name.into();
        if bytes.len() > Source::MAX_BYTES {
            return Err(Diagnostic::error(
                "E0220",
                Location::File { file: name },
                Text::new("文件过大", "the file is too large"),
            )
            .expected(Text::new(
                format!("不超过 {} MiB", Source::MAX_BYTES >> 20),
                format!("at most {} MiB", Source::MAX_BYTES >> 20),
            ))
            .found(format!("{} bytes", bytes.len())));
        }
        let save_as = Text::new(
            "UTF-8 文本（请在编辑器中另存为 UTF-8）",
            "UTF-8 text (save the file as UTF-8)",
        );
        if let Some(bom) = [&b"\xFF\xFE"[..], b"\xFE\xFF"]
            .into_iter()
            .find(|b| bytes.starts_with(b))
        {
            let which = if bom[0] == 0xFF {
                "UTF-16LE"
            } else {
                "UTF-16BE"
            };
            return Err(Diagnostic::error(
                "E0200",
                Location::Text {
                    file: name,
                    line: 1,
                    col: 1,
                },
                Text::new(
                    format!("文件是 {which} 编码，不是 UTF-8"),
                    format!("the file is {which}, not UTF-8"),
                ),
            )
            .expected(save_as)
            .found(format!(
                "{which} byte order mark {:02X} {:02X}",
                bom[0], bom[1]
            )));
        }
        // Files people pick by mistake: what they are says more than "not UTF-8".
        let kinds: [(&[u8], &str, &str); 3] = [
            (
                b"PK\x03\x04",
                "ZIP 压缩包（如 XLSX 工作簿）",
                "a ZIP archive (an XLSX workbook?)",
            ),
            (b"\xD0\xCF\x11\xE0", "XLS 工作簿", "an XLS workbook"),
            (b"%PDF-", "PDF 文件", "a PDF document"),
        ];
        if let Some((magic, zh, en)) = kinds.into_iter().find(|(m, _, _)| bytes.starts_with(m)) {
            return Err(Diagnostic::error(
                "E0200",
                Location::Text {
                    file: name,
                    line: 1,
                    col: 1,
                },
                Text::new(
                    format!("文件是 {zh}，不是 UTF-8 文本"),
                    format!("the file is {en}, not UTF-8 text"),
                ),
            )
            .expected(Text::new(
                "TOML 或 JSON 文本（UTF-8）",
                "TOML or JSON text (UTF-8)",
            ))
            .found(format!("bytes {}", hex(magic))));
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Source::new(name, s)),
            Err(e) => {
                let at = e.valid_up_to();
                let good = Source::new(name.clone(), String::from_utf8_lossy(&bytes[..at]));
                let gbk = looks_like_gbk(&bytes[at..]);
                let message = if gbk {
                    Text::new(
                        "文件不是 UTF-8 编码（像是 GBK/GB18030）",
                        "the file is not UTF-8 (it looks like GBK/GB18030)",
                    )
                } else {
                    Text::new("文件不是 UTF-8 编码", "the file is not UTF-8")
                };
                Err(Diagnostic::error("E0200", good.location(at), message)
                    .expected(save_as)
                    .found(format!(
                        "bytes {}",
                        hex(&bytes[at..bytes.len().min(at + 4)])
                    )))
            }
        }
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        // Count from the last checkpoint of this line before `offset`, else from its start.
        let (from, col_at) = match self.checkpoints.partition_point(|&(b, _)| b <= offset) {
            0 => (start, 0),
            n => match self.checkpoints[n - 1] {
                (b, col) if b >= start => (b, col as usize),
                _ => (start, 0),
            },
        };
        let col = col_at
            + self
                .text
                .get(from..offset)
                .map_or(offset - from, |s| s.chars().count());
        (line as u32 + 1, col as u32 + 1)
    }

    /// The location of byte `offset`.
    pub fn location(&self, offset: usize) -> Location {
        let (line, col) = self.line_col(offset);
        Location::Text {
            file: self.name.clone(),
            line,
            col,
        }
    }
}

/// `0x50 0x4B …`.
fn hex(bytes: &[u8]) -> String {
    let shown: Vec<String> = bytes.iter().map(|b| format!("0x{b:02X}")).collect();
    shown.join(" ")
}

/// True when the bytes from the first invalid one on read as GBK / GB18030 text (what Chinese
/// Windows saves by default): every non-ASCII byte of the next few is a lead byte 0x81–0xFE
/// followed by a trail byte 0x40–0xFE, and no NUL (binary data) is among them.
fn looks_like_gbk(rest: &[u8]) -> bool {
    let window = &rest[..rest.len().min(32)];
    let mut i = 0;
    let mut pairs = 0;
    while i < window.len() {
        match window[i] {
            0 => return false,
            0x01..=0x7F => i += 1,
            0x81..=0xFE if matches!(window.get(i + 1), Some(0x40..=0x7E | 0x80..=0xFE)) => {
                pairs += 1;
                i += 2;
            }
            // A lead byte cut off by the window is no evidence either way.
            0x81..=0xFE if i + 1 == window.len() => break,
            _ => return false,
        }
    }
    pairs > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let s = Source::new("x", "a = 1\n名称 = \"科学\"\n");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(6), (2, 1));
        // "名称 = " is 5 characters but 9 bytes.
        assert_eq!(s.line_col(6 + 9), (2, 6));
    }

    #[test]
    fn columns_on_long_lines_use_checkpoints_and_stay_exact() {
        // A line of 5,000 two-byte characters, then ASCII: columns count characters.
        let text = format!("x\n{}abc\né", "é".repeat(5_000));
        let s = Source::new("x", text.as_str());
        for (offset, want) in [
            (0, (1, 1)),
            (2, (2, 1)),
            (2 + 2 * 1_000, (2, 1_001)),
            (2 + 2 * 5_000, (2, 5_001)),
            (2 + 2 * 5_000 + 2, (2, 5_003)),
            (text.len() - 2, (3, 1)),
            (text.len(), (3, 2)),
        ] {
            assert_eq!(s.line_col(offset), want, "offset {offset}");
            let naive = text[..offset].rsplit('\n').next().unwrap().chars().count() + 1;
            assert_eq!(s.line_col(offset).1 as usize, naive);
        }
    }

    proptest::proptest! {
        /// Checkpoints change how a column is counted, never what it is.
        #[test]
        fn columns_match_a_plain_count(
            parts in proptest::collection::vec("[a\n测é]{0,700}", 1..8),
            pick in 0usize..10_000,
        ) {
            let text = parts.concat();
            let s = Source::new("x", text.as_str());
            let boundaries: Vec<usize> =
                text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let offset = boundaries[pick % boundaries.len()];
            let before = &text[..offset];
            let line = before.matches('\n').count() as u32 + 1;
            let col = before.rsplit('\n').next().unwrap().chars().count() as u32 + 1;
            proptest::prop_assert_eq!(s.line_col(offset), (line, col));
        }
    }

    #[test]
    fn foreign_encodings_are_named() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a = 1".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let d = Source::from_bytes("u.toml", &utf16).unwrap_err();
        assert_eq!(
            (d.code, d.location.to_string()),
            ("E0200", "u.toml:1:1".into())
        );
        assert!(d.message.en.contains("UTF-16LE"), "{d:?}");
        // 测试 in GBK, after a valid first line.
        let d = Source::from_bytes("g.toml", b"a = 1\nb = \"\xB2\xE2\xCA\xD4\"").unwrap_err();
        assert_eq!(d.location.to_string(), "g.toml:2:6");
        assert!(d.message.en.contains("GBK"), "{d:?}");
        assert_eq!(
            d.found.as_ref().map(|f| f.zh.as_str()),
            Some("bytes 0xB2 0xE2 0xCA 0xD4")
        );
        let d = Source::from_bytes("x.toml", b"\xFF").unwrap_err();
        assert!(!d.message.en.contains("GBK"), "{d:?}");
        // A PNG image: not GBK, though its first two bytes would pair.
        let d = Source::from_bytes("p.toml", b"\x89PNG\r\n\x1A\n\x00\x00").unwrap_err();
        assert!(!d.message.en.contains("GBK"), "{d:?}");
        let d = Source::from_bytes("w.json", b"PK\x03\x04\x14\x00").unwrap_err();
        assert!(d.message.en.contains("XLSX"), "{d:?}");
        assert_eq!(d.location.to_string(), "w.json:1:1");
    }

    #[test]
    fn files_over_the_limit_are_refused_before_decoding() {
        let big = vec![b' '; Source::MAX_BYTES + 1];
        let d = Source::from_bytes("big.toml", &big).unwrap_err();
        assert_eq!(
            (d.code, d.location.to_string()),
            ("E0220", "big.toml".into())
        );
        assert!(Source::from_bytes("ok.toml", &big[1..]).is_ok());
    }
}
