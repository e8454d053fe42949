"""Fixtures for the clinicians tests: a fake NPPES registry on 127.0.0.1 and private storage in tmp."""

import copy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

SAMPLE_PATH = Path(__file__).parent / "nppes-sample.json"


def registry_sample() -> dict:
    """The made-up registry answer (Jane Example, IL, Internal Medicine, Gastroenterology)."""
    return copy.deepcopy(json.loads(SAMPLE_PATH.read_text()))


class FakeRegistry:
    """A real HTTP server answering /api/?number=... with the answer chosen for that number."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, dict | str]] = {}
        self.requests: list[dict] = []
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                query = parse_qs(urlparse(self.path).query)
                registry.requests.append(query)
                number = query.get("number", [""])[0]
                status, body = registry.answers.get(number, (200, {"result_count": 0, "results": []}))
                payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, number: str, body: dict | str, status: int = 200) -> None:
        self.answers[number] = (status, body)


@pytest.fixture
def fake_registry(settings):
    registry = FakeRegistry()
    registry.thread.start()
    settings.NPPES_BASE_URL = registry.url
    settings.NPPES_TIMEOUT_SECONDS = 2
    yield registry
    registry.server.shutdown()
    registry.server.server_close()


@pytest.fixture
def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: the registry is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch) -> Path:
    """Each test writes evidence into its own directory, so "nothing was written" can be checked.

    The FileField resolved its storage once at import; point that instance at the directory."""
    from clinicians.models import Credential

    root = tmp_path / "private"
    root.mkdir()
    storage = Credential._meta.get_field("evidence").storage
    monkeypatch.setattr(storage, "_location", str(root))
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)
    yield root
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]
