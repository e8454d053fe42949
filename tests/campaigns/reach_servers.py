"""A real HTTP server on 127.0.0.1 standing in for a platform's API in the imported-reach tests.

Answers GET <path> from queued answers (so a test can make it refuse with 429 first) or from a
standing answer, and records every request with its query.
"""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.clinicians.local_servers import _Handler, _Server

FIXTURES = Path(__file__).parent / "platform_fixtures"


def platform_fixture(name: str, **replacements) -> object:
    """A documented response shape from platform_fixtures/ (each names the API version it follows)."""
    text = (FIXTURES / name).read_text()
    for key, value in replacements.items():
        text = text.replace("{" + key + "}", str(value))
    return json.loads(text)


class PlatformAPI(_Server):
    def __init__(self):
        self.standing: dict[str, tuple[int, dict, bytes]] = {}
        self.queued: dict[str, list[tuple[int, dict, bytes]]] = {}
        self.requests: list[tuple[str, dict]] = []
        super().__init__(_PlatformHandler)

    def answer(self, path: str, data, status: int = 200, headers: dict | None = None) -> None:
        self.standing[path] = (status, headers or {}, json.dumps(data).encode())

    def answer_once(self, path: str, data, status: int = 200, headers: dict | None = None) -> None:
        self.queued.setdefault(path, []).append((status, headers or {}, json.dumps(data).encode()))


class _PlatformHandler(_Handler):
    def do_GET(self):
        api = self.server.owner
        parts = urlsplit(self.path)
        api.requests.append((parts.path, {key: values[0] for key, values in parse_qs(parts.query).items()}))
        queue = api.queued.get(parts.path)
        if queue:
            status, headers, body = queue.pop(0)
        else:
            status, headers, body = api.standing.get(parts.path, (404, {}, b'{"error": "NotFound"}'))
        self._send(status, body, headers=headers)
