"""(e) Awards committed while the full recompute runs (PostgreSQL, real threads, separate
connections): both complete, and every activity ends priced once (no key collision, no double)."""

import threading
import time

import pytest
from django.db import close_old_connections, connection

from campaigns.models import Activity
from incentives.models import LedgerEntry
from incentives.pricing import activity_values
from incentives.services import activity_award, rule_set_current, scores_recompute
from tests.conftest import require_services
from tests.faults.conftest import activities_bulk

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_awards_committed_during_a_full_recompute_both_complete():
    require_services()
    activities_bulk(3000, clinicians=300)  # accepted, never priced: the recompute and the awards both price them
    ids = list(Activity.objects.order_by("-id").values_list("id", flat=True)[:200])
    errors: list[BaseException] = []
    awarded: list[int] = []
    started = threading.Event()

    def recompute():
        close_old_connections()
        try:
            started.set()
            scores_recompute()
        except BaseException as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    def awards():
        close_old_connections()
        try:
            started.wait()
            time.sleep(0.05)
            for activity_id in ids:
                activity_award(activity_id=activity_id)
                awarded.append(activity_id)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=recompute), threading.Thread(target=awards)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    entries = LedgerEntry.objects.filter(activity_id__in=ids).count()
    print(f"\n[fault e] recompute + {len(awarded)} concurrent awards: errors {errors!r}, {entries} entries")
    assert errors == []
    assert len(awarded) == len(ids)
    values = activity_values(rule_set=rule_set_current())
    wrong = {activity: pair for activity, pair in values.items() if pair[0] != pair[1]}
    assert wrong == {}, f"{len(wrong)} activities whose ledger total differs from their value"
    assert entries >= 1  # the awards and the recompute did price them (caps leave some at 0)
