//! Bilingual text: Chinese first, English always available.

use serde::{Deserialize, Serialize};

/// The language of messages and labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// 中文 (the default).
    #[default]
    #[serde(rename = "zh")]
    Zh,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Parses `zh` / `en` (also `zh-CN`, `en-US`, case-insensitive).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.to_ascii_lowercase();
        if s == "zh" || s.starts_with("zh-") || s.starts_with("zh_") {
            Some(Lang::Zh)
        } else if s == "en" || s.starts_with("en-") || s.starts_with("en_") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// A text in Chinese with its English counterpart.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Text {
    /// Chinese text, as printed in reports.
    pub zh: String,
    /// English text.
    pub en: String,
}

impl Text {
    /// A text in both languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// A text that reads the same in both languages (codes, numbers, proper names).
    pub fn same(s: impl Into<String>) -> Text {
        let s = s.into();
        Text {
            zh: s.clone(),
            en: s,
        }
    }

    /// A Chinese-only text (proper names, catalog names with no official English).
    pub fn zh(s: impl Into<String>) -> Text {
        Text {
            zh: s.into(),
            en: String::new(),
        }
    }

    /// The text in `lang`; English falls back to Chinese where no translation exists.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.zh,
        }
    }

    /// True when both languages are empty.
    pub fn is_empty(&self) -> bool {
        self.zh.is_empty() && self.en.is_empty()
    }
}

/// How layouts write a text: either a Chinese string, or `[中文, English]`.
impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            One(String),
            Two([String; 2]),
        }
        Ok(match Repr::deserialize(d)? {
            Repr::One(s) => Text::zh(s),
            Repr::Two([zh, en]) => Text { zh, en },
        })
    }
}

/// A label without spaces (`合 计` → `合计`), as rows are addressed by label.
pub fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `n` in Chinese numerals, as headings and numbered lines count (1 → 一, 10 → 十, 14 → 十四,
/// 26 → 二十六), for 0 ≤ n ≤ 99; larger numbers in digits.
pub fn cn_numeral(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[(n % 10) as usize]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", D[(n / 10) as usize]),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], D[(n % 10) as usize]),
        _ => n.to_string(),
    }
}
