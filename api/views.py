"""Pages of the api app: personal access tokens, the installable web app (manifest, service worker,
offline page) and the "log from anywhere" help page with the bookmarklet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views import defaults
from django.views.decorators.http import require_GET, require_POST

from api import services
from api.forms import TokenForm
from api.models import AccessToken


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    staff = request.user.has_perm(services.STAFF_PERMISSION)
    created = None
    form = TokenForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = TokenForm(staff=staff)
    return render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "created": created,
            "tokens": AccessToken.objects.for_user(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if services.token_revoke(user=request.user, token_id=pk):
        messages.success(request, "Token revoked: it no longer works.")
    return redirect("api_pages:token_list")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: installable, and a Web Share Target that opens the log-a-post form."""
    log_form = reverse("campaigns:activity_create")
    return JsonResponse(
        {
            "name": "Advocacy Portal",
            "short_name": "Advocacy",
            "description": "Log your health advocacy posts and earn recognition.",
            "id": "/",
            "start_url": "/dashboard/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0f766e",
            "icons": [
                {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("img/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
            "share_target": {
                "action": log_form,
                "method": "GET",
                "params": {"title": "title", "text": "text", "url": "url"},
            },
            "shortcuts": [{"name": "Log a post", "url": log_form}],
        },
        content_type="application/manifest+json",
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "api/service_worker.js",
        {"offline_url": reverse("api_pages:offline")},
        content_type="application/javascript",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "api/offline.html")


@require_GET
def log_anywhere(request: HttpRequest) -> HttpResponse:
    """Help page: share target on phones and the bookmarklet for desktop browsers."""
    form_url = request.build_absolute_uri(reverse("campaigns:activity_create"))
    bookmarklet = (
        "javascript:(function(){var s=String(window.getSelection()).slice(0,2000);"
        f"window.open('{form_url}?url='+encodeURIComponent(location.href)"
        "+'&title='+encodeURIComponent(document.title)+'&text='+encodeURIComponent(s),'_blank');})();"
    )
    return render(request, "api/bookmarklet.html", {"bookmarklet": bookmarklet})


def _api_error_page(request: HttpRequest, status: int, detail: str) -> JsonResponse | None:
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {}, "detail": detail}, status=status)
    return None


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 for requests Django refuses before any view (e.g. control characters in the query): the
    API's JSON shape under /api/, Django's page elsewhere."""
    return _api_error_page(request, 400, "The request is not valid.") or defaults.bad_request(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api_error_page(request, 404, "Not found.") or defaults.page_not_found(request, exception)
