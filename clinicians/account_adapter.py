"""allauth adapter: every account created through signup is a clinician."""

from allauth.account.adapter import DefaultAccountAdapter

from clinicians.services import clinician_register


class ClinicianAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            clinician_register(user=user)
        return user
