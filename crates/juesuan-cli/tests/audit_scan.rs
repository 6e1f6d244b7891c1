//! `juesuan audit` on scanned PDFs: scans made here from the three official PDFs of
//! fixtures/reports/pdf (every page rasterised by `pdftoppm` at 150 and 100 dpi, grey JPEG,
//! and put back together as a PDF of images only, no text), read through tesseract
//! (`scripts/test` installs tesseract-ocr and tesseract-ocr-chi-sim). Each scan must give the
//! error findings of its PDF — where it does not, the difference is listed below with why —
//! every finding marked 需人工复核; and without tesseract a scan is refused with E0912.

mod support;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{juesuan, repo};

/// The official PDFs the scans are made from.
const REPORTS: [&str; 3] = [
    "01_shanghai-putuo-czj-2024",
    "02_shanghai-putuo-ghzyj-2024",
    "03_shanghai-putuo-shgzb-2024",
];

/// Where a scan's errors differ from its PDF's: (report, dpi, the error as [`error_keys`]
/// writes it, whether the scan `misses` it or has it `extra`, why). Measured; each is a
/// recognition problem, none a reading of the PDF's text layer. Misses are figures whose two
/// readings disagree (`�`, never guessed, so not checked); extras are misreadings both passes
/// share, or lines rebuilt out of order — every one marked 需人工复核.
const DIFFERENCES: &[(&str, u32, &str, &str, &str)] = &[
    (
        R01,
        150,
        "N201 narrative/page 21/fiscal_grand_total",
        "misses",
        "the sentence's 0.3 (万元) is unreadable: its two readings differ",
    ),
    (
        R01,
        150,
        "N202 narrative/page 21/item",
        "misses",
        "2106.66 of 一般公共服务支出（类） is unreadable, so its 71.73% is not checked",
    ),
    (
        R01,
        150,
        "C103 basic_economic/30301/",
        "extra",
        "基本支出决算表 prints two panels side by side; from the recognised boxes the line of 303 is rebuilt below its items",
    ),
    (
        R01,
        150,
        "C103 basic_economic/30302/",
        "extra",
        "as 30301: 303 rebuilt below its items",
    ),
    (
        R01,
        150,
        "C103 basic_economic/30303/",
        "extra",
        "as 30301: 303 rebuilt below its items",
    ),
    (
        R01,
        150,
        "C103 basic_economic/31002/",
        "extra",
        "as 30301: 310 rebuilt below its items",
    ),
    (
        R01,
        150,
        "D001 income//",
        "extra",
        "page 8's unit line 单位：万元 is not recognised, so 收入决算表's title is not confirmed as a table's",
    ),
    (
        R01,
        100,
        "N201 narrative/page 21/fiscal_grand_total",
        "misses",
        "as at 150 dpi: 0.3 unreadable",
    ),
    (
        R01,
        100,
        "N202 narrative/page 21/item",
        "misses",
        "as at 150 dpi: 2106.66 unreadable",
    ),
    (
        R01,
        100,
        "D001 income//",
        "extra",
        "as at 150 dpi: page 8's unit line not recognised",
    ),
    (
        R01,
        100,
        "N204 narrative/page 24/parts",
        "extra",
        "at 100 dpi figures of the 机关运行经费 sentence are misread alike by both passes (parts 4.79 + 246.47 against 184.65)",
    ),
    (
        R02,
        150,
        "N201 narrative/page 24/gb.basic",
        "misses",
        "the sentence's 5377.64 is unreadable: its two readings differ",
    ),
    (
        R02,
        150,
        "N201 narrative/page 24/personnel",
        "misses",
        "the sentence's 4896.98 is unreadable: its two readings differ",
    ),
    (
        R02,
        100,
        "N201 narrative/page 24/gb.basic",
        "misses",
        "as at 150 dpi: 5377.64 unreadable",
    ),
    (
        R02,
        100,
        "N201 narrative/page 23/gb.class.212",
        "extra",
        "at 100 dpi the subject words of 行政运行（项） are misread, so 1092.80 is taken for 城乡社区支出（类）",
    ),
    (
        R02,
        100,
        "N202 narrative/page 23/gb.class.212",
        "extra",
        "the same sentence: its rate compared with the 类",
    ),
    (
        R02,
        100,
        "N205 narrative/page 23/gb.class.212",
        "extra",
        "the same sentence: 小于 compared with the 类",
    ),
    (
        R02,
        100,
        "N201 narrative/page 26/sangong.reception",
        "extra",
        "at 100 dpi a figure of the 公务接待费 sentence is misread alike by both passes",
    ),
    (
        R02,
        100,
        "T501 general_budget/210/total",
        "extra",
        "at 100 dpi a figure of the row is misread alike by both passes, or lost with its cell",
    ),
    (
        R02,
        100,
        "T501 general_budget/212/total",
        "extra",
        "as 210: a figure of the row misread at 100 dpi",
    ),
    (
        R02,
        100,
        "T501 general_budget/2120101/total",
        "extra",
        "as 210: a figure of the row misread at 100 dpi",
    ),
    (
        R03,
        150,
        "N202 narrative/page 18/general_budget_expenditure",
        "misses",
        "the sentence's rate (完成年初预算的 95.xx%) is unreadable, so the rate over a 年初预算 of 0 is not checked",
    ),
    (
        R03,
        150,
        "N205 narrative/page 18/general_budget_expenditure",
        "extra",
        "with the rate unreadable, the sentence's 小于 is compared with the 年初预算 0 instead",
    ),
    (
        R03,
        100,
        "N202 narrative/page 18/general_budget_expenditure",
        "misses",
        "as at 150 dpi: the rate unreadable",
    ),
];

const R01: &str = REPORTS[0];
const R02: &str = REPORTS[1];
const R03: &str = REPORTS[2];

/// A scan of `pdf` at `dpi`: each page rendered grey to JPEG by pdftoppm, the JPEGs written as
/// the pages of a PDF that holds nothing else (a page the size of its image at `dpi`).
fn scan(pdf: &Path, dpi: u32, dir: &Path) -> PathBuf {
    let prefix = dir.join(format!("page-{dpi}"));
    let ok = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-jpeg"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm (poppler-utils) runs")
        .success();
    assert!(ok, "pdftoppm failed on {}", pdf.display());
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&format!("page-{dpi}-")))
        })
        .collect();
    pages.sort();
    let images: Vec<Vec<u8>> = pages.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let out = dir.join(format!("scan-{dpi}.pdf"));
    std::fs::write(&out, image_pdf(&images, dpi)).unwrap();
    out
}

/// A JPEG's width, height and number of components, from its frame header.
fn jpeg_frame(jpeg: &[u8]) -> (u32, u32, u8) {
    let mut i = 2;
    while i + 9 < jpeg.len() {
        assert_eq!(jpeg[i], 0xFF, "a JPEG marker");
        let marker = jpeg[i + 1];
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        if matches!(marker, 0xC0..=0xC2) {
            let h = u32::from(u16::from_be_bytes([jpeg[i + 5], jpeg[i + 6]]));
            let w = u32::from(u16::from_be_bytes([jpeg[i + 7], jpeg[i + 8]]));
            return (w, h, jpeg[i + 9]);
        }
        i += 2 + len;
    }
    panic!("no JPEG frame header");
}

/// A PDF whose pages are `jpegs` (DCTDecode images), each page the image's size at `dpi`.
fn image_pdf(jpegs: &[Vec<u8>], dpi: u32) -> Vec<u8> {
    let n = jpegs.len();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {n} >>",
            (0..n)
                .map(|i| format!("{} 0 R", 3 + 3 * i))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .into_bytes(),
    ];
    for (i, jpeg) in jpegs.iter().enumerate() {
        let (w, h, components) = jpeg_frame(jpeg);
        // Points, in hundredths: exact integers.
        let pt = |px: u32| {
            let h = px * 7200 / dpi;
            format!("{}.{:02}", h / 100, h % 100)
        };
        let (pw, ph) = (pt(w), pt(h));
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw} {ph}] /Resources << /XObject << /Im0 {} 0 R >> >> /Contents {} 0 R >>",
                5 + 3 * i,
                4 + 3 * i
            )
            .into_bytes(),
        );
        let content = format!("q {pw} 0 0 {ph} 0 0 cm /Im0 Do Q");
        objects.push(
            format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            )
            .into_bytes(),
        );
        let space = if components == 1 {
            "DeviceGray"
        } else {
            "DeviceRGB"
        };
        let mut image = format!(
            "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /{space} /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
            jpeg.len()
        )
        .into_bytes();
        image.extend_from_slice(jpeg);
        image.extend_from_slice(b"\nendstream");
        objects.push(image);
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (k, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", k + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// The audit of `file` as `findings.json`.
fn audit_json(file: &Path) -> Value {
    let out = juesuan()
        .args(["audit", "--format", "json"])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The error findings of an audit, each as `rule table/row/column`. A narrative finding is
/// named by its figure and page, not its line: the lines of a text layer and of a scan's
/// recognised text are not numbered alike.
fn error_keys(audit: &Value) -> BTreeSet<String> {
    audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            let l = &f["location"];
            let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
            let row = if l["table"] == "narrative" {
                f["printed_at"]["en"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            } else {
                s(&l["row"])
            };
            format!(
                "{} {}/{}/{}",
                s(&f["rule"]),
                s(&l["table"]),
                row,
                s(&l["column"])
            )
        })
        .collect()
}

#[test]
fn scans_of_the_official_pdfs_give_their_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for report in REPORTS {
        let pdf = repo().join(format!("fixtures/reports/pdf/{report}.pdf"));
        let expected = error_keys(&audit_json(&pdf));
        for dpi in [150, 100] {
            let work = dir.path().join(format!("{report}-{dpi}"));
            std::fs::create_dir(&work).unwrap();
            let scanned = scan(&pdf, dpi, &work);
            let audit = audit_json(&scanned);
            // Every finding of a scan is read from OCR: each says it needs review.
            for f in audit["findings"].as_array().unwrap() {
                assert_eq!(f["review"], "ocr", "{report} at {dpi} dpi: {f}");
            }
            let found = error_keys(&audit);
            let known = |key: &str, how: &str| {
                DIFFERENCES
                    .iter()
                    .any(|d| d.0 == report && d.1 == dpi && d.2 == key && d.3 == how)
            };
            for key in expected.difference(&found) {
                if !known(key, "misses") {
                    problems.push(format!("{report} at {dpi} dpi misses {key}"));
                }
            }
            for key in found.difference(&expected) {
                if !known(key, "extra") {
                    problems.push(format!("{report} at {dpi} dpi: extra {key}"));
                }
            }
            // A difference listed that no longer happens is taken off the list.
            for d in DIFFERENCES.iter().filter(|d| d.0 == report && d.1 == dpi) {
                let still = match d.3 {
                    "misses" => expected.contains(d.2) && !found.contains(d.2),
                    _ => found.contains(d.2) && !expected.contains(d.2),
                };
                if !still {
                    problems.push(format!("{report} at {dpi} dpi no longer {} {}", d.3, d.2));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn without_tesseract_a_scan_is_refused_with_e0911() {
    let dir = tempfile::tempdir().unwrap();
    // A two-page scan, and a PATH with poppler's programs but no tesseract.
    let pdf = repo().join("fixtures/reports/pdf/03_shanghai-putuo-shgzb-2024.pdf");
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let pages: Vec<Vec<u8>> = (1..=2)
        .map(|p| {
            let out = work.join(format!("p{p}"));
            let ok = Command::new("pdftoppm")
                .args(["-r", "50", "-gray", "-jpeg", "-singlefile"])
                .args(["-f", &p.to_string(), "-l", &p.to_string()])
                .arg(&pdf)
                .arg(&out)
                .status()
                .unwrap()
                .success();
            assert!(ok);
            std::fs::read(out.with_extension("jpg")).unwrap()
        })
        .collect();
    let scan = work.join("scan.pdf");
    std::fs::write(&scan, image_pdf(&pages, 50)).unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    for tool in ["pdftotext", "pdfimages", "pdftoppm"] {
        let path = String::from_utf8(
            Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        std::os::unix::fs::symlink(path.trim(), bin.join(tool)).unwrap();
    }
    let out = juesuan()
        .env("PATH", &bin)
        .arg("audit")
        .arg(&scan)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for needle in ["E0912", "scan.pdf", "1–2", "tesseract-ocr-chi-sim"] {
        assert!(stderr.contains(needle), "{needle} not in:\n{stderr}");
    }
}
