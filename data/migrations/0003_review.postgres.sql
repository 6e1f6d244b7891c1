-- The review workflow a bureau can trust, still insert-only:
--  * a resubmitted upload names the returned one it replaces (a column added to new rows; no row
--    is updated), at most one successor each, so the versions form a chain;
--  * a withdrawn publication stays as it was, marked by a row of `withdrawals` with the reason,
--    who and when;
--  * a draft the editor no longer wants is discarded by a row of `discards`, not deleted;
--  * login attempts record the address they came from: a lock is per user name and address.
ALTER TABLE uploads ADD COLUMN previous_id {int} REFERENCES uploads (id);
CREATE UNIQUE INDEX uploads_one_successor ON uploads (previous_id);

CREATE TABLE withdrawals (
  id {id},
  publication_id {int} NOT NULL UNIQUE REFERENCES publications (id),
  reason TEXT NOT NULL,
  user_id {int} NOT NULL REFERENCES users (id),
  at {int} NOT NULL
);
CREATE TRIGGER withdrawals_immutable BEFORE UPDATE OR DELETE ON withdrawals FOR EACH ROW EXECUTE FUNCTION juesuan_immutable();

CREATE TABLE discards (
  id {id},
  upload_id {int} NOT NULL UNIQUE REFERENCES uploads (id),
  user_id {int} NOT NULL REFERENCES users (id),
  at {int} NOT NULL
);
CREATE TRIGGER discards_immutable BEFORE UPDATE OR DELETE ON discards FOR EACH ROW EXECUTE FUNCTION juesuan_immutable();

ALTER TABLE login_attempts ADD COLUMN address TEXT NOT NULL DEFAULT '';
CREATE INDEX login_attempts_by_user_address ON login_attempts (username, address, at);
