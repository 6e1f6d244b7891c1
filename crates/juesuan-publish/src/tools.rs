//! External programs at the edge. PDF output: the HTML page printed by headless Chromium; and
//! input for `audit`: the positions of a PDF's words, from poppler's pdftotext, and a .doc
//! converted to .docx by LibreOffice.
//!
//! One layout serves screen and paper: Chromium paginates the page's own print CSS (A4, the
//! landscape tables on named pages), so the PDF cannot drift from the HTML. Printing spawns a
//! browser, so it lives here at the edge and not in `juesuan-render`; reading a PDF spawns
//! pdftotext, so it lives here too (`juesuan-audit` reads its output).

use juesuan_core::{Diagnostic, Location, Text};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Environment variable naming the browser to print with: a path, or a name looked up on PATH.
pub const CHROMIUM_ENV: &str = "JUESUAN_CHROMIUM";

/// Browsers tried on PATH, in order, when [`CHROMIUM_ENV`] is unset.
pub const CANDIDATES: [&str; 5] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
];

/// A report prints in seconds; a browser still busy after this has hung.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Prints `html` (a self-contained page) to PDF with headless Chromium.
///
/// Errors: E0603 when no browser is found, E0604 when it fails, times out, writes no PDF, or
/// the page has Chinese text and the machine no Chinese font (the PDF would show empty boxes).
pub fn render_pdf(html: &str) -> Result<Vec<u8>, Diagnostic> {
    let chromium = find()?;
    check_chinese_font(&chromium, html)?;
    print(&chromium, html, TIMEOUT)
}

fn how_to_install() -> Text {
    Text::new(
        format!(
            "已安装 Chromium 与中文字体（apt-get install chromium fonts-noto-cjk），或以环境变量 \
             {CHROMIUM_ENV} 指定浏览器；不需要 PDF 时用 --format xlsx,html,json"
        ),
        format!(
            "Chromium and a Chinese font installed (apt-get install chromium fonts-noto-cjk), \
             or {CHROMIUM_ENV} naming the browser; without PDF: --format xlsx,html,json"
        ),
    )
}

/// What was found when no tool of `names` (comma-separated) is on PATH.
pub fn not_on_path(names: &str) -> Text {
    Text::new(
        format!("PATH 中没有 {}", names.replace(", ", " 或 ")),
        format!("no {} on PATH", names.replace(", ", " or ")),
    )
}

/// What was found when a temporary `what` (`file`, `folder`) cannot be made.
pub fn temporary(what: &str, e: &std::io::Error) -> Text {
    let zh = if what == "folder" {
        "临时文件夹"
    } else {
        "临时文件"
    };
    Text::new(format!("{zh}：{e}"), format!("temporary {what}: {e}"))
}

/// The browser: [`CHROMIUM_ENV`] if set, else the first of [`CANDIDATES`] on PATH.
fn find() -> Result<PathBuf, Diagnostic> {
    let not_found = |location: Location, found: Text| {
        Diagnostic::error(
            "E0603",
            location,
            Text::new(
                "找不到 PDF 渲染器（Chromium）",
                "PDF renderer not found (Chromium)",
            ),
        )
        .expected(how_to_install())
        .found_text(found)
    };
    if let Some(named) = std::env::var_os(CHROMIUM_ENV).filter(|v| !v.is_empty()) {
        let named = PathBuf::from(named);
        // A bare name is looked up on PATH, like a shell would.
        let found = if named.components().count() > 1 {
            is_executable(&named).then(|| named.clone())
        } else {
            on_path(&named)
        };
        return found.ok_or_else(|| {
            not_found(
                Location::File {
                    file: named.display().to_string(),
                },
                Text::new(
                    format!("{CHROMIUM_ENV}={}：没有这个可执行文件", named.display()),
                    format!("{CHROMIUM_ENV}={}: no such executable", named.display()),
                ),
            )
        });
    }
    CANDIDATES
        .iter()
        .find_map(|name| on_path(Path::new(name)))
        .ok_or_else(|| not_found(Location::Nowhere, not_on_path(&CANDIDATES.join(", "))))
}

pub(crate) fn on_path(name: &Path) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        let candidate = dir.join(name);
        if is_executable(&candidate) {
            return Some(candidate);
        }
        let exe = candidate.with_extension("exe");
        (cfg!(windows) && is_executable(&exe)).then_some(exe)
    })
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

fn failed(chromium: &Path, found: String) -> Diagnostic {
    Diagnostic::error(
        "E0604",
        Location::File {
            file: chromium.display().to_string(),
        },
        Text::new("生成 PDF 失败", "PDF rendering failed"),
    )
    .found(found)
}

/// Refuses to print Chinese text when fontconfig (which Chromium uses on Linux) knows no font
/// for it: the browser would print empty boxes and succeed. Without `fc-list` it cannot tell.
fn check_chinese_font(chromium: &Path, html: &str) -> Result<(), Diagnostic> {
    if !html.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        return Ok(());
    }
    let Ok(out) = Command::new("fc-list")
        .args([":lang=zh-cn", "family"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
    else {
        return Ok(());
    };
    if out.status.success() && out.stdout.iter().all(u8::is_ascii_whitespace) {
        return Err(failed(
            chromium,
            "no font for Chinese text on this machine (fc-list :lang=zh-cn lists none)".into(),
        )
        .expected(Text::new(
            "已安装中文字体（apt-get install fonts-noto-cjk）",
            "a Chinese font installed: apt-get install fonts-noto-cjk",
        )));
    }
    Ok(())
}

/// pdftotext reads a report in well under a second; still busy after this, it has hung.
const PDFTOTEXT_TIMEOUT: Duration = Duration::from_secs(60);

/// The words of the PDF `pdf` with their boxes: what `pdftotext -bbox-layout FILE -`
/// (poppler-utils) writes, for [`juesuan_audit::audit_bbox`].
///
/// With `split_at` = Some(k), pages 1–k and the pages after k are read by two pdftotext at
/// once (on two cores, most of the wait is halved) and their pages put together in order; the
/// second runs to the last page, so every page is read whatever k is. Should the second part
/// fail (k past the last page), the whole document is read again in one run.
///
/// Errors: E0905 when pdftotext is not on PATH, E0906 when it fails, times out or writes no
/// text.
pub fn bbox_layout(pdf: &Path, split_at: Option<u32>) -> Result<String, Diagnostic> {
    let Some(tool) = on_path(Path::new("pdftotext")) else {
        return Err(Diagnostic::error(
            "E0905",
            Location::File {
                file: pdf.display().to_string(),
            },
            Text::new(
                "找不到 pdftotext（poppler-utils），无法读取 PDF",
                "pdftotext (poppler-utils) not found: a PDF cannot be read",
            ),
        )
        .expected(Text::new(
            "已安装 poppler-utils（apt-get install poppler-utils），或改为审查报告的文本",
            "poppler-utils installed (apt-get install poppler-utils), or the report's text audited instead",
        ))
        .found_text(not_on_path("pdftotext")));
    };
    let Some(k) = split_at.filter(|k| *k >= 1) else {
        return extract(&tool, pdf, PDFTOTEXT_TIMEOUT, Pages::All);
    };
    let (first, rest) = std::thread::scope(|s| {
        let rest = s.spawn(|| extract(&tool, pdf, PDFTOTEXT_TIMEOUT, Pages::From(k + 1)));
        let first = extract(&tool, pdf, PDFTOTEXT_TIMEOUT, Pages::Upto(k));
        (first, rest.join())
    });
    match (first?, rest) {
        (first, Ok(Ok(rest))) => Ok(join_pages(first, &rest)),
        _ => extract(&tool, pdf, PDFTOTEXT_TIMEOUT, Pages::All),
    }
}

/// The pages one pdftotext run reads.
#[derive(Clone, Copy)]
enum Pages {
    All,
    Upto(u32),
    From(u32),
}

/// The pages of `rest` (pdftotext's output for the pages after those of `first`) put after
/// the last page of `first`.
fn join_pages(mut first: String, rest: &str) -> String {
    let (Some(end), Some(from), Some(to)) = (
        first.rfind("</page>").map(|i| i + "</page>".len()),
        rest.find("<page"),
        rest.rfind("</page>").map(|i| i + "</page>".len()),
    ) else {
        return first;
    };
    if from < to {
        first.insert_str(end, &format!("\n{}", &rest[from..to]));
    }
    first
}

/// The number of pages a PDF's page tree says it has (its largest `/Count` in a `/Type
/// /Pages` dictionary stored uncompressed), to split the reading in two: a hint, never relied
/// on for which pages are read ([`bbox_layout`] reads them all whatever it says).
pub fn page_count_hint(bytes: &[u8]) -> Option<u32> {
    let mut best = None;
    let mut at = 0;
    while let Some(i) = memchr::memmem::find(&bytes[at..], b"/Count") {
        let start = at + i;
        at = start + 6;
        let digits: Vec<u8> = bytes[at..]
            .iter()
            .skip_while(|b| b.is_ascii_whitespace())
            .take_while(|b| b.is_ascii_digit())
            .take(7)
            .copied()
            .collect();
        let Some(n) = std::str::from_utf8(&digits)
            .ok()
            .and_then(|d| d.parse::<u32>().ok())
        else {
            continue;
        };
        // The dictionary around it: from the `<<` before to the `>>` after.
        let before = start.saturating_sub(4096);
        let open =
            memchr::memmem::rfind(&bytes[before..start], b"<<").map_or(before, |j| before + j);
        let close = memchr::memmem::find(&bytes[at..], b">>").map_or(bytes.len(), |j| at + j);
        let dict = &bytes[open..close.min(open + 4096).max(open)];
        let pages = memchr::memmem::find(dict, b"/Type/Pages").is_some()
            || memchr::memmem::find(dict, b"/Type /Pages").is_some();
        if pages {
            best = best.max(Some(n));
        }
    }
    best
}

/// Page images are drawn at this resolution: legible on screen, about 150 KB a page as PNG.
pub const PAGE_DPI: u32 = 80;

/// pdftoppm draws a page in well under a second; still busy after this, it has hung.
const PDFTOPPM_TIMEOUT: Duration = Duration::from_secs(30);

/// At most this many pages are drawn for one audit: their images go into one page of HTML.
pub const MAX_PAGE_IMAGES: usize = 40;

/// PNG images of pages `pages` of the PDF `pdf`, drawn by poppler's `pdftoppm` at
/// [`PAGE_DPI`], one run per page (each bounded in time, as many at once as there are cores,
/// up to 4), at most [`MAX_PAGE_IMAGES`]. A page
/// that cannot be drawn is left out and its problem returned beside the images (E0911, a
/// warning): its
/// findings show no image, the audit stands.
pub fn page_images(pdf: &Path, pages: &[u32]) -> (BTreeMap<u32, Vec<u8>>, Vec<Diagnostic>) {
    let mut images = BTreeMap::new();
    let mut problems = Vec::new();
    if pages.is_empty() {
        return (images, problems);
    }
    let failed = |found: String| {
        not_drawn(Location::File {
            file: pdf.display().to_string(),
        })
        .expected(Text::new(
            "已安装 poppler-utils 的 pdftoppm（apt-get install poppler-utils）",
            "pdftoppm from poppler-utils (apt-get install poppler-utils)",
        ))
        .found(found)
    };
    let Some(tool) = on_path(Path::new("pdftoppm")) else {
        problems.push(failed("no pdftoppm on PATH".into()));
        return (images, problems);
    };
    let dir = match tempfile::Builder::new()
        .prefix("juesuan-pdftoppm-")
        .tempdir()
    {
        Ok(d) => d,
        Err(e) => {
            problems.push(failed(format!("temporary folder: {e}")));
            return (images, problems);
        }
    };
    let mut wanted: Vec<u32> = pages.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.len() > MAX_PAGE_IMAGES {
        problems.push(failed(format!(
            "{} pages have findings; the first {MAX_PAGE_IMAGES} are drawn",
            wanted.len()
        )));
        wanted.truncate(MAX_PAGE_IMAGES);
    }
    // One run per page, as many at once as the machine has cores (pages are independent).
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let drawn: Vec<(u32, Result<Vec<u8>, String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    while let Some(&page) =
                        wanted.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        out.push((
                            page,
                            draw_page(&tool, pdf, page, dir.path(), PDFTOPPM_TIMEOUT),
                        ));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (page, result) in drawn {
        match result {
            Ok(png) => {
                images.insert(page, png);
            }
            Err(why) => problems.push(failed(format!("page {page}: {why}"))),
        }
    }
    problems.sort_by(|a, b| a.found.cmp(&b.found));
    (images, problems)
}

/// [`page_images`] of a PDF held in memory (an upload), named `name` in problems.
pub fn page_images_bytes(
    name: &str,
    bytes: &[u8],
    pages: &[u32],
) -> (BTreeMap<u32, Vec<u8>>, Vec<Diagnostic>) {
    if pages.is_empty() {
        return (BTreeMap::new(), Vec::new());
    }
    let file = tempfile::Builder::new()
        .prefix("juesuan-upload-")
        .suffix(".pdf")
        .tempfile()
        .and_then(|mut f| std::io::Write::write_all(&mut f, bytes).map(|()| f));
    let (images, mut problems) = match file {
        Ok(f) => page_images(f.path(), pages),
        Err(e) => (
            BTreeMap::new(),
            vec![not_drawn(Location::Nowhere).found_text(temporary("file", &e))],
        ),
    };
    for d in &mut problems {
        d.location = Location::File {
            file: name.to_string(),
        };
    }
    (images, problems)
}

/// E0911, a warning: a page image could not be drawn, so its findings show none.
fn not_drawn(location: Location) -> Diagnostic {
    let mut d = Diagnostic::error(
        "E0911",
        location,
        Text::new(
            "无法生成 PDF 页面的图像，相关问题不附页面图像",
            "a page of the PDF could not be drawn: its findings show no page image",
        ),
    );
    d.severity = juesuan_core::diag::Severity::Warning;
    d
}

/// Runs `tool -png -r DPI -f page -l page -singlefile pdf OUT` in `dir`, killed after
/// `timeout`, and reads the PNG back.
fn draw_page(
    tool: &Path,
    pdf: &Path,
    page: u32,
    dir: &Path,
    timeout: Duration,
) -> Result<Vec<u8>, String> {
    let stem = dir.join(format!("page-{page}"));
    let log = dir.join(format!("page-{page}.log"));
    // A relative name that starts with `-` would read as an option.
    let input = if pdf.is_relative() {
        Path::new(".").join(pdf)
    } else {
        pdf.to_path_buf()
    };
    let mut child = Command::new(tool)
        .arg("-png")
        .args(["-r", &PAGE_DPI.to_string()])
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg("-singlefile")
        .arg(&input)
        .arg(&stem)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(File::create(&log).map_err(|e| format!("log file: {e}"))?)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", tool.display()))?;
    let status = wait(&mut child, timeout).map_err(|e| format!("waiting for pdftoppm: {e}"))?;
    let Some(status) = status else {
        return Err(format!(
            "pdftoppm did not finish in {} s and was stopped",
            timeout.as_secs()
        ));
    };
    let png = std::fs::read(stem.with_extension("png")).ok();
    match png {
        Some(png) if status.success() && png.starts_with(b"\x89PNG") => Ok(png),
        _ => Err(format!(
            "pdftoppm exited with {status} without an image{}",
            log_tail(&log)
        )),
    }
}

/// Runs `tool -bbox-layout pdf -` with its output in a temporary file (its messages kept for
/// the error: `-q` would silence them), killed after
/// `timeout`.
fn extract(tool: &Path, pdf: &Path, timeout: Duration, pages: Pages) -> Result<String, Diagnostic> {
    let failed = |found: String| {
        Diagnostic::error(
            "E0906",
            Location::File {
                file: pdf.display().to_string(),
            },
            Text::new("无法读取 PDF 的文字", "the text of the PDF cannot be read"),
        )
        .expected(Text::new(
            "pdftotext -bbox-layout 能读取的 PDF",
            "a PDF pdftotext -bbox-layout can read",
        ))
        .found(found)
    };
    let io = |what: &str, e: std::io::Error| failed(format!("{what}: {e}"));
    let dir = tempfile::Builder::new()
        .prefix("juesuan-pdftotext-")
        .tempdir()
        .map_err(|e| io("temporary folder", e))?;
    let out = dir.path().join("words.html");
    let log = dir.path().join("pdftotext.log");
    // A relative name that starts with `-` would read as an option.
    let input = if pdf.is_relative() {
        Path::new(".").join(pdf)
    } else {
        pdf.to_path_buf()
    };
    let mut command = Command::new(tool);
    match pages {
        Pages::All => &mut command,
        Pages::Upto(k) => command.arg("-l").arg(k.to_string()),
        Pages::From(k) => command.arg("-f").arg(k.to_string()),
    };
    let mut child = command
        .arg("-bbox-layout")
        .arg(&input)
        .arg("-")
        .stdin(Stdio::null())
        .stdout(File::create(&out).map_err(|e| io("output file", e))?)
        .stderr(File::create(&log).map_err(|e| io("log file", e))?)
        .spawn()
        .map_err(|e| io(&format!("cannot start {}", tool.display()), e))?;
    let status = wait(&mut child, timeout).map_err(|e| io("waiting for pdftotext", e))?;
    let Some(status) = status else {
        return Err(failed(format!(
            "pdftotext did not finish in {} s and was stopped",
            timeout.as_secs()
        )));
    };
    if !status.success() {
        return Err(failed(format!(
            "pdftotext exited with {status}{}",
            log_tail(&log)
        )));
    }
    let bytes = std::fs::read(&out).map_err(|e| io("output file", e))?;
    String::from_utf8(bytes).map_err(|_| failed("pdftotext wrote text that is not UTF-8".into()))
}

/// LibreOffice converts a report in seconds (its first start in a fresh profile takes
/// longest); still busy after this, it has hung.
const SOFFICE_TIMEOUT: Duration = Duration::from_secs(180);

/// A Word 97–2003 document (.doc) held in memory, named `name` in errors, converted to .docx
/// by LibreOffice (`soffice --headless --convert-to docx`), for [`juesuan_audit::docx`].
///
/// Errors: E0909 when LibreOffice is not on PATH, E0910 when it fails, times out or writes no
/// .docx.
pub fn docx_from_doc(name: &str, bytes: &[u8]) -> Result<Vec<u8>, Diagnostic> {
    let file = || Location::File {
        file: name.to_string(),
    };
    let Some(tool) = on_path(Path::new("soffice")).or_else(|| on_path(Path::new("libreoffice")))
    else {
        return Err(Diagnostic::error(
            "E0909",
            file(),
            Text::new(
                "找不到 LibreOffice（soffice），无法读取 .doc 文档",
                "LibreOffice (soffice) not found: a .doc document cannot be read",
            ),
        )
        .expected(Text::new(
            "已安装 LibreOffice Writer（apt-get install libreoffice-writer），或将文档另存为 .docx 再审查",
            "LibreOffice Writer installed (apt-get install libreoffice-writer), or the document saved as .docx and audited",
        ))
        .found_text(not_on_path("soffice, libreoffice")));
    };
    convert_doc(&tool, name, bytes, SOFFICE_TIMEOUT)
}

/// Runs LibreOffice (`tool`) on a copy of the .doc in a fresh temporary folder, killed after
/// `timeout`, and reads the .docx back.
fn convert_doc(
    tool: &Path,
    name: &str,
    bytes: &[u8],
    timeout: Duration,
) -> Result<Vec<u8>, Diagnostic> {
    let file = || Location::File {
        file: name.to_string(),
    };
    let failed = |found: String| {
        Diagnostic::error(
            "E0910",
            file(),
            Text::new(
                "LibreOffice 无法将 .doc 转换为 .docx",
                "LibreOffice cannot convert the .doc to .docx",
            ),
        )
        .expected(Text::new(
            "LibreOffice 能打开的 Word 97–2003 文档",
            "a Word 97–2003 document LibreOffice can open",
        ))
        .found(found)
    };
    let io = |what: &str, e: std::io::Error| failed(format!("{what}: {e}"));
    // A fresh folder holds the input, the output and LibreOffice's profile, so no user's
    // running LibreOffice or settings get in the way.
    let dir = tempfile::Builder::new()
        .prefix("juesuan-soffice-")
        .tempdir()
        .map_err(|e| io("temporary folder", e))?;
    let input = dir.path().join("report.doc");
    std::fs::write(&input, bytes).map_err(|e| io("temporary file", e))?;
    let log = dir.path().join("soffice.log");
    let log_file = File::create(&log).map_err(|e| io("log file", e))?;
    let log_err = log_file.try_clone().map_err(|e| io("log file", e))?;
    let mut profile = OsString::from("-env:UserInstallation=");
    profile.push(file_url(&dir.path().join("profile")));
    let mut child = Command::new(tool)
        .arg(profile)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(log_err)
        .spawn()
        .map_err(|e| io(&format!("cannot start {}", tool.display()), e))?;
    let status = wait(&mut child, timeout).map_err(|e| io("waiting for LibreOffice", e))?;
    let Some(status) = status else {
        return Err(failed(format!(
            "LibreOffice did not finish in {} s and was stopped",
            timeout.as_secs()
        )));
    };
    let docx = std::fs::read(dir.path().join("report.docx")).ok();
    match docx {
        Some(d) if status.success() && juesuan_audit::docx::is_docx(&d) => Ok(d),
        _ => Err(failed(format!(
            "LibreOffice exited with {status} without a .docx{}",
            log_tail(&log)
        ))),
    }
}

/// Runs the browser on a copy of the page in a fresh temporary folder (which also holds its
/// profile, so no user's browser state leaks in) and reads the PDF back.
fn print(chromium: &Path, html: &str, timeout: Duration) -> Result<Vec<u8>, Diagnostic> {
    let io = |what: &str, e: std::io::Error| failed(chromium, format!("{what}: {e}"));
    let dir = tempfile::Builder::new()
        .prefix("juesuan-pdf-")
        .tempdir()
        .map_err(|e| io("temporary folder", e))?;
    let page = dir.path().join("report.html");
    let pdf = dir.path().join("report.pdf");
    let log = dir.path().join("chromium.log");
    std::fs::write(&page, html).map_err(|e| io("temporary page", e))?;
    let log_file = File::create(&log).map_err(|e| io("log file", e))?;
    let log_err = log_file.try_clone().map_err(|e| io("log file", e))?;
    let with = |flag: &str, path: &Path| {
        let mut arg = OsString::from(flag);
        arg.push(path);
        arg
    };
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(with("--user-data-dir=", &dir.path().join("profile")))
        .arg("--no-pdf-header-footer")
        .arg(with("--print-to-pdf=", &pdf))
        .arg(file_url(&page))
        .stdin(Stdio::null())
        // Chromium reports on stdout and stderr alike, mostly noise; kept for the error.
        .stdout(log_file)
        .stderr(log_err)
        .spawn()
        .map_err(|e| io("cannot start", e))?;
    let status = wait(&mut child, timeout).map_err(|e| io("waiting", e))?;
    let Some(status) = status else {
        return Err(failed(
            chromium,
            format!(
                "no PDF after {} s; the browser was stopped",
                timeout.as_secs()
            ),
        ));
    };
    let bytes = std::fs::read(&pdf).ok().filter(|b| b.starts_with(b"%PDF-"));
    match bytes {
        Some(bytes) if status.success() => Ok(bytes),
        _ => {
            let why = if status.success() {
                "exited without writing a PDF".to_string()
            } else {
                format!("exited with {status}")
            };
            Err(failed(chromium, format!("{why}{}", log_tail(&log))))
        }
    }
}

/// Waits for `child` (a browser, or pdftotext), killing it after `timeout`: `None` when it was
/// killed.
pub(crate) fn wait(
    child: &mut std::process::Child,
    timeout: Duration,
) -> std::io::Result<Option<ExitStatus>> {
    let start = Instant::now();
    // Polled every 2 ms for the first seconds, then every 50 ms: a tool that takes tens of
    // milliseconds (pdftotext on a report, pdfimages) is not kept waiting for a coarse tick.
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if start.elapsed() >= timeout {
            // Chromium's helper processes exit with the browser process.
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        let tick = if start.elapsed() < Duration::from_secs(2) {
            2
        } else {
            50
        };
        std::thread::sleep(Duration::from_millis(tick));
    }
}

/// The last lines of the browser's log, without the D-Bus complaints every container prints.
pub(crate) fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.contains("dbus"))
        .collect();
    let tail = &lines[lines.len().saturating_sub(8)..];
    if tail.is_empty() {
        String::new()
    } else {
        format!("\n      {}", tail.join("\n      "))
    }
}

/// `file://` URL of an absolute path, percent-encoded (temporary folders may have spaces).
fn file_url(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut url = String::from("file://");
    if !text.starts_with('/') {
        url.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/报告.html")),
            "file:///tmp/a%20b/%E6%8A%A5%E5%91%8A.html"
        );
        assert_eq!(file_url(Path::new(r"C:\t\r.html")), "file:///C:/t/r.html");
    }

    /// LibreOffice's part, with a stand-in: its arguments, the .docx it writes read back, and
    /// its failures reported with what it said.
    #[cfg(unix)]
    #[test]
    fn a_doc_is_converted_through_libreoffice_s_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let docx = format!(
            "{}/../../fixtures/audit/word/hongshan-kjj-2023.report.docx",
            env!("CARGO_MANIFEST_DIR")
        );
        // Writes the fixture where `--outdir` says, named after the input, as soffice does.
        let tool = fake_browser(
            dir.path(),
            &format!(
                "case \"$*\" in *-env:UserInstallation=file://*\"--headless --norestore --convert-to docx --outdir\"*) ;; *) exit 3;; esac\n\
                 while [ \"$1\" != --outdir ]; do shift; done\n\
                 cp '{docx}' \"$2/$(basename \"$3\" .doc).docx\""
            ),
        );
        let out = convert_doc(&tool, "r.doc", b"doc bytes", TIMEOUT).unwrap();
        assert!(juesuan_audit::docx::is_docx(&out));
        let tool = fake_browser(
            dir.path(),
            "echo 'Error: source file could not be loaded' >&2",
        );
        let err = convert_doc(&tool, "r.doc", b"doc bytes", TIMEOUT).unwrap_err();
        assert_eq!(err.code, "E0910");
        assert!(
            err.found
                .as_ref()
                .map(|f| f.en.as_str())
                .unwrap_or("")
                .contains("could not be loaded"),
            "{err:?}"
        );
        let tool = fake_browser(dir.path(), "exec sleep 30");
        let err = convert_doc(&tool, "r.doc", b"x", Duration::from_millis(300)).unwrap_err();
        assert_eq!(err.code, "E0910");
    }

    /// A fake browser: a shell script with `body`, ignoring its arguments.
    #[cfg(unix)]
    fn fake_browser(dir: &Path, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("fake-chromium");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[cfg(unix)]
    #[test]
    fn a_failing_or_hung_pdftotext_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let tool = fake_browser(dir.path(), "echo 'Syntax Error: no PDF' >&2; exit 1");
        let err = extract(&tool, Path::new("x.pdf"), PDFTOTEXT_TIMEOUT, Pages::All).unwrap_err();
        assert_eq!(err.code, "E0906");
        let found = err.found.unwrap().en;
        assert!(found.contains("no PDF"), "{found}");
        let tool = fake_browser(dir.path(), "exec sleep 30");
        let start = Instant::now();
        let err = extract(
            &tool,
            Path::new("x.pdf"),
            Duration::from_millis(300),
            Pages::All,
        )
        .unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(10));
        assert!(err.found.unwrap().en.contains("stopped"));
        let tool = fake_browser(dir.path(), "echo '<doc></doc>'");
        assert_eq!(
            extract(&tool, Path::new("-x.pdf"), PDFTOTEXT_TIMEOUT, Pages::All).unwrap(),
            "<doc></doc>\n"
        );
    }

    /// Pages are drawn one by one; a page pdftoppm fails on, or hangs on, is left out with
    /// its reason, and the others are drawn.
    #[cfg(unix)]
    #[test]
    fn a_page_that_cannot_be_drawn_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        // Writes a PNG where `-singlefile` says, for page 2 only; hangs on page 3.
        let tool = fake_browser(
            dir.path(),
            "case \"$*\" in *\"-png -r 80 -f 2 -l 2 -singlefile\"*) printf '\\211PNG' > \"${10}.png\";; *\"-f 3 \"*) exec sleep 30;; *) echo 'Syntax Error' >&2; exit 1;; esac",
        );
        let png = draw_page(&tool, Path::new("x.pdf"), 2, out.path(), PDFTOPPM_TIMEOUT).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        let why =
            draw_page(&tool, Path::new("x.pdf"), 1, out.path(), PDFTOPPM_TIMEOUT).unwrap_err();
        assert!(why.contains("Syntax Error"), "{why}");
        let start = Instant::now();
        let why = draw_page(
            &tool,
            Path::new("x.pdf"),
            3,
            out.path(),
            Duration::from_millis(300),
        )
        .unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(10));
        assert!(why.contains("stopped"), "{why}");
    }

    /// With poppler-utils installed (scripts/test installs it): a real page as PNG.
    #[test]
    fn a_page_of_a_pdf_is_drawn_as_png() {
        if on_path(Path::new("pdftoppm")).is_none() {
            eprintln!("pdftoppm not installed: skipped");
            return;
        }
        let pdf = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/reports/pdf/01_shanghai-putuo-czj-2024.pdf");
        let (images, problems) = page_images(&pdf, &[6, 6, 9999]);
        assert!(images[&6].starts_with(b"\x89PNG"));
        assert_eq!(images.len(), 1);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].code, "E0911");
        assert_eq!(problems[0].severity, juesuan_core::diag::Severity::Warning);
    }

    /// A PDF read in two halves at once gives the same words as read in one run, wherever
    /// the split falls — past the last page included (the whole is then read again).
    #[test]
    fn a_pdf_read_in_two_halves_is_the_pdf_read_whole() {
        if on_path(Path::new("pdftotext")).is_none() {
            eprintln!("pdftotext not installed: skipped");
            return;
        }
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/reports/pdf");
        for name in [
            "01_shanghai-putuo-czj-2024.pdf",
            "03_shanghai-putuo-shgzb-2024.pdf",
        ] {
            let pdf = dir.join(name);
            let bytes = std::fs::read(&pdf).unwrap();
            let pages = page_count_hint(&bytes).unwrap();
            let whole = bbox_layout(&pdf, None).unwrap();
            let words = |xhtml: &str| juesuan_audit::bbox::page_words(name, xhtml).unwrap();
            assert_eq!(words(&whole).1.len(), pages as usize, "{name}");
            for k in [1, pages / 2, pages - 1, pages, pages + 5] {
                let split = bbox_layout(&pdf, Some(k)).unwrap();
                assert_eq!(words(&split), words(&whole), "{name} split after page {k}");
            }
        }
    }

    #[test]
    fn the_page_count_is_the_page_trees() {
        // An outline's /Count (33 items) is not the page tree's (24 pages).
        let pdf = b"%PDF-1.7\n1 0 obj<</Type/Outlines/Count 33/First 5 0 R>>endobj\n\
                    2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 24 >>\nendobj\n\
                    3 0 obj<</Type/Pages/Parent 2 0 R/Count 12/Kids[]>>endobj";
        assert_eq!(page_count_hint(pdf), Some(24));
        assert_eq!(page_count_hint(b"%PDF-1.7 no tree"), None);
        assert_eq!(page_count_hint(b"<</Type/Pages/Count"), None);
    }

    #[test]
    fn pages_are_joined_in_order() {
        let first = "<doc>\n<page n=\"1\"></page>\n</doc>\n</body>".to_string();
        let rest = "<doc>\n<page n=\"2\"></page><page n=\"3\"></page>\n</doc>";
        assert_eq!(
            join_pages(first.clone(), rest),
            "<doc>\n<page n=\"1\"></page>\n<page n=\"2\"></page><page n=\"3\"></page>\n</doc>\n</body>"
        );
        assert_eq!(join_pages(first.clone(), "<doc></doc>"), first);
    }

    #[cfg(unix)]
    #[test]
    fn a_hung_browser_is_killed_at_the_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let browser = fake_browser(dir.path(), "exec sleep 30");
        let start = Instant::now();
        let err = print(&browser, "<p>x</p>", Duration::from_millis(300)).unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(10));
        assert_eq!(err.code, "E0604");
        assert!(err.found.unwrap().en.contains("stopped"));
    }

    #[cfg(unix)]
    #[test]
    fn a_browser_that_writes_no_pdf_fails_with_its_log() {
        let dir = tempfile::tempdir().unwrap();
        let browser = fake_browser(dir.path(), "echo 'cannot open display' >&2; exit 0");
        let err = print(&browser, "<p>x</p>", TIMEOUT).unwrap_err();
        assert_eq!(err.code, "E0604");
        let found = err.found.unwrap().en;
        assert!(
            found.contains("without writing a PDF") && found.contains("cannot open display"),
            "{found}"
        );
        let browser = fake_browser(dir.path(), "exit 3");
        let found = print(&browser, "<p>x</p>", TIMEOUT)
            .unwrap_err()
            .found
            .unwrap()
            .en;
        assert!(found.contains("exited with"), "{found}");
    }
}
