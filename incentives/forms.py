"""Forms of the incentives app: leaderboard filters, reward delivery details, manual adjustments and
rule-set versions."""

from django import forms
from django.core.exceptions import ValidationError

from campaigns.models import Campaign, Category
from clinicians.forms import DescribedErrorsMixin
from clinicians.models import Clinician, Specialty
from incentives.models import RuleSet
from incentives.selectors import PERIODS


class LeaderboardFilterForm(forms.Form):
    period = forms.ChoiceField(choices=[(key, label) for key, (label, _) in PERIODS.items()], required=False)
    specialty = forms.ChoiceField(choices=[("", "All specialties"), *Specialty.choices], required=False)
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.published(), to_field_name="slug", required=False, empty_label="All activity"
    )

    def clean_period(self) -> str:
        return self.cleaned_data["period"] or "all"


class RedemptionDeliveryForm(DescribedErrorsMixin, forms.Form):
    """Where to send a reward that is posted (Reward.needs_delivery_address)."""

    delivery_name = forms.CharField(
        label="Name on the parcel", max_length=120, error_messages={"required": "Give the name to send it to."}
    )
    delivery_address = forms.CharField(
        label="Postal address",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
        help_text="Street, city, postcode and country, one per line.",
        error_messages={"required": "Give the address to send it to."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_name"].widget.attrs["autocomplete"] = "name"

    def clean_delivery_address(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["delivery_address"].splitlines() if line.strip()]
        if len(lines) < 2:
            raise ValidationError("Write the full address on at least two lines (street, then city and postcode).")
        return "\n".join(lines)


class AdjustmentForm(forms.Form):
    clinician = forms.ModelChoiceField(queryset=Clinician.objects.select_related("user"))
    amount = forms.IntegerField(help_text="Positive to add points, negative to remove them.")
    reason = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise ValidationError("An adjustment of zero points changes nothing.")
        return amount

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Give the reason for the adjustment.")
        return reason


class RuleSetForm(forms.ModelForm):
    """Validates the category points: every category present, whole numbers from 0 to 1000."""

    # Optional so that a form posted without it (an older page, a script) keeps the current value.
    module_completion_points = forms.IntegerField(
        min_value=0,
        max_value=1000,
        required=False,
        help_text="For completing a learning module (once per module version). Empty keeps the current value.",
    )

    class Meta:
        model = RuleSet
        fields = [
            "category_points",
            "leaderboard_excluded_categories",
            "evidence_bonus",
            "engagement_bonus_per_decade",
            "engagement_bonus_cap",
            "self_reported_engagement_share",
            "daily_cap",
            "weekly_category_cap",
            "tier_bronze",
            "tier_silver",
            "tier_gold",
            "tier_platinum",
            "module_completion_points",
            "note",
        ]

    def clean_module_completion_points(self) -> int:
        points = self.cleaned_data.get("module_completion_points")
        if points is None:
            current = self.instance.module_completion_points if self.instance.pk else None
            return current if current is not None else RuleSet._meta.get_field("module_completion_points").default
        return points

    def clean_category_points(self) -> dict:
        points = self.cleaned_data["category_points"]
        if not isinstance(points, dict):
            raise ValidationError("Give an object mapping each category to its points.")
        unknown = sorted(set(points) - set(Category.values))
        missing = sorted(set(Category.values) - set(points))
        if unknown:
            raise ValidationError(f"Unknown categories: {', '.join(unknown)}.")
        if missing:
            raise ValidationError(f"Missing categories: {', '.join(missing)}.")
        for category, value in points.items():
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1000:
                raise ValidationError(f"Points for {category} must be a whole number from 0 to 1000.")
        return points

    def clean_leaderboard_excluded_categories(self) -> list:
        excluded = self.cleaned_data["leaderboard_excluded_categories"] or []
        if not isinstance(excluded, list) or any(value not in Category.values for value in excluded):
            raise ValidationError('Give a list of category values, e.g. ["practice_marketing"].')
        return excluded
