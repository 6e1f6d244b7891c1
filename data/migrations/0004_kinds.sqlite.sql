-- Two kinds of document per department and year: the 部门决算 (final-accounts) and the 部门预算
-- (budget), each with versions of its own. An upload records the kind its layout prints (the
-- kind's id, data/kinds/<id>/kind.toml); a publication the kind it publishes. Rows published
-- before are final accounts.
--
-- SQLite cannot change a table's UNIQUE constraint in place: `publications` is rebuilt (its
-- rows copied with their ids, so the files and withdrawals that name them still do), and its
-- triggers made again. The migration runs with foreign keys off and is checked by
-- `PRAGMA foreign_key_check` before it commits (db.rs).
ALTER TABLE uploads ADD COLUMN kind TEXT NOT NULL DEFAULT 'final-accounts';

CREATE TABLE publications_by_kind (
  id {id},
  upload_id {int} NOT NULL UNIQUE REFERENCES uploads (id),
  department_id {int} NOT NULL REFERENCES departments (id),
  year {int} NOT NULL,
  version {int} NOT NULL,
  approved_by {int} NOT NULL REFERENCES users (id),
  published_at {int} NOT NULL,
  kind TEXT NOT NULL DEFAULT 'final-accounts',
  UNIQUE (department_id, year, kind, version)
);
INSERT INTO publications_by_kind (id, upload_id, department_id, year, version, approved_by, published_at, kind)
  SELECT id, upload_id, department_id, year, version, approved_by, published_at, 'final-accounts' FROM publications;
DROP TABLE publications;
ALTER TABLE publications_by_kind RENAME TO publications;
CREATE TRIGGER publications_no_update BEFORE UPDATE ON publications BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
CREATE TRIGGER publications_no_delete BEFORE DELETE ON publications BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
