//! The input template workbook that finance officers fill in (`juesuan init --xlsx`), laid out
//! by [`juesuan_input::workbook::Book`] — the same layout the reader follows — and optionally
//! filled from an existing input (last year's file, or the example).
//!
//! - 说明: how to fill it in, and what each sheet holds;
//! - one sheet per part of the input: a title, a header row (required columns marked `*`, each
//!   header with a note explaining it), on records sheets a live 合计 row (`SUBTOTAL`) above
//!   the data, then the data; dropdowns for codes, units, fund sources and kinds, numbers ≥ 0
//!   where required; the header rows frozen;
//! - 核对: live totals across the sheets and the balances that must come to 0;
//! - 目录 (hidden): the lists the dropdowns offer (catalog codes with their names).
//!
//! Amounts are written as numbers from exact decimals; the same bytes for the same input.

use juesuan_core::Lang;
use juesuan_core::catalog::{Catalog, Classification, Level};
use juesuan_core::facts::ExpKind;
use juesuan_input::node::{Node, Value};
use juesuan_input::schema::{FieldType, MAX_COUNT, MAX_SCORE};
use juesuan_input::workbook::book::{
    AUXILIARY, Book, Column, FIELDS_FIRST_ROW, HEADER_ROW, Kind, RECORDS_FIRST_ROW, Scalar,
    SheetSpec, TOTALS_LABEL, TOTALS_ROW,
};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    ColNum, Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Note, RowNum, Workbook, Worksheet,
    XlsxError,
};
use std::collections::HashMap;

/// Rows of a records sheet that carry dropdowns and number checks (beyond those pre-filled).
pub const DATA_ROWS: u32 = 2000;

/// What to write.
pub struct Options<'a> {
    /// The catalog the dropdowns list.
    pub catalog: &'a Catalog,
    /// An input's tree to fill the sheets with (`--from`).
    pub from: Option<&'a Node>,
    /// Language of sheet names, headers and instructions.
    pub lang: Lang,
}

fn pick(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// `'name'!` for formulas.
fn sheet_ref(name: &str) -> String {
    format!("'{}'!", name.replace('\'', "''"))
}

/// Column `key` of the records sheet at `path`: the sheet's index, the column's, and the range
/// of its data cells in formulas (`'收入'!$F$4:$F$2003`).
fn data_range(
    book: &Book,
    names: &[String],
    path: &str,
    key: &str,
) -> Option<(usize, usize, String)> {
    let (i, spec) = book.at_path(path)?;
    let c = spec.columns.iter().position(|c| c.key == key)?;
    let col = letters(ColNum::try_from(c).ok()?);
    let range = format!(
        "{}${col}${}:${col}${}",
        sheet_ref(&names[i]),
        RECORDS_FIRST_ROW,
        RECORDS_FIRST_ROW + DATA_ROWS - 1
    );
    Some((i, c, range))
}

/// Column letters (`A`, `AB`) of 0-based column `c`.
fn letters(c: ColNum) -> String {
    let name = juesuan_input::workbook::read::cell_name(0, u32::from(c));
    name.trim_end_matches(char::is_numeric).to_string()
}

struct Styles {
    title: Format,
    header: Format,
    required: Format,
    key: Format,
    help: Format,
    text: Format,
    amount: Format,
    number: Format,
    total: Format,
    total_amount: Format,
    body: Format,
}

impl Styles {
    fn new() -> Styles {
        let border = |f: Format| f.set_border(FormatBorder::Thin);
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            header: border(
                Format::new()
                    .set_bold()
                    .set_background_color(Color::RGB(0xDDEBF7))
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_text_wrap(),
            ),
            required: border(
                Format::new()
                    .set_bold()
                    .set_background_color(Color::RGB(0xFCE4D6))
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_text_wrap(),
            ),
            key: Format::new().set_font_color(Color::RGB(0x808080)),
            help: Format::new()
                .set_font_color(Color::RGB(0x595959))
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            amount: Format::new().set_num_format("#,##0.00####"),
            number: Format::new().set_num_format("0"),
            total: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xF2F2F2)),
            total_amount: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xF2F2F2))
                .set_num_format("#,##0.00"),
            body: Format::new().set_align(FormatAlign::Top),
        }
    }
}

/// The template workbook's bytes.
pub fn template(options: &Options) -> Result<Vec<u8>, XlsxError> {
    let lang = options.lang;
    let book = Book::new();
    let styles = Styles::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(pick(
                lang,
                "部门决算填报模板",
                "Departmental final accounts: input template",
            ))
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let names: Vec<String> = book
        .sheets
        .iter()
        .map(|s| s.name.get(lang).to_string())
        .collect();
    instructions(&mut wb, &book, &styles, lang)?;
    let lists = Lists::new(options.catalog, &book, lang);
    // Where the dropdown of unit ids reads from: the 单位 sheet's id column.
    let unit_ids =
        data_range(&book, &names, "units", "id").map(|(_, _, range)| format!("={range}"));
    let refs = Refs {
        lists: &lists,
        unit_ids: unit_ids.as_deref(),
        lang,
    };
    let filled = options
        .from
        .map(|root| fill(root, &book, options.catalog))
        .unwrap_or_default();
    for (i, spec) in book.sheets.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(&names[i])?;
        let rows = filled.get(&i).map(Vec::as_slice).unwrap_or_default();
        match spec.kind {
            Kind::Records => records_sheet(ws, spec, &styles, &refs, rows)?,
            Kind::Fields => fields_sheet(ws, spec, &styles, &refs, rows)?,
        }
    }
    checks(&mut wb, &book, &names, &filled, &styles, lang)?;
    lists.write(&mut wb, lang)?;
    wb.save_to_buffer()
}

/// The first sheet: how to fill the workbook in.
fn instructions(wb: &mut Workbook, book: &Book, s: &Styles, lang: Lang) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(pick(lang, AUXILIARY[0].0, AUXILIARY[0].1))?;
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 90)?;
    ws.write_with_format(
        0,
        0,
        pick(
            lang,
            "部门决算填报模板：填写说明",
            "Departmental final accounts: how to fill in this workbook",
        ),
        &s.title,
    )?;
    let zh: &[&str] = &[
        "1. 本工作簿每张工作表对应部门决算事实文件的一部分（与 TOML 格式一一对应，见 docs/input-format.md）。填写后运行 `juesuan check 本文件.xlsx` 检查，`juesuan build 本文件.xlsx -o 输出目录` 生成公开报告。",
        "2. 金额的单位由「部门」工作表的“金额单位”决定（元：最多 2 位小数；万元：最多 6 位小数），全簿统一。金额填数字，不得为负；不要填“万元”等文字。",
        "3. 列表工作表：第 1 行为标题，第 2 行为表头（带 * 的为必填列，表头批注说明含义），第 3 行“合计”为实时小计（随填写更新），从第 4 行起每行一条记录。空行会被跳过。",
        "4. 项目工作表（如「部门」「上年决算」）：每行一个项目，在 C 列（值）填写；“段落”类项目（如部门职责）每段占一行，续行时 A、B 两列留空。",
        "5. 科目代码可从下拉列表选择（“代码 名称”），也可只填代码或只填名称；名称须与分类目录一致，否则报错并给出最接近的科目。单位列从「单位」工作表的简称中选择；留空表示部门级（已汇总）数据。",
        "6. 带“序号”的工作表（如「项目绩效」），其下级工作表（如「项目绩效指标」）用“所属序号”指明每行属于哪一条。",
        "7. 不要合并单元格，不要在表头以外的空白列填写内容，不要改动工作表名称与表头（可调整列的顺序）。公式可以使用，但须在 Excel、WPS 或 LibreOffice 中保存后再导入。",
        "8. 「核对」工作表实时显示各表合计与应为 0 的差额，便于填写时自查；最终以 juesuan check 的结果为准。",
    ];
    let en: &[&str] = &[
        "1. Each sheet of this workbook is one part of the department-year input (the same as the TOML format, see docs/input-format.md). When filled in, run `juesuan check this.xlsx` to check it and `juesuan build this.xlsx -o OUT` to publish the report.",
        "2. Every amount is in the unit set on sheet “Department” (元: up to 2 decimals; 万元: up to 6). Amounts are numbers, never negative, without unit words.",
        "3. List sheets: row 1 is the title, row 2 the header (columns marked * are required; each header's note explains it), row 3 “Total” the live subtotals, and from row 4 one record per row. Empty rows are skipped.",
        "4. Field sheets (such as “Department” or “Prior year”): one row per field, the value in column C; lists of paragraphs (such as the duties) take one row per paragraph, with columns A and B empty on the rows that continue.",
        "5. Codes can be picked from the dropdowns (“code name”), or typed as the code alone or the name alone; a name must be the catalog's, otherwise the nearest codes are suggested. The unit column picks an id of sheet “Units”; leave it empty for department-level (already consolidated) figures.",
        "6. On sheets with a “No.” column (such as “Projects”), the rows of the sheet below (such as “Project indicators”) name the row they belong to in “Parent No.”.",
        "7. Do not merge cells, do not write outside the headed columns, and keep sheet names and headers (the order of columns may change). Formulas are fine once the workbook is saved in Excel, WPS or LibreOffice.",
        "8. Sheet “Checks” shows live totals and the differences that must be 0, to check while typing; juesuan check has the last word.",
    ];
    let lines = if lang == Lang::Zh { zh } else { en };
    let mut r: RowNum = 2;
    for l in lines {
        ws.merge_range(r, 0, r, 2, l, &s.text)?;
        ws.set_row_height(r, 48)?;
        r += 1;
    }
    r += 1;
    for (c, h) in [
        pick(lang, "工作表", "Sheet"),
        pick(lang, "类型", "Kind"),
        pick(lang, "内容", "What it holds"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_with_format(r, c as ColNum, h, &s.header)?;
    }
    for spec in &book.sheets {
        r += 1;
        ws.write(r, 0, spec.name.get(lang))?;
        let kind = match (spec.kind, lang) {
            (Kind::Records, Lang::Zh) => "列表",
            (Kind::Records, Lang::En) => "list",
            (Kind::Fields, Lang::Zh) => "项目",
            (Kind::Fields, Lang::En) => "fields",
        };
        ws.write(r, 1, kind)?;
        let required = if spec.required {
            pick(lang, "（必填）", " (required)")
        } else {
            String::new()
        };
        ws.write_with_format(r, 2, format!("{}{required}", spec.about.get(lang)), &s.text)?;
    }
    ws.set_active(true);
    print_setup(ws, false, 0)?;
    Ok(())
}

/// The lists the dropdowns offer, on the hidden 目录 sheet.
struct Lists {
    /// (title, values) per column.
    columns: Vec<(String, Vec<String>)>,
}

impl Lists {
    fn new(catalog: &Catalog, book: &Book, lang: Lang) -> Lists {
        let codes = |class: Classification, level: Level| -> Vec<String> {
            catalog
                .entries(class)
                .filter(|e| e.level == level)
                .map(|e| format!("{} {}", e.code, e.name))
                .collect()
        };
        let mut columns = vec![
            (
                pick(lang, "功能分类项", "function items"),
                codes(Classification::Function, Level::Xiang),
            ),
            (
                pick(lang, "经济分类款", "economic sections"),
                codes(Classification::Economic, Level::Kuan),
            ),
            (
                pick(lang, "功能分类类", "function classes"),
                codes(Classification::Function, Level::Lei),
            ),
        ];
        for spec in &book.sheets {
            for c in &spec.columns {
                if let FieldType::Choice(values) = c.ty() {
                    let values: Vec<String> = values.iter().map(|v| (*v).to_string()).collect();
                    if !columns.iter().any(|(_, v)| *v == values) {
                        columns.push((c.label.get(lang).to_string(), values));
                    }
                }
            }
        }
        Lists { columns }
    }

    /// The formula of the list of `values`' column.
    fn formula(&self, values: &[String], lang: Lang) -> Option<String> {
        let c = self.columns.iter().position(|(_, v)| v == values)?;
        let (_, v) = &self.columns[c];
        let col = letters(ColNum::try_from(c).ok()?);
        Some(format!(
            "={}${col}$2:${col}${}",
            sheet_ref(&pick(lang, AUXILIARY[2].0, AUXILIARY[2].1)),
            v.len().max(1) + 1
        ))
    }

    fn codes(&self, class: Classification) -> &[String] {
        let i = match class {
            Classification::Function => 0,
            _ => 1,
        };
        &self.columns[i].1
    }

    fn write(&self, wb: &mut Workbook, lang: Lang) -> Result<(), XlsxError> {
        let ws = wb.add_worksheet();
        ws.set_name(pick(lang, AUXILIARY[2].0, AUXILIARY[2].1))?;
        for (c, (title, values)) in self.columns.iter().enumerate() {
            let c = ColNum::try_from(c).unwrap_or(ColNum::MAX);
            ws.write(0, c, title)?;
            ws.set_column_width(c, 36)?;
            for (r, v) in values.iter().enumerate() {
                ws.write(RowNum::try_from(r + 1).unwrap_or(RowNum::MAX), c, v)?;
            }
        }
        ws.set_hidden(true);
        Ok(())
    }
}

struct Refs<'a> {
    lists: &'a Lists,
    unit_ids: Option<&'a str>,
    lang: Lang,
}

/// At most `n` UTF-16 units of `s` (Excel's limits on validation texts).
fn clip(s: &str, n: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        used += ch.len_utf16();
        if used > n {
            break;
        }
        out.push(ch);
    }
    out
}

/// The dropdown or number check of a column, if it has one.
fn validation(column: &Column, refs: &Refs) -> Result<Option<DataValidation>, XlsxError> {
    let lang = refs.lang;
    let zero = || Formula::new("0");
    // A dropdown of the list at `formula`, when there is one; `warn`: other values pass too.
    let list = |formula: Option<String>, warn: bool, zh: &str, en: &str| {
        let Some(f) = formula else {
            return Ok(None);
        };
        let v = DataValidation::new().allow_list_formula(Formula::new(f));
        let v = if warn {
            v.set_error_style(DataValidationErrorStyle::Information)
        } else {
            v
        };
        v.set_error_message(pick(lang, zh, en)).map(Some)
    };
    let v = match column.ty() {
        FieldType::Amount => Some(
            DataValidation::new()
                .allow_decimal_number_formula(DataValidationRule::GreaterThanOrEqualTo(zero()))
                .set_error_message(pick(
                    lang,
                    "金额须为大于或等于 0 的数。",
                    "An amount is a number of 0 or more.",
                ))?,
        ),
        FieldType::Score => Some(
            DataValidation::new()
                .allow_decimal_number_formula(DataValidationRule::Between(
                    zero(),
                    Formula::new(MAX_SCORE.to_string()),
                ))
                .set_error_message(pick(
                    lang,
                    "分值须为 0 以上的数，最多 2 位小数。",
                    "A score is a number of 0 or more, with at most 2 decimals.",
                ))?,
        ),
        FieldType::Count => Some(
            DataValidation::new()
                .allow_whole_number_formula(DataValidationRule::Between(
                    zero(),
                    Formula::new(MAX_COUNT.to_string()),
                ))
                .set_error_message(pick(
                    lang,
                    "须为 0 以上的整数。",
                    "A whole number of 0 or more.",
                ))?,
        ),
        FieldType::Year => Some(
            DataValidation::new()
                .allow_whole_number_formula(DataValidationRule::Between(
                    Formula::new("1990"),
                    Formula::new("2100"),
                ))
                .set_error_message(pick(
                    lang,
                    "年度须为 1990–2100 之间的整数。",
                    "A year from 1990 to 2100.",
                ))?,
        ),
        FieldType::Choice(values) => {
            let values: Vec<String> = values.iter().map(|v| (*v).to_string()).collect();
            list(
                refs.lists.formula(&values, lang),
                false,
                "请从下拉列表中选择。",
                "Pick a value from the list.",
            )?
        }
        FieldType::FunctionCode | FieldType::EconomicCode => {
            let class = code_class(column.ty());
            // A code alone or a name alone is fine too: warn, do not stop.
            list(
                refs.lists.formula(refs.lists.codes(class), lang),
                true,
                "不在分类目录列表中：可只填代码或名称，检查时与目录核对；目录中没有的代码请写“代码 名称”，或在「科目名称」表中写明。",
                "Not in the catalog's list: a code or a name alone is checked against the catalog; for a code the catalog lacks, write “code name” or name it on sheet “Code names”.",
            )?
        }
        FieldType::UnitRef => list(
            refs.unit_ids.map(str::to_string),
            false,
            "请填写「单位」工作表中的单位简称。",
            "Use an id from sheet “Units”.",
        )?,
        _ if column.scalar == Scalar::ClassCode => list(
            refs.lists.formula(&refs.lists.columns[2].1, lang),
            true,
            "功能分类类级代码（3 位）。",
            "A function class code (3 digits).",
        )?,
        _ => None,
    };
    let Some(v) = v else {
        return Ok(None);
    };
    let v = v
        .set_input_title(clip(column.label.get(lang), 32))?
        .set_input_message(clip(column.help.get(lang), 250))?;
    Ok(Some(v))
}

/// The classification of a column of function or economic codes.
fn code_class(ty: FieldType) -> Classification {
    if ty == FieldType::FunctionCode {
        Classification::Function
    } else {
        Classification::Economic
    }
}

fn width(column: &Column) -> u16 {
    match column.ty() {
        FieldType::FunctionCode | FieldType::EconomicCode => 34,
        FieldType::Choice(_) => 24,
        FieldType::Amount | FieldType::Score => 16,
        FieldType::Count | FieldType::Year => 10,
        FieldType::Texts => 60,
        FieldType::Text if column.scalar == Scalar::ClassText => 60,
        FieldType::Text if column.scalar == Scalar::CodeName => 36,
        FieldType::Text if column.scalar == Scalar::Code => 14,
        FieldType::Text => 24,
        _ => 16,
    }
}

fn header_label(column: &Column, lang: Lang) -> String {
    if column.required {
        format!("{}*", column.label.get(lang))
    } else {
        column.label.get(lang).to_string()
    }
}

fn note(column: &Column, lang: Lang) -> Note {
    Note::new(column.help.get(lang))
        .set_author("juesuan")
        .set_width(300)
        .set_height(90)
}

/// A cell to write: what, and how.
#[derive(Clone, Debug)]
enum Cell {
    Text(String),
    Number(Decimal),
    Bool(bool),
}

fn write_cell(
    ws: &mut Worksheet,
    r: RowNum,
    c: ColNum,
    cell: &Cell,
    column: &Column,
    s: &Styles,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(t) if column.ty() == FieldType::Texts || column.scalar == Scalar::ClassText => {
            ws.write_with_format(r, c, t, &s.text)?
        }
        Cell::Text(t) => ws.write_with_format(r, c, t, &s.body)?,
        Cell::Number(d) => match column.ty() {
            FieldType::Amount | FieldType::Score => ws.write_with_format(r, c, *d, &s.amount)?,
            _ => ws.write_with_format(r, c, *d, &s.number)?,
        },
        Cell::Bool(b) => ws.write(r, c, *b)?,
    };
    Ok(())
}

/// A sheet's title: its name and what it holds, without saying the name twice.
fn title(spec: &SheetSpec, lang: Lang) -> String {
    let (name, about) = (spec.name.get(lang), spec.about.get(lang));
    let sep = if lang == Lang::Zh { "：" } else { ": " };
    if about.starts_with(name) {
        about.to_string()
    } else {
        format!("{name}{sep}{about}")
    }
}

fn records_sheet(
    ws: &mut Worksheet,
    spec: &SheetSpec,
    s: &Styles,
    refs: &Refs,
    rows: &[Vec<Option<Cell>>],
) -> Result<(), XlsxError> {
    let lang = refs.lang;
    let title = if spec.columns.iter().any(|c| c.ty() == FieldType::Amount) {
        pick(
            lang,
            &format!("{}（金额单位见「部门」工作表）", title(spec, Lang::Zh)),
            &format!(
                "{} (amounts in the unit set on sheet “Department”)",
                title(spec, Lang::En)
            ),
        )
    } else {
        title(spec, lang)
    };
    ws.write_with_format(0, 0, title, &s.title)?;
    let header = HEADER_ROW - 1;
    let first = RECORDS_FIRST_ROW - 1;
    let last = first + DATA_ROWS.max(u32::try_from(rows.len()).unwrap_or(u32::MAX)) - 1;
    for (c, column) in spec.columns.iter().enumerate() {
        let c = ColNum::try_from(c).unwrap_or(ColNum::MAX);
        let fmt = if column.required {
            &s.required
        } else {
            &s.header
        };
        ws.write_with_format(header, c, header_label(column, lang), fmt)?;
        ws.insert_note(header, c, &note(column, lang))?;
        ws.set_column_width(c, width(column))?;
        if let Some(v) = validation(column, refs)? {
            ws.add_data_validation(first, c, last, c, &v)?;
        }
        // The live subtotal row.
        let totals = TOTALS_ROW - 1;
        if c == 0 {
            ws.write_with_format(
                totals,
                0,
                pick(lang, TOTALS_LABEL.0, TOTALS_LABEL.1),
                &s.total,
            )?;
        } else if column.ty() == FieldType::Amount {
            let col = letters(c);
            let sum = sum_if(rows, usize::from(c), &[]);
            ws.write_formula_with_format(
                totals,
                c,
                Formula::new(format!("=SUBTOTAL(9,{col}{}:{col}{})", first + 1, last + 1))
                    .set_result(result(sum)),
                &s.total_amount,
            )?;
        } else {
            ws.write_with_format(totals, c, "", &s.total)?;
        }
    }
    ws.set_row_height(header, 32)?;
    for (i, row) in rows.iter().enumerate() {
        let r = first + RowNum::try_from(i).unwrap_or(RowNum::MAX - first);
        for (c, (cell, column)) in row.iter().zip(&spec.columns).enumerate() {
            if let Some(cell) = cell {
                write_cell(
                    ws,
                    r,
                    ColNum::try_from(c).unwrap_or(ColNum::MAX),
                    cell,
                    column,
                    s,
                )?;
            }
        }
    }
    ws.set_freeze_panes(first, 0)?;
    print_setup(ws, true, header)?;
    Ok(())
}

/// A4, fitted to the page's width, the header repeated on every page.
fn print_setup(ws: &mut Worksheet, landscape: bool, header: RowNum) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_gridlines(true);
    ws.set_repeat_rows(header, header)?;
    Ok(())
}

fn fields_sheet(
    ws: &mut Worksheet,
    spec: &SheetSpec,
    s: &Styles,
    refs: &Refs,
    rows: &[Vec<Option<Cell>>],
) -> Result<(), XlsxError> {
    let lang = refs.lang;
    ws.write_with_format(0, 0, title(spec, lang), &s.title)?;
    let header = HEADER_ROW - 1;
    for (c, h) in [
        pick(lang, "项目", "Field"),
        pick(lang, "键", "Key"),
        pick(lang, "值", "Value"),
        pick(lang, "说明", "Help"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_with_format(header, c as ColNum, h, &s.header)?;
    }
    for (c, w) in [28u16, 26, 60, 60].iter().enumerate() {
        ws.set_column_width(c as ColNum, *w)?;
    }
    // `rows` holds one entry per column of the spec: the values (several for paragraphs).
    let mut r = FIELDS_FIRST_ROW - 1;
    for (i, column) in spec.columns.iter().enumerate() {
        let fmt = if column.required {
            &s.required
        } else {
            &s.body
        };
        ws.write_with_format(r, 0, header_label(column, lang), fmt)?;
        ws.write_with_format(r, 1, &column.key, &s.key)?;
        let mut help = column.help.get(lang).to_string();
        if column.ty() == FieldType::Texts {
            help.push_str(&pick(
                lang,
                "（每段一行，续行时 A、B 列留空）",
                " (one paragraph per row; leave A and B empty on the rows that continue)",
            ));
        }
        ws.write_with_format(r, 3, help, &s.help)?;
        if let Some(v) = validation(column, refs)? {
            ws.add_data_validation(r, 2, r, 2, &v)?;
        }
        let values: Vec<&Cell> = rows
            .first()
            .and_then(|row| row.get(i))
            .into_iter()
            .flatten()
            .collect();
        match values.first() {
            Some(Cell::Text(t)) if column.ty() == FieldType::Texts => {
                let paragraphs: Vec<&str> = t.split('\n').collect();
                for (k, p) in paragraphs.iter().enumerate() {
                    ws.write_with_format(r, 2, *p, &s.text)?;
                    if k + 1 < paragraphs.len() {
                        r += 1;
                    }
                }
            }
            Some(cell) => write_cell(ws, r, 2, cell, column, s)?,
            None => {}
        }
        // Room for more paragraphs below a list of them (rows with only a value continue it).
        if column.ty() == FieldType::Texts {
            r += if values.is_empty() { 4 } else { 1 };
        }
        r += 1;
    }
    ws.set_freeze_panes(HEADER_ROW, 0)?;
    print_setup(ws, true, header)?;
    Ok(())
}

/// The filled rows of each sheet.
type Filled = HashMap<usize, Vec<Row>>;

/// One row of a sheet: a cell per column.
type Row = Vec<Option<Cell>>;

/// `SUMIFS` over filled rows, exactly: the sum of column `sum` over the rows whose column of
/// each condition holds its text ("" for an empty cell). What a spreadsheet computes on
/// load; written as the formulas' cached results, so that a reader that does not recalculate
/// (LibreOffice by default) shows the right totals at once.
fn sum_if(rows: &[Vec<Option<Cell>>], sum: usize, conditions: &[(usize, &str)]) -> Decimal {
    rows.iter()
        .filter(|row| {
            conditions
                .iter()
                .all(|(c, want)| match row.get(*c).and_then(Option::as_ref) {
                    Some(Cell::Text(t)) => t == want,
                    None => want.is_empty(),
                    _ => false,
                })
        })
        .filter_map(|row| match row.get(sum).and_then(Option::as_ref) {
            Some(Cell::Number(d)) => Some(*d),
            _ => None,
        })
        .sum()
}

/// A formula's cached result as text.
fn result(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The 核对 sheet: totals across the sheets, live.
fn checks(
    wb: &mut Workbook,
    book: &Book,
    names: &[String],
    filled: &Filled,
    s: &Styles,
    lang: Lang,
) -> Result<(), XlsxError> {
    // Column `key` of the records sheet at `path`: its range in formulas, its index, its rows.
    let column = |path: &str, key: &str| -> Option<(String, usize, &[Row])> {
        let (i, c, range) = data_range(book, names, path, key)?;
        Some((
            range,
            c,
            filled.get(&i).map(Vec::as_slice).unwrap_or_default(),
        ))
    };
    let ws = wb.add_worksheet();
    ws.set_name(pick(lang, AUXILIARY[1].0, AUXILIARY[1].1))?;
    ws.set_column_width(0, 64)?;
    ws.set_column_width(1, 20)?;
    ws.write_with_format(
        0,
        0,
        pick(
            lang,
            "核对：各表合计与应为 0 的差额（随填写实时更新）",
            "Checks: totals across the sheets, and differences that must be 0 (live)",
        ),
        &s.title,
    )?;
    ws.write_with_format(1, 0, pick(lang, "项目", "Item"), &s.header)?;
    ws.write_with_format(1, 1, pick(lang, "金额", "Amount"), &s.header)?;
    let (
        Some(inc),
        Some(exp),
        Some(exp_fund),
        Some(exp_kind),
        Some(bal),
        Some(bal_kind),
        Some(eco),
        Some(eco_fund),
    ) = (
        column("income", "amount"),
        column("expenditure", "amount"),
        column("expenditure", "fund"),
        column("expenditure", "kind"),
        column("balances", "amount"),
        column("balances", "kind"),
        column("basic_economic", "amount"),
        column("basic_economic", "fund"),
    )
    else {
        return Ok(());
    };
    let balance = |kind: &str| {
        (
            format!("=SUMIFS({},{},\"{kind}\")", bal.0, bal_kind.0),
            sum_if(bal.2, bal.1, &[(bal_kind.1, kind)]),
        )
    };
    let general = "一般公共预算财政拨款";
    let mut rows: Vec<(String, (String, Decimal), bool)> = vec![
        (
            pick(lang, "本年收入合计", "total income"),
            (format!("=SUM({})", inc.0), sum_if(inc.2, inc.1, &[])),
            false,
        ),
        (
            pick(
                lang,
                "使用非财政拨款结余",
                "use of non-appropriation balances",
            ),
            balance("使用非财政拨款结余"),
            false,
        ),
        (
            pick(lang, "年初结转和结余", "balances at the start of the year"),
            balance("年初结转和结余"),
            false,
        ),
        (
            pick(lang, "本年支出合计", "total expenditure"),
            (format!("=SUM({})", exp.0), sum_if(exp.2, exp.1, &[])),
            false,
        ),
        (
            pick(lang, "结余分配", "distribution of surplus"),
            balance("结余分配"),
            false,
        ),
        (
            pick(lang, "年末结转和结余", "balances at the end of the year"),
            balance("年末结转和结余"),
            false,
        ),
    ];
    let v = |i: usize, rows: &[(String, (String, Decimal), bool)]| rows[i].1.1;
    let gap = v(0, &rows) + v(1, &rows) + v(2, &rows) - v(3, &rows) - v(4, &rows) - v(5, &rows);
    rows.push((
        pick(
            lang,
            "收支差额：收入 + 使用结余 + 年初 − 支出 − 结余分配 − 年末（应为 0）",
            "income + balances used + opening − expenditure − distribution − closing (must be 0)",
        ),
        ("=B3+B4+B5-B6-B7-B8".into(), gap),
        true,
    ));
    let by_function = sum_if(
        exp.2,
        exp.1,
        &[(exp_fund.1, general), (exp_kind.1, ExpKind::Basic.zh())],
    );
    let by_economic =
        sum_if(eco.2, eco.1, &[(eco_fund.1, general)]) + sum_if(eco.2, eco.1, &[(eco_fund.1, "")]);
    rows.push((
        pick(
            lang,
            "一般公共预算财政拨款基本支出（「支出」按功能分类）",
            "general budget basic expenditure (sheet “Expenditure”, by function)",
        ),
        (
            format!(
                "=SUMIFS({},{},\"{general}\",{},\"{}\")",
                exp.0,
                exp_fund.0,
                exp_kind.0,
                ExpKind::Basic.zh()
            ),
            by_function,
        ),
        false,
    ));
    rows.push((
        pick(
            lang,
            "一般公共预算财政拨款基本支出（「基本支出经济分类」）",
            "general budget basic expenditure (sheet “Basic by economic”)",
        ),
        (
            format!(
                "=SUMIFS({e},{f},\"{general}\")+SUMIFS({e},{f},\"\")",
                e = eco.0,
                f = eco_fund.0
            ),
            by_economic,
        ),
        false,
    ));
    rows.push((
        pick(
            lang,
            "差额：按功能分类 − 按经济分类（应为 0）",
            "by function − by economic section (must be 0)",
        ),
        ("=B10-B11".into(), by_function - by_economic),
        true,
    ));
    for (i, (label, (formula, value), must_be_zero)) in rows.iter().enumerate() {
        let r = RowNum::try_from(i + 2).unwrap_or(RowNum::MAX);
        let fmt = if *must_be_zero { &s.total } else { &s.body };
        ws.write_with_format(r, 0, label, fmt)?;
        let amount = if *must_be_zero {
            &s.total_amount
        } else {
            &s.amount
        };
        ws.write_formula_with_format(
            r,
            1,
            Formula::new(formula).set_result(result(*value)),
            amount,
        )?;
    }
    print_setup(ws, false, 1)?;
    Ok(())
}

/// The cells of each sheet filled from an input tree: per sheet, per row, one optional cell
/// per column (fields sheets: one row whose cells are the fields; paragraphs joined by line
/// breaks).
fn fill(root: &Node, book: &Book, catalog: &Catalog) -> Filled {
    let mut out: Filled = HashMap::new();
    for (i, spec) in book.sheets.iter().enumerate() {
        if spec.parent.is_some() {
            continue;
        }
        // The node(s) at the sheet's path.
        let Some(node) = below(root, spec.path.iter().copied()) else {
            continue;
        };
        match (&node.value, spec.kind) {
            // A table keyed by code (`class_uses`, `codes`): a row per key.
            (Value::Table(entries), Kind::Records)
                if spec.path.len() == 1 && juesuan_input::schema::keyed(spec.path[0]).is_some() =>
            {
                let rows = entries
                    .iter()
                    .map(|(k, v)| {
                        vec![Some(Cell::Text(k.name.clone())), text_of(v).map(Cell::Text)]
                    })
                    .collect();
                out.insert(i, rows);
            }
            (Value::Array(items), Kind::Records) => {
                rows_of(&mut out, book, i, items, None, catalog);
            }
            (Value::Table(_), Kind::Fields) => {
                let row = spec
                    .columns
                    .iter()
                    .map(|c| cell(node, c, catalog))
                    .collect();
                out.insert(i, vec![row]);
            }
            _ => {}
        }
    }
    out
}

/// Rows of sheet `i` from `items`, each child list going to its own sheet with the row's 序号.
fn rows_of(
    out: &mut Filled,
    book: &Book,
    i: usize,
    items: &[Node],
    parent: Option<u32>,
    catalog: &Catalog,
) {
    let spec = &book.sheets[i];
    for item in items {
        let number = out.get(&i).map_or(0, Vec::len) + 1;
        let number = u32::try_from(number).unwrap_or(u32::MAX);
        let row: Vec<Option<Cell>> = spec
            .columns
            .iter()
            .map(|c| match c.scalar {
                Scalar::Number => Some(Cell::Number(Decimal::from(number))),
                Scalar::Parent => parent.map(|p| Cell::Number(Decimal::from(p))),
                _ => cell(item, c, catalog),
            })
            .collect();
        out.entry(i).or_default().push(row);
        for (j, child) in book.sheets.iter().enumerate() {
            if child.parent != Some(i) {
                continue;
            }
            let key = child.path.last().copied().unwrap_or_default();
            if let Some(Node {
                value: Value::Array(kids),
                ..
            }) = item.get(key)
            {
                rows_of(out, book, j, kids, Some(number), catalog);
            }
        }
    }
}

fn text_of(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) | Value::Num(s) => Some(s.clone()),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(text_of)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A number as written (`1_000`, `"35,549.61"`) as an exact decimal, when it is one that a
/// spreadsheet keeps exactly (at most 15 significant digits).
fn decimal(raw: &str) -> Option<Decimal> {
    let d: Decimal = raw.replace(['_', ','], "").trim().parse().ok()?;
    let digits = d.normalize().mantissa().unsigned_abs().to_string().len();
    (digits <= 15).then_some(d)
}

/// The node at `path` below `node`, one key after another.
fn below<'a, 'k>(node: &'a Node, path: impl IntoIterator<Item = &'k str>) -> Option<&'a Node> {
    path.into_iter().try_fold(node, |n, key| n.get(key))
}

/// The cell of `column` in the record `node`.
fn cell(node: &Node, column: &Column, catalog: &Catalog) -> Option<Cell> {
    let v = below(node, column.key.split('.'))?;
    let ty = column.ty();
    match (&v.value, ty) {
        (
            Value::Num(n) | Value::Str(n),
            FieldType::Amount | FieldType::Score | FieldType::Count | FieldType::Year,
        ) => Some(decimal(n).map_or_else(|| Cell::Text(n.clone()), Cell::Number)),
        (Value::Str(s), FieldType::FunctionCode | FieldType::EconomicCode) => {
            // A code alone gets its catalog name, as the dropdown offers it.
            let class = code_class(ty);
            let code = s.trim();
            match catalog.get(class, code) {
                Some(e) if code.bytes().all(|b| b.is_ascii_digit()) => {
                    Some(Cell::Text(format!("{} {}", e.code, e.name)))
                }
                // Anything else stays as written, for the decoder to judge.
                _ => Some(Cell::Text(s.clone())),
            }
        }
        (Value::Bool(b), _) => Some(Cell::Bool(*b)),
        // An empty list of paragraphs is no value.
        _ => text_of(v).filter(|t| !t.is_empty()).map(Cell::Text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
    }

    #[test]
    fn only_exact_numbers_become_numbers() {
        assert_eq!(decimal("35,549.61"), Some(Decimal::new(3554961, 2)));
        assert_eq!(decimal("1_000"), Some(Decimal::from(1000)));
        assert!(
            decimal("1234567890123456.7").is_none(),
            "17 digits stay text"
        );
        assert!(decimal("abc").is_none());
    }

    #[test]
    fn a_sheet_name_with_a_quote_is_escaped() {
        assert_eq!(sheet_ref("a'b"), "'a''b'!");
    }
}
