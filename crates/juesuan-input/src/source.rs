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
}

impl Source {
    /// Wraps `text` read from `name`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// Decodes bytes as UTF-8 (a leading BOM is dropped). On failure, a located error.
    pub fn from_bytes(
        name: impl Into<String>,
        bytes: &[u8],
    ) -> Result<Source, juesuan_core::Diagnostic> {
        let name = name.into();
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Source::new(name, s)),
            Err(e) => {
                let good = Source::new(
                    name.clone(),
                    String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
                );
                Err(juesuan_core::Diagnostic::error(
                    "E0200",
                    good.location(e.valid_up_to()),
                    juesuan_core::Text::new("文件不是 UTF-8 编码", "the file is not UTF-8"),
                )
                .expected(juesuan_core::Text::new(
                    "UTF-8 文本（请在编辑器中另存为 UTF-8）",
                    "UTF-8 text (save the file as UTF-8)",
                ))
                .found(format!("byte 0x{:02X}", bytes[e.valid_up_to()])))
            }
        }
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
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
}
