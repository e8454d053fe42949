"""Writes of the incentives app: pricing activities into the ledger, recomputing scores, rule-set
versions, manual adjustments and reward redemptions. Every entry point (tasks, admin, command,
views) calls one of these."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Min, Sum
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from clinicians.models import Clinician
from core.email import email_send
from core.models import AuditEvent, NotificationKind, User
from core.selectors import notification_muted_kinds_get
from core.services import audit_record, notification_send, outbox_enqueue
from incentives import dialect, scoring, selectors
from incentives.models import (
    Award,
    Badge,
    LedgerEntry,
    LedgerKind,
    PricingRun,
    PricingRunMode,
    Redemption,
    RedemptionStatus,
    Reward,
    RuleSet,
    Tier,
    WeeklyDigest,
)
from incentives.pricing import (
    Preview,
    Scope,
    award_context_lock,
    corrections_insert,
    corrections_preview,
    priced_materialize,
    pricing_lock,
    pricing_stamp,
    score_scope_materialize,
    touched_weeks_materialize,
    week_bounds_of_day,
)
from learning.models import Completion


def rule_set_current() -> RuleSet:
    """The rule set that prices: the highest version (a data migration creates v1)."""
    rule_set = RuleSet.objects.order_by("-version").first()
    if rule_set is None:
        raise RuntimeError("No rule set exists; run the migrations (they create rule set v1).")
    return rule_set


# The nightly run may find many clinicians reaching a tier or a badge at once (after a bulk load or a
# rule-set version with lower thresholds: hundreds of thousands at 10M activities). Each notification
# renders an email, so they are sent by workers, this many per task, after the run has committed and
# released the pricing lock, instead of inside it.
ANNOUNCEMENTS_PER_TASK = 500


def _announce(*, now: dt.datetime, clinician_id: int | None, priced_table: str = "", touched_weeks: str = "") -> None:
    """Mark and announce the badges and tiers clinicians newly reached (queries only when there are
    some): at once for one clinician (the event path), through tasks for the nightly run."""
    tiers, badges = scoring.announcements_find(
        now=now, clinician_id=clinician_id, priced_table=priced_table, touched_weeks=touched_weeks
    )
    if not tiers and not badges:
        return
    if clinician_id is not None:
        announcements_send(tiers=tiers, badges=badges)
        return
    from incentives.tasks import announce_reached

    pairs = [("tier", clinician, tier) for clinician, tier in tiers]
    pairs += [("badge", clinician, badge) for badge, clinician in badges]
    for start in range(0, len(pairs), ANNOUNCEMENTS_PER_TASK):
        chunk = pairs[start : start + ANNOUNCEMENTS_PER_TASK]
        outbox_enqueue(
            task=announce_reached,
            kwargs={
                "tiers": [[clinician, value] for kind, clinician, value in chunk if kind == "tier"],
                "badges": [[value, clinician] for kind, clinician, value in chunk if kind == "badge"],
            },
        )


def announcements_send(*, tiers: list, badges: list) -> int:
    """Notify clinicians of the tiers ([clinician id, tier]) and badges ([badge id, clinician id]) they
    reached (already marked as reached); returns the notifications sent."""
    ids = {clinician for clinician, _ in tiers} | {clinician for _, clinician in badges}
    users = {c.pk: c.user for c in Clinician.objects.filter(pk__in=ids).select_related("user")}
    badge_names = dict(Badge.objects.filter(pk__in={badge for badge, _ in badges}).values_list("pk", "name"))
    url = reverse("incentives:statement")
    sent = 0
    for clinician, tier in tiers:
        if clinician not in users:
            continue
        notification_send(
            user=users[clinician],
            kind=NotificationKind.TIER_REACHED,
            title=f"You reached the {Tier(tier).label} tier",
            body="Thank you for your advocacy: your lifetime points reached a new tier.",
            url=url,
        )
        sent += 1
    for badge, clinician in badges:
        if clinician not in users:
            continue
        notification_send(
            user=users[clinician],
            kind=NotificationKind.BADGE_EARNED,
            title=f"Badge earned: {badge_names[badge]}",
            body="A new achievement is on your points statement.",
            url=url,
        )
        sent += 1
    return sent


def score_refresh(*, clinician_id: int, rule_set: RuleSet | None = None, now: dt.datetime | None = None) -> None:
    """Refresh one clinician's Score row from the ledger, then announce new tiers and badges."""
    now = now or timezone.now()
    scoring.scores_upsert(rule_set=rule_set or rule_set_current(), now=now, clinician_id=clinician_id)
    _announce(now=now, clinician_id=clinician_id)


def activity_award(*, activity_id: int) -> int:
    """Price, re-price or reverse one activity so that its ledger total equals its current value.

    The clinician row is locked first, so concurrent deliveries for the same clinician (the same
    activity twice, or two activities of one week that share caps) run one after the other; the
    second finds nothing to correct. The whole ISO week of the activity is re-priced, because caps
    tie an activity's value to the others of its day and week. Returns the entries written.
    """
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        pricing_lock(exclusive=False)
        context = award_context_lock(activity_id=activity_id)
        if context is None:
            return 0
        week_start, week_end = week_bounds_of_day(context.day_no)
        scope = Scope(clinician_id=context.clinician_id, week_start=week_start, week_end=week_end)
        pricing_stamp(scope=scope)
        written = corrections_insert(rule_set=context.rule_set, scope=scope, now=now)
        score_refresh(clinician_id=context.clinician_id, rule_set=context.rule_set, now=now)
    return written


def clinician_reprice(*, clinician_id: int) -> int:
    """Re-price every activity of one clinician (after a verification status change)."""
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        pricing_lock(exclusive=False)
        if not Clinician.objects.select_for_update().filter(pk=clinician_id).exists():
            return 0
        rule_set = rule_set_current()
        pricing_stamp(scope=Scope(clinician_id=clinician_id))
        written = corrections_insert(rule_set=rule_set, scope=Scope(clinician_id=clinician_id), now=now)
        score_refresh(clinician_id=clinician_id, rule_set=rule_set, now=now)
    return written


@dataclass(frozen=True)
class RecomputeResult:
    rule_set_version: int
    entries_written: int
    mode: str = PricingRunMode.FULL
    weeks_priced: int | None = None


# An activity saved before a run started may commit after the run's snapshot was taken: the next
# incremental run looks this far before the previous run's start.
INCREMENTAL_OVERLAP = dt.timedelta(hours=1)


def scores_recompute(*, full: bool = False) -> RecomputeResult:
    """The nightly run: make every activity's ledger total equal its value under the current rule
    set (writing only correcting entries), then refresh every Score, rank, tier and badge.

    Incremental unless ``full`` (or there is no earlier run, or the rule set changed since it):
    only the clinician-weeks touched since the previous run started (``touched_weeks_materialize``)
    are priced, which is what the event path left behind (lost awards, edits that bypass it,
    campaign multipliers). The full run prices every activity once, into a temporary table that the
    corrections, the scores and the badges then read: it is the audit that proves the incremental
    state equals a fresh computation (a full run after an incremental one writes nothing; the
    property test in tests/incentives/test_incremental.py states it).

    It holds the pricing lock exclusively (see ``pricing_lock``): awards arriving meanwhile wait
    for it to commit (seconds), then price against its result, so both complete.
    """
    now = timezone.now()
    with transaction.atomic():
        pricing_lock(exclusive=True)
        dialect.recompute_session_settings()
        rule_set = rule_set_current()
        multipliers = {str(pk): str(value) for pk, value in Campaign.objects.values_list("pk", "multiplier")}
        previous = PricingRun.objects.first()
        incremental = not full and previous is not None and previous.rule_set_version == rule_set.version
        weeks = None
        if incremental:
            changed = [int(pk) for pk, value in multipliers.items() if previous.multipliers.get(pk) != value]
            since = previous.started_at - INCREMENTAL_OVERLAP
            with (
                touched_weeks_materialize(since=since, campaign_ids=changed) as touched,
                priced_materialize(rule_set=rule_set, scope=Scope(weeks_table=touched)) as priced,
            ):
                weeks = _rows(touched)
                written = corrections_insert(rule_set=rule_set, scope=Scope(), now=now, priced_table=priced)
                _scores_refresh_incremental(rule_set=rule_set, now=now, since=since, touched=touched, priced=priced)
        else:
            with priced_materialize(rule_set=rule_set, scope=Scope()) as priced:
                written = corrections_insert(rule_set=rule_set, scope=Scope(), now=now, priced_table=priced)
                scoring.scores_upsert(rule_set=rule_set, now=now, priced_table=priced)
                scoring.ranks_refresh()
                _announce(now=now, clinician_id=None, priced_table=priced)
        mode = PricingRunMode.INCREMENTAL if incremental else PricingRunMode.FULL
        PricingRun.objects.create(
            started_at=now,
            finished_at=timezone.now(),
            mode=mode,
            rule_set_version=rule_set.version,
            multipliers=multipliers,
            weeks_priced=weeks,
            entries_written=written,
        )
    return RecomputeResult(rule_set_version=rule_set.version, entries_written=written, mode=mode, weeks_priced=weeks)


def _scores_refresh_incremental(
    *, rule_set: RuleSet, now: dt.datetime, since: dt.datetime, touched: str, priced: str
) -> None:
    """Refresh the Scores, ranks, tiers and badges an incremental run may have changed: those of the
    clinicians with a touched week and of those with points that left the rolling 30 days since
    ``since``, whose activities are read once (``badge_facts_materialize``); everybody's Score when
    a month, quarter or year began since then (the calendar periods restart for all)."""
    before, after = scoring.period_starts(since), scoring.period_starts(now)
    new_period = any(before[name] != after[name] for name in ("this_month", "this_quarter", "this_year"))
    with (
        score_scope_materialize(
            touched_weeks=touched, left_from=before["last_30_days"], left_before=after["last_30_days"]
        ) as clinicians,
        scoring.badge_facts_materialize(clinicians=clinicians, priced_table=priced) as facts,
    ):
        if new_period:
            scoring.scores_upsert(rule_set=rule_set, now=now)
        else:
            scoring.scores_upsert(rule_set=rule_set, now=now, priced_table=facts, clinicians_table=clinicians)
        scoring.ranks_refresh()
        _announce(now=now, clinician_id=None, priced_table=priced, touched_weeks=touched)


def scores_recompute_request(*, full: bool) -> None:
    """Promise a recompute to a worker (through the outbox; the admin action's way)."""
    from incentives.tasks import recompute_scores

    with transaction.atomic():
        outbox_enqueue(task=recompute_scores, kwargs={"full": full})


def _rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - a fixed temporary table name
        return int(cursor.fetchone()[0])


def awards_requeue_unpriced(*, now: dt.datetime | None = None) -> list[int]:
    """Re-queue the award of every activity changed a few minutes ago that no award priced since
    (a worker died with its message, or the message was lost); returns their ids. Idempotent: a
    second award of the same activity writes nothing."""
    from incentives import selectors
    from incentives.tasks import award_activity

    activity_ids = selectors.activities_awaiting_pricing(now=now or timezone.now())
    with transaction.atomic():
        for activity_id in activity_ids:
            outbox_enqueue(task=award_activity, args=[activity_id])
    return activity_ids


def rule_set_preview(*, rule_set: RuleSet) -> Preview:
    """How many points pricing under ``rule_set`` would move against the ledger (writes nothing)."""
    return corrections_preview(rule_set=rule_set)


# The rule-set preview prices every activity (half a minute at 10M): a task does it, part by part
# (ranges of clinician ids; caps never cross clinicians, so the parts add up exactly), and keeps its
# progress and result in the cache for the admin page to show.
PREVIEW_PARTS = 20
PREVIEW_KEEP_SECONDS = 7 * 24 * 3600


def _preview_key(rule_set_id: int) -> str:
    return f"incentives:rule-set-preview:{int(rule_set_id)}"


def rule_set_preview_state(*, rule_set: RuleSet) -> dict | None:
    """The preview task's state for ``rule_set``: None (never asked), or a dict with ``status``
    (queued, running, done), ``parts_done``/``parts``, ``requested_at`` and, once done,
    ``activities``, ``points_added``, ``points_removed`` and ``tier_changes``."""
    return cache.get(_preview_key(rule_set.pk))


def rule_set_preview_request(*, rule_set: RuleSet) -> None:
    """Ask a worker for ``rule_set``'s preview (through the outbox: promised in this transaction)."""
    from incentives.tasks import preview_rule_set

    state = {"status": "queued", "parts_done": 0, "parts": PREVIEW_PARTS, "requested_at": timezone.now().isoformat()}
    cache.set(_preview_key(rule_set.pk), state, PREVIEW_KEEP_SECONDS)
    outbox_enqueue(task=preview_rule_set, args=[rule_set.pk])


def rule_set_preview_run(*, rule_set_id: int) -> dict:
    """The preview task's work: price every activity under the rule set, a part of the clinicians
    at a time, recording progress after each part. Writes nothing to the database."""
    rule_set = RuleSet.objects.get(pk=rule_set_id)
    key = _preview_key(rule_set_id)
    state = cache.get(key) or {"requested_at": timezone.now().isoformat()}
    bounds = Clinician.objects.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"] or 0, (bounds["high"] or 0) + 1
    step = max(1, -(-(high - low) // PREVIEW_PARTS))
    totals = {"activities": 0, "points_added": 0, "points_removed": 0}
    state.update(status="running", parts_done=0, parts=PREVIEW_PARTS, **totals)
    cache.set(key, state, PREVIEW_KEEP_SECONDS)
    for part in range(PREVIEW_PARTS):
        start = low + part * step
        preview = corrections_preview(
            rule_set=rule_set, scope=Scope(clinicians_from=start, clinicians_before=start + step)
        )
        totals["activities"] += preview.activities
        totals["points_added"] += preview.points_added
        totals["points_removed"] += preview.points_removed
        state.update(parts_done=part + 1, **totals)
        cache.set(key, state, PREVIEW_KEEP_SECONDS)
    state.update(
        status="done", tier_changes=rule_set_tier_changes(rule_set=rule_set), finished_at=timezone.now().isoformat()
    )
    cache.set(key, state, PREVIEW_KEEP_SECONDS)
    return state


def rule_set_tier_changes(*, rule_set: RuleSet) -> int:
    """How many clinicians' tiers ``rule_set``'s thresholds would change at the next recompute."""
    return scoring.tier_changes_count(rule_set=rule_set)


def rule_set_create_version(*, values: dict, created_by: User | None) -> RuleSet:
    """Store edited rules as a new version; earlier versions are never changed."""
    with transaction.atomic():
        latest = RuleSet.objects.select_for_update().aggregate(latest=Max("version"))["latest"] or 0
        rule_set = RuleSet(**values, version=latest + 1, created_by=created_by, created_at=timezone.now())
        rule_set.full_clean()
        rule_set.save()
    return rule_set


def ledger_adjust(*, clinician: Clinician, amount: int, reason: str, actor: User) -> LedgerEntry:
    """A manual correction by an admin, with its reason, as an ADJUSTMENT entry."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for the adjustment."})
    if amount == 0:
        raise ValidationError({"amount": "An adjustment of zero points changes nothing."})
    with transaction.atomic():
        Clinician.objects.select_for_update().filter(pk=clinician.pk).exists()
        entry = LedgerEntry(
            clinician=clinician,
            amount=amount,
            kind=LedgerKind.ADJUSTMENT,
            memo=reason[:300],
            actor=actor,
            idempotency_key=f"adjustment:{uuid.uuid4().hex}",
            created_at=timezone.now(),
        )
        entry.full_clean()
        entry.save()
        audit_record(
            event=AuditEvent.LEDGER_ADJUSTED,
            target=entry,
            actor=actor,
            changes={"clinician": [None, str(clinician)], "amount": [None, amount], "memo": [None, entry.memo]},
        )
        score_refresh(clinician_id=clinician.pk)
    return entry


def module_completion_award(*, completion_id: int) -> int:
    """Credit a module completion under the current rule set: once per clinician, module and
    version (the idempotency key), then the professional development badges. Returns entries written."""
    completion = Completion.objects.select_related("module", "clinician").filter(pk=completion_id).first()
    if completion is None:
        return 0
    now = timezone.now()
    key = f"module:{completion.module_id}:v{completion.module_version}:clinician:{completion.clinician_id}"
    with transaction.atomic(savepoint=False):
        Clinician.objects.select_for_update().filter(pk=completion.clinician_id).exists()
        if LedgerEntry.objects.filter(idempotency_key=key).exists():
            return 0
        rule_set = rule_set_current()
        written = 0
        if rule_set.module_completion_points:
            LedgerEntry.objects.create(
                clinician_id=completion.clinician_id,
                amount=rule_set.module_completion_points,
                kind=LedgerKind.AWARD,
                rule_set=rule_set,
                memo=f"Learning: completed “{completion.module.title}” v{completion.module_version}"[:300],
                idempotency_key=key,
                created_at=now,
            )
            written = 1
        _professional_development_award(clinician=completion.clinician, now=now)
        score_refresh(clinician_id=completion.clinician_id, rule_set=rule_set, now=now)
    return written


def _professional_development_award(*, clinician: Clinician, now: dt.datetime) -> None:
    modules = Completion.objects.filter(clinician=clinician).values("module").distinct().count()
    codes = [code for threshold, code in scoring.PROFESSIONAL_DEVELOPMENT_BADGES.items() if modules >= threshold]
    for badge in Badge.objects.filter(code__in=codes).exclude(awards__clinician=clinician):
        Award.objects.create(badge=badge, clinician=clinician, awarded_at=now, context={"modules": modules})
        notification_send(
            user=clinician.user,
            kind=NotificationKind.BADGE_EARNED,
            title=f"Badge earned: {badge.name}",
            body="Professional development: your completed learning modules earned a badge.",
            url=reverse("incentives:statement"),
        )


def clinician_balance(*, clinician_id: int) -> int:
    return LedgerEntry.objects.filter(clinician_id=clinician_id).aggregate(total=Sum("amount"))["total"] or 0


def _redemption_notify(redemption: Redemption) -> None:
    notification_send(
        user=redemption.clinician.user,
        kind=NotificationKind.REDEMPTION_STATUS,
        title=f"Reward {redemption.get_status_display().lower()}: {redemption.reward.name}",
        body=f"Your request for {redemption.reward.name} ({redemption.cost} points) is now "
        f"{redemption.get_status_display().lower()}.",
        url=reverse("incentives:reward_list"),
    )


def redemption_request(
    *, clinician: Clinician, reward: Reward, delivery_name: str = "", delivery_address: str = ""
) -> Redemption:
    """Buy a reward: deduct its cost through the ledger and take one from stock, atomically. A
    reward that needs_delivery_address is refused without a name and an address to send it to.

    Race: two requests at once could both see enough balance or stock. The clinician row is locked
    (serialising one clinician's requests; the balance is read inside the lock) and then the reward
    row (serialising its stock); always in that order, so two requests cannot deadlock.
    """
    now = timezone.now()
    with transaction.atomic():
        Clinician.objects.select_for_update().filter(pk=clinician.pk).exists()
        reward = Reward.objects.select_for_update().get(pk=reward.pk)
        if not reward.is_active or (reward.available_from and reward.available_from > now):
            raise ValidationError("This reward is not available yet.")
        if reward.available_until and reward.available_until < now:
            raise ValidationError("This reward is no longer available.")
        if reward.stock is not None and reward.stock < 1:
            raise ValidationError("This reward is out of stock.")
        balance = clinician_balance(clinician_id=clinician.pk)
        if balance < reward.cost:
            raise ValidationError(f"This reward costs {reward.cost} points; your balance is {balance}.")
        if not reward.needs_delivery_address:
            delivery_name = delivery_address = ""
        elif not (delivery_name.strip() and delivery_address.strip()):
            raise ValidationError("This reward is sent by post: give the name and the address to send it to.")
        redemption = Redemption(
            reward=reward,
            clinician=clinician,
            cost=reward.cost,
            created_at=now,
            delivery_name=delivery_name.strip(),
            delivery_address=delivery_address.strip(),
        )
        redemption.full_clean()
        redemption.save()
        if reward.stock is not None:
            reward.stock -= 1
            reward.save(update_fields=["stock"])
        LedgerEntry(
            clinician=clinician,
            amount=-reward.cost,
            kind=LedgerKind.REDEMPTION,
            memo=f"Redeemed: {reward.name}"[:300],
            idempotency_key=f"redemption:{redemption.pk}",
            created_at=now,
        ).save()
        score_refresh(clinician_id=clinician.pk, now=now)
        _redemption_notify(redemption)
    return redemption


_TRANSITIONS = {
    RedemptionStatus.APPROVED: {RedemptionStatus.REQUESTED},
    RedemptionStatus.SENT: {RedemptionStatus.APPROVED},
    RedemptionStatus.FULFILLED: {RedemptionStatus.APPROVED, RedemptionStatus.SENT},
    RedemptionStatus.CANCELLED: {RedemptionStatus.REQUESTED, RedemptionStatus.APPROVED},
}


def redemption_decide(*, redemption: Redemption, status: str, actor: User, note: str = "") -> Redemption:
    """Approve, fulfil or cancel a redemption; cancelling refunds the points and restocks."""
    now = timezone.now()
    with transaction.atomic():
        redemption = (
            Redemption.objects.select_for_update().select_related("reward", "clinician__user").get(pk=redemption.pk)
        )
        if redemption.status not in _TRANSITIONS[status]:
            current, wanted = redemption.get_status_display(), RedemptionStatus(status).label
            raise ValidationError(f"A {current.lower()} redemption cannot become {wanted.lower()}.")
        redemption.status = status
        redemption.decided_by = actor
        redemption.decided_at = now
        if note:
            redemption.note = note
        redemption.full_clean()
        redemption.save(update_fields=["status", "decided_by", "decided_at", "note"])
        if status == RedemptionStatus.CANCELLED:
            LedgerEntry(
                clinician=redemption.clinician,
                amount=redemption.cost,
                kind=LedgerKind.REFUND,
                memo=f"Refund: {redemption.reward.name} cancelled"[:300],
                actor=actor,
                idempotency_key=f"refund:{redemption.pk}",
                created_at=now,
            ).save()
            reward = Reward.objects.select_for_update().get(pk=redemption.reward_id)
            if reward.stock is not None:
                reward.stock += 1
                reward.save(update_fields=["stock"])
            score_refresh(clinician_id=redemption.clinician_id, now=now)
        _redemption_notify(redemption)
    return redemption


def weekly_digest_send(*, clinician_id: int, week_of: dt.date, now: dt.datetime | None = None) -> bool:
    """Email one clinician the digest of ``week_of`` unless it was sent already or they muted it.

    Race: two beat runs (or a rerun after a crash) for the same clinician and week. The clinician's
    row is locked and the send record is written in the transaction that puts the email in the
    outbox, so exactly one of them sends; the unique constraint backs that on any database.
    """
    now = now or timezone.now()
    with transaction.atomic():
        clinician = Clinician.objects.select_for_update().select_related("user").get(pk=clinician_id)
        if WeeklyDigest.objects.filter(clinician=clinician, week_of=week_of).exists():
            return False
        if NotificationKind.WEEKLY_DIGEST in notification_muted_kinds_get(user=clinician.user):
            return False
        digest = selectors.weekly_digest_compose(clinician=clinician, week_of=week_of, now=now)
        WeeklyDigest.objects.create(
            clinician=clinician,
            week_of=week_of,
            rank_overall=digest.rank_overall,
            lifetime=digest.lifetime,
            sent_at=now,
        )
        email_send(
            template_prefix="incentives/email/weekly_digest",
            to=[clinician.user.email],
            context={"clinician": clinician, "digest": digest},
        )
    return True


def weekly_digests_send(*, now: dt.datetime | None = None) -> int:
    """Hourly (beat): send every digest that is due (Monday morning in each clinician's time zone);
    returns how many were sent. Each send is its own transaction, so one failure loses no other."""
    now = now or timezone.now()
    return sum(
        weekly_digest_send(clinician_id=clinician_id, week_of=week_of, now=now)
        for clinician_id, week_of in selectors.weekly_digests_due(now=now)
    )
