-- One-character text queries through the index (docs/workorders.md, "Text search"): the
-- index also holds the last character of every run, so every occurrence of a character
-- begins some token, and a prefix index of first characters (prefix='1', counted in
-- characters) answers "X" * from one term's postings instead of merging every bigram that
-- begins with X. The options of an FTS5 table are fixed at creation: drop, create, refill.
-- hotline_ticket_grams() is workorder::TicketGrams, registered on every connection
-- (workorder::RegisterSqlFunctions), so the rebuilt index is exactly what writes produce.
DROP TABLE ticket_text;
CREATE VIRTUAL TABLE ticket_text USING fts5(grams, content='', columnsize=0, prefix='1',
  tokenize='unicode61 remove_diacritics 0');
INSERT INTO ticket_text(rowid, grams)
  SELECT id, hotline_ticket_grams(subject, description) FROM tickets;
