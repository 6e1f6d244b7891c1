//! `juesuan serve` killed with SIGKILL in the middle of uploads: the SQLite database stays
//! consistent, every acknowledged upload is there as sent, and the published version made
//! before is intact; the server starts again on the same data.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const EXAMPLE: &[u8] = include_bytes!("../../../examples/hongshan-kjj-2023.toml");
const DEPT: &str = "武汉市洪山区科学技术和经济信息化局";
const PASSWORD: &str = "kill-test-password";

struct Resp {
    status: u16,
    head: String,
    body: Vec<u8>,
}

fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Resp> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(out.len());
    let head = String::from_utf8_lossy(&out[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(Resp {
        status,
        head,
        body: out[(split + 4).min(out.len())..].to_vec(),
    })
}

fn cookie(head: &str, name: &str) -> String {
    head.lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .find_map(|c| {
            c.split(';')
                .next()?
                .strip_prefix(&format!("{name}="))
                .map(str::to_string)
        })
        .unwrap_or_default()
}

/// A signed-in session: (cookie header, csrf token).
fn login(addr: &str, user: &str) -> (String, String) {
    login_with(addr, user, PASSWORD)
}

/// A session of `user` signed in with `password`: (cookie header, csrf token).
fn login_with(addr: &str, user: &str, password: &str) -> (String, String) {
    let r = http(addr, "GET", "/api/csrf", &[], b"").unwrap();
    let csrf = cookie(&r.head, "juesuan_csrf");
    let jar = format!("juesuan_csrf={csrf}");
    let body = format!("{{\"username\":\"{user}\",\"password\":\"{password}\"}}");
    let r = http(
        addr,
        "POST",
        "/api/login",
        &[
            ("Cookie", &jar),
            ("X-CSRF-Token", &csrf),
            ("Content-Type", "application/json"),
        ],
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let session = cookie(&r.head, "juesuan_session");
    (format!("{jar}; juesuan_session={session}"), csrf)
}

fn multipart(bytes: &[u8]) -> (String, Vec<u8>) {
    let b = "----killtest";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"e.toml\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

fn upload(addr: &str, s: &(String, String)) -> std::io::Result<Resp> {
    let (ct, body) = multipart(EXAMPLE);
    http(
        addr,
        "POST",
        "/api/uploads",
        &[
            ("Cookie", &s.0),
            ("X-CSRF-Token", &s.1),
            ("Content-Type", &ct),
        ],
        &body,
    )
}

fn json(r: &Resp) -> serde_json::Value {
    serde_json::from_slice(&r.body)
        .unwrap_or_else(|_| panic!("{} {}", r.status, String::from_utf8_lossy(&r.body)))
}

/// Where the server keeps its data: a SQLite folder or a PostgreSQL URL.
#[derive(Clone)]
enum Storage {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Storage {
    fn args(&self) -> Vec<String> {
        match self {
            Storage::Sqlite(d) => vec!["--data".into(), d.display().to_string()],
            Storage::Postgres(u) => vec!["--database-url".into(), u.clone()],
        }
    }
}

/// Starts the server; returns it, its address and what it printed before serving. The caller
/// kills and waits for it; a failed read panics the test, whose end reaps the child.
#[allow(clippy::zombie_processes)]
fn start_with(storage: &Storage, extra: &[&str]) -> (Child, String, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["--lang", "en", "serve", "--addr", "127.0.0.1:0"])
        .args(storage.args())
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut lines = Vec::new();
    loop {
        let mut line = Vec::new();
        let mut b = [0u8; 1];
        while out.read(&mut b).unwrap() == 1 && b[0] != b'\n' {
            line.push(b[0]);
        }
        let line = String::from_utf8(line).unwrap();
        assert!(
            !line.is_empty(),
            "the server stopped before serving: {lines:?}"
        );
        if let Some(addr) = line.split("http://").nth(1) {
            return (child, addr.trim_end_matches('/').to_string(), lines);
        }
        lines.push(line);
    }
}

fn start(storage: &Storage) -> (Child, String) {
    let (child, addr, _) = start_with(storage, &[]);
    (child, addr)
}

fn user_add(storage: &Storage, args: &[&str]) {
    let st = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["user", "add"])
        .args(args)
        .args(storage.args())
        .env("JUESUAN_PASSWORD", PASSWORD)
        .status()
        .unwrap();
    assert!(st.success());
}

/// A fresh PostgreSQL database when the test set-up started a server.
fn postgres_url() -> Option<String> {
    match std::env::var("JUESUAN_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => {
            let name = format!("kill_{}", std::process::id());
            let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
                .unwrap();
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .unwrap();
            let (base, _) = url.rsplit_once('/').unwrap();
            Some(format!("{base}/{name}"))
        }
        _ => {
            assert!(
                std::env::var("JUESUAN_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "JUESUAN_REQUIRE_POSTGRES=1 but JUESUAN_TEST_POSTGRES_URL is not set"
            );
            eprintln!("PostgreSQL not tested: JUESUAN_TEST_POSTGRES_URL is not set");
            None
        }
    }
}

#[test]
fn sigkill_during_uploads_loses_nothing_acknowledged_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    sigkill_during_uploads(&Storage::Sqlite(dir.path().join("data")));
}

#[test]
fn sigkill_during_uploads_loses_nothing_acknowledged_postgres() {
    if let Some(url) = postgres_url() {
        sigkill_during_uploads(&Storage::Postgres(url));
    }
}

/// Rows of the stored uploads: (id, content, size, findings JSON), and the published file.
/// A stored upload: id, content, size, findings JSON.
type Stored = (i64, Vec<u8>, i64, String);

fn stored(storage: &Storage, publication: i64) -> (Vec<Stored>, Vec<u8>) {
    match storage {
        Storage::Sqlite(data) => {
            let db = rusqlite::Connection::open(data.join("juesuan.sqlite3")).unwrap();
            let check: String = db
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .unwrap();
            assert_eq!(check, "ok");
            let fk: i64 = db
                .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(fk, 0);
            let mut st = db
                .prepare("SELECT id, content, size, findings_json FROM uploads")
                .unwrap();
            let rows = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let file = db
                .query_row(
                    "SELECT content FROM publication_files WHERE publication_id = ?1 AND name = 'report.xlsx'",
                    [publication],
                    |r| r.get(0),
                )
                .unwrap();
            (rows, file)
        }
        Storage::Postgres(url) => {
            let mut db = postgres::Client::connect(url, postgres::NoTls).unwrap();
            let rows = db
                .query("SELECT id, content, size, findings_json FROM uploads", &[])
                .unwrap()
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
                .collect();
            let file = db
                .query_one(
                    "SELECT content FROM publication_files WHERE publication_id = $1 AND name = 'report.xlsx'",
                    &[&publication],
                )
                .unwrap()
                .get(0);
            (rows, file)
        }
    }
}

fn sigkill_during_uploads(data: &Storage) {
    let data = data.clone();
    user_add(&data, &["editor", "--role", "editor", "--department", DEPT]);
    user_add(
        &data,
        &["reviewer", "--role", "reviewer", "--region", "武汉市洪山区"],
    );
    let (mut child, addr) = start(&data);
    let editor = login(&addr, "editor");
    let reviewer = login(&addr, "reviewer");
    // A published version first.
    let first = json(&upload(&addr, &editor).unwrap())["upload"]["id"]
        .as_i64()
        .unwrap();
    let eh = [
        ("Cookie", editor.0.as_str()),
        ("X-CSRF-Token", editor.1.as_str()),
    ];
    let rh = [
        ("Cookie", reviewer.0.as_str()),
        ("X-CSRF-Token", reviewer.1.as_str()),
    ];
    assert_eq!(
        http(
            &addr,
            "POST",
            &format!("/api/uploads/{first}/submit"),
            &eh,
            b""
        )
        .unwrap()
        .status,
        200
    );
    let r = http(
        &addr,
        "POST",
        &format!("/api/uploads/{first}/approve"),
        &rh,
        b"",
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let publication = json(&r)["publication_id"].as_i64().unwrap();
    let xlsx = http(
        &addr,
        "GET",
        &format!("/p/{publication}/files/report.xlsx"),
        &[],
        b"",
    )
    .unwrap()
    .body;
    assert!(xlsx.starts_with(b"PK"));

    // Uploads in flight from four threads, one half-sent request; then SIGKILL.
    let acked = std::sync::Arc::new(std::sync::Mutex::new(vec![first]));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut threads = Vec::new();
    for _ in 0..4 {
        let (addr, editor, acked, stop) =
            (addr.clone(), editor.clone(), acked.clone(), stop.clone());
        threads.push(std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                match upload(&addr, &editor) {
                    Ok(r) if r.status == 201 => acked
                        .lock()
                        .unwrap()
                        .push(json(&r)["upload"]["id"].as_i64().unwrap()),
                    _ => break,
                }
            }
        }));
    }
    let (ct, body) = multipart(EXAMPLE);
    let mut half = TcpStream::connect(&addr).unwrap();
    write!(half, "POST /api/uploads HTTP/1.1\r\nHost: x\r\nCookie: {}\r\nX-CSRF-Token: {}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n", editor.0, editor.1, body.len()).unwrap();
    half.write_all(&body[..body.len() / 2]).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for t in threads {
        t.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 2,
        "uploads were acknowledged before the kill: {}",
        acked.len()
    );

    // The database: consistent, every acknowledged upload as sent, the version intact.
    let (rows, file) = stored(&data, publication);
    assert_eq!(file, xlsx, "the published version is intact");
    for id in &acked {
        let (_, content, size, findings) = rows
            .iter()
            .find(|r| r.0 == *id)
            .unwrap_or_else(|| panic!("acknowledged upload {id} lost"));
        assert_eq!(content, EXAMPLE);
        assert_eq!(*size, i64::try_from(EXAMPLE.len()).unwrap());
        assert!(serde_json::from_str::<serde_json::Value>(findings).is_ok());
    }
    for (id, content, size, _) in &rows {
        assert_eq!(
            i64::try_from(content.len()).unwrap(),
            *size,
            "upload {id} is partial"
        );
    }

    // Started again: everything is served, the published file unchanged.
    let (mut child, addr) = start(&data);
    let again = http(
        &addr,
        "GET",
        &format!("/p/{publication}/files/report.xlsx"),
        &[],
        b"",
    )
    .unwrap()
    .body;
    assert_eq!(again, xlsx);
    let editor = login(&addr, "editor");
    let listed = json(&http(&addr, "GET", "/api/uploads", &[("Cookie", &editor.0)], b"").unwrap());
    let n = listed["uploads"].as_array().unwrap().len();
    assert!(n >= acked.len(), "{n} < {}", acked.len());
    assert_eq!(
        upload(&addr, &editor).unwrap().status,
        201,
        "the server works after the crash"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn the_demo_starts_with_printed_credentials_and_the_example() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::Sqlite(dir.path().join("data"));
    let (mut child, addr, lines) = start_with(&storage, &["--demo"]);
    let editor = lines
        .iter()
        .find(|l| l.contains("name editor"))
        .unwrap_or_else(|| panic!("{lines:?}"));
    let password = editor.rsplit(' ').next().unwrap();
    assert!(
        lines.iter().any(|l| l.contains("name admin"))
            && lines.iter().any(|l| l.contains("name reviewer"))
    );
    let (session, _) = login_with(&addr, "editor", password);
    let uploads = json(&http(&addr, "GET", "/api/uploads", &[("Cookie", &session)], b"").unwrap());
    assert_eq!(
        uploads["uploads"].as_array().unwrap().len(),
        1,
        "the example is uploaded"
    );
    assert_eq!(uploads["uploads"][0]["department"], DEPT);
    child.kill().unwrap();
    child.wait().unwrap();
    // A second start keeps the demo as it is.
    let (mut child, _, lines) = start_with(&storage, &["--demo"]);
    assert!(
        lines.iter().any(|l| l.contains("exists already")),
        "{lines:?}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn user_add_refuses_what_it_cannot_create() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::Sqlite(dir.path().join("data"));
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_juesuan"))
            .args(["--lang", "en", "user", "add"])
            .args(args)
            .args(storage.args())
            .env_remove("JUESUAN_PASSWORD")
            .output()
            .unwrap()
    };
    let ok = run(&["root"]);
    assert!(ok.status.success());
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("password "),
        "a generated password is printed"
    );
    for args in [
        vec!["root"],
        vec!["x", "--role", "boss"],
        vec!["y", "--role", "editor"],
        vec!["z", "--role", "reviewer"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("E1212"),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
