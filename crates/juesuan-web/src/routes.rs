//! Pages and the JSON API. Both call the same actions (the `do_*` functions): who may do what is
//! decided there once. Every POST carries the CSRF token (checked in [`guard`]); every page is
//! rendered with auto-escaping templates.

use crate::AppState;
use crate::auth::{self, CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE};
use crate::batches;
use crate::error::WebError;
use crate::store::{self, Role, Upload, User};
use crate::templates;
use crate::views::{self, FindingView};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Multipart, Path, Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use juesuan_batch::service::{self, InMemory};
use juesuan_core::Lang;
use juesuan_publish::format::{FILES, Format, OutputFile, Rendering};
use juesuan_publish::pipeline::{self, Request as PublishRequest};
use serde::Deserialize;
use serde_json::{Value as JsonValue, json};
use std::collections::HashMap;
use std::sync::Arc;

type St = State<Arc<AppState>>;

/// Every route: (method, path as in docs/openapi.json). The OpenAPI test checks both ways.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/"),
    ("get", "/login"),
    ("post", "/login"),
    ("post", "/logout"),
    ("get", "/work"),
    ("post", "/uploads"),
    ("get", "/uploads/{id}"),
    ("get", "/uploads/{id}/preview"),
    ("post", "/uploads/{id}/submit"),
    ("post", "/uploads/{id}/comments"),
    ("post", "/uploads/{id}/approve"),
    ("post", "/uploads/{id}/return"),
    ("post", "/uploads/{id}/resubmit"),
    ("post", "/uploads/{id}/discard"),
    ("get", "/uploads/{id}/changes"),
    ("get", "/p/{id}"),
    ("post", "/p/{id}/withdraw"),
    ("get", "/p/{id}/files/{name}"),
    ("get", "/departments/{id}"),
    ("get", "/compare"),
    ("get", "/rollup"),
    ("get", "/rollup/report.html"),
    ("get", "/audit"),
    ("post", "/audit"),
    ("get", "/audit/batches/{id}"),
    ("get", "/audit/batches/{id}/{file}"),
    ("get", "/admin/log"),
    ("post", "/admin/audit-library"),
    ("get", "/favicon.ico"),
    ("get", "/viewer.js"),
    ("get", "/api/csrf"),
    ("post", "/api/login"),
    ("post", "/api/logout"),
    ("get", "/api/me"),
    ("get", "/api/uploads"),
    ("post", "/api/uploads"),
    ("get", "/api/uploads/{id}"),
    ("post", "/api/uploads/{id}/submit"),
    ("post", "/api/uploads/{id}/comments"),
    ("post", "/api/uploads/{id}/approve"),
    ("post", "/api/uploads/{id}/return"),
    ("post", "/api/uploads/{id}/resubmit"),
    ("post", "/api/uploads/{id}/discard"),
    ("get", "/api/uploads/{id}/changes"),
    ("get", "/api/publications"),
    ("get", "/api/publications/{id}"),
    ("get", "/api/publications/{id}/files/{name}"),
    ("post", "/api/publications/{id}/withdraw"),
    ("get", "/api/log"),
    ("get", "/api/compare"),
    ("post", "/api/audit"),
];

/// The router over `state`.
pub fn app(state: Arc<AppState>) -> Router {
    let limit = state.max_upload + (1 << 20);
    Router::new()
        .route("/", get(library))
        .route("/login", get(login_page).post(login_form))
        .route("/logout", post(logout_form))
        .route("/work", get(work))
        .route("/uploads", post(upload_form))
        .route("/uploads/{id}", get(upload_page))
        .route("/uploads/{id}/preview", get(preview))
        .route("/uploads/{id}/submit", post(submit_form))
        .route("/uploads/{id}/comments", post(comment_form))
        .route("/uploads/{id}/approve", post(approve_form))
        .route("/uploads/{id}/return", post(return_form))
        .route("/uploads/{id}/resubmit", post(resubmit_form))
        .route("/uploads/{id}/discard", post(discard_form))
        .route("/uploads/{id}/changes", get(changes_page))
        .route("/p/{id}", get(publication_page))
        .route("/p/{id}/withdraw", post(withdraw_form))
        .route("/p/{id}/files/{name}", get(publication_file))
        .route("/departments/{id}", get(department_page))
        .route("/compare", get(compare_page))
        .route("/rollup", get(rollup_page))
        .route("/rollup/report.html", get(rollup_report))
        .route("/audit", get(audit_page).post(audit_form))
        .route("/audit/batches/{id}", get(audit_batch_page))
        .route("/audit/batches/{id}/{*file}", get(audit_batch_file))
        .route("/admin/log", get(log_page))
        .route("/admin/audit-library", post(audit_library))
        .route("/favicon.ico", get(favicon))
        .route("/viewer.js", get(viewer_script))
        .route("/api/csrf", get(api_csrf))
        .route("/api/login", post(api_login))
        .route("/api/logout", post(api_logout))
        .route("/api/me", get(api_me))
        .route("/api/uploads", get(api_uploads).post(api_upload))
        .route("/api/uploads/{id}", get(api_upload_get))
        .route("/api/uploads/{id}/submit", post(api_submit))
        .route("/api/uploads/{id}/comments", post(api_comment))
        .route("/api/uploads/{id}/approve", post(api_approve))
        .route("/api/uploads/{id}/return", post(api_return))
        .route("/api/uploads/{id}/resubmit", post(api_resubmit))
        .route("/api/uploads/{id}/discard", post(api_discard))
        .route("/api/uploads/{id}/changes", get(api_changes))
        .route("/api/publications", get(api_publications))
        .route("/api/publications/{id}", get(api_publication))
        .route("/api/publications/{id}/files/{name}", get(publication_file))
        .route("/api/publications/{id}/withdraw", post(api_withdraw))
        .route("/api/log", get(api_log))
        .route("/api/compare", get(api_compare))
        .route("/api/audit", post(api_audit))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

// ---------------------------------------------------------------------------------------------
// The request context and the guard

/// Who is asking, in which language, with which CSRF token.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The signed-in user.
    pub user: Option<User>,
    /// The session token.
    pub session: Option<String>,
    /// Language of the pages.
    pub lang: Lang,
    /// The visitor's CSRF token (set as a cookie when new).
    pub csrf: String,
    /// Whether the request is to the API (errors as JSON).
    pub api: bool,
    /// The visitor's address (a trusted proxy's `X-Forwarded-For`, else the connection's; empty
    /// when unknown), for the login lock.
    pub address: String,
    /// Whether the visitor reached us over HTTPS (cookies are then `Secure`).
    pub secure: bool,
    /// The page the visitor came from on this site, for the error page's way back.
    pub back: Option<String>,
    /// The names of the document kinds, for the pages ([`AppState::kind_names`]).
    pub kinds: Arc<JsonValue>,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Ctx, Response> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

/// An error on its way to the visitor: a page or a JSON body.
pub struct Failure {
    err: WebError,
    ctx: Ctx,
    /// What the visitor typed, shown again so a failed form loses nothing.
    kept: Option<String>,
}

/// The `{id}` of a path, a whole number: anything else is no such page (in the visitor's
/// language), not the extractor's English "Cannot parse".
pub struct Id(pub i64);

/// The fields of a path, as text.
#[derive(Deserialize)]
pub struct PathFields(HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Id, Response> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let fields = Path::<PathFields>::from_request_parts(parts, state)
            .await
            .map(|Path(PathFields(f))| f)
            .unwrap_or_default();
        fields
            .get("id")
            .and_then(|v| v.parse().ok())
            .map(Id)
            .ok_or_else(|| {
                Failure {
                    err: WebError::not_found(),
                    ctx,
                    kept: None,
                }
                .into_response()
            })
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.err.status).unwrap_or(StatusCode::BAD_REQUEST);
        if self.ctx.api {
            return (status, Json(self.err.json())).into_response();
        }
        let body = page(
            &self.ctx,
            "error.html",
            json!({
                "message": self.err.render(self.ctx.lang),
                "back": self.ctx.back,
                "sign_in": self.err.status == 401,
                "kept": self.kept,
            }),
        )
        .unwrap_or_else(|e| e.render(self.ctx.lang));
        (status, html(body)).into_response()
    }
}

impl Failure {
    /// Shows `text` (what the visitor typed) on the error page, so it is not lost.
    fn keep(mut self, text: &str) -> Failure {
        if !text.trim().is_empty() {
            self.kept = Some(text.to_string());
        }
        self
    }
}

type Res = Result<Response, Failure>;

trait Fail<T> {
    fn ctx(self, ctx: &Ctx) -> Result<T, Failure>;
}
impl<T> Fail<T> for Result<T, WebError> {
    fn ctx(self, ctx: &Ctx) -> Result<T, Failure> {
        self.map_err(|err| Failure {
            err,
            ctx: ctx.clone(),
            kept: None,
        })
    }
}

fn html(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

fn page(ctx: &Ctx, name: &str, extra: JsonValue) -> Result<String, WebError> {
    let mut value = json!({
        "lang": lang_code(ctx.lang),
        "csrf": ctx.csrf,
        "user": ctx.user,
        "role_name": ctx.user.as_ref().map(|u| role_name(u.role, ctx.lang)),
        "kinds": *ctx.kinds,
    });
    if let (Some(v), JsonValue::Object(extra)) = (value.as_object_mut(), extra) {
        v.extend(extra);
    }
    templates::render(name, &value)
}

/// `zh` or `en`: the language in cookies, templates and the stored diagnostics.
fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

fn role_name(role: Role, lang: Lang) -> &'static str {
    match (role, lang) {
        (Role::Editor, Lang::Zh) => "部门填报",
        (Role::Reviewer, Lang::Zh) => "财政审核",
        (Role::Admin, Lang::Zh) => "管理员",
        (Role::Editor, Lang::En) => "department editor",
        (Role::Reviewer, Lang::En) => "reviewer",
        (Role::Admin, Lang::En) => "administrator",
    }
}

fn render(ctx: &Ctx, name: &str, extra: JsonValue) -> Res {
    Ok(html(page(ctx, name, extra).ctx(ctx)?))
}

/// The text of field `name` in a buffered multipart body; `None` when it is absent or the
/// body does not parse (the handler then reports the malformed form itself).
async fn multipart_field(
    bytes: &axum::body::Bytes,
    boundary: String,
    name: &str,
) -> Option<String> {
    let chunk = bytes.clone();
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(chunk) });
    let mut form = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

/// Reads the cookies, the session and the language; refuses a POST whose CSRF token (header
/// `X-CSRF-Token`, or form field `csrf` of a urlencoded or multipart form) is not the
/// visitor's cookie; sets the CSRF and language cookies when new. The token is never taken
/// from the query: URLs end up in logs and histories.
async fn guard(State(state): St, req: Request, next: Next) -> Response {
    let (parts, mut body) = req.into_parts();
    let cookies = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    let query: HashMap<String, String> = parts
        .uri
        .query()
        .map(|q| form_pairs(q.as_bytes()))
        .unwrap_or_default();
    let cookie_csrf = auth::cookie(&cookies, CSRF_COOKIE)
        .filter(|t| t.len() == 64)
        .map(str::to_string);
    let lang_asked = query.get("lang").and_then(|l| Lang::parse(l));
    let lang = lang_asked
        .or_else(|| auth::cookie(&cookies, LANG_COOKIE).and_then(Lang::parse))
        .unwrap_or(Lang::Zh);
    let session = auth::cookie(&cookies, SESSION_COOKIE).map(str::to_string);
    let (address, secure) = origin(&state, &parts);
    let back = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| same_site_path(r, &parts))
        .filter(|b| *b != parts.uri.path());
    let mut ctx = Ctx {
        user: None,
        session: None,
        lang,
        csrf: cookie_csrf.clone().unwrap_or_else(auth::token),
        api: parts.uri.path().starts_with("/api/"),
        address,
        secure,
        back,
        kinds: state.kind_names.clone(),
    };
    if let Some(token) = session.filter(|t| t.len() == 64) {
        let t = token.clone();
        match state
            .blocking(move |s| store::session_user(&s.db, &t))
            .await
        {
            Ok(Some(user)) => {
                ctx.user = Some(user);
                ctx.session = Some(token);
            }
            Ok(None) => {}
            Err(err) => {
                return Failure {
                    err,
                    ctx,
                    kept: None,
                }
                .into_response();
            }
        }
    }
    if parts.method != Method::GET && parts.method != Method::HEAD {
        let mut submitted = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let form = content_type.starts_with("application/x-www-form-urlencoded");
        let multipart = multer::parse_boundary(&content_type).ok();
        if submitted.is_none() && (form || multipart.is_some()) {
            let limit = if form {
                1 << 20
            } else {
                state.max_upload + (1 << 20)
            };
            let bytes = match axum::body::to_bytes(body, limit).await {
                Ok(b) => b,
                Err(e) => {
                    return Failure {
                        err: too_large(&e.to_string(), limit),
                        ctx,
                        kept: None,
                    }
                    .into_response();
                }
            };
            submitted = match multipart {
                Some(boundary) => multipart_field(&bytes, boundary, "csrf").await,
                None => form_pairs(&bytes).remove("csrf"),
            };
            body = Body::from(bytes);
        }
        let ok = matches!((&cookie_csrf, &submitted), (Some(c), Some(s)) if auth::same_token(c, s));
        if !ok {
            return Failure {
                err: WebError::csrf(),
                ctx,
                kept: None,
            }
            .into_response();
        }
    }
    let report = is_report(parts.uri.path());
    let mut req = Request::from_parts(parts, body);
    req.extensions_mut().insert(ctx.clone());
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    // Pages of a signed-in user are not kept: after signing out, Back must not show them.
    if ctx.user.is_some() || ctx.session.is_some() {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    // The app's pages run no inline script, only the figure viewer served by the app itself
    // (/viewer.js); the report pages run their own inline viewer (the report is our rendering,
    // every user text in it escaped).
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if report {
            "default-src 'self'; script-src 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
        } else {
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
        }),
    );
    // Pages frame only their own report; other sites are not told our URLs through Referer.
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if cookie_csrf.is_none() {
        set_cookie(
            headers,
            &format!("{CSRF_COOKIE}={}; Path=/; SameSite=Strict", ctx.csrf),
            ctx.secure,
        );
    }
    if let Some(l) = lang_asked {
        set_cookie(
            headers,
            &format!(
                "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
                lang_code(l)
            ),
            ctx.secure,
        );
    }
    response
}

/// Whether `path` serves a report page (the preview, a published or rolled-up report), which
/// carries its own inline script.
fn is_report(path: &str) -> bool {
    path.ends_with("/preview") || path.ends_with(".html")
}

/// The visitor's address and whether they came over HTTPS: from the connection, or from the
/// `X-Forwarded-For` (its last entry: the one the proxy added) and `X-Forwarded-Proto` of a
/// configured trusted proxy. `secure_cookies` makes every visitor's cookies `Secure`.
fn origin(state: &AppState, parts: &axum::http::request::Parts) -> (String, bool) {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let trusted = peer.is_some_and(|ip| state.trusted_proxies.contains(&ip));
    let forwarded = |name: &str| -> Option<String> {
        let v = parts.headers.get(name)?.to_str().ok()?;
        let last = v.rsplit(',').next()?.trim();
        (!last.is_empty()).then(|| last.to_string())
    };
    let address = match (trusted, forwarded("x-forwarded-for")) {
        (true, Some(a)) => a,
        _ => peer.map(|ip| ip.to_string()).unwrap_or_default(),
    };
    let https =
        trusted && forwarded("x-forwarded-proto").is_some_and(|p| p.eq_ignore_ascii_case("https"));
    (address, state.secure_cookies || https)
}

/// The path (and query) of `referer` when it is a page of this site.
fn same_site_path(referer: &str, parts: &axum::http::request::Parts) -> Option<String> {
    let host = parts.headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("http://")
        .or_else(|| referer.strip_prefix("https://"))?;
    let path = rest.strip_prefix(host)?;
    path.starts_with('/').then(|| path.to_string())
}

fn set_cookie(headers: &mut axum::http::HeaderMap, value: &str, secure: bool) {
    let value = if secure {
        format!("{value}; Secure")
    } else {
        value.to_string()
    };
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.append(header::SET_COOKIE, v);
    }
}

/// A body over `limit` bytes (axum says "length limit exceeded"), said in both languages.
fn too_large(detail: &str, limit: usize) -> WebError {
    // Whole MB for the server's limits; KB (rounded up) for a small one.
    let size = if limit >= 1 << 20 {
        format!("{} MB", limit >> 20)
    } else {
        format!("{} KB", limit.div_ceil(1024))
    };
    WebError::bad_request(detail).details(
        format!("文件超过上限 {size}"),
        format!("the file is larger than the {size} limit ({detail})"),
    )
}

/// The fields of a urlencoded form or query (the last of a repeated name wins).
fn form_pairs(bytes: &[u8]) -> HashMap<String, String> {
    let decode = |s: &[u8]| -> String {
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < s.len() => {
                    let hex = std::str::from_utf8(&s[i + 1..i + 3]).unwrap_or("");
                    match u8::from_str_radix(hex, 16) {
                        Ok(b) => {
                            out.push(b);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    bytes
        .split(|b| *b == b'&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut it = p.splitn(2, |b| *b == b'=');
            let k = decode(it.next().unwrap_or_default());
            let v = decode(it.next().unwrap_or_default());
            (k, v)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Who may do what

fn need_user(ctx: &Ctx) -> Result<&User, WebError> {
    ctx.user.as_ref().ok_or_else(WebError::login_required)
}

/// Whether `user` may read upload `u`: an editor their department's, a reviewer their region's
/// once submitted, an administrator all; the public none (it reads publications).
pub fn can_see(user: Option<&User>, u: &Upload) -> bool {
    match user {
        None => false,
        Some(user) => match user.role {
            Role::Admin => true,
            Role::Editor => user.department_id == Some(u.department_id),
            Role::Reviewer => user.region_id == Some(u.region_id) && u.state != "draft",
        },
    }
}

fn can_review(user: Option<&User>, u: &Upload) -> bool {
    user.is_some_and(|user| match user.role {
        Role::Admin => true,
        Role::Reviewer => user.region_id == Some(u.region_id),
        Role::Editor => false,
    })
}

fn pipeline_error(d: &[juesuan_core::Diagnostic], lang: Lang) -> WebError {
    WebError::pipeline(
        d.iter()
            .map(|d| d.render(lang))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Checks `bytes` and stores them as a new upload of `user`'s department (blocking). An input
/// that cannot be read is stored too, with its diagnostics; one naming another department is
/// refused (E1208).
pub fn store_upload(
    state: &AppState,
    user: &User,
    name: &str,
    bytes: &[u8],
    previous_id: Option<i64>,
) -> Result<i64, WebError> {
    let (Role::Editor, Some(department_id)) = (user.role, user.department_id) else {
        return Err(WebError::forbidden());
    };
    if bytes.len() > state.max_upload {
        return Err(too_large(
            &format!("{} bytes > {}", bytes.len(), state.max_upload),
            state.max_upload,
        ));
    }
    // What cannot be accounts is refused, not kept as a draft nobody can remove.
    if let Some((zh, en)) = not_accounts(name, bytes) {
        return Err(WebError::unsupported_file(&zh, &en));
    }
    let department =
        store::department(&state.db, department_id)?.ok_or_else(WebError::not_found)?;
    let name = sanitize_name(name);
    let upload = match pipeline::check_bytes(&state.setup, &name, bytes) {
        Ok(checked) => {
            let found = &checked.built.facts.department.name;
            if *found != department.name {
                return Err(WebError::other_department(found, &department.name));
            }
            let summary = checked.summary();
            (
                i64::from(checked.built.facts.department.year),
                true,
                i64::try_from(summary.errors).unwrap_or(i64::MAX),
                i64::try_from(summary.warnings).unwrap_or(i64::MAX),
                String::from_utf8_lossy(&checked.findings_json(&name)).into_owned(),
                checked.built.layout.kind.clone(),
            )
        }
        Err(diagnostics) => {
            let list: Vec<JsonValue> = diagnostics
                .iter()
                .map(
                    |d| json!({"code": d.code, "zh": d.render(Lang::Zh), "en": d.render(Lang::En)}),
                )
                .collect();
            let n = i64::try_from(list.len()).unwrap_or(i64::MAX);
            (
                0,
                false,
                n,
                0,
                json!({ "diagnostics": list }).to_string(),
                String::new(),
            )
        }
    };
    store::insert_upload(
        &state.db,
        &store::NewUpload {
            department_id,
            year: upload.0,
            filename: &name,
            content: bytes,
            user_id: user.id,
            valid: upload.1,
            errors: upload.2,
            warnings: upload.3,
            findings_json: &upload.4,
            previous_id,
            kind: &upload.5,
        },
    )
}

/// What a file is when it cannot be accounts juesuan reads: (Chinese, English), or `None` for a
/// file of a kind it reads (TOML, JSON or a workbook, whose contents the pipeline judges).
fn not_accounts(name: &str, bytes: &[u8]) -> Option<(String, String)> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Some(("空文件".into(), "an empty file".into()));
    }
    const MAGIC: &[(&[u8], &str, &str)] = &[
        (b"\x89PNG", "PNG 图片", "a PNG image"),
        (b"\xFF\xD8\xFF", "JPEG 图片", "a JPEG image"),
        (b"GIF8", "GIF 图片", "a GIF image"),
        (
            b"%PDF",
            "PDF 文件（已发布的报告请在“核查已发布报告”中核查）",
            "a PDF (audit a published report on the audit page)",
        ),
        (b"Rar!", "RAR 压缩包", "a RAR archive"),
        (b"\x1F\x8B", "gzip 压缩包", "a gzip archive"),
    ];
    if let Some((_, zh, en)) = MAGIC.iter().find(|(m, _, _)| bytes.starts_with(m)) {
        return Some(((*zh).into(), (*en).into()));
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let workbook = bytes.starts_with(b"PK") || bytes.starts_with(b"\xD0\xCF\x11\xE0");
    let text = std::str::from_utf8(bytes).is_ok();
    match ext.as_str() {
        "xlsx" | "xls" | "ods" if !workbook => {
            let head: Vec<String> = bytes.iter().take(4).map(|b| format!("{b:02X}")).collect();
            let head = head.join(" ");
            Some((
                format!(
                    "扩展名为 .{ext}，内容却不是工作簿（XLSX、ODS 以 50 4B 03 04 开头，XLS 以 D0 CF 11 E0 开头；此文件以 {head} 开头）"
                ),
                format!(
                    "a .{ext} file that is no workbook (XLSX and ODS start 50 4B 03 04, XLS D0 CF 11 E0; this one starts {head})"
                ),
            ))
        }
        "toml" | "json" | "xlsx" | "xls" | "ods" => None,
        _ if workbook || text => None,
        "" => Some((
            "无扩展名的二进制文件".into(),
            "a binary file with no extension".into(),
        )),
        e => Some((format!(".{e} 文件"), format!("a .{e} file"))),
    }
}

/// A file name as shown: its last path component, without control characters, at most 200
/// characters.
fn sanitize_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.is_empty() {
        "upload".to_string()
    } else {
        clean
    }
}

async fn visible_upload(state: &Arc<AppState>, ctx: &Ctx, id: i64) -> Result<Upload, WebError> {
    need_user(ctx)?;
    let upload = state
        .blocking(move |s| store::upload(&s.db, id))
        .await?
        .ok_or_else(WebError::not_found)?;
    if !can_see(ctx.user.as_ref(), &upload) {
        return Err(WebError::not_found());
    }
    Ok(upload)
}

/// An upload form that does not parse, said in both languages.
fn malformed_form(detail: &str) -> WebError {
    WebError::bad_request("").details(
        "上传表单格式错误（应为含文件字段 file 的 multipart 表单）",
        format!("the upload form is malformed (a multipart form with a field file): {detail}"),
    )
}

/// A file field's name and bytes (at most `limit` of them).
async fn file_field(
    field: axum::extract::multipart::Field<'_>,
    limit: usize,
) -> Result<(String, axum::body::Bytes), WebError> {
    let name = field.file_name().unwrap_or("upload").to_string();
    let bytes = field.bytes().await.map_err(|e| {
        let e = e.to_string();
        if e.contains("limit") || e.contains("exceed") {
            too_large(&e, limit)
        } else {
            malformed_form(&e)
        }
    })?;
    Ok((name, bytes))
}

/// The field `file` of a multipart form: its name and bytes (at most `limit` of them).
async fn read_file(mut mp: Multipart, limit: usize) -> Result<(String, Vec<u8>), WebError> {
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| malformed_form(&e.to_string()))?
    {
        if field.name() == Some("file") {
            let (name, bytes) = file_field(field, limit).await?;
            return Ok((name, bytes.to_vec()));
        }
    }
    Err(WebError::bad_request("").details(
        "表单中没有名为 file 的文件",
        "the form has no field named file",
    ))
}

/// Every file of the fields `file` of a multipart form (several when the visitor chose several),
/// their names and bytes; the body is bounded by the router's limit. An empty field (no file
/// chosen) is left out.
async fn read_files(mut mp: Multipart, limit: usize) -> Result<Vec<(String, Vec<u8>)>, WebError> {
    let mut files = Vec::new();
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| malformed_form(&e.to_string()))?
    {
        if field.name() == Some("file") {
            let (name, bytes) = file_field(field, limit).await?;
            if !(name.is_empty() && bytes.is_empty()) {
                files.push((name, bytes.to_vec()));
            }
        }
    }
    if files.is_empty() {
        return Err(WebError::bad_request("").details(
            "表单中没有名为 file 的文件",
            "the form has no field named file",
        ));
    }
    Ok(files)
}

async fn do_upload(state: &Arc<AppState>, ctx: &Ctx, mp: Multipart) -> Result<i64, WebError> {
    let user = need_user(ctx)?.clone();
    if user.role != Role::Editor {
        return Err(WebError::forbidden());
    }
    let (name, bytes) = read_file(mp, state.max_upload).await?;
    state
        .blocking(move |s| store_upload(s, &user, &name, &bytes, None))
        .await
}

/// A new version of upload `id` (a draft, returned or discarded): the editor's file, linked to
/// it.
async fn do_resubmit(
    state: &Arc<AppState>,
    ctx: &Ctx,
    id: i64,
    mp: Multipart,
) -> Result<i64, WebError> {
    let upload = visible_upload(state, ctx, id).await?;
    let user = need_user(ctx)?.clone();
    if user.role != Role::Editor || user.department_id != Some(upload.department_id) {
        return Err(WebError::forbidden());
    }
    let (name, bytes) = read_file(mp, state.max_upload).await?;
    state
        .blocking(move |s| store_upload(s, &user, &name, &bytes, Some(id)))
        .await
}

/// An upload with its findings, review record and what the visitor may do.
#[derive(serde::Serialize)]
struct UploadView {
    upload: Upload,
    findings: Vec<FindingView>,
    diagnostics: Vec<String>,
    summary: String,
    general: Vec<store::Note>,
    /// The versions of this submission, oldest first, each with its review record.
    versions: Vec<Version>,
    can_submit: bool,
    can_review: bool,
    can_decide: bool,
    /// The editor may upload a new version (a draft, returned or discarded upload not yet
    /// replaced).
    can_resubmit: bool,
    /// The editor may discard it (a draft).
    can_discard: bool,
}

/// One version of a submission, as the chain shows it.
#[derive(serde::Serialize)]
struct Version {
    upload: Upload,
    /// Its events and comments (a comment on a finding names the finding's rule).
    notes: Vec<VersionNote>,
}

#[derive(serde::Serialize)]
struct VersionNote {
    #[serde(flatten)]
    note: store::Note,
    /// The rule of the finding a comment is about.
    rule: Option<String>,
}

async fn do_upload_view(state: &Arc<AppState>, ctx: &Ctx, id: i64) -> Result<UploadView, WebError> {
    let upload = visible_upload(state, ctx, id).await?;
    let lang = ctx.lang;
    let viewer = ctx.user.clone();
    let this = upload.clone();
    let (doc, notes, versions) = state
        .blocking(move |s| {
            let (_, findings) = store::upload_content(&s.db, id)?;
            let mut versions = Vec::new();
            // The versions the viewer may see (for a reviewer, none of the drafts between).
            for u in store::chain(&s.db, &this)? {
                if u.id == this.id {
                    versions.push(Version {
                        upload: u,
                        notes: Vec::new(),
                    });
                    continue;
                }
                if !can_see(viewer.as_ref(), &u) {
                    continue;
                }
                let (_, doc) = store::upload_content(&s.db, u.id)?;
                let doc: JsonValue = serde_json::from_str(&doc).unwrap_or(JsonValue::Null);
                let rules: Vec<String> = views::findings(&doc, lang)
                    .into_iter()
                    .map(|f| f.rule)
                    .collect();
                let notes = store::notes(&s.db, u.id)?
                    .into_iter()
                    .map(|n| VersionNote {
                        rule: n
                            .finding
                            .and_then(|i| usize::try_from(i).ok())
                            .and_then(|i| rules.get(i).cloned()),
                        note: n,
                    })
                    .collect();
                versions.push(Version { upload: u, notes });
            }
            Ok((findings, store::notes(&s.db, id)?, versions))
        })
        .await?;
    let doc: JsonValue = serde_json::from_str(&doc).unwrap_or(JsonValue::Null);
    let diagnostics = doc["diagnostics"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|d| d[lang_code(lang)].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    let mut findings = views::findings(&doc, lang);
    let mut general = Vec::new();
    for n in notes {
        match n.finding.and_then(|i| usize::try_from(i).ok()) {
            Some(i) if i < findings.len() => findings[i].notes.push(n),
            _ => general.push(n),
        }
    }
    let user = ctx.user.as_ref();
    let own = user
        .is_some_and(|u| u.role == Role::Editor && u.department_id == Some(upload.department_id));
    let reviewing = can_review(user, &upload) && upload.state == "submitted";
    Ok(UploadView {
        summary: views::summary(&doc, lang),
        can_submit: own
            && upload.valid
            && upload.errors == 0
            && upload.state == "draft"
            && upload.next_id.is_none(),
        can_review: reviewing,
        can_decide: reviewing,
        can_resubmit: own
            && matches!(upload.state.as_str(), "draft" | "returned" | "discarded")
            && upload.next_id.is_none(),
        can_discard: own && upload.state == "draft",
        versions: if versions.len() > 1 {
            versions
        } else {
            Vec::new()
        },
        upload,
        findings,
        diagnostics,
        general,
    })
}

async fn do_submit(state: &Arc<AppState>, ctx: &Ctx, id: i64) -> Result<(), WebError> {
    let upload = visible_upload(state, ctx, id).await?;
    let user = need_user(ctx)?.clone();
    if user.role != Role::Editor || user.department_id != Some(upload.department_id) {
        return Err(WebError::forbidden());
    }
    if let Some(next) = upload.next_id {
        return Err(WebError::wrong_state("").details(
            format!("此上传已有新版本 #{next}，请提交新版本"),
            format!("this upload was replaced by #{next}: submit that one"),
        ));
    }
    if !upload.valid || upload.errors > 0 {
        return Err(WebError::wrong_state("").details(
            format!("有 {} 个错误：请改正后重新上传", upload.errors),
            format!(
                "{} error{}: fix them and upload again",
                upload.errors,
                if upload.errors == 1 { "" } else { "s" }
            ),
        ));
    }
    state
        .blocking(move |s| store::transition(&s.db, id, "draft", "submitted", user.id, ""))
        .await
}

fn clean_text(text: &str) -> Result<String, WebError> {
    let t = text.trim();
    let n = t.chars().count();
    if t.is_empty() || n > 10_000 {
        return Err(WebError::bad_request("").details(
            format!("意见应为 1 至 10000 个字，收到 {n} 个字"),
            format!("the text should have 1 to 10000 characters; it has {n}"),
        ));
    }
    Ok(t.to_string())
}

async fn reviewable(state: &Arc<AppState>, ctx: &Ctx, id: i64) -> Result<(Upload, User), WebError> {
    let upload = visible_upload(state, ctx, id).await?;
    if !can_review(ctx.user.as_ref(), &upload) {
        return Err(WebError::forbidden());
    }
    if upload.state != "submitted" {
        return Err(WebError::wrong_state("").details(
            format!(
                "该上传当前为“{}”，只有已提交的可以审核",
                store::state_zh(&upload.state)
            ),
            format!(
                "the upload is {}; only a submitted one is reviewed",
                upload.state
            ),
        ));
    }
    Ok((upload, need_user(ctx)?.clone()))
}

async fn do_comment(
    state: &Arc<AppState>,
    ctx: &Ctx,
    id: i64,
    finding: Option<i64>,
    text: &str,
) -> Result<i64, WebError> {
    let (_, user) = reviewable(state, ctx, id).await?;
    let text = clean_text(text)?;
    state
        .blocking(move |s| store::add_comment(&s.db, id, finding, &text, user.id))
        .await
}

async fn do_return(
    state: &Arc<AppState>,
    ctx: &Ctx,
    id: i64,
    comment: &str,
) -> Result<(), WebError> {
    let (_, user) = reviewable(state, ctx, id).await?;
    let comment = clean_text(comment)?;
    state
        .blocking(move |s| store::transition(&s.db, id, "submitted", "returned", user.id, &comment))
        .await
}

/// The published files of an upload: every format made without an external program, the
/// views as CSV and the findings, each under its name alone (the PDF is made on first
/// request).
fn render_files(
    state: &AppState,
    upload: &Upload,
    bytes: &[u8],
) -> Result<Vec<(String, Vec<u8>)>, WebError> {
    let checked = pipeline::check_bytes(&state.setup, &upload.filename, bytes)
        .map_err(|d| pipeline_error(&d, Lang::Zh))?;
    let formats = Format::without_external();
    let published = pipeline::publish(
        &state.setup,
        &checked,
        &PublishRequest {
            input: &upload.filename,
            stem: STEM,
            formats: &formats,
            allow_errors: false,
            lang: Lang::Zh,
        },
        &no_pdf,
    )
    .map_err(|d| pipeline_error(&d, Lang::Zh))?;
    if published.refused {
        return Err(WebError::wrong_state("").details(
            "检查发现错误，不能发布",
            "the rules found errors; it cannot be published",
        ));
    }
    let mut files: Vec<(String, Vec<u8>)> = published
        .files
        .into_iter()
        .map(|(name, b)| {
            let alone = OutputFile::of_name(STEM, &name).map_or(name, |f| f.alone.to_string());
            (alone, b)
        })
        .collect();
    files.push((
        Rendering::ViewsCsv.file().alone.to_string(),
        views::views_csv(&checked.built.views),
    ));
    Ok(files)
}

/// The stem of the files a rendering makes before they are stored under their names alone.
const STEM: &str = "report";

/// The PDF printer of renderings that ask for no PDF.
fn no_pdf(_: &str) -> Result<Vec<u8>, juesuan_core::Diagnostic> {
    Err(juesuan_core::Diagnostic::error(
        "E1211",
        juesuan_core::Location::Nowhere,
        juesuan_core::Text::new("", ""),
    ))
}

/// The report page of `checked` in `lang`, rendered even when the rules found errors (a
/// preview, a roll-up).
fn report_page(
    setup: &pipeline::Setup,
    checked: &pipeline::Checked,
    input: &str,
    stem: &str,
    lang: Lang,
) -> Result<String, WebError> {
    let published = pipeline::publish(
        setup,
        checked,
        &PublishRequest {
            input,
            stem,
            formats: &[Format::Html],
            allow_errors: true,
            lang,
        },
        &no_pdf,
    )
    .map_err(|d| pipeline_error(&d, lang))?;
    let page = Rendering::ReportHtml.file().name(stem);
    Ok(published
        .files
        .into_iter()
        .find(|(n, _)| *n == page)
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default())
}

async fn do_approve(
    state: &Arc<AppState>,
    ctx: &Ctx,
    id: i64,
    comment: &str,
) -> Result<i64, WebError> {
    let (upload, user) = reviewable(state, ctx, id).await?;
    let comment = comment.trim().to_string();
    state
        .blocking(move |s| publish_upload(s, &upload, user.id, &comment))
        .await
}

/// Approves submitted `upload` as `user_id` (blocking): its files rendered, then the next
/// version, the files and the event in one transaction. Returns the publication's id.
pub fn publish_upload(
    state: &AppState,
    upload: &Upload,
    user_id: i64,
    comment: &str,
) -> Result<i64, WebError> {
    let (bytes, _) = store::upload_content(&state.db, upload.id)?;
    let files = render_files(state, upload, &bytes)?;
    store::approve(&state.db, upload, user_id, comment, &files)
}

/// Withdraws publication `id` (a reviewer of its region or an administrator), with a reason.
async fn do_withdraw(
    state: &Arc<AppState>,
    ctx: &Ctx,
    id: i64,
    reason: &str,
) -> Result<(), WebError> {
    let user = need_user(ctx)?.clone();
    let p = do_publication(state, id).await?;
    let allowed = match user.role {
        Role::Admin => true,
        Role::Reviewer => user.region_id == Some(p.region_id),
        Role::Editor => false,
    };
    if !allowed {
        return Err(WebError::forbidden());
    }
    let reason = clean_text(reason)?;
    state
        .blocking(move |s| store::withdraw(&s.db, id, user.id, &reason))
        .await
}

/// The preview's highlighter: the link of a finding is `#cell=table/row/column` exactly as the
/// rules address the cell (`summary/31/amount`; `basic_economic/人员经费合计/` for a footer total
/// that has no column; `sangong//actual_reception` for a one-row table; `附件5/自评得分/得分` for
/// a 绩效 form, which the report prints without data attributes). The cell itself is marked, its
/// row or form only when the cell cannot be found.
const HIGHLIGHT: &str = r#"<script>
(function () {
  function norm(s) { return (s || '').replace(/\s+/g, ''); }
  function first(list, ok) { for (var i = 0; i < list.length; i++) if (ok(list[i])) return list[i]; return null; }
  function inTable(table, row, col) {
    var cells = table.querySelectorAll('td[data-row], td[data-key]');
    var d = function (c, k) { return c.getAttribute('data-' + k) || ''; };
    return first(cells, function (c) { return row && col && d(c, 'row') === row && d(c, 'key') === col; })
      || first(cells, function (c) { return row && !col && d(c, 'row') === row && !d(c, 'key'); })
      || first(cells, function (c) { return !row && col && d(c, 'key') === col; })
      || first(cells, function (c) { return row && d(c, 'row') === row; })
      || table.closest('section') || table;
  }
  // A form or section named by its number (附件5, 公开06表): its heading, then what follows it.
  function byNumber(key) {
    var m = /^(?:附件|Annex)(\d+)$/i.exec(key);
    // On the raw text: normalised, 附件 5　2023 would read as 附件52023.
    var starts = function (t) {
      if (m) return new RegExp('^\\s*(?:附件|Annex)\\s*' + m[1] + '(?!\\d)', 'i').test(t);
      return norm(t).indexOf(key) === 0;
    };
    var numbered = first(document.querySelectorAll('section'), function (s) {
      var n = s.querySelector('.number'); return n && norm(n.textContent) === key;
    });
    if (numbered) return numbered;
    var heading = first(document.querySelectorAll('h1, h2, h3, h4, caption'), function (h) {
      return starts(h.textContent) && !h.closest('nav, #toc, .toc');
    });
    if (!heading) return null;
    var parts = [heading], next = heading.nextElementSibling;
    while (next && !/^H[12]$/.test(next.tagName)) { parts.push(next); next = next.nextElementSibling; }
    return parts;
  }
  // In a 绩效 form the rules name a row by its label: 自评得分 (the total in the form's head),
  // an indicator as 一级/二级/名称, or a label (总目标得分, 年度目标1, a first-level indicator).
  function inForm(parts, row) {
    var forms = [];
    parts.forEach(function (part) {
      if (part.matches('section.form')) forms.push(part);
      part.querySelectorAll('section.form').forEach(function (f) { forms.push(f); });
    });
    if (!forms.length) return parts[0];
    var form = forms[0];
    if (row === '自评得分') {
      var head = form.querySelectorAll('.form-head > span');
      if (head.length) return head[head.length - 1];
    }
    var name = norm(row.split('/').pop()), part = name.replace(/得分$/, '');
    var cells = form.querySelectorAll('th, td');
    var label = first(cells, function (c) { return name && norm(c.textContent) === name; })
      || first(cells, function (c) { return name && norm(c.textContent).indexOf(name) === 0; })
      || first(cells, function (c) { return part && c.tagName === 'TH' && norm(c.textContent).indexOf(part) >= 0; });
    if (!label) return form;
    // A heading over two rows (项目绩效总目标) has its score in the second.
    var tr = label.closest('tr');
    for (var n = label.rowSpan || 1; tr && n > 0; n--, tr = tr.nextElementSibling) {
      var values = tr.querySelectorAll('td.value');
      if (values.length) return values[values.length - 1];
    }
    return label;
  }
  function show() {
    var m = /cell=([^&]*)/.exec(location.hash);
    if (!m) return;
    // table / row / column: a form's indicator row has slashes of its own (一级/二级/名称).
    var all = decodeURIComponent(m[1]).split('/');
    var p = [all[0], all.slice(1, -1).join('/'), all.length > 1 ? all[all.length - 1] : ''];
    var table = document.querySelector('table[data-table="' + CSS.escape(p[0]) + '"]');
    if (table) return mark(inTable(table, p[1] || '', p[2] || ''));
    var parts = byNumber(norm(p[0]));
    if (!parts) return;
    if (!parts.nodeType) return mark(inForm(parts, p[1] || ''));
    var inside = parts.querySelector('table[data-table]');
    mark(inside ? inTable(inside, p[1] || '', p[2] || '') : parts);
  }
  function mark(el) {
    var old = document.getElementById('highlighted');
    if (old) { old.removeAttribute('id'); old.style.outline = ''; old.style.background = ''; }
    el.style.outline = '3px solid #d00'; el.style.background = '#ffe08a';
    if (el.id) el.setAttribute('data-highlighted', '1'); else el.id = 'highlighted';
    el.scrollIntoView({block: 'center'});
  }
  window.addEventListener('hashchange', show); window.addEventListener('load', show);
})();
</script>"#;

async fn do_preview(state: &Arc<AppState>, ctx: &Ctx, id: i64) -> Result<String, WebError> {
    let upload = visible_upload(state, ctx, id).await?;
    if !upload.valid {
        return Err(WebError::wrong_state("").details(
            "文件无法读取，没有可预览的报告",
            "the file could not be read: there is no report to preview",
        ));
    }
    let lang = ctx.lang;
    let draft = !matches!(upload.state.as_str(), "approved" | "withdrawn");
    let report = state
        .blocking(move |s| {
            let (bytes, _) = store::upload_content(&s.db, id)?;
            let checked = pipeline::check_bytes(&s.setup, &upload.filename, &bytes)
                .map_err(|d| pipeline_error(&d, lang))?;
            report_page(&s.setup, &checked, &upload.filename, "report", lang)
        })
        .await?;
    // Not yet published: every page of the preview says so.
    let mark = if draft {
        let word = match lang {
            Lang::Zh => "草稿",
            Lang::En => "DRAFT",
        };
        format!(
            "<style>body::after {{ content: \"{word}\"; position: fixed; top: 45%; left: 0; right: 0; \
             text-align: center; font-size: 9rem; font-weight: bold; color: rgba(200, 0, 0, .12); \
             transform: rotate(-30deg); pointer-events: none; z-index: 9999; }}</style>\
             <div id=\"draft-mark\" hidden>{word}</div>"
        )
    } else {
        String::new()
    };
    Ok(match report.rfind("</body>") {
        Some(i) => format!("{}{mark}{HIGHLIGHT}{}", &report[..i], &report[i..]),
        None => report + &mark + HIGHLIGHT,
    })
}

async fn do_publication(state: &Arc<AppState>, id: i64) -> Result<store::Publication, WebError> {
    state
        .blocking(move |s| store::publication(&s.db, id))
        .await?
        .ok_or_else(WebError::not_found)
}

/// A CSV as Excel on Chinese Windows reads it: a UTF-8 byte order mark first (without one it
/// guesses GBK). The header stays as the data package describes it (`amount`, exact 元; the
/// download's label says the unit).
fn excel_csv(bytes: Vec<u8>) -> Vec<u8> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if bytes.starts_with(BOM) {
        return bytes;
    }
    [BOM, &bytes].concat()
}

fn content_type(name: &str) -> &'static str {
    OutputFile::alone(name).map_or("application/octet-stream", |f| f.media_type)
}

async fn do_file(
    state: &Arc<AppState>,
    id: i64,
    name: String,
) -> Result<(store::Publication, Vec<u8>), WebError> {
    let p = do_publication(state, id).await?;
    let wanted = name.clone();
    let bytes = state
        .blocking(move |s| {
            if let Some(b) = store::publication_file(&s.db, id, &wanted)? {
                return Ok(b);
            }
            let pdf_name = Rendering::ReportPdf.file().alone;
            if wanted != pdf_name {
                return Err(WebError::not_found());
            }
            let page = store::publication_file(&s.db, id, Rendering::ReportHtml.file().alone)?
                .ok_or_else(WebError::not_found)?;
            let pdf = (s.pdf)(&String::from_utf8_lossy(&page))
                .map_err(|d| WebError::pdf(d.render(Lang::En)))?;
            store::add_publication_file(&s.db, id, pdf_name, pdf)?;
            store::publication_file(&s.db, id, pdf_name)?.ok_or_else(WebError::not_found)
        })
        .await?;
    Ok((p, bytes))
}

async fn do_compare(
    state: &Arc<AppState>,
    q: CompareQuery,
    lang: Lang,
) -> Result<JsonValue, WebError> {
    let a = do_publication(state, q.a).await?;
    let b = do_publication(state, q.b).await?;
    if a.kind != b.kind {
        // A budget's tables are not a final account's: they are reconciled, not compared.
        return Err(WebError::bad_request("").details(
            "只能比较同一类文书（部门预算与部门预算、部门决算与部门决算）的年度或版本；两类文书之间的核对见部门页面",
            "only documents of one kind compare (a budget with a budget, final accounts with final accounts); the department's page reconciles the two kinds",
        ));
    }
    let (ua, ub) = (a.upload_id, b.upload_id);
    let table = q.table.clone();
    let (rows, tables, unit) = state
        .blocking(move |s| {
            let build = |id: i64| -> Result<juesuan_core::views::Views, WebError> {
                let (bytes, _) = store::upload_content(&s.db, id)?;
                Ok(pipeline::check_bytes(&s.setup, "input", &bytes)
                    .map_err(|d| pipeline_error(&d, lang))?
                    .built
                    .views)
            };
            let (va, vb) = (build(ua)?, build(ub)?);
            let u = va.table(&table).map_or(va.amount_unit, |v| va.unit_of(v));
            let unit = match lang {
                Lang::Zh => u.zh().to_string(),
                Lang::En => u.en().to_string(),
            };
            Ok((
                views::compare(&va, &vb, &table, lang),
                views::tables(&va, lang),
                unit,
            ))
        })
        .await?;
    let Some((_, title)) = tables.iter().find(|(k, _)| *k == q.table) else {
        return Err(WebError::not_found());
    };
    let label = |p: &store::Publication| match lang {
        Lang::Zh => format!("{} 年第 {} 版", p.year, p.version),
        Lang::En => format!("{} v{}", p.year, p.version),
    };
    Ok(json!({
        "department": a.department,
        "table": q.table,
        "title": title,
        "unit": unit,
        "tables": tables.iter().map(|(k, n)| json!({"key": k, "name": n})).collect::<Vec<_>>(),
        "a_label": label(&a),
        "b_label": label(&b),
        "rows": rows,
    }))
}

async fn do_audit(
    state: &Arc<AppState>,
    lang: Lang,
    name: String,
    bytes: Vec<u8>,
) -> Result<JsonValue, WebError> {
    let name = sanitize_name(&name);
    state
        .blocking(move |s| {
            let audited = juesuan_publish::audited::audit_bytes(&s.setup, &name, &bytes, &|| {
                juesuan_publish::ocr::read_pdf_bytes(&name, &bytes, true)
            })
            .map_err(|d| pipeline_error(&d, lang))?;
            let doc: JsonValue =
                serde_json::from_slice(&audited.findings_json(&name)).unwrap_or(JsonValue::Null);
            // A PDF's pages with findings, drawn for their boxes; a page not drawn shows none.
            let (images, not_drawn) =
                juesuan_publish::tools::page_images_bytes(&name, &bytes, &audited.evidence_pages());
            let findings: Vec<FindingView> = audited
                .audit
                .findings
                .iter()
                .zip(&audited.evidence)
                .map(|(f, evidence)| {
                    let place = f
                        .source()
                        .map(|p| audited.place(p.line, lang))
                        .unwrap_or_default();
                    let mut view = views::finding(f, place, lang);
                    view.evidence = juesuan_render::audit::evidence_models(evidence, &images, lang);
                    view
                })
                .collect();
            let pages =
                juesuan_render::audit::page_images(audited.evidence.iter().flatten(), &images);
            let a = &audited.audit;
            let summary = views::summary_of(
                &juesuan_render::findings::Summary::of(&a.findings, &a.coverage),
                &a.coverage.incomplete(),
                lang,
            );
            // Every number of the narrative, checked (and against what) or why not.
            let numbers: Vec<JsonValue> = a
                .narrative
                .iter()
                .map(|m| {
                    let (checked, status) = match &m.status {
                        juesuan_core::rules::claims::Status::Checked { against, holds } => (
                            true,
                            match (lang, holds) {
                                (Lang::Zh, true) => format!("已核对（{against}）"),
                                (Lang::Zh, false) => format!("不符（{against}）"),
                                (Lang::En, true) => format!("checked ({against})"),
                                (Lang::En, false) => format!("disagrees ({against})"),
                            },
                        ),
                        juesuan_core::rules::claims::Status::NotCheckable { reason } => {
                            (false, reason.text().get(lang).to_string())
                        }
                    };
                    json!({
                        "place": audited.place(m.line, lang),
                        "text": m.text,
                        "subject": m.subject.trim_start_matches(['?', '§']),
                        "checked": checked,
                        "status": status,
                    })
                })
                .collect();
            let narrative = (!a.narrative.is_empty())
                .then(|| juesuan_render::findings::narrative_line(&a.narrative, lang));
            let viewer =
                audited.narrative_markup(lang, juesuan_render::viewer::Script::Src("/viewer.js"));
            Ok(json!({
                "name": name,
                "summary": summary,
                "pages": pages,
                "not_drawn": not_drawn.first().map(|d| d.message.get(lang).to_string()),
                "findings": findings,
                "findings_json": doc,
                "narrative": narrative,
                "viewer": viewer,
                "numbers": numbers,
            }))
        })
        .await
}

/// Audits a zip of reports, or several reports, as `juesuan audit --batch` audits a folder; the
/// batch is kept and its id returned.
async fn do_audit_batch(
    state: &Arc<AppState>,
    lang: Lang,
    files: Vec<(String, Vec<u8>)>,
) -> Result<String, WebError> {
    state
        .blocking(move |s| {
            let files: Vec<(String, Vec<u8>)> = files
                .into_iter()
                .map(|(n, b)| (sanitize_name(&n), b))
                .collect();
            // The summary names what was uploaded: the files, the first few of many.
            let mut label: Vec<&str> = files.iter().take(3).map(|f| f.0.as_str()).collect();
            if files.len() > 3 {
                label.push("…");
            }
            let label = label.join(", ");
            let (reports, skipped) = batches::reports(files, s.max_upload)?;
            let batch = batches::audit(&s.setup, &label, &reports, skipped, lang)?;
            Ok(s.audits.keep(batch))
        })
        .await
}

/// The latest published final accounts of every department of `region` in `year`, rolled up into one
/// district report page.
async fn do_rollup(
    state: &Arc<AppState>,
    region: i64,
    year: i64,
) -> Result<(Vec<String>, String), WebError> {
    state
        .blocking(move |s| {
            let pubs = store::publications(&s.db, "", Some(region))?;
            let mut latest: Vec<&store::Publication> = Vec::new();
            // A withdrawn version is no longer the department's published accounts; a budget
            // is not rolled up with them.
            for p in pubs.iter().filter(|p| {
                p.year == year
                    && p.withdrawn.is_none()
                    && p.kind == juesuan_core::kind::FINAL_ACCOUNTS
            }) {
                if !latest.iter().any(|l| l.department_id == p.department_id) {
                    latest.push(p);
                }
            }
            if latest.is_empty() {
                return Err(WebError::not_found());
            }
            let mut departments = Vec::with_capacity(latest.len());
            for p in &latest {
                let (bytes, _) = store::upload_content(&s.db, p.upload_id)?;
                departments.push(InMemory {
                    name: p.department.clone(),
                    bytes,
                });
            }
            // Published versions passed the rules when they were approved: roll them up as
            // they are, like `juesuan rollup --allow-errors`.
            let rolled = service::rollup(
                &s.setup,
                &departments,
                &service::RollupOptions {
                    name: format!("{}（汇总）", latest[0].region),
                    code: None,
                    allow_errors: true,
                    jobs: 1,
                    lang: Lang::Zh,
                },
                &mut (),
            )
            .map_err(|d| pipeline_error(&d, Lang::Zh))?;
            let checked = rolled
                .district
                .ok_or_else(|| {
                    WebError::wrong_state("").details(
                        "所含部门的决算有错误，无法汇总",
                        "the departments' accounts have errors; they cannot be rolled up",
                    )
                })?
                .checked;
            let names = departments.into_iter().map(|d| d.name).collect();
            let html = report_page(&s.setup, &checked, "rollup", "rollup", Lang::Zh)?;
            Ok((names, html))
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// Pages

#[derive(Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn library(State(state): St, ctx: Ctx, Query(q): Query<SearchQuery>) -> Res {
    let term = q.q.clone();
    let pubs = state
        .blocking(move |s| store::publications(&s.db, &term, None))
        .await
        .ctx(&ctx)?;
    // Departments × years: in each cell the latest version of each kind (a budget and the
    // final accounts of one year side by side).
    let mut years: Vec<i64> = pubs.iter().map(|p| p.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut departments: Vec<JsonValue> = Vec::new();
    let mut seen: Vec<i64> = Vec::new();
    for p in &pubs {
        if seen.contains(&p.department_id) {
            continue;
        }
        seen.push(p.department_id);
        let cells: Vec<Vec<JsonValue>> = years
            .iter()
            .map(|y| {
                let mut kinds: Vec<&str> = Vec::new();
                pubs.iter()
                    // Newest version first within a kind (the store's order).
                    .filter(|x| x.department_id == p.department_id && x.year == *y)
                    .filter(|x| {
                        let first = !kinds.contains(&x.kind.as_str());
                        kinds.push(&x.kind);
                        first
                    })
                    .map(|x| {
                        json!({"id": x.id, "kind": x.kind, "version": x.version,
                               "withdrawn": x.withdrawn.is_some()})
                    })
                    .collect()
            })
            .collect();
        departments.push(json!({"id": p.department_id, "name": p.department, "region": p.region, "cells": cells}));
    }
    render(
        &ctx,
        "library.html",
        json!({"q": q.q, "grid": {"years": years, "departments": departments}}),
    )
}

async fn login_page(ctx: Ctx) -> Res {
    render(&ctx, "login.html", json!({}))
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

async fn do_login(
    state: &Arc<AppState>,
    ctx: &Ctx,
    f: LoginForm,
) -> Result<(User, String), WebError> {
    let address = ctx.address.clone();
    state
        .blocking(move |s| {
            let user = store::login(&s.db, &f.username, &f.password, &address)?;
            let token = store::create_session(&s.db, user.id)?;
            Ok((user, token))
        })
        .await
}

fn session_cookie(token: &str) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        store::SESSION_SECONDS
    )
}

async fn login_form(State(state): St, ctx: Ctx, Form(f): Form<LoginForm>) -> Res {
    match do_login(&state, &ctx, f).await {
        Ok((_, token)) => {
            let mut r = Redirect::to("/work").into_response();
            set_cookie(r.headers_mut(), &session_cookie(&token), ctx.secure);
            Ok(r)
        }
        Err(e) => {
            let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::UNAUTHORIZED);
            let body =
                page(&ctx, "login.html", json!({"message": e.render(ctx.lang)})).ctx(&ctx)?;
            Ok((status, html(body)).into_response())
        }
    }
}

async fn do_logout(state: &Arc<AppState>, ctx: &Ctx) -> Result<(), WebError> {
    if let Some(token) = ctx.session.clone() {
        state
            .blocking(move |s| store::delete_session(&s.db, &token))
            .await?;
    }
    Ok(())
}

fn clear_session(mut r: Response, secure: bool) -> Response {
    set_cookie(
        r.headers_mut(),
        &format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
        secure,
    );
    r
}

async fn logout_form(State(state): St, ctx: Ctx) -> Res {
    do_logout(&state, &ctx).await.ctx(&ctx)?;
    Ok(clear_session(Redirect::to("/").into_response(), ctx.secure))
}

async fn work(State(state): St, ctx: Ctx) -> Res {
    let user = need_user(&ctx).ctx(&ctx)?.clone();
    let u = user.clone();
    let uploads = state
        .blocking(move |s| store::uploads_for(&s.db, &u))
        .await
        .ctx(&ctx)?;
    render(
        &ctx,
        "work.html",
        json!({"uploads": uploads, "can_upload": user.role == Role::Editor}),
    )
}

async fn upload_form(State(state): St, ctx: Ctx, mp: Multipart) -> Res {
    let id = do_upload(&state, &ctx, mp).await.ctx(&ctx)?;
    Ok(Redirect::to(&format!("/uploads/{id}")).into_response())
}

async fn upload_page(State(state): St, ctx: Ctx, Id(id): Id) -> Res {
    let view = do_upload_view(&state, &ctx, id).await.ctx(&ctx)?;
    render(
        &ctx,
        "upload.html",
        serde_json::to_value(&view).unwrap_or_default(),
    )
}

async fn preview(State(state): St, ctx: Ctx, Id(id): Id) -> Res {
    Ok(html(do_preview(&state, &ctx, id).await.ctx(&ctx)?))
}

fn back(id: i64) -> Response {
    Redirect::to(&format!("/uploads/{id}")).into_response()
}

async fn submit_form(State(state): St, ctx: Ctx, Id(id): Id) -> Res {
    do_submit(&state, &ctx, id).await.ctx(&ctx)?;
    Ok(back(id))
}

#[derive(Deserialize)]
struct CommentForm {
    #[serde(default)]
    finding: Option<String>,
    text: String,
}

async fn comment_form(State(state): St, ctx: Ctx, Id(id): Id, Form(f): Form<CommentForm>) -> Res {
    let finding = f.finding.as_deref().and_then(|s| s.parse().ok());
    do_comment(&state, &ctx, id, finding, &f.text)
        .await
        .ctx(&ctx)
        .map_err(|e| e.keep(&f.text))?;
    Ok(back(id))
}

#[derive(Deserialize, Default)]
struct DecisionForm {
    #[serde(default)]
    comment: String,
    /// `yes` once the reviewer confirmed on the confirmation page.
    #[serde(default)]
    confirm: String,
}

/// Approving publishes at once and for everyone: the first press shows what will be published
/// and asks again; only the confirmed form approves.
async fn approve_form(State(state): St, ctx: Ctx, Id(id): Id, Form(f): Form<DecisionForm>) -> Res {
    if f.confirm != "yes" {
        let view = do_upload_view(&state, &ctx, id).await.ctx(&ctx)?;
        if !view.can_decide {
            return Err(reviewable(&state, &ctx, id)
                .await
                .err()
                .unwrap_or_else(WebError::forbidden))
            .ctx(&ctx);
        }
        return render(
            &ctx,
            "confirm.html",
            json!({
                "upload": view.upload,
                "summary": view.summary,
                "comment": f.comment,
                "versions": view.versions.len(),
            }),
        );
    }
    do_approve(&state, &ctx, id, &f.comment)
        .await
        .ctx(&ctx)
        .map_err(|e| e.keep(&f.comment))?;
    Ok(back(id))
}

async fn return_form(State(state): St, ctx: Ctx, Id(id): Id, Form(f): Form<DecisionForm>) -> Res {
    do_return(&state, &ctx, id, &f.comment)
        .await
        .ctx(&ctx)
        .map_err(|e| e.keep(&f.comment))?;
    Ok(back(id))
}

/// Discards draft `id` (its department's editor): kept, marked, never submitted.
async fn do_discard(state: &Arc<AppState>, ctx: &Ctx, id: i64) -> Result<(), WebError> {
    let upload = visible_upload(state, ctx, id).await?;
    let user = need_user(ctx)?.clone();
    if user.role != Role::Editor || user.department_id != Some(upload.department_id) {
        return Err(WebError::forbidden());
    }
    state
        .blocking(move |s| store::discard(&s.db, id, user.id))
        .await
}

async fn discard_form(State(state): St, ctx: Ctx, Id(id): Id) -> Res {
    do_discard(&state, &ctx, id).await.ctx(&ctx)?;
    Ok(Redirect::to("/work").into_response())
}

async fn resubmit_form(State(state): St, ctx: Ctx, Id(id): Id, mp: Multipart) -> Res {
    let new = do_resubmit(&state, &ctx, id, mp).await.ctx(&ctx)?;
    Ok(Redirect::to(&format!("/uploads/{new}")).into_response())
}

/// What changed from the previous version of a submission to upload `id`: every figure of every
/// table that differs, and the findings that appeared or went away.
async fn do_changes(state: &Arc<AppState>, ctx: &Ctx, id: i64) -> Result<JsonValue, WebError> {
    let upload = visible_upload(state, ctx, id).await?;
    // The version before it that the visitor may see: a reviewer compares with what was
    // submitted before, past the drafts in between.
    let viewer = ctx.user.clone();
    let mut prev = upload.previous_id;
    let previous = state
        .blocking(move |s| {
            while let Some(p) = prev {
                let u = store::upload(&s.db, p)?.ok_or_else(WebError::not_found)?;
                if can_see(viewer.as_ref(), &u) {
                    return Ok(u);
                }
                prev = u.previous_id;
            }
            Err(WebError::not_found())
        })
        .await?;
    let lang = ctx.lang;
    let (a, b) = (previous.clone(), upload.clone());
    state
        .blocking(move |s| {
            let read = |u: &Upload| -> Result<(Option<pipeline::Checked>, JsonValue), WebError> {
                let (bytes, doc) = store::upload_content(&s.db, u.id)?;
                let doc: JsonValue = serde_json::from_str(&doc).unwrap_or(JsonValue::Null);
                Ok((
                    pipeline::check_bytes(&s.setup, &u.filename, &bytes).ok(),
                    doc,
                ))
            };
            let (ca, da) = read(&a)?;
            let (cb, db) = read(&b)?;
            let mut tables = Vec::new();
            if let (Some(ca), Some(cb)) = (&ca, &cb) {
                let (va, vb) = (&ca.built.views, &cb.built.views);
                for (key, name) in views::tables(vb, lang) {
                    let rows: Vec<views::Compared> = views::compare(va, vb, &key, lang)
                        .into_iter()
                        .filter(|r| r.changed)
                        .collect();
                    if !rows.is_empty() {
                        tables.push(json!({"key": key, "name": name, "rows": rows}));
                    }
                }
            }
            let list = |d: &JsonValue| -> Vec<String> {
                views::findings(d, lang)
                    .into_iter()
                    .map(|f| format!("{} {} {}：{}", f.rule, f.table, f.row, f.message))
                    .collect()
            };
            let (fa, fb) = (list(&da), list(&db));
            let unit = cb
                .as_ref()
                .map(|c| c.built.views.amount_unit)
                .map(|u| match lang {
                    Lang::Zh => u.zh().to_string(),
                    Lang::En => u.en().to_string(),
                })
                .unwrap_or_default();
            Ok(json!({
                "upload": b,
                "previous": a,
                "unit": unit,
                "tables": tables,
                "readable": ca.is_some() && cb.is_some(),
                "gone": fa.iter().filter(|f| !fb.contains(f)).collect::<Vec<_>>(),
                "new": fb.iter().filter(|f| !fa.contains(f)).collect::<Vec<_>>(),
            }))
        })
        .await
}

async fn changes_page(State(state): St, ctx: Ctx, Id(id): Id) -> Res {
    let v = do_changes(&state, &ctx, id).await.ctx(&ctx)?;
    render(&ctx, "changes.html", v)
}

#[derive(Deserialize, Default)]
struct WithdrawForm {
    #[serde(default)]
    reason: String,
    /// `yes`: the box "确认撤回" was ticked.
    #[serde(default)]
    confirm: String,
}

async fn withdraw_form(State(state): St, ctx: Ctx, Id(id): Id, Form(f): Form<WithdrawForm>) -> Res {
    if f.confirm != "yes" {
        let err = WebError::bad_request("").details(
            "请勾选“确认撤回此发布版本”",
            "tick \"I confirm withdrawing this published version\"",
        );
        let failure = Failure {
            err,
            ctx: ctx.clone(),
            kept: None,
        };
        return Err(failure.keep(&f.reason));
    }
    do_withdraw(&state, &ctx, id, &f.reason)
        .await
        .ctx(&ctx)
        .map_err(|e| e.keep(&f.reason))?;
    Ok(Redirect::to(&format!("/p/{id}")).into_response())
}

/// The public library audited as a whole (administrators): every published version, withdrawn
/// ones too, read back from its published report page (`report.html`, else its workbook) as
/// a published report is audited — the same summary and dataset as an uploaded batch.
async fn do_audit_library(state: &Arc<AppState>, ctx: &Ctx) -> Result<String, WebError> {
    if need_user(ctx)?.role != Role::Admin {
        return Err(WebError::forbidden());
    }
    let lang = ctx.lang;
    state
        .blocking(move |s| {
            let mut reports = Vec::new();
            let mut skipped = Vec::new();
            for p in store::publications(&s.db, "", None)? {
                let stem = format!(
                    "{}/{}-{}-{}-v{}",
                    p.region, p.department, p.year, p.kind, p.version
                );
                let (page, workbook) = (
                    Rendering::ReportHtml.file().alone,
                    Rendering::Workbook.file().alone,
                );
                let file = p
                    .files
                    .iter()
                    .find(|f| *f == page)
                    .or_else(|| p.files.iter().find(|f| *f == workbook));
                let Some(file) = file else {
                    skipped.push(stem);
                    continue;
                };
                match store::publication_file(&s.db, p.id, file)? {
                    Some(bytes) => reports.push(juesuan_batch::service::InMemory {
                        name: format!("{stem}/{file}"),
                        bytes,
                    }),
                    None => skipped.push(stem),
                }
            }
            if reports.is_empty() {
                return Err(WebError::empty_library());
            }
            let label = match lang {
                Lang::Zh => "公开库全部发布版本",
                Lang::En => "every published version of the library",
            };
            let batch = batches::audit(&s.setup, label, &reports, skipped, lang)?;
            Ok(s.audits.keep(batch))
        })
        .await
}

async fn audit_library(State(state): St, ctx: Ctx) -> Res {
    let id = do_audit_library(&state, &ctx).await.ctx(&ctx)?;
    Ok(Redirect::to(&format!("/audit/batches/{id}")).into_response())
}

/// The audit log: every recorded action, for administrators.
async fn do_log(state: &Arc<AppState>, ctx: &Ctx) -> Result<Vec<store::Action>, WebError> {
    if need_user(ctx)?.role != Role::Admin {
        return Err(WebError::forbidden());
    }
    state.blocking(|s| store::actions(&s.db, 1000)).await
}

async fn log_page(State(state): St, ctx: Ctx) -> Res {
    let actions: Vec<JsonValue> = do_log(&state, &ctx)
        .await
        .ctx(&ctx)?
        .into_iter()
        .map(|a| {
            let mut v = serde_json::to_value(&a).unwrap_or_default();
            let link = if let Some(id) = a.target.strip_prefix("upload ") {
                Some((format!("/uploads/{id}"), "上传", "upload", id))
            } else {
                a.target
                    .strip_prefix("publication ")
                    .map(|id| (format!("/p/{id}"), "发布版本", "publication", id))
            };
            if let Some((href, zh, en, id)) = link {
                v["href"] = json!(href);
                v["kind_zh"] = json!(zh);
                v["kind_en"] = json!(en);
                v["number"] = json!(id);
            }
            v
        })
        .collect();
    render(&ctx, "log.html", json!({"actions": actions}))
}

/// The site's icon (a browser asks for it on every first visit).
async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
        .into_response()
}

/// The figure viewer's script (`data/templates/viewer.js`): the audit page loads it from here,
/// as the app's pages run no inline script.
async fn viewer_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        juesuan_render::viewer::script(),
    )
        .into_response()
}

const FAVICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">\
<rect width=\"32\" height=\"32\" rx=\"5\" fill=\"#7a1f1f\"/>\
<text x=\"16\" y=\"23\" font-size=\"19\" text-anchor=\"middle\" fill=\"#fff\" \
font-family=\"sans-serif\">决</text></svg>";

async fn publication_page(State(state): St, ctx: Ctx, Id(id): Id) -> Res {
    let p = do_publication(&state, id).await.ctx(&ctx)?;
    let downloads: Vec<JsonValue> = FILES
        .iter()
        .filter(|f| f.offered)
        .map(|f| {
            // Amounts of the CSV are exact 元, whatever unit the report prints in.
            let label = match (f.alone.ends_with(".csv"), ctx.lang) {
                (true, Lang::Zh) => format!("{}（金额单位：元）", f.label(ctx.lang)),
                (true, Lang::En) => format!("{} (amounts in yuan)", f.label(ctx.lang)),
                _ => f.label(ctx.lang).to_string(),
            };
            json!({"name": f.alone, "label": label})
        })
        .collect();
    let can_withdraw = p.withdrawn.is_none()
        && ctx.user.as_ref().is_some_and(|u| match u.role {
            Role::Admin => true,
            Role::Reviewer => u.region_id == Some(p.region_id),
            Role::Editor => false,
        });
    render(
        &ctx,
        "publication.html",
        json!({
            "p": p,
            "downloads": downloads,
            "report": Rendering::ReportHtml.file().alone,
            "can_withdraw": can_withdraw,
        }),
    )
}

async fn publication_file(
    State(state): St,
    ctx: Ctx,
    Id(id): Id,
    Path(PathFields(fields)): Path<PathFields>,
) -> Res {
    let name = fields.get("name").cloned().unwrap_or_default();
    let (p, mut bytes) = do_file(&state, id, name.clone()).await.ctx(&ctx)?;
    if name.ends_with(".csv") {
        bytes = excel_csv(bytes);
    }
    let mut r = ([(header::CONTENT_TYPE, content_type(&name))], bytes).into_response();
    if !OutputFile::alone(&name).is_some_and(OutputFile::is_page) {
        let download = format!("{}-{}-v{}-{name}", p.department, p.year, p.version);
        let ascii = format!("{}-v{}-{name}", p.year, p.version);
        if let Ok(v) = HeaderValue::from_str(&format!(
            "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
            templates::percent_encode(&download)
        )) {
            r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(r)
}

async fn department_page(State(state): St, ctx: Ctx, Id(id): Id) -> Res {
    let (department, pubs) = state
        .blocking(move |s| {
            let d = store::department(&s.db, id)?.ok_or_else(WebError::not_found)?;
            let pubs: Vec<store::Publication> = store::publications(&s.db, "", Some(d.region_id))?
                .into_iter()
                .filter(|p| p.department_id == id)
                .collect();
            Ok((d, pubs))
        })
        .await
        .ctx(&ctx)?;
    let lang = ctx.lang;
    let listed = pubs.clone();
    let (compare, reconciliation) = state
        .blocking(move |s| {
            let pubs = listed;
            // Versions compare with versions of their own kind, table by table.
            let mut compare = Vec::new();
            let mut kinds: Vec<&str> = pubs.iter().map(|p| p.kind.as_str()).collect();
            kinds.dedup();
            kinds.sort_unstable();
            kinds.dedup();
            for kind in kinds.into_iter().rev() {
                let of_kind: Vec<&store::Publication> =
                    pubs.iter().filter(|p| p.kind == kind).collect();
                if of_kind.len() < 2 {
                    continue;
                }
                let (bytes, _) = store::upload_content(&s.db, of_kind[0].upload_id)?;
                let tables: Vec<JsonValue> = pipeline::check_bytes(&s.setup, "input", &bytes)
                    .map(|c| {
                        views::tables(&c.built.views, lang)
                            .into_iter()
                            .map(|(key, name)| json!({"key": key, "name": name}))
                            .collect()
                    })
                    .unwrap_or_default();
                compare.push(json!({"kind": kind, "publications": of_kind, "tables": tables}));
            }
            let reconciliation = reconcile(s, &pubs, lang)?;
            Ok((compare, reconciliation))
        })
        .await
        .ctx(&ctx)?;
    render(
        &ctx,
        "department.html",
        json!({"department": department, "publications": pubs, "compare": compare,
               "reconciliation": reconciliation}),
    )
}

/// The reconciliation of a department's documents as its page shows it: the latest version
/// not withdrawn of each kind and year, each read back from its published page and audited,
/// then related by the R rules of their kinds (`reconcile.toml`), as `juesuan audit` relates
/// files. `None` with fewer than two such documents (blocking).
fn reconcile(
    s: &AppState,
    pubs: &[store::Publication],
    lang: Lang,
) -> Result<Option<JsonValue>, WebError> {
    let mut current: Vec<&store::Publication> = Vec::new();
    // The store lists a department-year's kinds newest version first.
    for p in pubs.iter().filter(|p| p.withdrawn.is_none()) {
        if !current.iter().any(|c| c.year == p.year && c.kind == p.kind) {
            current.push(p);
        }
    }
    let page = Rendering::ReportHtml.file().alone;
    let mut files = Vec::new();
    let mut read = Vec::new();
    for p in current {
        if let Some(bytes) = store::publication_file(&s.db, p.id, page)? {
            // The name findings give the document: its version (the kind and year are told
            // by the document itself).
            let name = match lang {
                Lang::Zh => format!("第{}版", p.version),
                Lang::En => format!("version {}", p.version),
            };
            files.push((name, bytes));
            read.push(p);
        }
    }
    if files.len() < 2 {
        return Ok(None);
    }
    let set = match juesuan_publish::audited::audit_inputs_bytes(&s.setup, &files) {
        Ok(juesuan_publish::audited::Outcome::Set(set)) => set,
        // One kind and year told for all: nothing between documents to relate.
        Ok(juesuan_publish::audited::Outcome::One(_)) => return Ok(None),
        Err(d) => {
            return Ok(Some(json!({
                "problem": d.iter().map(|d| d.render(lang)).collect::<Vec<_>>().join("\n"),
            })));
        }
    };
    let docs: Vec<JsonValue> = (0..set.docs.len())
        .map(|i| {
            let summary = set.own_summary(i);
            json!({
                "id": read[i].id,
                "label": set.label(i, &s.setup).get(lang),
                "errors": summary.errors,
                "warnings": summary.warnings,
            })
        })
        .collect();
    let pairs: Vec<JsonValue> = set
        .reconciled
        .pairs
        .iter()
        .map(|p| {
            json!({
                "this": docs[p.this],
                "cited": docs[p.cited],
                "checked": p.checked.iter().map(|(_, n)| n).sum::<usize>(),
            })
        })
        .collect();
    let findings: Vec<JsonValue> = set
        .reconciled
        .findings
        .iter()
        .map(|(pair, f)| {
            let p = &set.reconciled.pairs[*pair];
            let this = &set.docs[p.this].1;
            // A page of a printed document; a line of a web page would tell a visitor nothing
            // (the finding quotes the sentence).
            let place = f
                .source()
                .filter(|_| this.pages.is_some())
                .map(|s| this.place(s.line, lang))
                .unwrap_or_default();
            let mut view = views::finding(f, place, lang);
            // The page names the two documents beside the finding already.
            let (a, b) = (
                docs[p.this]["label"].as_str(),
                docs[p.cited]["label"].as_str(),
            );
            let both = match lang {
                Lang::Zh => format!("（{} ↔ {}）", a.unwrap_or_default(), b.unwrap_or_default()),
                Lang::En => format!(" ({} ↔ {})", a.unwrap_or_default(), b.unwrap_or_default()),
            };
            if let Some(m) = view.message.strip_suffix(&both) {
                view.message = m.to_string();
            }
            json!({"pair": pair, "finding": view})
        })
        .collect();
    let missing: Vec<String> = set
        .reconciled
        .missing
        .iter()
        .map(|(i, name)| match lang {
            Lang::Zh => format!(
                "{}：所引的{}未发布，相关核对未进行",
                docs[*i]["label"].as_str().unwrap_or_default(),
                name.zh
            ),
            Lang::En => format!(
                "{}: {} (which it cites) is not published; not reconciled",
                docs[*i]["label"].as_str().unwrap_or_default(),
                name.en
            ),
        })
        .collect();
    let errors = findings
        .iter()
        .filter(|f| f["finding"]["severity"] == "error")
        .count();
    Ok(Some(json!({
        "docs": docs,
        "pairs": pairs,
        "findings": findings,
        "missing": missing,
        "errors": errors,
    })))
}

struct CompareQuery {
    a: i64,
    b: i64,
    table: String,
}

/// The query's fields as text: parsed by the handlers, so a bad value is an error in the
/// visitor's language that names the field, not the extractor's English.
type Fields = Query<HashMap<String, String>>;

/// Field `name` of a query as a whole number: `None` when absent or empty; an error saying
/// what was expected (`what_zh`/`what_en`) and found otherwise.
fn int_field(
    q: &HashMap<String, String>,
    name: &str,
    what_zh: &str,
    what_en: &str,
) -> Result<Option<i64>, WebError> {
    match q.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            WebError::bad_request("").details(
                format!("{name} 应为{what_zh}，收到“{v}”"),
                format!("{name} should be {what_en}; found \"{v}\""),
            )
        }),
    }
}

fn missing(name: &str) -> WebError {
    WebError::bad_request("").details(
        format!("缺少参数 {name}"),
        format!("the query lacks {name}"),
    )
}

fn compare_query(q: &HashMap<String, String>) -> Result<CompareQuery, WebError> {
    let id = |n: &str| {
        int_field(q, n, "发布版本编号（整数）", "a publication number")?.ok_or_else(|| missing(n))
    };
    Ok(CompareQuery {
        a: id("a")?,
        b: id("b")?,
        table: q
            .get("table")
            .filter(|t| !t.is_empty())
            .cloned()
            .ok_or_else(|| missing("table"))?,
    })
}

async fn compare_page(State(state): St, ctx: Ctx, Query(q): Fields) -> Res {
    let q = compare_query(&q).ctx(&ctx)?;
    let v = do_compare(&state, q, ctx.lang).await.ctx(&ctx)?;
    render(&ctx, "compare.html", v)
}

/// A roll-up's region and year from the query. The year is a four-digit year.
fn rollup_query(q: &HashMap<String, String>) -> Result<(Option<i64>, Option<i64>), WebError> {
    let region = int_field(q, "region", "地区编号（整数）", "a region number")?;
    let year = int_field(
        q,
        "year",
        "四位数的年度（如 2023）",
        "a four-digit year (such as 2023)",
    )?;
    if let Some(y) = year.filter(|y| !(1900..=2999).contains(y)) {
        return Err(WebError::bad_request("").details(
            format!("year 应为四位数的年度（如 2023），收到“{y}”"),
            format!("year should be a four-digit year (such as 2023); found \"{y}\""),
        ));
    }
    Ok((region, year))
}

async fn rollup_page(State(state): St, ctx: Ctx, Query(q): Fields) -> Res {
    let asked = rollup_query(&q);
    let (regions, latest) = state
        .blocking(|s| {
            let mut regions: Vec<JsonValue> = Vec::new();
            for d in store::departments(&s.db, "")? {
                if !regions.iter().any(|r| r["id"] == d.region_id) {
                    regions.push(json!({"id": d.region_id, "name": d.region}));
                }
            }
            // The year to offer: the latest one published.
            let latest = store::publications(&s.db, "", None)?
                .iter()
                .filter(|p| p.withdrawn.is_none())
                .map(|p| p.year)
                .max();
            Ok((regions, latest))
        })
        .await
        .ctx(&ctx)?;
    let (region, year) = match asked {
        Ok(v) => v,
        Err(e) => {
            // The form again, with what was typed and what is wrong with it.
            let extra = json!({
                "regions": regions,
                "year_text": q.get("year").cloned().unwrap_or_default(),
                "message": e.render(ctx.lang),
            });
            let body = page(&ctx, "rollup.html", extra).ctx(&ctx)?;
            return Ok((StatusCode::BAD_REQUEST, html(body)).into_response());
        }
    };
    let shown = year.or(latest);
    let mut extra = json!({
        "regions": regions,
        "region": region,
        "year": year,
        "year_text": shown.map(|y| y.to_string()).unwrap_or_default(),
    });
    if let (Some(region), Some(year)) = (region, year) {
        match do_rollup(&state, region, year).await {
            Ok((names, _)) => {
                extra["included"] = json!(names);
                extra["report_url"] =
                    json!(format!("/rollup/report.html?region={region}&year={year}"));
            }
            Err(e) => extra["message"] = json!(e.render(ctx.lang)),
        }
    }
    render(&ctx, "rollup.html", extra)
}

async fn rollup_report(State(state): St, ctx: Ctx, Query(q): Fields) -> Res {
    let (region, year) = rollup_query(&q).ctx(&ctx)?;
    let region = region.ok_or_else(|| missing("region")).ctx(&ctx)?;
    let year = year.ok_or_else(|| missing("year")).ctx(&ctx)?;
    Ok(html(do_rollup(&state, region, year).await.ctx(&ctx)?.1))
}

async fn audit_page(ctx: Ctx) -> Res {
    render(&ctx, "audit.html", json!({}))
}

/// One report is audited on the page itself; a zip, or several files, as a batch whose
/// summary has a page of its own.
async fn audit_form(State(state): St, ctx: Ctx, mp: Multipart) -> Res {
    let mut files = read_files(mp, state.max_upload).await.ctx(&ctx)?;
    if files.len() == 1 && !batches::is_zip(&files[0].0) {
        let (name, bytes) = files.remove(0);
        let result = do_audit(&state, ctx.lang, name, bytes).await.ctx(&ctx)?;
        return render(&ctx, "audit.html", json!({"result": result}));
    }
    let id = do_audit_batch(&state, ctx.lang, files).await.ctx(&ctx)?;
    Ok(Redirect::to(&format!("/audit/batches/{id}")).into_response())
}

/// A batch audit's page: its totals, the dataset to download and the summary (framed, as it
/// is `index.html` of `juesuan audit --batch`).
async fn audit_batch_page(State(state): St, ctx: Ctx, Path(id): Path<String>) -> Res {
    let batch = state
        .audits
        .get(&id)
        .ok_or_else(WebError::not_found)
        .ctx(&ctx)?;
    render(
        &ctx,
        "audit-batch.html",
        json!({
            "id": id,
            "counts": batch.counts,
            "findings": batch.findings,
            "skipped": batch.skipped,
            "data_files": batches::DATA_FILES,
        }),
    )
}

/// A file of a batch audit: the summary (in the visitor's language), a document's audit page,
/// a data file or `dataset.zip`.
async fn audit_batch_file(
    State(state): St,
    ctx: Ctx,
    Path((id, file)): Path<(String, String)>,
) -> Res {
    let batch = state
        .audits
        .get(&id)
        .ok_or_else(WebError::not_found)
        .ctx(&ctx)?;
    if file == "index.html" {
        let setup = &state.setup;
        let page = batch
            .summary
            .page(setup, ctx.lang)
            .map_err(|d| pipeline_error(&[d], ctx.lang))
            .ctx(&ctx)?;
        return Ok(html(page));
    }
    let bytes = batch
        .files
        .get(&file)
        .cloned()
        .ok_or_else(WebError::not_found)
        .ctx(&ctx)?;
    let kind = match file.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        Some("json") => "application/json",
        Some("parquet") => "application/vnd.apache.parquet",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    };
    let mut r = (
        [
            (header::CONTENT_TYPE, kind),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response();
    if !file.ends_with(".html") {
        let name = format!("juesuan-audit-{file}");
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(r)
}

async fn not_found(ctx: Ctx) -> Res {
    Err(WebError::not_found()).ctx(&ctx)
}

// ---------------------------------------------------------------------------------------------
// The JSON API (docs/openapi.json)

fn ok(v: JsonValue) -> Res {
    Ok(Json(v).into_response())
}

async fn api_csrf(ctx: Ctx) -> Res {
    ok(json!({"csrf": ctx.csrf}))
}

async fn api_login(State(state): St, ctx: Ctx, Json(f): Json<JsonValue>) -> Res {
    let form = LoginForm {
        username: f["username"].as_str().unwrap_or_default().to_string(),
        password: f["password"].as_str().unwrap_or_default().to_string(),
    };
    let (user, token) = do_login(&state, &ctx, form).await.ctx(&ctx)?;
    let mut r = Json(json!({"user": user})).into_response();
    set_cookie(r.headers_mut(), &session_cookie(&token), ctx.secure);
    Ok(r)
}

async fn api_logout(State(state): St, ctx: Ctx) -> Res {
    do_logout(&state, &ctx).await.ctx(&ctx)?;
    Ok(clear_session(
        Json(json!({"ok": true})).into_response(),
        ctx.secure,
    ))
}

async fn api_me(ctx: Ctx) -> Res {
    let user = need_user(&ctx).ctx(&ctx)?;
    ok(json!({"user": user}))
}

async fn api_uploads(State(state): St, ctx: Ctx) -> Res {
    let user = need_user(&ctx).ctx(&ctx)?.clone();
    let uploads = state
        .blocking(move |s| store::uploads_for(&s.db, &user))
        .await
        .ctx(&ctx)?;
    ok(json!({"uploads": uploads}))
}

async fn api_upload(State(state): St, ctx: Ctx, mp: Multipart) -> Res {
    let id = do_upload(&state, &ctx, mp).await.ctx(&ctx)?;
    let view = do_upload_view(&state, &ctx, id).await.ctx(&ctx)?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(&view).unwrap_or_default()),
    )
        .into_response())
}

async fn api_upload_get(State(state): St, ctx: Ctx, Id(id): Id) -> Res {
    let view = do_upload_view(&state, &ctx, id).await.ctx(&ctx)?;
    ok(serde_json::to_value(&view).unwrap_or_default())
}

async fn api_submit(State(state): St, ctx: Ctx, Id(id): Id) -> Res {
    do_submit(&state, &ctx, id).await.ctx(&ctx)?;
    ok(json!({"state": "submitted"}))
}

async fn api_comment(State(state): St, ctx: Ctx, Id(id): Id, Json(f): Json<JsonValue>) -> Res {
    let id = do_comment(
        &state,
        &ctx,
        id,
        f["finding"].as_i64(),
        f["text"].as_str().unwrap_or_default(),
    )
    .await
    .ctx(&ctx)?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

async fn api_approve(State(state): St, ctx: Ctx, Id(id): Id, body: Option<Json<JsonValue>>) -> Res {
    let comment = body
        .as_ref()
        .and_then(|b| b["comment"].as_str())
        .unwrap_or_default()
        .to_string();
    let p = do_approve(&state, &ctx, id, &comment).await.ctx(&ctx)?;
    ok(json!({"state": "approved", "publication_id": p}))
}

async fn api_return(State(state): St, ctx: Ctx, Id(id): Id, Json(f): Json<JsonValue>) -> Res {
    do_return(&state, &ctx, id, f["comment"].as_str().unwrap_or_default())
        .await
        .ctx(&ctx)?;
    ok(json!({"state": "returned"}))
}

async fn api_publications(State(state): St, ctx: Ctx, Query(q): Query<SearchQuery>) -> Res {
    let pubs = state
        .blocking(move |s| store::publications(&s.db, &q.q, None))
        .await
        .ctx(&ctx)?;
    ok(json!({"publications": pubs}))
}

async fn api_publication(State(state): St, ctx: Ctx, Id(id): Id) -> Res {
    let p = do_publication(&state, id).await.ctx(&ctx)?;
    ok(json!({"publication": p}))
}

async fn api_compare(State(state): St, ctx: Ctx, Query(q): Fields) -> Res {
    let q = compare_query(&q).ctx(&ctx)?;
    ok(do_compare(&state, q, ctx.lang).await.ctx(&ctx)?)
}

async fn api_resubmit(State(state): St, ctx: Ctx, Id(id): Id, mp: Multipart) -> Res {
    let new = do_resubmit(&state, &ctx, id, mp).await.ctx(&ctx)?;
    let view = do_upload_view(&state, &ctx, new).await.ctx(&ctx)?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(&view).unwrap_or_default()),
    )
        .into_response())
}

async fn api_discard(State(state): St, ctx: Ctx, Id(id): Id) -> Res {
    do_discard(&state, &ctx, id).await.ctx(&ctx)?;
    ok(json!({"state": "discarded"}))
}

async fn api_changes(State(state): St, ctx: Ctx, Id(id): Id) -> Res {
    ok(do_changes(&state, &ctx, id).await.ctx(&ctx)?)
}

async fn api_withdraw(State(state): St, ctx: Ctx, Id(id): Id, Json(f): Json<JsonValue>) -> Res {
    do_withdraw(&state, &ctx, id, f["reason"].as_str().unwrap_or_default())
        .await
        .ctx(&ctx)?;
    let p = do_publication(&state, id).await.ctx(&ctx)?;
    ok(json!({"publication": p}))
}

async fn api_log(State(state): St, ctx: Ctx) -> Res {
    let actions = do_log(&state, &ctx).await.ctx(&ctx)?;
    ok(json!({"actions": actions}))
}

async fn api_audit(State(state): St, ctx: Ctx, mp: Multipart) -> Res {
    let (name, bytes) = read_file(mp, state.max_upload).await.ctx(&ctx)?;
    let mut v = do_audit(&state, ctx.lang, name, bytes).await.ctx(&ctx)?;
    let doc = v["findings_json"].take();
    ok(doc)
}
