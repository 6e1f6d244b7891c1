-- Uploaded inputs, review records and published versions are never changed or removed.
CREATE FUNCTION juesuan_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is immutable', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER uploads_immutable BEFORE UPDATE OR DELETE ON uploads FOR EACH ROW EXECUTE FUNCTION juesuan_immutable();
CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION juesuan_immutable();
CREATE TRIGGER comments_immutable BEFORE UPDATE OR DELETE ON comments FOR EACH ROW EXECUTE FUNCTION juesuan_immutable();
CREATE TRIGGER publications_immutable BEFORE UPDATE OR DELETE ON publications FOR EACH ROW EXECUTE FUNCTION juesuan_immutable();
CREATE TRIGGER publication_files_immutable BEFORE UPDATE OR DELETE ON publication_files FOR EACH ROW EXECUTE FUNCTION juesuan_immutable();
