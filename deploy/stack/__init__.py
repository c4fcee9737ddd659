"""The production-like topology from native processes (our machines have no container engine).

    python -m deploy.stack up | down | status      (from the repository root)

nginx (TLS) → 2 × uWSGI (production settings) → PostgreSQL primary + streaming replica,
Redis (cache db 0, broker db 1), a Celery worker and the beat, moto as the S3 stand-in, and
local mail and SMS providers (sinks.py) that production settings deliver to.
The web tier runs deploy/uwsgi_server.py; STACK_WEB_SERVER=gunicorn or granian serves it with
those instead (docs/operations.md, "The web server"). The bench baseline is always gunicorn
gthread: plain Django as most teams run it.
Everything lives under STACK_DIR (default var/stack) and STACK_PG_DIR (default
/var/tmp/booking-stack: the database clusters and their sockets, which must belong to the
postgres user); each is created when missing. Ports come from the environment (config.py).
It never touches the machine's own PostgreSQL (5432) or Redis (6379).
"""
