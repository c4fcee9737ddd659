#!/bin/bash
# dbtools dump s3://BUCKET/KEY   pg_dump -Fc of DATABASE_NAME streamed to S3 (SSE-S3)
set -euo pipefail

command="${1:-}"
case "$command" in
    dump)
        target="${2:?usage: dbtools dump s3://bucket/key}"
        case "$target" in s3://*) ;; *) echo "dbtools: $target is not an s3:// URL" >&2; exit 64 ;; esac
        export PGPASSWORD="$DATABASE_PASSWORD" PGSSLMODE=require
        started=$(date +%s)
        pg_dump --format=custom --no-owner --no-privileges \
            --host="$DATABASE_HOST" --port="${DATABASE_PORT:-5432}" \
            --username="$DATABASE_USER" --dbname="$DATABASE_NAME" \
            | aws s3 cp - "$target" --sse AES256 --only-show-errors
        echo "dbtools: $DATABASE_NAME dumped to $target in $(( $(date +%s) - started ))s"
        ;;
    *)
        echo "usage: dbtools dump s3://bucket/key" >&2
        exit 64
        ;;
esac
