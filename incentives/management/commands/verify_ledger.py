"""`python manage.py verify_ledger`: recompute the ledger's hash chain and report the first broken link."""

import re

from django.core.management.base import BaseCommand, CommandError

from incentives.ledger_chain import ledger_seal, ledger_verify


def _expected_head(value: str) -> tuple[int, str]:
    match = re.fullmatch(r"(\d+):([0-9a-f]{64})", value.strip().lower())
    if match is None:
        raise CommandError("--expect takes SEQUENCE:HASH as printed by an earlier run, e.g. 1042:3f9a…")
    return int(match[1]), match[2]


class Command(BaseCommand):
    help = (
        "Verify the tamper-evident hash chain over the ledger. Exits 1 and names the first broken link "
        "when an entry was changed, deleted or slipped into sealed history."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect",
            metavar="SEQUENCE:HASH",
            help="A head recorded by an earlier run; that link must still carry that hash.",
        )
        parser.add_argument(
            "--seal", action="store_true", help="Seal entries written since the last seal before verifying."
        )

    def handle(self, *args, **options) -> None:
        expect = _expected_head(options["expect"]) if options["expect"] else None
        if options["seal"]:
            self.stdout.write(f"Sealed {ledger_seal():,} new entries.")
        report = ledger_verify(expect=expect)
        if not report.intact:
            broken = report.first_break
            raise CommandError(
                f"Ledger chain broken at link {broken.sequence}: {broken.reason}. "
                f"Links before it verified: {max(broken.sequence - 1, 0):,}."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Ledger chain intact: {report.links:,} links verified.")
            + f"\nHead: {report.head_sequence}:{report.head_hash} (keep it outside the database; "
            f"check it later with --expect).\nEntries not sealed yet: {report.unsealed:,}."
        )
