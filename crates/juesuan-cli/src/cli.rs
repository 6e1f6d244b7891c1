//! The command line's definitions (clap): every command, its arguments and its help. No
//! command runs here; `main` hands the parsed arguments to [`crate::commands`],
//! [`crate::batch`], [`crate::init`] and [`crate::serve`].

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use juesuan_core::Lang;
use juesuan_publish::format::{FORMATS, Format};
use std::path::PathBuf;

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
  juesuan audit report.html                # a published page; also report.docx, report.doc
  juesuan audit page.html tables.xls       # a page whose tables are an attachment
  juesuan --lang en audit report.pdf --format json > findings.json
  juesuan audit report.pdf --format html > audit.html   # findings with their figures boxed on the pages

The input is a PDF, a workbook (XLSX/XLS), an HTML page, a Word document (.docx; .doc is
converted with LibreOffice: E0909 without it) or text (UTF-8, UTF-16 with BOM, or
GB18030/GBK), told by its content, not its name. A PDF is read through the positions of its
words (pdftotext -bbox-layout, from poppler-utils: E0905 without it), a workbook, a page's
<table>s and a document's tables through their cells' columns, so each figure goes into the
column it is printed under; the rest of a page or document is the narrative. Several files are
one report published in parts: the attachments' tables are read where the narrative (第三部分)
of the file that has it begins. In the JSON, lines are those of the text as rebuilt, one
`=== 第N页 ===` line before each page (sheet) of a PDF or workbook. Rows whose figures cannot
be placed with certainty are reported as U001/U002 (info) and left out of the checks.
输入为 PDF（需 poppler-utils 的 pdftotext，按文字位置确定各数所在的栏）、工作簿、网页、Word 文档
（按单元格所在列；.doc 需 LibreOffice 转换）或从 PDF 提取的文本，按内容识别；多个文件视为一份报告
（如网页正文加 .xls 附件表）；无法确定的行报告为 U001/U002（提示），不参与检查。

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
    Init(InitArgs),
    /// Print the input format: JSON Schema, or the Markdown reference.
    /// 输出事实文件格式（JSON Schema 或 Markdown 说明）。
    #[command(
        after_help = "Examples:\n  juesuan schema > department-year.schema.json\n  juesuan schema --markdown"
    )]
    Schema(SchemaArgs),
    /// List the document kinds, their table layouts and narrative templates (built in, and
    /// from --assets folders). 列出文书类型、公开表式与情况说明模板。
    Layouts(LayoutsArgs),
    /// Onboard a region: draft its layout from a report it publishes (`layout infer`), and
    /// explain what is wrong with a layout file (`layout check`).
    /// 起草（由已发布报告推断）或检查公开表式文件。
    Layout(LayoutArgs),
    /// Generate synthetic department-year files (valid, realistic, deterministic for a seed),
    /// optionally with injected errors recorded in a manifest. 生成合成的部门决算事实文件。
    #[command(after_help = GEN_HELP)]
    Gen(GenArgs),
    /// Roll up (汇总) every department of a folder into one set of tables for the district,
    /// internal flows between departments eliminated where both sides mark them.
    /// 将目录中的全部部门汇总为一套表。
    #[command(after_help = ROLLUP_HELP)]
    Rollup(RollupArgs),
    /// Export facts and tables as open data: CSV, a Fiscal Data Package descriptor
    /// (datapackage.json) and Parquet. 导出开放数据（CSV、Fiscal Data Package、Parquet）。
    #[command(after_help = EXPORT_HELP)]
    Export(ExportArgs),
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
    Serve(ServeArgs),
    /// Manage the web application's users. 管理网页应用的用户。
    #[command(
        after_help = "Examples:\n  juesuan user add admin\n  JUESUAN_PASSWORD=... juesuan user add li --role editor --department 武汉市洪山区科学技术和经济信息化局\n  juesuan user add wang --role reviewer --region 武汉市洪山区"
    )]
    User(UserArgs),
}

/// Data options shared by commands: assets folders and the classification catalog.
#[derive(Args, Debug)]
pub struct DataOpts {
    /// An assets folder laid over the built-in data: a document kind's bundle (with its own
    /// kind.toml), or files added to the 部门决算 one — layouts/*.toml, narrative/*.j2,
    /// rules.toml, figures.toml, lexicon.toml, catalog/*.csv (docs/extending.md). Repeatable.
    /// 资源目录（版式、情况说明模板、规则、数字目录、词库）。
    #[arg(long = "assets", value_name = "DIR")]
    pub assets: Vec<PathBuf>,
    /// A catalog CSV (columns code,name; optional level,parent,classification,description).
    /// Repeatable; later files add codes and override names. 额外的分类目录文件。
    #[arg(long = "catalog", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Do not load the built-in (partial) catalog: use only --catalog files.
    /// 不载入内置（不完整）目录。
    #[arg(long)]
    pub no_builtin_catalog: bool,
    /// Codes must be in the catalog loaded: refuse the input's own codes (E0211, E0212)
    /// instead of accepting a well-formed code under a known 类 with the name the input gives
    /// it (reported by rule C104). 代码须在载入的目录中。
    #[arg(long)]
    pub strict_catalog: bool,
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
    /// Also build, from the same input, the document of this layout (repeatable): a 部门预算
    /// beside the 部门决算 from one ledger of budget and actual facts. Its files are named
    /// <stem>.<layout id>.*. 同时按此表式生成另一份文件（如同一账套的部门预算）。
    #[arg(long, value_name = "ID|FILE")]
    pub with_layout: Vec<String>,
    /// Which outputs to write (pdf needs Chromium and a Chinese font). 输出格式。
    #[arg(long, value_delimiter = ',', value_parser = format_parser(), default_values_t = Format::all())]
    pub format: Vec<Format>,
    /// Write the outputs even when an error-severity rule fails.
    /// 即使检查发现错误也写出结果。
    #[arg(long)]
    pub allow_errors: bool,
    /// Catalog options.
    #[command(flatten)]
    pub data: DataOpts,
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
    pub data: DataOpts,
}

/// `audit` arguments.
#[derive(Args, Debug)]
pub struct AuditArgs {
    /// The published report: its PDF (read through the positions of its words with poppler's
    /// pdftotext), workbook, HTML page, Word document or text; several files are one report in
    /// parts (a page and its attachments) — or, when they are documents of several years or
    /// kinds (决算2024 决算2023, or a folder of them), each is audited and they are reconciled
    /// (R rules, docs/audit.md). 已发布报告的文件；多个文件视为一份报告的各部分；若为同一部门
    /// 不同年度或类型的文件（或一个文件夹），逐份审查后跨文件核对。
    #[arg(required_unless_present = "batch", num_args = 1.., value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Audit every report of a folder (.pdf, .txt, .xls, .xlsx, .html, .docx, .doc,
    /// recursively), in parallel, into a findings dataset and a summary in OUT: findings and
    /// documents as CSV and Parquet, datapackage.json, index.html, documents/<file>.html.
    /// 批量审查目录中的全部报告，写出审查结果数据集与汇总页。
    #[arg(long, value_name = "DIR", conflicts_with = "inputs")]
    pub batch: Option<PathBuf>,
    /// Worker threads for --batch (default: the cores available). 并行线程数。
    #[arg(long, value_name = "N", requires = "batch")]
    pub jobs: Option<usize>,
    /// Output folder of --batch (created if missing). 批量审查的输出目录。
    #[arg(
        short,
        long,
        value_name = "DIR",
        default_value = "audit",
        requires = "batch"
    )]
    pub out: PathBuf,
    /// Output: text for people, json for programs (the same schema as `check`), html: one
    /// self-contained page for people, a PDF's figures boxed on the images of its pages
    /// (pdftoppm, from poppler-utils). 输出格式；html 为可打印的单页审查报告，PDF 的相关数字在页面图像上框出。
    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    pub format: AuditFormat,
    /// Read the report with this layout only (a built-in id or a layout file), instead of the
    /// layout of those known whose table titles the report uses. 只按此表式读取。
    #[arg(long, value_name = "ID|FILE")]
    pub layout: Option<String>,
    /// Data options.
    #[command(flatten)]
    pub data: DataOpts,
}

/// How findings are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Grouped, coloured text.
    Text,
    /// JSON.
    Json,
}

/// How an audit is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// Grouped, coloured text.
    Text,
    /// JSON.
    Json,
    /// One self-contained HTML page (with page images for a PDF).
    Html,
}

/// `rules` arguments.
#[derive(Args, Debug)]
pub struct RulesArgs {
    /// A rule id (e.g. T101): print its documentation.
    pub id: Option<String>,
    /// Print the reference page (docs/rules.md).
    #[arg(long)]
    pub markdown: bool,
    /// The document kind whose rules to list (default: final-accounts, 部门决算).
    /// 文书类型。
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Data options.
    #[command(flatten)]
    pub data: DataOpts,
}

/// `layouts` arguments.
#[derive(Args, Debug)]
pub struct LayoutsArgs {
    /// Data options.
    #[command(flatten)]
    pub data: DataOpts,
}

/// `layout` arguments.
#[derive(Args, Debug)]
pub struct LayoutArgs {
    #[command(subcommand)]
    pub(crate) command: LayoutCommand,
}

/// `juesuan layout` subcommands.
#[derive(Subcommand, Debug)]
pub enum LayoutCommand {
    /// Draft a region's layout from a report it publishes: tables, titles, numbers, notes,
    /// headers and column keys, fixed lines, codes and panels, the amount unit, how zeros print.
    /// The draft says in comments where it read each table and what to review.
    /// 由已发布的报告起草表式，注释中写明每张表读自何处、哪些须核对。
    #[command(after_help = "\
Examples / 示例:
  juesuan layout infer fixtures/reports/pdf/01_shanghai-putuo-czj-2024.pdf -o my-region.toml
  juesuan layout infer report.txt --id my-region-2024 -o layouts/my-region-2024.toml
  juesuan layout check my-region.toml
  juesuan audit report.pdf --layout my-region.toml

The report is read as `juesuan audit` reads it (PDF, workbook, HTML page, Word document or text).
Tables are found by the titles of the kind and of the known layouts; columns by the kind's column
names and aliases (kind.toml) and the lexicon's synonyms; fixed lines by the lines known layouts
define. Review the draft (\"待核 / review\" comments), then check it and audit the report with it.
报告的读法同 juesuan audit；表按文书类型与已知表式的标题查找，列按 kind.toml 的列名与别名识别。

Exit codes / 退出码: 0 the draft was written / 已写出草稿; 2 the report could not be read, holds
no table of the kind (E0512), or the file could not be written / 报告无法读取、找不到表或无法写出。")]
    Infer(LayoutInferArgs),
    /// Explain what is wrong with a layout file: every problem located (file:line:col), with
    /// what was expected and found. 检查表式文件，逐条定位（文件:行:列）并说明应为与实际。
    #[command(after_help = "\
Examples / 示例:
  juesuan layout check data/kinds/final-accounts/layouts/shanghai-putuo-2024.toml
  juesuan --lang en layout check my-region.toml --assets my-assets

Exit codes / 退出码: 0 the layout is sound (warnings may be printed) / 表式无误（可能有警告）;
2 the layout has errors, or the file could not be read / 表式有错误或文件无法读取.")]
    Check(LayoutCheckArgs),
}

/// `layout infer` arguments.
#[derive(Args, Debug)]
pub struct LayoutInferArgs {
    /// The published report: PDF, workbook, HTML page, Word document or text; several files are
    /// one report in parts. 已发布的报告；多个文件视为一份报告的各部分。
    #[arg(required = true, num_args = 1.., value_name = "REPORT")]
    pub(crate) inputs: Vec<PathBuf>,
    /// Where to write the draft (default: standard output). 草稿写到何处（默认标准输出）。
    #[arg(short, long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    /// The draft's id (default: the output file's name, else `draft`). 表式 id。
    #[arg(long)]
    pub(crate) id: Option<String>,
    /// The document kind the report is of (default: final-accounts, 部门决算). 文书类型。
    #[arg(long, value_name = "KIND")]
    pub(crate) kind: Option<String>,
    /// Data options.
    #[command(flatten)]
    pub(crate) data: DataOpts,
}

/// `layout check` arguments.
#[derive(Args, Debug)]
pub struct LayoutCheckArgs {
    /// The layout file. 表式文件。
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,
    /// Data options: the kinds, templates and catalogs the layout is checked against.
    #[command(flatten)]
    pub(crate) data: DataOpts,
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
    pub data: DataOpts,
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
    #[arg(long, value_delimiter = ',', value_parser = format_parser(), default_values_t = Format::without_external())]
    pub format: Vec<Format>,
    /// Roll up and publish even when a department or the district fails an error rule.
    /// 即使检查发现错误也汇总并写出。
    #[arg(long)]
    pub allow_errors: bool,
    /// Worker threads (default: the cores available). 并行线程数。
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Catalog options.
    #[command(flatten)]
    pub data: DataOpts,
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
    pub data: DataOpts,
}

/// `init` arguments.
#[derive(Args, Debug)]
pub struct InitArgs {
    /// Write the template workbook to FILE (.xlsx). 写出 Excel 填报模板。
    #[arg(long, value_name = "FILE")]
    pub xlsx: PathBuf,
    /// Fill the template from an existing input (last year's file, or an example): .toml,
    /// .json or a workbook. 用已有事实文件预填模板。
    #[arg(long, value_name = "INPUT")]
    pub from: Option<PathBuf>,
    /// Catalog options: the codes the dropdowns offer.
    #[command(flatten)]
    pub data: DataOpts,
}

/// Where the data is kept.
#[derive(Args, Debug, Clone)]
pub struct StorageArgs {
    /// Data folder for the embedded SQLite database (created when absent). 数据目录（SQLite）。
    #[arg(long, default_value = "juesuan-data")]
    pub data: PathBuf,
    /// PostgreSQL instead of SQLite: postgres://user@host:port/db. 使用 PostgreSQL。
    #[arg(long, env = "JUESUAN_DATABASE_URL")]
    pub database_url: Option<String>,
}

/// `juesuan serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub(crate) storage: StorageArgs,
    /// Address to listen on. 监听地址。
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(crate) addr: String,
    /// Seed a demo on first start: the example's department and region, an administrator, an
    /// editor and a reviewer (passwords printed), and the example uploaded and published.
    /// 首次启动时写入演示数据（打印账号密码）。
    #[arg(long)]
    pub(crate) demo: bool,
    /// Mark every cookie Secure: the server is reached over HTTPS only.
    /// Cookie 一律加 Secure（仅经 HTTPS 访问时使用）。
    #[arg(long)]
    pub(crate) secure_cookies: bool,
    /// A reverse proxy whose X-Forwarded-For (the visitor's address, for the login lock) and
    /// X-Forwarded-Proto (https: Secure cookies) are believed. Repeatable.
    /// 受信任的反向代理地址（采用其 X-Forwarded-For 与 X-Forwarded-Proto）。
    #[arg(long = "trusted-proxy", value_name = "IP")]
    pub(crate) trusted_proxies: Vec<std::net::IpAddr>,
    /// Data options.
    #[command(flatten)]
    pub(crate) data: DataOpts,
}

/// `juesuan user …`.
#[derive(Args, Debug)]
pub struct UserArgs {
    #[command(subcommand)]
    pub(crate) command: UserCommand,
}

/// `juesuan user` subcommands.
#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user (an administrator by default); the password is read from
    /// JUESUAN_PASSWORD, else generated and printed. 创建用户。
    Add(UserAddArgs),
}

/// `juesuan user add` arguments.
#[derive(Args, Debug)]
pub struct UserAddArgs {
    /// Login name. 用户名。
    pub(crate) username: String,
    /// admin, editor (needs --department) or reviewer (needs --region). 角色。
    #[arg(long, default_value = "admin")]
    pub(crate) role: String,
    /// The editor's department (created when absent, in --region). 部门名称。
    #[arg(long)]
    pub(crate) department: Option<String>,
    /// The reviewer's region, or the new department's (default: the department name's
    /// 区/县/市 prefix). 地区。
    #[arg(long)]
    pub(crate) region: Option<String>,
    /// Shown name (default: the login name). 显示名。
    #[arg(long)]
    pub(crate) name: Option<String>,
    #[command(flatten)]
    pub(crate) storage: StorageArgs,
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
        assert_eq!(defaults("build"), ["xlsx", "html", "pdf", "docx", "json"]);
        assert_eq!(defaults("rollup"), ["xlsx", "html", "docx", "json"]);
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
