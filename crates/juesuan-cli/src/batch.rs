//! The commands at scale — `gen`, `check --batch`, `build --batch`, `rollup`, `export` — over
//! `juesuan_batch::service`: arguments to options, progress on stderr (indicatif; hidden with
//! `--quiet` or off a terminal), summaries and totals on stdout.

use crate::cli::{
    AuditArgs, BuildArgs, CheckArgs, ExportArgs, GenArgs, GenFormat, ReportFormat, RollupArgs,
};
use crate::common::{Failure, emit, emit_written, setup};
use crate::exit;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use juesuan_batch::input_file::InputFormat;
use juesuan_batch::runner;
use juesuan_batch::service::{self, Progress};
use juesuan_batch::summary::{self, DepartmentSummary, Status};
use juesuan_batch::synth::Params;
use juesuan_core::Lang;
use juesuan_publish::{Setup, tools};
use std::path::Path;
use std::process::ExitCode;

/// Which departments get a line of their own.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lines {
    /// None: the departments go out as JSON (`check --batch --format json`).
    Json,
    /// Those with findings or errors; every one unless quiet.
    All,
    /// The same, but not invalid inputs: the roll-up reports those as its errors.
    Checked,
}

/// The terminal's view of a run: a progress bar on stderr, a line per department on stdout.
struct Terminal {
    bar: ProgressBar,
    lang: Lang,
    quiet: bool,
    lines: Lines,
    /// Hide the bar for a single department (`export FILE`).
    hide_single: bool,
    /// What stdout starts with once the run starts (the JSON's opening).
    head: Option<String>,
    first: bool,
    /// The bar counts published reports, not departments (`audit --batch`).
    documents: bool,
}

impl Terminal {
    fn new(lang: Lang, quiet: bool, lines: Lines) -> Terminal {
        Terminal {
            bar: ProgressBar::hidden(),
            lang,
            quiet,
            lines,
            hide_single: false,
            head: None,
            first: true,
            documents: false,
        }
    }
}

impl Progress for Terminal {
    fn start(&mut self, total: usize) {
        if let Some(head) = self.head.take() {
            emit(&head);
        }
        let target = if self.quiet || (self.hide_single && total == 1) {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        self.bar = ProgressBar::with_draw_target(Some(total as u64), target);
        let template = match (self.lang, self.documents) {
            (Lang::Zh, false) => "{bar:40} {pos}/{len} 个部门  {per_sec}  剩余 {eta}",
            (Lang::En, false) => "{bar:40} {pos}/{len} departments  {per_sec}  {eta} left",
            (Lang::Zh, true) => "{bar:40} {pos}/{len} 份报告  {per_sec}  剩余 {eta}",
            (Lang::En, true) => "{bar:40} {pos}/{len} reports  {per_sec}  {eta} left",
        };
        self.bar.set_style(
            ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    }

    fn department(&mut self, d: &DepartmentSummary) {
        self.bar.inc(1);
        let shown = match self.lines {
            Lines::Json => {
                emit(&summary::json_department(self.first, d));
                self.first = false;
                return;
            }
            Lines::All => !self.quiet || d.status != Status::Ok,
            Lines::Checked => {
                d.status != Status::Invalid && (!self.quiet || d.status == Status::Errors)
            }
        };
        if let Some(line) = d.line(self.lang).filter(|_| shown) {
            self.bar.suspend(|| emit(&format!("{line}\n")));
        }
    }

    fn generated(&mut self, _: usize) {
        self.bar.inc(1);
    }

    fn finish(&mut self) {
        self.bar.finish_and_clear();
    }
}

fn jobs(jobs: Option<usize>) -> usize {
    jobs.unwrap_or_else(runner::default_jobs)
}

/// The totals of a batch for people, unless quiet.
fn emit_totals(totals: &juesuan_batch::summary::Totals, setup: &Setup, lang: Lang, quiet: bool) {
    if !quiet {
        emit(&totals.text(lang, &|id| setup.rule_title(id)));
    }
}

/// `juesuan check --batch DIR`.
pub fn check(args: &CheckArgs, dir: &Path, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let (setup, protect) = setup(Some(&args.data), args.layout.as_deref(), None)?;
    let json = args.format == ReportFormat::Json;
    let options = service::CheckOptions {
        dir: dir.to_path_buf(),
        jobs: jobs(args.jobs),
        lang,
        summary: args.summary.clone(),
        protect,
    };
    let mut terminal = Terminal::new(lang, quiet, if json { Lines::Json } else { Lines::All });
    // The JSON on stdout opens once the folder is listed (and the summary file started).
    terminal.head = json.then(|| summary::json_head("check", &dir.display().to_string()));
    let outcome = service::check(&setup, &options, &mut terminal).map_err(Failure::invalid)?;
    if json {
        emit(&summary::json_tail(&outcome.totals));
    } else {
        if !quiet && let Some(path) = &outcome.summary {
            emit_written(std::slice::from_ref(path), lang);
        }
        emit_totals(&outcome.totals, &setup, lang, quiet);
    }
    Ok(exit::code(outcome.exit_code()))
}

/// `juesuan build --batch DIR -o OUT`.
pub fn build(args: &BuildArgs, dir: &Path, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let (setup, protect) = setup(
        Some(&args.data),
        args.layout.as_deref(),
        args.narrative.as_deref(),
    )?;
    let options = service::BuildOptions {
        dir: dir.to_path_buf(),
        out: args.out.clone(),
        formats: args.format.clone(),
        allow_errors: args.allow_errors,
        jobs: jobs(args.jobs),
        lang,
        protect,
    };
    let mut terminal = Terminal::new(lang, quiet, Lines::All);
    let outcome = service::build(&setup, &options, &tools::render_pdf, &mut terminal)
        .map_err(Failure::invalid)?;
    if !quiet && let Some(path) = &outcome.summary {
        emit_written(std::slice::from_ref(path), lang);
    }
    emit_totals(&outcome.totals, &setup, lang, quiet);
    Ok(exit::code(outcome.exit_code()))
}

/// `juesuan audit --batch DIR`.
pub fn audit(args: &AuditArgs, dir: &Path, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let (setup, protect) = setup(Some(&args.data), args.layout.as_deref(), None)?;
    let options = juesuan_batch::audits::AuditOptions {
        dir: dir.to_path_buf(),
        out: args.out.clone(),
        jobs: jobs(args.jobs),
        lang,
        protect,
    };
    let mut terminal = Terminal::new(lang, quiet, Lines::All);
    terminal.documents = true;
    let outcome =
        juesuan_batch::audits::audit(&setup, &options, &mut terminal).map_err(Failure::invalid)?;
    if !quiet {
        emit_written(&outcome.files, lang);
    }
    emit_totals(&outcome.totals, &setup, lang, quiet);
    Ok(exit::code(outcome.exit_code()))
}

/// `juesuan gen`.
pub fn generate(args: &GenArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let (setup, _) = setup(None, None, None)?;
    let options = service::GenOptions {
        params: Params {
            departments: args.departments,
            units: args.units.map(usize::from),
            seed: args.seed,
            error_ppm: args.error_rate,
            year: args.year,
            interdepartment: !args.no_interdepartment,
            format: match args.format {
                GenFormat::Toml => InputFormat::Toml,
                GenFormat::Json => InputFormat::Json,
            },
        },
        out: args.out.clone(),
        jobs: jobs(args.jobs),
    };
    let mut terminal = Terminal::new(lang, quiet, Lines::All);
    let generated =
        service::generate(&setup.catalog, &options, &mut terminal).map_err(Failure::invalid)?;
    if !quiet {
        let injected = generated.injected;
        emit(&match lang {
            Lang::Zh => format!(
                "已在 {} 生成 {} 个部门（注入 {injected} 个错误，见 {}）\n",
                args.out.display(),
                generated.departments,
                generated.manifest.display()
            ),
            Lang::En => format!(
                "generated {} departments in {} ({injected} errors injected, see {})\n",
                generated.departments,
                args.out.display(),
                generated.manifest.display()
            ),
        });
    }
    Ok(exit::code(exit::OK))
}

/// `juesuan rollup DIR -o OUT --name 某区`.
pub fn rollup(args: &RollupArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let (setup, protect) = setup(
        Some(&args.data),
        args.layout.as_deref(),
        Some(&args.narrative),
    )?;
    let options = service::RollupFolderOptions {
        dir: args.dir.clone(),
        out: args.out.clone(),
        formats: args.format.clone(),
        rollup: service::RollupOptions {
            name: args.name.clone(),
            code: args.code.clone(),
            allow_errors: args.allow_errors,
            jobs: jobs(args.jobs),
            lang,
        },
        protect,
    };
    let mut terminal = Terminal::new(lang, quiet, Lines::Checked);
    let rolled = service::rollup_folder(&setup, &options, &tools::render_pdf, &mut terminal)
        .map_err(Failure::invalid)?;
    let Some(written) = &rolled.written else {
        emit_totals(&rolled.totals, &setup, lang, quiet);
        eprintln!(
            "{}",
            match lang {
                Lang::Zh =>
                    "有部门的检查发现错误，未汇总；改正后重试，或用 --allow-errors 强制汇总。",
                Lang::En =>
                    "some departments have errors: nothing rolled up; fix them, or roll up anyway with --allow-errors.",
            }
        );
        return Ok(exit::code(rolled.exit_code()));
    };
    if !quiet {
        let flows = &written.district.flows;
        let eliminated: juesuan_core::Money = flows.iter().map(|f| f.amount).sum();
        let eliminated = eliminated
            .display_in(juesuan_core::money::AmountUnit::Yuan)
            .grouped();
        let departments = rolled.totals.departments;
        emit(&match lang {
            Lang::Zh => format!(
                "汇总 {departments} 个部门；部门间往来抵消 {} 笔，共 {eliminated} 元\n",
                flows.len(),
            ),
            Lang::En => format!(
                "rolled up {departments} departments; {} flows between departments eliminated, {eliminated} yuan in all\n",
                flows.len(),
            ),
        });
        let checked = &written.district.checked;
        if !checked.findings.is_empty() || written.refused {
            let text = juesuan_render::findings::text(
                &checked.findings,
                checked.summary(),
                &checked.coverage,
                lang,
            );
            eprint!("{text}");
        }
        emit_written(&written.written, lang);
    }
    Ok(exit::code(rolled.exit_code()))
}

/// `juesuan export`.
pub fn export(args: &ExportArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let (setup, protect) = setup(Some(&args.data), None, None)?;
    let from = match (&args.input, &args.batch) {
        (Some(file), _) => service::ExportFrom::File(file.clone()),
        (None, Some(dir)) => service::ExportFrom::Folder(dir.clone()),
        (None, None) => unreachable!("clap requires one"),
    };
    let options = service::ExportOptions {
        from,
        out: args.out.clone(),
        allow_errors: args.allow_errors,
        jobs: jobs(args.jobs),
        lang,
        protect,
    };
    let mut terminal = Terminal::new(lang, quiet, Lines::All);
    terminal.hide_single = true;
    let exported = service::export(&setup, &options, &mut terminal).map_err(Failure::invalid)?;
    if !quiet {
        let n = exported.exported;
        emit(&match lang {
            Lang::Zh => format!("导出 {n} 个部门\n"),
            Lang::En => format!("exported {n} departments\n"),
        });
        emit_written(&exported.written, lang);
        if exported.totals.departments > 1 {
            emit(&exported.totals.text(lang, &|id| setup.rule_title(id)));
        }
    }
    Ok(exit::code(exported.exit_code()))
}
