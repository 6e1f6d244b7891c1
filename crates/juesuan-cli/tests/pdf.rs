//! `juesuan build --format pdf` end to end: the seed report printed by headless Chromium, read
//! back with poppler-utils (pdftotext, pdffonts, pdfinfo) and audited (`juesuan audit`). `scripts/test` installs Chromium,
//! fonts-noto-cjk and poppler-utils when they are missing.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use support::juesuan;

const STEM: &str = "hongshan-kjj-2023";

/// The seed report built once for every test here, as PDF and JSON (the JSON says which tables
/// are landscape).
fn built() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pdf-seed");
        let _ = std::fs::remove_dir_all(&dir);
        let result = juesuan()
            .args([
                "build",
                &format!("examples/{STEM}.toml"),
                "--format",
                "pdf,json",
                "-o",
            ])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            result.status.success(),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
        dir
    })
}

fn pdf() -> PathBuf {
    built().join(format!("{STEM}.report.pdf"))
}

/// Runs a poppler-utils tool and returns its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[] })
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e} (scripts/test installs poppler-utils)"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn pdf_text_is_the_real_chinese_report() {
    let text = poppler("pdftotext", &["-layout"], &pdf());
    for needle in [
        "武汉市洪山区科学技术和经济信息化局",
        "收入支出决算总表",
        "一般公共预算财政拨款基本支出决算明细表",
        "35,549.61",
        // The narrative, with the figure its tables support (the published text has 1466.62).
        "第三部分",
        "人员经费 1316.78 万元",
        "名词解释",
        "附件 23",
    ] {
        assert!(text.contains(needle), "the PDF's text lacks {needle}");
    }
    // Replacement characters and boxes are what a missing glyph turns into.
    for bad in ['\u{FFFD}', '□', '\u{FFFF}'] {
        assert!(!text.contains(bad), "the PDF's text has {bad:?}");
    }
}

/// A Chinese font is embedded. The text alone proves nothing: without a Chinese font Chromium
/// prints empty boxes yet maps them back to the right characters, so pdftotext reads Chinese.
#[test]
fn pdf_embeds_a_chinese_font() {
    let table = poppler("pdffonts", &[], &pdf());
    let mut lines = table.lines();
    let header = lines.next().unwrap();
    let emb = header.find(" emb ").unwrap() + 1;
    let mut names = Vec::new();
    for line in lines.skip(1) {
        assert_eq!(line.get(emb..emb + 3), Some("yes"), "not embedded: {line}");
        names.push(line.split_whitespace().next().unwrap().to_string());
    }
    assert!(!names.is_empty(), "no fonts:\n{table}");
    // Chromium embeds CFF fonts such as Noto CJK as Type 3, which pdffonts lists as [none];
    // their descriptors still carry the name.
    let bytes = std::fs::read(pdf()).unwrap();
    let key = b"/FontName /";
    for at in (0..bytes.len().saturating_sub(key.len())).filter(|&i| bytes[i..].starts_with(key)) {
        let name: String = bytes[at + key.len()..]
            .iter()
            .take_while(|b| b.is_ascii_graphic() && !b"/<>[]()".contains(b))
            .map(|&b| char::from(b))
            .collect();
        names.push(name);
    }
    let chinese = [
        "CJK",
        "SourceHan",
        "WenQuanYi",
        "SimSun",
        "SimHei",
        "Song",
        "YaHei",
        "PingFang",
    ];
    assert!(
        names.iter().any(|n| chinese
            .iter()
            .any(|c| n.to_lowercase().contains(&c.to_lowercase()))),
        "no Chinese font among {names:?}"
    );
}

/// Every page is A4; each table is on landscape pages exactly when its layout says so; the
/// cover and contents come first, in portrait.
#[test]
fn pdf_pages_are_a4_and_landscape_where_the_layout_says() {
    let info = poppler("pdfinfo", &[], &pdf());
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // The seed's published report has 44 numbered pages before its 附件, over 100 in all.
    assert!((40..=150).contains(&pages), "{pages} pages");
    let last = pages.to_string();
    let sizes = poppler("pdfinfo", &["-f", "1", "-l", &last], &pdf());
    let landscape: Vec<bool> = sizes
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .map(|l| {
            let nums: Vec<u32> = l
                .split(" size:")
                .nth(1)
                .unwrap()
                .split_whitespace()
                .filter_map(|w| w.split('.').next()?.parse().ok())
                .collect();
            // A4 is 595.28 × 841.89 pt, within a point either way round.
            let (w, h) = (nums[0], nums[1]);
            assert!(
                matches!((w.min(h), w.max(h)), (594..=595, 841..=842)),
                "not A4: {l}"
            );
            w > h
        })
        .collect();
    assert_eq!(landscape.len(), pages);
    // pdftotext separates pages with form feeds.
    let text = poppler("pdftotext", &["-layout"], &pdf());
    let page_text: Vec<&str> = text.split('\u{c}').collect();
    let views: serde_json::Value =
        serde_json::from_slice(&std::fs::read(built().join(format!("{STEM}.views.json"))).unwrap())
            .unwrap();
    let mut starts = Vec::new();
    for table in views["tables"].as_array().unwrap() {
        let number = table["number"]["zh"].as_str().unwrap();
        let start = (0..pages)
            .find(|&p| page_text[p].contains(number) && !page_text[p].contains("目录"))
            .unwrap_or_else(|| panic!("{number} is on no page"));
        starts.push((start, number, table["landscape"].as_bool().unwrap()));
    }
    assert!(starts[0].0 > 0, "the contents come first");
    assert!(landscape[..starts[0].0].iter().all(|l| !l));
    // Part three, the narrative, follows the last table on a portrait page.
    let last_start = starts.last().unwrap().0;
    let part_three = (last_start + 1..pages)
        .find(|&p| page_text[p].contains("第三部分"))
        .expect("part three follows the tables");
    assert!(!landscape[part_three]);
    for (i, &(start, number, wide)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(part_three, |s| s.0);
        assert!(start < end, "{number} starts after the next table");
        for (p, &l) in landscape.iter().enumerate().take(end).skip(start) {
            assert_eq!(l, wide, "{number}: page {} landscape = {l}", p + 1);
        }
    }
}

#[test]
fn the_printed_report_audits_clean() {
    // `audit` reads the PDF back through its words' positions: every row of the nine tables
    // placed, every rule satisfied, the narrative's figures those of the tables.
    let out = juesuan()
        .args(["--lang", "en", "audit", "--format", "json"])
        .arg(pdf())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(out.status.code(), Some(0), "{json}");
    assert_eq!(json["year"], 2023);
    // Nothing but the notes (N206, info) on numbers of the 绩效 paragraphs that match no
    // figure, the wording the seed's text brings (W005, below), and what the build itself found in the 绩效自评 forms it printed (read back
    // from the PDF: two forms without a goal score): every row read (no U00x), every figure
    // agreeing.
    let found = |json: &serde_json::Value| -> Vec<(String, String)> {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] != "N206" && f["rule"] != "W005")
            .map(|f| {
                let at = f["location"]["table"].as_str().unwrap_or_default();
                (f["rule"].as_str().unwrap().to_string(), at.to_string())
            })
            .collect()
    };
    let built: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(built().join(format!("{STEM}.findings.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(found(&json), found(&built), "{json}");
    assert_eq!(
        found(&built),
        [
            ("P104".into(), "附件5".into()),
            ("P104".into(), "附件11".into())
        ]
    );
    assert_eq!(json["summary"]["errors"], 0);
    // And the one slip of wording the example keeps from the seed's own text: a growth rate
    // printed without % (同比增长 2.73，, 其他需要说明的情况).
    let wording: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "W005")
        .collect();
    assert_eq!(wording.len(), 1, "{json}");
    assert!(
        wording[0]["formula"]["zh"]
            .as_str()
            .unwrap()
            .contains("2.73")
    );
}

#[test]
fn without_a_renderer_pdf_fails_with_e0603_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let result = juesuan()
        .env("JUESUAN_CHROMIUM", "/nonexistent")
        .args(["build", &format!("examples/{STEM}.toml"), "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    for needle in [
        "E0603",
        "/nonexistent",
        "apt-get install chromium fonts-noto-cjk",
        "--format xlsx,html,json",
    ] {
        assert!(stderr.contains(needle), "{needle} not in:\n{stderr}");
    }
    assert!(!out.exists(), "something was written");
}

#[test]
fn without_a_chinese_font_pdf_fails_with_e0604_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    let config = dir.path().join("fonts.conf");
    std::fs::write(
        &config,
        format!(
            "<?xml version=\"1.0\"?>\n<fontconfig><dir>{}</dir><cachedir>{}</cachedir></fontconfig>\n",
            fonts.display(),
            dir.path().join("cache").display()
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = juesuan()
        .env("FONTCONFIG_FILE", &config)
        .args([
            "build",
            &format!("examples/{STEM}.toml"),
            "--format",
            "pdf",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("E0604") && stderr.contains("fonts-noto-cjk"),
        "{stderr}"
    );
    assert!(!out.exists(), "something was written");
}
