//! `juesuan serve`: the disclosure as a workflow between people. A department's editor uploads
//! its input (TOML or XLSX) and reads the findings, each linked to its cell in the report
//! preview, and submits; a reviewer of the finance bureau writes 审核意见 per finding or overall
//! and approves or returns; the public reads the published versions (report, XLSX, PDF, JSON,
//! CSV), compares years, rolls up a district and audits any published report.
//!
//! IO at the edge: [`db`] (SQLite or PostgreSQL, migrations in `data/migrations/`), [`store`]
//! (what is kept; uploads, reviews and publications insert-only), [`auth`] (argon2, tokens,
//! cookies), [`routes`] (pages and the JSON API, documented in `docs/openapi.json`). Reading,
//! checking and rendering are `juesuan-publish`'s, exactly as the command line does them.

pub mod auth;
pub mod batches;
mod clock;
pub mod db;
pub mod error;
pub mod routes;
pub mod store;
mod templates;
mod views;

pub use db::Db;
pub use error::WebError;
pub use routes::app;

use juesuan_core::Diagnostic;
use juesuan_publish::pipeline::{Setup, SetupOptions};
use std::sync::Arc;

/// How PDFs are printed (an edge: [`juesuan_publish::tools::render_pdf`] in production).
pub type PdfPrinter = dyn Fn(&str) -> Result<Vec<u8>, Diagnostic> + Send + Sync;

/// What every request shares.
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Catalog, rules, layouts, narratives: read once.
    pub setup: Setup,
    /// The PDF printer.
    pub pdf: Box<PdfPrinter>,
    /// Largest accepted upload in bytes.
    pub max_upload: usize,
    /// Mark cookies `Secure` always (the server is reached over HTTPS only).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed (a request
    /// from anywhere else is taken at its connection's address and scheme).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The batch audits of `/audit` lately done, served under `/audit/batches/{id}/`.
    pub audits: batches::Batches,
    /// Each document kind's name, `{id: {zh, en}}`, as the pages name a publication's kind
    /// (the template function `kind_name`).
    pub kind_names: Arc<serde_json::Value>,
}

impl AppState {
    /// The state over `db` with the built-in setup and Chromium for PDFs.
    pub fn new(db: Db) -> Result<Arc<AppState>, WebError> {
        let setup = Setup::new(SetupOptions::default()).map_err(|d| setup_error(&d))?;
        Ok(AppState::with_setup(db, setup))
    }

    /// The state over `db` with `setup` (the server's `--assets` and `--catalog`) and Chromium
    /// for PDFs.
    pub fn with_setup(db: Db, setup: Setup) -> Arc<AppState> {
        let kind_names = setup
            .assets
            .bundles()
            .map(|b| (b.kind.id.clone(), serde_json::json!(b.kind.name)))
            .collect::<serde_json::Map<_, _>>();
        Arc::new(AppState {
            kind_names: Arc::new(serde_json::Value::Object(kind_names)),
            db,
            setup,
            pdf: Box::new(juesuan_publish::tools::render_pdf),
            max_upload: 64 << 20,
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            audits: batches::Batches::default(),
        })
    }

    /// Runs blocking work (the database, checking, rendering) on tokio's blocking pool.
    pub async fn blocking<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&AppState) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || f(&state))
            .await
            .map_err(|e| WebError::database(format!("worker failed: {e}")))?
    }
}

/// The diagnostics of setting the server up, in English on one line (for the terminal).
fn setup_error(d: &[Diagnostic]) -> WebError {
    WebError::pipeline(
        d.iter()
            .map(|d| d.render(juesuan_core::Lang::En))
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Serves `state` on `listener` until the process ends.
pub async fn serve(state: Arc<AppState>, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}

/// The demo: a region and the example's department, an administrator, an editor and a
/// reviewer with random passwords, and `example` uploaded by the editor, submitted and
/// published by the reviewer. Returns the
/// (role, user name, password) triples to print. Idempotent: an existing demo is left as it is
/// (and no passwords are returned).
pub fn seed_demo(
    state: &AppState,
    example_name: &str,
    example: &[u8],
) -> Result<Vec<(String, String, String)>, WebError> {
    let db = &state.db;
    if store::count(db, "users")? > 0 {
        return Ok(Vec::new());
    }
    let checked = juesuan_publish::pipeline::check_bytes(&state.setup, example_name, example)
        .map_err(|d| setup_error(&d))?;
    let dept_name = checked.built.facts.department.name.clone();
    let region = region_of(&dept_name);
    let region_id = store::ensure_region(db, &region)?;
    let dept_id = store::ensure_department(db, region_id, &dept_name)?;
    let mut out = Vec::new();
    for (role, name, display, dept, reg) in [
        (store::Role::Admin, "admin", "系统管理员", None, None),
        (
            store::Role::Editor,
            "editor",
            "部门填报员",
            Some(dept_id),
            None,
        ),
        (
            store::Role::Reviewer,
            "reviewer",
            "财政局审核员",
            None,
            Some(region_id),
        ),
    ] {
        let password = auth::random_password();
        store::add_user(db, name, display, &password, role, dept, reg)?;
        out.push((role.as_str().to_string(), name.to_string(), password));
    }
    // A published example, so the public library has something to explore from the start.
    let editor = store::login(db, "editor", &out[1].2, "")?;
    let id = routes::store_upload(state, &editor, example_name, example, None)?;
    store::transition(db, id, "draft", "submitted", editor.id, "")?;
    let reviewer = store::login(db, "reviewer", &out[2].2, "")?;
    let upload = store::upload(db, id)?.ok_or_else(WebError::not_found)?;
    routes::publish_upload(
        state,
        &upload,
        reviewer.id,
        "演示数据：示例部门的决算，已审核发布。",
    )?;
    Ok(out)
}

/// The region a department's name begins with (武汉市洪山区 of 武汉市洪山区科学技术…): up to
/// and including the last 区, 县 or 市 among the first ten characters; else the whole name.
pub fn region_of(department: &str) -> String {
    let chars: Vec<char> = department.chars().collect();
    let head = &chars[..chars.len().min(10)];
    match head.iter().rposition(|c| matches!(c, '区' | '县' | '市')) {
        Some(i) if i + 1 < chars.len() => chars[..=i].iter().collect(),
        _ => department.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn region_of_a_department() {
        assert_eq!(
            super::region_of("武汉市洪山区科学技术和经济信息化局"),
            "武汉市洪山区"
        );
        assert_eq!(super::region_of("上海市普陀区财政局"), "上海市普陀区");
        assert_eq!(super::region_of("某局"), "某局");
    }
}
