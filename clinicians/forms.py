"""Forms of the clinicians app: validation and normalisation only."""

import zoneinfo

from django import forms
from django.utils import timezone

from clinicians.models import Clinician, CredentialKind, Platform, Specialty
from clinicians.services import PROFILE_FIELDS
from clinicians.validators import evidence_inspect, npi_validate, social_handle_normalise

US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
    ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("DC", "District of Columbia"),
    ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"),
    ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"),
    ("ME", "Maine"), ("MD", "Maryland"), ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"),
    ("MS", "Mississippi"), ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"), ("OR", "Oregon"),
    ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"), ("SD", "South Dakota"),
    ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"),
    ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
]  # fmt: skip
COUNTRIES = [
    ("US", "United States"), ("CA", "Canada"), ("GB", "United Kingdom"), ("IE", "Ireland"), ("AU", "Australia"),
    ("NZ", "New Zealand"), ("DE", "Germany"), ("FR", "France"), ("NL", "Netherlands"), ("IN", "India"),
    ("ZA", "South Africa"), ("XX", "Another country"),
]  # fmt: skip


class DescribedErrorsMixin:
    """Tie each field's error list (and help text) to its input with aria-describedby; no label colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                ids = [f"{bound.auto_id}_errors"]
                if self.fields[name].help_text:
                    ids.append(f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


def time_zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone, "America/New_York" shown as "America / New York"; the legacy aliases
    (US/Eastern, EST5EDT, Etc/...) are left out so the list reads as places."""
    zones = sorted(
        zone for zone in zoneinfo.available_timezones() if "/" in zone and not zone.startswith(("Etc/", "US/"))
    )
    return [(zone, zone.replace("/", " / ").replace("_", " ")) for zone in zones]


class ClinicianProfileForm(DescribedErrorsMixin, forms.ModelForm):
    country = forms.ChoiceField(choices=COUNTRIES)
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
        required=False,
        help_text="Your weekly digest arrives on Monday morning in this time zone.",
    )
    state = forms.ChoiceField(
        label="US state", choices=[("", "Choose a state"), *US_STATES], required=False,
        help_text="Required for clinicians in the United States.",
    )  # fmt: skip

    class Meta:
        model = Clinician
        fields = PROFILE_FIELDS
        labels = {
            "display_name": "Display name",
            "specialty_other": "Specialty (if other)",
            "public_profile": "Show a public verification page",
            "leaderboard_opt_in": "Show my name on leaderboards",
        }
        help_texts = {
            "display_name": "Your name as it appears on your licence, e.g. Dr Jane Example.",
            "bio": "Up to 1,000 characters.",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 4, "maxlength": 1000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("display_name", "profession", "specialty"):
            self.fields[name].required = True

    def clean_time_zone(self) -> str:
        # Left out (an older form, the API): the clinician keeps the zone they have.
        return self.cleaned_data["time_zone"] or self.instance.time_zone

    def clean(self):
        data = super().clean()
        if data.get("country") == "US" and not data.get("state"):
            self.add_error("state", "Choose your US state.")
        if data.get("country") != "US":
            data["state"] = ""
        if data.get("specialty") == Specialty.OTHER and not (data.get("specialty_other") or "").strip():
            self.add_error("specialty_other", "Name your specialty.")
        if data.get("specialty") != Specialty.OTHER:
            data["specialty_other"] = ""
        return data


class CredentialForm(DescribedErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label="Credential", choices=CredentialKind.choices)
    identifier = forms.CharField(
        label="Number", max_length=64, help_text="Your 10-digit NPI, or the licence or certificate number."
    )
    issuer = forms.CharField(
        label="Issuing state or body", max_length=120, required=False,
        help_text="Required for licences and certifications, e.g. Illinois or ABIM.",
    )  # fmt: skip
    expires_on = forms.DateField(
        label="Expiry date", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Required for licences and certifications.",
    )  # fmt: skip
    evidence = forms.FileField(
        label="Evidence document", required=False,
        help_text="PDF, PNG or JPEG, up to 10 MB. Required for licences and certifications.",
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        identifier = data.get("identifier") or ""
        if kind == CredentialKind.NPI and identifier:
            try:
                data["identifier"] = npi_validate(identifier)
            except forms.ValidationError as error:
                self.add_error("identifier", error)
        elif kind:
            data["identifier"] = identifier.strip().upper()
            if not (data.get("issuer") or "").strip():
                self.add_error("issuer", "Name the state or body that issued it.")
            if data.get("expires_on") is None and "expires_on" not in self.errors:
                self.add_error("expires_on", "Enter the expiry date.")
            if not data.get("evidence") and "evidence" not in self.errors:
                self.add_error("evidence", "Attach the licence or certificate as evidence.")
        expires_on = data.get("expires_on")
        if expires_on and expires_on < timezone.localdate():
            self.add_error("expires_on", "This credential has already expired; submit a current one.")
        return data

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            self.evidence_content_type = evidence_inspect(upload)
        return upload


class SocialAccountForm(DescribedErrorsMixin, forms.Form):
    platform = forms.ChoiceField(label="Platform", choices=Platform.choices)
    handle = forms.CharField(
        label="Handle", max_length=200,
        help_text="Your username, e.g. @drjane; Mastodon: user@server; other: the full web address.",
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("platform") and data.get("handle"):
            try:
                data["handle"], data["profile_url"] = social_handle_normalise(
                    platform=data["platform"], handle=data["handle"]
                )
            except forms.ValidationError as error:
                self.add_error("handle", error)
        return data
