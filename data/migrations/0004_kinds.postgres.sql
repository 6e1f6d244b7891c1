-- Two kinds of document per department and year: the 部门决算 (final-accounts) and the 部门预算
-- (budget), each with versions of its own. An upload records the kind its layout prints (the
-- kind's id, data/kinds/<id>/kind.toml); a publication the kind it publishes. Rows published
-- before are final accounts.
ALTER TABLE uploads ADD COLUMN kind TEXT NOT NULL DEFAULT 'final-accounts';
ALTER TABLE publications ADD COLUMN kind TEXT NOT NULL DEFAULT 'final-accounts';
ALTER TABLE publications DROP CONSTRAINT publications_department_id_year_version_key;
ALTER TABLE publications ADD CONSTRAINT publications_version_per_kind UNIQUE (department_id, year, kind, version);
