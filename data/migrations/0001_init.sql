-- juesuan web: the schema, for SQLite and PostgreSQL alike ({id}, {int} and {blob} are the
-- dialect's type names). Times are Unix seconds.
--
-- Uploads, their findings, review events, comments and published versions are insert-only
-- (0002 forbids UPDATE and DELETE on them): the state of an upload is its latest event, and a
-- new version of a report is a new row.

CREATE TABLE regions (
  id {id},
  name TEXT NOT NULL UNIQUE,
  created_at {int} NOT NULL
);

CREATE TABLE departments (
  id {id},
  region_id {int} NOT NULL REFERENCES regions (id),
  name TEXT NOT NULL UNIQUE,
  created_at {int} NOT NULL
);

CREATE TABLE users (
  id {id},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('editor', 'reviewer', 'admin')),
  department_id {int} REFERENCES departments (id),
  region_id {int} REFERENCES regions (id),
  created_at {int} NOT NULL
);

-- token: the BLAKE2s-256 digest of the cookie's value (hex), never the value itself.
CREATE TABLE sessions (
  token TEXT PRIMARY KEY,
  user_id {int} NOT NULL REFERENCES users (id),
  created_at {int} NOT NULL,
  expires_at {int} NOT NULL
);

CREATE TABLE login_attempts (
  id {id},
  username TEXT NOT NULL,
  ok {int} NOT NULL,
  at {int} NOT NULL
);
CREATE INDEX login_attempts_by_user ON login_attempts (username, at);

CREATE TABLE uploads (
  id {id},
  department_id {int} NOT NULL REFERENCES departments (id),
  year {int} NOT NULL,
  filename TEXT NOT NULL,
  size {int} NOT NULL,
  content {blob} NOT NULL,
  uploaded_by {int} NOT NULL REFERENCES users (id),
  uploaded_at {int} NOT NULL,
  valid {int} NOT NULL,
  errors {int} NOT NULL,
  warnings {int} NOT NULL,
  findings_json TEXT NOT NULL
);
CREATE INDEX uploads_by_department ON uploads (department_id, year);

CREATE TABLE events (
  id {id},
  upload_id {int} NOT NULL REFERENCES uploads (id),
  kind TEXT NOT NULL CHECK (kind IN ('submitted', 'returned', 'approved')),
  user_id {int} NOT NULL REFERENCES users (id),
  comment TEXT NOT NULL,
  at {int} NOT NULL
);
CREATE INDEX events_by_upload ON events (upload_id, id);

CREATE TABLE comments (
  id {id},
  upload_id {int} NOT NULL REFERENCES uploads (id),
  finding {int},
  text TEXT NOT NULL,
  user_id {int} NOT NULL REFERENCES users (id),
  at {int} NOT NULL
);
CREATE INDEX comments_by_upload ON comments (upload_id, id);

CREATE TABLE publications (
  id {id},
  upload_id {int} NOT NULL UNIQUE REFERENCES uploads (id),
  department_id {int} NOT NULL REFERENCES departments (id),
  year {int} NOT NULL,
  version {int} NOT NULL,
  approved_by {int} NOT NULL REFERENCES users (id),
  published_at {int} NOT NULL,
  UNIQUE (department_id, year, version)
);

CREATE TABLE publication_files (
  publication_id {int} NOT NULL REFERENCES publications (id),
  name TEXT NOT NULL,
  content {blob} NOT NULL,
  PRIMARY KEY (publication_id, name)
);
