-- The idle sweep reads conversations the AI holds by their last change, across companies;
-- partial, so it holds only the live `ai` rows it is about.
CREATE INDEX conversations_idle ON conversations (updated_at) WHERE status = 'ai';
