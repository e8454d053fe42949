"""Real processes for the fault tests: a private Redis, private PostgreSQL clusters, Celery
workers and beat, each started on a free port or in a temporary directory and ended by its own
process id or group. The shared PostgreSQL and Redis of the machine are never stopped or touched.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.25, message: str = "condition"):
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds (a
    generous bound for completion, not a performance limit)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {message}")


class PrivateRedis:
    """A throw-away redis-server on a free port, without persistence, that a test may kill."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=30, message="the private redis-server")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class PrivatePostgres:
    """A private PostgreSQL cluster (initdb + pg_ctl as the postgres OS user when run as root) on
    a free port, which a test may restart under a worker."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.data = directory / "data"
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.directory / "log"),
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


class CeleryProcess:
    """`celery worker` (prefork, so each task runs in a child) or `celery beat`, with its own
    process group so that a test can end it and its children by that id."""

    def __init__(self, arguments: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self.log: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "advocacy_portal", *arguments],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        with open(self.log_path, "a") as out:
            for line in self.process.stdout:  # type: ignore[union-attr]
                self.log.append(line)
                out.write(line)
                out.flush()
                if " ready." in line or "beat: Starting" in line:
                    self.ready.set()

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float = 120) -> None:
        if not self.ready.wait(timeout):
            self.end()
            raise AssertionError("celery did not start:\n" + "".join(self.log[-40:]))

    def kill_main(self) -> None:
        """SIGKILL the main process only (its children are left as a real crash leaves them)."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def end(self) -> None:
        """End the process group this object started (main process and any orphaned children)."""
        try:
            os.killpg(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)


def worker(env: dict[str, str], log_path: Path, *, concurrency: int = 1, name: str = "fault") -> CeleryProcess:
    return CeleryProcess(
        [
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(concurrency),
            "--queues",
            "default,scores,reports",
            "--loglevel",
            "INFO",
            "--hostname",
            f"{name}-{os.getpid()}-{time.monotonic_ns()}@%h",
            "--without-mingle",
            "--without-gossip",
        ],
        env,
        log_path,
    )


def beat(env: dict[str, str], directory: Path) -> CeleryProcess:
    return CeleryProcess(
        [
            "beat",
            "--scheduler",
            "celery.beat:PersistentScheduler",
            "--schedule",
            str(directory / "beat-schedule"),
            "--loglevel",
            "INFO",
        ],
        env,
        directory / "beat.log",
    )
