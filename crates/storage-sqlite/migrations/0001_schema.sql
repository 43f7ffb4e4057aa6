-- Switchboard schema for SQLite. Ids are UUIDv7 text, timestamps are fixed-width RFC 3339
-- UTC text (so they compare correctly as strings), JSON is text. Every tenant table carries
-- company_id and every index on it starts with company_id.

CREATE TABLE companies (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    email             TEXT NOT NULL UNIQUE,
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    subscription_tier TEXT NOT NULL DEFAULT 'basic',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

-- Staff: company admins and agents.
CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    company_id           TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    email                TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('company_admin', 'company_agent')),
    name                 TEXT NOT NULL,
    status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
    must_change_password INTEGER NOT NULL DEFAULT 0,
    max_open_items       INTEGER NOT NULL DEFAULT 5,
    last_login_at        TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE UNIQUE INDEX users_company_email ON users (company_id, email);
CREATE INDEX users_company_role ON users (company_id, role, id);

-- End customers: anonymous, registered (email + password) or identified by the company's site.
CREATE TABLE customers (
    id            TEXT PRIMARY KEY,
    company_id    TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    email         TEXT,
    password_hash TEXT,
    name          TEXT,
    external_id   TEXT,
    anonymous     INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX customers_company_email ON customers (company_id, email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX customers_company_external ON customers (company_id, external_id) WHERE external_id IS NOT NULL;

-- A token names one row here; a request is allowed only while it is neither revoked nor expired.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    company_id   TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('user', 'customer')),
    subject_id   TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('company_admin', 'company_agent', 'customer')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    revoked_at   TEXT,
    client_addr  TEXT,
    user_agent   TEXT
);
CREATE INDEX sessions_company_subject ON sessions (company_id, subject_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE agent_configurations (
    company_id             TEXT PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    agent_name             TEXT NOT NULL,
    agent_persona          TEXT NOT NULL DEFAULT '',
    branding_name          TEXT NOT NULL DEFAULT '',
    branding_logo          TEXT,
    branding_primary_color TEXT NOT NULL DEFAULT '#2563eb',
    greeting_message       TEXT NOT NULL DEFAULT '',
    allowed_origins        TEXT NOT NULL DEFAULT '[]',
    identity_secret        TEXT,
    identity_required      INTEGER NOT NULL DEFAULT 0,
    ai_settings            TEXT NOT NULL DEFAULT '{}',
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
);

CREATE TABLE knowledge_documents (
    id          TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('text', 'markdown', 'html', 'pdf')),
    content     TEXT NOT NULL,
    source_name TEXT,
    status      TEXT NOT NULL DEFAULT 'processing' CHECK (status IN ('processing', 'ready', 'failed')),
    error       TEXT,
    chunk_count INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX knowledge_documents_company ON knowledge_documents (company_id, id);

-- Parent passages (what the responder cites) and child chunks (what search matches).
CREATE TABLE knowledge_chunks (
    id              TEXT PRIMARY KEY,
    company_id      TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    document_id     TEXT NOT NULL REFERENCES knowledge_documents(id) ON DELETE CASCADE,
    parent_id       TEXT REFERENCES knowledge_chunks(id) ON DELETE CASCADE,
    ordinal         INTEGER NOT NULL,
    text            TEXT NOT NULL,
    embedding       BLOB,
    embedding_model TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX knowledge_chunks_company_document ON knowledge_chunks (company_id, document_id, ordinal);

CREATE TABLE faqs (
    id         TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    variants   TEXT NOT NULL DEFAULT '[]',
    category   TEXT,
    tags       TEXT NOT NULL DEFAULT '[]',
    enabled    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX faqs_company ON faqs (company_id, id);

-- One row per phrasing of an FAQ (the question and each variant), embedded on write.
CREATE TABLE faq_phrasings (
    id              TEXT PRIMARY KEY,
    company_id      TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    faq_id          TEXT NOT NULL REFERENCES faqs(id) ON DELETE CASCADE,
    text            TEXT NOT NULL,
    embedding       BLOB,
    embedding_model TEXT
);
CREATE INDEX faq_phrasings_company_faq ON faq_phrasings (company_id, faq_id);

CREATE TABLE classification_examples (
    id              TEXT PRIMARY KEY,
    company_id      TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    text            TEXT NOT NULL,
    label           TEXT NOT NULL,
    embedding       BLOB,
    embedding_model TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX classification_examples_company ON classification_examples (company_id, label);

CREATE TABLE custom_tools (
    id                TEXT PRIMARY KEY,
    company_id        TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    tool_type         TEXT NOT NULL CHECK (tool_type IN ('webhook', 'function')),
    parameters        TEXT NOT NULL DEFAULT '{}',
    config            TEXT NOT NULL DEFAULT '{}',
    secrets           TEXT,
    requires_approval INTEGER NOT NULL DEFAULT 0,
    enabled           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX custom_tools_company_name ON custom_tools (company_id, name);

CREATE TABLE workflows (
    id          TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    trigger_spec TEXT NOT NULL,
    steps       TEXT NOT NULL DEFAULT '[]',
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX workflows_company ON workflows (company_id, id);

CREATE TABLE agent_status (
    company_id   TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status       TEXT NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'offline', 'busy', 'away')),
    last_seen_at TEXT,
    idle_since   TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (company_id, user_id)
);

CREATE TABLE agent_skills (
    company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    skill      TEXT NOT NULL,
    PRIMARY KEY (company_id, user_id, skill)
);
CREATE INDEX agent_skills_company_skill ON agent_skills (company_id, skill);

CREATE TABLE conversations (
    id                TEXT PRIMARY KEY,
    company_id        TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    customer_id       TEXT REFERENCES customers(id) ON DELETE SET NULL,
    session_hash      TEXT NOT NULL UNIQUE,
    status            TEXT NOT NULL DEFAULT 'ai' CHECK (status IN ('ai', 'awaiting_approval', 'human', 'closed')),
    assigned_agent_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    needed_skill      TEXT,
    category          TEXT,
    priority          TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    urgency           TEXT NOT NULL DEFAULT 'medium' CHECK (urgency IN ('low', 'medium', 'high', 'urgent')),
    sentiment         TEXT,
    classification    TEXT NOT NULL DEFAULT '{}',
    resolution        TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    handed_off_at     TEXT,
    closed_at         TEXT
);
CREATE INDEX conversations_company_status ON conversations (company_id, status, id);
CREATE INDEX conversations_company_agent ON conversations (company_id, assigned_agent_id, status);

CREATE TABLE messages (
    id              TEXT PRIMARY KEY,
    company_id      TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    sender          TEXT NOT NULL CHECK (sender IN ('customer', 'ai', 'agent', 'system')),
    sender_id       TEXT,
    content         TEXT NOT NULL,
    citations       TEXT NOT NULL DEFAULT '[]',
    created_at      TEXT NOT NULL
);
CREATE INDEX messages_company_conversation ON messages (company_id, conversation_id, id);

CREATE TABLE approval_requests (
    id              TEXT PRIMARY KEY,
    company_id      TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    agent_id        TEXT REFERENCES users(id) ON DELETE SET NULL,
    summary         TEXT NOT NULL,
    proposed_action TEXT NOT NULL,
    priority        TEXT NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    urgency         TEXT NOT NULL CHECK (urgency IN ('low', 'medium', 'high', 'urgent')),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'escalated')),
    escalated       INTEGER NOT NULL DEFAULT 0,
    decision_note   TEXT,
    decided_by      TEXT,
    decided_at      TEXT,
    outcome         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX approval_requests_company_status ON approval_requests (company_id, status, id);
CREATE INDEX approval_requests_company_agent ON approval_requests (company_id, agent_id, status);

-- A workflow in progress on one conversation; its state survives restarts.
CREATE TABLE workflow_runs (
    id              TEXT PRIMARY KEY,
    company_id      TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    workflow_id     TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    step_index      INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'waiting', 'done', 'failed')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX workflow_runs_company_conversation ON workflow_runs (company_id, conversation_id, status);

-- Durable background work (document indexing, routing drains); claimed by one worker at a time.
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    company_id   TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    run_after    TEXT NOT NULL,
    locked_until TEXT,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX jobs_ready ON jobs (status, run_after);
CREATE INDEX jobs_company ON jobs (company_id, kind, status);

-- Append-only analytics log: the single source every metric is computed from.
CREATE TABLE events (
    id              TEXT PRIMARY KEY,
    company_id      TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    conversation_id TEXT,
    agent_id        TEXT,
    data            TEXT NOT NULL DEFAULT '{}',
    occurred_at     TEXT NOT NULL
);
CREATE INDEX events_company_time ON events (company_id, occurred_at);
CREATE INDEX events_company_conversation ON events (company_id, conversation_id);

-- Daily rollups derived from events; rebuildable, never the only copy.
CREATE TABLE analytics_daily (
    company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    agent_id   TEXT NOT NULL DEFAULT '',
    metrics    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, day, agent_id)
);

CREATE TABLE feedback (
    id              TEXT PRIMARY KEY,
    company_id      TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL UNIQUE REFERENCES conversations(id) ON DELETE CASCADE,
    customer_id     TEXT,
    rating          INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment         TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX feedback_company_time ON feedback (company_id, created_at);

-- Security events, readable by the company's admins.
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    actor_id    TEXT,
    action      TEXT NOT NULL,
    target_id   TEXT,
    client_addr TEXT,
    details     TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL
);
CREATE INDEX audit_log_company ON audit_log (company_id, id);
