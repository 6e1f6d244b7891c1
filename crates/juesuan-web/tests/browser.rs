//! End to end in headless Chromium (driven over its DevTools pipe, no driver needed): an editor
//! signs in, uploads the example, reads the findings and opens a finding's cell in the preview,
//! submits; a reviewer comments and approves; the public opens the published page. Screenshots
//! of each step go to `target/tmp/e2e/`.
//!
//! Without a browser the test fails when `JUESUAN_REQUIRE_BROWSER=1` (scripts/test sets it)
//! and says it did not run otherwise.

mod common;

use common::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

fn browser() -> Option<String> {
    if let Ok(b) = std::env::var("JUESUAN_CHROMIUM") {
        return Some(b);
    }
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .find(|b| {
        Command::new("sh")
            .args(["-c", &format!("command -v {b}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
    .map(|b| b.to_string())
}

struct Cdp {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    next: u64,
    session: String,
    _profile: tempfile::TempDir,
}

impl Cdp {
    fn launch(browser: &str) -> Cdp {
        let profile = tempfile::tempdir().unwrap();
        // fd 3 reads the commands, fd 4 writes the answers (--remote-debugging-pipe).
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --hide-scrollbars --remote-debugging-pipe --window-size=1280,900 --user-data-dir=\"$1\" about:blank 3<&0 4>&1 </dev/null >/dev/null 2>/dev/null")
            .arg(browser)
            .arg(profile.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let output = BufReader::new(child.stdout.take().unwrap());
        let mut cdp = Cdp {
            child,
            input,
            output,
            next: 0,
            session: String::new(),
            _profile: profile,
        };
        let target = cdp.call("Target.createTarget", json!({"url": "about:blank"}), false);
        let attached = cdp.call(
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
            false,
        );
        cdp.session = attached["sessionId"].as_str().unwrap().to_string();
        cdp.call("Page.enable", json!({}), true);
        cdp.call("DOM.enable", json!({}), true);
        cdp.call("Runtime.enable", json!({}), true);
        cdp.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
            true,
        );
        cdp
    }

    fn call(&mut self, method: &str, params: Value, in_page: bool) -> Value {
        let v = self.send(method, params, in_page);
        assert!(v.get("error").is_none(), "{method}: {}", v["error"]);
        v["result"].clone()
    }

    /// One command and its whole answer, an error included (a page navigating away answers
    /// `Runtime.evaluate` with "Inspected target navigated or closed").
    fn send(&mut self, method: &str, params: Value, in_page: bool) -> Value {
        self.next += 1;
        let id = self.next;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if in_page {
            msg["sessionId"] = json!(self.session);
        }
        self.input.write_all(msg.to_string().as_bytes()).unwrap();
        self.input.write_all(b"\0").unwrap();
        self.input.flush().unwrap();
        loop {
            let mut buf = Vec::new();
            let n = self.output.read_until(0, &mut buf).unwrap();
            assert!(n > 0, "the browser closed its pipe");
            buf.pop();
            let v: Value = serde_json::from_slice(&buf).unwrap();
            if v["id"] == id {
                return v;
            }
        }
    }

    fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
            true,
        );
        assert!(
            r.get("exceptionDetails").is_none(),
            "{expr}: {}",
            r["exceptionDetails"]
        );
        r["result"]["value"].clone()
    }

    fn wait_for(&mut self, expr: &str) {
        let start = Instant::now();
        loop {
            // An error here means the page is between documents: ask again.
            let ok = self.send(
                "Runtime.evaluate",
                json!({"expression": format!("document.readyState === 'complete' && !!({expr})"), "returnByValue": true}),
                true,
            );
            if ok["result"]["result"]["value"] == true {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "timed out waiting for {expr}; page: {}",
                self.eval("location.href + ' ' + document.body.innerText.slice(0, 500)")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}), true);
        let u = url.split('#').next().unwrap().to_string();
        self.wait_for(&format!("location.href.startsWith({})", json!(u)));
    }

    fn screenshot(&mut self, name: &str) -> std::path::PathBuf {
        use base64::Engine;
        let r = self.call("Page.captureScreenshot", json!({"format": "png"}), true);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap())
            .unwrap();
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, bytes).unwrap();
        eprintln!("screenshot: {}", path.display());
        path
    }

    /// Screenshots of the page at 1400 px and at 390 px (a phone) wide.
    fn shots(&mut self, name: &str) {
        for (width, height, mobile) in [(1400, 900, false), (390, 844, true)] {
            self.viewport(width, height, mobile);
            self.screenshot(&format!("{name}-{width}"));
        }
        self.viewport(1280, 900, false);
    }

    /// Sets the window's size, and lets the page lay itself out again.
    fn viewport(&mut self, width: u32, height: u32, mobile: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
            true,
        );
        self.eval(
            "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))",
        );
    }

    fn login(&mut self, base: &str, user: &str) {
        self.goto(&format!("{base}/login"));
        self.eval(&format!(
            "document.querySelector('#username').value = {}; document.querySelector('#password').value = {}; document.querySelector('#login').click(); true",
            json!(user),
            json!(PASSWORD)
        ));
        self.wait_for("location.pathname === '/work'");
    }

    /// Chooses `file` in the workspace's upload form and sends it.
    fn upload(&mut self, file: &std::path::Path) {
        self.send_file(file, "#file", "#upload");
    }

    /// Chooses `file` in the file input `input` and presses `button`.
    fn send_file(&mut self, file: &std::path::Path, input: &str, button: &str) {
        let obj = self.call(
            "Runtime.evaluate",
            json!({"expression": format!("document.querySelector({})", json!(input))}),
            true,
        );
        self.call(
            "DOM.setFileInputFiles",
            json!({"files": [file], "objectId": obj["result"]["objectId"]}),
            true,
        );
        self.eval(&format!(
            "document.querySelector({}).click(); true",
            json!(button)
        ));
    }

    fn logout(&mut self) {
        self.eval("document.querySelector('form[action=\"/logout\"]').submit(); true");
        self.wait_for(
            "location.pathname === '/' && !!document.querySelector('a[href=\"/login\"]')",
        );
    }
}

impl Drop for Cdp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The example with the income of 2030699 and its spending both 1.00 万元 higher: still
/// balanced, a corrected version.
fn corrected_example() -> String {
    String::from_utf8(EXAMPLE.to_vec())
        .unwrap()
        .replace(
            "function = \"2030699 其他国防动员支出\", amount = 560.00",
            "function = \"2030699 其他国防动员支出\", amount = 561.00",
        )
        .replace(
            "function = \"2030699\", kind = \"项目支出\", amount = 560.00",
            "function = \"2030699\", kind = \"项目支出\", amount = 561.00",
        )
}

/// Whether the preview's marked element is the cell the hash addresses, judged from the page
/// itself: a table cell by its table, row and column attributes; in a 绩效 form (附件N, printed
/// without attributes), a score of the form under the heading 附件N: its total in the form's
/// head, or a value cell.
const MARKED_IS_ADDRESSED: &str = r#"(function () {
  var h = document.getElementById('highlighted');
  if (!h) return 'nothing marked';
  var all = decodeURIComponent(location.hash.split('cell=')[1]).split('/');
  var t = all[0], col = all[all.length - 1], row = all.slice(1, -1).join('/');
  var table = h.closest('table[data-table]');
  if (table) {
    var ok = h.tagName === 'TD' && table.dataset.table === t && (h.dataset.row || '') === row
      && (h.dataset.key || '') === col;
    return ok ? 'ok' : 'wrong cell: ' + h.outerHTML.slice(0, 200);
  }
  var form = h.closest('section.form');
  if (!form) return 'not in a table or form: ' + h.outerHTML.slice(0, 200);
  var heading = form;
  while (heading && heading.tagName !== 'H2') heading = heading.previousElementSibling;
  var n = /^附件(\d+)$/.exec(t);
  if (!n || !heading || !new RegExp('^\\s*(?:附件|Annex)\\s*' + n[1] + '(?!\\d)', 'i').test(heading.textContent)) {
    return 'wrong form: ' + (heading ? heading.textContent : 'none');
  }
  var score = row === '自评得分'
    ? h.parentElement.classList.contains('form-head') && /得分|总分|score/i.test(h.textContent)
    : h.matches('td.value');
  return score ? 'ok' : 'not a score: ' + h.outerHTML.slice(0, 200);
})()"#;

/// The app served on a loopback port with a real Chromium to drive it; `None` (the test not
/// run, said on stderr) without Chromium, unless `JUESUAN_REQUIRE_BROWSER=1` makes that a failure.
struct Served {
    browser: String,
    base: String,
    // Kept alive for the test's length: the server runs on this runtime, over this world.
    runtime: tokio::runtime::Runtime,
    world: World,
}

fn served() -> Option<Served> {
    let Some(browser) = browser() else {
        assert!(
            std::env::var("JUESUAN_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "JUESUAN_REQUIRE_BROWSER=1 but no Chromium found"
        );
        eprintln!("browser test NOT RUN: no chromium on PATH (set JUESUAN_CHROMIUM)");
        return None;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let world = World::new_blocking_real_pdf("sqlite");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(juesuan_web::serve(world.state.clone(), listener));
    Some(Served {
        browser,
        base,
        runtime,
        world,
    })
}

#[test]
fn workflow_in_a_real_browser() {
    let Some(Served {
        browser,
        base,
        runtime,
        world,
    }) = served()
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let example = dir.path().join("hongshan-kjj-2023.toml");
    std::fs::write(&example, EXAMPLE).unwrap();

    let mut b = Cdp::launch(&browser);
    b.login(&base, "editor");
    b.shots("01-workspace");
    let file = b.eval("document.querySelector('#file') !== null");
    assert_eq!(file, true);
    b.upload(&example);
    b.wait_for("document.querySelector('#findings')");
    let findings = b.eval("document.querySelector('#findings').innerText");
    assert!(findings.as_str().unwrap().contains("P104"), "{findings}");
    b.shots("02-findings");
    let upload_url = b.eval("location.href").as_str().unwrap().to_string();
    // Every link the rules produce, for every family: tables (T105 and T406 on line totals,
    // X110 on 公开06表's footer total, which has no column), the narrative's (N101 on the one
    // row of 公开09表) and the 绩效 forms' (P101 on 附件1's total, P104 on a project's). One
    // upload carries all of these slips.
    let errors = dir.path().join("slips.toml");
    let slips = String::from_utf8(EXAMPLE.to_vec())
        .unwrap()
        .replace(
            "balances = []",
            "balances = [{ fund = \"一般公共预算财政拨款\", kind = \"年末结转和结余\", amount = 1.00 }]",
        )
        .replace(
            "{ economic = \"30101 基本工资\", amount = 162.33 }",
            "{ economic = \"30101 基本工资\", amount = 163.33 }",
        )
        .replace(
            "{ category = \"公务接待费\", budget = 0, actual = 0 }",
            "{ category = \"公务接待费\", budget = 0, actual = 0.30 }",
        )
        .replace("reported_score = 99.67", "reported_score = 99.5");
    std::fs::write(&errors, slips).unwrap();
    b.goto(&format!("{base}/work"));
    b.upload(&errors);
    b.wait_for("document.querySelector('#findings') && document.querySelector('#findings').innerText.includes('T105')");
    let slips_url = b.eval("location.href").as_str().unwrap().to_string();
    let links: Vec<String> = serde_json::from_value(b.eval(
        "Array.from(document.querySelectorAll('.finding')).filter(f => f.querySelector('.cell-link')).map(f => f.querySelector('strong').innerText + ' ' + decodeURIComponent(f.querySelector('.cell-link').href.split('cell=')[1]))",
    ))
    .unwrap();
    for (rule, cell) in [
        ("T105", "summary/31/amount"),
        ("X110", "basic_economic/人员经费合计/"),
        ("N101", "sangong//actual_reception"),
        ("P101", "附件1/自评得分/得分"),
        ("P104", "附件5/自评得分/得分"),
    ] {
        assert!(
            links.contains(&format!("{rule} {cell}")),
            "{rule} links to {cell}: {links:?}"
        );
    }
    for (i, link) in links.iter().enumerate() {
        b.goto(&slips_url);
        b.wait_for("document.querySelector('.cell-link')");
        // The link itself, clicked (in this tab: a new one would need a target of its own).
        b.eval(&format!(
            "(function (a) {{ a.target = '_self'; a.click(); }})(Array.from(document.querySelectorAll('.finding')).filter(f => f.querySelector('.cell-link'))[{i}].querySelector('.cell-link')); true"
        ));
        b.wait_for(
            "location.pathname.endsWith('/preview') && document.querySelector('#highlighted')",
        );
        let verdict = b.eval(MARKED_IS_ADDRESSED);
        assert_eq!(verdict, "ok", "{link}");
        if i == 0 || link.starts_with("X110") || link.starts_with("P101") {
            b.screenshot(&format!("03-preview-{}", &link[..4]));
        }
    }
    // The same links in the English preview (its headings say Annex, its tables Table 06).
    b.goto(&format!("{slips_url}?lang=en"));
    for (i, link) in links.iter().enumerate() {
        b.goto(&slips_url);
        b.wait_for("document.querySelector('.cell-link')");
        b.eval(&format!(
            "(function (a) {{ a.target = '_self'; a.click(); }})(Array.from(document.querySelectorAll('.finding')).filter(f => f.querySelector('.cell-link'))[{i}].querySelector('.cell-link')); true"
        ));
        b.wait_for(
            "location.pathname.endsWith('/preview') && document.querySelector('#highlighted')",
        );
        let verdict = b.eval(MARKED_IS_ADDRESSED);
        assert_eq!(verdict, "ok", "English preview: {link}");
    }
    b.goto(&format!("{slips_url}?lang=zh"));
    b.goto(&upload_url);
    // A draft's preview says so.
    b.goto(&format!("{upload_url}/preview"));
    b.wait_for("document.querySelector('#draft-mark')");
    let mark = b.eval("getComputedStyle(document.body, '::after').content");
    assert_eq!(mark, "\"草稿\"");
    b.shots("03c-preview-draft");
    b.goto(&upload_url);
    b.eval("document.querySelector('#submit').click(); true");
    b.wait_for("document.querySelector('#state') && document.querySelector('#state').innerText.includes('已提交')");
    b.logout();

    // The reviewer comments and returns it.
    b.login(&base, "reviewer");
    b.goto(&upload_url);
    b.eval("document.querySelector('#overall').value = '请核对国防动员支出。'; document.querySelector('#overall').form.submit(); true");
    b.wait_for("document.querySelector('#notes').innerText.includes('国防动员')");
    b.shots("04-review");
    b.eval("document.querySelector('#return-comment').value = '2030699 的金额与明细不符，请更正后重新提交。'; document.querySelector('#return').click(); true");
    b.wait_for("document.querySelector('#state').innerText.includes('已退回')");
    b.logout();

    // The editor uploads the corrected version as the next one, and reads what changed.
    b.login(&base, "editor");
    b.goto(&upload_url);
    b.wait_for("document.querySelector('#resubmit-form')");
    let corrected = dir.path().join("hongshan-v2.toml");
    std::fs::write(&corrected, corrected_example()).unwrap();
    b.send_file(&corrected, "#resubmit-file", "#resubmit");
    b.wait_for("document.querySelector('#versions') && location.href !== document.referrer");
    b.wait_for("document.querySelector('#changes')");
    let second_url = b.eval("location.href").as_str().unwrap().to_string();
    assert_ne!(second_url, upload_url);
    let earlier = b.eval("document.querySelector('#versions').innerText");
    assert!(
        earlier.as_str().unwrap().contains("请更正后重新提交")
            && earlier.as_str().unwrap().contains("请核对国防动员支出"),
        "the earlier version's comments: {earlier}"
    );
    b.shots("09-resubmitted");
    b.eval("document.querySelector('#changes').click(); true");
    b.wait_for("document.querySelector('#figure-changes')");
    let rows = b.eval("Array.from(document.querySelectorAll('#figure-changes tr.changed')).map(r => Array.from(r.cells).map(c => c.innerText).join('|'))");
    let rows: Vec<String> = serde_json::from_value(rows).unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .any(|r| r.contains("2030699") && r.ends_with("|560.00|561.00|1.00|+0.18%")),
        "{rows:?}"
    );
    b.shots("10-changes");
    let changes_url = b.eval("location.href").as_str().unwrap().to_string();
    b.goto(&format!("{changes_url}?lang=en"));
    b.wait_for("document.querySelector('#figure-changes')");
    let heading = b.eval("document.querySelector('h1').innerText");
    assert_eq!(heading, "Changes between versions");
    b.shots("10-changes-en");
    b.goto(&format!("{changes_url}?lang=zh"));
    b.goto(&second_url);
    b.eval("document.querySelector('#submit').click(); true");
    b.wait_for("document.querySelector('#state') && document.querySelector('#state').innerText.includes('已提交')");
    b.logout();

    // The reviewer sees the chain, approves, and is asked to confirm first.
    b.login(&base, "reviewer");
    b.goto(&second_url);
    b.wait_for("document.querySelector('#versions')");
    b.eval("document.querySelector('#approve').scrollIntoView({block: 'center'}); true");
    b.shots("10b-decision");
    b.eval("document.querySelector('#approve').click(); true");
    b.wait_for("document.querySelector('#confirm-approve')");
    let asked = b.eval("document.querySelector('main').innerText");
    assert!(
        asked
            .as_str()
            .unwrap()
            .contains("确认后，报告立即向公众发布"),
        "{asked}"
    );
    b.shots("11-confirm");
    // Nothing is published before the confirmation.
    let listed =
        b.eval("fetch('/api/publications').then(r => r.json()).then(j => j.publications.length)");
    assert_eq!(listed, 0);
    b.eval("document.querySelector('#confirm-approve').click(); true");
    b.wait_for("document.querySelector('#published')");
    let public = b
        .eval("document.querySelector('#published').href")
        .as_str()
        .unwrap()
        .to_string();
    b.logout();

    b.goto(&public);
    b.wait_for("document.querySelector('#title')");
    let title = b.eval("document.querySelector('#title').innerText");
    assert!(title.as_str().unwrap().contains(DEPT));
    let meta = b.eval("document.querySelector('#title').nextElementSibling.innerText");
    assert!(
        meta.as_str().unwrap().contains("由审核员 审核通过，发布于"),
        "{meta}"
    );
    // The embedded report has loaded.
    b.wait_for("document.querySelector('iframe').contentDocument && document.querySelector('iframe').contentDocument.body.innerText.includes('公开01表')");
    b.shots("05-published");
    // The PDF download, printed by Chromium on first request, then kept.
    for _ in 0..2 {
        let pdf = b.eval("fetch(document.querySelector('a[href$=\"report.pdf\"]').href).then(r => r.arrayBuffer().then(a => r.status + ' ' + r.headers.get('content-type') + ' ' + new TextDecoder().decode(new Uint8Array(a).slice(0, 5))))");
        assert_eq!(pdf, "200 application/pdf %PDF-", "{pdf}");
    }
    b.goto(&format!("{base}/"));
    b.wait_for("document.querySelector('#grid')");
    b.shots("06-library");

    // A visitor audits a published report: the narrative's numbers, counted and listed.
    let seed = dir.path().join("wuhan-hongshan-kjj-2023.txt");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/reports/wuhan-hongshan-kjj-2023.txt"),
        &seed,
    )
    .unwrap();
    b.goto(&format!("{base}/audit"));
    b.send_file(&seed, "#audit-file", "#audit-submit");
    b.wait_for("document.querySelector('#narrative')");
    let line = b.eval("document.querySelector('#narrative').innerText");
    assert!(
        line.as_str()
            .unwrap()
            .starts_with("情况说明共 239 个数字：已核对"),
        "{line}"
    );
    b.eval("document.querySelector('details#numbers').open = true; true");
    let listed = b.eval("document.querySelectorAll('table.numbers tbody tr').length");
    assert_eq!(listed, 239);
    let disagreeing = b.eval(
        "Array.from(document.querySelectorAll('table.numbers tbody tr')).filter(r => r.innerText.includes('不符')).map(r => r.cells[1].innerText).join(',')",
    );
    assert_eq!(disagreeing, "1466.62万元", "the seed's one wrong amount");
    b.screenshot("06b-audit-narrative");

    // A published PDF: each finding shows its page with the figures boxed.
    let pdf = dir.path().join("02_shanghai-putuo-ghzyj-2024.pdf");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/reports/pdf/02_shanghai-putuo-ghzyj-2024.pdf"),
        &pdf,
    )
    .unwrap();
    b.goto(&format!("{base}/audit"));
    b.send_file(&pdf, "#audit-file", "#audit-submit");
    b.wait_for("document.querySelector('figure.evidence')");
    // The X104 on page 7: the figure shows the page image (its <use> resolves to the <image> of
    // page 7, a PNG) and its box lies inside the figure, about a line of text high.
    b.eval("document.querySelector('.finding[data-rule=\"X104\"]').scrollIntoView(); true");
    b.shots("06c-audit-pdf");
    let shown = b.eval(
        "(() => { const f = document.querySelector('.finding[data-rule=\"X104\"] figure.evidence[data-page=\"7\"]'); \
          const s = f.querySelector('svg').getBoundingClientRect(); \
          const image = document.getElementById(f.querySelector('use').getAttribute('href').slice(1)); \
          const r = f.querySelector('rect.box').getBoundingClientRect(); \
          return [image.tagName + ' ' + image.getAttribute('href').slice(0, 22), \
                  r.left >= s.left && r.right <= s.right && r.top >= s.top && r.bottom <= s.bottom, \
                  r.height > 5 && r.height < 40, f.innerText.trim()]; })()",
    );
    assert_eq!(
        shown,
        json!(["image data:image/png;base64,", true, true, "第 7 页"]),
        "{shown}"
    );

    // A second version (through the API): the example as it was, so one figure differs from
    // the corrected first version in its income and its expenditure alike.
    let changed = String::from_utf8(EXAMPLE.to_vec()).unwrap();
    let (first, second) = runtime.block_on(async {
        let editor = world.signed_in("editor").await;
        let r = editor
            .upload_to("/api/uploads", "v2.toml", changed.as_bytes(), true)
            .await;
        let id = r.json()["upload"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{}", r.text()));
        let r = editor.form(&format!("/uploads/{id}/submit"), &[]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.text());
        let reviewer = world.signed_in("reviewer").await;
        let r = reviewer
            .post_json(&format!("/api/uploads/{id}/approve"), json!({}))
            .await;
        let second = r.json()["publication_id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{}", r.text()));
        (second - 1, second)
    });
    b.goto(&format!("{base}/compare?a={first}&b={second}&table=income"));
    b.wait_for("document.querySelector('#compare')");
    let n = b.eval("document.querySelectorAll('#compare tr.changed').length");
    assert_eq!(n, 8, "合计, 203, 20306 and 2030699, two columns each");
    b.shots("08-compare");
    let rate = b.eval("Array.from(document.querySelectorAll('#compare tr.changed')).map(r => r.cells[5].innerText).join(',')");
    assert!(
        rate.as_str().unwrap().contains("-0.18%") && rate.as_str().unwrap().contains("-<0.01%"),
        "{rate}"
    );
    let grouped = b.eval("document.querySelector('#compare').innerText.includes('35,549.61')");
    assert_eq!(grouped, true, "thousands separators");
    b.goto(&format!("{base}/?lang=en"));
    b.wait_for("document.querySelector('#grid')");
    let heading = b.eval("document.querySelector('h1').innerText");
    assert_eq!(heading, "Published budgets and final accounts");
    b.shots("07-library-en");

    // The roll-up opens with the latest published year, not "None", and rolls up.
    b.goto(&format!("{base}/rollup"));
    b.wait_for("document.querySelector('#year')");
    assert_eq!(b.eval("document.querySelector('#year').value"), "2023");
    b.eval("document.querySelector('#year').form.submit(); true");
    b.wait_for("location.search.includes('year=2023') && document.querySelector('iframe.report')");
    b.shots("12-rollup");
    b.goto(&format!("{base}/rollup?region=1&year=abc&lang=zh"));
    b.wait_for("document.querySelector('#error')");
    let said = b.eval("document.querySelector('#error').innerText");
    assert!(
        said.as_str()
            .unwrap()
            .contains("year 应为四位数的年度（如 2023），收到“abc”"),
        "{said}"
    );
    b.shots("12b-rollup-bad-year");

    // The headers: a policy on every page, and signed-in pages are not kept, so Back after
    // signing out does not show them.
    let csp = b.eval("fetch('/').then(r => r.headers.get('content-security-policy'))");
    assert!(
        csp.as_str().unwrap().contains("script-src 'self';"),
        "{csp}"
    );
    let icon =
        b.eval("fetch('/favicon.ico').then(r => r.status + ' ' + r.headers.get('content-type'))");
    assert_eq!(icon, "200 image/svg+xml");
    b.login(&base, "reviewer");
    let store = b.eval("fetch('/work').then(r => r.headers.get('cache-control'))");
    assert_eq!(store, "no-store");

    // The reviewer withdraws the first publication, with a reason: kept, marked.
    b.goto(&public);
    b.wait_for("document.querySelector('#withdraw')");
    b.eval("document.querySelector('#withdraw-reason').scrollIntoView({block: 'center'}); true");
    b.shots("13a-withdraw-form");
    b.eval("document.querySelector('#withdraw-reason').value = '2030699 的金额有误，已发布更正版本。'; document.querySelector('#withdraw-confirm').checked = true; document.querySelector('#withdraw').click(); true");
    b.wait_for("document.querySelector('#withdrawn')");
    let banner = b.eval("document.querySelector('#withdrawn').innerText");
    assert!(
        banner.as_str().unwrap().contains("已发布更正版本")
            && banner.as_str().unwrap().contains("审核员"),
        "{banner}"
    );
    b.wait_for("document.querySelector('iframe').contentDocument && document.querySelector('iframe').contentDocument.body.innerText.includes('公开01表')");
    b.shots("13-withdrawn");
    b.goto(&format!("{base}/work"));
    b.wait_for("document.querySelector('#uploads')");
    b.shots("14-work-reviewer");
    b.goto(&format!("{base}/"));
    b.wait_for("document.querySelector('#grid')");
    b.logout();
    b.eval("history.back(); true");
    b.wait_for("location.pathname === '/'  && document.readyState === 'complete'");
    let after = b.eval("document.body.innerText.includes('审核员（')");
    assert_eq!(
        after, false,
        "Back after signing out shows no signed-in page"
    );

    // The administrator reads every action in the log.
    b.login(&base, "admin");
    b.goto(&format!("{base}/admin/log"));
    b.wait_for("document.querySelector('#log')");
    let log = b.eval("document.querySelector('#log').innerText");
    for word in ["撤回发布", "审核通过", "退回", "提交审核", "上传", "登录"] {
        assert!(log.as_str().unwrap().contains(word), "{word} in the log");
    }
    b.shots("15-log");
    // …and audits the whole library from there: every published version read back, the
    // batch's summary, each one's own audit page.
    b.eval("document.querySelector('#audit-library button').click(); true");
    b.wait_for("location.pathname.startsWith('/audit/batches/') && document.querySelector('#batch-totals')");
    let totals = b.eval("document.querySelector('#batch-totals').innerText");
    let totals = totals.as_str().unwrap();
    let n: String = totals
        .trim_start_matches("共 ")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(
        n.parse::<u32>().unwrap() >= 1
            && totals.starts_with(&format!("共 {n} 份文件：审查 {n} 份")),
        "every published version audited: {totals}"
    );
    b.shots("15-library-audit");
    b.eval("document.querySelector('#summary-link').click(); true");
    b.wait_for("document.querySelector('#documents')");
    b.eval("document.querySelector('#documents tbody tr a').click(); true");
    b.wait_for(
        "location.pathname.endsWith('/report.html.html') && document.body.innerText.includes('2023')",
    );
    let page = b.eval("document.body.innerText");
    assert!(
        page.as_str().unwrap().contains("情况说明共"),
        "the report page is read back, its narrative checked: {page}"
    );
    b.shots("15-library-audit-document");
    b.goto(&format!("{base}/admin/log?lang=en"));
    b.wait_for("document.querySelector('#log')");
    let log = b.eval("document.querySelector('#log').innerText");
    assert!(log.as_str().unwrap().contains("withdrew"), "{log}");
    b.shots("15-log-en");
    b.goto(&format!("{base}/admin/log?lang=zh"));
    // An error page offers the way back.
    b.goto(&format!("{base}/admin/log"));
    b.eval("location.href = '/uploads/99999'; true");
    b.wait_for("document.querySelector('#error')");
    let back = b.eval(
        "document.querySelector('#back') && document.querySelector('#back').getAttribute('href')",
    );
    assert_eq!(back, "/admin/log");
    b.shots("16-error");
}

/// A reviewer uploads a zip of reports on /audit and reads the batch's summary: the totals,
/// the summary page with its year filter, a document's own audit page.
#[test]
fn batch_audit_in_a_real_browser() {
    let Some(Served {
        browser,
        base,
        runtime: _runtime,
        world: _world,
    }) = served()
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("putuo.zip");
    std::fs::write(
        &zip,
        zip_of(&[
            (
                "2024/czj.txt",
                &fixture_report("01_shanghai-putuo-czj-2024.txt"),
            ),
            (
                "2025/sthjj.txt",
                &fixture_report("04_shanghai-putuo-sthjj-2025.txt"),
            ),
            ("说明.md", "不是报告".as_bytes()),
        ]),
    )
    .unwrap();

    let mut b = Cdp::launch(&browser);
    b.goto(&format!("{base}/audit"));
    b.send_file(&zip, "#audit-file", "#audit-submit");
    b.wait_for("document.querySelector('#summary-frame')");
    let totals = b.eval("document.querySelector('#batch-totals').innerText");
    assert!(
        totals
            .as_str()
            .unwrap()
            .starts_with("共 2 份文件：审查 2 份"),
        "{totals}"
    );
    let links = b.eval("document.querySelectorAll('#downloads a').length");
    assert_eq!(links, 6, "dataset.zip and the five data files");
    b.shots("17-audit-batch");

    // The summary on its own: both documents, the year filter hides the other year's.
    b.eval("document.querySelector('#summary-link').click(); true");
    b.wait_for("document.querySelector('#documents')");
    b.shots("18-audit-batch-summary");
    let rows =
        "Array.from(document.querySelectorAll('#documents tbody tr')).filter(r => !r.hidden)";
    assert_eq!(b.eval(&format!("{rows}.length")), 2);
    b.eval(
        "const s = document.querySelector('#filters select[name=year]'); s.value = '2025'; \
         s.dispatchEvent(new Event('change', {bubbles: true})); true",
    );
    assert_eq!(
        b.eval(&format!("{rows}.map(r => r.cells[0].innerText).join(',')")),
        "2025/sthjj.txt"
    );
    // Its link opens the document's own audit page.
    b.eval(&format!("{rows}[0].querySelector('a').click(); true"));
    b.wait_for("location.pathname.endsWith('/documents/2025/sthjj.txt.html')");
    let heading = b.eval("document.body.innerText");
    assert!(heading.as_str().unwrap().contains("sthjj.txt"), "{heading}");
    b.shots("19-audit-batch-document");
}

/// The figure viewer over an audited report (web /audit): the published narrative as read,
/// each number marked by what became of it; a contradicted number opens a panel with what it
/// was compared with and the finding on its line, a checked one (by keyboard) says it agrees,
/// one not checkable says why; English labels with ?lang=en.
#[test]
fn audited_narrative_viewer_in_a_real_browser() {
    let Some(Served {
        browser,
        base,
        runtime: _runtime,
        world: _world,
    }) = served()
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("czj-2024.txt");
    std::fs::write(&report, fixture_report("01_shanghai-putuo-czj-2024.txt")).unwrap();

    let mut b = Cdp::launch(&browser);
    b.goto(&format!("{base}/audit"));
    b.send_file(&report, "#audit-file", "#audit-submit");
    b.wait_for("document.querySelector('#audited-text .fig[data-mention][role=button]')");
    // Every number of the narrative is marked, as many as the summary line counts.
    let said = b.eval("document.querySelector('#narrative').innerText");
    let marks = b.eval("document.querySelectorAll('#audited-text .fig[data-mention]').length");
    assert!(
        said.as_str()
            .unwrap()
            .starts_with(&format!("情况说明共 {marks} 个数字")),
        "{marks} marks, {said}"
    );
    let wrong = b.eval(
        "Array.from(document.querySelectorAll('#audited-text .fig.m-contradicted')).map(e => e.innerText).join()",
    );
    assert_eq!(wrong, "0.3万元,71.73%");

    // The contradicted total: compared with the table's cell, the finding on its line.
    b.eval(
        "const w = document.querySelector('#audited-text .fig.m-contradicted'); \
         w.scrollIntoView({block: 'center'}); w.click(); true",
    );
    let panel = b.eval("document.querySelector('#figure-panel').innerText");
    let panel = panel.as_str().unwrap();
    for words in [
        "已核对，不符",
        "表中 财政拨款收入支出决算总表 第32行 总计 为 2961.68万元",
        "第 21 页",
        "N201 情况说明中的金额与表中数字一致",
    ] {
        assert!(panel.contains(words), "{words} in the panel: {panel}");
    }
    assert_eq!(
        b.eval("document.querySelector('.viewer-hl').innerText"),
        "0.3万元"
    );
    b.shots("23-audit-viewer-contradicted");

    // A checked number, reached with the keyboard.
    b.eval(
        "const f = document.querySelector('#audited-text .fig.m-held'); f.focus(); \
         f.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true})); true",
    );
    let panel = b.eval("document.querySelector('#figure-panel').innerText");
    let panel = panel.as_str().unwrap();
    assert!(
        panel.contains("已核对，相符") && panel.contains("2995.39万元"),
        "{panel}"
    );
    // A number not checkable says why.
    b.eval(
        "const u = document.querySelector('#audited-text .fig.m-unchecked'); \
         u.scrollIntoView({block: 'center'}); u.click(); true",
    );
    let panel = b.eval("document.querySelector('#figure-panel').innerText");
    assert!(panel.as_str().unwrap().contains("无法核对："), "{panel}");
    b.shots("24-audit-viewer-unchecked");
    // On a phone the panel takes the lower part of the screen: the number opened stays in
    // sight above it.
    b.viewport(390, 844, true);
    b.eval("document.querySelector('#audited-text .fig.m-unchecked').click(); true");
    let seen = b.eval(
        "const r = document.querySelector('.viewer-hl').getBoundingClientRect(); \
         r.top >= 0 && r.bottom <= document.querySelector('#figure-panel').getBoundingClientRect().top",
    );
    assert_eq!(seen, true, "the number opened is above the panel");
    b.screenshot("24-audit-viewer-unchecked-phone-390");
    b.viewport(1280, 900, false);
    b.eval("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'})); true");
    assert_eq!(
        b.eval("document.querySelector('#figure-panel').hidden"),
        true
    );

    // In English.
    b.goto(&format!("{base}/audit?lang=en"));
    b.send_file(&report, "#audit-file", "#audit-submit");
    b.wait_for("document.querySelector('#audited-text .fig.m-contradicted[role=button]')");
    b.eval(
        "const w = document.querySelector('#audited-text .fig.m-contradicted'); \
         w.scrollIntoView({block: 'center'}); w.click(); true",
    );
    let panel = b.eval("document.querySelector('#figure-panel').innerText");
    let panel = panel.as_str().unwrap();
    for words in [
        "checked: contradicted",
        "Compared with",
        "Findings on this line",
    ] {
        assert!(panel.contains(words), "{words} in the panel: {panel}");
    }
    b.shots("25-audit-viewer-en");
}

/// The figure viewer of a report page: a narrative figure opens a panel with its name, exact
/// value, definition in words and source cells; a source cell, clicked, is highlighted; a
/// table cell opens its own panel (the rows it adds up, the narrative figures citing it);
/// Escape closes the panel and gives the focus back; print hides it.
#[test]
fn figure_viewer_in_a_real_browser() {
    let Some(Served {
        browser,
        base,
        runtime: _runtime,
        world: _world,
    }) = served()
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let example = dir.path().join("hongshan-kjj-2023.toml");
    std::fs::write(&example, EXAMPLE).unwrap();

    let mut b = Cdp::launch(&browser);
    b.login(&base, "editor");
    b.upload(&example);
    b.wait_for("document.querySelector('#findings')");
    let upload_url = b.eval("location.href").as_str().unwrap().to_string();
    b.goto(&format!("{upload_url}/preview"));
    b.wait_for("document.querySelector('.fig[data-figure=\"gb.class.206\"]')");

    // A narrative figure, reached with the keyboard.
    let tabbable = b.eval(
        "document.querySelector('.fig[data-figure=\"gb.class.206\"]').getAttribute('tabindex')",
    );
    assert_eq!(tabbable, "0");
    b.eval(
        "const f = document.querySelector('.fig[data-figure=\"gb.class.206\"]'); f.focus(); \
         f.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true})); true",
    );
    let panel = b.eval("document.querySelector('#figure-panel').innerText");
    let panel = panel.as_str().unwrap();
    for words in [
        "科学技术支出（类）一般公共预算财政拨款支出",
        "300486500.00 元",
        "公开05表 一般公共预算财政拨款支出决算表 206 科学技术支出",
        "来源单元格",
        "核对它的规则",
        "— 相符",
    ] {
        assert!(panel.contains(words), "{words} in the panel: {panel}");
    }
    b.shots("20-viewer-figure");
    // Its source cell, clicked, is found and highlighted in 公开05表.
    b.eval("document.querySelector('#figure-panel li a').click(); true");
    let marked = b.eval(
        "Array.from(document.querySelectorAll('.viewer-hl')).map(e => \
         e.closest('table').dataset.table + '/' + e.dataset.row + '/' + e.dataset.key).join()",
    );
    assert_eq!(marked, "general_budget/206/total");
    b.shots("21-viewer-source-cell");
    // A ratio: its definition in words, both sides exact.
    b.eval("document.querySelector('.fig[data-figure=\"income.fiscal.share\"]').click(); true");
    let panel = b.eval("document.querySelector('#figure-panel').innerText");
    assert!(
        panel
            .as_str()
            .unwrap()
            .contains("「财政拨款收入」 ÷ 「本年收入合计」"),
        "{panel}"
    );

    // A table cell: the rows it adds up and what the narrative says of it.
    b.eval(
        "document.querySelector('table.report[data-table=\"general_budget\"] \
         td.value[data-row=\"206\"][data-key=\"total\"]').click(); true",
    );
    let panel = b.eval("document.querySelector('#figure-panel').innerText");
    let panel = panel.as_str().unwrap();
    for words in [
        "由以下各行加总",
        "20601 科学技术管理事务",
        "情况说明中引用此格的数字",
        "科学技术支出（类）",
    ] {
        assert!(
            panel.contains(words),
            "{words} in the cell's panel: {panel}"
        );
    }
    b.shots("22-viewer-cell");
    // A citing figure, clicked, is marked in the narrative.
    b.eval("Array.from(document.querySelectorAll('#figure-panel a.link')).pop().click(); true");
    let marked = b.eval("document.querySelector('.viewer-hl').dataset.figure");
    assert_eq!(marked, "gb.class.206");
    // On a phone the table is wider than the screen: the cell opened is scrolled into sight,
    // above the panel.
    b.viewport(390, 844, true);
    b.eval(
        "document.querySelector('table.report[data-table=\"general_budget\"] \
         td.value[data-row=\"20699\"][data-key=\"project\"]').click(); true",
    );
    let seen = b.eval(
        "const r = document.querySelector('.viewer-hl').getBoundingClientRect(); \
         r.top >= 0 && r.left >= 0 && r.right <= innerWidth && \
         r.bottom <= document.querySelector('#figure-panel').getBoundingClientRect().top",
    );
    assert_eq!(seen, true, "the cell opened is in sight above the panel");
    b.screenshot("22-viewer-cell-phone-390");
    b.viewport(1280, 900, false);
    // A cell printed blank is addressed too: its panel names its checks.
    b.eval(
        "document.querySelector('table.report[data-table=\"summary\"] \
         td.value[data-row=\"2\"][data-key=\"amount\"]').click(); true",
    );
    let panel = b.eval("document.querySelector('#figure-panel').innerText");
    assert!(
        panel.as_str().unwrap().contains("核对它的规则") && panel.as_str().unwrap().contains("T1"),
        "{panel}"
    );
    // Escape closes it; print never shows it.
    b.eval("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'})); true");
    assert_eq!(
        b.eval("document.querySelector('#figure-panel').hidden"),
        true
    );
    b.call(
        "Emulation.setEmulatedMedia",
        json!({"media": "print"}),
        true,
    );
    b.eval("document.querySelector('.fig[data-figure=\"gb.class.206\"]').click(); true");
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('#figure-panel')).display"),
        "none"
    );
}

/// A department's budget and final accounts in the browser: its editor uploads both through
/// the workspace, the region's reviewer approves each; the library shows both kinds in one
/// department × year cell, and the department's page reconciles them — all agreeing, then a
/// second 决算 whose 年初预算 of one item is not the published budget's shown as an error
/// linking both documents.
#[test]
fn budget_and_final_accounts_in_a_real_browser() {
    let Some(Served {
        browser,
        base,
        runtime: _runtime,
        world,
    }) = served()
    else {
        return;
    };
    let db = &world.state.db;
    let region = juesuan_web::store::ensure_region(db, "上海市普陀区").unwrap();
    let dept = juesuan_web::store::ensure_department(db, region, "上海市普陀区财政局").unwrap();
    juesuan_web::store::add_user(
        db,
        "putuo",
        "普陀填报员",
        PASSWORD,
        juesuan_web::store::Role::Editor,
        Some(dept),
        None,
    )
    .unwrap();
    let repo = |p: &str| {
        std::fs::read_to_string(format!("{}/../../{p}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    let ledger = repo("fixtures/xdoc/one-ledger-2025.toml");
    let item = |amount: &str| {
        [
            format!(
                r#"{{ source = "一般公共预算财政拨款", function = "2010602 一般行政管理事务", amount = {amount} }}"#
            ),
            format!(
                r#"{{ fund = "一般公共预算财政拨款", function = "2010602", kind = "项目支出", amount = {amount} }}"#
            ),
        ]
    };
    let mut off_budget = ledger.clone();
    for (from, to) in item("100000.00").iter().zip(item("110000.00")) {
        assert_eq!(off_budget.matches(from.as_str()).count(), 1, "{from}");
        off_budget = off_budget.replace(from.as_str(), &to);
    }
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("ledger-2025.toml", ledger),
        (
            "budget-2025.toml",
            repo("examples/shanghai-putuo-czj-2025-budget.toml"),
        ),
        ("ledger-2025-v2.toml", off_budget),
    ];
    let mut b = Cdp::launch(&browser);
    let publish = |b: &mut Cdp, name: &str, text: &str, shot: Option<&str>| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        b.login(&base, "putuo");
        b.upload(&path);
        b.wait_for("document.querySelector('#findings')");
        let url = b.eval("location.href").as_str().unwrap().to_string();
        b.eval("document.querySelector('#submit').click(); true");
        b.wait_for("document.querySelector('#state').innerText.includes('已提交')");
        b.logout();
        b.login(&base, "outsider");
        b.goto(&url);
        b.eval("document.querySelector('#approve').click(); true");
        b.wait_for("document.querySelector('#confirm-approve')");
        b.eval("document.querySelector('#confirm-approve').click(); true");
        b.wait_for("document.querySelector('#published')");
        if let Some(shot) = shot {
            b.shots(shot);
        }
        b.logout();
    };
    publish(&mut b, files[0].0, &files[0].1, None);
    publish(&mut b, files[1].0, &files[1].1, Some("25-budget-approved"));

    // The library: the 2025 cell holds the budget and the final accounts.
    b.goto(&format!("{base}/"));
    b.wait_for("document.querySelector('#grid')");
    let cell = b.eval(
        "Array.from(document.querySelectorAll('#grid tr')).find(r => r.innerText.includes('上海市普陀区财政局')).cells[2].innerText",
    );
    let cell = cell.as_str().unwrap();
    assert!(
        cell.contains("部门决算 第1版") && cell.contains("部门预算 第1版"),
        "{cell}"
    );
    b.shots("26-library-both-kinds");

    // The department's page: the documents reconcile.
    b.eval(
        "Array.from(document.querySelectorAll('#grid a')).find(a => a.innerText === '上海市普陀区财政局').click(); true",
    );
    b.wait_for("document.querySelector('#reconciliation')");
    let summary = b.eval("document.querySelector('#reconciliation-summary').innerText");
    assert_eq!(summary, "各文书之间的数字一致。");
    b.shots("27-department-reconciled");
    let department = b.eval("location.href").as_str().unwrap().to_string();

    // A second 决算 off the budget by one item: an R301 error naming both documents.
    publish(&mut b, files[2].0, &files[2].1, None);
    b.goto(&department);
    b.wait_for("document.querySelector('#reconciliation-summary')");
    let found = b.eval(
        "Array.from(document.querySelectorAll('#reconciliation .finding.error')).map(f => f.innerText).join('\\n')",
    );
    let found = found.as_str().unwrap();
    assert!(
        found.contains("R301")
            && found.contains("2025年度部门决算（第2版）")
            && found.contains("2025年度部门预算（第1版）")
            && found.contains("11.00万元"),
        "{found}"
    );
    b.shots("28-department-reconciliation-error");
    // Its link to the budget opens the budget's published page.
    b.eval(
        "Array.from(document.querySelectorAll('#reconciliation .finding.error a')).find(a => a.innerText.includes('部门预算')).click(); true",
    );
    b.wait_for("document.querySelector('#title') && document.querySelector('#title').dataset.kind === 'budget'");
    b.goto(&format!("{department}?lang=en"));
    b.wait_for("document.querySelector('#reconciliation-summary')");
    b.shots("29-department-reconciliation-en");
    b.goto(&format!("{department}?lang=zh"));
}
