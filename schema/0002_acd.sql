-- ACD: the call records (CDR), every state change of a call or agent (like Asterisk's
-- queue_log), incidents. Times are INTEGER Unix milliseconds (UTC).

CREATE TABLE calls (
  id                INTEGER PRIMARY KEY,
  external_id       TEXT,              -- the PBX's own call id (Generic CTI callId)
  caller            TEXT NOT NULL,
  called            TEXT NOT NULL,
  skill             TEXT,
  priority          INTEGER NOT NULL DEFAULT 0,
  ivr_choice        TEXT,
  category          TEXT,
  -- queued | ringing | talking | ended | abandoned | after_hours | overflow | voicemail
  state             TEXT NOT NULL,
  agent_id          INTEGER,
  seat              INTEGER,
  incident_id       INTEGER,
  enqueued_at       INTEGER NOT NULL,
  first_offered_at  INTEGER,
  offered_at        INTEGER,
  answered_at       INTEGER,
  ended_at          INTEGER,
  abandoned_at      INTEGER,
  wrap_up_end       INTEGER,
  predicted_ewt_s   INTEGER,
  offers            INTEGER NOT NULL DEFAULT 0,
  short_abandon     INTEGER NOT NULL DEFAULT 0,
  ended_by          TEXT,
  survey_score      INTEGER CHECK (survey_score BETWEEN 1 AND 5),
  ivr_session       TEXT               -- the voice menu's state between requests (JSON)
);
CREATE INDEX calls_live ON calls(state, enqueued_at) WHERE state IN ('queued', 'ringing');
CREATE INDEX calls_caller ON calls(caller, enqueued_at);
CREATE INDEX calls_enqueued ON calls(enqueued_at);
CREATE INDEX calls_agent ON calls(agent_id, enqueued_at);
CREATE UNIQUE INDEX calls_external ON calls(external_id) WHERE external_id IS NOT NULL;

CREATE TABLE call_events (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  kind      TEXT NOT NULL,             -- call_queued, call_routed, agent_state, …
  call_id   INTEGER,
  agent_id  INTEGER,
  seat      INTEGER,
  state     TEXT,                      -- the call's or the agent's new state
  reason    TEXT,
  data      TEXT                       -- JSON details (position, ewt_s, previous state)
);
CREATE INDEX call_events_call ON call_events(call_id) WHERE call_id IS NOT NULL;
CREATE INDEX call_events_at ON call_events(at);

CREATE TABLE incidents (
  id           INTEGER PRIMARY KEY,
  title        TEXT NOT NULL,
  keywords     TEXT NOT NULL,          -- JSON array
  ivr_message  TEXT NOT NULL,
  opened_by    INTEGER,
  opened_at    INTEGER NOT NULL,
  closed_by    INTEGER,
  closed_at    INTEGER
);
