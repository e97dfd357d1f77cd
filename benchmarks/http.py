"""`make bench-http`: the app under gunicorn as production runs it, against bare Django.

Serves the app (`mpro.wsgi`, settings from the environment, DEBUG=0) and a bare Django JSON view
(`benchmarks.bare`) under the same gunicorn options on 127.0.0.1, drives each endpoint with wrk
(Debian package `wrk`) at a fixed number of connections for a fixed time, and reports req/s,
p50, p99, errors and the share of bare Django's req/s measured in the same run (before and after
the endpoints; their mean is the reference). Ratios are what count on a shared machine: absolute
figures move with the load of the neighbours.

Uses the bench database of `make bench` (seeding the fleets it needs when they are missing) and
tokens and sessions it creates for the run and deletes afterwards. Loads are bounded: one endpoint
at a time, loopback only, `duration` seconds each after a short warm-up."""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

BASE_DIR = Path(__file__).resolve().parent.parent
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
# No access log (it would cost both alike). Workers and their class come from gunicorn.conf.py
# (WEB_WORKERS, WEB_THREADS), as production runs them; `--workers` / `--threads` override both.
GUNICORN_OPTIONS = ["--log-level", "warning"]


def gunicorn_options(workers: int | None = None, threads: int | None = None) -> list[str]:
    options = list(GUNICORN_OPTIONS)
    if workers:
        options += ["--workers", str(workers)]
    if threads:
        options += ["--threads", str(threads)]
    return options


API_TARGET = (15.0, 50.0)  # share of bare req/s (%), p99 (ms)
PAGE_TARGET = (8.0, 100.0)


@dataclass
class Endpoint:
    label: str
    path: str
    target: tuple[float, float]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Measure:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    detail: dict

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(NoRedirect)


def _get(url: str, headers: dict[str, str]) -> tuple[int, int]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, len(error.read())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn on a free loopback port, stopped (SIGTERM, then waited for) by `stop()`."""

    def __init__(self, app: str, env: dict[str, str], options: list[str]):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(command + options, cwd=BASE_DIR, env=env)

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                _get(self.base + path, {})
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wrk_available() -> str | None:
    return shutil.which("wrk")


def _wrk(url: str, headers: dict[str, str], *, seconds: float, connections: int) -> Measure:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",  # wrk reads whole seconds ("5.0s" is an error)
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Measure(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        errors=errors,
        detail=raw,
    )


def _server_env() -> dict[str, str]:
    """Production settings from the environment, plain HTTP on loopback, budgets out of the way
    (the throttles still run and cost what they cost; they just never refuse the load)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="mpro.settings",
        DEBUG="0",
        SECRET_KEY=settings.SECRET_KEY,  # the sessions made here must verify there
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=os.environ["DATABASE_URL"],
        REDIS_URL=settings.REDIS_URL,
        API_THROTTLE_USER="100000000/min",
        API_THROTTLE_ANON="100000000/min",
        RETAIL_SEARCH_THROTTLE="100000000/min",
        LOG_LEVEL="WARNING",
    )
    return env


def _collectstatic(env: dict[str, str]) -> None:
    # DEBUG=0 serves hashed static names from a manifest: build it as the Dockerfile does.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True
    )


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _exists(path: str) -> bool:
    try:
        resolve(path.split("?", 1)[0])
        return True
    except Resolver404:
        return False


def _endpoints(stdout, cleanup: list) -> tuple[list[Endpoint], list[str]]:
    """Seeds what is missing, issues tokens and sessions, and lists the endpoints to drive."""
    from benchmarks import connected, packs, retail, vehicles
    from packs.models import Pack, Subscription
    from users.models import ApiToken

    fleet_company, manager = vehicles._seed()
    packs_company, admin = packs._seed()
    if not Subscription.objects.for_company(packs_company).exists():
        stdout.write("  seeding the packs fleet's subscriptions ...")
        packs._reset(packs_company)
        packs._fill_fleet(packs_company, Pack.objects.get(code="connect-complete"), skip=set())
    staff = retail._seed(stdout)
    connected_manager = connected.seed(stdout)

    manager_token, manager_secret = ApiToken.issue(user=manager, name="bench-http")
    admin_token, admin_secret = ApiToken.issue(user=admin, name="bench-http")
    fleet_token, fleet_secret = ApiToken.issue(user=connected_manager, name="bench-http")
    cleanup += [manager_token.delete, admin_token.delete, fleet_token.delete]
    as_manager = {"Authorization": f"Token {manager_secret}"}
    as_admin = {"Authorization": f"Token {admin_secret}"}
    as_fleet = {"Authorization": f"Token {fleet_secret}"}
    manager_page = {"Cookie": _session_cookie(manager)}
    admin_page = {"Cookie": _session_cookie(admin)}
    staff_page = {"Cookie": _session_cookie(staff.user)}

    wanted = [
        # No query (token and tenancy come from the cache): what any authenticated API call costs
        # before it reads data, the floor of every API row below.
        Endpoint(
            "GET /api/v1/company (no query: the API's floor)", "/api/v1/company", API_TARGET, as_manager
        ),
        Endpoint("GET /api/v1/vehicles (50 of 50,000)", "/api/v1/vehicles", API_TARGET, as_manager),
        Endpoint("GET /api/v1/subscriptions (50 of 20,000)", "/api/v1/subscriptions", API_TARGET, as_admin),
        Endpoint(
            "GET /api/v1/fleet/status (100 of 50,000 vans)", "/api/v1/fleet/status", API_TARGET, as_fleet
        ),
        Endpoint("GET /api/v1/trips (50 of 100,000 trips)", "/api/v1/trips", API_TARGET, as_fleet),
        Endpoint("fleet overview page (50 of 50,000)", "/vehicles/", PAGE_TARGET, manager_page),
        Endpoint("dashboard (20,000 subscriptions)", "/dashboard/", PAGE_TARGET, admin_page),
        Endpoint(
            "Retail search by PRO ID (100,000 companies)",
            f"/retail/companies/?pro_id={retail._pro_id(12345)}",
            PAGE_TARGET,
            staff_page,
        ),
    ]
    present, notes = [], []
    for endpoint in wanted:
        if _exists(endpoint.path):
            present.append(endpoint)
        else:
            notes.append(f"{endpoint.path}: not on this branch yet, skipped")
    return present, notes


def run(
    stdout,
    *,
    seconds: float = 10,
    connections: int = 16,
    warmup: float = 2,
    only: str = "",
    workers: int | None = None,
    threads: int | None = None,
) -> tuple[list, dict]:
    """Rows (endpoint, req/s, p50 ms, p99 ms, errors, % of bare, target) and the raw figures.
    `only`: drive just the endpoints whose path contains it (bare Django always runs)."""
    if not wrk_available():
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    cleanup: list = []
    servers: list[Server] = []
    options = gunicorn_options(workers, threads)
    try:
        endpoints, notes = _endpoints(stdout, cleanup)
        endpoints = [e for e in endpoints if only in e.path]
        metrics_dir = tempfile.mkdtemp(prefix="mpro-bench-metrics-")
        cleanup.append(lambda: shutil.rmtree(metrics_dir, ignore_errors=True))
        env = _server_env()
        _collectstatic(env)
        bare_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
        bare = Server("benchmarks.bare:application", bare_env, options)
        # As docker-compose runs the web: gunicorn.conf.py (read from the working directory by
        # both servers) and prometheus_client's multiprocess directory for /metrics.
        app = Server("mpro.wsgi:application", {**env, "PROMETHEUS_MULTIPROC_DIR": metrics_dir}, options)
        servers += [bare, app]
        bare.wait_ready("/ping")
        app.wait_ready("/help/")

        def drive(server: Server, path: str, headers: dict[str, str]) -> Measure:
            status, size = _get(server.base + path, headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}, not 200: check the bench's credentials")
            _wrk(server.base + path, headers, seconds=warmup, connections=connections)
            measure = _wrk(server.base + path, headers, seconds=seconds, connections=connections)
            measure.detail["bytes"] = size
            return measure

        stdout.write(f"  bare Django ({seconds:.0f} s, {connections} connections) ...")
        bare_before = drive(bare, "/ping", {})
        results = []
        for endpoint in endpoints:
            stdout.write(f"  {endpoint.label} ...")
            results.append((endpoint, drive(app, endpoint.path, endpoint.headers)))
        bare_after = drive(bare, "/ping", {})
    finally:
        for server in servers:
            server.stop()
        for call in cleanup:
            call()

    document_options = {"options": options, "WEB_WORKERS": os.environ.get("WEB_WORKERS", "")}
    return _report(
        bare_before,
        bare_after,
        results,
        notes,
        seconds=seconds,
        connections=connections,
        gunicorn=document_options,
    )


def _report(bare_before, bare_after, results, notes, *, seconds, connections, gunicorn) -> tuple[list, dict]:
    """The table's rows and the JSON document, each endpoint as a share of bare Django's rate (the
    mean of the runs before and after)."""
    reference = statistics.mean([bare_before.rate, bare_after.rate])
    rows = [
        (
            "bare Django JSON view (before / after)",
            f"{bare_before.rate:.0f} / {bare_after.rate:.0f}",
            f"{bare_before.p50_ms:.1f}",
            f"{bare_before.p99_ms:.1f}",
            bare_before.errors + bare_after.errors,
            "100 %",
            "",
        )
    ]
    for endpoint, measure in results:
        share, p99 = endpoint.target
        rows.append(
            (
                endpoint.label,
                f"{measure.rate:.0f}",
                f"{measure.p50_ms:.1f}",
                f"{measure.p99_ms:.1f}",
                measure.errors,
                f"{100 * measure.rate / reference:.1f} %",
                f">= {share:.0f} %, p99 <= {p99:.0f} ms",
            )
        )
    document = {
        "connections": connections,
        "seconds": seconds,
        "gunicorn": gunicorn,
        "bare_rps": [bare_before.rate, bare_after.rate],
        "endpoints": [
            {
                "label": endpoint.label,
                "path": endpoint.path,
                "rps": measure.rate,
                "share_of_bare": measure.rate / reference,
                "p50_ms": measure.p50_ms,
                "p99_ms": measure.p99_ms,
                "errors": measure.errors,
                "wrk": measure.detail,
            }
            for endpoint, measure in results
        ],
        "notes": notes,
    }
    return rows, document
