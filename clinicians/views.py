"""Views of the clinicians app: thin; selectors check access, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinicians import selectors, services
from clinicians.forms import ClinicianProfileForm, CredentialForm, SocialAccountForm
from clinicians.models import CredentialKind
from clinicians.public_profiles import CODE_PROOF_PLATFORMS
from core.models import AuditEvent
from core.private_files import private_file_response
from core.services import audit_record


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    clinician = selectors.clinician_for_user(user=request.user)
    onboarding = clinician.profile_completed_at is None
    form = ClinicianProfileForm(request.POST or None, instance=clinician)
    if request.method == "POST" and form.is_valid():
        services.clinician_profile_update(clinician=clinician, data=form.cleaned_data)
        if onboarding:
            messages.success(request, "Your profile is complete. Next, submit a credential to get verified.")
            return redirect("clinicians:credential_create")
        messages.success(request, "Your profile was saved.")
        return redirect("clinicians:profile_edit")
    return render(request, "clinicians/profile_edit.html", {"form": form, "onboarding": onboarding})


@login_required
@require_GET
def credential_list(request: HttpRequest) -> HttpResponse:
    clinician = selectors.clinician_for_user(user=request.user)
    credentials = selectors.credential_list_for_clinician(clinician=clinician)
    return render(request, "clinicians/credential_list.html", {"clinician": clinician, "credentials": credentials})


@login_required
@require_http_methods(["GET", "POST"])
def credential_create(request: HttpRequest) -> HttpResponse:
    clinician = selectors.clinician_for_user(user=request.user)
    # A linked Doximity account that reported an NPI pre-fills it (the registry check still decides).
    npi = selectors.doximity_npi_of(clinician=clinician)
    initial = {"kind": CredentialKind.NPI, "identifier": npi} if npi else None
    form = CredentialForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            credential = services.credential_submit(
                clinician=clinician,
                kind=data["kind"],
                identifier=data["identifier"],
                issuer=data.get("issuer") or "",
                expires_on=data.get("expires_on"),
                evidence=data.get("evidence"),
                evidence_content_type=getattr(form, "evidence_content_type", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your credential was submitted.")
            return redirect("clinicians:credential_detail", pk=credential.pk)
    return render(request, "clinicians/credential_create.html", {"form": form})


@login_required
@require_GET
def credential_detail(request: HttpRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_get_for_user(user=request.user, pk=pk)
    decisions = selectors.credential_decisions(credential=credential)
    return render(request, "clinicians/credential_detail.html", {"credential": credential, "decisions": decisions})


@login_required
@require_GET
def credential_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_evidence_get_for_user(user=request.user, pk=pk)
    if not credential.evidence:
        raise Http404("No evidence for this credential.")
    extension = credential.evidence.name.rsplit(".", 1)[-1]
    audit_record(event=AuditEvent.EVIDENCE_DOWNLOADED, target=credential, actor=request.user, request=request)
    return private_file_response(
        file=credential.evidence,
        filename=f"credential-{credential.pk}-evidence.{extension}",
        content_type=credential.evidence_content_type or "application/octet-stream",
    )


@require_GET
def public_verification(request: HttpRequest, public_id) -> HttpResponse:
    clinician = selectors.clinician_public_get(public_id=public_id)
    return render(request, "clinicians/clinician_verification.html", {"clinician": clinician})


@login_required
@require_http_methods(["GET", "POST"])
def social_account_list(request: HttpRequest) -> HttpResponse:
    clinician = selectors.clinician_for_user(user=request.user)
    form = SocialAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.social_account_link(
                clinician=clinician, platform=data["platform"], handle=data["handle"], profile_url=data["profile_url"]
            )
        except ValidationError as error:
            if getattr(error, "error_dict", {}).get("handle"):
                form.add_error(None, error)
            else:
                form.add_error("handle", "You have already linked this account.")
        else:
            messages.success(request, "Your account was linked.")
            return redirect("clinicians:social_account_list")
    accounts = selectors.social_account_list_for_clinician(clinician=clinician)
    return render(
        request,
        "clinicians/social_account_list.html",
        {"form": form, "accounts": accounts, "code_platforms": sorted(CODE_PROOF_PLATFORMS)},
    )


@login_required
@require_POST
def social_account_proof_check(request: HttpRequest, pk: int) -> HttpResponse:
    clinician = selectors.clinician_for_user(user=request.user)
    account = selectors.social_account_get_for_clinician(clinician=clinician, pk=pk)
    services.social_account_proof_check_request(account_id=account.pk)
    messages.info(request, "We are reading your public profile; refresh this page in a minute to see the result.")
    return redirect("clinicians:social_account_list")


@login_required
@require_POST
def social_account_delete(request: HttpRequest, pk: int) -> HttpResponse:
    clinician = selectors.clinician_for_user(user=request.user)
    account = selectors.social_account_get_for_clinician(clinician=clinician, pk=pk)
    services.social_account_unlink(account=account)
    messages.success(request, "The account was unlinked.")
    return redirect("clinicians:social_account_list")
