//! Options several commands share: the classification catalog (`--catalog`,
//! `--no-builtin-catalog`) and loading it.

use crate::exit::Failure;
use clap::Args;
use juesuan_input::compile;
use juesuan_publish::files;
use std::path::PathBuf;

/// Catalog options shared by commands.
#[derive(Args, Debug)]
pub struct CatalogOpts {
    /// A catalog CSV (columns code,name; optional level,parent,classification,description).
    /// Repeatable; later files add codes and override names. 额外的分类目录文件。
    #[arg(long = "catalog", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Do not load the built-in (partial) catalog: use only --catalog files.
    /// 不载入内置（不完整）目录。
    #[arg(long)]
    pub no_builtin_catalog: bool,
}

/// The catalog: built-in (unless refused) plus `--catalog` files.
pub(crate) fn load_catalog(opts: &CatalogOpts) -> Result<juesuan_core::Catalog, Failure> {
    let sources = opts
        .files
        .iter()
        .map(|p| files::read_source(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|d| Failure::invalid(vec![d]))?;
    compile::catalog(!opts.no_builtin_catalog, &sources).map_err(Failure::invalid)
}
