"""The one campaign-goal rule, shared by the campaign page, the dashboard and the reports."""

import pytest

from campaigns.selectors import goal_percent


@pytest.mark.parametrize(
    ("achieved", "target", "percent"),
    [
        (0, 0, 0),  # no target: nothing to measure against (the dashboard used to say 100)
        (40, None, 0),
        (0, 200, 0),
        (200, 200, 100),  # exactly at target
        (300, 200, 100),  # over target: capped (the report used to print 150)
        (199, 200, 99),  # 99.5 %: not yet 100 (the report and campaign page used to round up)
        (1, 3, 33),  # fractional: rounded down
        (2, 3, 66),  # the report used to print 67
    ],
)
def test_goal_percent(achieved, target, percent):
    assert goal_percent(achieved=achieved, target=target) == percent
