//! JSON of the views: exact amounts in 元 and the printed text of every cell.

use juesuan_core::views::Views;

/// The views as pretty-printed JSON (exact amounts are strings of 元, e.g. `"355496100.00"`).
pub fn views_json(views: &Views) -> Vec<u8> {
    // Sized for a whole report's JSON at once, rather than grown by copying.
    let mut out = Vec::with_capacity(1 << 18);
    serde_json::to_writer_pretty(&mut out, views).expect("views serialize");
    out.push(b'\n');
    out
}
