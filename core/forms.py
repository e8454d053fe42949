"""Forms of the core app: which notification kinds also come by email."""

from django import forms

from core.models import NotificationKind


class NotificationSettingsForm(forms.Form):
    emailed_kinds = forms.MultipleChoiceField(
        label="Also send me an email when",
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Every notification always appears in the portal; unticked kinds are not emailed.",
    )

    def muted_kinds(self) -> list[str]:
        chosen = set(self.cleaned_data["emailed_kinds"])
        return [kind for kind in NotificationKind.values if kind not in chosen]
