"""CSV import of activities: preview with each row's problems, confirm saves only valid rows."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.activity_import import row_form_data
from campaigns.models import Activity, ActivityImportBatch, ActivityStatus
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    ParticipationFactory,
    ProvenSocialAccountFactory,
    VerifiedClinicianFactory,
)

pytestmark = pytest.mark.django_db

HEADER = "url,posted_at,category,campaign,excerpt,citations,impressions,likes,shares,comments,clicks,disclosure_text\n"


def _yesterday() -> str:
    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


@pytest.fixture
def clinician(client):
    clinician = VerifiedClinicianFactory()
    client.force_login(clinician.user)
    return clinician


def _upload(client, content: bytes, name: str = "posts.csv"):
    return client.post(reverse("campaigns:activity_import"), {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_it_previews_then_saves_only_the_valid_rows(client, clinician):
    ProvenSocialAccountFactory(clinician=clinician, handle="me")
    campaign = CampaignFactory(slug="vaccines")
    ParticipationFactory(clinician=clinician, campaign=campaign)
    ActivityFactory(url="https://x.com/me/status/5")
    day = _yesterday()
    content = (
        HEADER
        + f"https://x.com/me/status/1?utm_source=a,{day},public_education,vaccines,Shot,10.1000/xyz,10,1,0,0,0,\n"
        + f"https://youtu.be/abc,{day},Research dissemination,,,,,,,,,\n"
        + f"not a link,{day},public_education,,,,,,,,,\n"
        + f"https://x.com/me/status/5,{day},public_education,,,,,,,,,\n"
        + f"https://x.com/me/status/2,{day},gardening,,,,-3,,,,,\n"
        + f"https://x.com/me/status/3,{day},public_education,,My patient DOB 03/14/1962 is fine,,,,,,,\n"
        + f"https://x.com/me/status/1,{day},public_education,,,,,,,,,\n"
    ).encode()
    response = _upload(client, content)
    assert response.status_code == 200
    batch = ActivityImportBatch.objects.get()
    assert [row["line"] for row in batch.valid_rows] == [2, 3]
    problems = {row["line"]: " ".join(row["problems"]) for row in batch.invalid_rows}
    assert "https://" in problems[4]
    assert "already logged" in problems[5]
    assert "Unknown category" in problems[6] and "impressions: Enter 0 or more." in problems[6]
    assert "patient" in problems[7] and "“DOB 03/14/1962”" in problems[7]
    assert "earlier in this file" in problems[8]
    assert Activity.objects.count() == 1
    assert b"Save 2 valid rows" in response.content

    result = client.post(reverse("campaigns:activity_import"), {"batch": batch.pk})
    assert result.status_code == 200
    saved = Activity.objects.filter(clinician=clinician).order_by("url")
    assert [a.url for a in saved] == ["https://x.com/me/status/1", "https://youtube.com/watch?v=abc"]
    assert saved[0].campaign == campaign and saved[0].citation_count == 1
    # The YouTube link does not show its author: held until a moderator confirms it.
    assert [a.status for a in saved] == [ActivityStatus.ACCEPTED, ActivityStatus.FLAGGED]
    assert b"Saved 2 posts" in result.content and b"5 rows not saved" in result.content
    # Confirming twice saves nothing more.
    client.post(reverse("campaigns:activity_import"), {"batch": batch.pk})
    assert Activity.objects.filter(clinician=clinician).count() == 2


def test_rows_that_became_invalid_after_the_preview_are_reported(client, clinician):
    content = (HEADER + f"https://x.com/me/status/77,{_yesterday()},public_education,,,,,,,,,\n").encode()
    _upload(client, content)
    batch = ActivityImportBatch.objects.get()
    ActivityFactory(url="https://x.com/me/status/77")
    response = client.post(reverse("campaigns:activity_import"), {"batch": batch.pk})
    batch.refresh_from_db()
    assert batch.saved_count == 0
    assert "already logged" in " ".join(batch.rejected[0]["reasons"])
    assert b"1 row not saved" in response.content


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"impressions": "²"}, "impressions: Enter a whole number."),  # isdigit() is true, int() raised
        ({"likes": "-3"}, "likes: Enter 0 or more."),
        ({"shares": str(2**63)}, "shares: Enter at most 2 billion."),
        ({"excerpt": "Wash your hands. " * 600}, "excerpt: Ensure this value has at most 5000 characters"),
        ({"category": "gossip"}, "category: Unknown category “gossip”."),
        ({"url": "https://x.com:99999/me/status/1"}, "url: The link is not a valid web address"),
        ({"posted_at": "yesterday"}, "posted at: Enter the date as YYYY-MM-DD"),
        ({"campaign": "nope"}, "campaign: No campaign “nope”."),
    ],
)
def test_a_bad_cell_is_a_problem_of_its_row_with_the_forms_message(client, clinician, cells, message):
    """Each row is validated by the web form's own class: the CSV cannot let through what the page refuses."""
    row = {
        "url": "https://x.com/me/status/1",
        "posted_at": _yesterday(),
        "category": "public_education",
        "excerpt": "Wash your hands.",
    } | cells
    columns = HEADER.strip().split(",")
    line = ",".join(f'"{row.get(name, "")}"' for name in columns)
    response = _upload(client, (HEADER + line + "\n").encode())
    assert response.status_code == 200
    batch = ActivityImportBatch.objects.get()
    assert batch.valid_rows == []
    assert message in " ".join(batch.invalid_rows[0]["problems"])
    assert "9223372036854775807" not in response.content.decode()
    # The page answers the same values with the same message on the same field.
    if "campaign" not in cells:
        page = client.post(reverse("campaigns:activity_create"), row_form_data(row))
        field, text = message.split(": ", 1)
        assert text in " ".join(page.context["form"].errors[field.replace(" ", "_")])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "url,posted_at,category\nhttps://x.com/a/status/1,2024-01-01,public_education\n".encode("utf-16"),
            "not UTF-8",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not UTF-8"),
        (b"hello,world\n1,2\n", "must name the columns"),
        (HEADER.encode(), "no rows"),
        (b'url,posted_at,category\n"https://x.com/a/status/1,2024', "not a valid CSV"),
        (b"", "empty"),
    ],
)
def test_bad_files_get_a_clear_message(client, clinician, content, message):
    response = _upload(client, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActivityImportBatch.objects.exists()


def test_a_ten_thousand_row_file_is_refused_with_a_clear_message(client, clinician):
    row = f"https://x.com/me/status/{{}},{_yesterday()},public_education,,,,,,,,,\n"
    content = (HEADER + "".join(row.format(n) for n in range(10_000))).encode()
    response = _upload(client, content)
    assert response.status_code == 200
    assert "more than 1000 rows" in response.content.decode()
    assert not ActivityImportBatch.objects.exists()


def test_another_clinicians_batch_is_a_404(client, clinician):
    other = VerifiedClinicianFactory()
    batch = ActivityImportBatch.objects.create(clinician=other, rows=[])
    assert client.post(reverse("campaigns:activity_import"), {"batch": batch.pk}).status_code == 404


def test_the_template_downloads_and_imports_cleanly(client, clinician):
    response = client.get(reverse("campaigns:activity_import_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    _upload(client, response.content)
    assert len(ActivityImportBatch.objects.get().valid_rows) == 1
