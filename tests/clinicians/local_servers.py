"""Real HTTP servers on 127.0.0.1 standing in for the platforms in the proof tests.

- `LocalOpenIDProvider`: a small OpenID Connect provider (discovery document, authorize redirect
  with PKCE, token endpoint with client authentication, userinfo, RS256 id tokens and their JWKS),
  enough for django-allauth's `openid_connect` provider to run its real code exchange.
- `LocalSite`: serves fixed responses by path (Bluesky AppView, a Mastodon instance, a website),
  editable while it runs, so a test can remove a code and see the proof lapse.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

FIXTURES = Path(__file__).parent / "platform_fixtures"


def platform_fixture(name: str, **replacements: str) -> dict:
    """A documented response shape from platform_fixtures/, with {placeholders} filled in."""
    text = (FIXTURES / name).read_text()
    for key, value in replacements.items():
        text = text.replace("{" + key + "}", value)
    return json.loads(text)


class _Server:
    def __init__(self, handler_class):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, data, status: int = 200):
        self._send(status, json.dumps(data).encode())


class LocalSite(_Server):
    """Answers GET <path> (query ignored) from `routes`: path -> (status, content type, body)."""

    def __init__(self):
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[str] = []
        super().__init__(_SiteHandler)

    def json(self, path: str, data: dict, status: int = 200) -> None:
        self.routes[path] = (status, "application/json", json.dumps(data).encode())

    def html(self, path: str, text: str, status: int = 200) -> None:
        self.routes[path] = (status, "text/html; charset=utf-8", text.encode())


class _SiteHandler(_Handler):
    def do_GET(self):
        site = self.server.owner
        site.requests.append(self.path)
        status, content_type, body = site.routes.get(urlsplit(self.path).path, (404, "text/plain", b"not found"))
        self._send(status, body, content_type)


class LocalOpenIDProvider(_Server):
    """Signs in whoever `user` is (a dict of claims with at least "sub") without a login page."""

    def __init__(self, *, client_id: str = "portal-client", client_secret: str = "portal-secret"):  # noqa: S107
        self.client_id = client_id
        self.client_secret = client_secret
        self.user: dict = {"sub": "1001", "preferred_username": "drjane", "name": "Jane Example"}
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        super().__init__(_OpenIDHandler)

    def discovery(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email"],
        }

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [jwk | {"kid": "test-key", "use": "sig", "alg": "RS256"}]}

    def id_token(self, claims: dict, nonce: str | None) -> str:
        now = int(time.time())
        payload = {"iss": self.url, "aud": self.client_id, "iat": now, "exp": now + 300, **claims}
        if nonce:
            payload["nonce"] = nonce
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": "test-key"})


class _OpenIDHandler(_Handler):
    def do_GET(self):
        provider = self.server.owner
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        if parts.path == "/.well-known/openid-configuration":
            return self._json(provider.discovery())
        if parts.path == "/jwks":
            return self._json(provider.jwks())
        if parts.path == "/authorize":
            if query.get("client_id") != provider.client_id or query.get("response_type") != "code":
                return self._json({"error": "invalid_request"}, 400)
            code = secrets.token_urlsafe(16)
            provider.codes[code] = {
                "redirect_uri": query["redirect_uri"],
                "challenge": query.get("code_challenge"),
                "nonce": query.get("nonce"),
                "user": dict(provider.user),
            }
            target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
            return self._send(302, headers={"Location": target})
        if parts.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if token not in provider.tokens:
                return self._json({"error": "invalid_token"}, 401)
            return self._json(provider.tokens[token])
        return self._json({"error": "not_found"}, 404)

    def do_POST(self):
        provider = self.server.owner
        if urlsplit(self.path).path != "/token":
            return self._json({"error": "not_found"}, 404)
        length = int(self.headers.get("Content-Length", 0))
        form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
        provider.token_requests.append(form)
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if self.headers.get("Authorization", "").startswith("Basic "):
            decoded = base64.b64decode(self.headers["Authorization"][6:]).decode()
            client_id, _, secret = decoded.partition(":")
        if (client_id, secret) != (provider.client_id, provider.client_secret):
            return self._json({"error": "invalid_client"}, 401)
        grant = provider.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("grant_type") != "authorization_code":
            return self._json({"error": "invalid_grant"}, 400)
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._json({"error": "invalid_grant", "error_description": "redirect_uri"}, 400)
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if digest != grant["challenge"]:
                return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        access_token = secrets.token_urlsafe(24)
        provider.tokens[access_token] = grant["user"]
        return self._json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": provider.id_token(grant["user"], grant["nonce"]),
            }
        )
