"""Personal access tokens for the REST API: named, scoped, expiring, stored as a SHA-256 digest."""

from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    ACTIVITIES_READ = "activities:read", "Read my activities, profile and linked accounts"
    ACTIVITIES_WRITE = "activities:write", "Log, withdraw and update my activities"
    CAMPAIGNS_WRITE = "campaigns:write", "Join and leave campaigns"
    POINTS_READ = "points:read", "Read my points and the leaderboard"
    REPORTS_READ = "reports:read", "Staff: read reports and statistics"
    REPORTS_WRITE = "reports:write", "Staff: request reports"


# Scopes that also need the reports permission when the token is used, not only when it is made.
STAFF_SCOPES = frozenset({Scope.REPORTS_READ, Scope.REPORTS_WRITE})


class AccessTokenQuerySet(models.QuerySet["AccessToken"]):
    def for_user(self, user) -> "AccessTokenQuerySet":
        return self.filter(user=user)


class AccessToken(models.Model):
    """One personal access token. The secret is shown once; only its digest is kept."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=80)
    # A short public prefix of the secret, so the user can tell tokens apart on the page.
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The token page lists one user's tokens.
            models.Index(fields=["user", "created_at"], name="accesstoken_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
