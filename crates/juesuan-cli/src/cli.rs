//! Command-line definitions and the commands themselves (thin: all work is in the libraries).

use crate::exit;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use juesuan_core::catalog::Classification;
use juesuan_core::{Diagnostic, Lang, Location, Text};
use juesuan_input::Source;
use juesuan_input::compile::LayoutChoice;
use juesuan_publish::format::{FORMATS, Format};
use juesuan_publish::{NarrativeChoice, Setup, SetupOptions, files, output, tools};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const AFTER_HELP: &str = "\
Exit codes / 退出码:
  0  success / 成功
  1  checks found errors in the figures (check) / 检查发现数字错误
  2  invalid input, catalog, layout or command line, a file could not be read or written, or
     the PDF could not be rendered; nothing was written
     输入、目录、版式或命令行有误，文件无法读写，或无法生成 PDF；未写出任何文件

Examples / 示例:
  juesuan build examples/hongshan-kjj-2023.toml -o out
  juesuan build examples/hongshan-kjj-2023.toml -o out --format xlsx,html,json   # no Chromium
  juesuan --lang en build examples/three-units-2024.toml -o out --format html,json
  juesuan schema --markdown > docs/input-format.md
  juesuan catalog --catalog official-2024.csv --no-builtin-catalog --check
  juesuan gen --departments 200 --error-rate 0.05 -o district
  juesuan check --batch district && juesuan build --batch district -o out --format xlsx,html,json
  juesuan rollup district -o out --name 示例区
  juesuan export --batch district -o open";

/// juesuan（决算）: compile a department's final accounts into the nine public tables, and
/// prove every figure agrees with every other.
///
/// 从部门及其单位的会计事实生成部门决算公开表（公开01–09表），输出 XLSX、HTML 与 JSON。
#[derive(Parser, Debug)]
#[command(name = "juesuan", version, about, long_about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Language of messages and outputs: zh (default) or en. Also read from JUESUAN_LANG.
    /// 消息与输出的语言。
    #[arg(long, global = true, value_enum, default_value_t = LangArg::Auto, env = "JUESUAN_LANG")]
    pub lang: LangArg,

    /// Print nothing but errors. 只输出错误。
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// `--lang` values.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    /// Chinese unless LANG says English.
    Auto,
    /// 中文.
    Zh,
    /// English.
    En,
}

impl LangArg {
    /// The language to use.
    pub fn resolve(self) -> Lang {
        match self {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
            LangArg::Auto => Lang::Zh,
        }
    }
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the nine public tables from a department-year file and write XLSX, HTML, PDF and
    /// JSON. 由部门决算事实文件生成公开01–09表。
    #[command(after_help = "\
Examples / 示例:
  juesuan build examples/hongshan-kjj-2023.toml -o out
      writes out/hongshan-kjj-2023.xlsx, .html, .pdf and .views.json
  juesuan build dept.toml -o out --format xlsx,html,json     # no PDF: no Chromium needed
  juesuan build dept.toml -o out --format pdf --layout my-layout.toml
  JUESUAN_CHROMIUM=/opt/chrome/chrome juesuan build dept.json -o out --catalog official-2024.csv
  juesuan build --batch district -o out --format xlsx,html,json --jobs 2
      every .toml/.json/.xlsx of district/ (subfolders too), in parallel: out/<name>/<name>.*,
      out/summary.json; exit 2 if an input was invalid, else 1 if a department has errors
      批量：每个部门输出到 out/<名称>/；有无效输入退出码 2，有错误退出码 1

The PDF is the HTML page printed by headless Chromium (found as JUESUAN_CHROMIUM, else chromium,
chromium-browser, google-chrome, google-chrome-stable or microsoft-edge on PATH) and needs a
Chinese font: apt-get install chromium fonts-noto-cjk. Without them, leave pdf out of --format.
PDF 由无头 Chromium 打印 HTML 页面生成，需要中文字体；未安装时请在 --format 中去掉 pdf。

Every rule of the catalog runs first: an error stops the build (exit 1) unless --allow-errors;
the findings are always written beside the outputs as <name>.findings.json.
Outputs are written atomically: all files or none. Inputs are never modified.
先运行全部检查规则：发现错误时不发布（退出码 1），除非给出 --allow-errors；检查结果写在输出旁。
输出原子写入：要么全部写出，要么一个也不写；输入文件不会被修改。")]
    Build(BuildArgs),
    /// Check a department-year file: read it, build its tables and run every rule; write
    /// nothing. 检查事实文件：构建九张表并运行全部检查规则，不写出文件。
    #[command(after_help = "\
Examples / 示例:
  juesuan check examples/hongshan-kjj-2023.toml
  juesuan --lang en check dept.toml --format json > findings.json
  juesuan check --batch district --summary summary.json     # a whole folder, in parallel
  juesuan -q check --batch district --format json > summary.json

Exit codes / 退出码: 0 no error (warnings may remain) / 无错误; 1 errors found / 发现错误;
2 the input could not be read / 输入无法读取. With --batch: 2 if any input was invalid, else 1
if any department has errors, else 0. 批量：有无效输入为 2，否则有错误为 1，否则为 0。")]
    Check(CheckArgs),
    /// Audit a report a department has already published: read its tables back from its PDF or
    /// text and run every rule on them, rounding-aware, failing closed where a figure cannot be
    /// read with certainty. 审查已发布的部门决算报告。
    #[command(after_help = "\
Examples / 示例:
  juesuan audit fixtures/reports/pdf/02_shanghai-putuo-ghzyj-2024.pdf
  juesuan audit fixtures/reports/02_shanghai-putuo-ghzyj-2024.txt
  juesuan audit published.xlsx
  juesuan --lang en audit report.pdf --format json > findings.json

The input is a PDF, a workbook (XLSX/XLS) or text (UTF-8, UTF-16 with BOM, or GB18030/GBK). A
PDF is read through the positions of its words (pdftotext -bbox-layout, from poppler-utils:
E0905 without it) and a workbook through its cells' columns, so each figure goes into the
column it is printed under; in the JSON, lines are those of the text as rebuilt, one
`=== 第N页 ===` line before each page (sheet). Rows whose figures cannot be placed with
certainty are reported as U001/U002 (info) and left out of the checks.
输入为 PDF（需 poppler-utils 的 pdftotext，按文字位置确定各数所在的栏）、工作簿（按单元格所在列）
或从 PDF 提取的文本；无法确定的行报告为 U001/U002（提示），不参与检查。

Exit codes / 退出码: 0 no error (warnings may remain) / 无错误; 1 errors found / 发现错误;
2 the file could not be read or holds no table / 文件无法读取或找不到表.")]
    Audit(AuditArgs),
    /// List the rule catalog, print one rule, or the reference page.
    /// 列出检查规则目录、显示某条规则或生成规则参考文档。
    #[command(
        after_help = "Examples:\n  juesuan rules\n  juesuan rules T101\n  juesuan rules --markdown > docs/rules.md"
    )]
    Rules(RulesArgs),
    /// Write the input template workbook that finance officers fill in, empty or filled from
    /// an existing input. 生成供财务人员填写的 Excel 模板（可用已有事实文件预填）。
    #[command(after_help = "\
Examples / 示例:
  juesuan init --xlsx 填报模板.xlsx
  juesuan init --xlsx dept-2024.xlsx --from dept-2023.toml     # last year's figures as a start
  juesuan init --xlsx example.xlsx --from examples/hongshan-kjj-2023.toml
  juesuan build dept-2024.xlsx -o out                          # once it is filled in

The workbook has an instructions sheet (说明), one sheet per part of the input (the same parts as
the TOML format), dropdowns of catalog codes, units, fund sources and kinds, number checks, frozen
headers, live subtotals and a 核对 sheet of cross-sheet totals. build and check read it directly;
errors name the sheet and cell.
模板含填写说明、与 TOML 格式对应的各工作表、下拉列表、数值校验、冻结表头、实时小计与核对表；
build 与 check 可直接读取，错误定位到工作表与单元格。")]
    Init(crate::init::InitArgs),
    /// Print the input format: JSON Schema, or the Markdown reference.
    /// 输出事实文件格式（JSON Schema 或 Markdown 说明）。
    #[command(
        after_help = "Examples:\n  juesuan schema > department-year.schema.json\n  juesuan schema --markdown"
    )]
    Schema(SchemaArgs),
    /// List the built-in table layouts. 列出内置公开表式。
    Layouts,
    /// Generate synthetic department-year files (valid, realistic, deterministic for a seed),
    /// optionally with injected errors recorded in a manifest. 生成合成的部门决算事实文件。
    #[command(after_help = crate::batch::GEN_HELP)]
    Gen(crate::batch::GenArgs),
    /// Roll up (汇总) every department of a folder into one set of tables for the district,
    /// internal flows between departments eliminated where both sides mark them.
    /// 将目录中的全部部门汇总为一套表。
    #[command(after_help = crate::batch::ROLLUP_HELP)]
    Rollup(crate::batch::RollupArgs),
    /// Export facts and tables as open data: CSV, a Fiscal Data Package descriptor
    /// (datapackage.json) and Parquet. 导出开放数据（CSV、Fiscal Data Package、Parquet）。
    #[command(after_help = crate::batch::EXPORT_HELP)]
    Export(crate::batch::ExportArgs),
    /// Check and list the classification catalog (built-in and/or files).
    /// 检查并列出政府收支分类科目目录。
    #[command(
        after_help = "Examples:\n  juesuan catalog --check\n  juesuan catalog --catalog official.csv --no-builtin-catalog --check\n  juesuan catalog --kind economic"
    )]
    Catalog(CatalogArgs),
    /// The web application: departments upload and submit, the finance bureau reviews and
    /// approves, the public reads (SQLite in --data, or PostgreSQL with --database-url).
    /// 启动网页应用（部门填报、财政审核、公众查阅）。
    #[command(
        after_help = "Examples:\n  juesuan serve --demo                      # the example, demo users printed\n  juesuan serve --data /var/lib/juesuan --addr 0.0.0.0:8080\n  juesuan serve --database-url postgres://juesuan@db/juesuan"
    )]
    Serve(crate::serve::ServeArgs),
    /// Manage the web application's users. 管理网页应用的用户。
    #[command(
        after_help = "Examples:\n  juesuan user add admin\n  JUESUAN_PASSWORD=... juesuan user add li --role editor --department 武汉市洪山区科学技术和经济信息化局\n  juesuan user add wang --role reviewer --region 武汉市洪山区"
    )]
    User(crate::serve::UserArgs),
}

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

/// `build` arguments.
#[derive(Args, Debug)]
pub struct BuildArgs {
    /// The department-year file: .toml, .json, or a workbook (.xlsx/.xls) made by `juesuan init
    /// --xlsx` and filled in. 部门决算事实文件（TOML、JSON 或填好的 Excel 模板）。
    #[arg(required_unless_present = "batch")]
    pub input: Option<PathBuf>,
    /// Build every department-year file of a folder (.toml, .json, .xlsx, recursively), in
    /// parallel; each department's outputs go to OUT/<name>/. 批量生成目录中的全部部门。
    #[arg(long, value_name = "DIR", conflicts_with = "input")]
    pub batch: Option<PathBuf>,
    /// Worker threads for --batch (default: the cores available). 并行线程数。
    #[arg(long, value_name = "N", requires = "batch")]
    pub jobs: Option<usize>,
    /// Output folder (created if missing). 输出目录。
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Layout: a built-in id (see `juesuan layouts`) or a layout file; default: the one the
    /// input names, else hubei-wuhan-2023. 公开表式。
    #[arg(long, value_name = "ID|FILE")]
    pub layout: Option<String>,
    /// Narrative template of the report: a built-in id (see `juesuan layouts`) or a template
    /// file; default: the one the layout names. 情况说明模板。
    #[arg(long, value_name = "ID|FILE")]
    pub narrative: Option<String>,
    /// Which outputs to write (pdf needs Chromium and a Chinese font). 输出格式。
    #[arg(long, value_delimiter = ',', value_parser = format_parser(), default_values_t = Format::all())]
    pub format: Vec<Format>,
    /// Write the outputs even when an error-severity rule fails.
    /// 即使检查发现错误也写出结果。
    #[arg(long)]
    pub allow_errors: bool,
    /// Catalog options.
    #[command(flatten)]
    pub catalog: CatalogOpts,
}

/// `check` arguments.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The department-year file: .toml, .json, or a workbook (.xlsx/.xls) made by `juesuan init
    /// --xlsx` and filled in. 部门决算事实文件（TOML、JSON 或填好的 Excel 模板）。
    #[arg(required_unless_present = "batch")]
    pub input: Option<PathBuf>,
    /// Check every department-year file of a folder (.toml, .json, .xlsx, recursively), in
    /// parallel. 批量检查目录中的全部部门。
    #[arg(long, value_name = "DIR", conflicts_with = "input")]
    pub batch: Option<PathBuf>,
    /// Worker threads for --batch (default: the cores available). 并行线程数。
    #[arg(long, value_name = "N", requires = "batch")]
    pub jobs: Option<usize>,
    /// With --batch: also write the batch summary (juesuan.batch/1 JSON) to FILE.
    /// 同时写出批量检查汇总。
    #[arg(long, value_name = "FILE", requires = "batch")]
    pub summary: Option<PathBuf>,
    /// Layout: a built-in id or a layout file (as for `build`). 公开表式。
    #[arg(long, value_name = "ID|FILE")]
    pub layout: Option<String>,
    /// Output: text for people, json for programs (schema in docs/rules.md).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Catalog options.
    #[command(flatten)]
    pub catalog: CatalogOpts,
}

/// `audit` arguments.
#[derive(Args, Debug)]
pub struct AuditArgs {
    /// The published report: its PDF (read through the positions of its words with poppler's
    /// pdftotext), or its text. 已发布报告的 PDF 或文本。
    pub input: PathBuf,
    /// Output: text for people, json for programs (the same schema as `check`).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// How findings are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Grouped, coloured text.
    Text,
    /// JSON.
    Json,
}

/// `rules` arguments.
#[derive(Args, Debug)]
pub struct RulesArgs {
    /// A rule id (e.g. T101): print its documentation.
    pub id: Option<String>,
    /// Print the reference page (docs/rules.md).
    #[arg(long)]
    pub markdown: bool,
}

/// `schema` arguments.
#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// Print the Markdown reference instead of the JSON Schema.
    #[arg(long)]
    pub markdown: bool,
}

/// `catalog` arguments.
#[derive(Args, Debug)]
pub struct CatalogArgs {
    /// Catalog options.
    #[command(flatten)]
    pub catalog: CatalogOpts,
    /// Only check the catalog; print a summary instead of the codes.
    #[arg(long)]
    pub check: bool,
    /// Which classification to list.
    #[arg(long, value_enum, default_value_t = KindArg::Function)]
    pub kind: KindArg,
}

/// Classifications for `catalog --kind`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum KindArg {
    /// 支出功能分类.
    Function,
    /// 部门预算支出经济分类.
    Economic,
    /// 政府预算支出经济分类.
    EconomicGov,
}

/// `--format`'s values, help texts and parser, from the format registry.
pub fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(
        FORMATS
            .iter()
            .map(|s| PossibleValue::new(s.id).help(s.help)),
    )
    .map(|id| Format::from_id(&id).expect("a value of the registry"))
}

/// Why a command failed: diagnostics, what that means for outputs, and the exit code.
pub struct Failure {
    /// The problems.
    pub diagnostics: Vec<Diagnostic>,
    /// What happened as a result ("nothing was written").
    pub consequence: Text,
    /// Exit code.
    pub exit: ExitCode,
}

impl Failure {
    /// Invalid input, usage or IO (exit 2): nothing was written.
    pub(crate) fn invalid(diagnostics: Vec<Diagnostic>) -> Failure {
        Failure {
            diagnostics,
            consequence: Text::new("未写出任何文件。", "nothing was written."),
            exit: exit::code(exit::INVALID),
        }
    }
}

/// Writes to stdout; a closed pipe (`juesuan rules | head`) ends the program quietly.
pub(crate) fn emit(text: &str) {
    use std::io::Write;
    let mut out = anstream::stdout();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush())
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(i32::from(exit::OK));
    }
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> Diagnostic {
    files::io_error(path, e)
}

/// The run's setup from the command line — the built-in catalog unless refused and the
/// `--catalog` files, the layout and the narrative template (each a built-in id or a file) —
/// and the files read, which no output may overwrite.
pub(crate) fn setup(
    catalog: Option<&CatalogOpts>,
    layout: Option<&str>,
    narrative: Option<&str>,
) -> Result<(Setup, Vec<PathBuf>), Failure> {
    let invalid = |d: Diagnostic| Failure::invalid(vec![d]);
    let mut options = SetupOptions::default();
    let mut protect = Vec::new();
    if let Some(c) = catalog {
        options.builtin_catalog = !c.no_builtin_catalog;
        options.catalog_files = c
            .files
            .iter()
            .map(|p| files::read_source(p))
            .collect::<Result<_, _>>()
            .map_err(invalid)?;
        protect.extend(c.files.iter().cloned());
    }
    options.layout = match layout {
        None => LayoutChoice::FromInput,
        Some(l) if Path::new(l).exists() => {
            protect.push(PathBuf::from(l));
            LayoutChoice::File(files::read_source(Path::new(l)).map_err(invalid)?)
        }
        Some(id) => LayoutChoice::Builtin(id.to_string()),
    };
    options.narrative = match narrative {
        None => NarrativeChoice::FromLayout,
        Some(n) if Path::new(n).is_file() => {
            protect.push(PathBuf::from(n));
            let source = files::read_source(Path::new(n)).map_err(invalid)?;
            NarrativeChoice::File {
                name: n.to_string(),
                text: source.text.to_string(),
            }
        }
        Some(id) => NarrativeChoice::Builtin(id.to_string()),
    };
    let setup = Setup::new(options).map_err(Failure::invalid)?;
    Ok((setup, protect))
}

/// Inputs read and built, ready to check: shared by `build` and `check`.
struct Checked {
    setup: Setup,
    checked: juesuan_publish::Checked,
    protect: Vec<PathBuf>,
}

/// Reads the input, builds its tables and runs every rule.
fn build_and_check(
    input_path: &Path,
    layout: Option<&str>,
    narrative: Option<&str>,
    catalog_opts: &CatalogOpts,
) -> Result<Checked, Failure> {
    let (setup, mut protect) = setup(Some(catalog_opts), layout, narrative)?;
    let input = files::read_bounded(input_path, Source::MAX_BYTES)
        .map_err(|d| Failure::invalid(vec![d]))?;
    protect.push(input_path.to_path_buf());
    let checked = juesuan_publish::check_bytes(&setup, &input_path.display().to_string(), &input)
        .map_err(Failure::invalid)?;
    Ok(Checked {
        setup,
        checked,
        protect,
    })
}

/// Prints findings for people on stderr (colours only on a terminal).
fn print_findings(checked: &juesuan_publish::Checked, lang: Lang) {
    use std::io::Write;
    let text = juesuan_render::findings::text(&checked.findings, checked.summary(), lang);
    let mut err = anstream::stderr();
    let _ = err.write_all(text.as_bytes());
}

/// `juesuan check`.
pub fn check(args: &CheckArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let Some(input) = &args.input else {
        return crate::batch::check(args, lang, quiet);
    };
    let Checked { checked, .. } =
        build_and_check(input, args.layout.as_deref(), None, &args.catalog)?;
    match args.format {
        ReportFormat::Json => {
            emit(&String::from_utf8_lossy(
                &checked.findings_json(&input.display().to_string()),
            ));
        }
        ReportFormat::Text => {
            if !quiet || checked.has_errors() {
                emit(&juesuan_render::findings::text(
                    &checked.findings,
                    checked.summary(),
                    lang,
                ));
            }
        }
    }
    Ok(exit::code(if checked.has_errors() {
        exit::FINDINGS
    } else {
        exit::OK
    }))
}

/// `juesuan audit`.
pub fn audit(args: &AuditArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let audited = juesuan_publish::audited::audit_file(&args.input).map_err(Failure::invalid)?;
    match args.format {
        ReportFormat::Json => emit(&String::from_utf8_lossy(
            &audited.findings_json(&args.input.display().to_string()),
        )),
        ReportFormat::Text => {
            if !quiet || audited.has_errors() {
                emit(&audited.text(lang));
            }
        }
    }
    Ok(exit::code(if audited.has_errors() {
        exit::FINDINGS
    } else {
        exit::OK
    }))
}

/// `juesuan rules`.
pub fn rules(args: &RulesArgs, lang: Lang) -> Result<ExitCode, Failure> {
    let (Setup { rules, .. }, _) = setup(None, None, None)?;
    if args.markdown {
        emit(&juesuan_render::findings::reference(&rules));
    } else if let Some(id) = &args.id {
        match rules.get(id) {
            Some(rule) => emit(&juesuan_render::findings::rule_doc(rule, lang)),
            None => {
                return Err(Failure::invalid(vec![
                    Diagnostic::error(
                        "E0703",
                        Location::Nowhere,
                        Text::new(format!("没有规则 {id}"), format!("no rule {id}")),
                    )
                    .expected(Text::new(
                        "juesuan rules 列出的规则编号",
                        "an id listed by juesuan rules",
                    ))
                    .found(id.clone()),
                ]));
            }
        }
    } else {
        for r in &rules.rules {
            let d = &r.def;
            let sev = match lang {
                Lang::Zh => d.severity.zh(),
                Lang::En => d.severity.en(),
            };
            let scope = match lang {
                Lang::Zh => d.scope.zh(),
                Lang::En => d.scope.en(),
            };
            emit(&format!(
                "{}\t{sev}\t{scope}\t{}\n",
                d.id,
                d.title.get(lang)
            ));
        }
    }
    Ok(exit::code(exit::OK))
}

/// `juesuan build`.
pub fn build(args: &BuildArgs, lang: Lang, quiet: bool) -> Result<ExitCode, Failure> {
    let Some(input) = &args.input else {
        return crate::batch::build(args, lang, quiet);
    };
    let Checked {
        setup,
        checked,
        protect,
    } = build_and_check(
        input,
        args.layout.as_deref(),
        args.narrative.as_deref(),
        &args.catalog,
    )?;
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "juesuan".into());
    let published = juesuan_publish::publish(
        &setup,
        &checked,
        &juesuan_publish::Request {
            input: &input.display().to_string(),
            stem: &stem,
            formats: &args.format,
            allow_errors: args.allow_errors,
            lang,
        },
        &tools::render_pdf,
    )
    .map_err(Failure::invalid)?;
    if !checked.findings.is_empty() && !quiet || published.refused {
        print_findings(&checked, lang);
    }
    let written = output::write_all(&args.out, &published.files, &protect)
        .map_err(|e| Failure::invalid(vec![io_error(&args.out, e)]))?;
    if !quiet {
        for p in &written {
            match lang {
                Lang::Zh => emit(&format!("已写出 {}\n", p.display())),
                Lang::En => emit(&format!("wrote {}\n", p.display())),
            }
        }
    }
    if published.refused {
        if !quiet {
            eprintln!(
                "{}",
                match lang {
                    Lang::Zh =>
                        "检查发现错误，未发布；改正后重新生成，或用 --allow-errors 强制写出。",
                    Lang::En =>
                        "errors found: nothing published; fix them, or write anyway with --allow-errors.",
                }
            );
        }
        return Ok(exit::code(exit::FINDINGS));
    }
    Ok(exit::code(exit::OK))
}

/// `juesuan schema`.
pub fn schema(args: &SchemaArgs) -> Result<ExitCode, Failure> {
    if args.markdown {
        emit(&juesuan_input::schema::markdown());
    } else {
        emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&juesuan_input::schema::json_schema()).expect("schema")
        ));
    }
    Ok(exit::code(exit::OK))
}

/// `juesuan layouts`.
pub fn layouts(lang: Lang) -> Result<ExitCode, Failure> {
    for (id, file, _) in juesuan_input::builtin::LAYOUTS {
        match juesuan_input::builtin::layout(id) {
            Some(Ok(l)) => emit(&format!(
                "{id}\t{}\t({file}; {} {})\n",
                l.name.get(lang),
                match lang {
                    Lang::Zh => "情况说明",
                    Lang::En => "narrative",
                },
                l.narrative.as_deref().unwrap_or("tables-only")
            )),
            Some(Err(p)) => return Err(Failure::invalid(p)),
            None => {}
        }
    }
    for (id, file, _) in juesuan_input::builtin::NARRATIVES {
        emit(&match lang {
            Lang::Zh => format!("{id}\t情况说明模板\t({file})\n"),
            Lang::En => format!("{id}\tnarrative template\t({file})\n"),
        });
    }
    Ok(exit::code(exit::OK))
}

/// `juesuan catalog`.
pub fn catalog(args: &CatalogArgs, lang: Lang) -> Result<ExitCode, Failure> {
    let (Setup { catalog, .. }, _) = setup(Some(&args.catalog), None, None)?;
    let kinds = [
        Classification::Function,
        Classification::Economic,
        Classification::EconomicGov,
    ];
    if args.check {
        for k in kinds {
            let (name, n) = (
                match lang {
                    Lang::Zh => k.zh(),
                    Lang::En => k.en(),
                },
                catalog.len(k),
            );
            match lang {
                Lang::Zh => emit(&format!("{name}：{n} 个代码，结构无误\n")),
                Lang::En => emit(&format!("{name}: {n} codes, structure sound\n")),
            }
        }
        return Ok(exit::code(exit::OK));
    }
    let kind = match args.kind {
        KindArg::Function => Classification::Function,
        KindArg::Economic => Classification::Economic,
        KindArg::EconomicGov => Classification::EconomicGov,
    };
    for e in catalog.entries(kind) {
        emit(&format!("{}\t{}\t{}\n", e.code, e.level.zh(), e.name));
    }
    Ok(exit::code(exit::OK))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn format_arg<'a>(cmd: &'a clap::Command, sub: &str) -> &'a clap::Arg {
        cmd.find_subcommand(sub)
            .and_then(|c| c.get_arguments().find(|a| a.get_id() == "format"))
            .expect("--format")
    }

    #[test]
    fn the_registry_drives_format_values_help_and_defaults() {
        let cmd = Cli::command();
        let registry: Vec<(String, String)> = FORMATS
            .iter()
            .map(|s| (s.id.to_string(), s.help.to_string()))
            .collect();
        for sub in ["build", "rollup"] {
            let values: Vec<(String, String)> = format_arg(&cmd, sub)
                .get_possible_values()
                .iter()
                .map(|v| {
                    let help = v.get_help().map(ToString::to_string).unwrap_or_default();
                    (v.get_name().to_string(), help)
                })
                .collect();
            assert_eq!(values, registry, "{sub}");
        }
        let defaults = |sub| -> Vec<String> {
            format_arg(&cmd, sub)
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(defaults("build"), ["xlsx", "html", "pdf", "json"]);
        assert_eq!(defaults("rollup"), ["xlsx", "html", "json"]);
        let Command::Build(args) =
            Cli::try_parse_from(["juesuan", "build", "d.toml", "--format", "json,xlsx"])
                .unwrap()
                .command
        else {
            panic!("build")
        };
        assert_eq!(args.format, [Format::Json, Format::Xlsx]);
        assert!(Cli::try_parse_from(["juesuan", "build", "d.toml", "--format", "csv"]).is_err());
    }
}
