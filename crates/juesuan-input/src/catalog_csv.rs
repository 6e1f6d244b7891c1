//! Catalog files: CSV with columns `code,name` and optionally `level`, `parent`,
//! `classification`, `description`, `source`, in any order.

use crate::source::Source;
use juesuan_core::catalog::{Catalog, Classification, Entry, Level};
use juesuan_core::{Diagnostic, Text};

fn classification_named(s: &str) -> Option<Classification> {
    match s.trim() {
        "function" | "支出功能分类" | "功能分类" => Some(Classification::Function),
        "economic" | "部门预算支出经济分类" | "经济分类" => {
            Some(Classification::Economic)
        }
        "economic_gov" | "政府预算支出经济分类" => Some(Classification::EconomicGov),
        _ => None,
    }
}

/// Loads catalog rows from CSV text into `catalog`. The classification of each row is its
/// `classification` column, else `default`, else inferred from the first digit of the code.
/// Returns every problem found; rows without problems are loaded.
pub fn load(
    source: &Source,
    default: Option<Classification>,
    catalog: &mut Catalog,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(source.text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(csv_error(source, &e));
            return problems;
        }
    };
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
    };
    let (Some(code_col), Some(name_col)) = (col("code"), col("name")) else {
        problems.push(
            Diagnostic::error(
                "E0106",
                source.location(0),
                Text::new("目录文件缺少必需的列", "catalog file lacks required columns"),
            )
            .expected(Text::new(
                "表头含 code,name（可选 level,parent,classification,description,source）",
                "a header with code,name (optional: level,parent,classification,description,source)",
            ))
            .found(headers.iter().collect::<Vec<_>>().join(",")),
        );
        return problems;
    };
    let (level_col, parent_col, class_col, desc_col) = (
        col("level"),
        col("parent"),
        col("classification"),
        col("description"),
    );
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                problems.push(csv_error(source, &e));
                continue;
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let at = |i: usize| source.location(field_offset(&source.text, start, i));
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).filter(|s| !s.is_empty());
        let code = record.get(code_col).unwrap_or("").to_string();
        let name = record.get(name_col).unwrap_or("").to_string();
        let classification = match get(class_col) {
            Some(c) => match classification_named(c) {
                Some(c) => Some(c),
                None => {
                    problems.push(
                        Diagnostic::error(
                            "E0106",
                            at(class_col.unwrap_or(0)),
                            Text::new("未知的分类", "unknown classification"),
                        )
                        .expected(Text::new(
                            "function、economic 或 economic_gov",
                            "function, economic or economic_gov",
                        ))
                        .found(c.to_string()),
                    );
                    continue;
                }
            },
            None => default.or_else(|| Classification::infer(&code)),
        };
        let Some(classification) = classification else {
            problems.push(
                Diagnostic::error(
                    "E0101",
                    at(code_col),
                    Text::new("无法判断代码所属分类", "cannot tell which classification the code belongs to"),
                )
                .expected(Text::new(
                    "以 2（功能分类）、3 或 5（经济分类）开头的代码，或填写 classification 列",
                    "a code starting with 2 (function), 3 or 5 (economic), or a classification column",
                ))
                .found(code.clone()),
            );
            continue;
        };
        let level = match get(level_col) {
            Some(l) => match Level::parse(l) {
                Some(l) => l,
                None => {
                    problems.push(
                        Diagnostic::error(
                            "E0102",
                            at(level_col.unwrap_or(0)),
                            Text::new("未知的级次", "unknown level"),
                        )
                        .expected(Text::new("类、款 或 项", "类, 款 or 项"))
                        .found(l.to_string()),
                    );
                    continue;
                }
            },
            None => Level::of(&code).unwrap_or(Level::Lei),
        };
        let entry = Entry {
            code,
            name,
            level,
            description: get(desc_col).map(str::to_string),
            location: at(code_col),
            supplied: false,
        };
        if let Err(d) = catalog.insert(classification, entry, get(parent_col)) {
            problems.push(d);
        }
    }
    problems
}

/// Loads descriptions (`code,description[,source]`) for function codes already in `catalog`.
pub fn load_descriptions(source: &Source, catalog: &mut Catalog) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(source.text.as_bytes());
    for result in reader.records() {
        match result {
            Ok(r) => {
                let code = r.get(0).unwrap_or("");
                let desc = r.get(1).unwrap_or("").to_string();
                if !catalog.describe(Classification::Function, code, desc) {
                    let offset = r.position().map_or(0, |p| p.byte() as usize);
                    problems.push(
                        Diagnostic::error(
                            "E0105",
                            source.location(offset),
                            Text::new(
                                "说明所对应的代码不在目录中",
                                "described code is not in the catalog",
                            ),
                        )
                        .found(code.to_string()),
                    );
                }
            }
            Err(e) => problems.push(csv_error(source, &e)),
        }
    }
    problems
}

/// Byte offset of field `i` of the record starting at `start`, past leading blanks. The csv
/// crate's field ranges index its unquoted field buffer, not the text, so the raw record is
/// scanned again: commas outside quotes separate fields.
fn field_offset(text: &str, start: usize, i: usize) -> usize {
    let mut field = 0;
    let mut quoted = false;
    // A record with fewer fields points at its end.
    let mut at = text.len();
    for (o, c) in text.get(start..).unwrap_or("").char_indices() {
        if field == i || (c == '\n' && !quoted) {
            at = start + o;
            break;
        }
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => field += 1,
            _ => {}
        }
    }
    let rest = text.get(at..).unwrap_or("");
    at + (rest.len() - rest.trim_start_matches([' ', '\t']).len())
}

fn csv_error(source: &Source, e: &csv::Error) -> Diagnostic {
    let offset = e.position().map_or(0, |p| p.byte() as usize);
    Diagnostic::error(
        "E0106",
        source.location(offset),
        Text::new("CSV 格式错误", "malformed CSV"),
    )
    .found(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_point_at_their_field() {
        let text = "code,name,level\n2060101,\"行政,运行\", 项\n30110,职工基本医疗保险缴费,inf款\n";
        let source = Source::new("c.csv", text);
        let problems = load(&source, None, &mut Catalog::new());
        let at: Vec<String> = problems.iter().map(|d| d.location.to_string()).collect();
        // The second row's level is fine; the third's is not, at its own column.
        assert_eq!(at, ["c.csv:3:18"], "{problems:#?}");
        assert_eq!(field_offset(text, 16, 2), 16 + 8 + 15 + 2);
        assert_eq!(field_offset(text, 16, 9), 16 + 8 + 15 + 1 + 4);
    }
}
