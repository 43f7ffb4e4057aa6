-- Where a conversation is in the workflow it runs (which workflow, the next step, the
-- fields collected, what it waits for), kept with the conversation so that a restart in the
-- middle of a workflow resumes it where it was. JSON null: no workflow is running.
ALTER TABLE conversations ADD COLUMN workflow_state JSONB NOT NULL DEFAULT 'null'::jsonb;
