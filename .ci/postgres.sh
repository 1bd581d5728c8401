#!/usr/bin/env bash
# Install (from the distribution's packages), start and prepare a PostgreSQL server for the tests,
# then print the URL the tests read from ITBTWIN_TEST_POSTGRES_URL. Safe to run twice.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { as_root runuser -u postgres -- "$@"; }

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq >&2
  as_root apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$version main"; then
  as_root pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -qx online; then
  as_root pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
for _ in $(seq 1 30); do pg_isready -q -h localhost -p "$port" && break; sleep 1; done
# What the tests need, granted on every run (a role or database made by hand or by an older
# script may lack it): LOGIN with this password; CREATEDB, for the web tests' template databases
# and the pg_dump/pg_restore test; ownership of itbtwin_test, for a schema per test. Dropping a
# database WITH (FORCE) ends only connections of the same role, which needs no pg_signal_backend
# (tests/store/test_postgres_setup.py checks it), so none is granted.
if ! as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'itbtwin'" | grep -q 1; then
  as_postgres psql -q -p "$port" -c "CREATE ROLE itbtwin" >&2
fi
as_postgres psql -q -p "$port" -c "ALTER ROLE itbtwin LOGIN PASSWORD 'itbtwin' CREATEDB" >&2
if ! as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = 'itbtwin_test'" | grep -q 1; then
  as_postgres createdb -p "$port" -O itbtwin itbtwin_test >&2
fi
as_postgres psql -q -p "$port" -c "ALTER DATABASE itbtwin_test OWNER TO itbtwin" >&2
echo "postgresql+psycopg://itbtwin:itbtwin@localhost:${port}/itbtwin_test"
