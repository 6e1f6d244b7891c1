//! JSON of the views: exact amounts in 元 and the printed text of every cell.

use juesuan_core::views::Views;

/// The views as pretty-printed JSON (exact amounts are strings of 元, e.g. `"355496100.00"`).
pub fn views_json(views: &Views) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(views).expect("views serialize");
    out.push(b'\n');
    out
}
