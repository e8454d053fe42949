"""`manage.py healthcheck`: print the /healthz JSON and exit 1 when the database or broker is down."""

import json

from django.core.management.base import BaseCommand, CommandError

from advocacy_portal.health import health_report


class Command(BaseCommand):
    help = "Check the database and the Celery broker; exit status 1 if either is down."

    def handle(self, *args, **options):
        healthy, report = health_report()
        self.stdout.write(json.dumps(report, indent=2))
        if not healthy:
            raise CommandError(f"unhealthy: {', '.join(report['down'])}")
