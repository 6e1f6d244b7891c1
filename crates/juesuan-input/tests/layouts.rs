//! Every built-in layout loads, passes its checks, and has English for every Chinese text.

use juesuan_core::Text;
use juesuan_core::layout::{HeaderCellLayout, PanelLayout};
use juesuan_input::builtin;

fn needs_english(t: &Text) -> bool {
    !t.zh.is_ascii() && t.en.is_empty()
}

#[test]
fn every_layout_text_has_english() {
    let assets = juesuan_input::assets::Assets::builtin().unwrap();
    for (_, asset) in assets.layouts() {
        let layout = builtin::layout(&asset.id).unwrap().unwrap();
        let mut texts: Vec<&Text> = vec![&layout.name, &layout.meta.unit];
        texts.extend(layout.meta.department.iter());
        texts.extend(layout.meta.year.iter());
        for t in &layout.tables {
            texts.push(&t.title);
            texts.extend(t.number.iter());
            texts.extend(t.note.iter());
            texts.extend(t.empty_note.iter());
            for row in &t.header {
                for cell in row {
                    texts.push(match cell {
                        HeaderCellLayout::Plain(t) => t,
                        HeaderCellLayout::Spanned { text, .. } => text,
                    });
                }
            }
            for p in &t.panels {
                match p {
                    PanelLayout::Lines { rows, .. } => {
                        texts.extend(rows.iter().filter_map(|r| r.label.as_ref()))
                    }
                    PanelLayout::Function { total, .. } => texts.push(total),
                    PanelLayout::Economic { .. } => {}
                }
            }
            texts.extend(t.footer.iter().map(|f| &f.label));
        }
        let missing: Vec<&str> = texts
            .iter()
            .filter(|t| needs_english(t))
            .map(|t| t.zh.as_str())
            .collect();
        assert!(
            missing.is_empty(),
            "{}: no English for {missing:?}",
            asset.id
        );
    }
}
