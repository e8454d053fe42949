"""Factories for the clinicians tests (shared ones live in tests/factories.py)."""

import datetime as dt

import factory
from django.utils import timezone

from clinicians.models import CredentialKind
from tests.factories import CredentialFactory, SocialAccountFactory  # noqa: F401 (re-exported for these tests)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


class LicenceFactory(CredentialFactory):
    kind = CredentialKind.MEDICAL_LICENCE
    identifier = factory.Sequence(lambda n: f"036-{100000 + n}")
    issuer = "Illinois"
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))
