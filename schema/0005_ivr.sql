-- Voice menu: the message a caller left, and the work order it became (exactly one).
ALTER TABLE calls ADD COLUMN recording_url TEXT;
ALTER TABLE calls ADD COLUMN recording_s INTEGER;
ALTER TABLE calls ADD COLUMN voicemail_ticket_id INTEGER;
