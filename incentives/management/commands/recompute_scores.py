"""`python manage.py recompute_scores`: the nightly full recompute, on demand."""

from django.core.management.base import BaseCommand

from incentives.services import scores_recompute


class Command(BaseCommand):
    help = "Re-price every activity under the current rule set and refresh scores, ranks and badges."

    def handle(self, *args, **options) -> None:
        result = scores_recompute()
        self.stdout.write(
            f"Recomputed under rule set v{result.rule_set_version}: "
            f"{result.entries_written} correcting ledger entries written."
        )
