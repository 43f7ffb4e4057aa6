-- Tools and workflows live in `custom_tools` and `workflows` (0001). A tool's name was
-- already unique per company (an LLM calls it by name); a workflow's becomes so too, so that
-- an admin can tell workflows apart and a seeding command can find its own by name.
CREATE UNIQUE INDEX workflows_company_name ON workflows (company_id, name);
