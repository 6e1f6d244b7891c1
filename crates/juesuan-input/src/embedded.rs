//! The built-in asset files, embedded at compile time (`build.rs`): their texts, and the TOML
//! ones also as JSON, which parses several times faster (the TOML stays the source).

use crate::source::Source;

include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));

/// `source` parsed as `T`: from the JSON twin of its text made at compile time when it is a
/// built-in file unchanged (JSON parses several times faster than TOML), else from its TOML.
pub(crate) fn from_toml<T: serde::de::DeserializeOwned>(
    source: &Source,
) -> Result<T, toml::de::Error> {
    let builtin = FILES
        .iter()
        .find(|(p, _)| *p == source.name)
        .filter(|(_, text)| *text == source.text);
    if builtin.is_some()
        && let Some((_, json)) = JSON.iter().find(|(p, _)| *p == source.name)
        && let Ok(t) = serde_json::from_str(json)
    {
        return Ok(t);
    }
    toml::from_str(&source.text)
}
