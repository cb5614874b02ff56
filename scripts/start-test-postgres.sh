#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster on loopback (making one if the package made none) and
# creates the test role and database the registry tests use:
#   postgres://crocevia:crocevia@127.0.0.1:5432/crocevia_test
# Needs root (or the postgres user) and `apt-get install -y postgresql`.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if [ -z "$(pg_lsclusters -h)" ]; then
  pg_createcluster "$version" main
fi
read -r cluster_version cluster_name port status _ < <(pg_lsclusters -h | head -1)
if [ "$status" != "online" ]; then
  pg_ctlcluster "$cluster_version" "$cluster_name" start
fi
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi; }
as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 <<'SQL'
SELECT 'CREATE ROLE crocevia LOGIN PASSWORD ''crocevia'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crocevia') \gexec
SELECT 'CREATE DATABASE crocevia_test OWNER crocevia'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'crocevia_test') \gexec
SQL
echo "PostgreSQL $cluster_version/$cluster_name is up on port $port; test database crocevia_test (role crocevia)"
