"""`manage.py seed_demo`: demo data for `make run` (idempotent), or `--clinicians/--activities` at scale."""

from django.core.management.base import BaseCommand, CommandError

from seeding.bulk import SeedRefused, scale_seed
from seeding.demo import demo_seed


class Command(BaseCommand):
    help = (
        "Load demo users and data for local use; safe to run repeatedly. With --clinicians/--activities, "
        "bulk-load deterministic benchmark data into an empty database instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clinicians", type=int, help="Scale mode: number of clinicians to load.")
        parser.add_argument("--activities", type=int, help="Scale mode: number of activities to load.")
        parser.add_argument("--seed", type=int, default=1, help="Scale mode: random seed (same seed, same data).")
        parser.add_argument(
            "--reset", action="store_true", help="Scale mode: empty the seeded tables first (removes every user)."
        )

    def handle(self, *args, **options):
        if options["clinicians"] is None and options["activities"] is None:
            self._demo()
            return
        clinicians = options["clinicians"] or 1_000
        activities = options["activities"] if options["activities"] is not None else clinicians * 20
        if clinicians < 1 or activities < 0:
            raise CommandError("--clinicians must be at least 1 and --activities at least 0.")
        self.stdout.write(f"Seeding {clinicians:,} clinicians and {activities:,} activities (seed {options['seed']}):")
        try:
            result = scale_seed(
                clinicians=clinicians,
                activities=activities,
                seed=options["seed"],
                reset=options["reset"],
                log=self.stdout.write,
            )
        except SeedRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        rate = result.rows / max(result.seconds, 1e-9)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {result.rows:,} rows in {result.seconds:.1f} s ({rate:,.0f} rows/s).")
        )

    def _demo(self) -> None:
        logins = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/ with:"))
        for login in logins:
            self.stdout.write(f"  {login.role:<22} {login.email:<32} {login.password}")
        self.stdout.write(
            "The admin and staff accounts use two-factor authentication (TOTP). After the password, type the\n"
            "code from an authenticator app that imported the URI below, or from\n"
            "`.venv/bin/python manage.py demo_totp_code`:"
        )
        for login in logins:
            if login.totp_uri:
                self.stdout.write(f"  {login.totp_uri}")
