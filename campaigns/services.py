"""Writes for campaigns' activities: recording, moderating and withdrawing posts, and their metrics.

Taking part in a campaign (joining, leaving, the toolkit's short links) lives in
``campaigns.participation``; the CSV import lives in ``campaigns.activity_import`` and records each
row through this module.

Every status change (including creation, with old_status "") sends `activity_status_changed` and
every change to what prices an activity (metrics, campaign, citations) sends `activity_updated`,
inside the transaction; receivers in higher apps enqueue their work on commit.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.models import (
    Activity,
    ActivityMetricsRevision,
    ActivityProof,
    ActivityStatus,
    Campaign,
    Category,
    Disclosure,
    MetricSource,
    Participation,
)
from campaigns.post_links import PostLink, PostLinkError, handle_normalise, post_link_parse
from campaigns.privacy_guard import privacy_fingerprint, privacy_hits_for, privacy_summary
from campaigns.selectors import campaign_totals_key
from campaigns.signals import activity_status_changed, activity_updated
from clinicians.models import Clinician, Platform, SocialAccount, VerificationStatus
from clinicians.orcid_works import doi_key
from clinicians.selectors import publication_dois_of
from core.models import NotificationKind, User
from core.services import notification_send

METRIC_FIELDS = ("impressions", "likes", "shares", "comments", "clicks")
# No post reaches more people than live on Earth; the cap also stays inside PostgreSQL's integer
# column, whose limit (2147483647, or SQLite's 9223372036854775807) would otherwise be the message.
METRIC_MAX = 2_000_000_000
METRIC_MAX_MESSAGE = "Enter at most 2 billion."
PRIVACY_GUARD = "privacy"
# Held because the post is not (yet) shown to come from one of the clinician's proven accounts.
OWNERSHIP_GUARD = "ownership"
# Proofs that let an activity earn points.
EARNING_PROOFS = (ActivityProof.PROVEN, ActivityProof.GRANDFATHERED, ActivityProof.MODERATOR)


class PrivacyGuardHit(ValidationError):
    """The text holds likely patient identifiers and nobody confirmed these very hits; `fingerprint`
    is what a confirmation must carry (see privacy_guard.privacy_fingerprint)."""

    def __init__(self, hits: list[dict]):
        super().__init__(f"The text may identify a patient: {privacy_summary(hits)}.", code="privacy")
        self.hits = hits
        self.fingerprint = privacy_fingerprint(hits)


def privacy_check(*, text: str, privacy_confirmed: str = "") -> list[dict]:
    """The privacy guard on text about to be stored: its hits, or PrivacyGuardHit unless the person
    saving confirmed exactly these hits (privacy_confirmed = their fingerprint). Every path that
    stores post text (the activity form, the CSV import, edits, campaign toolkit posts) calls this."""
    hits = privacy_hits_for(text)
    if hits and privacy_confirmed != privacy_fingerprint(hits):
        raise PrivacyGuardHit(hits)
    return hits


def _confirmed_reason(hits: list[dict]) -> str:
    return (
        "The privacy check found possible patient details; the clinician saved anyway, confirming that these "
        f"do not identify a patient: {privacy_summary(hits)}."
    )


@dataclass
class ActivityInput:
    """What a clinician says about one post, already parsed by a form or a CSV row."""

    url: str
    posted_at: dt.datetime
    category: str
    campaign: Campaign | None = None
    excerpt: str = ""
    citations: list[str] = field(default_factory=list)
    impressions: int = 0
    likes: int = 0
    shares: int = 0
    comments: int = 0
    clicks: int = 0
    disclosure: str = Disclosure.NONE
    disclosure_text: str = ""


def campaign_totals_forget(*, campaign_ids) -> None:
    """Drop the cached totals of these campaigns once the current transaction commits."""
    keys = [campaign_totals_key(pk) for pk in set(campaign_ids) if pk is not None]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def _send_status(activity: Activity, old_status: str) -> None:
    campaign_totals_forget(campaign_ids=[activity.campaign_id])
    activity_status_changed.send(
        sender=Activity, activity_id=activity.pk, old_status=old_status, new_status=activity.status
    )


def reading_grade_for(*, category: str, excerpt: str) -> float | None:
    """The excerpt's Flesch-Kincaid grade, kept for public-education posts only."""
    if category != Category.PUBLIC_EDUCATION or not excerpt.strip():
        return None
    import textstat  # 0.17 s to import: loaded by the first excerpt, not by every process start

    return round(float(textstat.flesch_kincaid_grade(excerpt)), 1)


def _check_platform_agrees(*, clinician: Clinician, platform: str, handle: str | None) -> None:
    """Where the URL shows the author's handle and the clinician linked accounts on that platform,
    the handle must be one of theirs. Without linked accounts on the platform, or without a handle
    in the URL, any post is accepted (moderators can still review it)."""
    if handle is None:
        return
    linked = {
        handle_normalise(value)
        for value in SocialAccount.objects.filter(clinician=clinician, platform=platform).values_list(
            "handle", flat=True
        )
    }
    if linked and handle_normalise(handle) not in linked:
        raise ValidationError(
            {
                "url": f"This post was made by @{handle}, which is not one of the accounts you linked on "
                f"{Activity(platform=platform).get_platform_display()} ({', '.join('@' + h for h in sorted(linked))})."
            }
        )


@dataclass(frozen=True)
class Ownership:
    """Whether a post's URL belongs to one of the clinician's proven accounts, and what would prove it."""

    proof: str
    account: SocialAccount | None = None
    message: str = ""


def _article(word: str) -> str:
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def post_ownership(*, clinician: Clinician, link: PostLink) -> Ownership:
    """Match the post to a proven account: by the handle or account id the URL shows, or for a
    website by its host. Otherwise say why the post is held and what would prove it."""
    platform_label = Platform(link.platform).label
    accounts = list(SocialAccount.objects.filter(clinician=clinician, platform=link.platform))
    proven = [account for account in accounts if account.is_proven]
    where = reverse("clinicians:social_account_list")
    if link.platform == Platform.OTHER:
        host = _host(link.url)
        for account in proven:
            if _host(account.profile_url or account.handle) == host:
                return Ownership(ActivityProof.PROVEN, account)
        return Ownership(
            ActivityProof.UNPROVEN,
            message=f"{host} is not one of your proven sites, so a moderator will review this post before it "
            f"earns points. To have posts from it count at once, link the site on Linked accounts ({where}) and "
            "put your proof code on it.",
        )
    if not proven:
        if accounts:
            handles = ", ".join(account.handle for account in accounts)
            return Ownership(
                ActivityProof.UNPROVEN,
                message=f"Your {platform_label} account ({handles}) is not proven yet, so a moderator will review "
                f"this post before it earns points. Prove the account on Linked accounts ({where}): connect it "
                "by signing in with the platform, or put your proof code in its profile.",
            )
        return Ownership(
            ActivityProof.UNPROVEN,
            message=f"You have not linked {_article(platform_label)} account, so a moderator will review this post "
            f"before it earns points. Link and prove your {platform_label} account on Linked accounts ({where}) "
            "so posts from it count at once.",
        )
    if link.handle is not None:
        wanted = handle_normalise(link.handle)
        for account in proven:
            if wanted in (handle_normalise(account.handle), account.provider_account_id.lower()):
                return Ownership(ActivityProof.PROVEN, account)
        return Ownership(
            ActivityProof.UNPROVEN,
            message=f"This post was made by {link.handle}, which is not one of your proven {platform_label} "
            f"accounts, so a moderator will review it. Prove that account on Linked accounts ({where}).",
        )
    return Ownership(
        ActivityProof.UNPROVEN,
        message=f"{_article(platform_label).capitalize()} link like this one does not show who posted it, so a "
        "moderator will confirm it is from your proven account before it earns points. Links that show your "
        "handle count at once.",
    )


def _check_not_logged(*, clinician: Clinician, url: str, exclude_id: int | None = None) -> None:
    existing = Activity.objects.filter(url=url).exclude(pk=exclude_id).only("id", "clinician_id").first()
    if existing is None:
        return
    if existing.clinician_id == clinician.pk:
        link = reverse("campaigns:activity_detail", args=[existing.pk])
        raise ValidationError(
            {
                "url": ValidationError(
                    f"You already logged this post: {link}", code="duplicate_own", params={"activity_id": existing.pk}
                )
            }
        )
    raise ValidationError({"url": ValidationError("This post was already logged by someone else.", code="duplicate")})


def _check_posted_at(posted_at: dt.datetime) -> None:
    now = timezone.now()
    if posted_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"posted_at": "The post cannot be in the future."})
    max_age = settings.ACTIVITY_MAX_AGE_DAYS
    if posted_at < now - dt.timedelta(days=max_age):
        raise ValidationError({"posted_at": f"Posts older than {max_age} days cannot be logged."})


def _check_campaign(*, clinician: Clinician, campaign: Campaign | None, posted_at: dt.datetime) -> None:
    if campaign is None:
        return
    if not Participation.objects.filter(campaign=campaign, clinician=clinician, left_at__isnull=True).exists():
        raise ValidationError({"campaign": f"Join “{campaign.title}” before logging posts for it."})
    day = timezone.localtime(posted_at).date()
    if not (campaign.starts_on <= day <= campaign.ends_on):
        raise ValidationError(
            {
                "campaign": "The post must fall within the campaign's dates "
                f"({campaign.starts_on} to {campaign.ends_on})."
            }
        )


def activity_validate(*, clinician: Clinician, data: ActivityInput) -> PostLink:
    """Check every rule on a new activity; return its parsed, normalised link or raise ValidationError."""
    try:
        link = post_link_parse(data.url)
    except PostLinkError as error:
        raise ValidationError({"url": str(error)}) from None
    _check_posted_at(data.posted_at)
    if too_large := {name: METRIC_MAX_MESSAGE for name in METRIC_FIELDS if getattr(data, name) > METRIC_MAX}:
        raise ValidationError(too_large)
    _check_platform_agrees(clinician=clinician, platform=link.platform, handle=link.handle)
    _check_not_logged(clinician=clinician, url=link.url)
    _check_campaign(clinician=clinician, campaign=data.campaign, posted_at=data.posted_at)
    if data.disclosure == Disclosure.DISCLOSED and not data.disclosure_text.strip():
        raise ValidationError({"disclosure_text": "Describe the conflict of interest you are disclosing."})
    return link


def _initial_status(clinician: Clinician, guard_flags: list[str]) -> str:
    if guard_flags:
        return ActivityStatus.FLAGGED
    if clinician.verification_status == VerificationStatus.VERIFIED:
        return ActivityStatus.ACCEPTED
    return ActivityStatus.SUBMITTED


def _notify_flagged(activity: Activity) -> None:
    notification_send(
        user=activity.clinician.user,
        kind=NotificationKind.ACTIVITY_FLAGGED,
        title="An activity is waiting for review",
        body="A moderator will look at your post before it counts: "
        + (activity.review_reason or "the privacy check found possible patient details."),
        url=reverse("campaigns:activity_detail", args=[activity.pk]),
    )


@transaction.atomic
def activity_record(*, clinician: Clinician, data: ActivityInput, privacy_confirmed: str = "") -> Activity:
    """Validate, normalise and save a clinician's post; accept, hold or flag it; send the signals.

    Raises ValidationError (field-keyed) for broken rules and PrivacyGuardHit when the excerpt may
    identify a patient, unless privacy_confirmed is the fingerprint of exactly those hits (the
    clinician ticked the confirmation that names them); the post is then saved flagged for review.
    """
    link = activity_validate(clinician=clinician, data=data)
    hits = privacy_check(text=data.excerpt, privacy_confirmed=privacy_confirmed)
    ownership = post_ownership(clinician=clinician, link=link)
    guard_flags = [PRIVACY_GUARD] if hits else []
    reasons = [_confirmed_reason(hits)] if hits else []
    if ownership.proof == ActivityProof.UNPROVEN:
        guard_flags.append(OWNERSHIP_GUARD)
        reasons.append(ownership.message)
    activity = Activity(
        clinician=clinician,
        platform=link.platform,
        url=link.url,
        submitted_url=data.url.strip()[:1000],
        posted_at=data.posted_at,
        category=data.category,
        campaign=data.campaign,
        excerpt=data.excerpt,
        citations=data.citations,
        citation_count=len(data.citations),
        cites_own_publication=cites_own_publication(
            category=data.category, citations=data.citations, own_dois=publication_dois_of(clinician_id=clinician.pk)
        ),
        disclosure=data.disclosure,
        disclosure_text=data.disclosure_text if data.disclosure == Disclosure.DISCLOSED else "",
        reading_grade=reading_grade_for(category=data.category, excerpt=data.excerpt),
        guard_flags=guard_flags,
        privacy_hits=hits,
        review_reason=" ".join(reasons),
        proof=ownership.proof,
        proof_account=ownership.account,
        proof_summary=ownership.account.proof_summary()[:500] if ownership.account else "",
        status=_initial_status(clinician, guard_flags),
        **{name: getattr(data, name) for name in METRIC_FIELDS},
    )
    activity.full_clean()
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        # Two submissions of the same post raced past the duplicate check; the unique URL decides.
        raise ValidationError({"url": "This post was already logged."}) from None
    _send_status(activity, "")
    if activity.status == ActivityStatus.FLAGGED:
        _notify_flagged(activity)
    return activity


def cites_own_publication(*, category: str, citations: list[str], own_dois: set[str]) -> bool:
    """One rule: a research-dissemination post citing a DOI of the clinician's own ORCID works."""
    if category != Category.RESEARCH_DISSEMINATION or not own_dois:
        return False
    return any(doi_key(citation) in own_dois for citation in citations)


@transaction.atomic
def activities_label_own_citations(*, clinician_id: int) -> int:
    """Re-apply the "cites your own publication" label to the clinician's research posts after their
    ORCID works changed; returns how many labels changed. Safe to run twice."""
    own_dois = publication_dois_of(clinician_id=clinician_id)
    research = Activity.objects.filter(clinician_id=clinician_id, category=Category.RESEARCH_DISSEMINATION)
    labels = {True: [], False: []}
    for activity in research.only("id", "category", "citations", "cites_own_publication"):
        label = cites_own_publication(category=activity.category, citations=activity.citations, own_dois=own_dois)
        if label != activity.cites_own_publication:
            labels[label].append(activity.pk)
    # A label, not a priced fact: updated_at (which the award sweeper watches) is left alone.
    for label, ids in labels.items():
        Activity.objects.filter(pk__in=ids).update(cites_own_publication=label)
    return len(labels[True]) + len(labels[False])


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


@dataclass(frozen=True)
class MetricsImport:
    """Figures read from the platform's API (campaigns.reach_import), not typed by the clinician."""

    source_api: str
    fetched_at: dt.datetime


ENGAGEMENT_FIELDS = ("likes", "shares", "comments")
SOURCE_FIELDS = ("impressions_source", "metrics_source", "metrics_source_api", "metrics_imported_at")


def _metric_sources(locked: Activity, changed: set[str], imported: MetricsImport | None) -> list[str]:
    """Mark where the current figures come from; returns the fields set. An import marks the fields
    it gave as imported; a clinician's edit marks the fields it changed as self-reported again."""
    before = (locked.impressions_source, locked.metrics_source)
    if imported is not None:
        if "impressions" in changed:
            locked.impressions_source = MetricSource.IMPORTED
        if changed & set(ENGAGEMENT_FIELDS):
            locked.metrics_source = MetricSource.IMPORTED
        locked.metrics_source_api = imported.source_api
        locked.metrics_imported_at = imported.fetched_at
        return ["impressions_source", "metrics_source", "metrics_source_api", "metrics_imported_at"]
    if "impressions" in changed:
        locked.impressions_source = MetricSource.SELF_REPORTED
    if changed & set(ENGAGEMENT_FIELDS):
        locked.metrics_source = MetricSource.SELF_REPORTED
    return (
        ["impressions_source", "metrics_source"] if before != (locked.impressions_source, locked.metrics_source) else []
    )


@transaction.atomic
def activity_metrics_update(
    *,
    activity: Activity,
    metrics: dict[str, int],
    excerpt: str | None = None,
    privacy_confirmed: str = "",
    imported: MetricsImport | None = None,
) -> Activity:
    """Replace the metrics, keeping the previous figures in an ActivityMetricsRevision; and, when the
    clinician corrects the post's text, run the privacy guard on the new text as a new post would.

    New text with hits needs the same confirmation as activity_record (else PrivacyGuardHit) and
    puts a submitted or accepted activity back in the moderation queue as flagged.

    ``imported`` says the figures were read from the platform's API: the activity then records that
    source and time (and is re-priced when the source of its impressions changes, even if the figures
    did not), while figures a clinician types are marked self-reported again.
    """
    locked = _locked(activity)
    if not locked.is_editable:
        raise ValidationError("A withdrawn or rejected activity cannot be edited.")
    for name, value in metrics.items():
        if name not in METRIC_FIELDS or not isinstance(value, int) or value < 0:
            raise ValidationError({name: "Enter a whole number of 0 or more."})
        if value > METRIC_MAX:
            raise ValidationError({name: METRIC_MAX_MESSAGE})
    text_changed = excerpt is not None and excerpt != locked.excerpt
    hits = privacy_check(text=excerpt, privacy_confirmed=privacy_confirmed) if text_changed else []
    changed = {name for name in METRIC_FIELDS if getattr(locked, name) != metrics.get(name, getattr(locked, name))}
    impressions_source_before = locked.impressions_source
    sources_before = {name: getattr(locked, name) for name in SOURCE_FIELDS}
    # An import confirms every figure it gave, changed or not.
    source_fields = _metric_sources(locked, set(metrics) if imported else changed, imported)
    metrics_changed = bool(changed)
    # The engagement bonus depends on where the impressions come from, not only on their number.
    priced_source_changed = locked.impressions_source != impressions_source_before
    if not metrics_changed and not text_changed and not source_fields:
        return locked
    fields = ["updated_at", *source_fields]
    if metrics_changed or source_fields:
        ActivityMetricsRevision.objects.create(
            activity=locked, **{name: getattr(locked, name) for name in METRIC_FIELDS}, **sources_before
        )
    if metrics_changed:
        for name, value in metrics.items():
            setattr(locked, name, value)
        fields += list(metrics)
    if text_changed:
        locked.excerpt = excerpt
        locked.privacy_hits = hits
        locked.reading_grade = reading_grade_for(category=locked.category, excerpt=excerpt)
        fields += ["excerpt", "privacy_hits", "reading_grade"]
        if hits and PRIVACY_GUARD not in locked.guard_flags:
            locked.guard_flags = [*locked.guard_flags, PRIVACY_GUARD]
            fields.append("guard_flags")
    old_status = locked.status
    if hits and locked.can_become(ActivityStatus.FLAGGED):
        locked.status = ActivityStatus.FLAGGED
        locked.review_reason = _confirmed_reason(hits)
        fields += ["status", "review_reason"]
    locked.full_clean()
    locked.save(update_fields=fields)
    campaign_totals_forget(campaign_ids=[locked.campaign_id])
    if metrics_changed or priced_source_changed:
        activity_updated.send(sender=Activity, activity_id=locked.pk)
    if locked.status != old_status:
        _send_status(locked, old_status)
        _notify_flagged(locked)
    return locked


def toolkit_text_check(*, text: str, privacy_confirmed: str = "") -> list[dict]:
    """The privacy guard on a campaign toolkit post an admin writes: every clinician in the campaign
    copies it, so a patient detail in it would be posted many times. Raises PrivacyGuardHit unless the
    admin confirmed exactly these hits."""
    return privacy_check(text=text, privacy_confirmed=privacy_confirmed)


def _status_set(activity: Activity, *, new_status: str, fields: dict | None = None) -> Activity:
    """Move the activity to ``new_status`` if ``ACTIVITY_TRANSITIONS`` allows it (already there: no-op)."""
    locked = _locked(activity)
    if locked.status == new_status:
        return locked
    if not locked.can_become(new_status):
        raise ValidationError(
            f"An activity that is {locked.get_status_display().lower()} cannot become {new_status}.", code="status"
        )
    old_status = locked.status
    locked.status = new_status
    for name, value in (fields or {}).items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=["status", *(fields or {}).keys(), "updated_at"])
    _send_status(locked, old_status)
    return locked


@transaction.atomic
def activity_withdraw(*, activity: Activity) -> Activity:
    """The owner takes a post back (not once a moderator rejected it)."""
    return _status_set(
        activity,
        new_status=ActivityStatus.WITHDRAWN,
    )


@transaction.atomic
def activity_accept(*, activity: Activity, actor: User | None = None) -> Activity:
    """A moderator accepts the post; one not proven by an account rests on the moderator's approval."""
    fields = {"decided_by": actor, "decided_at": timezone.now()}
    locked = _locked(activity)
    if locked.proof == ActivityProof.UNPROVEN:
        fields["proof"] = ActivityProof.MODERATOR
        fields["proof_summary"] = f"Approved by moderator {actor or 'unknown'} on {timezone.now():%Y-%m-%d %H:%M %Z}."
    return _status_set(
        locked,
        new_status=ActivityStatus.ACCEPTED,
        fields=fields,
    )


@transaction.atomic
def activity_reject(*, activity: Activity, actor: User | None, reason: str) -> Activity:
    if not reason.strip():
        raise ValidationError({"reason": "Give the clinician a reason for the rejection."})
    rejected = _status_set(
        activity,
        new_status=ActivityStatus.REJECTED,
        fields={"decided_by": actor, "decided_at": timezone.now(), "review_reason": reason.strip()},
    )
    notification_send(
        user=rejected.clinician.user,
        kind=NotificationKind.ACTIVITY_REJECTED,
        title="An activity was not accepted",
        body=reason.strip(),
        url=reverse("campaigns:activity_detail", args=[rejected.pk]),
    )
    return rejected


@transaction.atomic
def activity_flag(*, activity: Activity, reason: str, actor: User | None = None, guard: str = "") -> Activity:
    locked = _locked(activity)
    fields = {"review_reason": reason, "decided_by": actor, "decided_at": timezone.now()}
    if guard and guard not in locked.guard_flags:
        fields["guard_flags"] = [*locked.guard_flags, guard]
    flagged = _status_set(
        locked,
        new_status=ActivityStatus.FLAGGED,
        fields=fields,
    )
    _notify_flagged(flagged)
    return flagged


@transaction.atomic
def activities_release_for_clinician(*, clinician_id: int) -> int:
    """Accept a newly verified clinician's waiting posts that no guard flagged; return how many.
    Safe to run twice: the second run finds nothing in 'submitted'."""
    clinician = Clinician.objects.filter(pk=clinician_id).first()
    if clinician is None or clinician.verification_status != VerificationStatus.VERIFIED:
        return 0
    waiting = Activity.objects.select_for_update().filter(
        clinician_id=clinician_id, status=ActivityStatus.SUBMITTED, guard_flags=[], proof__in=EARNING_PROOFS
    )
    released = 0
    for activity in waiting:
        activity.status = ActivityStatus.ACCEPTED
        activity.save(update_fields=["status", "updated_at"])
        _send_status(activity, ActivityStatus.SUBMITTED)
        released += 1
    return released


@transaction.atomic
def activities_release_for_account(*, account_id: int) -> int:
    """Re-match the clinician's posts held only for ownership once an account is proven; return how
    many now rest on it. Safe to run twice: the second run finds them no longer held."""
    account = SocialAccount.objects.select_related("clinician").filter(pk=account_id).first()
    if account is None or not account.is_proven:
        return 0
    clinician = account.clinician
    held = Activity.objects.select_for_update().filter(
        clinician=clinician,
        platform=account.platform,
        status=ActivityStatus.FLAGGED,
        proof=ActivityProof.UNPROVEN,
    )
    released = 0
    for activity in held:
        if OWNERSHIP_GUARD not in activity.guard_flags:
            continue
        ownership = post_ownership(clinician=clinician, link=post_link_parse(activity.url))
        if ownership.proof != ActivityProof.PROVEN:
            continue
        activity.proof = ownership.proof
        activity.proof_account = ownership.account
        activity.proof_summary = ownership.account.proof_summary()[:500]
        activity.guard_flags = [flag for flag in activity.guard_flags if flag != OWNERSHIP_GUARD]
        fields = ["proof", "proof_account", "proof_summary", "guard_flags", "updated_at"]
        if not activity.guard_flags:
            activity.status = (
                ActivityStatus.ACCEPTED
                if clinician.verification_status == VerificationStatus.VERIFIED
                else ActivityStatus.SUBMITTED
            )
            activity.review_reason = ""
            fields += ["status", "review_reason"]
        activity.save(update_fields=fields)
        if activity.status != ActivityStatus.FLAGGED:
            _send_status(activity, ActivityStatus.FLAGGED)
        released += 1
    return released


@transaction.atomic
def activities_withdraw_pending(*, clinician_id: int) -> int:
    """Withdraw every post of the clinician still waiting (submitted or flagged): for a deleted
    account, so nothing logged before deletion is priced after it. Accepted posts and the ledger stay."""
    pending = Activity.objects.select_for_update().filter(
        clinician_id=clinician_id, status__in=[ActivityStatus.SUBMITTED, ActivityStatus.FLAGGED]
    )
    withdrawn = 0
    for activity in pending:
        old_status = activity.status
        activity.status = ActivityStatus.WITHDRAWN
        activity.save(update_fields=["status", "updated_at"])
        _send_status(activity, old_status)
        withdrawn += 1
    return withdrawn
