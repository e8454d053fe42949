"""Pages of the campaigns app: the clinician's activity log, CSV import, and campaigns."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from campaigns import activity_import as importer
from campaigns import participation, selectors, services
from campaigns.forms import ActivityEditForm, ActivityFilterForm, ActivityForm, ActivityImportForm, shared_post_initial
from campaigns.models import ActivityStatus, Category
from campaigns.privacy_guard import privacy_fingerprint, privacy_hits_for, privacy_summary
from campaigns.share_links import mastodon_instance_clean, share_links
from clinicians.access import clinician_or_staff, clinician_required
from clinicians.models import Clinician
from core.images import image_content_type
from learning.selectors import modules_missing_for

READING_GRADE_TARGET = 8
# The clinician's Mastodon server, asked once for the share buttons and kept for the session.
MASTODON_SESSION_KEY = "mastodon_instance"


@clinician_required
@require_GET
def activity_list(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    campaigns = selectors.campaigns_for_filter(clinician=clinician)
    form = ActivityFilterForm(request.GET or None, campaigns=campaigns)
    activities = selectors.activity_list_for_clinician(clinician=clinician, filters=form.filters())
    page = Paginator(activities, settings.ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "campaigns/activity_list.html",
        {
            "form": form,
            "page": page,
            "totals": selectors.activity_totals(activities=activities),
            "link_clicks": selectors.tracked_link_clicks(clinician=clinician),
            "query": query.urlencode(),
        },
    )


def _privacy_context(excerpt: str, hits: list[dict]) -> dict:
    """What _excerpt_feedback.html needs to show the hits and the confirmation that names them."""
    return {
        "excerpt": excerpt,
        "privacy_hits": hits,
        "privacy_summary": privacy_summary(hits),
        "privacy_fingerprint": privacy_fingerprint(hits),
    }


def _duplicate_of(error: ValidationError) -> int | None:
    """The clinician's own earlier entry for the same post, when that is what the error is about."""
    for item in getattr(error, "error_dict", {}).get("url", []):
        if item.code == "duplicate_own":
            return item.params["activity_id"]
    return None


@clinician_required
def activity_create(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    campaigns = selectors.campaigns_joined_for(clinician=clinician)
    privacy_hits: list[dict] = []
    duplicate_of = None
    if request.method == "POST":
        form = ActivityForm(request.POST, campaigns=campaigns)
        if form.is_valid():
            try:
                activity = services.activity_record(
                    clinician=clinician, data=form.to_input(), privacy_confirmed=form.privacy_confirmed()
                )
            except services.PrivacyGuardHit as hit:
                privacy_hits = hit.hits
                form.privacy_ask(hit, "excerpt")
            except ValidationError as error:
                form.add_service_errors(error)
                duplicate_of = _duplicate_of(error)
            else:
                if services.OWNERSHIP_GUARD in activity.guard_flags:
                    messages.warning(request, f"Activity logged and held for review. {activity.review_reason}")
                else:
                    messages.success(request, f"Activity logged: {activity.get_status_display().lower()}.")
                return redirect("campaigns:activity_detail", pk=activity.pk)
    else:
        # A phone's share sheet (the manifest's share_target) and the bookmarklet open this page with
        # url/text/title parameters.
        initial = shared_post_initial(request.GET)
        if initial.get("url"):
            # Shared straight from the app: the post was (almost certainly) just made.
            initial["posted_at"] = timezone.localtime().replace(second=0, microsecond=0)
        if request.GET.get("campaign"):
            initial["campaign"] = request.GET.get("campaign")
        form = ActivityForm(initial=initial or None, campaigns=campaigns)
    excerpt = form.data.get("excerpt", "") if form.is_bound else form.initial.get("excerpt", "")
    return render(
        request,
        "campaigns/activity_form.html",
        {
            "form": form,
            **_privacy_context(excerpt, privacy_hits),
            "duplicate_of": duplicate_of,
            "suggested": selectors.campaigns_suggested_for_excerpt(excerpt=excerpt, clinician=clinician),
            "reading_grade": services.reading_grade_for(category=Category.PUBLIC_EDUCATION, excerpt=excerpt)
            if form.is_bound and form.data.get("category") == Category.PUBLIC_EDUCATION
            else None,
            "grade_target": READING_GRADE_TARGET,
        },
    )


@clinician_required
@require_GET
def activity_excerpt_check(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    """htmx: the privacy guard's hits (the same a save would stop on), campaign suggestions and the
    reading grade for the excerpt being typed."""
    excerpt = request.GET.get("excerpt", "")[:5000]
    category = request.GET.get("category", "")
    return render(
        request,
        "campaigns/_excerpt_feedback.html",
        {
            **_privacy_context(excerpt, privacy_hits_for(excerpt)),
            "suggested": selectors.campaigns_suggested_for_excerpt(excerpt=excerpt, clinician=clinician),
            "reading_grade": services.reading_grade_for(category=category, excerpt=excerpt),
            "grade_target": READING_GRADE_TARGET,
        },
    )


@clinician_required
@require_GET
def activity_detail(request: HttpRequest, clinician: Clinician, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_clinician(clinician=clinician, pk=pk)
    return render(
        request,
        "campaigns/activity_detail.html",
        {
            "activity": activity,
            "grade_target": READING_GRADE_TARGET,
            "can_withdraw": activity.can_become(ActivityStatus.WITHDRAWN),
            "link_clicks": (
                selectors.tracked_link_clicks(clinician=clinician, campaign_id=activity.campaign_id)
                if activity.campaign_id
                else None
            ),
        },
    )


@clinician_required
def activity_edit(request: HttpRequest, clinician: Clinician, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_clinician(clinician=clinician, pk=pk)
    if not activity.is_editable:
        messages.error(request, "A withdrawn or rejected activity cannot be edited.")
        return redirect("campaigns:activity_detail", pk=activity.pk)
    privacy_hits: list[dict] = []
    if request.method == "POST":
        form = ActivityEditForm(request.POST)
        if form.is_valid():
            try:
                services.activity_metrics_update(
                    activity=activity,
                    metrics=form.metrics(),
                    excerpt=form.cleaned_data["excerpt"] if "excerpt" in form.data else None,
                    privacy_confirmed=form.privacy_confirmed(),
                )
            except services.PrivacyGuardHit as hit:
                privacy_hits = hit.hits
                form.privacy_ask(hit, "excerpt")
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Activity updated; the previous figures are kept.")
                return redirect("campaigns:activity_detail", pk=activity.pk)
    else:
        form = ActivityEditForm(
            initial={"excerpt": activity.excerpt, **{name: getattr(activity, name) for name in services.METRIC_FIELDS}}
        )
    excerpt = form.data.get("excerpt", "") if form.is_bound else activity.excerpt
    return render(
        request,
        "campaigns/activity_edit.html",
        {"form": form, "activity": activity, **_privacy_context(excerpt, privacy_hits)},
    )


@clinician_required
@require_POST
def activity_withdraw(request: HttpRequest, clinician: Clinician, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_clinician(clinician=clinician, pk=pk)
    try:
        services.activity_withdraw(activity=activity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Activity withdrawn.")
    return redirect("campaigns:activity_detail", pk=activity.pk)


@clinician_required
def activity_import(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    """Upload (POST with a file) → preview; confirm (POST with batch) → result."""
    if request.method == "POST" and "batch" in request.POST:
        try:
            batch_id = int(request.POST["batch"])
        except ValueError:
            raise Http404("No such import.") from None
        batch = selectors.import_batch_get_for_clinician(clinician=clinician, pk=batch_id)
        batch = importer.activity_import_confirm(clinician=clinician, batch=batch)
        return render(request, "campaigns/activity_import_result.html", {"batch": batch})
    form = ActivityImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read(settings.ACTIVITY_IMPORT_MAX_BYTES + 1)
        try:
            batch = importer.activity_import_preview(clinician=clinician, raw=raw, filename=upload.name)
        except importer.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return render(request, "campaigns/activity_import_preview.html", {"batch": batch})
    return render(request, "campaigns/activity_import.html", {"form": form})


@clinician_required
@require_GET
def activity_import_template(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    response = HttpResponse(importer.import_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="activities-template.csv"'
    return response


@clinician_or_staff
@require_GET
def campaign_list(request: HttpRequest, clinician: Clinician | None) -> HttpResponse:
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "clinician": clinician,
            "open_campaigns": selectors.campaigns_open(clinician=clinician),
            "closed_campaigns": selectors.campaigns_closed(clinician=clinician),
        },
    )


@clinician_or_staff
@require_GET
def campaign_detail(request: HttpRequest, clinician: Clinician | None, slug: str) -> HttpResponse:
    campaign = selectors.campaign_get(slug=slug, clinician=clinician)
    progress = selectors.campaign_progress(campaign)
    instance = request.session.get(MASTODON_SESSION_KEY, "")
    link_clicks = None
    if clinician is not None:
        items = list(campaign.toolkit_items.all())
        # Members share their own short links, which count clicks for them and the campaign.
        tracked = participation.tracked_links_ensure(clinician=clinician, items=items) if campaign.joined else {}
        for item in items:
            item.tracked_link = tracked.get(item.pk)
            url = (
                request.build_absolute_uri(reverse("short_link", args=[item.tracked_link.code]))
                if item.tracked_link
                else item.url
            )
            item.share_links = share_links(text=item.text, url=url, instance=instance)
        link_clicks = sum(link.clicks for link in tracked.values()) if tracked else None
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "clinician": clinician,
            "progress": progress,
            "is_closed": campaign.ends_on < timezone.localdate(),
            "mastodon_instance": instance,
            "link_clicks": link_clicks,
            "progress_percent": selectors.goal_percent(achieved=progress, target=campaign.goal_target),
            "missing_modules": (
                modules_missing_for(clinician=clinician, modules=campaign.required_modules.all()) if clinician else []
            ),
        },
    )


@clinician_required
@require_POST
def campaign_join(request: HttpRequest, clinician: Clinician, slug: str) -> HttpResponse:
    campaign = selectors.campaign_get(slug=slug, clinician=clinician)
    try:
        participation.campaign_join(clinician=clinician, campaign=campaign)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You joined “{campaign.title}”.")
    return redirect(reverse("campaigns:campaign_detail", args=[campaign.slug]))


@clinician_required
@require_POST
def campaign_leave(request: HttpRequest, clinician: Clinician, slug: str) -> HttpResponse:
    campaign = selectors.campaign_get(slug=slug, clinician=clinician)
    participation.campaign_leave(clinician=clinician, campaign=campaign)
    messages.success(request, f"You left “{campaign.title}”.")
    return redirect(reverse("campaigns:campaign_detail", args=[campaign.slug]))


@clinician_required
@require_POST
def share_mastodon_instance(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    """Remember the clinician's Mastodon server for the share buttons, then go back to the campaign."""
    instance = mastodon_instance_clean(request.POST.get("instance", ""))
    if instance:
        request.session[MASTODON_SESSION_KEY] = instance
        messages.success(request, f"Mastodon posts will open on {instance}.")
    else:
        messages.error(request, "Enter your Mastodon server, for example mastodon.social or med-mastodon.com.")
    slug = request.POST.get("campaign", "")
    campaign = selectors.campaign_get(slug=slug, clinician=clinician) if slug else None
    target = (
        reverse("campaigns:campaign_detail", args=[campaign.slug]) if campaign else reverse("campaigns:campaign_list")
    )
    return redirect(f"{target}#toolkit-heading")


@require_GET
def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """`/l/<code>`: count the click (nothing about the visitor is kept) and go to the evidence link."""
    destination = participation.tracked_link_follow(code=code)
    if destination is None:
        raise Http404("No such link.")
    response = redirect(destination)
    response["Referrer-Policy"] = "no-referrer"
    return response


@clinician_or_staff
@require_GET
def toolkit_image(request: HttpRequest, clinician: Clinician | None, slug: str, pk: int) -> FileResponse:
    """A toolkit item's image, to whoever may see the campaign; ``?download=1`` saves it as a file."""
    item = selectors.toolkit_item_image_get(slug=slug, pk=pk)
    download = request.GET.get("download") == "1"
    extension = item.image.name.rsplit(".", 1)[-1]
    response = FileResponse(
        item.image.open("rb"),
        as_attachment=download,
        filename=f"{slug}-toolkit-{item.pk}.{extension}",
        content_type=image_content_type(item.image.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
