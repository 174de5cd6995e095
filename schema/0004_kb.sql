-- Knowledge base: entries with their full edit history, the full-text index, synonyms,
-- queries that found nothing (gaps) and the entries opened from a search.
-- Times are INTEGER Unix milliseconds (UTC); user ids are 0 for the system.

CREATE TABLE kb_entries (
  id           INTEGER PRIMARY KEY,
  title        TEXT NOT NULL,
  body         TEXT NOT NULL,
  keywords     TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  category     TEXT NOT NULL DEFAULT '',
  voice        INTEGER NOT NULL DEFAULT 0 CHECK (voice IN (0, 1)),
  version      INTEGER NOT NULL DEFAULT 1,
  usage_count  INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  created_by   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  updated_by   INTEGER NOT NULL,
  deleted_at   INTEGER,                      -- soft delete: kept with its history
  deleted_by   INTEGER
);
CREATE INDEX kb_entries_title ON kb_entries(title) WHERE deleted_at IS NULL;
CREATE INDEX kb_entries_voice ON kb_entries(category, id) WHERE voice = 1 AND deleted_at IS NULL;

-- Every state an entry has been in, the first one included: who, when, what.
CREATE TABLE kb_versions (
  id          INTEGER PRIMARY KEY,
  entry_id    INTEGER NOT NULL REFERENCES kb_entries(id),
  version     INTEGER NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
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

-- The index reads live entries only, so that a 'rebuild' never brings back deleted ones.
CREATE VIEW kb_live AS
  SELECT id, title, keywords, body, category FROM kb_entries WHERE deleted_at IS NULL;

-- hotline_cjk is registered on every connection before migrations run (kb::RegisterTokenizer).
CREATE VIRTUAL TABLE kb_fts USING fts5(
  title, keywords, body, category,
  content = 'kb_live', content_rowid = 'id',
  tokenize = 'hotline_cjk'
);

CREATE TRIGGER kb_entries_fts_insert AFTER INSERT ON kb_entries WHEN new.deleted_at IS NULL
BEGIN
  INSERT INTO kb_fts(rowid, title, keywords, body, category)
    VALUES (new.id, new.title, new.keywords, new.body, new.category);
END;

CREATE TRIGGER kb_entries_fts_update
AFTER UPDATE OF title, keywords, body, category, deleted_at ON kb_entries
BEGIN
  INSERT INTO kb_fts(kb_fts, rowid, title, keywords, body, category)
    SELECT 'delete', old.id, old.title, old.keywords, old.body, old.category
    WHERE old.deleted_at IS NULL;
  INSERT INTO kb_fts(rowid, title, keywords, body, category)
    SELECT new.id, new.title, new.keywords, new.body, new.category
    WHERE new.deleted_at IS NULL;
END;

CREATE TRIGGER kb_entries_fts_delete AFTER DELETE ON kb_entries WHEN old.deleted_at IS NULL
BEGIN
  INSERT INTO kb_fts(kb_fts, rowid, title, keywords, body, category)
    VALUES ('delete', old.id, old.title, old.keywords, old.body, old.category);
END;

-- Query-time synonyms the team maintains: a term typed (狗咬) also searches its expansions.
CREATE TABLE kb_synonyms (
  term        TEXT PRIMARY KEY,
  expansions  TEXT NOT NULL,                 -- JSON array of strings
  updated_at  INTEGER NOT NULL,
  updated_by  INTEGER NOT NULL
);

-- Searches that found nothing, by folded query text, so that the team writes those entries.
CREATE TABLE kb_gaps (
  query     TEXT PRIMARY KEY,
  count     INTEGER NOT NULL,
  first_at  INTEGER NOT NULL,
  last_at   INTEGER NOT NULL
);
CREATE INDEX kb_gaps_count ON kb_gaps(count DESC, query);

-- Entries opened from a search (during a call when call_id is set).
CREATE TABLE kb_usage (
  id        INTEGER PRIMARY KEY,
  entry_id  INTEGER NOT NULL REFERENCES kb_entries(id),
  user_id   INTEGER NOT NULL,
  call_id   INTEGER,
  at        INTEGER NOT NULL
);
CREATE INDEX kb_usage_entry ON kb_usage(entry_id, at);
