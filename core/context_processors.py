"""Template context shared by every page: the unread-notification count for the navigation."""

from django.http import HttpRequest

from core.models import Notification


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread_count() -> int:
        return Notification.objects.for_user(user).unread().count()

    # Lazy: evaluated only by templates that show it, so pages without navigation pay nothing.
    return {"unread_notification_count": unread_count}
