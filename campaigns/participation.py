"""Writes for taking part in a campaign: joining (once its learning prerequisites are complete),
leaving, and the clinician's short links to the toolkit's evidence, with their click counts.

Logging posts for a campaign is an activity write (``campaigns.services``).
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from campaigns.models import Campaign, Participation, ToolkitItem, TrackedLink
from clinicians.models import Clinician
from learning.selectors import modules_missing_for


@transaction.atomic
def campaign_join(*, clinician: Clinician, campaign: Campaign) -> Participation:
    if not campaign.is_published or campaign.ends_on < timezone.localdate():
        raise ValidationError("This campaign has closed.")
    missing = modules_missing_for(clinician=clinician, modules=campaign.required_modules.all())
    if missing:
        titles = ", ".join(f"“{module.title}”" for module in missing)
        raise ValidationError(f"Complete these learning modules before joining: {titles}.", code="prerequisites")
    participation, created = Participation.objects.select_for_update().get_or_create(
        campaign=campaign, clinician=clinician
    )
    if not created and participation.left_at is not None:
        participation.left_at = None
        participation.joined_at = timezone.now()
        participation.save(update_fields=["left_at", "joined_at"])
    return participation


@transaction.atomic
def campaign_leave(*, clinician: Clinician, campaign: Campaign) -> Participation | None:
    participation = (
        Participation.objects.select_for_update()
        .filter(campaign=campaign, clinician=clinician, left_at__isnull=True)
        .first()
    )
    if participation is not None:
        participation.left_at = timezone.now()
        participation.save(update_fields=["left_at"])
    return participation


def tracked_links_ensure(*, clinician: Clinician, items: list[ToolkitItem]) -> dict[int, TrackedLink]:
    """The clinician's short link for each toolkit item that has an evidence link, created on first
    use; keyed by item id. A code is 8 random URL-safe characters (48 bits): not guessable in bulk,
    short enough to type; a clash on the unique code (or a racing first use) is retried."""
    linked = [item for item in items if item.url]
    existing = {
        link.toolkit_item_id: link
        for link in TrackedLink.objects.filter(clinician=clinician, toolkit_item__in=[item.pk for item in linked])
    }
    for item in linked:
        if item.pk in existing:
            continue
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    existing[item.pk] = TrackedLink.objects.create(
                        code=secrets.token_urlsafe(6),
                        clinician=clinician,
                        toolkit_item=item,
                        campaign_id=item.campaign_id,
                    )
                break
            except IntegrityError:
                found = TrackedLink.objects.filter(clinician=clinician, toolkit_item=item).first()
                if found is not None:
                    existing[item.pk] = found
                    break
    return existing


def tracked_link_follow(*, code: str) -> str | None:
    """Count one click on the short link and return where it leads (None for an unknown code).
    One conditional UPDATE, so concurrent clicks never lose a count; nothing about the clicker is stored."""
    link = TrackedLink.objects.filter(code=code).select_related("toolkit_item").first()
    if link is None or not link.toolkit_item.url:
        return None
    TrackedLink.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    return link.toolkit_item.url
