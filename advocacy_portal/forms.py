"""Forms of the pages that compose the portal: the account-deletion confirmation."""

from django import forms


class AccountDeleteForm(forms.Form):
    confirm = forms.CharField(
        label="Type DELETE to confirm",
        max_length=20,
        help_text="This cannot be undone.",
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != "DELETE":
            raise forms.ValidationError("Type DELETE in capital letters to confirm.")
        return value
