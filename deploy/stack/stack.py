"""The production-like topology from native processes (our machines have no container engine).

    python deploy/stack/stack.py up | down | status

nginx (TLS) → 2 × gunicorn (production settings) → PostgreSQL primary + streaming replica,
Redis (cache db 0, broker db 1), a Celery worker and the beat, and moto as the S3 stand-in.
STACK_WEB_SERVER=granian serves the web tier (and the bench baseline) with Granian instead.
Everything lives under STACK_DIR (default var/stack) and /var/tmp/booking-stack (the database
clusters, which must belong to the postgres user); ports come from the environment. It never
touches the machine's own PostgreSQL (5432) or Redis (6379).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[2]
BACKEND = ROOT / "backend"
VENV_BIN = Path(sys.executable).parent


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


@dataclass(frozen=True)
class Ports:
    https: int = field(default_factory=lambda: _port("STACK_HTTPS_PORT", 8443))
    http: int = field(default_factory=lambda: _port("STACK_HTTP_PORT", 8080))
    web: tuple[int, int] = field(
        default_factory=lambda: (_port("STACK_WEB1_PORT", 18001), _port("STACK_WEB2_PORT", 18002))
    )
    primary: int = field(default_factory=lambda: _port("STACK_PG_PRIMARY_PORT", 55432))
    replica: int = field(default_factory=lambda: _port("STACK_PG_REPLICA_PORT", 55433))
    redis: int = field(default_factory=lambda: _port("STACK_REDIS_PORT", 56379))
    s3: int = field(default_factory=lambda: _port("STACK_S3_PORT", 55000))
    bare: int = field(default_factory=lambda: _port("STACK_BARE_PORT", 18003))


@dataclass(frozen=True)
class Stack:
    ports: Ports = field(default_factory=Ports)
    dir: Path = field(
        default_factory=lambda: Path(
            os.environ.get("STACK_DIR") or ROOT / "var" / "stack"
        ).resolve()
    )
    pg_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("STACK_PG_DIR") or "/var/tmp/booking-stack")
    )
    salons: int = field(default_factory=lambda: _port("STACK_SALONS", 30))
    web_workers: int = field(default_factory=lambda: _port("STACK_WEB_WORKERS", 2))
    # STACK_BENCH=1 adds the benchmark's baseline: a bare Django view behind the same nginx.
    bench: bool = field(default_factory=lambda: os.environ.get("STACK_BENCH") == "1")
    # gunicorn (gthread, deploy/gunicorn.conf.py) or granian, for the web tier and the baseline.
    web_server: str = field(
        default_factory=lambda: os.environ.get("STACK_WEB_SERVER") or "gunicorn"
    )

    @property
    def logs(self) -> Path:
        return self.dir / "logs"

    @property
    def run(self) -> Path:
        return self.dir / "run"

    def pidfile(self, name: str) -> Path:
        return self.run / f"{name}.pid"

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"


# ---------------------------------------------------------------------------------- helpers


def say(message: str) -> None:
    print(f"stack: {message}", flush=True)


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.3)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_port(port: int, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not port_open(port):
        if time.monotonic() > deadline:
            raise SystemExit(f"stack: {what} did not open port {port} within {timeout:.0f}s")
        time.sleep(0.2)


def run(*args: str | Path, env: dict[str, str] | None = None, user: str | None = None) -> str:
    command = [str(arg) for arg in args]
    if user and os.geteuid() == 0:
        command = ["runuser", "-u", user, "--", *command]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, check=False, cwd="/" if user else None
    )
    if result.returncode != 0:
        raise SystemExit(f"stack: {' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def spawn(stack: Stack, name: str, args: list[str], env: dict[str, str], cwd: Path) -> None:
    """Start a long-running process in its own session, remember its pid, log to a file."""
    if alive(stack, name):
        say(f"{name} already running")
        return
    with stack.log(name).open("a") as log:
        process = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    stack.pidfile(name).write_text(str(process.pid))


def pid_of(stack: Stack, name: str) -> int | None:
    try:
        return int(stack.pidfile(name).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def alive(stack: Stack, name: str) -> bool:
    pid = pid_of(stack, name)
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop(stack: Stack, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    pid = pid_of(stack, name)
    if pid is None:
        return
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        stack.pidfile(name).unlink(missing_ok=True)
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.killpg(pid, signal.SIGKILL)
    stack.pidfile(name).unlink(missing_ok=True)


# ------------------------------------------------------------------------------- components


def pg_bin() -> Path:
    explicit = os.environ.get("PG_BIN")
    if explicit:
        return Path(explicit)
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise SystemExit("stack: PostgreSQL server binaries not found (apt-get install postgresql)")
    return versions[-1]


def postgres_up(stack: Stack) -> None:
    primary, replica = stack.pg_dir / "primary", stack.pg_dir / "replica"
    stack.pg_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(stack.pg_dir, "postgres", "postgres")
    binaries = pg_bin()
    if not (primary / "PG_VERSION").exists():
        say("initialising the PostgreSQL primary")
        run(
            binaries / "initdb",
            "-D",
            primary,
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            user="postgres",
        )
        (primary / "postgresql.auto.conf").write_text(_primary_conf(stack))
        with (primary / "pg_hba.conf").open("a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
    _pg_start(stack, "primary", primary, stack.ports.primary)
    _ensure_database(stack)
    if not (replica / "PG_VERSION").exists():
        say("cloning the streaming replica (pg_basebackup)")
        run(
            binaries / "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(stack.ports.primary),
            "-U",
            "postgres",
            "-D",
            replica,
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
            user="postgres",
        )
        with (replica / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"port = {stack.ports.replica}\nhot_standby = on\n")
    _pg_start(stack, "replica", replica, stack.ports.replica)


def _primary_conf(stack: Stack) -> str:
    return "\n".join(
        [
            f"port = {stack.ports.primary}",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = '/var/tmp/booking-stack'",
            "wal_level = replica",
            "max_wal_senders = 5",
            "wal_keep_size = '256MB'",
            "max_connections = 200",
            "shared_buffers = '256MB'",
            "synchronous_commit = on",
            "fsync = on",
            "",
        ]
    )


def _pg_start(stack: Stack, name: str, data: Path, port: int) -> None:
    if port_open(port):
        say(f"PostgreSQL {name} already running on {port}")
        return
    # The log sits beside the cluster: the postgres user may not write into STACK_DIR.
    run(
        pg_bin() / "pg_ctl",
        "-D",
        data,
        "-l",
        stack.pg_dir / f"{name}.log",
        "-w",
        "-t",
        "60",
        "start",
        user="postgres",
    )
    say(f"PostgreSQL {name} on 127.0.0.1:{port}")


def psql(stack: Stack, sql: str, database: str = "postgres") -> str:
    """One statement on the stack's primary; its output, trimmed."""
    primary = str(stack.ports.primary)
    return run(
        "psql", "-h", "127.0.0.1", "-p", primary, "-U", "postgres", "-d", database, "-tAc", sql
    ).strip()


def _ensure_database(stack: Stack) -> None:
    if not psql(stack, "SELECT 1 FROM pg_database WHERE datname = 'booking'"):
        psql(stack, "CREATE DATABASE booking")


def postgres_down(stack: Stack) -> None:
    for name in ("replica", "primary"):
        data = stack.pg_dir / name
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [
                    "runuser",
                    "-u",
                    "postgres",
                    "--",
                    str(pg_bin() / "pg_ctl"),
                    "-D",
                    str(data),
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                ]
                if os.geteuid() == 0
                else [str(pg_bin() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                capture_output=True,
                check=False,
            )


def redis_up(stack: Stack) -> None:
    if port_open(stack.ports.redis):
        say("Redis already running")
        return
    spawn(
        stack,
        "redis",
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(stack.ports.redis),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        os.environ.copy(),
        stack.dir,
    )
    wait_port(stack.ports.redis, "redis")
    say(f"Redis on 127.0.0.1:{stack.ports.redis} (cache db 0, broker db 1)")


def s3_up(stack: Stack) -> None:
    spawn(
        stack,
        "s3",
        [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(stack.ports.s3)],
        os.environ.copy(),
        stack.dir,
    )
    wait_port(stack.ports.s3, "the S3 stand-in")
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{stack.ports.s3}",
        region_name="us-east-1",
        aws_access_key_id="stack",
        aws_secret_access_key="stack",
    )
    existing = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
    for bucket in ("booking-static", "booking-media"):
        if bucket not in existing:
            client.create_bucket(Bucket=bucket)
    # Stands in for the CDN's read access (CloudFront origin access control in AWS); media
    # stays private and is reached only through signed URLs.
    client.put_bucket_policy(
        Bucket="booking-static",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::booking-static/*",
                    }
                ],
            }
        ),
    )
    say(f"S3 stand-in (moto) on http://127.0.0.1:{stack.ports.s3}")


def app_env(stack: Stack) -> dict[str, str]:
    secret_file = stack.run / "django-secret-key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50))
        secret_file.chmod(0o600)
    p = stack.ports
    pg = "postgres://postgres@127.0.0.1:{}/booking"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY_FILE": str(secret_file),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{p.https},https://localhost:{p.https}",
        "DJANGO_VAR_DIR": str(stack.dir / "app"),
        "DATABASE_URL": pg.format(p.primary),
        "DATABASE_REPLICA_URLS": pg.format(p.replica),
        "REDIS_URL": f"redis://127.0.0.1:{p.redis}/0",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{p.redis}/1",
        "AWS_ACCESS_KEY_ID": "stack",
        "AWS_SECRET_ACCESS_KEY": "stack",
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{p.s3}",
        "AWS_STATIC_BUCKET_NAME": "booking-static",
        "AWS_MEDIA_BUCKET_NAME": "booking-media",
        "AWS_S3_CUSTOM_DOMAIN": f"127.0.0.1:{p.s3}/booking-static",
        "AWS_S3_URL_PROTOCOL": "http:",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "PROMETHEUS_MULTIPROC_DIR": str(stack.dir / "prometheus"),
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "WEB_CONCURRENCY": str(stack.web_workers),
        "LOG_FORMAT": "json",
        # STACK_APP_X=... reaches the app as X=... (e.g. a test's REPLICA_MAX_LAG_SECONDS).
        **{
            k.removeprefix("STACK_APP_"): v
            for k, v in os.environ.items()
            if k.startswith("STACK_APP_")
        },
    }


def manage(stack: Stack, *args: str) -> str:
    return run(VENV_BIN / "python", BACKEND / "manage.py", *args, env=app_env(stack))


def app_prepare(stack: Stack) -> None:
    say("migrating, collecting static files to S3, loading demo data")
    manage(stack, "migrate", "--noinput")
    manage(stack, "collectstatic", "--noinput")
    manage(stack, "seed_demo", "--if-empty", "--salons", str(stack.salons))


def web_server_argv(server: str, module: str, bind: str, env: Mapping[str, str]) -> list[str]:
    """The command serving the WSGI `module` on `bind` (host:port): gunicorn with its config
    file, or Granian with the same worker processes (WEB_CONCURRENCY) and Python threads per
    worker (GUNICORN_THREADS, 4 as in gunicorn.conf.py). Granian has no trusted-proxy setting;
    none is needed: Django reads X-Forwarded-Proto itself (SECURE_PROXY_SSL_HEADER)."""
    if server == "gunicorn":
        config = ROOT / "deploy" / "gunicorn.conf.py"
        return [str(VENV_BIN / "gunicorn"), "-c", str(config), "--bind", bind, module]
    if server == "granian":
        host, _, port = bind.rpartition(":")
        return [
            str(VENV_BIN / "granian"), "--interface", "wsgi", "--host", host, "--port", port,
            "--workers", env["WEB_CONCURRENCY"],
            "--blocking-threads", env.get("GUNICORN_THREADS") or "4",
            "--no-access-log",  # Django writes one JSON line per request
            "--respawn-failed-workers",  # as gunicorn's master replaces a dead worker
            f"{module}:application",
        ]  # fmt: skip
    raise SystemExit(f"stack: STACK_WEB_SERVER is gunicorn or granian, not {server!r}")


def web_up(stack: Stack) -> None:
    metrics = stack.dir / "prometheus"
    if not any(alive(stack, f"web{i}") for i in (1, 2)):
        shutil.rmtree(metrics, ignore_errors=True)  # gauges of dead processes must not linger
    metrics.mkdir(parents=True, exist_ok=True)
    for index, port in enumerate(stack.ports.web, start=1):
        # One replica at a time, so nginx always has the other; a HUP would only re-fork the
        # code the master preloaded (gunicorn.conf.py).
        if alive(stack, f"web{index}"):
            stop(stack, f"web{index}")
        env = app_env(stack)
        argv = web_server_argv(stack.web_server, "config.wsgi", f"127.0.0.1:{port}", env)
        spawn(stack, f"web{index}", argv, env, BACKEND)
        wait_port(port, stack.web_server)
    say(f"{stack.web_server} × 2 on 127.0.0.1:{stack.ports.web[0]} and :{stack.ports.web[1]}")


def bare_up(stack: Stack) -> None:
    """The benchmark baseline (STACK_BENCH=1): a bare Django view (no middleware, no database)
    served by the web tier's server and configuration, with as many workers as the whole tier."""
    if not stack.bench:
        return
    env = app_env(stack) | {
        "DJANGO_SETTINGS_MODULE": "config.settings.bare",
        "WEB_CONCURRENCY": str(stack.web_workers * len(stack.ports.web)),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    stop(stack, "bare")  # same server and configuration as the web tier: replaced with it
    bind = f"127.0.0.1:{stack.ports.bare}"
    spawn(stack, "bare", web_server_argv(stack.web_server, "config.wsgi", bind, env), env, BACKEND)
    wait_port(stack.ports.bare, f"the bare {stack.web_server}")
    say(f"bare baseline {stack.web_server} on {bind} (/__bench/bare through nginx)")


def bare_location(stack: Stack, conf: str) -> str:
    """Route /__bench/bare to the bare gunicorn in the TLS server block (keepalive upstream like
    the web tier's), so the baseline crosses the same nginx server as every scenario."""
    if not stack.bench:
        return conf
    proxy = ROOT / "deploy" / "nginx" / "booking_proxy.conf"
    upstream = (
        f"upstream booking_bare {{\n    server 127.0.0.1:{stack.ports.bare};\n"
        "    keepalive 32;\n}\n\n"
    )
    location = (
        "    location = /__bench/bare {\n        proxy_pass http://booking_bare;\n"
        f"        include {proxy};\n    }}\n\n"
    )
    at = conf.rfind("    location / {")  # the last catch-all is the TLS server's
    return upstream + conf[:at] + location + conf[at:]


# Restart a process that dies on its own, as ECS or a compose restart policy would (the Celery
# worker can exit on a broker connection lost at the wrong moment); a stop signal ends it.
_SUPERVISE = [
    "sh", "-c",
    'while :; do "$@"; code=$?; [ $code -eq 0 ] || [ $code -ge 128 ] && exit $code; sleep 1; done',
    "supervise",
]  # fmt: skip


def celery_up(stack: Stack) -> None:
    celery = str(VENV_BIN / "celery")
    for name in ("worker", "beat"):
        # Replaced like the web tier: one code version in every process (a worker that does not
        # know a new task name would drop its messages until the sweep re-sends them).
        # SIGTERM is Celery's warm shutdown; unacknowledged tasks go back to the queue.
        stop(stack, name)
    spawn(
        stack,
        "worker",
        [
            *_SUPERVISE,
            celery,
            "-A",
            "config",
            "worker",
            "-Q",
            "default,notifications",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
        ],
        app_env(stack),
        BACKEND,
    )
    spawn(
        stack,
        "beat",
        [
            *_SUPERVISE,
            celery,
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(stack.run / "celerybeat-schedule"),
        ],
        app_env(stack),
        BACKEND,
    )
    say("Celery worker and beat started")


def nginx_up(stack: Stack) -> None:
    conf_dir = stack.dir / "nginx"
    conf_dir.mkdir(parents=True, exist_ok=True)
    _certificate(conf_dir)
    template = Template((ROOT / "deploy" / "nginx" / "booking.conf.template").read_text())
    (conf_dir / "booking.conf").write_text(
        bare_location(
            stack,
            template.safe_substitute(
                NGINX_UPSTREAM_SERVERS=" ".join(
                    f"server 127.0.0.1:{port};" for port in stack.ports.web
                ),
                NGINX_HTTP_PORT=stack.ports.http,
                NGINX_HTTPS_PORT=stack.ports.https,
                NGINX_CERT=conf_dir / "tls.crt",
                NGINX_KEY=conf_dir / "tls.key",
                NGINX_PROXY_CONF=ROOT / "deploy" / "nginx" / "booking_proxy.conf",
                NGINX_LOGIN_RATE=os.environ.get("STACK_NGINX_AUTH_RATE") or "10r/s",
                NGINX_BOOKING_RATE=os.environ.get("STACK_NGINX_BOOKING_RATE") or "20r/s",
                NGINX_LOGIN_BURST=os.environ.get("STACK_NGINX_AUTH_BURST") or "20",
                NGINX_BOOKING_BURST=os.environ.get("STACK_NGINX_BOOKING_BURST") or "40",
            ),
        )
    )
    (conf_dir / "nginx.conf").write_text(_nginx_main_conf(stack, conf_dir))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    run(nginx, "-t", "-q", "-c", conf_dir / "nginx.conf", "-p", conf_dir)
    if alive(stack, "nginx"):
        run(nginx, "-c", conf_dir / "nginx.conf", "-p", conf_dir, "-s", "reload")
    else:
        run(nginx, "-c", conf_dir / "nginx.conf", "-p", conf_dir)
    wait_port(stack.ports.https, "nginx")
    say(
        f"nginx on https://127.0.0.1:{stack.ports.https}"
        f" (http://127.0.0.1:{stack.ports.http} redirects)"
    )


def _certificate(conf_dir: Path) -> None:
    if (conf_dir / "tls.crt").exists():
        return
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "365",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout",
        conf_dir / "tls.key",
        "-out",
        conf_dir / "tls.crt",
    )


def _nginx_main_conf(stack: Stack, conf_dir: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 2;
pid {stack.pidfile("nginx")};
error_log {stack.log("nginx-error")} warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log {stack.log("nginx-access")};
    client_body_temp_path {conf_dir}/tmp-body;
    proxy_temp_path {conf_dir}/tmp-proxy;
    fastcgi_temp_path {conf_dir}/tmp-fastcgi;
    uwsgi_temp_path {conf_dir}/tmp-uwsgi;
    scgi_temp_path {conf_dir}/tmp-scgi;
    server_tokens off;
    include {conf_dir}/booking.conf;
}}
"""


def ensure_packages() -> None:
    missing = [
        pkg
        for pkg, binary in (("nginx", "nginx"), ("redis-server", "redis-server"))
        if not (shutil.which(binary) or Path(f"/usr/sbin/{binary}").exists())
    ]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"stack: missing {', '.join(missing)}; install them with apt-get")
    say(f"installing {', '.join(missing)}")
    run("apt-get", "update", "-qq")
    run(
        "apt-get",
        "install",
        "-y",
        "-qq",
        "--no-install-recommends",
        *missing,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    # Debian starts the packaged services; ours run on their own ports and files.
    subprocess.run(["service", "nginx", "stop"], capture_output=True, check=False)


# ---------------------------------------------------------------------------------- verbs


def up(stack: Stack) -> None:
    started = time.monotonic()
    ensure_packages()
    for directory in (
        stack.dir,
        stack.logs,
        stack.run,
        stack.dir / "app",
        stack.dir / "prometheus",
    ):
        directory.mkdir(parents=True, exist_ok=True)
    postgres_up(stack)
    redis_up(stack)
    s3_up(stack)
    app_prepare(stack)
    web_up(stack)
    bare_up(stack)
    celery_up(stack)
    nginx_up(stack)
    say(f"up in {time.monotonic() - started:.1f}s")
    print(json.dumps(summary(stack), indent=2))


def down(stack: Stack) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if alive(stack, "nginx"):
        subprocess.run(
            [
                nginx,
                "-c",
                str(stack.dir / "nginx" / "nginx.conf"),
                "-p",
                str(stack.dir / "nginx"),
                "-s",
                "quit",
            ],
            capture_output=True,
            check=False,
        )
        _wait_gone(stack, "nginx")
    for name in ("beat", "worker", "web1", "web2", "bare", "s3", "redis"):
        stop(stack, name)
    postgres_down(stack)
    left = [name for name in (*PROCESSES, "bare") if alive(stack, name)]
    if left:
        raise SystemExit(f"stack: still running: {', '.join(left)}")
    say("down")


def _wait_gone(stack: Stack, name: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while alive(stack, name) and time.monotonic() < deadline:
        time.sleep(0.1)
    stack.pidfile(name).unlink(missing_ok=True)


PROCESSES = ("nginx", "beat", "worker", "web1", "web2", "s3", "redis")


def summary(stack: Stack) -> dict[str, object]:
    p = stack.ports
    return {
        "url": f"https://127.0.0.1:{p.https}",
        "http_redirect": f"http://127.0.0.1:{p.http}",
        "api_docs": f"https://127.0.0.1:{p.https}/api/docs/",
        "web": [f"http://127.0.0.1:{port}" for port in p.web],
        "postgres_primary": f"postgres://postgres@127.0.0.1:{p.primary}/booking",
        "postgres_replica": f"postgres://postgres@127.0.0.1:{p.replica}/booking",
        "redis": f"redis://127.0.0.1:{p.redis}",
        "s3": f"http://127.0.0.1:{p.s3}",
        "logs": str(stack.logs),
        "running": {name: alive(stack, name) for name in PROCESSES},
        "env_file": str(write_env_file(stack)),
    }


def write_env_file(stack: Stack) -> Path:
    """The app's environment, for running manage.py or a benchmark against the stack."""
    env = app_env(stack)
    keys = sorted(
        k
        for k in env
        if k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "AWS_", "PROMETHEUS_"))
    )
    path = stack.dir / "app.env"
    path.write_text("".join(f"{key}={env[key]}\n" for key in keys))
    return path


def replica_stop(stack: Stack) -> None:
    data = stack.pg_dir / "replica"
    run(pg_bin() / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop", user="postgres")


def redis_stop(stack: Stack) -> None:
    stop(stack, "redis")


# Single components, for failure drills: `stack.py stop replica`, `stack.py start redis`.
COMPONENTS = {
    "replica": (
        lambda stack: _pg_start(stack, "replica", stack.pg_dir / "replica", stack.ports.replica),
        replica_stop,
    ),
    "redis": (redis_up, redis_stop),
}


def main() -> None:
    verb, *rest = sys.argv[1:] or ["status"]
    stack = Stack()
    if verb in ("start", "stop") and rest and rest[0] in COMPONENTS:
        start, halt = COMPONENTS[rest[0]]
        (start if verb == "start" else halt)(stack)
    elif verb == "up":
        up(stack)
    elif verb == "down":
        down(stack)
    elif verb == "status":
        print(json.dumps(summary(stack), indent=2))
    else:
        raise SystemExit("usage: stack.py up | down | status | start|stop replica|redis")


if __name__ == "__main__":
    main()
