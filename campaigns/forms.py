"""Forms of the campaigns app: parsing and normalising input only; the rules live in services."""

import re

from django import forms
from django.core.exceptions import ValidationError

from campaigns.citations import citations_parse
from campaigns.models import ActivityStatus, Campaign, Category, Disclosure, ToolkitItem
from campaigns.privacy_guard import privacy_summary
from campaigns.selectors import ActivityFilters
from campaigns.services import (
    METRIC_FIELDS,
    METRIC_MAX,
    METRIC_MAX_MESSAGE,
    ActivityInput,
    PrivacyGuardHit,
    toolkit_text_check,
)
from clinicians.models import Platform
from core.forms import SafeImageField


def _metric_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=METRIC_MAX,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        error_messages={
            "invalid": "Enter a whole number.",
            "min_value": "Enter 0 or more.",
            "max_value": METRIC_MAX_MESSAGE,
            "required": "Enter a whole number (0 if there were none).",
        },
    )


class PrivacyConfirmationMixin:
    """A tick that saves text the privacy guard stopped on, bound to the hits it names: the hidden
    privacy_confirmed field carries their fingerprint, which the service compares with what it finds."""

    def privacy_confirmed(self) -> str:
        if not self.cleaned_data.get("save_anyway"):
            return ""
        return self.cleaned_data.get("privacy_confirmed") or ""

    def privacy_ask(self, hit: PrivacyGuardHit, field: str) -> None:
        """Show the hits as an error on field and ask for a fresh tick naming these hits."""
        self.data = self.data.copy()
        self.data[self.add_prefix("privacy_confirmed")] = hit.fingerprint
        self.data.pop(self.add_prefix("save_anyway"), None)
        self.add_error(
            field,
            ValidationError(
                "This text may identify a patient: %(found)s. Remove these details, or tick the confirmation "
                "to save it anyway for review.",
                code="privacy",
                params={"found": privacy_summary(hit.hits)},
            ),
        )


def _excerpt_field(*, label: str, help_text: str) -> forms.CharField:
    """The post's text, optional everywhere (a post may be only a link or an image)."""
    return forms.CharField(
        label=label, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), help_text=help_text
    )


def _save_anyway_field() -> forms.BooleanField:
    return forms.BooleanField(
        label="I have checked the highlighted details and they do not identify a patient; save anyway for review.",
        required=False,
    )


class MetricsForm(forms.Form):
    """Editing a logged post's figures: each one is required, because a number input holding text
    ("1.2k") is submitted empty by the browser, and reading that as 0 would erase the figure."""

    metrics_required = True

    impressions = _metric_field("Impressions")
    likes = _metric_field("Likes")
    shares = _metric_field("Shares")
    comments = _metric_field("Comments")
    clicks = _metric_field("Link clicks")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in METRIC_FIELDS:
            self.fields[name].required = self.metrics_required

    def metrics(self) -> dict[str, int]:
        return {name: self.cleaned_data.get(name) or 0 for name in METRIC_FIELDS}


class ActivityEditForm(PrivacyConfirmationMixin, MetricsForm):
    """Update the metrics, and correct the post's text (checked by the privacy guard again)."""

    excerpt = _excerpt_field(
        label="Text of the post",
        help_text="If you edited the post, paste its new text; it is checked for patient details.",
    )
    save_anyway = _save_anyway_field()
    privacy_confirmed = forms.CharField(required=False, widget=forms.HiddenInput)


class ActivityForm(PrivacyConfirmationMixin, MetricsForm):
    """Field shapes only; the post's rules (link, platform, disclosure, dates, campaign) are checked
    once, by ``services.activity_validate``, and its messages shown here (``add_service_errors``)."""

    # Logging a post: figures are optional (often unknown yet) and an empty one means 0.
    metrics_required = False

    url = forms.CharField(
        label="Link to the post",
        max_length=1000,
        help_text="Copy the link from the post's share menu; tracking parameters are removed.",
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
    posted_at = forms.DateTimeField(
        label="Posted at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as YYYY-MM-DD or YYYY-MM-DD HH:MM."},
    )
    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Choose a category"), *Category.choices],
        error_messages={"invalid_choice": "Unknown category “%(value)s”."},
    )
    campaign = forms.ModelChoiceField(
        label="Campaign (optional)",
        queryset=Campaign.objects.none(),
        required=False,
        empty_label="No campaign",
        help_text="Only campaigns you joined are listed.",
    )
    excerpt = _excerpt_field(
        label="Text of the post (optional)", help_text="Checked for patient details; hashtags suggest a campaign."
    )
    citations = forms.CharField(
        label="Evidence cited (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line: a DOI (10.xxxx/...), a PMID or a web link.",
    )
    disclosure = forms.ChoiceField(
        label="Conflict of interest",
        choices=Disclosure.choices,
        initial=Disclosure.NONE,
        widget=forms.RadioSelect,
    )
    disclosure_text = forms.CharField(
        label="Disclosure (if any)", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    save_anyway = _save_anyway_field()
    privacy_confirmed = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = [
        "url",
        "posted_at",
        "category",
        "campaign",
        "excerpt",
        "citations",
        *METRIC_FIELDS,
        "disclosure",
        "disclosure_text",
        "save_anyway",
        "privacy_confirmed",
    ]

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaigns is not None:
            self.fields["campaign"].queryset = campaigns

    def clean_citations(self) -> list[str]:
        return citations_parse(self.cleaned_data.get("citations", ""))

    def to_input(self) -> ActivityInput:
        data = self.cleaned_data
        return ActivityInput(
            url=data["url"],
            posted_at=data["posted_at"],
            category=data["category"],
            campaign=data.get("campaign"),
            excerpt=data.get("excerpt", ""),
            citations=data.get("citations", []),
            disclosure=data["disclosure"],
            disclosure_text=data.get("disclosure_text", ""),
            **self.metrics(),
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """Attach a service's field-keyed ValidationError to the matching fields."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


SHARED_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def shared_post_initial(params) -> dict:
    """The log form's initial values from what a phone's share sheet (Web Share Target: url, text,
    title) or the bookmarklet sends. Many apps put the post's link inside `text`, not `url`: the
    first web link found is the URL, and the rest of the text becomes the excerpt."""
    url = (params.get("url") or "").strip()
    text = (params.get("text") or "").strip()
    title = (params.get("title") or "").strip()
    if not url:
        found = SHARED_URL.search(text) or SHARED_URL.search(title)
        url = found.group(0).rstrip(".,;)»\"'") if found else ""
    excerpt = " ".join(text.replace(url, " ").split()) if url else text
    initial = {}
    if url:
        initial["url"] = url[:1000]
    if excerpt:
        initial["excerpt"] = excerpt[:5000]
    return initial


class ActivityFilterForm(forms.Form):
    platform = forms.ChoiceField(label="Platform", required=False, choices=[("", "All platforms"), *Platform.choices])
    category = forms.ChoiceField(label="Category", required=False, choices=[("", "All categories"), *Category.choices])
    campaign = forms.ModelChoiceField(
        label="Campaign", required=False, queryset=Campaign.objects.none(), empty_label="All campaigns"
    )
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "All statuses"), *ActivityStatus.choices])
    posted_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    posted_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaigns is not None:
            self.fields["campaign"].queryset = campaigns

    def filters(self) -> ActivityFilters:
        if not self.is_valid():
            return ActivityFilters()
        data = self.cleaned_data
        campaign = data.get("campaign")
        return ActivityFilters(
            platform=data.get("platform") or "",
            category=data.get("category") or "",
            campaign_id=campaign.pk if campaign else None,
            status=data.get("status") or "",
            posted_from=data.get("posted_from"),
            posted_to=data.get("posted_to"),
        )


class ActivityImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Use the template; one post per row.")


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason shown to the clinician", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class ToolkitItemForm(PrivacyConfirmationMixin, forms.ModelForm):
    """A campaign toolkit item in the admin: its text passes the same privacy guard as a clinician's post."""

    save_anyway = forms.BooleanField(
        label="Save anyway", required=False, help_text="Tick after checking that the named details identify no one."
    )
    privacy_confirmed = forms.CharField(required=False, widget=forms.HiddenInput)
    image = SafeImageField(label="Image", required=False)

    class Meta:
        model = ToolkitItem
        fields = ["kind", "text", "url", "image", "image_alt", "position"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def clean(self):
        cleaned = super().clean()
        try:
            toolkit_text_check(text=cleaned.get("text") or "", privacy_confirmed=self.privacy_confirmed())
        except PrivacyGuardHit as hit:
            self.privacy_ask(hit, "text")
        return cleaned


class HashtagsField(forms.CharField):
    """Hashtags typed as words ("#FluFacts, vaccineswork"), stored as the model's list of lower-case
    tags without '#'."""

    def prepare_value(self, value):
        return " ".join(f"#{tag}" for tag in value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        words = re.split(r"[\s,;]+", super().to_python(value) or "")
        tags = [word.lstrip("#").lower() for word in words if word.lstrip("#")]
        return list(dict.fromkeys(tags))

    def validate(self, value) -> None:
        super().validate(" ".join(value))
        bad = [tag for tag in value if not re.fullmatch(r"\w{1,100}", tag)]
        if bad:
            raise forms.ValidationError(f"A hashtag has letters, digits and underscores only: {', '.join(bad)}.")


class CampaignAdminForm(forms.ModelForm):
    """Campaign editing in admin: hashtags as words and platforms as ticks, never raw JSON."""

    hashtags = HashtagsField(
        label="Hashtags",
        required=False,
        help_text="Separated by spaces or commas, with or without #; stored in lower case.",
        widget=forms.TextInput(attrs={"size": 60}),
    )
    target_platforms = forms.MultipleChoiceField(
        label="Target platforms",
        required=False,
        choices=[choice for choice in Platform.choices if choice[0] != Platform.OTHER],
        widget=forms.CheckboxSelectMultiple,
        help_text="Where the campaign's posts are meant to go.",
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "hashtags",
            "starts_on",
            "ends_on",
            "target_platforms",
            "goal_kind",
            "goal_target",
            "multiplier",
            "is_published",
        ]
