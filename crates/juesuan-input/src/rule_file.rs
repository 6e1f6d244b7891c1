//! Rule catalog files: TOML holding `[[rules]]` (see `data/kinds/final-accounts/rules.toml`).

use crate::source::Source;
use juesuan_core::kind::Kind;
use juesuan_core::rules::{RuleFile, RuleSet};
use juesuan_core::{Diagnostic, Text};

/// Parses a rule catalog and checks it against the document kind whose tables it names.
pub fn load(source: &Source, kind: &Kind) -> Result<RuleSet, Vec<Diagnostic>> {
    let file: RuleFile = crate::embedded::from_toml(source).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        vec![
            Diagnostic::error(
                "E0702",
                source.location(offset),
                Text::new("规则目录文件无效", "invalid rule catalog file"),
            )
            .found(e.message().trim().to_string()),
        ]
    })?;
    RuleSet::new(file, &source.name, kind)
}
