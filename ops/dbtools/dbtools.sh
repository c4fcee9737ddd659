#!/bin/bash
# dbtools dump s3://BUCKET/KEY   a dump of DATABASE_NAME streamed to S3 (SSE-S3):
#   DATABASE_ENGINE=postgresql (default): pg_dump -Fc
#   DATABASE_ENGINE=mysql: a consistent logical dump (one transaction, routines, triggers), TLS
set -euo pipefail

dump_postgresql() {
    export PGPASSWORD="$DATABASE_PASSWORD" PGSSLMODE=require
    pg_dump --format=custom --no-owner --no-privileges \
        --host="$DATABASE_HOST" --port="${DATABASE_PORT:-5432}" \
        --username="$DATABASE_USER" --dbname="$DATABASE_NAME"
}

dump_mysql() {
    # the password through the environment, never on the command line (ps shows arguments)
    MYSQL_PWD="$DATABASE_PASSWORD" mariadb-dump --single-transaction --routines --triggers \
        --ssl --host="$DATABASE_HOST" --port="${DATABASE_PORT:-3306}" \
        --user="$DATABASE_USER" "$DATABASE_NAME"
}

command="${1:-}"
case "$command" in
    dump)
        target="${2:?usage: dbtools dump s3://bucket/key}"
        case "$target" in s3://*) ;; *) echo "dbtools: $target is not an s3:// URL" >&2; exit 64 ;; esac
        engine="${DATABASE_ENGINE:-postgresql}"
        case "$engine" in postgresql|mysql) ;; *) echo "dbtools: unknown engine $engine" >&2; exit 64 ;; esac
        started=$(date +%s)
        "dump_$engine" | aws s3 cp - "$target" --sse AES256 --only-show-errors
        echo "dbtools: $DATABASE_NAME dumped to $target in $(( $(date +%s) - started ))s"
        ;;
    *)
        echo "usage: dbtools dump s3://bucket/key" >&2
        exit 64
        ;;
esac
