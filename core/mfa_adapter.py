"""allauth MFA adapter: a privileged account keeps its TOTP authenticator (it may not deactivate it;
core.middleware would only send it back to enrol)."""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from core.selectors import user_requires_mfa


class PortalMFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and user_requires_mfa(user=authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
