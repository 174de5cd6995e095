-- Work orders (SPEC §3): tickets, their history, linked calls, reminder bookkeeping,
-- per-day ticket numbers, redo counts and the notification outbox.
-- Times are INTEGER Unix milliseconds (UTC). Call and incident ids are plain integers:
-- those tables belong to other modules.

CREATE TABLE tickets (
  id                INTEGER PRIMARY KEY,
  ticket_no         TEXT NOT NULL UNIQUE,
  -- CHECKs as OR chains: SQLite evaluates a longer IN list through a temporary b-tree on
  -- every insert and update.
  status            TEXT NOT NULL CHECK (status = 'open' OR status = 'pending_answer' OR
                      status = 'transferred' OR status = 'acknowledged' OR status = 'replied' OR
                      status = 'callback_due' OR status = 'closed'),
  type              TEXT NOT NULL CHECK (type = 'consult' OR type = 'complaint' OR
                      type = 'report' OR type = 'suggestion' OR type = 'praise'),
  category          TEXT,
  channel           TEXT NOT NULL CHECK (channel = 'phone' OR channel = 'voicemail' OR
                      channel = 'web' OR channel = 'email' OR channel = 'sms'),
  caller_phone      TEXT NOT NULL,
  caller_name       TEXT,
  subject           TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  owner             INTEGER REFERENCES users(id),
  unit_id           INTEGER REFERENCES units(id),
  parent_id         INTEGER REFERENCES tickets(id),
  merged_into       INTEGER REFERENCES tickets(id),
  incident_id       INTEGER,
  accepted_at       INTEGER NOT NULL,
  due_at            INTEGER NOT NULL,
  reply_due_at      INTEGER,
  transferred_at    INTEGER,
  ack_due_at        INTEGER,
  acknowledged_at   INTEGER,
  completed_at      INTEGER,
  closed_at         INTEGER,
  close_reason      TEXT,
  resolution        TEXT,
  satisfaction      INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
  extended          INTEGER NOT NULL DEFAULT 0,
  deferred          INTEGER NOT NULL DEFAULT 0,
  redo_count        INTEGER NOT NULL DEFAULT 0,
  callback_attempts INTEGER NOT NULL DEFAULT 0,
  returned_count    INTEGER NOT NULL DEFAULT 0,
  updated_at        INTEGER NOT NULL
);
-- Lists are newest first by (accepted_at, id); each filter has an index in that order
-- (the rowid is the index's last column), so a page is an index range scan.
CREATE INDEX tickets_accepted ON tickets(accepted_at);
CREATE INDEX tickets_status ON tickets(status, accepted_at);
CREATE INDEX tickets_type ON tickets(type, accepted_at);
CREATE INDEX tickets_unit ON tickets(unit_id, accepted_at);
CREATE INDEX tickets_phone ON tickets(caller_phone, accepted_at);
CREATE INDEX tickets_incident ON tickets(incident_id, accepted_at) WHERE incident_id IS NOT NULL;
CREATE INDEX tickets_parent ON tickets(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX tickets_merged ON tickets(merged_into) WHERE merged_into IS NOT NULL;
-- The reminder scheduler looks only at work orders waiting on a unit.
CREATE INDEX tickets_waiting ON tickets(due_at)
  WHERE status IN ('transferred','acknowledged');

-- Subject and description as overlapping character bigrams (written by the service), so
-- that two-character Chinese words and any longer substring are found through an index.
CREATE VIRTUAL TABLE ticket_text USING fts5(grams, content='', columnsize=0,
  tokenize='unicode61 remove_diacritics 0');

CREATE TABLE ticket_history (
  id           INTEGER PRIMARY KEY,
  ticket_id    INTEGER NOT NULL REFERENCES tickets(id),
  at           INTEGER NOT NULL,
  actor        INTEGER,          -- user id; NULL for the system and the gateway
  actor_role   TEXT NOT NULL,
  action       TEXT NOT NULL,
  from_status  TEXT,             -- NULL on creation
  to_status    TEXT NOT NULL,
  fields       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_history_ticket ON ticket_history(ticket_id, id);
CREATE INDEX ticket_history_action ON ticket_history(action, at);

CREATE TABLE ticket_calls (
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
  call_id    INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, call_id)
) WITHOUT ROWID;
CREATE INDEX ticket_calls_call ON ticket_calls(call_id);

-- One row per reminder point fired: the key makes each point fire once, also across restarts.
CREATE TABLE ticket_reminders (
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
  kind       TEXT NOT NULL,      -- before_due, overdue, ack_missed
  point_at   INTEGER NOT NULL,   -- the instant the point fell due
  fired_at   INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, kind, point_at)
) WITHOUT ROWID;

-- Last ticket_no sequence per local date "YYYYMMDD".
CREATE TABLE ticket_counters (
  day   TEXT PRIMARY KEY,
  last  INTEGER NOT NULL
) WITHOUT ROWID;

-- 重办: unsatisfied callbacks that reopened a work order, counted against its unit.
CREATE TABLE ticket_redos (
  id         INTEGER PRIMARY KEY,
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
  unit_id    INTEGER REFERENCES units(id),
  at         INTEGER NOT NULL
);
CREATE INDEX ticket_redos_unit ON ticket_redos(unit_id, at);

-- Notifications to deliver to notify.webhook_url, at least once.
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL,  -- receipt, reminder, …
  payload          TEXT NOT NULL,  -- JSON
  created_at       INTEGER NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  delivered_at     INTEGER
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE delivered_at IS NULL;
