-- Foundation: units, users, login tokens, idempotency records.
-- Times are INTEGER Unix milliseconds (UTC).

CREATE TABLE units (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('hospital','district_bureau','inspection','cdc','other')),
  duty_phone  TEXT,
  created_at  INTEGER NOT NULL
);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE,
  password_hash  TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('admin','supervisor','agent','unit')),
  display_name   TEXT,
  unit_id        INTEGER REFERENCES units(id),
  skills         TEXT,            -- JSON object {"consult": 1, …}; NULL = every skill at level 5
  disabled       INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  CHECK ((role = 'unit') = (unit_id IS NOT NULL))
);

-- Bearer tokens: only a SHA-256 of the token is stored, looked up directly.
CREATE TABLE tokens (
  hash        BLOB PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  revoked_at  INTEGER
) WITHOUT ROWID;
CREATE INDEX tokens_user ON tokens(user_id);

-- Answers to requests that carried an Idempotency-Key, replayed on retry.
CREATE TABLE idempotency (
  scope        TEXT NOT NULL,     -- who sent it (user id or "telephony")
  key          TEXT NOT NULL,
  fingerprint  TEXT NOT NULL,     -- method and path
  status       INTEGER NOT NULL,
  body         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_age ON idempotency(created_at);
