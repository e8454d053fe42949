"""Least privilege (issue 20): the roles are groups with exactly their permissions, and every staff
or admin URL answers each role, and a staff account with no permission, as the role allows."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

from advocacy_portal import roles
from advocacy_portal.services import roles_sync
from incentives.models import RuleSet
from tests.clinicians.conftest import private_files  # noqa: F401 (autouse: evidence files go to the test's tmp dir)
from tests.factories import (
    ActivityFactory,
    CredentialFactory,
    RedemptionFactory,
    ScoreFactory,
    SocialAccountFactory,
    UserFactory,
)
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

VERIFIER, READER, REWARDS, ASSOCIATION = (
    roles.VERIFIER,
    roles.REPORT_READER,
    roles.REWARDS_MANAGER,
    roles.ASSOCIATION_ADMIN,
)
NOBODY = "staff without permissions"
ACCOUNTS = {
    VERIFIER: "verifier_user",
    READER: "staff_user",
    REWARDS: "rewards_manager_user",
    ASSOCIATION: "association_admin_user",
    NOBODY: "bare_staff_user",
}


def _permission_names(group: Group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_each_role_is_a_group_with_exactly_its_permissions():
    for role, permissions in roles.ROLE_PERMISSIONS.items():
        assert _permission_names(Group.objects.get(name=role)) == set(permissions), role


def test_the_verifier_reads_evidence_and_decides_but_reports_and_rewards_are_not_theirs():
    names = _permission_names(Group.objects.get(name=VERIFIER))
    assert {"clinicians.view_evidence", "clinicians.decide_credential"} <= names
    assert not {n for n in names if n.startswith(("reports.", "incentives."))}


def test_the_association_admin_holds_every_other_role_s_permissions():
    admin = _permission_names(Group.objects.get(name=ASSOCIATION))
    for role in (VERIFIER, READER, REWARDS):
        assert _permission_names(Group.objects.get(name=role)) <= admin, role


def test_a_sync_puts_back_a_hand_edited_group_and_renames_the_old_staff_group():
    reader = Group.objects.get(name=READER)
    old_member = UserFactory(email="old-staff@example.org")
    reader.delete()
    legacy = Group.objects.create(name=roles.LEGACY_STAFF_GROUP)
    legacy.user_set.add(old_member)
    verifier = Group.objects.get(name=VERIFIER)
    verifier.permissions.clear()
    roles_sync()
    assert not Group.objects.filter(name=roles.LEGACY_STAFF_GROUP).exists()
    assert list(Group.objects.get(name=READER).user_set.all()) == [old_member]
    assert _permission_names(Group.objects.get(name=VERIFIER)) == set(roles.ROLE_PERMISSIONS[VERIFIER])


@pytest.fixture
def objects(db):
    credential = CredentialFactory()
    return {
        "credential": credential,
        "report": ReportFactory(),
        "redemption": RedemptionFactory(),
        "activity": ActivityFactory(),
        "social": SocialAccountFactory(),
        "score": ScoreFactory(),
        "ruleset": RuleSet.objects.get(version=1),
    }


# (url builder, roles that may open it). Everyone else: portal credential pages 404 (no hint that
# the credential exists), report pages 403, admin pages 403 for staff and a login redirect for
# accounts without staff status (Report readers work in the portal only).
def _admin(name, *args):
    return lambda o: reverse(f"admin:{name}", args=[o[arg].pk for arg in args])


WALK = [
    (lambda o: reverse("dashboard"), {VERIFIER, READER, REWARDS, ASSOCIATION, NOBODY}),
    (lambda o: reverse("reports:report_list"), {READER, ASSOCIATION}),
    (lambda o: reverse("reports:report_progress", args=[o["report"].pk]), {READER, ASSOCIATION}),
    (lambda o: reverse("clinicians:credential_detail", args=[o["credential"].pk]), {VERIFIER, ASSOCIATION}),
    (lambda o: reverse("clinicians:credential_evidence", args=[o["credential"].pk]), {VERIFIER, ASSOCIATION}),
    (lambda o: reverse("admin:index"), {VERIFIER, REWARDS, ASSOCIATION, NOBODY}),
    # The queue opens filtered on what awaits a decision (the bare URL redirects there).
    (lambda o: reverse("admin:clinicians_credential_changelist") + "?status=awaiting", {VERIFIER, ASSOCIATION}),
    (_admin("clinicians_credential_change", "credential"), {VERIFIER, ASSOCIATION}),
    (_admin("clinicians_clinician_changelist"), {VERIFIER, ASSOCIATION}),
    (_admin("clinicians_socialaccount_changelist"), {VERIFIER, ASSOCIATION}),
    (_admin("clinicians_socialaccount_change", "social"), {VERIFIER, ASSOCIATION}),
    (_admin("campaigns_campaign_changelist"), {ASSOCIATION}),
    (_admin("campaigns_activity_changelist"), {ASSOCIATION}),
    (_admin("campaigns_activity_change", "activity"), {ASSOCIATION}),
    (_admin("incentives_ruleset_changelist"), {ASSOCIATION}),
    (_admin("incentives_ruleset_change", "ruleset"), {ASSOCIATION}),
    (_admin("incentives_ledgerentry_changelist"), {REWARDS, ASSOCIATION}),
    (_admin("incentives_ledgerentry_adjust"), {ASSOCIATION}),
    (_admin("incentives_score_changelist"), {ASSOCIATION}),
    (_admin("incentives_reward_changelist"), {REWARDS, ASSOCIATION}),
    (_admin("incentives_redemption_changelist"), {REWARDS, ASSOCIATION}),
    (_admin("incentives_redemption_change", "redemption"), {REWARDS, ASSOCIATION}),
    (_admin("reports_report_changelist"), {ASSOCIATION}),
    (_admin("core_user_changelist"), set()),
    (_admin("core_notification_changelist"), set()),
]


def _denied_status(url: str, role: str) -> int:
    if url.startswith("/admin/"):
        return 302 if role == READER else 403
    if url.startswith("/credentials/"):
        return 404
    return 403


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_staff_url_answers_the_role_as_its_permissions_allow(client, request, role, objects):
    objects["credential"].evidence.save("licence.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    client.force_login(request.getfixturevalue(ACCOUNTS[role]))
    answers, expected = {}, {}
    for build, allowed in WALK:
        url = build(objects)
        answers[url] = client.get(url).status_code
        expected[url] = 200 if role in allowed else _denied_status(url, role)
    assert answers == expected
