//! What the web app keeps, over either backend ([`Db`]): regions, departments, users and
//! sessions; uploads (insert-only: the bytes as uploaded and their findings), review events and
//! comments (insert-only), published versions and their files (insert-only; a PDF is added once,
//! lazily).

use crate::auth;
use crate::db::{Conn, Db, Row, Value};
use crate::error::WebError;
use serde::Serialize;

/// A role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Prepares and submits the reports of one department.
    Editor,
    /// Reviews the departments of one region: comments, approves or returns.
    Reviewer,
    /// Everything.
    Admin,
}

impl Role {
    /// Parses `editor`, `reviewer` or `admin`.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "editor" => Some(Role::Editor),
            "reviewer" => Some(Role::Reviewer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }
}

/// A signed-in user.
#[derive(Clone, Debug, Serialize)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Shown name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// An editor's department.
    pub department_id: Option<i64>,
    /// A reviewer's region.
    pub region_id: Option<i64>,
}

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.department_id, u.region_id";

fn user_of(r: &Row) -> User {
    User {
        id: r[0].int(),
        username: r[1].text(),
        display_name: r[2].text(),
        role: Role::parse(&r[3].text()).unwrap_or(Role::Editor),
        department_id: r[4].opt_int(),
        region_id: r[5].opt_int(),
    }
}

/// An upload, as listed (without its bytes).
#[derive(Clone, Debug, Serialize)]
pub struct Upload {
    /// Row id.
    pub id: i64,
    /// Department.
    pub department_id: i64,
    /// Its name.
    pub department: String,
    /// Its region.
    pub region_id: i64,
    /// Year of the accounts (0 when the file could not be read).
    pub year: i64,
    /// The file's name as uploaded.
    pub filename: String,
    /// Its size in bytes.
    pub size: i64,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When (Unix seconds).
    pub uploaded_at: i64,
    /// Whether it could be read and built.
    pub valid: bool,
    /// Error findings.
    pub errors: i64,
    /// Warning findings.
    pub warnings: i64,
    /// draft, submitted, returned or approved: its latest event; withdrawn once its
    /// publication is withdrawn; discarded once the editor discarded the draft.
    pub state: String,
    /// Its published version, once approved.
    pub publication_id: Option<i64>,
    /// The returned upload this one replaces (the previous version of the submission).
    pub previous_id: Option<i64>,
    /// The upload that replaces this one, once resubmitted.
    pub next_id: Option<i64>,
    /// The kind of document its layout prints (`final-accounts`, `budget`: a kind bundle's
    /// id).
    pub kind: String,
}

const UPLOAD_COLUMNS: &str = "up.id, up.department_id, d.name, d.region_id, up.year, up.filename, \
     up.size, u.display_name, up.uploaded_at, up.valid, up.errors, up.warnings, \
     CASE WHEN EXISTS (SELECT 1 FROM withdrawals w JOIN publications wp ON wp.id = w.publication_id \
       WHERE wp.upload_id = up.id) THEN 'withdrawn' \
     WHEN EXISTS (SELECT 1 FROM discards dc WHERE dc.upload_id = up.id) THEN 'discarded' ELSE \
     COALESCE((SELECT e.kind FROM events e WHERE e.upload_id = up.id ORDER BY e.id DESC LIMIT 1), 'draft') END, \
     (SELECT p.id FROM publications p WHERE p.upload_id = up.id), up.previous_id, \
     (SELECT n.id FROM uploads n WHERE n.previous_id = up.id), up.kind";
const UPLOAD_FROM: &str = "FROM uploads up JOIN departments d ON d.id = up.department_id \
     JOIN users u ON u.id = up.uploaded_by";

fn upload_of(r: &Row) -> Upload {
    Upload {
        id: r[0].int(),
        department_id: r[1].int(),
        department: r[2].text(),
        region_id: r[3].int(),
        year: r[4].int(),
        filename: r[5].text(),
        size: r[6].int(),
        uploaded_by: r[7].text(),
        uploaded_at: r[8].int(),
        valid: r[9].int() != 0,
        errors: r[10].int(),
        warnings: r[11].int(),
        state: r[12].text(),
        publication_id: r[13].opt_int(),
        previous_id: r[14].opt_int(),
        next_id: r[15].opt_int(),
        kind: r[16].text(),
    }
}

/// A new upload: the bytes and what checking them gave.
pub struct NewUpload<'a> {
    /// Department.
    pub department_id: i64,
    /// Year (0 when unreadable).
    pub year: i64,
    /// File name.
    pub filename: &'a str,
    /// The bytes as uploaded.
    pub content: &'a [u8],
    /// Uploader.
    pub user_id: i64,
    /// Read and built.
    pub valid: bool,
    /// Error findings.
    pub errors: i64,
    /// Warning findings.
    pub warnings: i64,
    /// Findings or diagnostics as JSON.
    pub findings_json: &'a str,
    /// The returned upload this one replaces.
    pub previous_id: Option<i64>,
    /// The kind of document its layout prints (empty when it cannot be read).
    pub kind: &'a str,
}

/// A review event or comment.
#[derive(Clone, Debug, Serialize)]
pub struct Note {
    /// Row id.
    pub id: i64,
    /// submitted / returned / approved for events; comment for comments.
    pub kind: String,
    /// The finding a comment is about (its index in the findings list), none for overall.
    pub finding: Option<i64>,
    /// The text.
    pub text: String,
    /// Who.
    pub user: String,
    /// When.
    pub at: i64,
}

/// A published version.
#[derive(Clone, Debug, Serialize)]
pub struct Publication {
    /// Row id.
    pub id: i64,
    /// The upload it publishes.
    pub upload_id: i64,
    /// Department.
    pub department_id: i64,
    /// Its name.
    pub department: String,
    /// Its region.
    pub region_id: i64,
    /// The region's name.
    pub region: String,
    /// Year.
    pub year: i64,
    /// The kind of document (`final-accounts`, `budget`: a kind bundle's id).
    pub kind: String,
    /// 1, 2, … per department, year and kind.
    pub version: i64,
    /// When.
    pub published_at: i64,
    /// Who approved it.
    pub approved_by: String,
    /// Its withdrawal, if it was withdrawn (it stays readable, marked).
    pub withdrawn: Option<Withdrawal>,
    /// Its files' names.
    pub files: Vec<String>,
}

/// A publication's withdrawal.
#[derive(Clone, Debug, Serialize)]
pub struct Withdrawal {
    /// Why.
    pub reason: String,
    /// Who.
    pub user: String,
    /// When (Unix seconds).
    pub at: i64,
}

const PUB_COLUMNS: &str = "p.id, p.upload_id, p.department_id, d.name, d.region_id, r.name, p.year, \
     p.version, p.published_at, a.display_name, w.reason, wu.display_name, w.at, p.kind";
const PUB_FROM: &str = "FROM publications p JOIN departments d ON d.id = p.department_id \
     JOIN regions r ON r.id = d.region_id JOIN users a ON a.id = p.approved_by \
     LEFT JOIN withdrawals w ON w.publication_id = p.id LEFT JOIN users wu ON wu.id = w.user_id";

fn publication_of(c: &mut dyn Conn, r: &Row) -> Result<Publication, WebError> {
    let id = r[0].int();
    let mut files: Vec<String> = c
        .query(
            "SELECT name FROM publication_files WHERE publication_id = $1 ORDER BY name",
            &[Value::I(id)],
        )?
        .iter()
        .map(|r| r[0].text())
        .collect();
    // The PDF is printed on first request, but it is one of the files from the start.
    let (page, pdf) = (
        juesuan_publish::format::Rendering::ReportHtml.file().alone,
        juesuan_publish::format::Rendering::ReportPdf.file().alone,
    );
    if files.iter().any(|f| f == page) && !files.iter().any(|f| f == pdf) {
        files.push(pdf.to_string());
        files.sort();
    }
    Ok(Publication {
        id,
        upload_id: r[1].int(),
        department_id: r[2].int(),
        department: r[3].text(),
        region_id: r[4].int(),
        region: r[5].text(),
        year: r[6].int(),
        kind: r[13].text(),
        version: r[7].int(),
        published_at: r[8].int(),
        approved_by: r[9].text(),
        withdrawn: r[12].opt_int().map(|at| Withdrawal {
            reason: r[10].text(),
            user: r[11].text(),
            at,
        }),
        files,
    })
}

/// A department and its region.
#[derive(Clone, Debug, Serialize)]
pub struct Department {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Region id.
    pub region_id: i64,
    /// Region name.
    pub region: String,
}

/// How many failed logins in 15 minutes lock a user name from one address.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long failed logins count (seconds).
pub const LOGIN_WINDOW: i64 = 15 * 60;
/// How long a session lasts (seconds).
pub const SESSION_SECONDS: i64 = 12 * 3600;

/// The region named `name`, created when absent.
pub fn ensure_region(db: &Db, name: &str) -> Result<i64, WebError> {
    db.tx(|c| {
        if let Some(r) = c.one("SELECT id FROM regions WHERE name = $1", &[name.into()])? {
            return Ok(r[0].int());
        }
        c.int(
            "INSERT INTO regions (name, created_at) VALUES ($1, $2) RETURNING id",
            &[name.into(), Value::I(crate::now())],
        )
    })
}

/// The department named `name` (in region `region_id`), created when absent.
pub fn ensure_department(db: &Db, region_id: i64, name: &str) -> Result<i64, WebError> {
    db.tx(|c| {
        if let Some(r) = c.one("SELECT id FROM departments WHERE name = $1", &[name.into()])? {
            return Ok(r[0].int());
        }
        c.int(
            "INSERT INTO departments (region_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
            &[Value::I(region_id), name.into(), Value::I(crate::now())],
        )
    })
}

/// A LIKE pattern that matches names containing `q` literally: `%`, `_` and the escape
/// character itself are escaped (with `ESCAPE '!'` in the query).
fn contains_pattern(q: &str) -> String {
    let mut p = String::from("%");
    for c in q.chars() {
        if matches!(c, '%' | '_' | '!') {
            p.push('!');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// Every department, by name.
pub fn departments(db: &Db, q: &str) -> Result<Vec<Department>, WebError> {
    let pattern = contains_pattern(q);
    db.with(|c| {
        Ok(c.query(
            "SELECT d.id, d.name, d.region_id, r.name FROM departments d \
             JOIN regions r ON r.id = d.region_id WHERE d.name LIKE $1 ESCAPE '!' ORDER BY d.name",
            &[pattern.into()],
        )?
        .iter()
        .map(|r| Department {
            id: r[0].int(),
            name: r[1].text(),
            region_id: r[2].int(),
            region: r[3].text(),
        })
        .collect())
    })
}

/// One department.
pub fn department(db: &Db, id: i64) -> Result<Option<Department>, WebError> {
    db.with(|c| {
        Ok(c.one(
            "SELECT d.id, d.name, d.region_id, r.name FROM departments d \
             JOIN regions r ON r.id = d.region_id WHERE d.id = $1",
            &[Value::I(id)],
        )?
        .map(|r| Department {
            id: r[0].int(),
            name: r[1].text(),
            region_id: r[2].int(),
            region: r[3].text(),
        }))
    })
}

/// Creates a user; an editor needs a department, a reviewer a region.
pub fn add_user(
    db: &Db,
    username: &str,
    display_name: &str,
    password: &str,
    role: Role,
    department_id: Option<i64>,
    region_id: Option<i64>,
) -> Result<i64, WebError> {
    if username.trim().is_empty() || password.len() < 8 {
        return Err(WebError::bad_account(
            "user name empty or password shorter than 8 characters",
        ));
    }
    match role {
        Role::Editor if department_id.is_none() => {
            return Err(WebError::bad_account("an editor needs --department"));
        }
        Role::Reviewer if region_id.is_none() => {
            return Err(WebError::bad_account("a reviewer needs --region"));
        }
        _ => {}
    }
    let hash = auth::hash_password(password)?;
    db.tx(|c| {
        if c.one(
            "SELECT id FROM users WHERE username = $1",
            &[username.into()],
        )?
        .is_some()
        {
            return Err(WebError::bad_account(format!("{username} exists")));
        }
        c.int(
            "INSERT INTO users (username, display_name, password_hash, role, department_id, \
             region_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                username.into(),
                display_name.into(),
                hash.into(),
                role.as_str().into(),
                department_id.into(),
                region_id.into(),
                Value::I(crate::now()),
            ],
        )
    })
}

/// Checks a login: refused without looking at the password after [`MAX_FAILED_LOGINS`]
/// failures of this user name from this `address` in [`LOGIN_WINDOW`] (so a stranger elsewhere
/// cannot lock a user out), until the oldest of them ages out; every attempt is recorded.
pub fn login(db: &Db, username: &str, password: &str, address: &str) -> Result<User, WebError> {
    let now = crate::now();
    let (locked_since, found) = db.with(|c| {
        // The failure whose expiry ends the lock: the MAX_FAILED_LOGINS-th most recent.
        let locked_since = c
            .one(
                "SELECT at FROM login_attempts WHERE username = $1 AND address = $2 AND ok = 0 \
                 AND at > $3 ORDER BY at DESC LIMIT 1 OFFSET $4",
                &[
                    username.into(),
                    address.into(),
                    Value::I(now - LOGIN_WINDOW),
                    Value::I(MAX_FAILED_LOGINS - 1),
                ],
            )?
            .map(|r| r[0].int());
        let found = c.one(
            &format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.username = $1"),
            &[username.into()],
        )?;
        Ok((locked_since, found))
    })?;
    if let Some(at) = locked_since {
        return Err(WebError::rate_limited(at + LOGIN_WINDOW));
    }
    let user = match found {
        Some(r) => auth::verify_password(password, &r[6].text()).then(|| user_of(&r)),
        None => {
            // The same work whether or not the user exists, so timing does not tell.
            auth::verify_password(password, auth::dummy_hash());
            None
        }
    };
    db.with(|c| {
        c.query(
            "INSERT INTO login_attempts (username, ok, at, address) VALUES ($1, $2, $3, $4)",
            &[
                username.into(),
                Value::I(i64::from(user.is_some())),
                Value::I(now),
                address.into(),
            ],
        )
    })?;
    user.ok_or_else(WebError::bad_login)
}

/// A new session for `user_id`; returns its token.
pub fn create_session(db: &Db, user_id: i64) -> Result<String, WebError> {
    let token = auth::token();
    let now = crate::now();
    db.with(|c| {
        c.query(
            "INSERT INTO sessions (token, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            &[
                auth::token_digest(&token).into(),
                Value::I(user_id),
                Value::I(now),
                Value::I(now + SESSION_SECONDS),
            ],
        )
    })?;
    Ok(token)
}

/// The user of a live session.
pub fn session_user(db: &Db, token: &str) -> Result<Option<User>, WebError> {
    db.with(|c| {
        Ok(c.one(
            &format!(
                "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token = $1 AND s.expires_at > $2"
            ),
            &[auth::token_digest(token).into(), Value::I(crate::now())],
        )?
        .map(|r| user_of(&r)))
    })
}

/// Ends a session.
pub fn delete_session(db: &Db, token: &str) -> Result<(), WebError> {
    db.with(|c| {
        c.query(
            "DELETE FROM sessions WHERE token = $1",
            &[auth::token_digest(token).into()],
        )?;
        Ok(())
    })
}

/// Stores an upload (one insert: all of it or nothing). A new version (`previous_id`) is
/// accepted only while the upload it replaces is not under review or published (a draft,
/// returned or discarded) and not yet replaced, checked in the same transaction (and the
/// unique index on `previous_id` keeps it a chain).
pub fn insert_upload(db: &Db, u: &NewUpload) -> Result<i64, WebError> {
    db.tx(|c| {
        if let Some(prev) = u.previous_id {
            let state = state_in(c, prev)?;
            let replaced = c.int(
                "SELECT COUNT(*) FROM uploads WHERE previous_id = $1",
                &[Value::I(prev)],
            )?;
            if !matches!(state.as_str(), "draft" | "returned" | "discarded") || replaced > 0 {
                return Err(WebError::wrong_state("").details(
                    format!(
                        "只有草稿、已退回或已放弃且尚无新版本的上传可以上传新版本（#{prev} 为“{}”{}）",
                        state_zh(&state),
                        if replaced > 0 { "，已有新版本" } else { "" }
                    ),
                    format!(
                        "only a draft, returned or discarded upload not yet replaced takes a new \
                         version (#{prev} is {state}{})",
                        if replaced > 0 { ", already replaced" } else { "" }
                    ),
                ));
            }
        }
        c.int(
            "INSERT INTO uploads (department_id, year, filename, size, content, uploaded_by, \
             uploaded_at, valid, errors, warnings, findings_json, previous_id, kind) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            &[
                Value::I(u.department_id),
                Value::I(u.year),
                u.filename.into(),
                Value::I(i64::try_from(u.content.len()).unwrap_or(i64::MAX)),
                Value::B(u.content.to_vec()),
                Value::I(u.user_id),
                Value::I(crate::now()),
                Value::I(i64::from(u.valid)),
                Value::I(u.errors),
                Value::I(u.warnings),
                u.findings_json.into(),
                u.previous_id.into(),
                u.kind.into(),
            ],
        )
    })
}

/// A state's Chinese name, for messages.
pub fn state_zh(state: &str) -> &'static str {
    match state {
        "draft" => "草稿",
        "submitted" => "已提交",
        "returned" => "已退回",
        "approved" => "已通过并发布",
        "withdrawn" => "已撤回发布",
        "discarded" => "已放弃",
        _ => "未知",
    }
}

/// The versions of the submission `upload` belongs to, oldest first: back along
/// `previous_id`, forward along the replacing uploads.
pub fn chain(db: &Db, upload: &Upload) -> Result<Vec<Upload>, WebError> {
    let mut before = Vec::new();
    let mut prev = upload.previous_id;
    while let Some(id) = prev {
        let Some(u) = self::upload(db, id)? else {
            break;
        };
        prev = u.previous_id;
        before.push(u);
    }
    before.reverse();
    before.push(upload.clone());
    let mut next = upload.next_id;
    while let Some(id) = next {
        let Some(u) = self::upload(db, id)? else {
            break;
        };
        next = u.next_id;
        before.push(u);
    }
    Ok(before)
}

/// One upload's record.
pub fn upload(db: &Db, id: i64) -> Result<Option<Upload>, WebError> {
    db.with(|c| {
        Ok(c.one(
            &format!("SELECT {UPLOAD_COLUMNS} {UPLOAD_FROM} WHERE up.id = $1"),
            &[Value::I(id)],
        )?
        .map(|r| upload_of(&r)))
    })
}

/// One upload's bytes and findings JSON.
pub fn upload_content(db: &Db, id: i64) -> Result<(Vec<u8>, String), WebError> {
    db.with(|c| {
        let r = c
            .one(
                "SELECT content, findings_json FROM uploads WHERE id = $1",
                &[Value::I(id)],
            )?
            .ok_or_else(WebError::not_found)?;
        let mut it = r.into_iter();
        let content = it.next().map(Value::bytes).unwrap_or_default();
        let findings = it.next().map(|v| v.text()).unwrap_or_default();
        Ok((content, findings))
    })
}

/// The uploads `user` may see, newest first: an editor's department's, a reviewer's region's
/// (but drafts), an administrator's all.
pub fn uploads_for(db: &Db, user: &User) -> Result<Vec<Upload>, WebError> {
    let (filter, params): (&str, Vec<Value>) = match user.role {
        Role::Admin => ("", vec![]),
        Role::Editor => (
            "WHERE up.department_id = $1",
            vec![user.department_id.into()],
        ),
        Role::Reviewer => ("WHERE d.region_id = $1", vec![user.region_id.into()]),
    };
    let all = db.with(|c| {
        Ok(c.query(
            &format!("SELECT {UPLOAD_COLUMNS} {UPLOAD_FROM} {filter} ORDER BY up.id DESC"),
            &params,
        )?
        .iter()
        .map(upload_of)
        .collect::<Vec<_>>())
    })?;
    Ok(all
        .into_iter()
        .filter(|u| user.role != Role::Reviewer || u.state != "draft")
        .collect())
}

/// Events and comments of an upload, oldest first.
pub fn notes(db: &Db, upload_id: i64) -> Result<Vec<Note>, WebError> {
    db.with(|c| {
        let mut notes: Vec<Note> = c
            .query(
                "SELECT e.id, e.kind, e.comment, u.display_name, e.at FROM events e \
                 JOIN users u ON u.id = e.user_id WHERE e.upload_id = $1 ORDER BY e.id",
                &[Value::I(upload_id)],
            )?
            .iter()
            .map(|r| Note {
                id: r[0].int(),
                kind: r[1].text(),
                finding: None,
                text: r[2].text(),
                user: r[3].text(),
                at: r[4].int(),
            })
            .collect();
        notes.extend(
            c.query(
                "SELECT cm.id, cm.finding, cm.text, u.display_name, cm.at FROM comments cm \
                 JOIN users u ON u.id = cm.user_id WHERE cm.upload_id = $1 ORDER BY cm.id",
                &[Value::I(upload_id)],
            )?
            .iter()
            .map(|r| Note {
                id: r[0].int(),
                kind: "comment".into(),
                finding: r[1].opt_int(),
                text: r[2].text(),
                user: r[3].text(),
                at: r[4].int(),
            }),
        );
        notes.sort_by_key(|n| (n.at, n.kind == "comment", n.id));
        Ok(notes)
    })
}

/// Adds a comment (审核意见) on one finding or (`finding` none) on the whole upload.
pub fn add_comment(
    db: &Db,
    upload_id: i64,
    finding: Option<i64>,
    text: &str,
    user_id: i64,
) -> Result<i64, WebError> {
    db.tx(|c| {
        c.int(
            "INSERT INTO comments (upload_id, finding, text, user_id, at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[
                Value::I(upload_id),
                finding.into(),
                text.into(),
                Value::I(user_id),
                Value::I(crate::now()),
            ],
        )
    })
}

fn state_in(c: &mut dyn Conn, upload_id: i64) -> Result<String, WebError> {
    if c.int(
        "SELECT COUNT(*) FROM discards WHERE upload_id = $1",
        &[Value::I(upload_id)],
    )? > 0
    {
        return Ok("discarded".to_string());
    }
    Ok(c.one(
        "SELECT kind FROM events WHERE upload_id = $1 ORDER BY id DESC LIMIT 1",
        &[Value::I(upload_id)],
    )?
    .map_or_else(|| "draft".to_string(), |r| r[0].text()))
}

fn add_event(
    c: &mut dyn Conn,
    upload_id: i64,
    kind: &str,
    user_id: i64,
    comment: &str,
) -> Result<(), WebError> {
    c.query(
        "INSERT INTO events (upload_id, kind, user_id, comment, at) VALUES ($1, $2, $3, $4, $5)",
        &[
            Value::I(upload_id),
            kind.into(),
            Value::I(user_id),
            comment.into(),
            Value::I(crate::now()),
        ],
    )?;
    Ok(())
}

/// Records a move of the workflow when the upload is in state `from` (checked in the same
/// transaction, so two reviewers cannot both act on one submission).
pub fn transition(
    db: &Db,
    upload_id: i64,
    from: &str,
    to: &str,
    user_id: i64,
    comment: &str,
) -> Result<(), WebError> {
    db.tx(|c| {
        let state = state_in(c, upload_id)?;
        if state != from {
            return Err(WebError::wrong_state("").details(
                format!(
                    "该上传当前为“{}”，不能改为“{}”",
                    state_zh(&state),
                    state_zh(to)
                ),
                format!("the upload is {state}; it cannot become {to}"),
            ));
        }
        add_event(c, upload_id, to, user_id, comment)
    })
}

/// Approves a submitted upload: the next version of its department, year and kind, with
/// `files`, and the approval event, in one transaction.
pub fn approve(
    db: &Db,
    upload: &Upload,
    user_id: i64,
    comment: &str,
    files: &[(String, Vec<u8>)],
) -> Result<i64, WebError> {
    db.tx(|c| {
        let state = state_in(c, upload.id)?;
        if state != "submitted" {
            return Err(WebError::wrong_state("").details(
                format!(
                    "该上传当前为“{}”，只有已提交的可以审核通过",
                    state_zh(&state)
                ),
                format!("the upload is {state}; only a submitted one can be approved"),
            ));
        }
        let version = c.int(
            "SELECT COALESCE(MAX(version), 0) FROM publications WHERE department_id = $1 \
             AND year = $2 AND kind = $3",
            &[
                Value::I(upload.department_id),
                Value::I(upload.year),
                upload.kind.as_str().into(),
            ],
        )? + 1;
        let id = c.int(
            "INSERT INTO publications (upload_id, department_id, year, version, approved_by, \
             published_at, kind) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                Value::I(upload.id),
                Value::I(upload.department_id),
                Value::I(upload.year),
                Value::I(version),
                Value::I(user_id),
                Value::I(crate::now()),
                upload.kind.as_str().into(),
            ],
        )?;
        for (name, bytes) in files {
            c.query(
                "INSERT INTO publication_files (publication_id, name, content) VALUES ($1, $2, $3)",
                &[Value::I(id), name.as_str().into(), Value::B(bytes.clone())],
            )?;
        }
        add_event(c, upload.id, "approved", user_id, comment)?;
        Ok(id)
    })
}

/// Published versions whose department's name contains `q`, newest first; `region` narrows.
pub fn publications(db: &Db, q: &str, region: Option<i64>) -> Result<Vec<Publication>, WebError> {
    let pattern = contains_pattern(q);
    db.with(|c| {
        let rows = c.query(
            &format!(
                "SELECT {PUB_COLUMNS} {PUB_FROM} WHERE d.name LIKE $1 ESCAPE '!' AND (d.region_id = $2 OR $2 = 0) \
                 ORDER BY p.year DESC, d.name, p.kind DESC, p.version DESC"
            ),
            &[pattern.into(), Value::I(region.unwrap_or(0))],
        )?;
        rows.iter().map(|r| publication_of(c, r)).collect()
    })
}

/// One published version.
pub fn publication(db: &Db, id: i64) -> Result<Option<Publication>, WebError> {
    db.with(|c| {
        match c.one(
            &format!("SELECT {PUB_COLUMNS} {PUB_FROM} WHERE p.id = $1"),
            &[Value::I(id)],
        )? {
            Some(r) => Ok(Some(publication_of(c, &r)?)),
            None => Ok(None),
        }
    })
}

/// A published file's bytes.
pub fn publication_file(db: &Db, id: i64, name: &str) -> Result<Option<Vec<u8>>, WebError> {
    db.with(|c| {
        Ok(c.one(
            "SELECT content FROM publication_files WHERE publication_id = $1 AND name = $2",
            &[Value::I(id), name.into()],
        )?
        .and_then(|r| r.into_iter().next())
        .map(Value::bytes))
    })
}

/// Adds a file to a published version once (the PDF, made on first request); a second
/// writer's copy is dropped, the first kept.
pub fn add_publication_file(db: &Db, id: i64, name: &str, bytes: Vec<u8>) -> Result<(), WebError> {
    db.with(|c| {
        c.query(
            "INSERT INTO publication_files (publication_id, name, content) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
            &[Value::I(id), name.into(), Value::B(bytes)],
        )?;
        Ok(())
    })
}

/// Discards draft `upload_id`: a row of its own (the upload is kept, as every upload is); it
/// can no longer be submitted. Only a draft is discarded.
pub fn discard(db: &Db, upload_id: i64, user_id: i64) -> Result<(), WebError> {
    db.tx(|c| {
        let state = state_in(c, upload_id)?;
        if state != "draft" {
            return Err(WebError::wrong_state("").details(
                format!("该上传当前为“{}”，只有草稿可以放弃", state_zh(&state)),
                format!("the upload is {state}; only a draft can be discarded"),
            ));
        }
        c.query(
            "INSERT INTO discards (upload_id, user_id, at) VALUES ($1, $2, $3)",
            &[
                Value::I(upload_id),
                Value::I(user_id),
                Value::I(crate::now()),
            ],
        )?;
        Ok(())
    })
}

/// Withdraws publication `id` with `reason`: a row of its own, the publication and its files
/// kept as they were. A second withdrawal is refused.
pub fn withdraw(db: &Db, id: i64, user_id: i64, reason: &str) -> Result<(), WebError> {
    db.tx(|c| {
        if c.int(
            "SELECT COUNT(*) FROM withdrawals WHERE publication_id = $1",
            &[Value::I(id)],
        )? > 0
        {
            return Err(WebError::wrong_state("").details(
                "该发布版本已撤回",
                "this published version is already withdrawn",
            ));
        }
        c.query(
            "INSERT INTO withdrawals (publication_id, reason, user_id, at) VALUES ($1, $2, $3, $4)",
            &[
                Value::I(id),
                reason.into(),
                Value::I(user_id),
                Value::I(crate::now()),
            ],
        )?;
        Ok(())
    })
}

/// One action of the audit log.
#[derive(Clone, Debug, Serialize)]
pub struct Action {
    /// When (Unix seconds).
    pub at: i64,
    /// Who (a display name; for a login with a name no user has, the name tried).
    pub user: String,
    /// What: login, login_failed, upload, submitted, returned, approved, comment, published,
    /// withdrawn, discarded.
    pub action: String,
    /// On what: `upload N`, `publication N`, or the address of a login.
    pub target: String,
    /// The text given (a comment, a reason, a file name).
    pub text: String,
}

/// Every recorded action, newest first, at most `limit`: logins, uploads, review events,
/// comments, publications, withdrawals and discarded drafts, read from the insert-only tables
/// that record them.
pub fn actions(db: &Db, limit: i64) -> Result<Vec<Action>, WebError> {
    db.with(|c| {
        Ok(c.query(
            "SELECT at, who, action, target, text FROM ( \
               SELECT la.at AS at, \
                 COALESCE((SELECT lu.display_name FROM users lu WHERE lu.username = la.username), \
                   la.username) AS who, \
                 CASE WHEN la.ok = 1 THEN 'login' ELSE 'login_failed' END AS action, \
                 la.address AS target, '' AS text, la.id AS n, 0 AS k FROM login_attempts la \
               UNION ALL SELECT up.uploaded_at, u.display_name, 'upload', 'upload ' || up.id, \
                 up.filename, up.id, 1 FROM uploads up JOIN users u ON u.id = up.uploaded_by \
               UNION ALL SELECT e.at, u.display_name, e.kind, 'upload ' || e.upload_id, e.comment, \
                 e.id, 2 FROM events e JOIN users u ON u.id = e.user_id \
               UNION ALL SELECT cm.at, u.display_name, 'comment', 'upload ' || cm.upload_id, \
                 cm.text, cm.id, 3 FROM comments cm JOIN users u ON u.id = cm.user_id \
               UNION ALL SELECT p.published_at, u.display_name, 'published', 'publication ' || p.id, \
                 '', p.id, 4 FROM publications p JOIN users u ON u.id = p.approved_by \
               UNION ALL SELECT w.at, u.display_name, 'withdrawn', 'publication ' || w.publication_id, \
                 w.reason, w.id, 5 FROM withdrawals w JOIN users u ON u.id = w.user_id \
               UNION ALL SELECT dc.at, u.display_name, 'discarded', 'upload ' || dc.upload_id, \
                 '', dc.id, 6 FROM discards dc JOIN users u ON u.id = dc.user_id \
             ) log ORDER BY at DESC, k DESC, n DESC LIMIT $1",
            &[Value::I(limit)],
        )?
        .iter()
        .map(|r| Action {
            at: r[0].int(),
            user: r[1].text(),
            action: r[2].text(),
            target: r[3].text(),
            text: r[4].text(),
        })
        .collect())
    })
}

/// Counts of the stored rows, for tests and the consistency check.
pub fn count(db: &Db, table: &str) -> Result<i64, WebError> {
    let table = match table {
        "uploads" | "events" | "comments" | "publications" | "publication_files" | "users"
        | "withdrawals" | "discards" => table,
        _ => return Err(WebError::not_found()),
    };
    db.with(|c| c.int(&format!("SELECT COUNT(*) FROM {table}"), &[]))
}
