"""Production static files: collectstatic with WhiteNoise's manifest storage must succeed (a vendored
file that points at a missing source map breaks it), and nothing is loaded from a CDN."""

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_collectstatic_with_the_manifest_storage_succeeds(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_templates_load_no_asset_from_another_host():
    pattern = re.compile(r"""(?:src|href)=["']https?://""")
    offenders = [
        str(path.relative_to(ROOT))
        for path in Path(ROOT, "templates").rglob("*.html")
        if "email" not in path.parts[-2] and pattern.search(path.read_text())
    ]
    assert offenders == []
