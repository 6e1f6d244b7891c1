//! Test harness: an app over a fresh SQLite file or a fresh PostgreSQL database, and clients
//! with their own cookie jars that speak to the router in memory.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use juesuan_web::store::{self, Role};
use juesuan_web::{AppState, Db};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

pub const EXAMPLE: &[u8] = include_bytes!("../../../../examples/hongshan-kjj-2023.toml");
pub const DEPT: &str = "武汉市洪山区科学技术和经济信息化局";
pub const PASSWORD: &str = "test-password-1";

/// A zip of `entries` (name, bytes), deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A report of the fixtures (`fixtures/reports/NAME`).
pub fn fixture_report(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/reports/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The backends to test: SQLite always; PostgreSQL when `JUESUAN_TEST_POSTGRES_URL` is set
/// (scripts/test starts a server and sets it). With `JUESUAN_REQUIRE_POSTGRES=1` a missing URL
/// fails the test instead of leaving PostgreSQL out.
pub fn backends() -> Vec<&'static str> {
    let mut b = vec!["sqlite"];
    match std::env::var("JUESUAN_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => b.push("postgres"),
        _ => {
            assert!(
                std::env::var("JUESUAN_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "JUESUAN_REQUIRE_POSTGRES=1 but JUESUAN_TEST_POSTGRES_URL is not set"
            );
            eprintln!("PostgreSQL not tested: JUESUAN_TEST_POSTGRES_URL is not set");
        }
    }
    b
}

/// Runs blocking store calls from an async test (PostgreSQL's client blocks on a runtime of
/// its own).
pub fn sync<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

/// A fresh database of `backend`; the temp dir lives as long as the returned guard.
pub fn fresh_db(backend: &str) -> (Db, Option<tempfile::TempDir>) {
    match backend {
        "sqlite" => {
            let dir = tempfile::tempdir().unwrap();
            let db = Db::open_sqlite(&dir.path().join("t.sqlite3")).unwrap();
            (db, Some(dir))
        }
        _ => {
            let url = std::env::var("JUESUAN_TEST_POSTGRES_URL").unwrap();
            let name = format!("t_{}", juesuan_web::auth::token().get(..16).unwrap());
            let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .unwrap();
            let (base, _) = url.rsplit_once('/').unwrap();
            (Db::open(&format!("{base}/{name}")).unwrap(), None)
        }
    }
}

/// An app with a region, two departments, and users: editor (the example's department),
/// other (another department), reviewer (the region), outsider (a reviewer of another
/// region), admin.
pub struct World {
    pub state: Arc<AppState>,
    pub app: axum::Router,
    _dir: Option<tempfile::TempDir>,
}

impl World {
    pub fn new(backend: &str) -> World {
        sync(|| World::create(backend))
    }

    /// From a thread that is not driving async tasks, with the real PDF printer (Chromium).
    pub fn new_blocking_real_pdf(backend: &str) -> World {
        World::create_with(backend, None)
    }

    /// With a PDF printer that always fails (as without Chromium).
    pub fn without_pdf(backend: &str) -> World {
        sync(|| {
            World::create_with(
                backend,
                Some(Box::new(|_: &str| {
                    Err(juesuan_core::Diagnostic::error(
                        "E0603",
                        juesuan_core::Location::Nowhere,
                        juesuan_core::Text::new("找不到 Chromium", "Chromium not found"),
                    ))
                })),
            )
        })
    }

    fn create(backend: &str) -> World {
        World::create_with(
            backend,
            Some(Box::new(|html: &str| {
                assert!(html.contains("<html"));
                Ok(b"%PDF-1.4 test".to_vec())
            })),
        )
    }

    fn create_with(backend: &str, pdf: Option<Box<juesuan_web::PdfPrinter>>) -> World {
        let (db, dir) = fresh_db(backend);
        let mut state = AppState::new(db).unwrap();
        if let Some(pdf) = pdf {
            Arc::get_mut(&mut state).unwrap().pdf = pdf;
        }
        let db = &state.db;
        let region = store::ensure_region(db, "武汉市洪山区").unwrap();
        let far = store::ensure_region(db, "上海市普陀区").unwrap();
        let dept = store::ensure_department(db, region, DEPT).unwrap();
        let other = store::ensure_department(db, region, "武汉市洪山区<b>其他</b>局").unwrap();
        store::add_user(
            db,
            "editor",
            "填报员",
            PASSWORD,
            Role::Editor,
            Some(dept),
            None,
        )
        .unwrap();
        store::add_user(
            db,
            "other",
            "<script>alert(1)</script>",
            PASSWORD,
            Role::Editor,
            Some(other),
            None,
        )
        .unwrap();
        store::add_user(
            db,
            "reviewer",
            "审核员",
            PASSWORD,
            Role::Reviewer,
            None,
            Some(region),
        )
        .unwrap();
        store::add_user(
            db,
            "outsider",
            "外区审核员",
            PASSWORD,
            Role::Reviewer,
            None,
            Some(far),
        )
        .unwrap();
        store::add_user(db, "admin", "管理员", PASSWORD, Role::Admin, None, None).unwrap();
        World {
            app: juesuan_web::app(state.clone()),
            state,
            _dir: dir,
        }
    }

    pub fn client(&self) -> Client {
        Client::new(self.app.clone())
    }

    /// A client signed in as `user` (through the login form).
    pub async fn signed_in(&self, user: &str) -> Client {
        let c = self.client();
        c.login(user, PASSWORD).await;
        c
    }
}

#[derive(Clone)]
pub struct Client {
    app: axum::Router,
    pub jar: Arc<Mutex<HashMap<String, String>>>,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.text()))
    }
    pub fn location(&self) -> String {
        self.headers
            .get("location")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

impl Client {
    /// A visitor with an empty cookie jar, speaking to `app`.
    pub fn new(app: axum::Router) -> Client {
        Client {
            app,
            jar: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    fn cookie_header(&self) -> String {
        self.jar
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn csrf(&self) -> String {
        self.jar
            .lock()
            .unwrap()
            .get("juesuan_csrf")
            .cloned()
            .unwrap_or_default()
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let mut req = req;
        let cookies = self.cookie_header();
        if !cookies.is_empty() {
            req.headers_mut().insert("cookie", cookies.parse().unwrap());
        }
        let resp = self.app.clone().oneshot(req).await.unwrap();
        for v in resp.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let kv = v.split(';').next().unwrap();
            let (k, val) = kv.split_once('=').unwrap();
            if v.contains("Max-Age=0") {
                self.jar.lock().unwrap().remove(k);
            } else {
                self.jar
                    .lock()
                    .unwrap()
                    .insert(k.to_string(), val.to_string());
            }
        }
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// Makes sure the client has a CSRF cookie.
    pub async fn ensure_csrf(&self) -> String {
        if self.csrf().is_empty() {
            self.get("/api/csrf").await;
        }
        self.csrf()
    }

    /// A form POST with the client's CSRF token (unless `fields` has a csrf already).
    pub async fn form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.ensure_csrf().await;
        let mut body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        if !fields.iter().any(|(k, _)| *k == "csrf") {
            body.push(format!("csrf={token}"));
        }
        self.send(
            Request::post(path)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body.join("&")))
                .unwrap(),
        )
        .await
    }

    /// A JSON POST with the CSRF header.
    pub async fn post_json(&self, path: &str, body: serde_json::Value) -> Resp {
        let token = self.ensure_csrf().await;
        self.send(
            Request::post(path)
                .header("content-type", "application/json")
                .header("x-csrf-token", token)
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    /// A multipart upload of `bytes` as `name` to `path` (the CSRF token in the header when
    /// `csrf` is true).
    pub async fn upload_to(&self, path: &str, name: &str, bytes: &[u8], csrf: bool) -> Resp {
        self.multipart(path, name, bytes, csrf, None).await
    }

    /// A multipart form POST as a browser sends it: the CSRF token as the form's first field.
    pub async fn upload_form(&self, path: &str, name: &str, bytes: &[u8], token: &str) -> Resp {
        self.multipart(path, name, bytes, false, Some(token)).await
    }

    /// A form posting `files` together in fields `file` (the CSRF token in field `csrf`).
    pub async fn upload_files(&self, path: &str, files: &[(&str, Vec<u8>)]) -> Resp {
        let token = self.ensure_csrf().await;
        let boundary = "----juesuantestboundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
        )
        .into_bytes();
        for (name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::post(path).header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        );
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    async fn multipart(
        &self,
        path: &str,
        name: &str,
        bytes: &[u8],
        csrf: bool,
        field: Option<&str>,
    ) -> Resp {
        let token = self.ensure_csrf().await;
        let boundary = "----juesuantestboundary";
        let mut body = Vec::new();
        if let Some(t) = field {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{t}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut req = Request::post(path).header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        );
        if csrf {
            req = req.header("x-csrf-token", token);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Signs in through the form; panics unless it redirects to /work.
    pub async fn login(&self, user: &str, password: &str) {
        let r = self
            .form("/login", &[("username", user), ("password", password)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(r.location(), "/work");
    }

    /// Uploads the example through the API; returns the upload id.
    pub async fn upload_example(&self) -> i64 {
        let r = self
            .upload_to("/api/uploads", "hongshan.toml", EXAMPLE, true)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()["upload"]["id"].as_i64().unwrap()
    }
}
