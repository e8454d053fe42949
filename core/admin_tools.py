"""Admin building blocks shared by every app's admin: changelists over large tables, sensitive
actions that ask for recent re-authentication, and the page where an action asks for its reason."""

from functools import cached_property, wraps

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.reauthentication import STATE_SESSION_KEY, is_reauthentication_required
from allauth.core.internal.httpkit import serialize_request
from django.contrib.admin import helpers
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _

# Below this many rows (PostgreSQL's planner estimate), an exact COUNT(*) is cheap enough.
ESTIMATE_COUNT_ABOVE = 50_000


class LargeTablePaginator(Paginator):
    """For changelists of tables with millions of rows: an unfiltered list shows PostgreSQL's row
    estimate (pg_class.reltuples, kept by autovacuum/ANALYZE) instead of a COUNT(*) that reads the
    whole table on every page view; below ESTIMATE_COUNT_ABOVE rows the same statement counts exactly.
    Filtered lists and other databases count exactly. Always one query, whatever the table's size."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql" or queryset.query.where:
            return super().count
        table = queryset.model._meta.db_table
        quoted = connection.ops.quote_name(table)
        # The model's own table name, quoted; the values are parameters.
        sql = f"SELECT CASE WHEN reltuples > %s THEN reltuples::bigint ELSE (SELECT COUNT(*) FROM {quoted}) END FROM pg_class WHERE oid = %s::regclass"  # noqa: E501, S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [ESTIMATE_COUNT_ABOVE, table])
            return int(cursor.fetchone()[0])


class FastChangelistMixin:
    """The action checkbox of each row as one format_html call.

    Django renders it through a form widget and its template, about a fifth of a 50-row
    changelist's time here; the markup (name, value, class, label) is the same.
    """

    def action_checkbox(self, obj):
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            _("Select this object for an action - {}").format(obj),
        )


def sensitive_admin_action(action):
    """An admin action that first asks for recent re-authentication (allauth's flow: password or
    authenticator code, valid for ACCOUNT_REAUTHENTICATION_TIMEOUT seconds). allauth keeps the POST
    and replays it once the person has re-authenticated, so the action then runs as submitted."""

    @wraps(action)
    def wrapper(modeladmin, request, queryset):
        if request.method == "POST" and is_reauthentication_required(request, app=""):
            # allauth replays a suspended POST only when the page it returns to is the bare path,
            # so an action taken on a filtered changelist (?status=awaiting) was silently dropped.
            # Return to the bare path; the stashed request keeps its query string for the replay.
            request.session[STATE_SESSION_KEY] = {"request": serialize_request(request)}
            methods = get_adapter().get_reauthentication_methods(request.user)
            target = methods[0]["url"] if methods else reverse("account_login")
            return HttpResponseRedirect(f"{target}?{urlencode({REDIRECT_FIELD_NAME: request.path})}")
        return reauthentication_required(lambda request: action(modeladmin, request, queryset))(request)

    return wrapper


# For admin views and changeform_view: GET shows the page, POST (the change) needs re-authentication.
sensitive_admin_view = reauthentication_required(allow_get=True)


def admin_action_form_page(
    modeladmin, request: HttpRequest, *, template: str, title: str, form, selected: QuerySet
) -> TemplateResponse:
    """The page an admin action shows before it runs (a reason to give, say): the selected rows,
    posted again with the form as `admin/_action_form.html` does. The template's context holds
    `title`, `form`, `selected` and the admin's own context."""
    return TemplateResponse(
        request,
        template,
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "selected": selected,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )
