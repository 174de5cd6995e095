-- Knowledge base: restoring a soft-deleted entry is a version of its own ('restore'), and the
-- queries that found nothing are grouped by normalised topic (docs/kb.md, "Gaps and usage").

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
