"""Users (email is the login), in-app notifications, the worker heartbeat and the audit trail's event names."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    """Creates users identified by email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. Clinicians have a `clinician` profile; staff belong to a group."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class NotificationKind(models.TextChoices):
    CREDENTIAL_VERIFIED = "credential_verified", "Credential verified"
    CREDENTIAL_REJECTED = "credential_rejected", "Credential rejected"
    CREDENTIAL_EXPIRING = "credential_expiring", "Credential expiring"
    ACTIVITY_FLAGGED = "activity_flagged", "Activity flagged"
    ACTIVITY_REJECTED = "activity_rejected", "Activity rejected"
    BADGE_EARNED = "badge_earned", "Badge earned"
    TIER_REACHED = "tier_reached", "Tier reached"
    REDEMPTION_STATUS = "redemption_status", "Redemption status changed"
    REPORT_READY = "report_ready", "Report ready"
    MODULE_UPDATED = "module_updated", "Learning module updated"
    MODULE_REVIEW_DUE = "module_review_due", "Learning module due for review"
    # Email only (no in-app notification): muting it here is the digest's opt-out.
    WEEKLY_DIGEST = "weekly_digest", "Weekly digest (Monday morning, your time)"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user) -> "NotificationQuerySet":
        return self.filter(user=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One in-app message to one user. Emails are sent alongside when the user wants them."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The navigation's unread badge and the list page both filter by user, newest first.
            models.Index(fields=["user", "-created_at"], name="notification_user_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class NotificationEmailPreference(models.Model):
    """Which notification kinds a user also wants by email (all of them unless switched off)."""

    user = models.OneToOneField("core.User", on_delete=models.CASCADE, related_name="email_preference")
    muted_kinds = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Email preferences of {self.user_id}"

    def wants(self, kind: str) -> bool:
        return kind not in self.muted_kinds


class Heartbeat(models.Model):
    """Last time a named process (the Celery worker, via a beat task) proved it was alive."""

    name = models.CharField(max_length=100, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def unsent(self) -> "OutboxMessageQuerySet":
        return self.filter(sent_at__isnull=True)

    def due(self, *, now) -> "OutboxMessageQuerySet":
        """Unsent messages whose next attempt has come, oldest promise first."""
        return self.unsent().filter(next_attempt_at__lte=now).order_by("next_attempt_at", "pk")


class OutboxMessage(models.Model):
    """One Celery task promised in a database transaction (the transactional outbox).

    The row commits with the change it belongs to, so the task can never be lost to a broker that
    is down at commit time; `core.outbox` publishes it after commit and the `outbox_relay` process
    publishes whatever that fast path could not. Consumers are idempotent: a message may be
    published twice (the relay dies between publishing and marking it sent), never zero times.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    # Empty: the task's own queue (or the route in CELERY_TASK_ROUTES).
    queue = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The request that promised the task (core.request_id): published in the message headers.
    request_id = models.CharField(max_length=64, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The relay polls "unsent and due" every second; sent rows (almost all of the table
            # until the purge) stay out of this index.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_unsent_due_idx",
            ),
            # The purge deletes sent rows older than the retention.
            models.Index(fields=["sent_at"], condition=models.Q(sent_at__isnull=False), name="outbox_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)} #{self.pk}"


class AuditEvent(models.TextChoices):
    """What an audit entry written by core.services.audit_record records (its additional_data["event"]).

    Changes to tracked models are logged by django-auditlog itself (AUDITLOG_INCLUDE_TRACKING_MODELS)
    and carry no event name; these are the accesses and the writes it cannot see row by row.
    """

    EVIDENCE_DOWNLOADED = "evidence_downloaded", "Evidence document downloaded"
    REPORT_DOWNLOADED = "report_downloaded", "Report downloaded"
    ADMIN_LOGIN = "admin_login", "Login by an account with admin access"
    LEDGER_ADJUSTED = "ledger_adjusted", "Manual ledger adjustment"


class AuditTrailIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit entry through Django (the database trigger
    refuses the same on PostgreSQL, whatever the client)."""
