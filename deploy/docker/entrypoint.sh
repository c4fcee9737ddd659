#!/bin/sh
# The container's process roles. Each `exec`s its server, so signals from the runtime (through
# tini) reach it directly and a graceful shutdown is the server's own.
#
#   web        uWSGI (deploy/uwsgi_server.py), binds 0.0.0.0:${PORT:-8000}; WEB_SERVER=gunicorn
#              (deploy/gunicorn.conf.py) or WEB_SERVER=granian (deploy/granian_server.py) instead.
#              uWSGI by default: less CPU per request than gunicorn, and no request failed when
#              it reloaded or lost a worker under load (docs/operations.md, "The web server")
#   worker     Celery worker on the default and notifications queues
#   beat       the single Celery beat (run exactly one), schedule kept in /tmp
#   migrate    publish static files to S3 (when a bucket is set), apply migrations, exit
#   devserver  Django's autoreloading runserver (the dev image only)
#   manage     any management command: `manage createsuperuser`, `manage seed_demo --if-empty`
#   anything else is executed as given (`sh`, `python -c ...`)
set -eu

app="${APP_DIR:-/app}"
role="${1:-web}"
[ "$#" -gt 0 ] && shift

# prometheus_client in multiprocess mode needs its directory to exist and to start empty, or
# /metrics would sum the files of processes from an earlier start. /tmp is the only writable
# place in the container (a tmpfs in compose), so this is per container and per start.
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    case "$PROMETHEUS_MULTIPROC_DIR" in
        *..*) echo "entrypoint: PROMETHEUS_MULTIPROC_DIR must not contain '..'" >&2; exit 64 ;;
        /tmp/?*) rm -rf "$PROMETHEUS_MULTIPROC_DIR" ;;
        *) echo "entrypoint: PROMETHEUS_MULTIPROC_DIR must be under /tmp" >&2; exit 64 ;;
    esac
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
fi

cd "$app/backend"

case "$role" in
    web)
        case "${WEB_SERVER:-uwsgi}" in
            uwsgi) exec python "$app/deploy/uwsgi_server.py" config.wsgi "$@" ;;
            gunicorn) exec gunicorn -c "$app/deploy/gunicorn.conf.py" config.wsgi "$@" ;;
            granian) exec python "$app/deploy/granian_server.py" config.wsgi "$@" ;;
            *) echo "entrypoint: WEB_SERVER is uwsgi, gunicorn or granian, not '$WEB_SERVER'" >&2; exit 64 ;;
        esac
        ;;
    worker)
        exec celery -A config worker -Q default,notifications --loglevel INFO "$@"
        ;;
    beat)
        exec celery -A config beat --loglevel INFO --schedule /tmp/celerybeat-schedule "$@"
        ;;
    migrate)
        # With static files on S3 (behind the CDN), publishing them is part of every release.
        if [ -n "${AWS_STATIC_BUCKET_NAME:-}${AWS_STORAGE_BUCKET_NAME:-}" ]; then
            python manage.py collectstatic --noinput
        fi
        exec python manage.py migrate --noinput "$@"
        ;;
    devserver)
        exec python manage.py runserver "0.0.0.0:${PORT:-8000}" "$@"
        ;;
    manage)
        exec python manage.py "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
