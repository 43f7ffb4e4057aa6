-- Row-level security as defence in depth: a query that forgot its `company_id` filter still
-- cannot read or write another tenant's rows.
--
-- The backend runs every tenant-scoped method in a transaction that first sets, locally,
-- `app.company_id` to the caller's company and the role to `switchboard_tenant`. That role
-- is subject to the policies below; the connecting (owner) role is not (no FORCE), so
-- cross-tenant system work such as purging sessions keeps working as the owner.
--
-- Any later migration that adds a table with a `company_id` column must enable RLS on it,
-- add the same `tenant_isolation` policy and grant it to `switchboard_tenant`; the
-- PostgreSQL tests check the catalog for exactly that.

-- Roles are cluster-wide: the role may already exist (another database on this server, or a
-- DBA who created it for an owner without CREATEROLE), and several databases may run this
-- migration at the same moment, in which case the loser of the race sees duplicate_object
-- or unique_violation.
DO $$
DECLARE
    can_switch boolean;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'switchboard_tenant') THEN
        BEGIN
            CREATE ROLE switchboard_tenant NOLOGIN NOSUPERUSER NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;

    -- A pre-existing role with these attributes would silently switch isolation off.
    IF EXISTS (
        SELECT 1 FROM pg_roles
        WHERE rolname = 'switchboard_tenant' AND (rolsuper OR rolbypassrls OR rolcanlogin)
    ) THEN
        RAISE EXCEPTION 'role switchboard_tenant must be NOLOGIN, NOSUPERUSER and NOBYPASSRLS';
    END IF;

    -- The owner must be able to switch to the role. Superusers always can, but a direct grant
    -- keeps that working should the owner ever be an ordinary role. From PostgreSQL 16 on,
    -- membership alone is not enough: a CREATEROLE owner is implicitly made a member of the
    -- roles it creates with ADMIN but, by default, without SET, so that is checked as well.
    IF current_setting('server_version_num')::int >= 160000 THEN
        can_switch := pg_has_role(current_user, 'switchboard_tenant', 'SET');
    ELSE
        can_switch := pg_has_role(current_user, 'switchboard_tenant', 'MEMBER');
    END IF;
    IF NOT can_switch OR NOT EXISTS (
        SELECT 1 FROM pg_auth_members m
        JOIN pg_roles r ON r.oid = m.roleid
        JOIN pg_roles u ON u.oid = m.member
        WHERE r.rolname = 'switchboard_tenant' AND u.rolname = current_user
    ) THEN
        BEGIN
            GRANT switchboard_tenant TO CURRENT_USER;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN
                NULL;
            WHEN insufficient_privilege THEN
                -- Fine if the owner can already switch (e.g. through another role's
                -- membership); fatal otherwise, since every tenant transaction would fail.
                IF NOT can_switch THEN
                    RAISE EXCEPTION 'cannot grant switchboard_tenant to %', current_user
                        USING HINT = 'As a superuser run: CREATE ROLE switchboard_tenant '
                            'NOLOGIN; GRANT switchboard_tenant TO '
                            || quote_ident(current_user) || ';';
                END IF;
        END;
    END IF;
END
$$;

DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO switchboard_tenant', current_schema());
END
$$;

-- Companies: a tenant sees (and may only write) its own row.
ALTER TABLE companies ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON companies FOR ALL TO switchboard_tenant
    USING (id = NULLIF(current_setting('app.company_id', true), '')::uuid)
    WITH CHECK (id = NULLIF(current_setting('app.company_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON companies TO switchboard_tenant;

-- Every table with a company_id column, found in the catalog so that none is missed. The
-- tenant role is granted exactly the tables that carry a policy, and nothing else (not
-- `_sqlx_migrations`, which lives in the same schema).
--
-- `current_setting(..., true)` is NULL when the setting was never made on the connection and
-- '' after a transaction that set it locally has ended; NULLIF turns both into NULL, which
-- matches no row, so a tenant-role query without a company sees nothing.
DO $$
DECLARE
    tbl regclass;
BEGIN
    FOR tbl IN
        SELECT c.oid::regclass
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE n.nspname = current_schema()
          AND c.relkind IN ('r', 'p')
          AND a.attname = 'company_id'
          AND NOT a.attisdropped
        ORDER BY c.relname
    LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %s FOR ALL TO switchboard_tenant '
            'USING (company_id = NULLIF(current_setting(''app.company_id'', true), '''')::uuid) '
            'WITH CHECK (company_id = NULLIF(current_setting(''app.company_id'', true), '''')::uuid)',
            tbl
        );
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO switchboard_tenant', tbl);
    END LOOP;
END
$$;
