//! A format-neutral tree of input values that keeps where each value was written and numbers
//! exactly as written (never through binary floating point).

use crate::source::Source;
use juesuan_core::{Diagnostic, Location, Text};

/// Where a node was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Loc {
    /// A byte offset into a text source.
    Offset(usize),
    /// A workbook cell.
    Cell {
        /// Sheet name.
        sheet: String,
        /// Cell reference, e.g. `C7`.
        cell: String,
    },
}

/// A value of the tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A string.
    Str(String),
    /// A number, as written (`35549.61`, `1_000`, `-2`).
    Num(String),
    /// A boolean.
    Bool(bool),
    /// An array.
    Array(Vec<Node>),
    /// A table (object), keys in file order where the format keeps it.
    Table(Vec<(Key, Node)>),
    /// JSON `null`.
    Null,
    /// A value of a type the input format never uses (a TOML date, say).
    Other(&'static str),
}

/// A table key and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The key.
    pub name: String,
    /// Where.
    pub at: Loc,
}

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where.
    pub at: Loc,
    /// What.
    pub value: Value,
}

impl Node {
    /// The value of `key` when this node is a table that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Table(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The type name for "expected X, found Y" messages.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Str(_) => "string",
            Value::Num(_) => "number",
            Value::Bool(_) => "boolean",
            Value::Array(_) => "array",
            Value::Table(_) => "table",
            Value::Null => "null",
            Value::Other(t) => t,
        }
    }

    /// The value as the user wrote it, for "found" texts.
    pub fn shown(&self) -> String {
        match &self.value {
            Value::Str(s) => format!("\"{}\"", abridged(s)),
            Value::Num(n) => abridged(n),
            Value::Bool(b) => b.to_string(),
            other => format!(
                "({})",
                Node {
                    at: self.at.clone(),
                    value: other.clone()
                }
                .type_name()
            ),
        }
    }
}

/// `s`, or its first 60 characters and its length when it is longer: a message quotes what
/// was written without repeating a megabyte of it.
pub fn abridged(s: &str) -> String {
    const SHOWN: usize = 60;
    match s.char_indices().nth(SHOWN) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}… ({} characters)", &s[..cut], s.chars().count()),
    }
}

impl Loc {
    /// The diagnostic location of this position in `source`.
    pub fn locate(&self, source: &Source) -> Location {
        match self {
            Loc::Offset(o) => source.location(*o),
            Loc::Cell { sheet, cell } => Location::Cell {
                file: source.name.clone(),
                sheet: sheet.clone(),
                cell: cell.clone(),
            },
        }
    }
}

fn syntax_error(source: &Source, offset: usize, what: Text, detail: String) -> Diagnostic {
    Diagnostic::error("E0201", source.location(offset), what).found(detail)
}

/// Parses TOML into a tree; on failure, every syntax error the parser recovered from.
pub fn parse_toml(source: &Source) -> Result<Node, Vec<Diagnostic>> {
    use toml::de::{DeTable, DeValue};
    let (doc, errors) = DeTable::parse_recoverable(&source.text);
    if !errors.is_empty() {
        let mut out: Vec<Diagnostic> = Vec::new();
        for e in errors {
            let d = syntax_error(
                source,
                e.span().map_or(0, |s| s.start),
                Text::new("TOML 语法错误", "TOML syntax error"),
                e.message().trim().to_string(),
            );
            if !out.contains(&d) {
                out.push(d);
            }
        }
        return Err(out);
    }
    fn value(v: &DeValue<'_>, at: usize) -> Node {
        let at = Loc::Offset(at);
        let value = match v {
            DeValue::String(s) => Value::Str(s.to_string()),
            DeValue::Integer(i) => match i.radix() {
                10 => Value::Num(i.as_str().to_string()),
                _ => Value::Other("non-decimal integer"),
            },
            DeValue::Float(f) => Value::Num(f.as_str().to_string()),
            DeValue::Boolean(b) => Value::Bool(*b),
            DeValue::Datetime(_) => Value::Other("datetime"),
            DeValue::Array(a) => Value::Array(
                a.iter()
                    .map(|x| value(x.get_ref(), x.span().start))
                    .collect(),
            ),
            DeValue::Table(t) => Value::Table(table(t)),
        };
        Node { at, value }
    }
    fn table(t: &toml::de::DeTable<'_>) -> Vec<(Key, Node)> {
        let mut entries: Vec<(Key, Node)> = t
            .iter()
            .map(|(k, v)| {
                (
                    Key {
                        name: k.get_ref().to_string(),
                        at: Loc::Offset(k.span().start),
                    },
                    value(v.get_ref(), v.span().start),
                )
            })
            .collect();
        // Keep file order for messages.
        entries.sort_by_key(|(k, _)| match k.at {
            Loc::Offset(o) => o,
            Loc::Cell { .. } => 0,
        });
        entries
    }
    Ok(Node {
        at: Loc::Offset(0),
        value: Value::Table(table(doc.get_ref())),
    })
}

/// Parses JSON into a tree (comments allowed; nothing else beyond RFC 8259).
pub fn parse_json(source: &Source) -> Result<Node, Vec<Diagnostic>> {
    use jsonc_parser::ast::{ObjectPropName, Value as J};
    let options = jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        ..Default::default()
    };
    let parsed =
        jsonc_parser::parse_to_ast(&source.text, &Default::default(), &options).map_err(|e| {
            vec![syntax_error(
                source,
                e.range().start,
                Text::new("JSON 语法错误", "JSON syntax error"),
                e.kind().to_string(),
            )]
        })?;
    // JSON allows a key twice in an object and most readers keep the last; here that would
    // drop a fact or a field silently, so a repeated key is an error, as it is in TOML.
    fn value(v: &J<'_>, source: &Source, problems: &mut Vec<Diagnostic>) -> Node {
        let (start, value) = match v {
            J::StringLit(s) => (s.range.start, Value::Str(s.value.to_string())),
            J::NumberLit(n) => (n.range.start, Value::Num(n.value.to_string())),
            J::BooleanLit(b) => (b.range.start, Value::Bool(b.value)),
            J::NullKeyword(n) => (n.range.start, Value::Null),
            J::Array(a) => (
                a.range.start,
                Value::Array(
                    a.elements
                        .iter()
                        .map(|e| value(e, source, problems))
                        .collect(),
                ),
            ),
            J::Object(o) => {
                let mut entries: Vec<(Key, Node)> = Vec::with_capacity(o.properties.len());
                let mut seen: std::collections::HashMap<String, usize> =
                    std::collections::HashMap::new();
                for p in &o.properties {
                    let (name, at) = match &p.name {
                        ObjectPropName::String(s) => (s.value.to_string(), s.range.start),
                        ObjectPropName::Word(w) => (w.value.to_string(), w.range.start),
                    };
                    if let Some(&first) = seen.get(&name) {
                        problems.push(
                            Diagnostic::error(
                                "E0201",
                                source.location(at),
                                Text::new("JSON 对象中的键重复", "duplicate key in a JSON object"),
                            )
                            .expected(Text::new("每个键只写一次", "each key written once"))
                            .found(format!("\"{}\"", abridged(&name)))
                            .related(source.location(first)),
                        );
                        continue;
                    }
                    seen.insert(name.clone(), at);
                    entries.push((
                        Key {
                            name,
                            at: Loc::Offset(at),
                        },
                        value(&p.value, source, problems),
                    ));
                }
                (o.range.start, Value::Table(entries))
            }
        };
        Node {
            at: Loc::Offset(start),
            value,
        }
    }
    match parsed.value {
        Some(v) => {
            let mut problems = Vec::new();
            let root = value(&v, source, &mut problems);
            if problems.is_empty() {
                Ok(root)
            } else {
                Err(problems)
            }
        }
        None => Err(vec![syntax_error(
            source,
            0,
            Text::new("JSON 文件为空", "empty JSON document"),
            String::new(),
        )]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_numbers_stay_as_written() {
        let s = Source::new("t.toml", "a = 35549.61\nb = [1_000, -2]\n");
        let n = parse_toml(&s).unwrap();
        let Value::Table(t) = n.value else { panic!() };
        assert_eq!(t[0].1.value, Value::Num("35549.61".into()));
        assert_eq!(
            s.location(match t[1].0.at {
                Loc::Offset(o) => o,
                _ => 0,
            })
            .to_string(),
            "t.toml:2:1"
        );
    }

    #[test]
    fn json_numbers_stay_as_written() {
        let s = Source::new("t.json", "{\"a\": 0.1, \"b\": [3]}");
        let n = parse_json(&s).unwrap();
        let Value::Table(t) = n.value else { panic!() };
        assert_eq!(t[0].1.value, Value::Num("0.1".into()));
        assert!(parse_json(&Source::new("bad.json", "{\"a\": }")).is_err());
    }

    #[test]
    fn json_keys_written_twice_are_refused() {
        let s = Source::new("d.json", "{\"a\": {\"b\": 1,\n \"b\": 2}}");
        let e = parse_json(&s).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(
            (e[0].code, e[0].location.to_string()),
            ("E0201", "d.json:2:2".into())
        );
        assert_eq!(e[0].related[0].to_string(), "d.json:1:8");
    }
}

/// Reading a (checked) tree into typed values with serde: numbers are handed over as written,
/// so exact types (money, decimals) parse them without floating point.
pub mod de {
    use super::{Node, Value};
    use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    /// Why a tree does not fit a type (the decoder checks trees first, so this names a bug).
    #[derive(Debug)]
    pub struct Error(pub String);

    impl fmt::Display for Error {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl std::error::Error for Error {}

    impl de::Error for Error {
        fn custom<T: fmt::Display>(msg: T) -> Error {
            Error(msg.to_string())
        }
    }

    /// A node as a serde deserializer.
    pub struct NodeDe<'a>(pub &'a Node);

    /// Deserializes `T` from a node.
    pub fn from_node<T: serde::de::DeserializeOwned>(node: &Node) -> Result<T, Error> {
        T::deserialize(NodeDe(node))
    }

    impl<'de> de::Deserializer<'de> for NodeDe<'_> {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            match &self.0.value {
                Value::Str(s) => v.visit_string(s.clone()),
                Value::Num(n) => {
                    let n = n.replace('_', "");
                    if let Ok(u) = n.parse::<u64>() {
                        v.visit_u64(u)
                    } else if let Ok(i) = n.parse::<i64>() {
                        v.visit_i64(i)
                    } else {
                        v.visit_string(n)
                    }
                }
                Value::Bool(b) => v.visit_bool(*b),
                Value::Null => v.visit_unit(),
                Value::Array(items) => v.visit_seq(Seq(items.iter())),
                Value::Table(entries) => v.visit_map(Map {
                    entries: entries.iter(),
                    value: None,
                }),
                Value::Other(t) => Err(Error(format!("unsupported value: {t}"))),
            }
        }

        fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            match &self.0.value {
                Value::Num(n) => v.visit_string(n.replace('_', "")),
                _ => self.deserialize_any(v),
            }
        }

        fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            self.deserialize_str(v)
        }

        fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            match self.0.value {
                Value::Null => v.visit_none(),
                _ => v.visit_some(self),
            }
        }

        // Requests for floats are forwarded too: deserialize_any hands numbers over as written
        // (integers or strings), never as binary floating point.
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 char bytes byte_buf unit
            f32 f64 // policy: float-free (serde's method names; no float is made)
            unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
            ignored_any
        }
    }

    struct Seq<'a>(std::slice::Iter<'a, Node>);

    impl<'de> SeqAccess<'de> for Seq<'_> {
        type Error = Error;
        fn next_element_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>, Error> {
            self.0
                .next()
                .map(|n| seed.deserialize(NodeDe(n)))
                .transpose()
        }
    }

    struct Map<'a> {
        entries: std::slice::Iter<'a, (super::Key, Node)>,
        value: Option<&'a Node>,
    }

    impl<'de> MapAccess<'de> for Map<'_> {
        type Error = Error;
        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, Error> {
            match self.entries.next() {
                Some((k, v)) => {
                    self.value = Some(v);
                    seed.deserialize(k.name.clone().into_deserializer())
                        .map(Some)
                }
                None => Ok(None),
            }
        }
        fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
            let v = self
                .value
                .take()
                .ok_or_else(|| Error("value without key".into()))?;
            seed.deserialize(NodeDe(v))
        }
    }
}
