//! A PDF read for the audit, its scanned pages recognised with tesseract.
//!
//! A page is scanned when pdftotext finds (almost) no text on it and it holds a page-sized
//! image (`pdfimages -list`), so a report that mixes text pages and scanned pages is read
//! page by page: text from the text layer, the rest recognised. Each scanned page is rendered
//! grey at [`ocr::DPI`] (`pdftoppm -r 300 -gray`: a scan's own image at 100 or 150 dpi reads
//! worse, measured in the README), its table rules removed, recognised with `chi_sim`
//! (`--psm 4`, which keeps a table row on one line), and every figure-like word recognised
//! again from its box with digits only — all of a page's crops in one tesseract run (a list
//! of images), since a process per crop costs more than the crop. The pure work (the TSV, the
//! words joined, two readings reconciled, the rules removed) is `juesuan_audit::ocr`'s.
//!
//! Pages are recognised in parallel, at most [`MAX_JOBS`] at once and one thread each
//! (`OMP_THREAD_LIMIT=1`: tesseract's own threads only contend when several run), each
//! program killed after its timeout.

use crate::tools::{log_tail, on_path, wait};
use juesuan_audit::bbox::{self, Word};
use juesuan_audit::ocr::{self, Gray};
use juesuan_audit::text::Document;
use juesuan_core::{Diagnostic, Location, Text};
use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A PDF as the audit reads it, and which of its pages were recognised from their images.
pub struct PdfRead {
    /// The document rebuilt from the words' positions, a page marker before each page (those
    /// of recognised pages say so, `juesuan_audit::text::RECOGNISED`).
    pub document: Document,
    /// The pages (1-based) whose text was recognised by OCR.
    pub recognised: Vec<u32>,
}

/// A page with fewer characters of text than this is taken for a scan when it holds a
/// page-sized image (a scan may carry a stamped page number or a header).
const MIN_TEXT_CHARS: usize = 10;

/// An image of at least this many square hundredths of an inch (20 square inches, a fifth of
/// A4) is a scanned page, not a logo or a signature.
const MIN_SCAN_AREA: u64 = 200_000;

/// Pages recognised at once: OCR is bound by the processor.
pub const MAX_JOBS: usize = 4;

/// Rendering a page takes a second; recognising one, some seconds on a slow machine.
const RENDER_TIMEOUT: Duration = Duration::from_secs(60);
const OCR_TIMEOUT: Duration = Duration::from_secs(300);

/// The PDF at `pdf`, named `name` in errors, as the audit reads it: the words of its text
/// layer (pdftotext), and those of its scanned pages recognised by tesseract.
///
/// Errors: those of [`crate::tools::bbox_layout`]; E0912 when a page is scanned and tesseract
/// or its Chinese data is not installed; E0913 when recognition fails or times out.
///
/// With `split`, a long document's pages are read in two halves at once when the machine has
/// two cores or more ([`crate::tools::bbox_layout`]): for an audit on its own; a batch keeps
/// the cores busy with documents already, and reads each whole.
pub fn read_pdf(pdf: &Path, name: &str, split: bool) -> Result<PdfRead, Diagnostic> {
    let split_at = if split { split_point(pdf) } else { None };
    let xhtml = crate::tools::bbox_layout(pdf, split_at)?;
    let (words, sizes) = bbox::page_words(name, &xhtml)?;
    let pages = u32::try_from(sizes.len()).unwrap_or(u32::MAX);
    let mut by_page = bbox::by_page(words, pages);
    let poor: Vec<u32> = (1..=pages)
        .filter(|p| {
            let chars: usize = by_page[*p as usize - 1]
                .iter()
                .map(|w| w.text.chars().filter(|c| !c.is_whitespace()).count())
                .sum();
            chars < MIN_TEXT_CHARS
        })
        .collect();
    let scanned = if poor.is_empty() {
        poor
    } else {
        with_page_images(pdf, &poor)
    };
    if scanned.is_empty() {
        return Ok(PdfRead {
            document: bbox::document_of(name, by_page, &[], sizes),
            recognised: Vec::new(),
        });
    }
    let tesseract = find_tesseract(name, &scanned)?;
    let mut recognised = Vec::new();
    for (page, words) in recognise(&tesseract, pdf, name, &scanned)? {
        // A blank page recognised is still a page without text.
        if !words.is_empty() {
            by_page[page as usize - 1] = words;
            recognised.push(page);
        }
    }
    Ok(PdfRead {
        document: bbox::document_of(name, by_page, &recognised, sizes),
        recognised,
    })
}

/// Documents shorter than this are read in one run: two would start twice for little.
const SPLIT_FROM_PAGES: u32 = 8;

/// Where to split the reading of the PDF at `pdf`: half its pages, when it has enough and
/// the machine two cores.
fn split_point(pdf: &Path) -> Option<u32> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if cores < 2 {
        return None;
    }
    let bytes = crate::files::read_bounded(pdf, juesuan_audit::text::MAX_BYTES).ok()?;
    crate::tools::page_count_hint(&bytes)
        .filter(|n| *n >= SPLIT_FROM_PAGES)
        .map(|n| n / 2)
}

/// [`read_pdf`] of a PDF held in memory (an upload), named `name` in errors: the bytes go to a
/// temporary file.
pub fn read_pdf_bytes(name: &str, bytes: &[u8], split: bool) -> Result<PdfRead, Diagnostic> {
    let failed = |e: std::io::Error| {
        Diagnostic::error(
            "E0906",
            Location::File {
                file: name.to_string(),
            },
            Text::new("无法读取 PDF 的文字", "the text of the PDF cannot be read"),
        )
        .found_text(crate::tools::temporary("file", &e))
    };
    let mut file = tempfile::Builder::new()
        .prefix("juesuan-upload-")
        .suffix(".pdf")
        .tempfile()
        .map_err(failed)?;
    std::io::Write::write_all(&mut file, bytes).map_err(failed)?;
    read_pdf(file.path(), name, split).map_err(|mut d| {
        if matches!(d.location, Location::File { .. }) {
            d.location = Location::File {
                file: name.to_string(),
            };
        }
        d
    })
}

/// Of `pages`, those holding a page-sized image (`pdfimages -list`). When pdfimages cannot
/// tell (not installed, or it fails), every one of them: recognising a blank page costs a
/// second and finds nothing.
fn with_page_images(pdf: &Path, pages: &[u32]) -> Vec<u32> {
    let Some(tool) = on_path(Path::new("pdfimages")) else {
        return pages.to_vec();
    };
    let Ok(dir) = tempfile::Builder::new()
        .prefix("juesuan-pdfimages-")
        .tempdir()
    else {
        return pages.to_vec();
    };
    let out = dir.path().join("list.txt");
    // Only the pages in question: listing a whole report's images costs as much as reading it.
    let (first, last) = (
        pages.iter().min().copied().unwrap_or(1),
        pages.iter().max().copied().unwrap_or(1),
    );
    let args = [
        OsString::from("-list"),
        OsString::from("-f"),
        OsString::from(first.to_string()),
        OsString::from("-l"),
        OsString::from(last.to_string()),
        input_arg(pdf),
    ];
    match run(&tool, &args, &out, RENDER_TIMEOUT) {
        Ok(()) => {
            let list = std::fs::read_to_string(&out).unwrap_or_default();
            let big = image_pages(&list);
            pages.iter().copied().filter(|p| big.contains(p)).collect()
        }
        Err(_) => pages.to_vec(),
    }
}

/// The pages `pdfimages -list` shows an image of at least [`MIN_SCAN_AREA`] on (its columns:
/// page, num, type, width, height, …, x-ppi, y-ppi, size, ratio).
fn image_pages(list: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for line in list.lines().skip(2) {
        let c: Vec<&str> = line.split_whitespace().collect();
        if c.len() < 14 || c[2] != "image" {
            continue;
        }
        let n = |i: usize| c[i].parse::<u64>().ok();
        let (Some(page), Some(w), Some(h), Some(xppi), Some(yppi)) =
            (n(0), n(3), n(4), n(12), n(13))
        else {
            continue;
        };
        if xppi == 0 || yppi == 0 {
            continue;
        }
        // Square hundredths of an inch.
        let area = (w * 100 / xppi) * (h * 100 / yppi);
        if area >= MIN_SCAN_AREA
            && let Ok(page) = u32::try_from(page)
            && !out.contains(&page)
        {
            out.push(page);
        }
    }
    out
}

/// A PDF's path as an argument: a relative name that starts with `-` would read as an option.
fn input_arg(pdf: &Path) -> OsString {
    if pdf.is_relative() {
        Path::new(".").join(pdf).into_os_string()
    } else {
        pdf.as_os_str().to_owned()
    }
}

/// Pages without text, for errors: `7`, `1–30`, `3, 5, 9`.
fn pages_named(pages: &[u32]) -> String {
    match pages {
        [one] => one.to_string(),
        [first, .., last] if pages.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("{first}–{last}")
        }
        _ => pages
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// tesseract, when it is on PATH and has the Simplified Chinese data (`tesseract
/// --list-langs`); else E0912, naming the scanned pages that need it.
fn find_tesseract(name: &str, scanned: &[u32]) -> Result<PathBuf, Diagnostic> {
    let missing = |found: Text| {
        Diagnostic::error(
            "E0912",
            Location::File {
                file: name.to_string(),
            },
            Text::new(
                format!(
                    "第 {} 页是扫描图像，没有文字；识别它们需要 tesseract 与简体中文数据",
                    pages_named(scanned)
                ),
                format!(
                    "pages {} are scanned images without text; recognising them needs tesseract and its Simplified Chinese data",
                    pages_named(scanned)
                ),
            ),
        )
        .expected(Text::new(
            "已安装 tesseract-ocr 与 tesseract-ocr-chi-sim（apt-get install tesseract-ocr tesseract-ocr-chi-sim），或审查有文字的 PDF",
            "tesseract-ocr and tesseract-ocr-chi-sim installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim), or a PDF with text audited",
        ))
        .found_text(found)
    };
    let Some(tool) = on_path(Path::new("tesseract")) else {
        return Err(missing(crate::tools::not_on_path("tesseract")));
    };
    let dir = tempfile::Builder::new()
        .prefix("juesuan-tesseract-")
        .tempdir()
        .map_err(|e| missing(crate::tools::temporary("folder", &e)))?;
    let out = dir.path().join("langs.txt");
    run(
        &tool,
        &[OsString::from("--list-langs")],
        &out,
        RENDER_TIMEOUT,
    )
    .map_err(|why| missing(Text::same(why)))?;
    let langs = std::fs::read_to_string(&out).unwrap_or_default();
    let has = |lang: &str| langs.lines().any(|l| l.trim() == lang);
    if has("chi_sim") && has("eng") {
        Ok(tool)
    } else {
        let have = langs.lines().skip(1).collect::<Vec<_>>().join(", ");
        Err(missing(Text::new(
            format!("tesseract 没有 chi_sim 或 eng 语言数据（已有：{have}）"),
            format!("tesseract without chi_sim or eng ({have})"),
        )))
    }
}

/// Runs `tool args` with its output (stdout and stderr) in `log`, killed after `timeout`,
/// one thread for tesseract: `Err` says what went wrong, with the end of its log.
fn run(tool: &Path, args: &[OsString], log: &Path, timeout: Duration) -> Result<(), String> {
    let name = tool.file_name().map_or_else(
        || tool.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    );
    let file = File::create(log).map_err(|e| format!("log file: {e}"))?;
    let err = file.try_clone().map_err(|e| format!("log file: {e}"))?;
    let mut child = Command::new(tool)
        .args(args)
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", tool.display()))?;
    match wait(&mut child, timeout).map_err(|e| format!("waiting for {name}: {e}"))? {
        None => Err(format!(
            "{name} did not finish in {} s and was stopped",
            timeout.as_secs()
        )),
        Some(s) if s.success() => Ok(()),
        Some(s) => Err(format!("{name} exited with {s}{}", log_tail(log))),
    }
}

/// A page's words, or the page and what went wrong.
type PageRead = Result<(u32, Vec<Word>), (u32, String)>;

/// Recognises `pages` of `pdf`, at most [`MAX_JOBS`] (and the machine's processors) at once:
/// each page's words, in page order.
fn recognise(
    tesseract: &Path,
    pdf: &Path,
    name: &str,
    pages: &[u32],
) -> Result<Vec<(u32, Vec<Word>)>, Diagnostic> {
    let failed = |page: Option<u32>, found: String| {
        Diagnostic::error(
            "E0913",
            Location::File {
                file: name.to_string(),
            },
            Text::new(
                "扫描页的文字识别失败",
                "the recognition of a scanned page failed",
            ),
        )
        .expected(Text::new(
            "pdftoppm 能渲染、tesseract 能识别的页面",
            "a page pdftoppm can render and tesseract can recognise",
        ))
        .found(match page {
            Some(p) => format!("page {p}: {found}"),
            None => found,
        })
    };
    let Some(pdftoppm) = on_path(Path::new("pdftoppm")) else {
        return Err(failed(
            None,
            "no pdftoppm (poppler-utils) on PATH to render the pages".to_string(),
        ));
    };
    let jobs = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, MAX_JOBS)
        .min(pages.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<PageRead> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&page) = pages.get(i) else {
                            break;
                        };
                        let read = recognise_page(tesseract, &pdftoppm, pdf, page);
                        let stop = read.is_err();
                        out.push(read.map(|w| (page, w)).map_err(|e| (page, e)));
                        if stop {
                            // The others finish their page; no new page is started.
                            next.store(pages.len(), std::sync::atomic::Ordering::Relaxed);
                            break;
                        }
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut read = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(p) => read.push(p),
            Err((page, why)) => return Err(failed(Some(page), why)),
        }
    }
    read.sort_by_key(|(p, _)| *p);
    Ok(read)
}

/// One page: rendered, its rules removed, recognised, its figures read again with digits only.
fn recognise_page(
    tesseract: &Path,
    pdftoppm: &Path,
    pdf: &Path,
    page: u32,
) -> Result<Vec<Word>, String> {
    let dir = tempfile::Builder::new()
        .prefix("juesuan-ocr-")
        .tempdir()
        .map_err(|e| format!("temporary folder: {e}"))?;
    let at = |f: &str| dir.path().join(f);
    let os = |s: &str| OsString::from(s);
    let p = page.to_string();
    run(
        pdftoppm,
        &[
            os("-r"),
            os(&ocr::DPI.to_string()),
            os("-gray"),
            os("-f"),
            os(&p),
            os("-l"),
            os(&p),
            os("-singlefile"),
            input_arg(pdf),
            at("page").into_os_string(),
        ],
        &at("pdftoppm.log"),
        RENDER_TIMEOUT,
    )?;
    let bytes = std::fs::read(at("page.pgm")).map_err(|e| format!("rendered page: {e}"))?;
    let image = Gray::from_pgm(&bytes)?.without_rules(ocr::DPI as usize / 2);
    drop(bytes);
    std::fs::write(at("clean.pgm"), image.to_pgm()).map_err(|e| format!("page image: {e}"))?;
    run(
        tesseract,
        &[
            at("clean.pgm").into_os_string(),
            at("text").into_os_string(),
            os("-l"),
            os("chi_sim"),
            os("--psm"),
            os("4"),
            os("tsv"),
        ],
        &at("tesseract.log"),
        OCR_TIMEOUT,
    )?;
    let tsv = std::fs::read_to_string(at("text.tsv")).map_err(|e| format!("tesseract TSV: {e}"))?;
    let words = ocr::join(ocr::split(ocr::tsv(&tsv)?));
    let figures = ocr::figures(&words);
    let mut digits: Vec<Option<String>> = vec![None; words.len()];
    if !figures.is_empty() {
        let mut list = String::new();
        for (k, &i) in figures.iter().enumerate() {
            let (x, y) = ocr::figure_box(&words[i]);
            let file = at(&format!("figure-{k}.pgm"));
            std::fs::write(&file, image.crop(x, y, 16).to_pgm())
                .map_err(|e| format!("figure image: {e}"))?;
            list.push_str(&file.to_string_lossy());
            list.push('\n');
        }
        std::fs::write(at("figures.txt"), list).map_err(|e| format!("figure list: {e}"))?;
        run(
            tesseract,
            &[
                at("figures.txt").into_os_string(),
                at("digits").into_os_string(),
                os("-l"),
                os("eng"),
                os("--psm"),
                os("7"),
                os("-c"),
                os("tessedit_char_whitelist=0123456789.,-"),
                os("tsv"),
            ],
            &at("digits.log"),
            OCR_TIMEOUT,
        )?;
        let tsv =
            std::fs::read_to_string(at("digits.tsv")).map_err(|e| format!("tesseract TSV: {e}"))?;
        for (k, r) in ocr::digit_readings(&tsv, figures.len())
            .into_iter()
            .enumerate()
        {
            digits[figures[k]] = r;
        }
    }
    Ok(ocr::page_words(page, &words, &|i| digits[i].clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sized_images_are_scans() {
        let list = "page   num  type   width height color comp bpc  enc interp  object ID x-ppi y-ppi size ratio\n\
                    --------------------------------------------------------------------------------------------\n\
                    \x20  1     0 image    1241  1754  gray    1   8  jpeg   no         5  0   150   150 71.0K 3.3%\n\
                    \x20  2     1 image     200   100  rgb     3   8  jpeg   no         8  0   150   150  5K 3.3%\n\
                    \x20  3     2 smask   1241  1754  gray    1   8  image  no         9  0   150   150  5K 3.3%\n\
                    \x20  4     3 image     827  1169  gray    1   8  jpeg   no        11  0   100   100 71.0K 3.3%\n";
        assert_eq!(image_pages(list), [1, 4]);
        assert_eq!(pages_named(&[3]), "3");
        assert_eq!(pages_named(&[1, 2, 3]), "1–3");
        assert_eq!(pages_named(&[1, 3]), "1, 3");
    }
}
