//! Shortcuts to the built-in assets ([`crate::assets::Assets::builtin`]) for tests, examples
//! and programs that need no user-given assets: the catalog, the 部门决算 rules and layouts.

use crate::assets::Assets;
use crate::compile::Compiled;
use juesuan_core::Diagnostic;
use juesuan_core::catalog::Catalog;
use juesuan_core::layout::Layout;
use juesuan_core::report::ReportData;
use juesuan_core::rules::RuleSet;
use std::sync::Arc;

/// The built-in 部门决算 rule catalog, parsed and checked.
pub fn rules() -> Result<RuleSet, Vec<Diagnostic>> {
    Ok(RuleSet::clone(&Assets::builtin()?.final_accounts()?.rules))
}

/// The built-in catalog.
pub fn catalog() -> Result<Catalog, Vec<Diagnostic>> {
    Assets::builtin()?.catalog(true, &[])
}

/// The built-in layout `id`, if there is one.
pub fn layout(id: &str) -> Option<Result<Layout, Vec<Diagnostic>>> {
    layout_shared(id).map(|r| r.map(|l| Layout::clone(&l)))
}

/// The built-in layout `id`, parsed once per process and shared.
pub fn layout_shared(id: &str) -> Option<Result<Arc<Layout>, Vec<Diagnostic>>> {
    match Assets::builtin() {
        Ok(a) => a.layout(id),
        Err(p) => Some(Err(p)),
    }
}

/// Every figure of the built-in 部门决算 catalog (and the lists the narrative walks) for a
/// department compiled with the built-in assets.
pub fn report_data(compiled: &Compiled) -> Result<ReportData, Vec<Diagnostic>> {
    let assets = Assets::builtin()?;
    Ok(juesuan_core::report::report_data(
        &compiled.facts,
        &compiled.views,
        &assets.catalog(true, &[])?,
        &assets.final_accounts()?.figures,
    ))
}
