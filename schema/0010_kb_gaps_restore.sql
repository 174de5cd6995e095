-- Knowledge base: restoring a soft-deleted entry is a version of its own ('restore'), the
-- queries that found nothing are grouped by normalised topic (docs/kb.md, "Gaps and usage"),
-- and titles and keywords get an index of their own (kb_head).

-- kb_versions again, with 'restore' among the actions (SQLite cannot alter a CHECK).
CREATE TABLE kb_versions_new (
  id          INTEGER PRIMARY KEY,
  entry_id    INTEGER NOT NULL REFERENCES kb_entries(id),
  version     INTEGER NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore')),
  source      TEXT NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'import')),
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  keywords    TEXT NOT NULL,
  category    TEXT NOT NULL,
  voice       INTEGER NOT NULL,
  actor       INTEGER NOT NULL,
  actor_name  TEXT NOT NULL,
  at          INTEGER NOT NULL,
  UNIQUE (entry_id, version)
);
INSERT INTO kb_versions_new(id, entry_id, version, action, source, title, body, keywords,
                            category, voice, actor, actor_name, at)
  SELECT id, entry_id, version, action, source, title, body, keywords, category, voice, actor,
         actor_name, at FROM kb_versions;
DROP TABLE kb_versions;
ALTER TABLE kb_versions_new RENAME TO kb_versions;

-- kb_gaps.query now holds the normalised topic (folded, without punctuation and question
-- words; 狂犬病？ and 狂犬 group under 狂犬); last_query is the latest text as typed (folded).
ALTER TABLE kb_gaps ADD COLUMN last_query TEXT NOT NULL DEFAULT '';
UPDATE kb_gaps SET last_query = query;

-- Usage by time, for GET /api/v1/kb/usage.
CREATE INDEX kb_usage_at ON kb_usage(at);

-- A second, small full-text index over the titles and keywords of live entries only. When a
-- ranking pass stops at its scan cap (more body mentions than it scores), the entries whose
-- title or keywords hold a word are found here: their doclists are short, where finding them
-- in kb_fts would mean reading every body mention (docs/kb.md, "Ranking with bounded work").
CREATE VIEW kb_live_head AS
  SELECT id, title, keywords FROM kb_entries WHERE deleted_at IS NULL;

CREATE VIRTUAL TABLE kb_head USING fts5(
  title, keywords,
  content = 'kb_live_head', content_rowid = 'id',
  tokenize = 'hotline_cjk'
);
INSERT INTO kb_head(kb_head) VALUES ('rebuild');

CREATE TRIGGER kb_entries_head_insert AFTER INSERT ON kb_entries WHEN new.deleted_at IS NULL
BEGIN
  INSERT INTO kb_head(rowid, title, keywords) VALUES (new.id, new.title, new.keywords);
END;

CREATE TRIGGER kb_entries_head_update AFTER UPDATE OF title, keywords, deleted_at ON kb_entries
BEGIN
  INSERT INTO kb_head(kb_head, rowid, title, keywords)
    SELECT 'delete', old.id, old.title, old.keywords WHERE old.deleted_at IS NULL;
  INSERT INTO kb_head(rowid, title, keywords)
    SELECT new.id, new.title, new.keywords WHERE new.deleted_at IS NULL;
END;

CREATE TRIGGER kb_entries_head_delete AFTER DELETE ON kb_entries WHEN old.deleted_at IS NULL
BEGIN
  INSERT INTO kb_head(kb_head, rowid, title, keywords)
    VALUES ('delete', old.id, old.title, old.keywords);
END;
