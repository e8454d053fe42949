"""allauth adapter: every account created through signup is a clinician, and allauth's emails
(confirmation, password reset, security notices) go through the outbox like every other email."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from clinicians.services import clinician_register
from core.email import email_message_enqueue


class ClinicianAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            clinician_register(user=user)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (allauth's context holds the request), deliver through the email task.

        Mirrors DefaultAccountAdapter.send_mail except for the last step: `msg.send()` inside the
        request would turn an unreachable mail server into a failed signup or password reset.
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        email_message_enqueue(message=self.render_mail(template_prefix, email, ctx))
