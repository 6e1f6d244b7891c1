//! The whole build of one department-year: read the input, consolidate, lay out the nine views.
//!
//! This is what `juesuan build` and the web app call; it does no IO itself (texts in, values
//! or diagnostics out).

use crate::assets::Assets;
use crate::decode::{decode_with_codes, parse_document};
use crate::node::{Node, Value};
use crate::source::Source;
use crate::workbook;
use juesuan_core::catalog::Catalog;
use juesuan_core::consolidate::{Ledger, consolidate};
use juesuan_core::facts::Scenario;
use juesuan_core::layout::Layout;
use juesuan_core::views::{Views, build_views};
use juesuan_core::{DepartmentYear, Diagnostic, Location, Text};
use std::sync::Arc;

/// Builds the catalog: the built-in files (unless `builtin` is false), then each extra file in
/// order (later files add codes and override names), then the structure check.
pub fn catalog(builtin: bool, extra: &[Source]) -> Result<Catalog, Vec<Diagnostic>> {
    Assets::builtin()?.catalog(builtin, extra)
}

/// How the layout is chosen.
pub enum LayoutChoice {
    /// The layout the input names, else the default.
    FromInput,
    /// A built-in layout by id.
    Builtin(String),
    /// A layout file.
    File(Source),
}

/// Everything a build produces.
#[derive(Debug)]
pub struct Compiled {
    /// The facts as read.
    pub facts: DepartmentYear,
    /// The consolidated ledger.
    pub ledger: Ledger,
    /// The layout used (shared: a built-in layout is parsed once per process).
    pub layout: Arc<Layout>,
    /// The nine views.
    pub views: Views,
    /// The catalog with the codes the input named that the catalog it was compiled with
    /// lacks ([`crate::decode::decode_with_codes`]); `None` when it named none.
    pub catalog: Option<Arc<Catalog>>,
}

impl Compiled {
    /// The catalog its names come from: `base` (the one it was compiled with), or that with
    /// the codes the input named.
    pub fn catalog<'a>(&'a self, base: &'a Catalog) -> &'a Catalog {
        self.catalog.as_deref().unwrap_or(base)
    }
}

/// Resolves a layout choice for an input that names `named` (if any).
pub fn layout(
    assets: &Assets,
    choice: &LayoutChoice,
    named: Option<&str>,
) -> Result<Layout, Vec<Diagnostic>> {
    layout_shared(assets, choice, named).map(Arc::unwrap_or_clone)
}

/// [`layout`], shared: a layout of the assets is parsed once and not copied.
pub fn layout_shared(
    assets: &Assets,
    choice: &LayoutChoice,
    named: Option<&str>,
) -> Result<Arc<Layout>, Vec<Diagnostic>> {
    let default;
    let id = match choice {
        LayoutChoice::File(s) => return assets.load_layout(s),
        LayoutChoice::Builtin(id) => id.as_str(),
        LayoutChoice::FromInput => match named {
            Some(n) => n,
            None => {
                default = assets.final_accounts()?.kind.default_layout.clone();
                default.as_str()
            }
        },
    };
    assets.layout(id).unwrap_or_else(|| {
        let known: Vec<&str> = assets.layouts().map(|(_, l)| l.id.as_str()).collect();
        Err(vec![
            Diagnostic::error(
                "E0503",
                Location::Nowhere,
                Text::new(
                    format!("没有名为 {id} 的内置版式"),
                    format!("no built-in layout named {id}"),
                ),
            )
            .expected(Text::new(
                format!("{}，或版式文件路径", known.join("、")),
                format!("{}, or the path of a layout file", known.join(", ")),
            ))
            .found(id.to_string()),
        ])
    })
}

/// Reads, consolidates and lays out one department-year.
pub fn compile(
    input: &Source,
    assets: &Assets,
    catalog: &Catalog,
    layout_choice: &LayoutChoice,
) -> Result<Compiled, Vec<Diagnostic>> {
    compile_tree(
        &parse_document(input)?,
        input,
        assets,
        catalog,
        layout_choice,
    )
}

/// [`compile`] for an input file's bytes, whatever it is: a workbook (XLSX, XLS or ODS, told by
/// its content or its name) or a TOML or JSON text.
pub fn compile_bytes(
    name: &str,
    bytes: &[u8],
    assets: &Assets,
    catalog: &Catalog,
    layout_choice: &LayoutChoice,
) -> Result<Compiled, Vec<Diagnostic>> {
    let (root, source) = parse_bytes(name, bytes)?;
    compile_tree(&root, &source, assets, catalog, layout_choice)
}

/// An input file's bytes parsed into its node tree, with the source its locations count in
/// (empty for a workbook, whose locations are cells): a workbook (XLSX, XLS or ODS, told by
/// its content or its name) or a TOML or JSON text.
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<(Node, Source), Vec<Diagnostic>> {
    // A file named as a workbook is read as one, so that a damaged workbook is reported as
    // such and not as text in a strange encoding.
    let named_workbook = [".xlsx", ".xlsm", ".xls", ".ods"]
        .iter()
        .any(|ext| name.to_lowercase().ends_with(ext));
    if workbook::is_workbook(bytes) || named_workbook {
        Ok((workbook::read(name, bytes)?, Source::new(name, "")))
    } else {
        let source = Source::from_bytes(name, bytes).map_err(|d| vec![d])?;
        Ok((parse_document(&source)?, source))
    }
}

/// Decodes, consolidates and lays out a parsed input (`source` names it in messages).
pub fn compile_tree(
    root: &Node,
    source: &Source,
    assets: &Assets,
    catalog: &Catalog,
    layout_choice: &LayoutChoice,
) -> Result<Compiled, Vec<Diagnostic>> {
    let (facts, supplied) = decode_with_codes(root, source, catalog)?;
    let extended = (!supplied.is_empty()).then(|| Arc::new(catalog.with_supplied(&supplied)));
    let catalog = extended.as_deref().unwrap_or(catalog);
    let named = facts.department.layout.as_deref();
    let layout = layout_shared(assets, layout_choice, named).map_err(|mut problems| {
        // An unknown layout named by the input is a mistake in the input: point at it.
        if matches!(layout_choice, LayoutChoice::FromInput) && named.is_some() {
            let at = root
                .get("department")
                .and_then(|d| d.get("layout"))
                .map(|n| n.at.locate(source))
                .unwrap_or_else(|| Location::File {
                    file: source.name.clone(),
                });
            for d in problems.iter_mut().filter(|d| d.code == "E0503") {
                d.location = at.clone();
            }
        }
        problems
    })?;
    // A 部门预算's layout shows the budget's facts: the same pipeline, the other scenario.
    let kind = &assets.bundle_of(&layout)?.kind;
    // One ledger with its budget: the 决算's 年初预算 are the budget's own.
    let facts = match kind.scenario {
        Scenario::Actual => facts.with_initial_budgets(|function| {
            budget_line_at(root, function).map_or_else(
                || Location::File {
                    file: source.name.clone(),
                },
                |n| n.at.locate(source),
            )
        })?,
        Scenario::Budget => facts.into_scenario(Scenario::Budget),
    };
    let ledger = consolidate(&facts)?;
    let mut views = build_views(&facts.department, &ledger, catalog, &layout)?;
    views.titles = kind.titles.clone();
    Ok(Compiled {
        facts,
        ledger,
        layout,
        views,
        catalog: extended,
    })
}

/// The `initial` of the input's `budgets` line of item `function`, if it writes one.
fn budget_line_at<'n>(root: &'n Node, function: &str) -> Option<&'n Node> {
    let Value::Array(lines) = &root.get("budgets")?.value else {
        return None;
    };
    lines.iter().find_map(|l| {
        let code = l.get("function")?;
        let text = match &code.value {
            Value::Str(t) => t.as_str(),
            _ => return None,
        };
        text.trim()
            .starts_with(function)
            .then(|| l.get("initial"))
            .flatten()
    })
}

/// Compiles an input text with the built-in catalog and the layout the input names: the
/// common case, for tests, examples and the web app.
pub fn compile_with_builtins(name: &str, text: &str) -> Result<Compiled, Vec<Diagnostic>> {
    let assets = Assets::builtin()?;
    let catalog = assets.catalog(true, &[])?;
    compile(
        &Source::new(name, text),
        &assets,
        &catalog,
        &LayoutChoice::FromInput,
    )
}
