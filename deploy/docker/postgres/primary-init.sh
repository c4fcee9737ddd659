#!/bin/bash
# Runs once, from /docker-entrypoint-initdb.d, when the primary's data directory is created.
# Creates the streaming-replication login and one physical replication slot per replica, and
# lets that login connect for replication over the compose network (scram-sha-256 only).
# The password comes from a Docker secret file; nothing secret is written in the compose files.
set -euo pipefail

: "${REPLICATION_USER:=replicator}"
: "${REPLICATION_PASSWORD_FILE:?REPLICATION_PASSWORD_FILE must name the replication password file}"
: "${REPLICATION_SLOTS:=replica_1}"

password="$(tr -d '\r\n' < "$REPLICATION_PASSWORD_FILE")"
if [ -z "$password" ]; then
    echo "primary-init: $REPLICATION_PASSWORD_FILE is empty" >&2
    exit 1
fi

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v repl_user="$REPLICATION_USER" -v repl_password="$password" <<'SQL'
SET password_encryption = 'scram-sha-256';
CREATE ROLE :"repl_user" WITH REPLICATION LOGIN PASSWORD :'repl_password';
SQL

for slot in ${REPLICATION_SLOTS//,/ }; do
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v slot="$slot" <<'SQL'
SELECT pg_create_physical_replication_slot(:'slot');
SQL
done

echo "host replication ${REPLICATION_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
