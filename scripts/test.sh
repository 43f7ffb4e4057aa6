#!/usr/bin/env bash
# Every check the project holds itself to, in the order that fails fastest: the web app's
# type check and unit tests, formatting, lints, the whole test suite on SQLite and again on
# PostgreSQL (the storage conformance suite runs on both engines in each pass), validation
# of the OpenAPI document, retrieval quality floors, generated requests against the
# running server (Schemathesis), and browser journeys in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "web: npm ci, type check and unit tests"
(cd web && npm ci --no-audit --no-fund && npm run typecheck && npm test)

step "PostgreSQL is reachable"
scripts/ensure-postgres.sh

step "the embedding model is in place (downloaded once, hash-checked)"
scripts/fetch-model.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "tests on SQLite"
cargo test --workspace --locked

step "tests on PostgreSQL"
SWITCHBOARD_TEST_BACKEND=postgres cargo test --workspace --locked

step "OpenAPI document validates"
scripts/validate-openapi.sh

step "retrieval quality holds its floors"
scripts/eval-retrieval.sh

step "classification quality holds its floors"
scripts/eval-classification.sh

step "Schemathesis: every response matches the OpenAPI document, no server error"
scripts/schemathesis.sh

step "browser journeys in Chromium (widget on another origin, dashboard sign-in)"
scripts/browser-tests.sh
