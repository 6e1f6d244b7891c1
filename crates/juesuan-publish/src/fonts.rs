//! The font the Word document's charts are drawn with (`juesuan_render::docx` draws them;
//! finding and reading font files is IO, so it is done here, once per process).

use juesuan_render::docx::{Fonts, fontdb};
use std::sync::{Arc, OnceLock};

/// The first installed font of the charts' `font-family` list (Noto Sans CJK SC where it is
/// installed; else any font), read into memory once. Only that font: a font the charts found
/// through the system's list was mapped from its file again for every run of text, which cost
/// more than drawing. Without any font, the charts' words are not drawn.
pub fn system() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut installed = fontdb::Database::new();
        installed.load_system_fonts();
        let families: Vec<fontdb::Family> = juesuan_render::charts::font_families()
            .map(|name| match name {
                "sans-serif" => fontdb::Family::SansSerif,
                name => fontdb::Family::Name(name),
            })
            .collect();
        let query = fontdb::Query {
            families: &families,
            ..fontdb::Query::default()
        };
        let chosen = installed
            .query(&query)
            .or_else(|| installed.faces().next().map(|f| f.id));
        let mut fonts = fontdb::Database::new();
        let path = chosen.and_then(|id| match installed.face_source(id)? {
            (fontdb::Source::File(path), _) => Some(path),
            _ => None,
        });
        if let Some(data) = path.and_then(|p| std::fs::read(p).ok()) {
            fonts.load_font_data(data);
        }
        Fonts::new(Arc::new(fonts))
    })
}
