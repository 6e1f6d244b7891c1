//! Data shipped inside the binary: the classification catalog and the table layouts, from the
//! repository's `data/` folder (see `data/catalog/PROVENANCE.md` and `data/layouts/`).

use crate::catalog_csv;
use crate::layout_file;
use crate::source::Source;
use juesuan_core::Diagnostic;
use juesuan_core::catalog::{Catalog, Classification};
use juesuan_core::layout::Layout;
use std::sync::{Arc, OnceLock};

/// The built-in catalog files: (name, classification, CSV text).
pub const CATALOG_FILES: &[(&str, Classification, &str)] = &[
    (
        "data/catalog/function.csv",
        Classification::Function,
        include_str!("../../../data/catalog/function.csv"),
    ),
    (
        "data/catalog/economic.csv",
        Classification::Economic,
        include_str!("../../../data/catalog/economic.csv"),
    ),
    (
        "data/catalog/economic_gov.csv",
        Classification::EconomicGov,
        include_str!("../../../data/catalog/economic_gov.csv"),
    ),
];

/// Official descriptions of function 项 (for 名词解释).
pub const FUNCTION_DESCRIPTIONS: (&str, &str) = (
    "data/catalog/function_descriptions.csv",
    include_str!("../../../data/catalog/function_descriptions.csv"),
);

/// The built-in layouts: (id, file name, TOML text).
pub const LAYOUTS: &[(&str, &str, &str)] = &[
    (
        "hubei-wuhan-2023",
        "data/layouts/hubei-wuhan-2023.toml",
        include_str!("../../../data/layouts/hubei-wuhan-2023.toml"),
    ),
    (
        "shanghai-putuo-2024",
        "data/layouts/shanghai-putuo-2024.toml",
        include_str!("../../../data/layouts/shanghai-putuo-2024.toml"),
    ),
];

/// The built-in narrative templates: (id, file name, template text).
pub const NARRATIVES: &[(&str, &str, &str)] = &[
    (
        "hubei-wuhan-2023",
        "data/narrative/hubei-wuhan-2023.j2",
        include_str!("../../../data/narrative/hubei-wuhan-2023.j2"),
    ),
    (
        "hubei-wuhan-2023.en",
        "data/narrative/hubei-wuhan-2023.en.j2",
        include_str!("../../../data/narrative/hubei-wuhan-2023.en.j2"),
    ),
    (
        "tables-only",
        "data/narrative/tables-only.j2",
        include_str!("../../../data/narrative/tables-only.j2"),
    ),
];

/// The built-in narrative template `id`, in `lang` where it has a translation (`<id>.en`).
pub fn narrative(id: &str, lang: juesuan_core::Lang) -> Option<(&'static str, &'static str)> {
    let find = |id: &str| {
        NARRATIVES
            .iter()
            .find(|(i, _, _)| *i == id)
            .map(|(_, file, text)| (*file, *text))
    };
    match lang {
        juesuan_core::Lang::En => find(&format!("{id}.en")).or_else(|| find(id)),
        juesuan_core::Lang::Zh => find(id),
    }
}

/// The rule catalog.
pub const RULES: (&str, &str) = (
    "data/rules/rules.toml",
    include_str!("../../../data/rules/rules.toml"),
);

/// The built-in rule catalog, parsed and checked (a test proves it loads).
pub fn rules() -> Result<juesuan_core::rules::RuleSet, Vec<Diagnostic>> {
    let (name, text) = RULES;
    crate::rule_file::load(&Source::new(name, text))
}

/// The layout used when neither the input nor the command line names one.
pub const DEFAULT_LAYOUT: &str = "hubei-wuhan-2023";

/// Loads the built-in catalog into `catalog` (a test proves it has no problems).
pub fn load_catalog(catalog: &mut Catalog) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (name, class, text) in CATALOG_FILES {
        problems.extend(catalog_csv::load(
            &Source::new(*name, *text),
            Some(*class),
            catalog,
        ));
    }
    let (name, text) = FUNCTION_DESCRIPTIONS;
    problems.extend(catalog_csv::load_descriptions(
        &Source::new(name, text),
        catalog,
    ));
    problems
}

/// The built-in catalog.
pub fn catalog() -> Result<Catalog, Vec<Diagnostic>> {
    let mut c = Catalog::new();
    let mut problems = load_catalog(&mut c);
    problems.extend(c.check());
    if problems.is_empty() {
        Ok(c)
    } else {
        Err(problems)
    }
}

/// The built-in layout `id`, if there is one.
///
/// Each is parsed once per process, when first asked for, and cloned after: a batch reads the
/// layout every department names, and parsing it took a third of checking one (see the
/// README's PERFORMANCE). [`layout_shared`] spares the clone.
pub fn layout(id: &str) -> Option<Result<Layout, Vec<Diagnostic>>> {
    layout_shared(id).map(|r| r.map(|l| Layout::clone(&l)))
}

/// A built-in layout as parsed.
type Parsed = Result<Arc<Layout>, Vec<Diagnostic>>;

/// The built-in layout `id`, parsed once per process (when first asked for) and shared.
pub fn layout_shared(id: &str) -> Option<Parsed> {
    static PARSED: OnceLock<Vec<OnceLock<Parsed>>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| LAYOUTS.iter().map(|_| OnceLock::new()).collect());
    let k = LAYOUTS.iter().position(|(i, _, _)| *i == id)?;
    let (_, name, text) = LAYOUTS[k];
    Some(
        parsed[k]
            .get_or_init(|| layout_file::load(&Source::new(name, text)).map(Arc::new))
            .clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_is_sound() {
        let c = catalog().unwrap_or_else(|p| panic!("{p:#?}"));
        assert!(c.len(Classification::Function) >= 26);
        assert_eq!(
            c.name(Classification::Function, "2060101"),
            Some("行政运行")
        );
        assert_eq!(c.name(Classification::Economic, "30101"), Some("基本工资"));
    }

    #[test]
    fn builtin_layouts_are_sound() {
        for (id, _, _) in LAYOUTS {
            layout(id)
                .unwrap()
                .unwrap_or_else(|p| panic!("{id}: {p:#?}"));
        }
    }
}
