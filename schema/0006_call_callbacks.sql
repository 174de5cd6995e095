-- Virtual hold: a waiting caller may ask to be called back instead of holding on. The call
-- keeps its place in the queue (and is restored there after a restart) until an agent takes it.
ALTER TABLE calls ADD COLUMN callback INTEGER NOT NULL DEFAULT 0;
