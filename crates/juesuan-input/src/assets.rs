//! Assets: the data that says what a disclosure means and how it prints, from one loader.
//!
//! Everything juesuan knows about a kind of disclosure is data in a **bundle** folder
//! (`data/kinds/<kind>/`, documented in docs/extending.md):
//!
//! | file | what |
//! |---|---|
//! | `kind.toml` | the kind's tables, their column keys and names ([`Kind`]) |
//! | `rules.toml` | its rule catalog |
//! | `figures.toml` | its figure catalog: every named figure the narrative, charts and audit speak of |
//! | `layouts/*.toml` | how regions and years print its tables |
//! | `narrative/*.j2` | its 情况说明 templates (`<id>.en.j2` for English) |
//! | `lexicon.toml` | how published reports word its figures (the audit reads sentences with it) |
//! | `reconcile.toml` | the documents its reports cite (last year's, the budget) and the relations between them (R rules) |
//!
//! plus the classification catalog (`data/catalog/*.csv`) and the report's HTML templates
//! (`data/templates/`), which all kinds share. The files in the repository are built in (a
//! build script embeds them, so adding a file to a bundle needs no Rust change); a user's
//! folder given with `--assets DIR` is laid over them ([`Assets::with_folder`]): with its own
//! `kind.toml` it is a new kind, without one it adds to (or replaces files of) the 部门决算 bundle
//! — its layouts and templates by id, its rules and figures by key, its lexicon patterns by id.
//!
//! Pure: the caller reads the files (the front ends do, in `juesuan-publish`).

use crate::source::Source;
use crate::{catalog_csv, layout_file, rule_file};
use juesuan_core::catalog::{Catalog, Classification};
use juesuan_core::figures::{FigureCatalog, FigureFile};
use juesuan_core::kind::{FINAL_ACCOUNTS, Kind};
use juesuan_core::layout::Layout;
use juesuan_core::rules::RuleSet;
use juesuan_core::rules::reconcile::{ReconcileFile, Reconciliation};
use juesuan_core::{Diagnostic, Lang, Location, Text};
use std::sync::{Arc, OnceLock};

/// Every built-in asset file: (path in the repository, text).
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    crate::embedded::FILES
}

/// A layout of a bundle, parsed when first asked for and shared after (a batch reads the
/// layout every department names; parsing it took a third of checking one).
#[derive(Debug)]
pub struct LayoutAsset {
    /// Its id: the file's stem, which the file's `id` must equal.
    pub id: String,
    /// The file.
    pub source: Source,
    parsed: OnceLock<Result<Arc<Layout>, Vec<Diagnostic>>>,
}

impl LayoutAsset {
    fn new(id: String, source: Source) -> Arc<LayoutAsset> {
        Arc::new(LayoutAsset {
            id,
            source,
            parsed: OnceLock::new(),
        })
    }
}

/// One document kind's bundle.
#[derive(Debug)]
pub struct Bundle {
    /// The kind: its tables.
    pub kind: Arc<Kind>,
    /// Its rule catalog, checked against the kind (overlays' rules replace the base's by id).
    pub rules: Arc<RuleSet>,
    /// The introduction of its rules reference page, if the bundle has one.
    pub rules_intro: Option<Source>,
    layouts: Vec<Arc<LayoutAsset>>,
    narratives: Vec<(String, Source)>,
    /// Its figure catalog (and charts), checked; overlays' figures replace the base's by key.
    pub figures: Arc<FigureCatalog>,
    figure_sources: Vec<Source>,
    /// Its lexicon files (how reports word its figures), base first.
    pub lexicons: Vec<Source>,
    /// The relations of its reports with the documents they cite (R rules); overlays' rules
    /// replace the base's by id.
    pub reconcile: Arc<Reconciliation>,
    reconcile_sources: Vec<Source>,
}

impl Bundle {
    /// Its layouts, in id order.
    pub fn layouts(&self) -> impl Iterator<Item = &Arc<LayoutAsset>> {
        self.layouts.iter()
    }

    /// Its narrative templates: (id, file), in id order; `<id>.en` is the English of `<id>`.
    pub fn narratives(&self) -> impl Iterator<Item = &(String, Source)> {
        self.narratives.iter()
    }
}

/// Where a catalog file's rows go.
#[derive(Clone, Debug)]
enum CatalogFile {
    /// Codes and names of one classification (or the file says per row).
    Codes(Source, Option<Classification>),
    /// Official descriptions of function 项 (名词解释).
    Descriptions(Source),
}

/// Everything juesuan reads besides the department's input: the bundles of every document
/// kind, the catalog files and the report templates.
#[derive(Clone, Debug)]
pub struct Assets {
    bundles: Vec<Arc<Bundle>>,
    catalog: Vec<CatalogFile>,
    templates: Vec<(String, Source)>,
}

/// An asset problem: the file, what is wrong.
fn asset_error(file: &str, zh: String, en: String) -> Diagnostic {
    Diagnostic::error(
        "E1301",
        Location::File {
            file: file.to_string(),
        },
        Text::new(zh, en),
    )
}

/// The id a file under `layouts/` or `narrative/` is known by: its name without the extension
/// (`hubei-wuhan-2023.en.j2` → `hubei-wuhan-2023.en`).
fn stem(path: &str, ext: &str) -> Option<String> {
    let name = path.rsplit('/').next()?;
    name.strip_suffix(ext)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The files of one bundle folder, sorted into their roles.
#[derive(Default)]
struct Folder {
    kind: Option<Source>,
    rules: Vec<Source>,
    rules_intro: Option<Source>,
    figures: Vec<Source>,
    lexicons: Vec<Source>,
    reconcile: Vec<Source>,
    layouts: Vec<(String, Source)>,
    narratives: Vec<(String, Source)>,
    catalog: Vec<CatalogFile>,
}

impl Folder {
    /// Sorts `files` ((path inside the folder, file)) by role; a file juesuan would not read
    /// is an error, so that a misnamed file is not silently ignored.
    fn of(files: Vec<(String, Source)>) -> Result<Folder, Vec<Diagnostic>> {
        let mut f = Folder::default();
        let mut problems = Vec::new();
        for (path, source) in files {
            let path = path.replace('\\', "/");
            match path.as_str() {
                "kind.toml" => f.kind = Some(source),
                "rules.toml" => f.rules.push(source),
                "rules-intro.md" => f.rules_intro = Some(source),
                "figures.toml" => f.figures.push(source),
                "lexicon.toml" => f.lexicons.push(source),
                "reconcile.toml" => f.reconcile.push(source),
                p if p.starts_with("layouts/") && stem(p, ".toml").is_some() => {
                    f.layouts.push((stem(p, ".toml").unwrap_or_default(), source));
                }
                p if p.starts_with("narrative/") && stem(p, ".j2").is_some() => {
                    f.narratives
                        .push((stem(p, ".j2").unwrap_or_default(), source));
                }
                p if p.starts_with("catalog/") && p.ends_with(".csv") => {
                    f.catalog.push(CatalogFile::Codes(source, None));
                }
                p if p.ends_with(".md") || p.ends_with(".txt") => {}
                _ => problems.push(
                    asset_error(
                        &source.name,
                        "资源目录中有无法识别的文件".into(),
                        "a file the assets folder cannot hold".into(),
                    )
                    .expected(Text::new(
                        "kind.toml、rules.toml、figures.toml、lexicon.toml、reconcile.toml、layouts/*.toml、narrative/*.j2、catalog/*.csv",
                        "kind.toml, rules.toml, figures.toml, lexicon.toml, reconcile.toml, layouts/*.toml, narrative/*.j2, catalog/*.csv",
                    ))
                    .found(path.clone()),
                ),
            }
        }
        if problems.is_empty() {
            Ok(f)
        } else {
            Err(problems)
        }
    }
}

/// Parses a kind file.
fn load_kind(source: &Source) -> Result<Kind, Vec<Diagnostic>> {
    let kind: Kind = crate::embedded::from_toml(source).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        vec![
            Diagnostic::error(
                "E1301",
                source.location(offset),
                Text::new("文书类型文件无效", "invalid document kind file"),
            )
            .found(e.message().trim().to_string()),
        ]
    })?;
    kind.resolve(&source.name)
}

/// Rules of `sources` checked against `kind`, later files replacing earlier rules by id.
fn load_rules(
    base: Option<&RuleSet>,
    sources: &[Source],
    kind: &Kind,
) -> Result<RuleSet, Vec<Diagnostic>> {
    let mut set = base.cloned().unwrap_or_default();
    let mut problems = Vec::new();
    for s in sources {
        match rule_file::load(s, kind) {
            Ok(more) => set.extend(more),
            Err(p) => problems.extend(p),
        }
    }
    if problems.is_empty() {
        Ok(set)
    } else {
        Err(problems)
    }
}

/// The figure catalog of `sources` (later files replace figures of earlier ones by key).
fn load_figures(sources: &[Source]) -> Result<FigureCatalog, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for s in sources {
        match crate::embedded::from_toml::<FigureFile>(s) {
            Ok(f) => files.push((s.name.clone(), f)),
            Err(e) => {
                let offset = e.span().map_or(0, |sp| sp.start);
                problems.push(
                    Diagnostic::error(
                        "E1303",
                        s.location(offset),
                        Text::new("数字目录文件无效", "invalid figure catalog file"),
                    )
                    .found(e.message().trim().to_string()),
                );
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    FigureCatalog::new(files)
}

/// The relations of `sources` (later files replace rules of earlier ones by id).
fn load_reconcile(sources: &[Source]) -> Result<Reconciliation, Vec<Diagnostic>> {
    let mut files = Vec::new();
    for s in sources {
        let f = crate::embedded::from_toml::<ReconcileFile>(s).map_err(|e| {
            let offset = e.span().map_or(0, |sp| sp.start);
            vec![
                Diagnostic::error(
                    "E1304",
                    s.location(offset),
                    Text::new("跨文件核对文件无效", "invalid reconciliation file"),
                )
                .found(e.message().trim().to_string()),
            ]
        })?;
        files.push((s.name.clone(), f));
    }
    Reconciliation::new(files)
}

/// Sorted by id, later entries replacing earlier ones with the same id.
fn merge<T>(mut base: Vec<(String, T)>, more: Vec<(String, T)>) -> Vec<(String, T)> {
    for (id, v) in more {
        base.retain(|(i, _)| *i != id);
        base.push((id, v));
    }
    base.sort_by(|a, b| a.0.cmp(&b.0));
    base
}

impl Bundle {
    /// A new bundle from a folder that has its own `kind.toml`.
    fn new(folder: Folder) -> Result<Bundle, Vec<Diagnostic>> {
        let Some(kind_file) = &folder.kind else {
            return Err(vec![asset_error(
                "kind.toml",
                "文书类型目录缺少 kind.toml".into(),
                "a document kind folder needs a kind.toml".into(),
            )]);
        };
        let kind = Arc::new(load_kind(kind_file)?);
        let rules = load_rules(None, &folder.rules, &kind)?;
        Ok(Bundle {
            rules: Arc::new(rules),
            rules_intro: folder.rules_intro,
            layouts: merge(Vec::new(), folder.layouts)
                .into_iter()
                .map(|(id, s)| LayoutAsset::new(id, s))
                .collect(),
            narratives: merge(Vec::new(), folder.narratives),
            figures: Arc::new(load_figures(&folder.figures)?),
            figure_sources: folder.figures,
            lexicons: folder.lexicons,
            reconcile: Arc::new(load_reconcile(&folder.reconcile)?),
            reconcile_sources: folder.reconcile,
            kind,
        })
    }

    /// This bundle with a folder's files laid over it (a folder without its own kind.toml).
    fn with(&self, folder: Folder) -> Result<Bundle, Vec<Diagnostic>> {
        let rules = load_rules(Some(&self.rules), &folder.rules, &self.kind)?;
        let layouts = self
            .layouts
            .iter()
            .map(|l| (l.id.clone(), l.clone()))
            .collect();
        let added = folder
            .layouts
            .into_iter()
            .map(|(id, s)| (id.clone(), LayoutAsset::new(id, s)))
            .collect();
        let figure_sources: Vec<Source> = self
            .figure_sources
            .iter()
            .cloned()
            .chain(folder.figures)
            .collect();
        let reconcile_sources: Vec<Source> = self
            .reconcile_sources
            .iter()
            .cloned()
            .chain(folder.reconcile)
            .collect();
        Ok(Bundle {
            kind: self.kind.clone(),
            reconcile: Arc::new(load_reconcile(&reconcile_sources)?),
            reconcile_sources,
            rules: Arc::new(rules),
            rules_intro: folder.rules_intro.or_else(|| self.rules_intro.clone()),
            layouts: merge(layouts, added).into_iter().map(|(_, l)| l).collect(),
            narratives: merge(self.narratives.clone(), folder.narratives),
            figures: Arc::new(load_figures(&figure_sources)?),
            figure_sources,
            lexicons: self
                .lexicons
                .iter()
                .cloned()
                .chain(folder.lexicons)
                .collect(),
        })
    }
}

impl Assets {
    /// The assets built into juesuan (the repository's `data/`), loaded once per process.
    pub fn builtin() -> Result<Arc<Assets>, Vec<Diagnostic>> {
        static BUILTIN: OnceLock<Result<Arc<Assets>, Vec<Diagnostic>>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| Assets::from_files(builtin_files()).map(Arc::new))
            .clone()
    }

    /// Assets from repository files: `data/kinds/<kind>/…`, `data/catalog/*.csv`,
    /// `data/templates/*`.
    fn from_files(files: &[(&str, &str)]) -> Result<Assets, Vec<Diagnostic>> {
        let mut kinds: Vec<(String, Vec<(String, Source)>)> = Vec::new();
        let mut catalog = Vec::new();
        let mut templates = Vec::new();
        for (path, text) in files {
            let source = || Source::new(*path, *text);
            if let Some(rest) = path.strip_prefix("data/kinds/") {
                let (kind, inner) = rest.split_once('/').unwrap_or((rest, ""));
                match kinds.iter_mut().find(|(k, _)| k == kind) {
                    Some((_, v)) => v.push((inner.to_string(), source())),
                    None => kinds.push((kind.to_string(), vec![(inner.to_string(), source())])),
                }
            } else if let Some(name) = path.strip_prefix("data/catalog/") {
                let class = match name {
                    "function.csv" => Some(Classification::Function),
                    "economic.csv" => Some(Classification::Economic),
                    "economic_gov.csv" => Some(Classification::EconomicGov),
                    _ => None,
                };
                match (name, class) {
                    ("function_descriptions.csv", _) => {
                        catalog.push(CatalogFile::Descriptions(source()))
                    }
                    (_, Some(c)) => catalog.push(CatalogFile::Codes(source(), Some(c))),
                    _ => {}
                }
            } else if let Some(name) = path.strip_prefix("data/templates/") {
                templates.push((name.to_string(), source()));
            }
        }
        let mut bundles = Vec::new();
        let mut problems = Vec::new();
        for (_, files) in kinds {
            match Folder::of(files).and_then(Bundle::new) {
                Ok(b) => bundles.push(Arc::new(b)),
                Err(p) => problems.extend(p),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Assets {
            bundles,
            catalog,
            templates,
        })
    }

    /// These assets with a folder laid over them: `files` are (path inside the folder, the
    /// file as read). A folder with a `kind.toml` is a new kind (or replaces the kind of that
    /// id); one without adds to the 部门决算 bundle. Catalog files are added to the catalog.
    pub fn with_folder(&self, files: Vec<(String, Source)>) -> Result<Assets, Vec<Diagnostic>> {
        let mut folder = Folder::of(files)?;
        let mut out = self.clone();
        out.catalog.append(&mut folder.catalog);
        if folder.kind.is_some() {
            let bundle = Bundle::new(folder)?;
            out.bundles.retain(|b| b.kind.id != bundle.kind.id);
            out.bundles.push(Arc::new(bundle));
        } else {
            let at = out
                .bundles
                .iter()
                .position(|b| b.kind.id == FINAL_ACCOUNTS)
                .ok_or_else(|| {
                    vec![asset_error(
                        "kind.toml",
                        format!("没有文书类型 {FINAL_ACCOUNTS}，资源目录须有自己的 kind.toml"),
                        format!(
                            "there is no document kind {FINAL_ACCOUNTS}: the folder needs its own kind.toml"
                        ),
                    )]
                })?;
            out.bundles[at] = Arc::new(out.bundles[at].with(folder)?);
        }
        Ok(out)
    }

    /// Every bundle.
    pub fn bundles(&self) -> impl Iterator<Item = &Arc<Bundle>> {
        self.bundles.iter()
    }

    /// The bundle of kind `id`.
    pub fn bundle(&self, id: &str) -> Option<&Arc<Bundle>> {
        self.bundles.iter().find(|b| b.kind.id == id)
    }

    /// The 部门决算 bundle, which layouts that name no kind print.
    pub fn final_accounts(&self) -> Result<&Arc<Bundle>, Vec<Diagnostic>> {
        self.bundle(FINAL_ACCOUNTS).ok_or_else(|| {
            vec![asset_error(
                "kind.toml",
                format!("没有文书类型 {FINAL_ACCOUNTS}"),
                format!("there is no document kind {FINAL_ACCOUNTS}"),
            )]
        })
    }

    /// Every layout of every bundle: (its bundle, the layout).
    pub fn layouts(&self) -> impl Iterator<Item = (&Arc<Bundle>, &Arc<LayoutAsset>)> {
        self.bundles
            .iter()
            .flat_map(|b| b.layouts.iter().map(move |l| (b, l)))
    }

    /// The layout `id`, parsed (once) and checked against its kind; `None` when no bundle has
    /// it.
    pub fn layout(&self, id: &str) -> Option<Result<Arc<Layout>, Vec<Diagnostic>>> {
        let (_, asset) = self.layouts().find(|(_, l)| l.id == id)?;
        Some(
            asset
                .parsed
                .get_or_init(|| {
                    let layout = self.load_layout(&asset.source)?;
                    if layout.id != asset.id {
                        return Err(vec![asset_error(
                            &asset.source.name,
                            format!("版式 id “{}” 与文件名 “{}” 不符", layout.id, asset.id),
                            format!(
                                "the layout's id “{}” differs from its file name “{}”",
                                layout.id, asset.id
                            ),
                        )]);
                    }
                    Ok(layout)
                })
                .clone(),
        )
    }

    /// A layout file given on its own (`--layout FILE`), checked against the kind it names.
    pub fn load_layout(&self, source: &Source) -> Result<Arc<Layout>, Vec<Diagnostic>> {
        let layout = layout_file::parse(source)?;
        let bundle = self.bundle(&layout.kind).ok_or_else(|| {
            let known: Vec<&str> = self.bundles.iter().map(|b| b.kind.id.as_str()).collect();
            vec![
                asset_error(
                    &source.name,
                    format!("版式的文书类型 {} 不存在", layout.kind),
                    format!("the layout's document kind {} does not exist", layout.kind),
                )
                .expected(Text::same(known.join(", ")))
                .found(layout.kind.clone()),
            ]
        })?;
        let mut problems = layout.check_kind(&source.name, &bundle.kind);
        for needed in &layout.catalogs {
            let present = self.catalog.iter().any(|f| {
                let CatalogFile::Codes(s, _) = f else {
                    return false;
                };
                s.name == *needed || s.name.ends_with(&format!("/{needed}"))
            });
            if !present {
                problems.push(
                    asset_error(
                        &source.name,
                        format!("版式需要的分类目录文件 {needed} 不在资源中"),
                        format!("the catalog file {needed} the layout needs is not in the assets"),
                    )
                    .expected(Text::new(
                        "版式所在资源目录中的该文件（catalog/…csv）",
                        "that file in the layout's assets folder (catalog/….csv)",
                    ))
                    .found(needed.clone()),
                );
            }
        }
        if problems.is_empty() {
            Ok(Arc::new(layout))
        } else {
            Err(problems)
        }
    }

    /// The bundle whose kind a layout prints.
    pub fn bundle_of(&self, layout: &Layout) -> Result<&Arc<Bundle>, Vec<Diagnostic>> {
        self.bundle(&layout.kind).ok_or_else(|| {
            vec![asset_error(
                &layout.id,
                format!("版式的文书类型 {} 不存在", layout.kind),
                format!("the layout's document kind {} does not exist", layout.kind),
            )]
        })
    }

    /// The narrative template `id` in `lang` (its `<id>.en` translation for English, where it
    /// has one): the layout's bundle is searched first.
    pub fn narrative(&self, id: &str, lang: Lang, kind: Option<&str>) -> Option<&Source> {
        let find = |id: &str| {
            let ordered = self
                .bundles
                .iter()
                .filter(|b| Some(b.kind.id.as_str()) == kind)
                .chain(
                    self.bundles
                        .iter()
                        .filter(|b| Some(b.kind.id.as_str()) != kind),
                );
            ordered
                .flat_map(|b| b.narratives.iter())
                .find(|(i, _)| i == id)
                .map(|(_, s)| s)
        };
        match lang {
            Lang::En => find(&format!("{id}.en")).or_else(|| find(id)),
            Lang::Zh => find(id),
        }
    }

    /// The ids of every narrative template (translations left out).
    pub fn narrative_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .bundles
            .iter()
            .flat_map(|b| b.narratives.iter())
            .map(|(i, _)| i.as_str())
            .filter(|i| !i.ends_with(".en"))
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// The report template file `name` (`report.html.j2`, `style.css`…).
    pub fn template(&self, name: &str) -> Option<&Source> {
        self.templates
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }

    /// The classification catalog: these assets' catalog files (unless `builtin` is false, the
    /// built-in ones), then each of `extra` in order (later files add codes and override
    /// names), then the structure check.
    pub fn catalog(&self, builtin: bool, extra: &[Source]) -> Result<Catalog, Vec<Diagnostic>> {
        let mut c = Catalog::new();
        let mut problems = Vec::new();
        if builtin {
            problems.extend(self.load_catalog(&mut c));
        }
        for s in extra {
            problems.extend(catalog_csv::load(s, None, &mut c));
        }
        problems.extend(c.check());
        if problems.is_empty() {
            Ok(c)
        } else {
            Err(problems)
        }
    }

    /// Loads the assets' catalog files into `catalog`, descriptions last.
    pub fn load_catalog(&self, catalog: &mut Catalog) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for f in &self.catalog {
            if let CatalogFile::Codes(s, class) = f {
                problems.extend(catalog_csv::load(s, *class, catalog));
            }
        }
        for f in &self.catalog {
            if let CatalogFile::Descriptions(s) = f {
                problems.extend(catalog_csv::load_descriptions(s, catalog));
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON twins made at compile time read as the TOML they were made from.
    #[test]
    fn builtin_files_read_the_same_from_their_json_twins() {
        fn same<T: serde::de::DeserializeOwned + std::fmt::Debug>(path: &str, text: &str) {
            let json = crate::embedded::JSON
                .iter()
                .find(|(p, _)| *p == path)
                .unwrap()
                .1;
            let from_json: T = serde_json::from_str(json).unwrap();
            let from_toml: T = toml::from_str(text).unwrap();
            assert_eq!(format!("{from_json:?}"), format!("{from_toml:?}"), "{path}");
        }
        let mut n = 0;
        for (path, text) in builtin_files() {
            let file = path.rsplit('/').next().unwrap();
            match file {
                "kind.toml" => same::<Kind>(path, text),
                "rules.toml" => same::<juesuan_core::rules::RuleFile>(path, text),
                "figures.toml" => same::<juesuan_core::figures::FigureFile>(path, text),
                _ if path.contains("/layouts/") => same::<Layout>(path, text),
                _ => continue,
            }
            n += 1;
        }
        assert!(n >= 5, "{n}");
        // A built-in file changed (here: a user's copy) is read from its TOML.
        let (path, text) = builtin_files()
            .iter()
            .find(|(p, _)| p.ends_with("rules.toml"))
            .unwrap();
        let changed = format!("{text}\n# changed\n");
        assert!(crate::embedded::from_toml::<toml::Value>(&Source::new(*path, changed)).is_ok());
    }

    #[test]
    fn the_builtin_assets_load() {
        let a = Assets::builtin().unwrap_or_else(|p| panic!("{p:#?}"));
        let b = a.final_accounts().unwrap();
        assert_eq!(b.kind.tables.len(), 10);
        assert!(b.rules.rules.len() >= 60);
        for (_, l) in a.layouts() {
            a.layout(&l.id)
                .unwrap()
                .unwrap_or_else(|p| panic!("{}: {p:#?}", l.id));
        }
        assert!(a.narrative("hubei-wuhan-2023", Lang::En, None).is_some());
        assert!(a.template("report.html.j2").is_some());
        let c = a.catalog(true, &[]).unwrap();
        assert_eq!(
            c.name(Classification::Function, "2060101"),
            Some("行政运行")
        );
    }

    #[test]
    fn a_folder_adds_to_the_bundle_and_refuses_what_it_cannot_hold() {
        let a = Assets::builtin().unwrap();
        let (_, wuhan) = a
            .layouts()
            .find(|(_, l)| l.id == "hubei-wuhan-2023")
            .unwrap();
        let text = wuhan
            .source
            .text
            .replace("id = \"hubei-wuhan-2023\"", "id = \"my-region\"");
        let more = a
            .with_folder(vec![(
                "layouts/my-region.toml".into(),
                Source::new("dir/layouts/my-region.toml", text),
            )])
            .unwrap();
        assert!(more.layout("my-region").unwrap().is_ok());
        assert!(a.layout("my-region").is_none());
        let bad = a.with_folder(vec![(
            "layout/typo.toml".into(),
            Source::new("dir/layout/typo.toml", ""),
        )]);
        assert_eq!(bad.unwrap_err()[0].code, "E1301");
    }
}
