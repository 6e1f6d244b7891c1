//! XLSX of the nine tables (being written).

use juesuan_core::Lang;
use juesuan_core::views::Views;

/// The views as an XLSX workbook, one sheet per table.
pub fn workbook(views: &Views, lang: Lang) -> Result<Vec<u8>, String> {
    let _ = (views, lang);
    Err("XLSX writer not yet implemented".into())
}
