"""Bulk CSV import of activities: upload → preview with each row's problems → confirm → result.

Each row is validated by the web page's own ``ActivityForm`` (lengths, number ranges, choices,
citations, the link) and then by ``services.activity_validate``, and saved by
``services.activity_record``: a row is refused exactly when the same values typed into the page
would be. Only what a spreadsheet says differently is translated first: a category may be given by
its label, a campaign by its slug, a date without a time means noon, and a disclosure text means
a disclosure.
"""

import csv
import datetime as dt
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from campaigns import services
from campaigns.forms import ActivityForm
from campaigns.models import ActivityImportBatch, Campaign, Category, Disclosure
from campaigns.post_links import post_link_parse
from campaigns.privacy_guard import privacy_hits_for, privacy_summary
from clinicians.models import Clinician

# The CSV's columns are the page's own fields, less those a spreadsheet says otherwise (a disclosure
# text means a disclosure) or cannot say (confirming highlighted patient details is done on the page).
NOT_IMPORTED_FIELDS = {"disclosure", "save_anyway", "privacy_confirmed"}
IMPORT_COLUMNS = tuple(name for name in ActivityForm.field_order if name not in NOT_IMPORTED_FIELDS)
CATEGORY_BY_NAME = {c.value: c.value for c in Category} | {c.label.lower(): c.value for c in Category}


class ImportFileError(ValueError):
    """The uploaded file cannot be read as an activity CSV; the message says why."""


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” from your spreadsheet and upload it again."
        ) from None


def row_form_data(values: dict[str, str]) -> dict[str, str]:
    """The row as the page's form would have posted it."""
    posted_at = values.get("posted_at", "").strip()
    if parse_date(posted_at) is not None:
        posted_at += " 12:00"  # a day without a time: noon, the same day in every US time zone
    category = values.get("category", "").strip()
    disclosure_text = values.get("disclosure_text", "").strip()
    return {
        "url": values.get("url", ""),
        "posted_at": posted_at,
        "category": CATEGORY_BY_NAME.get(category.lower(), category),
        "campaign": values.get("campaign", "").strip(),
        "excerpt": values.get("excerpt", "").strip(),
        "citations": values.get("citations", ""),
        **{name: values.get(name, "").strip() for name in services.METRIC_FIELDS},
        "disclosure": Disclosure.DISCLOSED if disclosure_text else Disclosure.NONE,
        "disclosure_text": disclosure_text,
    }


def row_parse(*, values: dict[str, str], campaigns) -> services.ActivityInput:
    """Validate one CSV row with the page's form; raise a field-keyed ValidationError."""
    form = ActivityForm(row_form_data(values), campaigns=campaigns)
    # The CSV names campaigns by slug; the service tells a clinician who has not joined one.
    campaign_field = form.fields["campaign"]
    campaign_field.to_field_name = "slug"
    campaign_field.error_messages["invalid_choice"] = "No campaign “%(value)s”."
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.to_input()


def _problems(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{name.replace('_', ' ')}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return error.messages


def _row_check(*, clinician: Clinician, values: dict[str, str], campaigns) -> list[str]:
    try:
        data = row_parse(values=values, campaigns=campaigns)
        services.activity_validate(clinician=clinician, data=data)
    except ValidationError as error:
        return _problems(error)
    if hits := privacy_hits_for(data.excerpt):
        return [
            f"excerpt: may identify a patient ({privacy_summary(hits)}); log this post with the form to review "
            "the highlighted text."
        ]
    return []


def _records(text: str) -> list[tuple[int, dict]]:
    """The file's non-empty rows with their line numbers, or ImportFileError."""
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        if "url" not in header or "posted_at" not in header or "category" not in header:
            raise ImportFileError("The first line must name the columns, including url, posted_at and category.")
        reader.fieldnames = header
        max_rows = settings.ACTIVITY_IMPORT_MAX_ROWS
        records = []
        for record in reader:
            if len(records) >= max_rows:
                raise ImportFileError(
                    f"The file has more than {max_rows} rows. Split it into files of at most {max_rows} rows."
                )
            if any((value or "").strip() for value in record.values() if isinstance(value, str)):
                records.append((reader.line_num, record))
    except csv.Error as error:
        raise ImportFileError(f"The file is not a valid CSV ({error}).") from None
    if not records:
        raise ImportFileError("The file has no rows under the header.")
    return records


@transaction.atomic
def activity_import_preview(*, clinician: Clinician, raw: bytes, filename: str = "") -> ActivityImportBatch:
    """Parse an uploaded CSV and store it with each row's problems; nothing is logged yet.

    Raises ImportFileError for a file that is too big, not UTF-8, not a CSV, missing the url column,
    empty, or longer than ACTIVITY_IMPORT_MAX_ROWS.
    """
    if len(raw) > settings.ACTIVITY_IMPORT_MAX_BYTES:
        raise ImportFileError(f"The file is larger than {settings.ACTIVITY_IMPORT_MAX_BYTES // 1024} KB.")
    text = _decode(raw)
    if "\x00" in text:
        raise ImportFileError("The file is not a CSV text file.")
    records = _records(text)
    campaigns = Campaign.objects.published()
    rows = []
    seen_urls: set[str] = set()
    for line, record in records:
        values = {name: (record.get(name) or "").strip() for name in IMPORT_COLUMNS}
        problems = _row_check(clinician=clinician, values=values, campaigns=campaigns)
        if not problems:
            normalised = post_link_parse(values["url"]).url
            if normalised in seen_urls:
                problems = ["url: the same post appears earlier in this file."]
            seen_urls.add(normalised)
        rows.append({"line": line, "values": values, "problems": problems})
    batch = ActivityImportBatch(clinician=clinician, filename=filename[:255], rows=rows)
    batch.full_clean()
    batch.save()
    return batch


@transaction.atomic
def activity_import_confirm(*, clinician: Clinician, batch: ActivityImportBatch) -> ActivityImportBatch:
    """Save the batch's valid rows (re-checked now), each on its own; record what was rejected."""
    locked = ActivityImportBatch.objects.select_for_update().get(pk=batch.pk, clinician=clinician)
    if locked.confirmed_at is not None:
        return locked
    campaigns = Campaign.objects.published()
    saved = 0
    rejected = [
        {"line": row["line"], "url": row["values"]["url"], "reasons": row["problems"]} for row in locked.invalid_rows
    ]
    for row in locked.valid_rows:
        try:
            with transaction.atomic():
                data = row_parse(values=row["values"], campaigns=campaigns)
                services.activity_record(clinician=clinician, data=data)
            saved += 1
        except ValidationError as error:
            rejected.append({"line": row["line"], "url": row["values"]["url"], "reasons": _problems(error)})
    rejected.sort(key=lambda item: item["line"])
    locked.confirmed_at = timezone.now()
    locked.saved_count = saved
    locked.rejected = rejected
    locked.save(update_fields=["confirmed_at", "saved_count", "rejected"])
    return locked


def import_template_csv() -> str:
    """The downloadable CSV template: the header and one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(IMPORT_COLUMNS)
    example_day = timezone.localdate() - dt.timedelta(days=1)
    writer.writerow(
        [
            "https://x.com/yourhandle/status/1234567890",
            example_day.isoformat(),
            Category.PUBLIC_EDUCATION.value,
            "",
            "Two doses of MMR protect 97% of people from measles. #VaccinesWork",
            "10.1056/NEJMoa2034577; PMID:33301246",
            "1200",
            "45",
            "12",
            "3",
            "20",
            "",
        ]
    )
    return buffer.getvalue()
