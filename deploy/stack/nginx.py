"""The stack's edge: nginx with TLS in front of the web replicas (and the bench baseline)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from string import Template

from deploy.stack.config import ROOT, Stack, setting
from deploy.stack.processes import alive, run, say, wait_gone, wait_port

PROXY_CONF = ROOT / "deploy" / "nginx" / "booking_proxy.conf"


def _binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def site_conf(stack: Stack, conf_dir: Path, drained: frozenset[int] = frozenset()) -> str:
    """booking.conf for this stack; replicas on `drained` ports get no new requests."""
    template = Template((ROOT / "deploy" / "nginx" / "booking.conf.template").read_text())
    upstreams = " ".join(
        f"server 127.0.0.1:{port}{' down' if port in drained else ''};" for port in stack.ports.web
    )
    conf = template.safe_substitute(
        NGINX_UPSTREAM_SERVERS=upstreams,
        NGINX_HTTP_PORT=stack.ports.http,
        NGINX_HTTPS_PORT=stack.ports.https,
        NGINX_CERT=conf_dir / "tls.crt",
        NGINX_KEY=conf_dir / "tls.key",
        NGINX_PROXY_CONF=PROXY_CONF,
        NGINX_HEADERS_CONF=ROOT / "deploy" / "nginx" / "booking_headers.conf",
        NGINX_WEB_APP_ROOT=ROOT / "frontend" / "dist",
        NGINX_LOGIN_RATE=setting("STACK_NGINX_AUTH_RATE", "10r/s"),
        NGINX_BOOKING_RATE=setting("STACK_NGINX_BOOKING_RATE", "20r/s"),
        NGINX_LOGIN_BURST=setting("STACK_NGINX_AUTH_BURST", "20"),
        NGINX_BOOKING_BURST=setting("STACK_NGINX_BOOKING_BURST", "40"),
    )
    return bare_location(stack, conf)


def nginx_up(stack: Stack, drained: frozenset[int] = frozenset()) -> None:
    """Start nginx, or reload it (gracefully: old workers finish what they have begun)."""
    conf_dir = stack.dir / "nginx"
    conf_dir.mkdir(parents=True, exist_ok=True)
    _certificate(conf_dir)
    _write_atomically(conf_dir / "booking.conf", site_conf(stack, conf_dir, drained))
    _write_atomically(conf_dir / "nginx.conf", _main_conf(stack, conf_dir))
    nginx = _binary()
    run(nginx, "-t", "-q", "-c", conf_dir / "nginx.conf", "-p", conf_dir)
    if alive(stack, "nginx"):
        run(nginx, "-c", conf_dir / "nginx.conf", "-p", conf_dir, "-s", "reload")
        return
    run(nginx, "-c", conf_dir / "nginx.conf", "-p", conf_dir)
    wait_port(stack.ports.https, "nginx")
    say(f"nginx on {stack.url()} (http://127.0.0.1:{stack.ports.http} redirects)")


def _write_atomically(path: Path, text: str) -> None:
    """A reload makes the master read the files after the signal: it must never see half of
    one (a rollout rewrites them seconds apart), so each is replaced whole."""
    draft = path.with_suffix(".draft")
    draft.write_text(text)
    os.replace(draft, path)


def nginx_down(stack: Stack) -> None:
    if not alive(stack, "nginx"):
        return
    conf_dir = stack.dir / "nginx"
    subprocess.run(
        [_binary(), "-c", str(conf_dir / "nginx.conf"), "-p", str(conf_dir), "-s", "quit"],
        capture_output=True,
        check=False,
    )
    wait_gone(stack, "nginx")


def bare_location(stack: Stack, conf: str) -> str:
    """Route /__bench/bare to the bare server in the TLS server block (keepalive upstream like
    the web tier's), so the baseline crosses the same nginx server as every scenario."""
    if not stack.bench:
        return conf
    upstream = (
        f"upstream booking_bare {{\n    server 127.0.0.1:{stack.ports.bare};\n"
        "    keepalive 32;\n}\n\n"
    )
    location = (
        "    location = /__bench/bare {\n        proxy_pass http://booking_bare;\n"
        f"        include {PROXY_CONF};\n    }}\n\n"
    )
    at = conf.rfind("    location / {")  # the last catch-all is the TLS server's
    return upstream + conf[:at] + location + conf[at:]


def _certificate(conf_dir: Path) -> None:
    """A self-signed certificate for localhost (ECDSA P-256, as the edge would use)."""
    if (conf_dir / "tls.crt").exists():
        return
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-days", "365", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout", conf_dir / "tls.key", "-out", conf_dir / "tls.crt")  # fmt: skip


def _main_conf(stack: Stack, conf_dir: Path) -> str:
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
