//! The system's fonts, for the words of the Word document's charts (`juesuan_render::docx`
//! draws them; finding and reading font files is IO, so it is done here, once per process).

use juesuan_render::docx::{Fonts, fontdb};
use std::sync::{Arc, OnceLock};

/// The fonts fontconfig's folders hold (`/usr/share/fonts`, `~/.local/share/fonts`…), read
/// once: the faces are listed, and their files mapped when a chart draws with them.
pub fn system() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        Fonts::new(Arc::new(db))
    })
}
