"""Real services the outbox and email fault tests stop and start: a private redis-server, a local
SMTP server (aiosmtpd), a `celery worker` and an `outbox_relay` subprocess, and a broker nobody
listens on. Nothing here touches the shared Redis or PostgreSQL."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings

from tests.celery_conf import celery_conf, worker_argv

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound and released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def celery_broker(url: str) -> Iterator[str]:
    """Publish for real (not eagerly) to this broker URL while the block runs. Celery reads the
    CELERY_BROKER_URL environment variable before its configuration, so both are switched."""
    previous = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    try:
        with celery_conf(broker_url=url, task_always_eager=False):
            yield url
    finally:
        if previous is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = previous


@contextlib.contextmanager
def broker_unreachable() -> Iterator[str]:
    """Publish for real (not eagerly) to a Redis broker URL where nothing listens."""
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0") as url:
        yield url


class SmtpServer:
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives; stop() and start()
    keep the same port, as a restarted mail server would."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[Message] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


class RedisServer:
    """A private redis-server on a free port (no persistence), stoppable and restartable on it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="outbox-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not _port_open(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("private redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def database_url() -> str:
    """The test database, for subprocesses (the same one the test writes to)."""
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class ManagedProcess:
    """A subprocess whose output is kept (for the failure message) and which is ended by its pid."""

    def __init__(self, args: list[str], env: dict[str, str], ready_marker: str) -> None:
        self.args, self.env, self.ready_marker = args, env, ready_marker
        self.log: list[str] = []
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> None:
        self.process = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        ready = threading.Event()

        def pump(stream) -> None:
            for line in stream:
                self.log.append(line)
                if self.ready_marker in line:
                    ready.set()

        threading.Thread(target=pump, args=(self.process.stdout,), daemon=True).start()
        if not ready.wait(timeout):
            self.stop()
            raise RuntimeError(f"{self.args[:4]} did not start:\n" + "".join(self.log[-40:]))

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def service_env(*, broker_url: str, cache_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": cache_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_CONN_MAX_AGE": "0",
        **extra,
    }


def celery_worker(env: dict[str, str]) -> ManagedProcess:
    return ManagedProcess(worker_argv(hostname=f"outbox-fault-{os.getpid()}@%h"), env, ready_marker=" ready.")


def outbox_relay(env: dict[str, str]) -> ManagedProcess:
    return ManagedProcess(
        [sys.executable, "manage.py", "outbox_relay", "--interval", "0.5"], env, ready_marker="outbox relay started"
    )
