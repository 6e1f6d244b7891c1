//! The commands at scale — `gen`, `check --batch`, `build --batch`, `rollup`, `export` — as
//! thin glue over `juesuan-batch`: arguments to a `Setup` and a runner, progress on stderr,
//! summaries on stdout, files through atomic writes.

use crate::cli::{BuildArgs, CatalogOpts, CheckArgs, Failure, ReportFormat, emit, setup};
use crate::exit;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use juesuan_batch::runner::{self, Input};
use juesuan_batch::summary::{DepartmentSummary, SummaryWriter, Totals};
use juesuan_batch::synth::{self, Params};
use juesuan_core::{Diagnostic, Lang, Location, Text};
use juesuan_input::Source;
use juesuan_publish::{Setup, files, output, tools};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `gen --help` examples.
pub const GEN_HELP: &str = "\
Examples / 示例:
  juesuan gen --departments 200 -o district            # 200 valid departments, 1–4 units each
  juesuan gen --departments 10000 --seed 7 -o province --format json
  juesuan gen --departments 200 --error-rate 0.2 -o broken
      about one department in five gets one realistic mistake (transposed digits, a wrong
      digit, an extra zero, an internal flow booked differently by its two units, a code not in
      the catalog), recorded with the rules that must report it in broken/manifest.jsonl

Every file passes `juesuan check` with no finding unless an error was injected into it. The
same seed always gives the same files. Pairs of departments (dept-00001 and dept-00002, …) may
share a subsidy marked with counterparty_department, which `juesuan rollup` eliminates.
同一种子总是生成相同的文件；未注入错误的文件通过全部检查。";

/// `rollup --help` examples.
pub const ROLLUP_HELP: &str = "\
Examples / 示例:
  juesuan rollup district -o out --name 示例区 --format xlsx,html,json
      out/示例区.xlsx, .report.html, .tables.html, .views.json, .report.json, .findings.json,
      and out/示例区.toml: the district's facts as one input file (juesuan build rebuilds it)
  juesuan rollup province -o out --name 示例省 --code P01 --format json

Money that moved between two departments of the roll-up (上缴上级支出 ↔ 附属单位上缴收入,
对附属单位补助支出 ↔ 上级补助收入) is eliminated when both sides name the other department's
department.code in counterparty_department and agree to the 分; otherwise the roll-up stops
(E1103, E1104). Any invalid input stops it too (exit 2); a department with errors in its figures
stops it unless --allow-errors.
部门间往来须双方以 counterparty_department 互相注明且金额一致，汇总时抵消。

Exit codes / 退出码: 0 written; 1 the district's tables fail a rule (nothing published without
--allow-errors) or a department has errors; 2 an input is invalid or the roll-up cannot be made.";

/// `export --help` examples.
pub const EXPORT_HELP: &str = "\
Examples / 示例:
  juesuan export examples/three-units-2024.toml -o open
  juesuan export --batch province -o open
      open/facts.csv, open/views.csv, open/facts.parquet, open/views.parquet and
      open/datapackage.json (Fiscal Data Package: English concept names, currency CNY, factor 1)

  duckdb -c \"SELECT department, sum(amount) FROM 'open/views.parquet'
             WHERE \\\"table\\\" = 'summary' AND \\\"row\\\" = '58' GROUP BY department\"

Amounts are exact: decimal strings in 元 in CSV, DECIMAL(18,2) in Parquet. Departments whose
figures fail an error rule are left out (and reported) unless --allow-errors.
金额为精确小数（元）；检查有错误的部门不导出，除非给出 --allow-errors。

Exit codes / 退出码: 0 written; 1 a department has errors; 2 an input is invalid.";

/// `gen` arguments.
#[derive(Args, Debug)]
pub struct GenArgs {
    /// Number of departments. 部门数。
    #[arg(long, value_name = "N")]
    pub departments: usize,
    /// Units per department, 本级 included (default: 1 to 4, varying). 每个部门的单位数。
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u16).range(1..=50))]
    pub units: Option<u16>,
    /// Seed: the same seed gives the same files. 随机种子。
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Share of departments given one injected error, 0 to 1 (e.g. 0.05).
    /// 注入错误的部门比例。
    #[arg(long, value_name = "RATE", default_value = "0", value_parser = parse_rate)]
    pub error_rate: u32,
    /// Fiscal year. 年度。
    #[arg(long, default_value_t = 2024, value_parser = clap::value_parser!(i32).range(1990..=2100))]
    pub year: i32,
    /// Input file format. 文件格式。
    #[arg(long, value_enum, default_value_t = GenFormat::Toml)]
    pub format: GenFormat,
    /// No subsidies between departments. 不生成部门间往来。
    #[arg(long)]
    pub no_interdepartment: bool,
    /// Output folder. 输出目录。
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
    /// Worker threads (default: the cores available). 并行线程数。
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Input formats of `gen`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GenFormat {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

/// A rate from 0 to 1 as parts per million (exact: read as a decimal).
fn parse_rate(s: &str) -> Result<u32, String> {
    use rust_decimal::Decimal;
    let d: Decimal = s.trim().parse().map_err(|_| format!("not a number: {s}"))?;
    if d < Decimal::ZERO || d > Decimal::ONE {
        return Err(format!("a rate from 0 to 1, not {s}"));
    }
    let ppm = (d * Decimal::from(1_000_000)).round();
    u32::try_from(ppm.mantissa() / 10_i128.pow(ppm.scale())).map_err(|e| e.to_string())
}

/// `rollup` arguments.
#[derive(Args, Debug)]
pub struct RollupArgs {
    /// Folder of department-year files (.toml, .json, .xlsx, recursively). 部门事实文件目录。
    pub dir: PathBuf,
    /// Output folder. 输出目录。
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// The district's name, as printed (部门：…). 汇总单位名称。
    #[arg(long)]
    pub name: String,
    /// The district's code. 汇总单位编码。
    #[arg(long)]
    pub code: Option<String>,
    /// Layout of the district's tables (default: the first department's). 公开表式。
    #[arg(long, value_name = "ID|FILE")]
    pub layout: Option<String>,
    /// Narrative template (default: the tables alone). 情况说明模板。
    #[arg(long, value_name = "ID|FILE", default_value = "tables-only")]
    pub narrative: String,
    /// Which outputs to write. 输出格式。
    #[arg(long, value_delimiter = ',', value_parser = crate::cli::format_parser(), default_values_t = juesuan_publish::Format::without_external())]
    pub format: Vec<juesuan_publish::Format>,
    /// Roll up and publish even when a department or the district fails an error rule.
    /// 即使检查发现错误也汇总并写出。
    #[arg(long)]
    pub allow_errors: bool,
    /// Worker threads (default: the cores available). 并行线程数。
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Catalog options.
    #[command(flatten)]
    pub catalog: CatalogOpts,
}

/// `export` arguments.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// A department-year file. 部门决算事实文件。
    #[arg(required_unless_present = "batch")]
    pub input: Option<PathBuf>,
    /// Export every department-year file of a folder into one set of files. 批量导出。
    #[arg(long, value_name = "DIR", conflicts_with = "input")]
    pub batch: Option<PathBuf>,
    /// Output folder. 输出目录。
    #[arg(short, long, value_name = "DIR", default_value = "open")]
    pub out: PathBuf,
    /// Export departments whose figures fail an error rule too. 包括检查有错误的部门。
    #[arg(long)]
    pub allow_errors: bool,
    /// Worker threads for --batch (default: the cores available). 并行线程数。
    #[arg(long, value_name = "N", requires = "batch")]
    pub jobs: Option<usize>,
    /// Catalog options.
    #[command(flatten)]
    pub catalog: CatalogOpts,
}

/// The inputs of a batch folder (an E0601 failure when it cannot be listed; E1101 when it
/// holds none).
fn inputs(dir: &Path, skip: Option<&Path>) -> Result<Vec<Input>, Failure> {
    let list =
        runner::list(dir, skip).map_err(|e| Failure::invalid(vec![files::io_error(dir, e)]))?;
    if list.is_empty() {
        return Err(Failure::invalid(vec![
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
        ]));
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

/// A progress bar on stderr: hidden when quiet or when stderr is not a terminal.
fn progress(n: usize, quiet: bool, lang: Lang) -> ProgressBar {
    let target = if quiet {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    };
    let bar = ProgressBar::with_draw_target(Some(n as u64), target);
    let template = match lang {
        Lang::Zh => "{bar:40} {pos}/{len} 个部门  {per_sec}  剩余 {eta}",
        Lang::En => "{bar:40} {pos}/{len} departments  {per_sec}  {eta} left",
    };
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Reads one batch input (bounded) and checks it.
fn check_one(setup: &Setup, input: &Input) -> Result<juesuan_publish::Checked, Vec<Diagnostic>> {
    if let Some(first) = &input.duplicate_of {
        return Err(vec![duplicate(input, first)]);
    }
    let bytes = files::read_bounded(&input.path, Source::MAX_BYTES).map_err(|d| vec![d])?;
    juesuan_publish::check_bytes(setup, &input.name, &bytes)
}

/// The end of a batch: per-rule totals (unless quiet), summary.json, the exit code.
fn finish_batch(
    totals: &Totals,
    summary: Option<SummaryWriter>,
    setup: &Setup,
    lang: Lang,
    quiet: bool,
) -> Result<ExitCode, Failure> {
    if let Some(w) = summary {
        let path = w
            .finish(totals)
            .map_err(|e| Failure::invalid(vec![e.diagnostic()]))?;
        if !quiet {
            emit(&match lang {
                Lang::Zh => format!("已写出 {}\n", path.display()),
                Lang::En => format!("wrote {}\n", path.display()),
            });
        }
    }
    if !quiet {
        emit(&totals.text(lang, &setup.rules));
    }
    Ok(exit::code(totals.exit_code()))
}

/// `juesuan check --batch DIR`.
pub fn check(args: &CheckArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let dir = args.batch.as_deref().expect("clap: --batch or an input");
    let (setup, _) = setup(Some(&args.catalog), args.layout.as_deref(), None)?;
    let list = inputs(dir, None)?;
    let json = args.format == ReportFormat::Json;
    let mut summary = match &args.summary {
        Some(p) => Some(
            SummaryWriter::create(p, "check", &dir.display().to_string(), &[])
                .map_err(|e| Failure::invalid(vec![e.diagnostic()]))?,
        ),
        None => None,
    };
    let bar = progress(list.len(), quiet, lang);
    let mut totals = Totals::default();
    let mut first = true;
    if json {
        emit(&format!(
            "{{\"format\":\"juesuan.batch/1\",\"command\":\"check\",\"input\":{},\"departments\":[",
            serde_json::to_string(&dir.display().to_string()).expect("str")
        ));
    }
    let mut failure = None;
    runner::run(
        &list,
        args.jobs.unwrap_or_else(runner::default_jobs),
        |input| {
            let result = check_one(&setup, input);
            let d = match &result {
                Ok(c) => DepartmentSummary::checked(&input.name, c),
                Err(diags) => DepartmentSummary::invalid(&input.name, diags, lang),
            };
            let all = result.ok().map(|c| c.findings);
            (d, all)
        },
        |input, result| {
            let (d, all) = result.unwrap_or_else(|panic| (panicked(input, &panic, lang), None));
            totals.add(&d, all.as_deref());
            bar.inc(1);
            if json {
                emit(&format!(
                    "{}\n{}",
                    if first { "" } else { "," },
                    serde_json::to_string(&d).expect("json")
                ));
                first = false;
            } else if let Some(line) = d
                .line(lang)
                .filter(|_| !quiet || d.status != juesuan_batch::summary::Status::Ok)
            {
                bar.suspend(|| emit(&format!("{line}\n")));
            }
            if let Some(w) = &mut summary
                && let Err(e) = w.department(&d)
            {
                failure.get_or_insert(e);
            }
        },
    );
    bar.finish_and_clear();
    if let Some(e) = failure {
        return Err(Failure::invalid(vec![e.diagnostic()]));
    }
    if json {
        emit(&format!(
            "\n],\"totals\":{}}}\n",
            serde_json::to_string(&totals).expect("json")
        ));
        if let Some(w) = summary {
            w.finish(&totals)
                .map_err(|e| Failure::invalid(vec![e.diagnostic()]))?;
        }
        return Ok(exit::code(totals.exit_code()));
    }
    finish_batch(&totals, summary, &setup, lang, quiet)
}

fn panicked(input: &Input, message: &str, lang: Lang) -> DepartmentSummary {
    DepartmentSummary::invalid(
        &input.name,
        &[Diagnostic::error(
            "E1108",
            Location::File {
                file: input.name.clone(),
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

/// A department's outputs, rendered and waiting to be written.
struct Pending {
    folder: PathBuf,
    files: Vec<(String, Vec<u8>)>,
    refused: bool,
}

/// `juesuan build --batch DIR -o OUT`.
pub fn build(args: &BuildArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let dir = args.batch.as_deref().expect("clap: --batch or an input");
    let (setup, protect) = setup(
        Some(&args.catalog),
        args.layout.as_deref(),
        args.narrative.as_deref(),
    )?;
    let list = inputs(dir, Some(&args.out))?;
    let formats = &args.format;
    let summary_path = args.out.join("summary.json");
    let mut summary =
        SummaryWriter::create(&summary_path, "build", &dir.display().to_string(), &protect)
            .map_err(|e| Failure::invalid(vec![e.diagnostic()]))?;
    let bar = progress(list.len(), quiet, lang);
    let mut totals = Totals::default();
    let mut failure = None;
    runner::run(
        &list,
        args.jobs.unwrap_or_else(runner::default_jobs),
        |input| {
            let checked = match check_one(&setup, input) {
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
                &setup,
                &checked,
                &juesuan_publish::Request {
                    input: &input.name,
                    stem: &leaf,
                    formats,
                    allow_errors: args.allow_errors,
                    lang,
                },
                &tools::render_pdf,
            );
            let published = match published {
                Ok(p) => p,
                Err(diags) => return (DepartmentSummary::invalid(&input.name, &diags, lang), None),
            };
            // Written by the reducing thread: a worker goes on to the next department instead
            // of waiting for the disk.
            let write = Pending {
                folder: args.out.join(&input.stem),
                files: published.files,
                refused: published.refused,
            };
            (d, Some((checked.findings, write)))
        },
        |input, result| {
            let (mut d, done) =
                result.unwrap_or_else(|panic| (panicked(input, &panic, lang), None));
            let mut all = None;
            if let Some((findings, write)) = done {
                let mut protected = protect.clone();
                protected.push(input.path.clone());
                match output::write_all(&write.folder, &write.files, &protected) {
                    Ok(written) => {
                        d.outputs = written
                            .iter()
                            .filter_map(|p| p.strip_prefix(&args.out).ok())
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
            bar.inc(1);
            if let Some(line) = d
                .line(lang)
                .filter(|_| !quiet || d.status != juesuan_batch::summary::Status::Ok)
            {
                bar.suspend(|| emit(&format!("{line}\n")));
            }
            if let Err(e) = summary.department(&d) {
                failure.get_or_insert(e);
            }
        },
    );
    bar.finish_and_clear();
    if let Some(e) = failure {
        return Err(Failure::invalid(vec![e.diagnostic()]));
    }
    finish_batch(&totals, Some(summary), &setup, lang, quiet)
}

/// `juesuan gen`.
pub fn generate(args: &GenArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let (Setup { catalog, .. }, _) = setup(None, None, None)?;
    let params = Params {
        departments: args.departments,
        units: args.units.map(usize::from),
        seed: args.seed,
        error_ppm: args.error_rate,
        year: args.year,
        interdepartment: !args.no_interdepartment,
        format: match args.format {
            GenFormat::Toml => juesuan_batch::input_file::InputFormat::Toml,
            GenFormat::Json => juesuan_batch::input_file::InputFormat::Json,
        },
    };
    output::create_folder(&args.out).map_err(|e| Failure::invalid(vec![e.diagnostic()]))?;
    let manifest_path = args.out.join("manifest.jsonl");
    let line_failed = |e: std::io::Error| {
        juesuan_publish::output::WriteError::new(&manifest_path, e).diagnostic()
    };
    let mut manifest = juesuan_publish::output::Staged::create(&manifest_path, &[])
        .map_err(|e| Failure::invalid(vec![e.diagnostic()]))?;
    use std::io::Write;
    writeln!(
        manifest,
        "{}",
        serde_json::to_string(&synth::header(&params)).expect("json")
    )
    .map_err(|e| Failure::invalid(vec![line_failed(e)]))?;
    let indices: Vec<usize> = (0..params.departments).collect();
    let bar = progress(indices.len(), quiet, lang);
    let mut problem: Option<Diagnostic> = None;
    let mut injected = 0;
    runner::run(
        &indices,
        args.jobs.unwrap_or_else(runner::default_jobs),
        |&i| {
            let g = synth::generate(&catalog, &params, i);
            let written =
                output::write_all(&args.out, &[(g.file.clone(), g.text.into_bytes())], &[]);
            (g.entry, written)
        },
        |_, result| {
            bar.inc(1);
            match result {
                Ok((entry, Ok(_))) => {
                    injected += entry.injected.len();
                    if let Err(e) =
                        writeln!(manifest, "{}", serde_json::to_string(&entry).expect("json"))
                    {
                        problem.get_or_insert(line_failed(e));
                    }
                }
                Ok((entry, Err(e))) => {
                    problem.get_or_insert(files::io_error(&args.out.join(&entry.file), e));
                }
                Err(panic) => {
                    problem.get_or_insert(
                        Diagnostic::error(
                            "E1108",
                            Location::Nowhere,
                            Text::new("内部错误", "internal error"),
                        )
                        .found(panic),
                    );
                }
            }
        },
    );
    bar.finish_and_clear();
    if let Some(d) = problem {
        return Err(Failure::invalid(vec![d]));
    }
    let manifest_path = manifest
        .finish()
        .map_err(|e| Failure::invalid(vec![e.diagnostic()]))?;
    if !quiet {
        emit(&match lang {
            Lang::Zh => format!(
                "已在 {} 生成 {} 个部门（注入 {injected} 个错误，见 {}）\n",
                args.out.display(),
                params.departments,
                manifest_path.display()
            ),
            Lang::En => format!(
                "generated {} departments in {} ({injected} errors injected, see {})\n",
                params.departments,
                args.out.display(),
                manifest_path.display()
            ),
        });
    }
    Ok(exit::code(exit::OK))
}

/// `juesuan rollup DIR -o OUT --name 某区`.
pub fn rollup(args: &RollupArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    use juesuan_batch::rollup::Rollup;
    let (setup, mut protect) = setup(
        Some(&args.catalog),
        args.layout.as_deref(),
        Some(&args.narrative),
    )?;
    let list = inputs(&args.dir, Some(&args.out))?;
    let bar = progress(list.len(), quiet, lang);
    let mut roll = Rollup::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut totals = Totals::default();
    runner::run(
        &list,
        args.jobs.unwrap_or_else(runner::default_jobs),
        |input| check_one(&setup, input),
        |input, result| {
            bar.inc(1);
            let result = result.unwrap_or_else(|panic| {
                Err(vec![
                    Diagnostic::error(
                        "E1108",
                        Location::File {
                            file: input.name.clone(),
                        },
                        Text::new("内部错误", "internal error"),
                    )
                    .found(panic),
                ])
            });
            match result {
                Ok(checked) => {
                    let d = DepartmentSummary::checked(&input.name, &checked);
                    totals.add(&d, Some(&checked.findings));
                    if let Some(line) = d.line(lang).filter(|_| !quiet || d.errors > 0) {
                        bar.suspend(|| emit(&format!("{line}\n")));
                    }
                    if let Err(p) = roll.add(&input.name, &checked.built) {
                        problems.extend(p);
                    }
                }
                Err(diags) => {
                    totals.add(&DepartmentSummary::invalid(&input.name, &diags, lang), None);
                    problems.extend(diags);
                }
            }
        },
    );
    bar.finish_and_clear();
    if !problems.is_empty() {
        return Err(Failure::invalid(problems));
    }
    if totals.with_errors > 0 && !args.allow_errors {
        if !quiet {
            emit(&totals.text(lang, &setup.rules));
        }
        eprintln!(
            "{}",
            match lang {
                Lang::Zh =>
                    "有部门的检查发现错误，未汇总；改正后重试，或用 --allow-errors 强制汇总。",
                Lang::En =>
                    "some departments have errors: nothing rolled up; fix them, or roll up anyway with --allow-errors.",
            }
        );
        return Ok(exit::code(exit::FINDINGS));
    }
    let (checked, flows) = roll
        .check(&setup, args.name.clone(), args.code.clone())
        .map_err(Failure::invalid)?;
    let stem = args.name.clone();
    let formats = &args.format;
    let published = juesuan_publish::publish(
        &setup,
        &checked,
        &juesuan_publish::Request {
            input: &args.dir.display().to_string(),
            stem: &stem,
            formats,
            allow_errors: args.allow_errors,
            lang,
        },
        &tools::render_pdf,
    )
    .map_err(Failure::invalid)?;
    let mut files_out = published.files;
    if !published.refused {
        files_out.push((
            format!("{stem}.toml"),
            juesuan_batch::input_file::write(
                &checked.built.facts,
                &setup.catalog,
                juesuan_batch::input_file::InputFormat::Toml,
            )
            .into_bytes(),
        ));
    }
    protect.extend(list.iter().map(|i| i.path.clone()));
    let written = output::write_all(&args.out, &files_out, &protect)
        .map_err(|e| Failure::invalid(vec![files::io_error(&args.out, e)]))?;
    if !quiet {
        let eliminated: juesuan_core::Money = flows.iter().map(|f| f.amount).sum();
        emit(&match lang {
            Lang::Zh => format!(
                "汇总 {} 个部门；部门间往来抵消 {} 笔，共 {} 元\n",
                roll_count(&totals),
                flows.len(),
                eliminated
                    .display_in(juesuan_core::money::AmountUnit::Yuan)
                    .grouped()
            ),
            Lang::En => format!(
                "rolled up {} departments; {} flows between departments eliminated, {} yuan in all\n",
                roll_count(&totals),
                flows.len(),
                eliminated
                    .display_in(juesuan_core::money::AmountUnit::Yuan)
                    .grouped()
            ),
        });
        if !checked.findings.is_empty() || published.refused {
            let text = juesuan_render::findings::text(&checked.findings, checked.summary(), lang);
            eprint!("{text}");
        }
        for p in &written {
            emit(&match lang {
                Lang::Zh => format!("已写出 {}\n", p.display()),
                Lang::En => format!("wrote {}\n", p.display()),
            });
        }
    }
    Ok(exit::code(
        if published.refused || (checked.has_errors() || totals.with_errors > 0) {
            exit::FINDINGS
        } else {
            exit::OK
        },
    ))
}

fn roll_count(t: &Totals) -> usize {
    t.departments
}

/// `juesuan export`.
pub fn export(args: &ExportArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    use juesuan_batch::export::{OpenDataWriter, fact_rows, view_rows};
    let (setup, _) = setup(Some(&args.catalog), None, None)?;
    let (list, name) = match (&args.input, &args.batch) {
        (Some(file), _) => {
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
        (None, Some(dir)) => (
            inputs(dir, Some(&args.out))?,
            dir.file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "juesuan".into()),
        ),
        (None, None) => unreachable!("clap requires one"),
    };
    let mut writer =
        OpenDataWriter::create(&args.out, &[]).map_err(|d| Failure::invalid(vec![d]))?;
    let bar = progress(list.len(), quiet || list.len() == 1, lang);
    let mut totals = Totals::default();
    let mut failure: Option<Diagnostic> = None;
    let mut exported = 0;
    runner::run(
        &list,
        args.jobs.unwrap_or_else(runner::default_jobs),
        |input| {
            check_one(&setup, input).map(|c| {
                let d = DepartmentSummary::checked(&input.name, &c);
                let rows = (!c.has_errors() || args.allow_errors).then(|| {
                    (
                        c.built.facts.department.year,
                        fact_rows(&c.built.facts, &setup.catalog),
                        view_rows(&c.built.views, c.built.facts.department.code.as_deref()),
                    )
                });
                (d, c.findings, rows)
            })
        },
        |input, result| {
            bar.inc(1);
            let result = result.unwrap_or_else(|panic| {
                Err(vec![
                    Diagnostic::error(
                        "E1108",
                        Location::File {
                            file: input.name.clone(),
                        },
                        Text::new("内部错误", "internal error"),
                    )
                    .found(panic),
                ])
            });
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
            if let Some(line) = d
                .line(lang)
                .filter(|_| !quiet || d.status != juesuan_batch::summary::Status::Ok)
            {
                bar.suspend(|| emit(&format!("{line}\n")));
            }
        },
    );
    bar.finish_and_clear();
    if let Some(d) = failure {
        return Err(Failure::invalid(vec![d]));
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
    let written = writer
        .finish(&slug, &title)
        .map_err(|d| Failure::invalid(vec![d]))?;
    if !quiet {
        emit(&match lang {
            Lang::Zh => format!("导出 {exported} 个部门\n"),
            Lang::En => format!("exported {exported} departments\n"),
        });
        for p in &written {
            emit(&match lang {
                Lang::Zh => format!("已写出 {}\n", p.display()),
                Lang::En => format!("wrote {}\n", p.display()),
            });
        }
        if list.len() > 1 {
            emit(&totals.text(lang, &setup.rules));
        }
    }
    Ok(exit::code(totals.exit_code()))
}
