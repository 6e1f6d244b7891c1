//! HTML of the nine tables (being written).

use juesuan_core::Lang;
use juesuan_core::views::Views;

/// The views as one self-contained HTML page.
pub fn page(views: &Views, lang: Lang) -> Result<String, String> {
    let _ = (views, lang);
    Err("HTML writer not yet implemented".into())
}
