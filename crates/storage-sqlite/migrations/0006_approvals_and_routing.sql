-- Approval requests and least-queue routing: agent capacity, the approval columns routing
-- and deciding need, and one persistent queue of work for conversations and approvals.

-- How many open items routing may give an agent at once. It supersedes 0001's
-- max_open_items, which nothing ever read or wrote; dropping that is left to a later,
-- contracting migration.
ALTER TABLE users ADD COLUMN capacity INTEGER NOT NULL DEFAULT 5
    CONSTRAINT users_capacity CHECK (capacity BETWEEN 1 AND 100);

-- When routing last gave the agent an item: among equally loaded agents the one idle longest
-- (oldest, or never) goes first.
ALTER TABLE agent_status ADD COLUMN last_assigned_at TEXT;

-- reasons: the classification's, shown to whoever decides; assignment_reasons: why its agent
-- was chosen. proposed_action (0001) holds the tool, its arguments and the workflow step.
ALTER TABLE approval_requests ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
ALTER TABLE approval_requests ADD COLUMN assignment_reasons TEXT NOT NULL DEFAULT '{}';
ALTER TABLE approval_requests ADD COLUMN escalation_note TEXT;

-- The routing queue. An item is open until closed_at; an open item either waits
-- (assigned_agent_id NULL) or counts against its agent's capacity. Priority and urgency are
-- ranks (0 low .. 3 critical/urgent) so the waiting index serves the queue order directly.
-- subject_id names an approval request or a conversation, per kind.
CREATE TABLE work_items (
    id                TEXT PRIMARY KEY,
    company_id        TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('approval', 'conversation')),
    subject_id        TEXT NOT NULL,
    priority          INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),
    urgency           INTEGER NOT NULL CHECK (urgency BETWEEN 0 AND 3),
    skill             TEXT,
    assigned_agent_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    assigned_at       TEXT,
    reasons           TEXT NOT NULL DEFAULT '{}',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    closed_at         TEXT
);
-- One open item per subject: a second handoff of a waiting conversation is a conflict.
CREATE UNIQUE INDEX work_items_open_subject ON work_items (company_id, kind, subject_id)
    WHERE closed_at IS NULL;
CREATE INDEX work_items_waiting ON work_items (company_id, priority DESC, urgency DESC, created_at, id)
    WHERE closed_at IS NULL AND assigned_agent_id IS NULL;
CREATE INDEX work_items_agent ON work_items (company_id, assigned_agent_id)
    WHERE closed_at IS NULL;
