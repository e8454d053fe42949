"""Pages of the core app: the notification list and notification email settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import NotificationSettingsForm
from core.selectors import notification_emailed_kinds_get, notification_list_for
from core.services import notification_mark_read, notification_preferences_set


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_list_for(user=request.user), settings.NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "core/notification_list.html", {"page_obj": page, "notifications": page.object_list})


@require_POST
@login_required
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notification_mark_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'' if count == 1 else 's'} as read.")
    return redirect("core:notification_list")


@require_http_methods(["GET", "POST"])
@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        if form.is_valid():
            notification_preferences_set(user=request.user, muted_kinds=form.muted_kinds())
            messages.success(request, "Your notification email settings were saved.")
            return redirect("core:notification_settings")
    else:
        form = NotificationSettingsForm(initial={"emailed_kinds": notification_emailed_kinds_get(user=request.user)})
    return render(request, "core/notification_settings.html", {"form": form})
