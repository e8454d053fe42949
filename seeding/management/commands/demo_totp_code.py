"""`manage.py demo_totp_code`: the current authenticator code of the demo admin and staff (`make run`).

It computes the code from the published demo secret only (seeding.demo.DEMO_TOTP_SECRET),
never from a secret stored in the database, so it cannot produce a code for any real account."""

from django.core.management.base import BaseCommand

from seeding.demo import DEMO_TOTP_SECRET, demo_totp_code


class Command(BaseCommand):
    help = "Print the current TOTP code of the demo admin and staff accounts (published demo secret)."

    requires_system_checks = []

    def handle(self, *args, **options):
        self.stdout.write(demo_totp_code())
        self.stderr.write(f"(demo secret {DEMO_TOTP_SECRET}; a code is valid for its 30-second period, once)")
