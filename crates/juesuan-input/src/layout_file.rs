//! Layout files: TOML describing how a region and year prints the nine tables.

use crate::source::Source;
use juesuan_core::layout::Layout;
use juesuan_core::{Diagnostic, Text};

/// Parses and checks a layout file.
pub fn load(source: &Source) -> Result<Layout, Vec<Diagnostic>> {
    let layout: Layout = toml::from_str(&source.text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        vec![
            Diagnostic::error(
                "E0502",
                source.location(offset),
                Text::new("版式文件无效", "invalid layout file"),
            )
            .found(e.message().trim().to_string()),
        ]
    })?;
    let problems = layout.check(&source.name);
    if problems.is_empty() {
        Ok(layout)
    } else {
        Err(problems)
    }
}
