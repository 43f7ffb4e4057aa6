#!/usr/bin/env bash
# The test suite needs PostgreSQL at 127.0.0.1:5432 (user postgres). Machines here start it
# at boot; if it has stopped, start it again, and fail clearly if that is impossible.
set -euo pipefail
url="${SWITCHBOARD_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

ready() { pg_isready -q -d "$url" 2>/dev/null; }

if ready; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  echo "PostgreSQL is not answering; starting it" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
fi
echo "error: no PostgreSQL at $url. Start one, or point SWITCHBOARD_TEST_POSTGRES_URL at it." >&2
exit 1
