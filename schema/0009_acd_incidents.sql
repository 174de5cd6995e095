-- Incidents match calls by skill and by voice-menu choice as well as by keyword, and the
-- calls each incident tagged are counted from calls.incident_id.
ALTER TABLE incidents ADD COLUMN skills TEXT;       -- JSON array of skill names, NULL = none
ALTER TABLE incidents ADD COLUMN ivr_choices TEXT;  -- JSON array of voice-menu choices, NULL = none
CREATE INDEX calls_incident ON calls(incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX incidents_open ON incidents(id) WHERE closed_at IS NULL;
