//! XLSX of the nine tables: one print-ready sheet per table.
//!
//! Each sheet is laid out top to bottom as the published report prints the table:
//!
//! 1. the title, merged across the table, large and bold;
//! 2. the table number (公开01表), right-aligned;
//! 3. the meta line: department left, year centred, amount unit right;
//! 4. the header grid, with the merged cells of [`View::header`];
//! 5. the body of [`View::body_grid`]: amounts are numbers (`#,##0.00`), so they can be summed
//!    and checked in the spreadsheet, with the value the reader sees printed in the table;
//! 6. the note (注：…), then the sentence printed for an empty table.
//!
//! Amounts reach the file as [`rust_decimal::Decimal`] from [`Printed::to_decimal`]; this
//! module never converts money through binary floating point itself. The output is
//! deterministic: the same views give the same bytes (the creation date is fixed).
//!
//! [`Printed::to_decimal`]: juesuan_core::money::Printed::to_decimal

use juesuan_core::Lang;
use juesuan_core::layout::ColumnKind;
use juesuan_core::views::{Content, GridCell, View, Views};
use rust_xlsxwriter::{
    ColNum, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, IgnoreError, RowNum,
    Workbook, Worksheet,
};
use std::fmt;

/// Why a workbook could not be written.
#[derive(Debug)]
pub enum Error {
    /// Writing the sheet of one table failed (e.g. a table too large for a worksheet).
    Sheet {
        /// Name of the sheet being written.
        sheet: String,
        /// What the XLSX library reported.
        source: rust_xlsxwriter::XlsxError,
    },
    /// Assembling or packaging the workbook failed.
    Workbook(rust_xlsxwriter::XlsxError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Sheet { sheet, source } => {
                write!(f, "cannot write sheet “{sheet}” of the workbook: {source}")
            }
            Error::Workbook(source) => write!(f, "cannot write the workbook: {source}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sheet { source, .. } | Error::Workbook(source) => Some(source),
        }
    }
}

/// Excel's limit on the length of a sheet name (UTF-16 code units).
const SHEET_NAME_MAX: usize = 31;

/// Characters Excel refuses in sheet names.
const SHEET_NAME_ILLEGAL: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];

/// Font of Chinese workbooks: 宋体 (SimSun) is the font of published 部门决算 tables, ships
/// with every Chinese Windows and WPS, and LibreOffice substitutes an installed CJK serif.
const FONT_ZH: &str = "宋体";
/// Font of English workbooks; Chinese names left untranslated fall back to a CJK font.
const FONT_EN: &str = "Arial";

/// Point size of titles.
const TITLE_SIZE: u16 = 16;
/// Point size of everything else (headers, body, notes).
const BODY_SIZE: u16 = 10;

/// Row heights in pixels (96 dpi): a line of 10 pt text is 13.3 px; with 4 px of padding a
/// one-line row is 18 px (13.5 pt, Excel's own height for 宋体 10), and each further line
/// adds 14 px.
const LINE_PX: u32 = 14;
const ROW_PAD_PX: u32 = 4;
const TITLE_ROW_PX: u32 = 36;

/// A4 in Excel's paper size codes, and its size in hundredths of an inch.
const PAPER_A4: u8 = 9;
const A4_SHORT: u32 = 827;
const A4_LONG: u32 = 1169;

/// Excel's default ("Normal") margins, in hundredths of an inch: 0.7 in left and right,
/// 0.75 in top and bottom (about 1.8 and 1.9 cm), with the page number footer inside the
/// bottom one. They suit these tables, so the sheets keep them (setting others would take
/// binary floating point, which the project keeps out of its code).
const MARGINS_ACROSS: u32 = 140;
const MARGINS_DOWN: u32 = 150;

/// Pixels per inch, as Excel measures rows and columns.
const PX_PER_INCH: u32 = 96;

/// `#,##0.00`: thousands separators and two decimals, as the tables print.
const AMOUNT_FORMAT: &str = "#,##0.00";

/// The views as an XLSX workbook, one sheet per table, in `lang`.
pub fn workbook(views: &Views, lang: Lang) -> Result<Vec<u8>, Error> {
    let mut book = Workbook::new();
    book.set_properties(&properties(views, lang).map_err(Error::Workbook)?);
    let styles = Styles::new(lang);
    let mut names: Vec<String> = Vec::with_capacity(views.tables.len());
    for view in &views.tables {
        let name = sheet_name(view, lang, &names);
        let sheet = book.add_worksheet();
        write_sheet(sheet, &name, view, views, lang, &styles).map_err(|source| Error::Sheet {
            sheet: name.clone(),
            source,
        })?;
        names.push(name);
    }
    book.save_to_buffer().map_err(Error::Workbook)
}

/// Document properties with a fixed creation date: the views carry no date of their own, and
/// a clock reading would make two runs over the same input differ byte for byte.
fn properties(views: &Views, lang: Lang) -> Result<DocProperties, rust_xlsxwriter::XlsxError> {
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    let title = match lang {
        Lang::Zh => format!("{} {}年度部门决算公开表", views.department, views.year),
        Lang::En => format!(
            "{}: departmental final accounts, FY {}",
            views.department, views.year
        ),
    };
    Ok(DocProperties::new()
        .set_title(title)
        .set_creation_datetime(&created))
}

/// The formats of one workbook, all in one font so the sheet prints evenly.
struct Styles {
    title: Format,
    number: Format,
    meta_left: Format,
    meta_center: Format,
    meta_right: Format,
    header: Format,
    note: Format,
    /// Body formats by (alignment, bold).
    body: Vec<((Align, bool), Format)>,
    amount: Format,
    amount_bold: Format,
}

/// Horizontal alignment of a body cell, by what its column shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Center,
    Right,
}

impl Align {
    fn of(kind: Option<ColumnKind>) -> Align {
        match kind {
            Some(ColumnKind::Label | ColumnKind::Name) | None => Align::Left,
            Some(ColumnKind::Value) => Align::Right,
            Some(
                ColumnKind::Line
                | ColumnKind::Code
                | ColumnKind::Lei
                | ColumnKind::Kuan
                | ColumnKind::Xiang,
            ) => Align::Center,
        }
    }

    fn format(self) -> FormatAlign {
        match self {
            Align::Left => FormatAlign::Left,
            Align::Center => FormatAlign::Center,
            Align::Right => FormatAlign::Right,
        }
    }
}

impl Styles {
    fn new(lang: Lang) -> Styles {
        let font = match lang {
            Lang::Zh => FONT_ZH,
            Lang::En => FONT_EN,
        };
        let mut base = Format::new()
            .set_font_name(font)
            .set_font_size(BODY_SIZE)
            .set_align(FormatAlign::VerticalCenter);
        if lang == Lang::Zh {
            // GB2312 charset, as Excel writes for 宋体: lets a viewer without the font pick a
            // Simplified Chinese substitute.
            base = base.set_font_charset(134);
        }
        let cell = base.clone().set_border(FormatBorder::Thin);
        let mut body = Vec::new();
        for align in [Align::Left, Align::Center, Align::Right] {
            for bold in [false, true] {
                // Text columns wrap so that a long (e.g. English) label grows the row instead
                // of being cut off; row heights are computed below to match.
                let mut f = cell.clone().set_align(align.format()).set_text_wrap();
                if align != Align::Center {
                    // Keeps text off the cell borders.
                    f = f.set_indent(1);
                }
                if bold {
                    f = f.set_bold();
                }
                body.push(((align, bold), f));
            }
        }
        let amount = cell
            .clone()
            .set_align(FormatAlign::Right)
            .set_indent(1)
            .set_num_format(AMOUNT_FORMAT);
        Styles {
            title: base
                .clone()
                .set_font_size(TITLE_SIZE)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            number: base.clone().set_align(FormatAlign::Right),
            meta_left: base.clone().set_align(FormatAlign::Left),
            meta_center: base.clone().set_align(FormatAlign::Center),
            meta_right: base.clone().set_align(FormatAlign::Right),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            note: base
                .clone()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top)
                .set_text_wrap(),
            body,
            amount_bold: amount.clone().set_bold(),
            amount,
        }
    }

    fn body(&self, align: Align, bold: bool) -> &Format {
        self.body
            .iter()
            .find(|(k, _)| *k == (align, bold))
            .map(|(_, f)| f)
            .expect("every alignment and weight has a format")
    }
}

/// `公开01表 收入支出决算总表`, made legal for Excel: no `[]:*?/\`, no leading or trailing
/// apostrophe, at most 31 characters (English cut at a word), unique among `taken`.
fn sheet_name(view: &View, lang: Lang, taken: &[String]) -> String {
    let full = match &view.number {
        Some(n) => format!("{} {}", n.get(lang), view.short_title.get(lang)),
        None => view.short_title.get(lang).to_string(),
    };
    let clean: String = full
        .chars()
        .map(|c| {
            if SHEET_NAME_ILLEGAL.contains(&c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let base = truncate_name(clean.trim_matches(|c: char| c == '\'' || c.is_whitespace()));
    let base = if base.is_empty() {
        format!("Sheet{}", taken.len() + 1)
    } else {
        base
    };
    // Excel compares sheet names ignoring case, and reserves "History".
    let is_taken = |n: &str| {
        let lower = n.to_lowercase();
        lower == "history" || taken.iter().any(|t| t.to_lowercase() == lower)
    };
    if !is_taken(&base) {
        return base;
    }
    (2..)
        .map(|i| {
            let suffix = format!(" ({i})");
            let room = SHEET_NAME_MAX - suffix.len();
            format!("{}{suffix}", cut_utf16(&base, room).trim_end())
        })
        .find(|n| !is_taken(n))
        .expect("some suffix is free")
}

/// Cuts `s` to the sheet name limit; a cut inside a word backs up to the last space when
/// that keeps most of the name, so English names end on a whole word.
fn truncate_name(s: &str) -> String {
    if s.encode_utf16().count() <= SHEET_NAME_MAX {
        return s.to_string();
    }
    let cut = cut_utf16(s, SHEET_NAME_MAX);
    let next = s[cut.len()..].chars().next();
    let mid_word = next.is_some_and(|c| c.is_ascii_alphanumeric())
        && cut
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    let mut out = match cut.rfind(' ') {
        Some(space) if mid_word && space >= SHEET_NAME_MAX / 2 => &cut[..space],
        _ => cut,
    };
    // Nor on a dangling word or mark: "Summary of income and" reads "Summary of income".
    const DANGLING: [&str; 10] = [
        "a", "an", "and", "by", "for", "in", "of", "the", "to", "with",
    ];
    loop {
        out = out.trim_end_matches([' ', ',', '-', '\'', '"', '(', '“', '‘']);
        match out.rsplit_once(' ') {
            Some((head, last)) if DANGLING.contains(&last.to_ascii_lowercase().as_str()) => {
                out = head;
            }
            _ => break,
        }
    }
    out.to_string()
}

/// The longest prefix of `s` of at most `max` UTF-16 code units.
fn cut_utf16(s: &str, max: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += c.len_utf16();
        if used > max {
            return &s[..i];
        }
    }
    s
}

/// Display width of `s` in Excel column units (the width of the digit `0` in the workbook's
/// default font, Calibri 11, 7 px). Latin letters and digits of a 10 pt font take about one
/// unit; a CJK character is a full em (10 pt ≈ 13.3 px), about two units. So a wide character
/// counts 2 and anything else 1: a slight overestimate, which leaves air rather than `###`.
fn text_units(s: &str) -> usize {
    s.chars().map(char_units).sum()
}

fn char_units(c: char) -> usize {
    // Everything from General Punctuation up (CJK, full-width forms, “” quotes in CJK fonts)
    // prints wide; Latin, digits and ASCII punctuation print narrow.
    if u32::from(c) >= 0x2000 { 2 } else { 1 }
}

/// Lines `s` takes when wrapped in a cell `width` units wide: greedy filling, breaking
/// between CJK characters and at spaces between Latin words, as spreadsheets do.
fn wrapped_lines(s: &str, width: usize) -> usize {
    // Two units of the cell's width go to its padding and the one-level indent of text.
    let room = width.saturating_sub(2).max(1);
    s.split('\n')
        .map(|para| {
            let mut fill = Fill {
                room,
                lines: 1,
                used: 0,
            };
            let mut word = 0;
            for c in para.chars() {
                if c == ' ' {
                    fill.place(word);
                    word = 0;
                    fill.space();
                } else if char_units(c) == 2 {
                    fill.place(word);
                    word = 0;
                    fill.place(2);
                } else {
                    word += 1;
                }
            }
            fill.place(word);
            fill.lines
        })
        .sum()
}

/// Greedy line filling for [`wrapped_lines`].
struct Fill {
    room: usize,
    lines: usize,
    used: usize,
}

impl Fill {
    /// Places an unbreakable piece `w` units wide (a word or a CJK character).
    fn place(&mut self, mut w: usize) {
        if w == 0 {
            return;
        }
        if self.used > 0 && self.used + w > self.room {
            self.lines += 1;
            self.used = 0;
        }
        // A word wider than the cell breaks across lines.
        while self.used + w > self.room {
            w -= self.room - self.used;
            self.lines += 1;
            self.used = 0;
        }
        self.used += w;
    }

    /// A space takes room between words; at the end of a line it hangs.
    fn space(&mut self) {
        if self.used > 0 {
            self.used = (self.used + 1).min(self.room);
        }
    }
}

/// Pixel height of a row showing `lines` lines of body text.
fn row_px(lines: usize) -> u32 {
    let lines = u32::try_from(lines.max(1)).unwrap_or(u32::MAX / LINE_PX);
    lines.saturating_mul(LINE_PX).saturating_add(ROW_PAD_PX)
}

/// Sets the height of row `r` and adds it to the running `total`.
fn set_height(
    sheet: &mut Worksheet,
    r: usize,
    px: u32,
    total: &mut u32,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    sheet.set_row_height_pixels(row_num(r), px)?;
    *total = total.saturating_add(px);
    Ok(())
}

/// Pixel width of a column `units` wide: Excel adds 5 px of padding to 7 px per unit
/// (the digit width of Calibri 11, the workbook's default font).
fn column_px(units: usize) -> u32 {
    u32::try_from(units.saturating_mul(7).saturating_add(5)).unwrap_or(u32::MAX)
}

/// True when a table `height` px tall, scaled down to fit the page width, needs at most a
/// third more than one page: then it is printed on one page, a little smaller.
fn fits_one_page(widths: &[usize], height: u32, landscape: bool) -> bool {
    let (across, down) = if landscape {
        (A4_LONG, A4_SHORT)
    } else {
        (A4_SHORT, A4_LONG)
    };
    let page_w = u64::from((across - MARGINS_ACROSS) * PX_PER_INCH / 100);
    let page_h = u64::from((down - MARGINS_DOWN) * PX_PER_INCH / 100);
    let table_w: u64 = widths.iter().map(|w| u64::from(column_px(*w))).sum();
    let table_w = table_w.max(1);
    // Height after fitting the width: scaled by page_w / table_w when wider than the page.
    let scaled = u64::from(height) * page_w.min(table_w) / table_w;
    scaled * 3 <= page_h * 4
}

/// Widths of body columns in Excel units.
///
/// `ViewColumn.width` counts half-width characters (Excel's own unit): the layouts set 14 for
/// an amount like `35,549.61` and 34 for a label of up to 17 Chinese characters, so it is used
/// as is, not doubled. It is a minimum: a column widens to its longest body text (CJK counted
/// double, see [`text_units`]) so nothing prints as `###` or is cut, up to a cap beyond which
/// text columns wrap instead.
fn column_widths(view: &View, grid: &[Vec<GridCell>], ncols: usize) -> Vec<usize> {
    const TEXT_CAP: usize = 40;
    (0..ncols)
        .map(|c| {
            let col = view.columns.get(c);
            let kind = col.map(|c| c.kind);
            let layout = col.and_then(|c| c.width).map(usize::from);
            let default = match kind {
                Some(ColumnKind::Label | ColumnKind::Name) | None => 30,
                Some(ColumnKind::Code) => 10,
                Some(ColumnKind::Line) => 6,
                Some(ColumnKind::Lei | ColumnKind::Kuan | ColumnKind::Xiang) => 5,
                Some(ColumnKind::Value) => 14,
            };
            let base = layout.unwrap_or(default);
            let content = grid
                .iter()
                .filter_map(|row| row.get(c))
                .filter(|cell| cell.colspan <= 1)
                .map(|cell| text_units(&cell.text()) + 2)
                .max()
                .unwrap_or(0);
            let cap = match Align::of(kind) {
                Align::Left => TEXT_CAP.max(base),
                _ => usize::MAX,
            };
            base.max(content.min(cap))
        })
        .collect()
}

fn row_num(r: usize) -> RowNum {
    // Out of range indices saturate; the library then reports its row limit error.
    RowNum::try_from(r).unwrap_or(RowNum::MAX)
}

fn col_num(c: usize) -> ColNum {
    ColNum::try_from(c).unwrap_or(ColNum::MAX)
}

/// Writes `text` over columns `first..=last` of row `r`, merged when it spans several.
fn span(
    sheet: &mut Worksheet,
    r: usize,
    first: usize,
    last: usize,
    text: &str,
    format: &Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    if last > first {
        sheet.merge_range(
            row_num(r),
            col_num(first),
            row_num(r),
            col_num(last),
            text,
            format,
        )?;
    } else {
        sheet.write_string_with_format(row_num(r), col_num(first), text, format)?;
    }
    Ok(())
}

/// Splits the columns into three runs for the meta line (department | year | unit): the
/// department takes the fewest leading columns its text needs, the unit the fewest trailing
/// ones, the year what is left. `None` when the table is too narrow for three runs.
fn meta_runs(widths: &[usize], left: usize, right: usize) -> Option<[(usize, usize); 3]> {
    let n = widths.len();
    if n < 3 {
        return None;
    }
    let mut a = 0;
    let mut acc = 0;
    while a < n - 2 {
        acc += widths[a];
        a += 1;
        if acc >= left {
            break;
        }
    }
    let mut b = n;
    let mut acc = 0;
    while b > a + 1 {
        b -= 1;
        acc += widths[b];
        if acc >= right {
            break;
        }
    }
    Some([(0, a - 1), (a, b - 1), (b, n - 1)])
}

fn write_sheet(
    sheet: &mut Worksheet,
    name: &str,
    view: &View,
    views: &Views,
    lang: Lang,
    styles: &Styles,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    sheet.set_name(name)?;
    let grid = view.body_grid(lang, views.unit_of(view));
    let header_width = view
        .header
        .iter()
        .map(|h| h.col + h.colspan)
        .max()
        .unwrap_or(0);
    let body_width = grid.iter().map(Vec::len).max().unwrap_or(0);
    let ncols = view.columns.len().max(header_width).max(body_width).max(1);
    let widths = column_widths(view, &grid, ncols);
    let total_width: usize = widths.iter().sum();
    let last_col = ncols - 1;
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(col_num(c), u16::try_from(*w).unwrap_or(u16::MAX))?;
    }

    let mut r = 0;
    // Pixel height of the rows written so far, to choose how the table is fitted to pages.
    let mut height = 0;
    // Title: sized for the larger font (units scale with the point size).
    let title = view.title.get(lang);
    span(sheet, r, 0, last_col, title, &styles.title)?;
    let title_room = total_width * usize::from(BODY_SIZE) / usize::from(TITLE_SIZE);
    let title_lines = u32::try_from(wrapped_lines(title, title_room)).unwrap_or(1);
    set_height(sheet, r, TITLE_ROW_PX * title_lines, &mut height)?;
    r += 1;

    if let Some(number) = &view.number {
        span(sheet, r, 0, last_col, number.get(lang), &styles.number)?;
        set_height(sheet, r, row_px(1), &mut height)?;
        r += 1;
    }

    // A layout may print only some of department, year and unit: the others stay blank.
    let unit_line = views.unit_line(view);
    let (dept, year, unit) = (
        views.meta.department.as_ref().map_or("", |t| t.get(lang)),
        views.meta.year.as_ref().map_or("", |t| t.get(lang)),
        unit_line.get(lang),
    );
    match meta_runs(&widths, text_units(dept) + 1, text_units(unit) + 1) {
        Some([d, y, u]) => {
            span(sheet, r, d.0, d.1, dept, &styles.meta_left)?;
            span(sheet, r, y.0, y.1, year, &styles.meta_center)?;
            span(sheet, r, u.0, u.1, unit, &styles.meta_right)?;
        }
        None => {
            let all = format!("{dept}    {year}    {unit}");
            span(sheet, r, 0, last_col, &all, &styles.meta_left)?;
        }
    }
    set_height(sheet, r, row_px(1), &mut height)?;
    r += 1;

    let header_top = r;
    write_header(sheet, view, lang, &widths, header_top, styles, &mut height)?;
    r += view.header_rows;

    let body_top = r;
    write_body(sheet, view, &grid, &widths, body_top, styles, &mut height)?;
    r += grid.len();
    let body_end = r;

    for text in [&view.note, &view.empty_note].into_iter().flatten() {
        let text = text.get(lang);
        span(sheet, r, 0, last_col, text, &styles.note)?;
        let px = row_px(wrapped_lines(text, total_width));
        set_height(sheet, r, px, &mut height)?;
        r += 1;
    }
    let last_row = r.max(1) - 1;

    // Codes and 行次 are text on purpose (identifiers, not quantities): silence Excel's
    // "number stored as text" marks over the body.
    if body_end > body_top {
        sheet.ignore_error_range(
            row_num(body_top),
            0,
            row_num(body_end - 1),
            col_num(last_col),
            IgnoreError::NumberStoredAsText,
        )?;
    }
    if view.header_rows > 0 {
        sheet.ignore_error_range(
            row_num(header_top),
            0,
            row_num(body_top - 1),
            col_num(last_col),
            IgnoreError::NumberStoredAsText,
        )?;
        // Every printed page of a long table starts with its column headings.
        sheet.set_repeat_rows(row_num(header_top), row_num(body_top - 1))?;
    }
    sheet.set_freeze_panes(row_num(body_top), 0)?;

    sheet.set_paper_size(PAPER_A4);
    if view.landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    // One page wide; one page tall too when that shrinks the print only a little more, so a
    // table a few rows over a page (公开04, 公开05) does not leave its totals on a page alone.
    // Longer tables run over as many pages as needed, headings repeated.
    let tall = if fits_one_page(&widths, height, view.landscape) {
        1
    } else {
        0
    };
    sheet.set_print_fit_to_pages(1, tall);
    sheet.set_print_center_horizontally(true);
    sheet.set_footer(match lang {
        Lang::Zh => "&C第 &P 页，共 &N 页",
        Lang::En => "&CPage &P of &N",
    });
    sheet.set_print_area(0, 0, row_num(last_row), col_num(last_col))?;
    Ok(())
}

/// The header grid: each [`View::header`] cell merged over its rows and columns; slots no
/// cell covers are still bordered. Row heights fit the wrapped text of every cell.
fn write_header(
    sheet: &mut Worksheet,
    view: &View,
    lang: Lang,
    widths: &[usize],
    top: usize,
    styles: &Styles,
    height: &mut u32,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let rows = view.header_rows;
    if rows == 0 {
        return Ok(());
    }
    let ncols = widths.len();
    let mut covered = vec![vec![false; ncols]; rows];
    let mut lines = vec![1_usize; rows];
    let mut spanned: Vec<(usize, usize, usize)> = Vec::new();
    for h in &view.header {
        let (r0, c0) = (top + h.row, h.col);
        let (r1, c1) = (r0 + h.rowspan.max(1) - 1, c0 + h.colspan.max(1) - 1);
        let text = h.text.get(lang);
        if r1 > r0 || c1 > c0 {
            sheet.merge_range(
                row_num(r0),
                col_num(c0),
                row_num(r1),
                col_num(c1),
                text,
                &styles.header,
            )?;
        } else {
            sheet.write_string_with_format(row_num(r0), col_num(c0), text, &styles.header)?;
        }
        for row in covered.iter_mut().skip(h.row).take(h.rowspan.max(1)) {
            for slot in row.iter_mut().skip(c0).take(h.colspan.max(1)) {
                *slot = true;
            }
        }
        let width: usize = widths.iter().skip(c0).take(h.colspan.max(1)).sum();
        let need = wrapped_lines(text, width);
        if h.rowspan <= 1 {
            if let Some(l) = lines.get_mut(h.row) {
                *l = (*l).max(need);
            }
        } else {
            spanned.push((h.row, h.rowspan, need));
        }
    }
    // A cell over several rows that needs more lines than they have grows its last row.
    for (row, n, need) in spanned {
        let end = (row + n).min(rows);
        let have: usize = lines[row..end].iter().sum();
        if need > have {
            lines[end - 1] += need - have;
        }
    }
    for (r, row) in covered.iter().enumerate() {
        for (c, done) in row.iter().enumerate() {
            if !done {
                sheet.write_blank(row_num(top + r), col_num(c), &styles.header)?;
            }
        }
        set_height(sheet, top + r, row_px(lines[r]), height)?;
    }
    Ok(())
}

/// The body grid: amounts as numbers, text left or centred by column, merged footer labels,
/// bold totals, and a border on every cell, blank or not.
fn write_body(
    sheet: &mut Worksheet,
    view: &View,
    grid: &[Vec<GridCell>],
    widths: &[usize],
    top: usize,
    styles: &Styles,
    height: &mut u32,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let ncols = widths.len();
    for (i, cells) in grid.iter().enumerate() {
        let r = top + i;
        let mut lines = 1;
        // Columns already written as part of a merged cell.
        let mut merged_to = None;
        for c in 0..ncols {
            if merged_to.is_some_and(|end| c <= end) {
                continue;
            }
            let Some(cell) = cells.get(c) else {
                let kind = view.columns.get(c).map(|col| col.kind);
                sheet.write_blank(row_num(r), col_num(c), styles.body(Align::of(kind), false))?;
                continue;
            };
            let last = (c + cell.colspan.max(1) - 1).min(ncols - 1);
            let text_format = styles.body(Align::of(Some(cell.column)), cell.strong);
            match &cell.content {
                Content::Amount(p) => {
                    let format = if cell.strong {
                        &styles.amount_bold
                    } else {
                        &styles.amount
                    };
                    if last > c {
                        sheet.merge_range(
                            row_num(r),
                            col_num(c),
                            row_num(r),
                            col_num(last),
                            "",
                            format,
                        )?;
                    }
                    sheet.write_with_format(row_num(r), col_num(c), p.to_decimal(), format)?;
                }
                Content::Text(s) => {
                    span(sheet, r, c, last, s, text_format)?;
                    let width: usize = widths[c..=last].iter().sum();
                    lines = lines.max(wrapped_lines(s, width));
                }
                // A covered cell outside any span (not produced by `body_grid`) prints blank.
                Content::Empty | Content::Covered => {
                    span(sheet, r, c, last, "", text_format)?;
                }
            }
            if last > c {
                merged_to = Some(last);
            }
        }
        set_height(sheet, r, row_px(lines), height)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_double() {
        assert_eq!(text_units("35,549.61"), 9);
        assert_eq!(text_units("合 计"), 5);
        assert_eq!(text_units("“三公”"), 8);
    }

    #[test]
    fn wrapping_breaks_cjk_anywhere_and_latin_at_spaces() {
        assert_eq!(wrapped_lines("功能分类科目编码", 10), 2);
        assert_eq!(wrapped_lines("功能分类科目编码", 18), 1);
        assert_eq!(wrapped_lines("功能分类科目编码", 17), 2);
        assert_eq!(wrapped_lines("Remittances from subsidiaries", 14), 3);
        assert_eq!(wrapped_lines("", 10), 1);
        assert_eq!(wrapped_lines("a\nb", 10), 2);
        assert_eq!(wrapped_lines("abcdefghijklmnopqrst", 12), 2);
        assert_eq!(wrapped_lines("abcdefghijklmnopqrst", 11), 3);
    }

    #[test]
    fn sheet_names_are_legal_short_and_unique() {
        assert_eq!(
            truncate_name("Table 01 Summary of income and expenditure"),
            "Table 01 Summary of income"
        );
        assert_eq!(
            truncate_name("Table 09 Appropriation-funded \"three public expenses\""),
            "Table 09 Appropriation-funded"
        );
        assert_eq!(
            truncate_name("公开01表 收入支出决算总表"),
            "公开01表 收入支出决算总表"
        );
        let long: String = "表".repeat(40);
        assert_eq!(truncate_name(&long).chars().count(), 31);
        assert_eq!(cut_utf16("a𝄞b", 2), "a");

        let view = |number: Option<&str>, title: &str| View {
            id: juesuan_core::layout::TableId::new("summary"),
            codes: Default::default(),
            number: number.map(juesuan_core::Text::same),
            title: juesuan_core::Text::same(title),
            short_title: juesuan_core::Text::same(title),
            note: None,
            empty: false,
            empty_note: None,
            zero: juesuan_core::layout::ZeroDisplay::Zero,
            landscape: false,
            amount_unit: None,
            bold: Vec::new(),
            header: Vec::new(),
            header_rows: 0,
            columns: Vec::new(),
            panels: Vec::new(),
            footer: Vec::new(),
            printed: Default::default(),
        };
        let a = view(Some("表1"), "收入/支出[总表]: 2023?");
        assert_eq!(sheet_name(&a, Lang::Zh, &[]), "表1 收入_支出_总表__ 2023_");
        let taken = vec!["'x".to_string(), "表1 收入".to_string()];
        assert_eq!(sheet_name(&view(None, "'X'"), Lang::Zh, &taken[..1]), "X");
        assert_eq!(
            sheet_name(&view(Some("表1"), "收入"), Lang::Zh, &taken),
            "表1 收入 (2)"
        );
        assert_eq!(
            sheet_name(&view(None, "history"), Lang::En, &[]),
            "history (2)"
        );
        assert_eq!(sheet_name(&view(None, " ' "), Lang::En, &[]), "Sheet1");
        let long_title = "x".repeat(40);
        let dup = truncate_name(&long_title);
        let name = sheet_name(&view(None, &long_title), Lang::En, &[dup]);
        assert_eq!(name.len(), 31);
        assert!(name.ends_with(" (2)"));
    }

    #[test]
    fn meta_runs_give_each_text_room() {
        assert_eq!(
            meta_runs(&[10, 30, 14, 14, 14], 40, 14),
            Some([(0, 1), (2, 3), (4, 4)])
        );
        // Never fewer than one column each.
        assert_eq!(
            meta_runs(&[5, 5, 5], 100, 100),
            Some([(0, 0), (1, 1), (2, 2)])
        );
        assert_eq!(meta_runs(&[5, 5], 1, 1), None);
    }
}
