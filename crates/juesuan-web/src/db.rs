//! The two storage backends behind one small interface: embedded SQLite (the default, a file in
//! the data folder) and PostgreSQL (`--database-url postgres://…`). Both run the same
//! migrations (`data/migrations/`) and the same SQL; only a few type names differ, written as
//! `{id}`, `{int}` and `{blob}` in the migration files.
//!
//! Every call is blocking: handlers run it on tokio's blocking pool ([`crate::AppState::db`]).

use crate::error::WebError;
use std::path::Path;
use std::sync::Mutex;

/// A parameter or a column value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An integer (SQLite INTEGER, PostgreSQL BIGINT).
    I(i64),
    /// A text.
    T(String),
    /// Bytes (SQLite BLOB, PostgreSQL BYTEA).
    B(Vec<u8>),
    /// NULL (an integer column's).
    Null,
}

impl Value {
    /// The integer, or 0 for anything else.
    pub fn int(&self) -> i64 {
        match self {
            Value::I(i) => *i,
            _ => 0,
        }
    }
    /// The integer, or `None` for NULL.
    pub fn opt_int(&self) -> Option<i64> {
        match self {
            Value::I(i) => Some(*i),
            _ => None,
        }
    }
    /// The text, or "" for anything else.
    pub fn text(&self) -> String {
        match self {
            Value::T(s) => s.clone(),
            _ => String::new(),
        }
    }
    /// The bytes, or none for anything else.
    pub fn bytes(self) -> Vec<u8> {
        match self {
            Value::B(b) => b,
            Value::T(s) => s.into_bytes(),
            _ => Vec::new(),
        }
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::I(i)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::T(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::T(s)
    }
}
impl From<Option<i64>> for Value {
    fn from(i: Option<i64>) -> Value {
        i.map_or(Value::Null, Value::I)
    }
}

/// A result row.
pub type Row = Vec<Value>;

/// One connection: run a statement with positional parameters `$1`, `$2`, … and get its rows.
pub trait Conn {
    /// Runs `sql` and returns every row it gives (none for most writes).
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, WebError>;
    /// Runs several statements without parameters.
    fn batch(&mut self, sql: &str) -> Result<(), WebError>;
}

impl dyn Conn + '_ {
    /// The first row, if any.
    pub fn one(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, WebError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
    /// The first column of the first row, as an integer (0 when none).
    pub fn int(&mut self, sql: &str, params: &[Value]) -> Result<i64, WebError> {
        Ok(self
            .one(sql, params)?
            .and_then(|r| r.into_iter().next())
            .map_or(0, |v| v.int()))
    }
}

fn db_error(e: impl std::fmt::Display) -> WebError {
    WebError::database(e.to_string())
}

impl Conn for rusqlite::Connection {
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, WebError> {
        // `?NNN` is SQLite's positional parameter; `$1` there would be a named one.
        let mut stmt = self
            .prepare_cached(&sql.replace('$', "?"))
            .map_err(db_error)?;
        let n = stmt.column_count();
        let bound: Vec<rusqlite::types::Value> = params
            .iter()
            .map(|p| match p {
                Value::I(i) => rusqlite::types::Value::Integer(*i),
                Value::T(s) => rusqlite::types::Value::Text(s.clone()),
                Value::B(b) => rusqlite::types::Value::Blob(b.clone()),
                Value::Null => rusqlite::types::Value::Null,
            })
            .collect();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(bound))
            .map_err(db_error)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(db_error)? {
            let mut r = Vec::with_capacity(n);
            for i in 0..n {
                r.push(
                    match row.get::<_, rusqlite::types::Value>(i).map_err(db_error)? {
                        rusqlite::types::Value::Integer(i) => Value::I(i),
                        rusqlite::types::Value::Text(s) => Value::T(s),
                        rusqlite::types::Value::Blob(b) => Value::B(b),
                        rusqlite::types::Value::Null | rusqlite::types::Value::Real(_) => {
                            Value::Null
                        }
                    },
                );
            }
            out.push(r);
        }
        Ok(out)
    }
    fn batch(&mut self, sql: &str) -> Result<(), WebError> {
        self.execute_batch(sql).map_err(db_error)
    }
}

impl Conn for postgres::Client {
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, WebError> {
        use postgres::types::{ToSql, Type};
        let bound: Vec<Box<dyn ToSql + Sync>> = params
            .iter()
            .map(|p| -> Box<dyn ToSql + Sync> {
                match p {
                    Value::I(i) => Box::new(*i),
                    Value::T(s) => Box::new(s.clone()),
                    Value::B(b) => Box::new(b.clone()),
                    Value::Null => Box::new(None::<i64>),
                }
            })
            .collect();
        let refs: Vec<&(dyn ToSql + Sync)> = bound.iter().map(|b| b.as_ref()).collect();
        let rows = postgres::Client::query(self, sql, &refs).map_err(db_error)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut r = Vec::with_capacity(row.len());
            for (i, col) in row.columns().iter().enumerate() {
                let t = col.type_();
                r.push(if *t == Type::INT8 {
                    row.try_get::<_, Option<i64>>(i)
                        .ok()
                        .flatten()
                        .map_or(Value::Null, Value::I)
                } else if *t == Type::INT4 {
                    row.try_get::<_, Option<i32>>(i)
                        .ok()
                        .flatten()
                        .map_or(Value::Null, |v| Value::I(i64::from(v)))
                } else if *t == Type::BYTEA {
                    row.try_get::<_, Option<Vec<u8>>>(i)
                        .ok()
                        .flatten()
                        .map_or(Value::Null, Value::B)
                } else if *t == Type::BOOL {
                    row.try_get::<_, Option<bool>>(i)
                        .ok()
                        .flatten()
                        .map_or(Value::Null, |b| Value::I(i64::from(b)))
                } else {
                    // Text, or a type the schema does not use (void of pg_advisory_xact_lock).
                    row.try_get::<_, Option<String>>(i)
                        .ok()
                        .flatten()
                        .map_or(Value::Null, Value::T)
                });
            }
            out.push(r);
        }
        Ok(out)
    }
    fn batch(&mut self, sql: &str) -> Result<(), WebError> {
        self.batch_execute(sql).map_err(db_error)
    }
}

/// The dialect, for the few type names that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The database: a SQLite file (one connection, writes serialised, WAL journal) or a pool of
/// PostgreSQL connections.
pub enum Db {
    /// Embedded SQLite.
    Sqlite(Mutex<rusqlite::Connection>),
    /// PostgreSQL: the URL and idle connections.
    Postgres {
        /// `postgres://…`
        url: String,
        /// Connections not in use.
        idle: Mutex<Vec<postgres::Client>>,
    },
}

impl Drop for Db {
    fn drop(&mut self) {
        // A PostgreSQL client closes by blocking on its own runtime, which tokio forbids on a
        // thread that drives async tasks: close them on a thread of their own.
        if let Db::Postgres { idle, .. } = self {
            let clients = std::mem::take(idle.get_mut().unwrap_or_else(|p| p.into_inner()));
            let _ = std::thread::spawn(move || drop(clients)).join();
        }
    }
}

/// The migrations, in order: (version, name, SQL for both dialects or per dialect).
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../../../data/migrations/0001_init.sql"),
        include_str!("../../../data/migrations/0001_init.sql"),
    ),
    (
        2,
        "immutable",
        include_str!("../../../data/migrations/0002_immutable.sqlite.sql"),
        include_str!("../../../data/migrations/0002_immutable.postgres.sql"),
    ),
    (
        3,
        "review",
        include_str!("../../../data/migrations/0003_review.sqlite.sql"),
        include_str!("../../../data/migrations/0003_review.postgres.sql"),
    ),
    (
        4,
        "kinds",
        include_str!("../../../data/migrations/0004_kinds.sqlite.sql"),
        include_str!("../../../data/migrations/0004_kinds.postgres.sql"),
    ),
];

impl Db {
    /// Opens (creating when absent) the SQLite database at `path`.
    pub fn open_sqlite(path: &Path) -> Result<Db, WebError> {
        let conn = rusqlite::Connection::open(path).map_err(db_error)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(db_error)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )
        .map_err(db_error)?;
        let db = Db::Sqlite(Mutex::new(conn));
        db.migrate()?;
        Ok(db)
    }

    /// Connects to PostgreSQL at `url` (`postgres://user@host:port/db`).
    pub fn open_postgres(url: &str) -> Result<Db, WebError> {
        let client = postgres::Client::connect(url, postgres::NoTls).map_err(db_error)?;
        let db = Db::Postgres {
            url: url.to_string(),
            idle: Mutex::new(vec![client]),
        };
        db.migrate()?;
        Ok(db)
    }

    /// Opens the database a `--database-url` names: `postgres://…` / `postgresql://…`, or
    /// `sqlite:PATH` / a plain path for SQLite.
    pub fn open(url: &str) -> Result<Db, WebError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Db::open_postgres(url)
        } else {
            Db::open_sqlite(Path::new(url.strip_prefix("sqlite:").unwrap_or(url)))
        }
    }

    /// Which dialect.
    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres { .. } => Dialect::Postgres,
        }
    }

    /// Runs `f` on a connection outside a transaction.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut dyn Conn) -> Result<T, WebError>,
    ) -> Result<T, WebError> {
        match self {
            Db::Sqlite(conn) => {
                let mut c = conn.lock().unwrap_or_else(|p| p.into_inner());
                f(&mut *c)
            }
            Db::Postgres { url, idle } => {
                let taken = idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
                let mut client = match taken {
                    Some(c) if !c.is_closed() => c,
                    _ => postgres::Client::connect(url, postgres::NoTls).map_err(db_error)?,
                };
                let result = f(&mut client);
                if !client.is_closed() {
                    let mut idle = idle.lock().unwrap_or_else(|p| p.into_inner());
                    if idle.len() < 16 {
                        idle.push(client);
                    }
                }
                result
            }
        }
    }

    /// Runs `f` in one transaction: all its writes or none (a crash rolls it back).
    pub fn tx<T>(
        &self,
        f: impl FnOnce(&mut dyn Conn) -> Result<T, WebError>,
    ) -> Result<T, WebError> {
        let begin = match self.dialect() {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        };
        self.with(|c| {
            c.batch(begin)?;
            match f(c) {
                Ok(v) => {
                    c.batch("COMMIT")?;
                    Ok(v)
                }
                Err(e) => {
                    // The error that matters is `e`; a failed rollback leaves the connection
                    // to be discarded.
                    let _ = c.batch("ROLLBACK");
                    Err(e)
                }
            }
        })
    }

    /// Applies the migrations not yet applied, each in its own transaction, recorded in
    /// `schema_migrations`. A database migrated by a newer juesuan is refused (E1213).
    ///
    /// SQLite migrations run with foreign keys off, as SQLite's own procedure for changing a
    /// table's constraints asks (a table is rebuilt under its name, its rows keeping their
    /// ids), and each is refused unless `PRAGMA foreign_key_check` finds every reference whole
    /// before it commits.
    pub fn migrate(&self) -> Result<(), WebError> {
        let dialect = self.dialect();
        self.with(|c| {
            c.batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, \
                 name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            )
        })?;
        if dialect == Dialect::Sqlite {
            // Outside a transaction: SQLite ignores the pragma inside one.
            self.with(|c| c.batch("PRAGMA foreign_keys = OFF"))?;
        }
        let applied = self.apply_migrations(dialect);
        if dialect == Dialect::Sqlite {
            self.with(|c| c.batch("PRAGMA foreign_keys = ON"))?;
        }
        applied?;
        let newest = self.with(|c| c.int("SELECT MAX(version) FROM schema_migrations", &[]))?;
        let known = MIGRATIONS.last().map_or(0, |m| m.0);
        if newest > known {
            return Err(WebError::newer_schema(newest, known));
        }
        Ok(())
    }

    fn apply_migrations(&self, dialect: Dialect) -> Result<(), WebError> {
        for (version, name, sqlite, pg) in MIGRATIONS {
            self.tx(|c| {
                if dialect == Dialect::Postgres {
                    // Two servers starting at once: one migrates, the other waits.
                    c.query("SELECT pg_advisory_xact_lock(8120)", &[])?;
                }
                let applied = c.int(
                    "SELECT COUNT(*) FROM schema_migrations WHERE version = $1",
                    &[Value::I(*version)],
                )?;
                if applied > 0 {
                    return Ok(());
                }
                let sql = match dialect {
                    Dialect::Sqlite => sqlite
                        .replace("{id}", "INTEGER PRIMARY KEY AUTOINCREMENT")
                        .replace("{int}", "INTEGER")
                        .replace("{blob}", "BLOB"),
                    Dialect::Postgres => pg
                        .replace("{id}", "BIGSERIAL PRIMARY KEY")
                        .replace("{int}", "BIGINT")
                        .replace("{blob}", "BYTEA"),
                };
                c.batch(&sql)?;
                if dialect == Dialect::Sqlite {
                    let broken = c.query("PRAGMA foreign_key_check", &[])?;
                    if let Some(r) = broken.first() {
                        return Err(WebError::database(format!(
                            "migration {version} ({name}) leaves {} rows naming rows that do not \
                             exist (first: table {} row {})",
                            broken.len(),
                            r[0].text(),
                            r[1].int()
                        )));
                    }
                }
                c.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    &[
                        Value::I(*version),
                        Value::from(*name),
                        Value::I(crate::now()),
                    ],
                )?;
                Ok(())
            })?;
        }
        Ok(())
    }
}
