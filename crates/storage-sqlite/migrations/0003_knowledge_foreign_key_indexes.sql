-- Indexes for the foreign keys that knowledge deletions cascade along. Without them each
-- deleted row makes the engine scan the whole child table, across all companies, for rows
-- referring to it; replacing a document's chunks (every chunk is a potential parent) would
-- be quadratic in its number of chunks. They lead with the foreign-key column, not
-- company_id, because that is the lookup the cascade makes.
CREATE INDEX knowledge_chunks_parent ON knowledge_chunks (parent_id);
CREATE INDEX knowledge_chunks_document ON knowledge_chunks (document_id);
CREATE INDEX faq_phrasings_faq ON faq_phrasings (faq_id);
