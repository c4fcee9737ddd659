#!/bin/bash
# Entrypoint of the streaming replica (official postgres image, run as the postgres user).
# On first start (empty data directory) it clones the primary with pg_basebackup, using the
# primary's replication slot and writing standby.signal + primary_conninfo (-R); afterwards
# it hands over to the image's own entrypoint, which starts postgres as a hot standby.
set -euo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
: "${PRIMARY_HOST:?PRIMARY_HOST must name the primary}"
: "${PRIMARY_PORT:=5432}"
: "${REPLICATION_USER:=replicator}"
: "${REPLICATION_SLOT:=replica_1}"
: "${REPLICATION_PASSWORD_FILE:?REPLICATION_PASSWORD_FILE must name the replication password file}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    echo "replica: cloning ${PRIMARY_HOST}:${PRIMARY_PORT} with slot ${REPLICATION_SLOT}"
    PGPASSWORD="$(tr -d '\r\n' < "$REPLICATION_PASSWORD_FILE")"
    export PGPASSWORD
    until pg_isready --host "$PRIMARY_HOST" --port "$PRIMARY_PORT" --quiet; do
        echo "replica: waiting for the primary"
        sleep 2
    done
    # A half-finished earlier attempt must not be mistaken for a data directory.
    find "$PGDATA" -mindepth 1 -delete
    pg_basebackup --host "$PRIMARY_HOST" --port "$PRIMARY_PORT" --username "$REPLICATION_USER" \
        --pgdata "$PGDATA" --wal-method stream --slot "$REPLICATION_SLOT" \
        --write-recovery-conf --checkpoint fast --no-password --progress
    unset PGPASSWORD
    chmod 0700 "$PGDATA"
fi

exec docker-entrypoint.sh "$@"
