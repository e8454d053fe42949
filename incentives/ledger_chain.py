"""The tamper-evident hash chain over the ledger: sealing new entries and verifying the chain.

Design. The award path is left as it is: entries are appended by the pricing SQL exactly as before.
A separate append-only table, ``LedgerLink``, holds one link per entry, in entry id order:
``hash(N) = sha256(hash(N-1) + canonical fields of entry N)``, starting from 64 zeros. Changing,
deleting or re-inserting any sealed entry breaks its link and every later one, and
``ledger_verify`` recomputes the chain from the entries to find the first broken link.

Sealing in id order is complete only if no entry with a lower id can still commit after a higher
one was sealed. On PostgreSQL, ids are drawn from a sequence inside INSERT statements, so concurrent
transactions can commit them out of order. A statement-level trigger (migration
``ledger_hash_chain``) therefore takes a *shared* advisory lock before every ledger INSERT statement,
held to the end of its transaction; the sealer takes the same lock *exclusively*, so once it holds
it no transaction has drawn an id it has not committed yet. The sealer waits at most
``SEAL_LOCK_TIMEOUT_MS`` (the award path waits behind it no longer than that) and otherwise skips
its turn: the beat task seals every minute, and the recompute seals when it ends. On SQLite there
is one writer at a time, so ids are committed in order.

The chain proves that nobody rewrote history *below the head an auditor recorded*: someone who
can rewrite both tables can recompute every link, so ``verify_ledger`` prints the head (sequence
and hash) to be kept outside the database, and ``--expect SEQUENCE:HASH`` checks it later.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from incentives.models import LedgerEntry, LedgerLink

GENESIS_HASH = "0" * 64
# The advisory lock key shared with the INSERT trigger of migration 0007 (any fixed bigint).
SEAL_LOCK_KEY = 7_400_012_112
SEAL_LOCK_TIMEOUT_MS = 1000
SEAL_BATCH = 5000
CANONICAL_FIELDS = (
    "id",
    "clinician_id",
    "amount",
    "kind",
    "activity_id",
    "rule_set_id",
    "uncapped_amount",
    "memo",
    "actor_id",
    "idempotency_key",
    "created_at",
)


def entry_canonical(entry: dict) -> bytes:
    """The bytes an entry's link hashes: every stored field, in a fixed order and format."""
    values = dict(entry)
    values["created_at"] = values["created_at"].astimezone(dt.UTC).isoformat(timespec="microseconds")
    return json.dumps([values[name] for name in CANONICAL_FIELDS], separators=(",", ":")).encode()


def link_hash(previous: str, entry: dict) -> str:
    return hashlib.sha256(previous.encode() + b"\n" + entry_canonical(entry)).hexdigest()


def _seal_gate_acquired() -> bool:
    """Take the sealer's exclusive lock (PostgreSQL), or report that it is busy."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{SEAL_LOCK_TIMEOUT_MS}ms"])
        try:
            with transaction.atomic():
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
        except OperationalError:
            # lock_timeout: a long ledger transaction (the recompute) or another sealer holds it.
            return False
        cursor.execute("SELECT set_config('lock_timeout', '0', true)")
    return True


def _seal_batch() -> int | None:
    """Seal up to SEAL_BATCH entries in one short transaction; None when the gate is busy."""
    with transaction.atomic():
        if not _seal_gate_acquired():
            return None
        head = LedgerLink.objects.order_by("-sequence").values_list("sequence", "hash", "entry_id").first()
        sequence, previous, last_entry_id = head or (0, GENESIS_HASH, 0)
        entries = list(
            LedgerEntry.objects.filter(pk__gt=last_entry_id).order_by("pk").values(*CANONICAL_FIELDS)[:SEAL_BATCH]
        )
        now = timezone.now()
        links = []
        for entry in entries:
            sequence += 1
            previous = link_hash(previous, entry)
            links.append(LedgerLink(sequence=sequence, entry_id=entry["id"], hash=previous, sealed_at=now))
        LedgerLink.objects.bulk_create(links)
    return len(links)


def ledger_seal() -> int:
    """Append a chain link for every ledger entry not sealed yet, in id order; returns the links written.

    Safe to call at any time and from several processes (they take turns); sealing twice adds nothing.
    Each batch is its own short transaction, so a first seal of a large ledger never holds the
    award path for long.
    """
    written = 0
    while True:
        count = _seal_batch()
        if not count:
            return written
        written += count


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    entry_id: int | None
    reason: str


@dataclass(frozen=True)
class ChainReport:
    links: int
    head_sequence: int
    head_hash: str
    unsealed: int
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def ledger_verify(*, expect: tuple[int, str] | None = None, chunk: int = SEAL_BATCH) -> ChainReport:
    """Recompute the chain from the entries and report the first link that does not hold.

    ``expect`` is a (sequence, hash) pair recorded earlier (a head printed by ``verify_ledger``):
    the link with that sequence must still carry that hash, so a rewrite of both tables shows.
    """
    previous, checked, after = GENESIS_HASH, 0, 0
    last_entry_id = 0
    first_break: ChainBreak | None = None
    expected_seen = expect is None
    while first_break is None:
        links = list(LedgerLink.objects.filter(sequence__gt=after).order_by("sequence")[:chunk])
        if not links:
            break
        entries = {
            row["id"]: row
            for row in LedgerEntry.objects.filter(pk__in=[link.entry_id for link in links]).values(*CANONICAL_FIELDS)
        }
        for link in links:
            if link.sequence != checked + 1:
                first_break = ChainBreak(
                    checked + 1, None, f"link {checked + 1} is missing (the chain jumps to link {link.sequence})"
                )
                break
            entry = entries.get(link.entry_id)
            if entry is None:
                reason = f"entry {link.entry_id} of link {link.sequence} is missing (deleted or truncated)"
                first_break = ChainBreak(link.sequence, link.entry_id, reason)
                break
            if link.entry_id <= last_entry_id:
                reason = f"link {link.sequence} repeats or reorders entry {link.entry_id}"
                first_break = ChainBreak(link.sequence, link.entry_id, reason)
                break
            if link_hash(previous, entry) != link.hash:
                reason = f"entry {link.entry_id} does not match link {link.sequence}: it was changed after sealing"
                first_break = ChainBreak(link.sequence, link.entry_id, reason)
                break
            if expect is not None and link.sequence == expect[0]:
                if link.hash != expect[1]:
                    reason = f"link {link.sequence} no longer carries the recorded hash: the chain was rewritten"
                    first_break = ChainBreak(link.sequence, link.entry_id, reason)
                    break
                expected_seen = True
            previous, checked, last_entry_id = link.hash, link.sequence, link.entry_id
        after = links[-1].sequence
    if first_break is None and not expected_seen:
        first_break = ChainBreak(expect[0], None, f"link {expect[0]} recorded earlier no longer exists")
    # Entries below the sealed head without a link were slipped into history after sealing.
    inserted = LedgerEntry.objects.filter(pk__lte=last_entry_id, chain_link__isnull=True).order_by("pk")
    if first_break is None and (slipped := inserted.values_list("pk", flat=True).first()) is not None:
        first_break = ChainBreak(checked, slipped, f"entry {slipped} was inserted below the sealed head")
    unsealed = LedgerEntry.objects.filter(pk__gt=last_entry_id).count()
    return ChainReport(
        links=checked, head_sequence=checked, head_hash=previous, unsealed=unsealed, first_break=first_break
    )
