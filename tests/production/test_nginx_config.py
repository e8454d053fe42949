"""The repository's nginx and PgBouncer configurations agree with the portal's settings."""

import re
import subprocess
from pathlib import Path

from django.conf import settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _nginx_size_bytes(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit.lower()]


def test_it_accepts_exactly_the_uploads_the_portal_accepts():
    conf = (DEPLOY / "nginx" / "advocacy-portal.conf.template").read_text()
    limit = _nginx_size_bytes(re.search(r"client_max_body_size (\S+);", conf).group(1))
    assert limit == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert limit > settings.CREDENTIAL_EVIDENCE_MAX_BYTES
    assert limit > settings.ACTIVITY_IMPORT_MAX_BYTES


def test_the_private_location_is_internal_and_where_django_points():
    conf = (DEPLOY / "nginx" / "advocacy-portal.conf.template").read_text()
    block = re.search(r"location /_private/ \{(.*?)\}", conf, re.S).group(1)
    assert "internal;" in block
    assert settings.PRIVATE_FILES_NGINX_LOCATION == "/_private/"


def test_render_config_substitutes_the_template_and_leaves_nginx_variables(tmp_path):
    template = tmp_path / "site.conf.template"
    template.write_text("listen ${PORTAL_HTTPS_PORT};\nproxy_set_header X-Real-IP $remote_addr;\n")
    rendered = subprocess.run(
        [DEPLOY / "render-config", template], env={"PORTAL_HTTPS_PORT": "8443"}, capture_output=True, text=True
    )
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout == "listen 8443;\nproxy_set_header X-Real-IP $remote_addr;\n"


def test_render_config_refuses_a_missing_variable(tmp_path):
    template = tmp_path / "site.conf.template"
    template.write_text("listen ${PORTAL_HTTPS_PORT};\n")
    rendered = subprocess.run([DEPLOY / "render-config", template], env={}, capture_output=True, text=True)
    assert rendered.returncode == 1
    assert "needs PORTAL_HTTPS_PORT" in rendered.stderr


def test_pgbouncer_pools_transactions():
    conf = (DEPLOY / "pgbouncer" / "pgbouncer.ini.template").read_text()
    assert re.search(r"^pool_mode = transaction$", conf, re.M)
