#!/bin/bash
# Runs once, from /docker-entrypoint-initdb.d, when the primary's data directory is created.
# Creates the streaming-replication login and one physical replication slot per replica, and
# lets that login connect for replication over the compose network (scram-sha-256 only).
# The password comes from a Docker secret file; nothing secret is written in the compose files.
set -euo pipefail

: "${REPLICATION_USER:=replicator}"
: "${REPLICATION_PASSWORD_FILE:?REPLICATION_PASSWORD_FILE must name the replication password file}"
: "${REPLICATION_SLOTS:=replica_1}"

REPLICATION_SECRET="$(tr -d '\r\n' < "$REPLICATION_PASSWORD_FILE")"
if [ -z "$REPLICATION_SECRET" ]; then
    echo "primary-init: $REPLICATION_PASSWORD_FILE is empty" >&2
    exit 1
fi
export REPLICATION_SECRET

# psql takes the value from the environment (\getenv), so it is never on a command line.
# scram-sha-256 is the server default (PostgreSQL 14+) and is set on the command line too.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v repl_user="$REPLICATION_USER" <<'SQL'
\getenv repl_secret REPLICATION_SECRET
CREATE ROLE :"repl_user" WITH REPLICATION LOGIN PASSWORD :'repl_secret';
SQL
unset REPLICATION_SECRET

for slot in ${REPLICATION_SLOTS//,/ }; do
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v slot="$slot" <<'SQL'
SELECT pg_create_physical_replication_slot(:'slot');
SQL
done

echo "host replication ${REPLICATION_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
