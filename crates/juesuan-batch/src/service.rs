//! The commands at scale as library functions — [`check`] and [`build`] a folder, [`generate`]
//! synthetic departments, [`rollup`] a district (from a folder: [`rollup_folder`]), [`export`]
//! open data — for the command line and the web app alike. Each takes a [`Setup`] and a plain
//! options struct, reports progress to a [`Progress`] (a terminal's progress bar, or nothing)
//! and returns what happened as data: summaries, totals, the files written and the exit code.
//! Files are written through `juesuan_publish::output`, atomically, never over an input.

use crate::export::{OpenDataWriter, fact_rows, view_rows};
use crate::input_file::{self, InputFormat};
use crate::rollup::{DepartmentFlow, Rollup};
use crate::runner::{self, Input};
use crate::summary::{DepartmentSummary, SummaryWriter, Totals};
use crate::synth::{self, Params};
use juesuan_core::catalog::Catalog;
use juesuan_core::{Diagnostic, Lang, Location, Text};
use juesuan_input::Source;
use juesuan_publish::output::{self, Staged, WriteError};
use juesuan_publish::{Checked, Format, Request, Setup, files};
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Prints a report page to PDF (an edge: `juesuan_publish::tools::render_pdf` runs Chromium);
/// called from worker threads.
pub type PdfPrinter = dyn Fn(&str) -> Result<Vec<u8>, Diagnostic> + Sync;

/// What a service tells while it runs, on the calling thread, in listing order: a progress bar,
/// a line per department, or nothing (`()`).
pub trait Progress {
    /// The run has `total` departments (or files to generate); nothing was done yet.
    fn start(&mut self, total: usize) {
        let _ = total;
    }
    /// One department is done.
    fn department(&mut self, summary: &DepartmentSummary) {
        let _ = summary;
    }
    /// The file of department `index` was generated (or failed).
    fn generated(&mut self, index: usize) {
        let _ = index;
    }
    /// Every department is done; what follows is the end of the run.
    fn finish(&mut self) {}
}

/// No progress shown.
impl Progress for () {}

/// A department-year input of a service: a file of a batch folder, or bytes a front end holds.
pub trait InputSource: Sync {
    /// Its name in summaries and errors.
    fn name(&self) -> &str;
    /// Its bytes, bounded by the input limit.
    fn read(&self) -> Result<Cow<'_, [u8]>, Vec<Diagnostic>>;
}

impl InputSource for Input {
    fn name(&self) -> &str {
        &self.name
    }

    fn read(&self) -> Result<Cow<'_, [u8]>, Vec<Diagnostic>> {
        if let Some(first) = &self.duplicate_of {
            return Err(vec![duplicate(self, first)]);
        }
        files::read_bounded(&self.path, Source::MAX_BYTES)
            .map(Cow::Owned)
            .map_err(|d| vec![d])
    }
}

/// An input already in memory (an upload the web app keeps).
#[derive(Clone, Debug)]
pub struct InMemory {
    /// Its name in summaries and errors.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl InputSource for InMemory {
    fn name(&self) -> &str {
        &self.name
    }

    fn read(&self) -> Result<Cow<'_, [u8]>, Vec<Diagnostic>> {
        Ok(Cow::Borrowed(&self.bytes))
    }
}

/// The inputs of a batch folder, `skip` (the output folder) left out: E0601 when it cannot be
/// listed, E1101 when it holds none.
pub fn inputs(dir: &Path, skip: Option<&Path>) -> Result<Vec<Input>, Vec<Diagnostic>> {
    let list = runner::list(dir, skip).map_err(|e| vec![files::io_error(dir, e)])?;
    if list.is_empty() {
        return Err(vec![
            Diagnostic::error(
                "E1101",
                Location::File {
                    file: dir.display().to_string(),
                },
                Text::new(
                    "目录中没有部门决算事实文件",
                    "the folder holds no department-year file",
                ),
            )
            .expected(Text::new(
                "扩展名为 .toml、.json 或 .xlsx 的文件（含子目录）",
                "files ending in .toml, .json or .xlsx (subfolders included)",
            )),
        ]);
    }
    Ok(list)
}

/// E1107 for an input whose outputs would go where an earlier input's went.
fn duplicate(input: &Input, first: &str) -> Diagnostic {
    Diagnostic::error(
        "E1107",
        Location::File {
            file: input.name.clone(),
        },
        Text::new(
            format!("与 {first} 同名（扩展名除外），输出会相互覆盖"),
            format!(
                "has the same name as {first} but for its extension: their outputs would collide"
            ),
        ),
    )
    .expected(Text::new(
        "每个部门的文件名不同",
        "a different file name per department",
    ))
    .found(input.name.clone())
}

/// Reads one input and checks it.
fn check_one(setup: &Setup, input: &impl InputSource) -> Result<Checked, Vec<Diagnostic>> {
    let bytes = input.read()?;
    juesuan_publish::check_bytes(setup, input.name(), &bytes)
}

/// A department whose work panicked, as its summary.
fn panicked(name: &str, message: &str, lang: Lang) -> DepartmentSummary {
    DepartmentSummary::invalid(
        name,
        &[Diagnostic::error(
            "E1108",
            Location::File {
                file: name.to_string(),
            },
            Text::new(
                "内部错误：处理该文件时程序出错",
                "internal error while processing the file",
            ),
        )
        .found(message.to_string())],
        lang,
    )
}

/// A panic in the work of `name`, as a problem of the whole run (roll-up, export).
fn internal_error(name: &str, message: String) -> Vec<Diagnostic> {
    vec![
        Diagnostic::error(
            "E1108",
            Location::File {
                file: name.to_string(),
            },
            Text::new("内部错误", "internal error"),
        )
        .found(message),
    ]
}

/// What a batch check or build did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchOutcome {
    /// What the batch found.
    pub totals: Totals,
    /// The summary written (`summary.json`), if one was asked for.
    pub summary: Option<PathBuf>,
}

impl BatchOutcome {
    /// The exit code: 2 if any input was invalid, else 1 if any department has errors, else 0.
    pub fn exit_code(&self) -> u8 {
        self.totals.exit_code()
    }
}

/// What to check.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// The folder of department-year files (subfolders too).
    pub dir: PathBuf,
    /// Worker threads.
    pub jobs: usize,
    /// Language of the summaries' messages.
    pub lang: Lang,
    /// Also write the summary (`juesuan.batch/1`) to this file.
    pub summary: Option<PathBuf>,
    /// Files never written over (the setup's).
    pub protect: Vec<PathBuf>,
}

/// Checks every department-year file of a folder, in parallel (`juesuan check --batch`).
pub fn check(
    setup: &Setup,
    options: &CheckOptions,
    progress: &mut dyn Progress,
) -> Result<BatchOutcome, Vec<Diagnostic>> {
    let list = inputs(&options.dir, None)?;
    let lang = options.lang;
    let mut summary = match &options.summary {
        Some(p) => Some(
            SummaryWriter::create(
                p,
                "check",
                &options.dir.display().to_string(),
                &protected(&options.protect, &list),
            )
            .map_err(|e| vec![e.diagnostic()])?,
        ),
        None => None,
    };
    progress.start(list.len());
    let mut totals = Totals::default();
    let mut failure: Option<WriteError> = None;
    runner::run(
        &list,
        options.jobs,
        |input| {
            let result = check_one(setup, input);
            let d = match &result {
                Ok(c) => DepartmentSummary::checked(&input.name, c),
                Err(diags) => DepartmentSummary::invalid(&input.name, diags, lang),
            };
            (d, result.ok().map(|c| c.findings))
        },
        |input, result| {
            let (d, all) =
                result.unwrap_or_else(|panic| (panicked(&input.name, &panic, lang), None));
            totals.add(&d, all.as_deref());
            progress.department(&d);
            if let Some(w) = &mut summary
                && let Err(e) = w.department(&d)
            {
                failure.get_or_insert(e);
            }
        },
    );
    progress.finish();
    if let Some(e) = failure {
        return Err(vec![e.diagnostic()]);
    }
    let summary = match summary {
        Some(w) => Some(w.finish(&totals).map_err(|e| vec![e.diagnostic()])?),
        None => None,
    };
    Ok(BatchOutcome { totals, summary })
}

/// What to build.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// The folder of department-year files (subfolders too).
    pub dir: PathBuf,
    /// The output folder: each department's files go to `out/<its path without extension>/`,
    /// the summary to `out/summary.json`.
    pub out: PathBuf,
    /// The formats to write.
    pub formats: Vec<Format>,
    /// Publish departments whose figures fail an error rule too.
    pub allow_errors: bool,
    /// Worker threads.
    pub jobs: usize,
    /// Language of the outputs and messages.
    pub lang: Lang,
    /// Files never written over (the setup's); every input is protected too.
    pub protect: Vec<PathBuf>,
}

/// A department's outputs, rendered and waiting to be written.
struct Pending {
    folder: PathBuf,
    files: Vec<(String, Vec<u8>)>,
    refused: bool,
}

/// Builds every department-year file of a folder, in parallel (`juesuan build --batch`): the
/// workers read, check and render; the calling thread writes each department's folder and the
/// summary, so a worker goes on to the next department instead of waiting for the disk.
pub fn build(
    setup: &Setup,
    options: &BuildOptions,
    pdf: &PdfPrinter,
    progress: &mut dyn Progress,
) -> Result<BatchOutcome, Vec<Diagnostic>> {
    let list = inputs(&options.dir, Some(&options.out))?;
    let lang = options.lang;
    let mut summary = SummaryWriter::create(
        &options.out.join("summary.json"),
        "build",
        &options.dir.display().to_string(),
        &protected(&options.protect, &list),
    )
    .map_err(|e| vec![e.diagnostic()])?;
    progress.start(list.len());
    let mut totals = Totals::default();
    let mut failure: Option<WriteError> = None;
    runner::run(
        &list,
        options.jobs,
        |input| {
            let checked = match check_one(setup, input) {
                Ok(c) => c,
                Err(diags) => return (DepartmentSummary::invalid(&input.name, &diags, lang), None),
            };
            let d = DepartmentSummary::checked(&input.name, &checked);
            let leaf = input
                .stem
                .rsplit('/')
                .next()
                .unwrap_or(&input.stem)
                .to_string();
            let published = juesuan_publish::publish(
                setup,
                &checked,
                &Request {
                    input: &input.name,
                    stem: &leaf,
                    formats: &options.formats,
                    allow_errors: options.allow_errors,
                    lang,
                },
                pdf,
            );
            let published = match published {
                Ok(p) => p,
                Err(diags) => return (DepartmentSummary::invalid(&input.name, &diags, lang), None),
            };
            let write = Pending {
                folder: options.out.join(&input.stem),
                files: published.files,
                refused: published.refused,
            };
            (d, Some((checked.findings, write)))
        },
        |input, result| {
            let (mut d, done) =
                result.unwrap_or_else(|panic| (panicked(&input.name, &panic, lang), None));
            let mut all = None;
            if let Some((findings, write)) = done {
                let mut protect = options.protect.clone();
                protect.push(input.path.clone());
                match output::write_all(&write.folder, &write.files, &protect) {
                    Ok(written) => {
                        d.outputs = written
                            .iter()
                            .filter_map(|p| p.strip_prefix(&options.out).ok())
                            .map(|p| p.display().to_string())
                            .collect();
                        d.refused = write.refused;
                        all = Some(findings);
                    }
                    Err(e) => {
                        d = DepartmentSummary::invalid(
                            &input.name,
                            &[files::io_error(&write.folder, e)],
                            lang,
                        );
                    }
                }
            }
            totals.add(&d, all.as_deref());
            progress.department(&d);
            if let Err(e) = summary.department(&d) {
                failure.get_or_insert(e);
            }
        },
    );
    progress.finish();
    if let Some(e) = failure {
        return Err(vec![e.diagnostic()]);
    }
    let summary = summary.finish(&totals).map_err(|e| vec![e.diagnostic()])?;
    Ok(BatchOutcome {
        totals,
        summary: Some(summary),
    })
}

/// The setup's files and every input: what a summary must not be written over.
fn protected(protect: &[PathBuf], list: &[Input]) -> Vec<PathBuf> {
    protect
        .iter()
        .cloned()
        .chain(list.iter().map(|i| i.path.clone()))
        .collect()
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenOptions {
    /// How many departments, which seed, how many errors, which format.
    pub params: Params,
    /// The output folder: the files and `manifest.jsonl`.
    pub out: PathBuf,
    /// Worker threads.
    pub jobs: usize,
}

/// What [`generate`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenOutcome {
    /// Departments generated.
    pub departments: usize,
    /// Errors injected.
    pub injected: usize,
    /// The manifest (`manifest.jsonl`): the parameters, then one line per department with the
    /// errors injected into it and what must report them.
    pub manifest: PathBuf,
}

/// Writes `options.params.departments` synthetic department-year files and their manifest
/// (`juesuan gen`); the same parameters always give the same files.
pub fn generate(
    catalog: &Catalog,
    options: &GenOptions,
    progress: &mut dyn Progress,
) -> Result<GenOutcome, Vec<Diagnostic>> {
    let out = &options.out;
    let params = &options.params;
    output::create_folder(out).map_err(|e| vec![e.diagnostic()])?;
    let manifest_path = out.join("manifest.jsonl");
    let line_failed = |e: std::io::Error| WriteError::new(&manifest_path, e).diagnostic();
    let mut manifest = Staged::create(&manifest_path, &[]).map_err(|e| vec![e.diagnostic()])?;
    writeln!(
        manifest,
        "{}",
        serde_json::to_string(&synth::header(params)).expect("json")
    )
    .map_err(|e| vec![line_failed(e)])?;
    let indices: Vec<usize> = (0..params.departments).collect();
    progress.start(indices.len());
    let mut problem: Option<Diagnostic> = None;
    let mut injected = 0;
    runner::run(
        &indices,
        options.jobs,
        |&i| {
            let g = synth::generate(catalog, params, i);
            let written = output::write_all(out, &[(g.file.clone(), g.text.into_bytes())], &[]);
            (g.entry, written)
        },
        |&i, result| match result {
            Ok((entry, Ok(_))) => {
                progress.generated(i);
                injected += entry.injected.len();
                if let Err(e) =
                    writeln!(manifest, "{}", serde_json::to_string(&entry).expect("json"))
                {
                    problem.get_or_insert(line_failed(e));
                }
            }
            Ok((entry, Err(e))) => {
                progress.generated(i);
                problem.get_or_insert(files::io_error(&out.join(&entry.file), e));
            }
            Err(panic) => {
                progress.generated(i);
                problem.get_or_insert(
                    Diagnostic::error(
                        "E1108",
                        Location::Nowhere,
                        Text::new("内部错误", "internal error"),
                    )
                    .found(panic),
                );
            }
        },
    );
    progress.finish();
    if let Some(d) = problem {
        return Err(vec![d]);
    }
    let manifest = manifest.finish().map_err(|e| vec![e.diagnostic()])?;
    Ok(GenOutcome {
        departments: params.departments,
        injected,
        manifest,
    })
}

/// What to roll up.
#[derive(Clone, Debug)]
pub struct RollupOptions {
    /// The district's name, as printed (部门：…).
    pub name: String,
    /// The district's code.
    pub code: Option<String>,
    /// Roll up even when a department fails an error rule.
    pub allow_errors: bool,
    /// Worker threads.
    pub jobs: usize,
    /// Language of the summaries' messages.
    pub lang: Lang,
}

/// The district a roll-up made.
#[derive(Debug)]
pub struct District {
    /// Its facts, ledger, layout and views, checked by the setup's rules.
    pub checked: Checked,
    /// The flows between departments it eliminated.
    pub flows: Vec<DepartmentFlow>,
}

/// What a roll-up did.
#[derive(Debug)]
pub struct Rolled {
    /// What the departments' checks found.
    pub totals: Totals,
    /// The district; `None` when departments fail an error rule and errors are not allowed.
    pub district: Option<District>,
}

/// Rolls up (汇总) the departments `inputs` into one district: each read and checked (in
/// parallel), their ledgers added, flows between them eliminated, the district built and
/// checked. Invalid inputs and flows that do not match stop it (every problem returned);
/// departments failing an error rule stop it unless `allow_errors`. What `juesuan rollup` and
/// the web app's roll-up share.
pub fn rollup<S: InputSource>(
    setup: &Setup,
    inputs: &[S],
    options: &RollupOptions,
    progress: &mut dyn Progress,
) -> Result<Rolled, Vec<Diagnostic>> {
    let lang = options.lang;
    progress.start(inputs.len());
    let mut roll = Rollup::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut totals = Totals::default();
    runner::run(
        inputs,
        options.jobs,
        |input| check_one(setup, input),
        |input, result| {
            let result = result.unwrap_or_else(|panic| Err(internal_error(input.name(), panic)));
            match result {
                Ok(checked) => {
                    let d = DepartmentSummary::checked(input.name(), &checked);
                    totals.add(&d, Some(&checked.findings));
                    progress.department(&d);
                    if let Err(p) = roll.add(input.name(), &checked.built) {
                        problems.extend(p);
                    }
                }
                Err(diags) => {
                    let d = DepartmentSummary::invalid(input.name(), &diags, lang);
                    totals.add(&d, None);
                    progress.department(&d);
                    problems.extend(diags);
                }
            }
        },
    );
    progress.finish();
    if !problems.is_empty() {
        return Err(problems);
    }
    if totals.with_errors > 0 && !options.allow_errors {
        return Ok(Rolled {
            totals,
            district: None,
        });
    }
    let (checked, flows) = roll.check(setup, options.name.clone(), options.code.clone())?;
    Ok(Rolled {
        totals,
        district: Some(District { checked, flows }),
    })
}

/// What to roll up from a folder, and where its files go.
#[derive(Clone, Debug)]
pub struct RollupFolderOptions {
    /// The folder of department-year files (subfolders too).
    pub dir: PathBuf,
    /// The output folder (left out of the listing when inside `dir`).
    pub out: PathBuf,
    /// The formats to write.
    pub formats: Vec<Format>,
    /// The roll-up.
    pub rollup: RollupOptions,
    /// Files never written over (the setup's); every input is protected too.
    pub protect: Vec<PathBuf>,
}

/// What [`rollup_folder`] wrote.
#[derive(Debug)]
pub struct RollupWritten {
    /// The district.
    pub district: District,
    /// True when the district's own tables fail an error rule and errors are not allowed: only
    /// its findings were written.
    pub refused: bool,
    /// The files written, in order.
    pub written: Vec<PathBuf>,
}

/// What [`rollup_folder`] did.
#[derive(Debug)]
pub struct RolledUp {
    /// What the departments' checks found.
    pub totals: Totals,
    /// The files; `None` when departments fail an error rule and errors are not allowed.
    pub written: Option<RollupWritten>,
}

impl RolledUp {
    /// The exit code: 1 when a department or the district fails an error rule (or nothing was
    /// published), else 0.
    pub fn exit_code(&self) -> u8 {
        let district_errors = self
            .written
            .as_ref()
            .is_none_or(|w| w.refused || w.district.checked.has_errors());
        if district_errors || self.totals.with_errors > 0 {
            1
        } else {
            0
        }
    }
}

/// `juesuan rollup DIR -o OUT --name 某区`: the folder's departments rolled up ([`rollup`]),
/// the district published in `formats` as `OUT/<name>.*` and, unless publication was refused,
/// its facts as one input file, `OUT/<name>.toml`.
pub fn rollup_folder(
    setup: &Setup,
    options: &RollupFolderOptions,
    pdf: &PdfPrinter,
    progress: &mut dyn Progress,
) -> Result<RolledUp, Vec<Diagnostic>> {
    let list = inputs(&options.dir, Some(&options.out))?;
    let Rolled { totals, district } = rollup(setup, &list, &options.rollup, progress)?;
    let Some(district) = district else {
        return Ok(RolledUp {
            totals,
            written: None,
        });
    };
    let stem = &options.rollup.name;
    let published = juesuan_publish::publish(
        setup,
        &district.checked,
        &Request {
            input: &options.dir.display().to_string(),
            stem,
            formats: &options.formats,
            allow_errors: options.rollup.allow_errors,
            lang: options.rollup.lang,
        },
        pdf,
    )?;
    let mut files = published.files;
    if !published.refused {
        files.push((
            format!("{stem}.{}", InputFormat::Toml.extension()),
            input_file::write(
                &district.checked.built.facts,
                district.checked.built.catalog(&setup.catalog),
                InputFormat::Toml,
            )
            .into_bytes(),
        ));
    }
    let written = output::write_all(&options.out, &files, &protected(&options.protect, &list))
        .map_err(|e| vec![files::io_error(&options.out, e)])?;
    Ok(RolledUp {
        totals,
        written: Some(RollupWritten {
            district,
            refused: published.refused,
            written,
        }),
    })
}

/// Where an export's departments come from.
#[derive(Clone, Debug)]
pub enum ExportFrom {
    /// One department-year file.
    File(PathBuf),
    /// Every department-year file of a folder (subfolders too).
    Folder(PathBuf),
}

/// What to export.
#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// The departments.
    pub from: ExportFrom,
    /// The output folder (left out of a folder's listing).
    pub out: PathBuf,
    /// Export departments whose figures fail an error rule too.
    pub allow_errors: bool,
    /// Worker threads.
    pub jobs: usize,
    /// Language of the summaries' messages.
    pub lang: Lang,
    /// Files never written over (the setup's); every input is protected too.
    pub protect: Vec<PathBuf>,
}

/// What [`export`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    /// Departments exported.
    pub exported: usize,
    /// What the departments' checks found.
    pub totals: Totals,
    /// The files written, in order.
    pub written: Vec<PathBuf>,
}

impl Exported {
    /// The exit code: 2 if any input was invalid, else 1 if any department has errors, else 0.
    pub fn exit_code(&self) -> u8 {
        self.totals.exit_code()
    }
}

/// `juesuan export`: the facts and views of one department or a folder's departments as open
/// data — `facts` and `views` as CSV and Parquet, and `datapackage.json` — streamed into one set
/// of files. Departments failing an error rule are left out unless `allow_errors`.
pub fn export(
    setup: &Setup,
    options: &ExportOptions,
    progress: &mut dyn Progress,
) -> Result<Exported, Vec<Diagnostic>> {
    let (list, name) = match &options.from {
        ExportFrom::File(file) => {
            let name = file.display().to_string();
            (
                vec![Input {
                    index: 0,
                    path: file.clone(),
                    stem: name.clone(),
                    name,
                    duplicate_of: None,
                }],
                file.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "juesuan".into()),
            )
        }
        ExportFrom::Folder(dir) => (
            inputs(dir, Some(&options.out))?,
            dir.file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "juesuan".into()),
        ),
    };
    let lang = options.lang;
    let mut writer = OpenDataWriter::create(&options.out, &protected(&options.protect, &list))
        .map_err(|d| vec![d])?;
    progress.start(list.len());
    let mut totals = Totals::default();
    let mut failure: Option<Diagnostic> = None;
    let mut exported = 0;
    runner::run(
        &list,
        options.jobs,
        |input| {
            check_one(setup, input).map(|c| {
                let d = DepartmentSummary::checked(&input.name, &c);
                let rows = (!c.has_errors() || options.allow_errors).then(|| {
                    (
                        c.built.facts.department.year,
                        fact_rows(&c.built.facts, c.built.catalog(&setup.catalog)),
                        view_rows(&c.built.views, c.built.facts.department.code.as_deref()),
                    )
                });
                (d, c.findings, rows)
            })
        },
        |input, result| {
            let result = result.unwrap_or_else(|panic| Err(internal_error(&input.name, panic)));
            let d = match result {
                Ok((d, findings, rows)) => {
                    totals.add(&d, Some(&findings));
                    if let Some((year, facts, views)) = rows {
                        if let Err(e) = writer.add(year, facts, views) {
                            failure.get_or_insert(e);
                        }
                        exported += 1;
                    }
                    d
                }
                Err(diags) => {
                    let d = DepartmentSummary::invalid(&input.name, &diags, lang);
                    totals.add(&d, None);
                    d
                }
            };
            progress.department(&d);
        },
    );
    progress.finish();
    if let Some(d) = failure {
        return Err(vec![d]);
    }
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let title = format!("部门决算公开 / Departmental final accounts: {name}");
    let written = writer.finish(&slug, &title).map_err(|d| vec![d])?;
    Ok(Exported {
        exported,
        totals,
        written,
    })
}
