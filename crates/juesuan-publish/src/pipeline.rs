//! One department-year from input to checked outputs, in memory: read and build the views,
//! run every rule, render what was asked for. The command line, batch runs and the web app
//! all publish through [`publish`], so a department's files are the same whoever asked.

use juesuan_audit::Auditor;
use juesuan_core::diag::Severity;
use juesuan_core::layout::Layout;
use juesuan_core::rules::{Coverage, Finding, RuleSet, Subject};
use juesuan_core::{Catalog, Diagnostic, Lang, Location, Text};
use juesuan_input::Source;
use juesuan_input::assets::Assets;
use juesuan_input::compile::{self, Compiled, LayoutChoice};
use juesuan_render::findings::Summary;
use std::sync::{Arc, OnceLock};

pub use crate::format::{Format, Rendering};

/// Which narrative template the report uses.
#[derive(Clone, Debug)]
pub enum NarrativeChoice {
    /// The one the layout names, else the tables alone.
    FromLayout,
    /// A built-in template by id.
    Builtin(String),
    /// A template file's text, with the name its errors are reported under.
    File {
        /// The file's name.
        name: String,
        /// Its text.
        text: String,
    },
}

/// What every department of a run shares, read once: the assets (document kinds with their
/// rules, figures, layouts, narratives and lexicons), the catalog, and how the layout and the
/// narrative are chosen. Made by [`Setup::new`] only, for every command and the web app.
pub struct Setup {
    /// Built-in assets, with any `--assets` folders laid over them.
    pub assets: Arc<Assets>,
    /// The classification catalog.
    pub catalog: Catalog,
    /// How the layout is chosen.
    pub layout: LayoutChoice,
    /// How the narrative template is chosen.
    pub narrative: NarrativeChoice,
    /// The auditor of these assets, made when first needed.
    auditor: OnceLock<Result<Auditor, Vec<Diagnostic>>>,
}

/// What a [`Setup`] is made of, as a front end names it: texts already read, choices by id.
/// The default is the built-in assets and catalog, the layout each input names and that
/// layout's narrative.
pub struct SetupOptions {
    /// Assets folders laid over the built-in ones, in order: each the files of one folder,
    /// (path inside the folder, the file) ([`Assets::with_folder`]).
    pub assets: Vec<Vec<(String, Source)>>,
    /// Load the built-in (partial) catalog.
    pub builtin_catalog: bool,
    /// Catalog CSV texts added after it, in order (later files add codes and override names).
    pub catalog_files: Vec<Source>,
    /// An input may use only codes of the catalog ([`Catalog::is_strict`]).
    pub strict_catalog: bool,
    /// How the layout is chosen.
    pub layout: LayoutChoice,
    /// How the narrative template is chosen.
    pub narrative: NarrativeChoice,
}

impl Default for SetupOptions {
    fn default() -> SetupOptions {
        SetupOptions {
            assets: Vec::new(),
            builtin_catalog: true,
            catalog_files: Vec::new(),
            strict_catalog: false,
            layout: LayoutChoice::FromInput,
            narrative: NarrativeChoice::FromLayout,
        }
    }
}

impl Setup {
    /// The setup `options` describe: the assets (built in, with the given folders laid over
    /// them), the catalog (checked), the layout and narrative choices. The one place a `Setup`
    /// is made.
    pub fn new(options: SetupOptions) -> Result<Setup, Vec<Diagnostic>> {
        let SetupOptions {
            assets: folders,
            builtin_catalog,
            catalog_files,
            strict_catalog,
            layout,
            narrative,
        } = options;
        let mut assets = Assets::builtin()?;
        for files in folders {
            assets = Arc::new(assets.with_folder(files)?);
        }
        let mut catalog = assets.catalog(builtin_catalog, &catalog_files)?;
        catalog.set_strict(strict_catalog);
        Ok(Setup {
            catalog,
            assets,
            layout,
            narrative,
            auditor: OnceLock::new(),
        })
    }

    /// The title of rule `id`, from the bundle that has it (the 部门决算 one first).
    pub fn rule_title(&self, id: &str) -> Option<Text> {
        let mut bundles: Vec<_> = self.assets.bundles().collect();
        bundles.sort_by_key(|b| b.kind.id != juesuan_core::kind::FINAL_ACCOUNTS);
        bundles
            .iter()
            .find_map(|b| b.rules.get(id).map(|r| r.def.title.clone()))
    }

    /// The rules that check tables printed with `layout`: its kind's.
    pub fn rules_for(&self, layout: &Layout) -> Result<&RuleSet, Vec<Diagnostic>> {
        Ok(&self.assets.bundle_of(layout)?.rules)
    }

    /// The auditor of these assets and catalog: every layout, or the one `--layout` chose.
    pub fn auditor(&self) -> Result<&Auditor, Vec<Diagnostic>> {
        self.auditor
            .get_or_init(|| {
                let only = match &self.layout {
                    LayoutChoice::FromInput => None,
                    choice => Some(compile::layout_shared(&self.assets, choice, None)?),
                };
                Auditor::new(&self.assets, self.catalog.clone(), only)
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// A department-year read, built and checked.
#[derive(Debug)]
pub struct Checked {
    /// Facts, ledger, layout and views.
    pub built: Compiled,
    /// What the rules found, in catalog order.
    pub findings: Vec<Finding>,
    /// Which rules ran, and which had nothing to check (a table the layout lacks).
    pub coverage: Coverage,
}

impl Checked {
    /// Whether an error-severity rule failed (the build is then refused).
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// Counts of the findings.
    pub fn summary(&self) -> Summary {
        Summary::of(&self.findings, &self.coverage)
    }

    /// The findings as JSON (`juesuan.findings/1`, documented in docs/rules.md), naming
    /// `input`.
    pub fn findings_json(&self, input: &str) -> Vec<u8> {
        juesuan_render::findings::json(&juesuan_render::findings::Report {
            format: "juesuan.findings/1",
            input,
            department: &self.built.facts.department.name,
            year: self.built.facts.department.year,
            summary: self.summary(),
            findings: &self.findings,
            coverage: &self.coverage,
            narrative: None,
        })
    }
}

/// Reads `input`, builds its views and runs every rule on them.
pub fn check(setup: &Setup, input: &Source) -> Result<Checked, Vec<Diagnostic>> {
    check_compiled(
        setup,
        compile::compile(input, &setup.assets, &setup.catalog, &setup.layout)?,
    )
}

/// Reads the input file `bytes` named `name` — a workbook (XLSX, XLS, ODS) or a TOML or JSON
/// text — builds its views and runs every rule.
pub fn check_bytes(setup: &Setup, name: &str, bytes: &[u8]) -> Result<Checked, Vec<Diagnostic>> {
    check_compiled(
        setup,
        compile::compile_bytes(name, bytes, &setup.assets, &setup.catalog, &setup.layout)?,
    )
}

/// Runs every rule of the layout's kind on views already built (from any reader).
pub fn check_compiled(setup: &Setup, built: Compiled) -> Result<Checked, Vec<Diagnostic>> {
    let sheet = juesuan_core::rules::Sheet::of_build(&built.views, &built.facts.disclosure);
    let rules = setup.rules_for(&built.layout)?;
    let catalog = built.catalog(&setup.catalog);
    let findings = rules.check(&sheet, Some(catalog));
    let coverage = rules.coverage(&sheet, Some(catalog), Subject::Built);
    Ok(Checked {
        built,
        findings,
        coverage,
    })
}

/// The files of one department, named `<stem>.<what>`.
#[derive(Debug)]
pub struct Published {
    /// (file name, bytes), in a fixed order; the findings last.
    pub files: Vec<(String, Vec<u8>)>,
    /// True when an error-severity rule failed and publication was refused: `files` then
    /// holds only the findings.
    pub refused: bool,
}

/// What to publish of one department.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The input's name, for errors and the findings.
    pub input: &'a str,
    /// File names are `<stem>.<what>`.
    pub stem: &'a str,
    /// The outputs asked for.
    pub formats: &'a [Format],
    /// Publish even when an error-severity rule failed.
    pub allow_errors: bool,
    /// Language of the outputs.
    pub lang: Lang,
}

/// Renders the request's formats for `checked`, and its findings (`<stem>.findings.json`,
/// always). When the rules found errors and errors are not allowed, only the findings are
/// written.
///
/// The files and their order are [`crate::format::FORMATS`]'s. `pdf` prints the report page
/// (an edge: [`crate::tools::render_pdf`] for Chromium); it is called only when [`Format::Pdf`]
/// is asked for and publication is not refused.
pub fn publish(
    setup: &Setup,
    checked: &Checked,
    request: &Request,
    pdf: &dyn Fn(&str) -> Result<Vec<u8>, Diagnostic>,
) -> Result<Published, Vec<Diagnostic>> {
    let Request {
        input,
        stem,
        formats,
        allow_errors,
        lang,
    } = *request;
    let findings = (
        Rendering::Findings.file().name(stem),
        checked.findings_json(input),
    );
    if checked.has_errors() && !allow_errors {
        return Ok(Published {
            files: vec![findings],
            refused: true,
        });
    }
    let built = &checked.built;
    let render_failed = |what: &str, e: String| {
        vec![
            Diagnostic::error(
                "E0602",
                Location::File {
                    file: input.to_string(),
                },
                Text::new(
                    format!("生成 {what} 失败"),
                    format!("could not render {what}"),
                ),
            )
            .found(e),
        ]
    };
    // The report (HTML, its PDF and its JSON) comes from one rendering.
    let report = if formats
        .iter()
        .any(|f| f.spec().files.iter().any(|r| r.uses_report()))
    {
        let (file, template) =
            narrative_template(&setup.assets, &setup.narrative, &built.layout, lang)?;
        Some(
            juesuan_render::report::render(
                &built.facts,
                &built.views,
                built.catalog(&setup.catalog),
                &setup.assets.bundle_of(&built.layout)?.figures,
                setup.rules_for(&built.layout)?,
                &template,
                lang,
            )
            .map_err(|e| match e {
                juesuan_render::report::ReportError::Narrative { line, message } => {
                    vec![narrative_error(&file, line, message)]
                }
                other => render_failed("HTML", other.to_string()),
            })?,
        )
    } else {
        None
    };
    let report_html = || report.as_ref().map(|r| r.html.as_str()).unwrap_or_default();
    let mut files = Vec::new();
    for rendering in formats.iter().flat_map(|f| f.spec().files) {
        let bytes = match rendering {
            Rendering::Workbook => juesuan_render::xlsx::workbook(&built.views, lang)
                .map_err(|e| render_failed("XLSX", e.to_string()))?,
            Rendering::ReportHtml => report_html().as_bytes().to_vec(),
            Rendering::TablesHtml => {
                let page = match &report {
                    Some(r) => juesuan_render::html::page_of(&r.model.page),
                    None => juesuan_render::html::page(&built.views, lang),
                };
                page.map_err(|e| render_failed("HTML", e.to_string()))?
                    .into_bytes()
            }
            Rendering::ReportPdf => pdf(report_html()).map_err(|d| vec![d])?,
            Rendering::ReportDocx => match &report {
                Some(r) => juesuan_render::docx::document(&r.model, crate::fonts::system())
                    .map_err(|e| render_failed("DOCX", e.to_string()))?,
                None => continue,
            },
            Rendering::ViewsJson => juesuan_render::json::views_json(&built.views),
            Rendering::ReportJson => match &report {
                Some(r) => r.json.clone(),
                None => continue,
            },
            // Not a format: the findings come last, always; the CSV is the export's.
            Rendering::Findings | Rendering::ViewsCsv => continue,
        };
        files.push((rendering.file().name(stem), bytes));
    }
    files.push(findings);
    Ok(Published {
        files,
        refused: false,
    })
}

/// The narrative template to use, and the name to report its errors under.
fn narrative_template(
    assets: &Assets,
    choice: &NarrativeChoice,
    layout: &Layout,
    lang: Lang,
) -> Result<(String, String), Vec<Diagnostic>> {
    let id = match choice {
        NarrativeChoice::File { name, text } => return Ok((name.clone(), text.clone())),
        NarrativeChoice::Builtin(id) => id.as_str(),
        NarrativeChoice::FromLayout => layout.narrative.as_deref().unwrap_or("tables-only"),
    };
    match assets.narrative(id, lang, Some(&layout.kind)) {
        Some(s) => Ok((s.name.clone(), s.text.clone())),
        None => {
            let known = assets.narrative_ids();
            Err(vec![
                Diagnostic::error(
                    "E0801",
                    Location::Nowhere,
                    Text::new(
                        format!("没有名为 {id} 的内置情况说明模板，也没有该文件"),
                        format!("no built-in narrative template or file named {id}"),
                    ),
                )
                .expected(Text::new(known.join("、"), known.join(", ")))
                .found(id.to_string()),
            ])
        }
    }
}

fn narrative_error(file: &str, line: Option<usize>, message: String) -> Diagnostic {
    let location = match line {
        Some(line) => Location::Text {
            file: file.to_string(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col: 1,
        },
        None => Location::File {
            file: file.to_string(),
        },
    };
    Diagnostic::error(
        "E0802",
        location,
        Text::new("情况说明模板无法生成", "the narrative template failed"),
    )
    .found(message)
}

/// The input template workbook officers fill in (`juesuan init --xlsx`), its dropdowns from
/// `setup`'s catalog, filled from `from` (an input's name and bytes: TOML, JSON or a workbook)
/// when given. That input is checked whole first: a template is filled only from a valid one.
/// `output` names the workbook in errors.
pub fn template(
    setup: &Setup,
    from: Option<(&str, &[u8])>,
    output: &str,
    lang: Lang,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let tree = match from {
        None => None,
        Some((name, bytes)) => {
            let (tree, source) = compile::parse_bytes(name, bytes)?;
            compile::compile_tree(&tree, &source, &setup.assets, &setup.catalog, &setup.layout)?;
            Some(tree)
        }
    };
    juesuan_render::template::template(&juesuan_render::template::Options {
        catalog: &setup.catalog,
        from: tree.as_ref(),
        lang,
    })
    .map_err(|e| {
        vec![
            Diagnostic::error(
                "E0602",
                Location::File {
                    file: output.to_string(),
                },
                Text::new("生成 XLSX 模板失败", "could not render the XLSX template"),
            )
            .found(e.to_string()),
        ]
    })
}
