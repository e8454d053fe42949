"""The one rank rule: competition ranking ("1, 1, 3"), 1 + the verified clinicians with strictly more
leaderboard points, the same in the stored ranks (event path and full recompute), the pages' live
ranks and the leaderboard; another clinician's progress moves a rank at once, not at the nightly run."""

import pytest

from clinicians.models import Specialty
from incentives.models import LedgerKind, Score
from incentives.selectors import leaderboard, score_current
from incentives.services import score_refresh, scores_recompute
from tests.factories import ClinicianFactory, LedgerEntryFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db


def _give(clinician, amount: int) -> None:
    LedgerEntryFactory(clinician=clinician, amount=amount, kind=LedgerKind.ADJUSTMENT, memo="Test points")


def _clinicians(points: list[int], **kwargs):
    clinicians = []
    for amount in points:
        clinician = VerifiedClinicianFactory(**kwargs)
        _give(clinician, amount)
        clinicians.append(clinician)
    return clinicians


def test_ties_share_a_rank_and_the_next_rank_skips_everywhere():
    first, tied, third = _clinicians([30, 30, 10])
    unverified = ClinicianFactory()
    _give(unverified, 100)
    scores_recompute()
    stored = {s.clinician_id: s.rank_overall for s in Score.objects.all()}
    assert [stored[c.pk] for c in (first, tied, third, unverified)] == [1, 1, 3, None]

    for clinician in (first, tied, third):  # the event path writes the same ranks
        score_refresh(clinician_id=clinician.pk)
    stored = {s.clinician_id: s.rank_overall for s in Score.objects.all()}
    assert [stored[c.pk] for c in (first, tied, third, unverified)] == [1, 1, 3, None]

    assert [score_current(clinician=c).rank_overall for c in (first, tied, third, unverified)] == [1, 1, 3, None]
    board = leaderboard(viewer=third)
    assert [(row.clinician_id, row.rank) for row in board.rows] == [(first.pk, 1), (tied.pk, 1), (third.pk, 3)]
    assert board.viewer_row.rank == 3


def test_a_rank_moves_as_soon_as_another_clinician_overtakes():
    leader, follower = _clinicians([50, 20])
    scores_recompute()
    assert score_current(clinician=leader).rank_overall == 1

    _give(follower, 40)
    score_refresh(clinician_id=follower.pk)  # the event path: only the follower's row is written

    assert score_current(clinician=leader).rank_overall == 2
    assert score_current(clinician=follower).rank_overall == 1
    assert leaderboard(viewer=leader).viewer_row.rank == 2


def test_the_stored_and_the_live_ranks_agree_with_ties_across_specialties():
    points = [40, 40, 40, 25, 25, 10, 5, 5]
    cardiology = _clinicians(points, specialty=Specialty.CARDIOLOGY)
    internal = _clinicians(points[::2], specialty=Specialty.INTERNAL)
    scores_recompute()
    stored = {s.clinician_id: (s.rank_overall, s.rank_specialty) for s in Score.objects.all()}
    for clinician in cardiology + internal:
        live = score_current(clinician=clinician)
        assert (live.rank_overall, live.rank_specialty) == stored[clinician.pk]
    assert [stored[c.pk][1] for c in cardiology] == [1, 1, 1, 4, 4, 6, 7, 7]
    assert [stored[c.pk][1] for c in internal] == [1, 1, 3, 4]


def test_the_boards_top_rows_carry_the_stored_ranks_when_a_tie_straddles_the_cut(settings):
    settings.INCENTIVES_LEADERBOARD_SIZE = 4
    clinicians = _clinicians([40, 40, 25, 25, 25, 10])
    scores_recompute()
    stored = {s.clinician_id: s.rank_overall for s in Score.objects.all()}
    board = leaderboard(viewer=clinicians[-1])
    assert [row.rank for row in board.rows] == [1, 1, 3, 3]
    assert all(row.rank == stored[row.clinician_id] for row in board.rows)
    assert board.viewer_row.rank == stored[clinicians[-1].pk] == 6
