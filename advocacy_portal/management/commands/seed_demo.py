"""`manage.py seed_demo`: load demo data (idempotent) and print the demo logins."""

from django.core.management.base import BaseCommand

from advocacy_portal.demo import demo_seed


class Command(BaseCommand):
    help = "Load demo users and data for local use; safe to run repeatedly."

    def handle(self, *args, **options):
        logins = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/ with:"))
        for login in logins:
            self.stdout.write(f"  {login.role:<22} {login.email:<32} {login.password}")
