-- Uploaded inputs, review records and published versions are never changed or removed.
CREATE TRIGGER uploads_no_update BEFORE UPDATE ON uploads BEGIN SELECT RAISE(ABORT, 'uploads are immutable'); END;
CREATE TRIGGER uploads_no_delete BEFORE DELETE ON uploads BEGIN SELECT RAISE(ABORT, 'uploads are immutable'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
CREATE TRIGGER comments_no_update BEFORE UPDATE ON comments BEGIN SELECT RAISE(ABORT, 'comments are immutable'); END;
CREATE TRIGGER comments_no_delete BEFORE DELETE ON comments BEGIN SELECT RAISE(ABORT, 'comments are immutable'); END;
CREATE TRIGGER publications_no_update BEFORE UPDATE ON publications BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
CREATE TRIGGER publications_no_delete BEFORE DELETE ON publications BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
CREATE TRIGGER publication_files_no_update BEFORE UPDATE ON publication_files BEGIN SELECT RAISE(ABORT, 'published files are immutable'); END;
CREATE TRIGGER publication_files_no_delete BEFORE DELETE ON publication_files BEGIN SELECT RAISE(ABORT, 'published files are immutable'); END;
