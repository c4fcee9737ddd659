"""The application's processes on the stack: migrations, web replicas, the bench baseline,
the Celery worker and beat, and the mail/SMS providers they deliver to."""

from __future__ import annotations

import os
import secrets
import shutil
import sys

from deploy.stack.config import BACKEND, ROOT, VENV_BIN, Stack
from deploy.stack.processes import SUPERVISE, alive, run, say, spawn, stop, wait_port
from deploy.stack.releases import Release, current, wait_ready

# After SIGTERM, a replica finishes its requests within WEB_GRACEFUL_TIMEOUT (30 s by default:
# uWSGI's reload mercy, gunicorn's graceful_timeout, Granian's workers_kill_timeout); a few
# seconds on top, then `stop` SIGKILLs the group. Plain Granian could hang on a SIGTERM during a
# worker's start; deploy/granian_server.py closes that window, this bounds whatever is left.
WEB_STOP_TIMEOUT = 35


def serving(stack: Stack) -> Release:
    release = current(stack)
    if release is None:
        raise SystemExit("stack: no release has been deployed yet (python -m deploy.stack up)")
    return release


def app_env(stack: Stack, release: Release | None = None) -> dict[str, str]:
    return _base_env(stack) | (release.env if release else {})


def _base_env(stack: Stack) -> dict[str, str]:
    secret_file = stack.run / "django-secret-key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50))
        secret_file.chmod(0o600)
    ports = stack.ports
    pg = "postgres://postgres@127.0.0.1:{}/booking"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY_FILE": str(secret_file),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": (
            f"https://127.0.0.1:{ports.https},https://localhost:{ports.https}"
        ),
        # The links in account e-mails open the app nginx serves beside the API.
        "FRONTEND_URL": f"https://127.0.0.1:{ports.https}",
        "DJANGO_VAR_DIR": str(stack.dir / "app"),
        "DATABASE_URL": pg.format(ports.primary),
        "DATABASE_REPLICA_URLS": pg.format(ports.replica),
        "REDIS_URL": f"redis://127.0.0.1:{ports.redis}/0",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{ports.redis}/1",
        **_storage_env(stack),
        **_delivery_env(stack),
        "PROMETHEUS_MULTIPROC_DIR": str(stack.dir / "prometheus"),
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "TRUSTED_PROXY_COUNT": "1",  # nginx appends the client's address
        "WEB_CONCURRENCY": str(stack.web_workers),
        "LOG_FORMAT": "json",
        "MALLOC_ARENA_MAX": "2",  # as the image sets it (deploy/docker/Dockerfile)
        # STACK_APP_X=... reaches the app as X=... (e.g. a test's REPLICA_MAX_LAG_SECONDS).
        **{
            key.removeprefix("STACK_APP_"): value
            for key, value in os.environ.items()
            if key.startswith("STACK_APP_")
        },
    }


def _storage_env(stack: Stack) -> dict[str, str]:
    s3 = f"127.0.0.1:{stack.ports.s3}"
    return {
        "AWS_ACCESS_KEY_ID": "stack",
        "AWS_SECRET_ACCESS_KEY": "stack",
        "AWS_S3_ENDPOINT_URL": f"http://{s3}",
        "AWS_STATIC_BUCKET_NAME": "booking-static",
        "AWS_MEDIA_BUCKET_NAME": "booking-media",
        "AWS_S3_CUSTOM_DOMAIN": f"{s3}/booking-static",
        "AWS_S3_URL_PROTOCOL": "http:",
        "AWS_S3_ADDRESSING_STYLE": "path",
    }


def _delivery_env(stack: Stack) -> dict[str, str]:
    """E-mail over SMTP and SMS through the Twilio client, both to the stack's sinks."""
    return {
        "EMAIL_BACKEND": "booking.notifications.channels.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(stack.ports.smtp),
        "SMS_BACKEND": "twilio",
        "TWILIO_ACCOUNT_SID": "ACstack",
        "TWILIO_AUTH_TOKEN": "stack",
        "TWILIO_FROM_NUMBER": "+15005550006",
        "TWILIO_API_BASE_URL": f"http://127.0.0.1:{stack.ports.sms}",
    }


def manage(stack: Stack, *args: str, release: Release | None = None) -> str:
    code = release.code if release else BACKEND
    return run(VENV_BIN / "python", code / "manage.py", *args, env=app_env(stack, release))


def migrate(stack: Stack, release: Release) -> None:
    """What the `migrate` role does before every rollout: schema, then static files to S3."""
    say(f"release {release.id}: migrating, collecting static files to S3")
    manage(stack, "migrate", "--noinput", release=release)
    manage(stack, "collectstatic", "--noinput", release=release)


def sinks_up(stack: Stack) -> None:
    argv = [sys.executable, "-m", "deploy.stack.sinks", "--smtp-port", str(stack.ports.smtp),
            "--sms-port", str(stack.ports.sms), "--out", str(stack.dir / "outbox")]  # fmt: skip
    spawn(stack, "sinks", argv, os.environ.copy(), ROOT)
    wait_port(stack.ports.smtp, "the mail sink")
    wait_port(stack.ports.sms, "the SMS sink")
    say(f"mail sink smtp://127.0.0.1:{stack.ports.smtp}, SMS sink on :{stack.ports.sms}")


def web_server_argv(server: str, module: str, bind: str) -> list[str]:
    """The command serving the WSGI `module` on `bind` (host:port): uWSGI or Granian through
    their launchers (deploy/uwsgi_server.py, the default; deploy/granian_server.py), or gunicorn
    with its config file. All read their settings from the environment (WEB_CONCURRENCY,
    WEB_THREADS ...). Only gunicorn has a trusted-proxy setting; none is needed: Django reads
    X-Forwarded-Proto itself (SECURE_PROXY_SSL_HEADER)."""
    if server == "gunicorn":
        config = ROOT / "deploy" / "gunicorn.conf.py"
        return [str(VENV_BIN / "gunicorn"), "-c", str(config), "--bind", bind, module]
    if server in ("uwsgi", "granian"):
        launcher = ROOT / "deploy" / f"{server}_server.py"
        return [str(VENV_BIN / "python"), str(launcher), "--bind", bind, module]
    raise SystemExit(f"stack: STACK_WEB_SERVER is gunicorn, granian or uwsgi, not {server!r}")


def web_start(stack: Stack, index: int, release: Release) -> None:
    """Replace replica `index` (1-based) with one serving `release`; readiness is the caller's
    (`replica_ready`): the port opens before the replica can answer."""
    name, port = f"web{index}", stack.ports.web[index - 1]
    metrics = stack.dir / "prometheus"
    if not any(alive(stack, f"web{i}") for i in (1, 2)):
        shutil.rmtree(metrics, ignore_errors=True)  # the files of an earlier start must not count
    metrics.mkdir(parents=True, exist_ok=True)
    stop(stack, name, timeout=WEB_STOP_TIMEOUT)  # SIGTERM: requests begun are finished
    env = app_env(stack, release)
    spawn(stack, name, web_server_argv(stack.web_server, "config.wsgi", f"127.0.0.1:{port}"),
          env, release.code)  # fmt: skip


def replica_ready(port: int, timeout: float) -> None:
    """Until the replica on `port` answers /health/ready itself (NotReady when it does not)."""
    wait_ready(f"http://127.0.0.1:{port}/health/ready", timeout)


def web_up(stack: Stack) -> None:
    """Both replicas on the serving release, one after the other (the benchmark's restart)."""
    release = serving(stack)
    for index, port in enumerate(stack.ports.web, start=1):
        web_start(stack, index, release)
        replica_ready(port, timeout=60)
    say(f"{stack.web_server} × 2 on 127.0.0.1:{stack.ports.web[0]} and :{stack.ports.web[1]}")


def bare_up(stack: Stack) -> None:
    """The benchmark baseline (STACK_BENCH=1): a bare Django view (no middleware, no database)
    as most teams serve it: gunicorn gthread with deploy/gunicorn.conf.py, whatever server the
    web tier runs (STACK_WEB_SERVER), with as many workers as the whole tier."""
    if not stack.bench:
        return
    env = app_env(stack) | {
        "DJANGO_SETTINGS_MODULE": "config.settings.bare",
        "WEB_CONCURRENCY": str(stack.web_workers * len(stack.ports.web)),
        "GUNICORN_WORKER_CLASS": "gthread",  # even when the web tier tries another class
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    stop(stack, "bare")  # replaced with the web tier: the same code and environment
    bind = f"127.0.0.1:{stack.ports.bare}"
    spawn(stack, "bare", web_server_argv("gunicorn", "config.wsgi", bind), env, BACKEND)
    wait_port(stack.ports.bare, "the bare gunicorn")
    say(f"bare baseline gunicorn on {bind} (/__bench/bare through nginx)")


def celery_up(stack: Stack, release: Release | None = None) -> None:
    release = release or serving(stack)
    celery = str(VENV_BIN / "celery")
    roles = {
        "worker": ["worker", "-Q", "default,notifications", "--concurrency", "2"],
        "beat": ["beat", "--schedule", str(stack.run / "celerybeat-schedule")],
    }
    for name, role in roles.items():
        # Replaced like the web tier: one code version in every process (a worker that does not
        # know a new task name would drop its messages until the sweep re-sends them).
        # SIGTERM is Celery's warm shutdown; unacknowledged tasks go back to the queue.
        stop(stack, name)
        argv = [*SUPERVISE, celery, "-A", "config", *role, "--loglevel", "INFO"]
        spawn(stack, name, argv, app_env(stack, release), release.code)
    say(f"Celery worker and beat on release {release.id}")
