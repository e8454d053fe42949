"""Celery tasks of the incentives app: the event path and the nightly recompute (queue "scores"),
and the award sweeper (queue "default").

All are safe to run twice: pricing writes only the difference between an activity's ledger total
and its value, under a per-clinician row lock, so a re-delivered message finds nothing to do.
Transient database errors (a lock wait behind the recompute among them) are retried with backoff
by every task (core.task_retries).
"""

from celery import shared_task

from incentives import ledger_chain, services


@shared_task(queue="scores", acks_late=True, time_limit=60, soft_time_limit=50)
def award_activity(activity_id: int) -> int:
    """Award, re-price or reverse one activity (and its ISO week, which shares its caps)."""
    return services.activity_award(activity_id=activity_id)


@shared_task(queue="scores", acks_late=True, time_limit=120, soft_time_limit=100)
def reprice_clinician(clinician_id: int) -> int:
    """Re-price a clinician's activities after their verification status changed."""
    return services.clinician_reprice(clinician_id=clinician_id)


@shared_task(queue="scores", acks_late=True, time_limit=30 * 60, soft_time_limit=25 * 60)
def recompute_scores(full: bool = False) -> int:
    """Nightly (incremental) or from the admin action (full): re-derive the values, write the
    corrections, refresh scores, ranks and badges; then seal the corrections into the ledger's hash
    chain at once rather than a minute later."""
    written = services.scores_recompute(full=full).entries_written
    ledger_chain.ledger_seal()
    return written


@shared_task(queue="scores", acks_late=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def seal_ledger() -> int:
    """Every minute: append hash-chain links for the ledger entries written since the last seal."""
    return ledger_chain.ledger_seal()


@shared_task(queue="default", time_limit=60, soft_time_limit=50)
def sweep_unpriced_activities() -> int:
    """Every minute (beat): re-queue awards that a dead worker or a lost message left behind."""
    return len(services.awards_requeue_unpriced())


@shared_task(queue="scores", acks_late=True, time_limit=60, soft_time_limit=50)
def award_module_completion(completion_id: int) -> int:
    """Credit a learning module completion (its idempotency key makes a second delivery a no-op)."""
    return services.module_completion_award(completion_id=completion_id)


@shared_task(queue="default", acks_late=True, time_limit=30 * 60, soft_time_limit=25 * 60)
def weekly_digests_send() -> int:
    """Hourly (beat): the Monday-morning digests that are due in each clinician's time zone. A
    rerun sends nothing twice (incentives.WeeklyDigest records each send with its email)."""
    return services.weekly_digests_send()


@shared_task(queue="scores", acks_late=True, time_limit=30 * 60, soft_time_limit=25 * 60)
def preview_rule_set(rule_set_id: int) -> int:
    """The admin's rule-set preview, with progress (read-only: safe to run twice)."""
    return services.rule_set_preview_run(rule_set_id=rule_set_id)["activities"]


@shared_task(queue="default", time_limit=10 * 60, soft_time_limit=9 * 60)
def announce_reached(tiers: list, badges: list) -> int:
    """Notify up to a few hundred clinicians of the tiers and badges a nightly run marked as reached
    (acked early: a redelivery would send the notifications twice)."""
    return services.announcements_send(tiers=tiers, badges=badges)
