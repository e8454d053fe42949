"""Forms of the api app: the personal access token page."""

from django import forms

from api.models import STAFF_SCOPES, Scope


class TokenForm(forms.Form):
    name = forms.CharField(label="Name", max_length=80, help_text="Where you use it, e.g. “phone shortcut”.")
    scopes = forms.MultipleChoiceField(label="Scopes", choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(label="Expires after (days)", min_value=1, initial=90)

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            self.fields["scopes"].choices = [c for c in Scope.choices if c[0] not in STAFF_SCOPES]
