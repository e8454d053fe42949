"""Authoring in Django admin: association admins edit modules and publish new versions; lessons
with an image without alt text are refused; other staff cannot open the learning admin."""

import json

import pytest
from django.urls import reverse

from core.models import Notification, NotificationKind
from incentives.forms import RuleSetForm
from incentives.services import rule_set_current
from learning import services
from tests.factories import VerifiedClinicianFactory
from tests.learning.factories import ModuleFactory, answers

pytestmark = pytest.mark.django_db


def test_an_association_admin_publishes_a_new_version(client, association_admin_user):
    module = ModuleFactory()
    learner = VerifiedClinicianFactory()
    services.quiz_submit(clinician=learner, module=module, answers=answers(module))
    client.force_login(association_admin_user)
    changelist = reverse("admin:learning_module_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(reverse("admin:learning_module_change", args=[module.pk])).status_code == 200
    response = client.post(changelist, {"action": "publish_new_version", "_selected_action": [module.pk]})
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.version == 2
    assert Notification.objects.filter(user=learner.user, kind=NotificationKind.MODULE_UPDATED).exists()


def test_a_lesson_image_without_alt_text_is_refused_in_admin(client, association_admin_user):
    module = ModuleFactory(content=False)
    client.force_login(association_admin_user)
    url = reverse("admin:learning_module_change", args=[module.pk])
    data = {
        "slug": module.slug,
        "title": module.title,
        "summary": module.summary,
        "platforms": "[]",
        "audience_level": module.audience_level,
        "estimated_minutes": 10,
        "position": 0,
        "last_reviewed_on": module.last_reviewed_on.isoformat(),
        "review_interval_days": 180,
        "pass_mark_percent": 80,
        "is_published": "on",
        "created_at_0": module.created_at.date().isoformat(),
        "created_at_1": "12:00:00",
        "lessons-TOTAL_FORMS": 1,
        "lessons-INITIAL_FORMS": 0,
        "lessons-0-position": 1,
        "lessons-0-title": "Pictures",
        "lessons-0-body": "Look: ![](/static/img/post.png)",
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "needs alt text" in response.content.decode()
    data["lessons-0-body"] = "Look: ![A post with the patient's name blurred](/static/img/post.png)"
    assert client.post(url, data).status_code == 302
    assert module.lessons.get().title == "Pictures"


def test_staff_without_learning_permissions_cannot_open_it(client, bare_staff_user):
    client.force_login(bare_staff_user)
    assert client.get(reverse("admin:learning_module_changelist")).status_code == 403


def test_the_rule_set_form_sets_the_points_per_module_and_keeps_them_when_left_empty():
    current = rule_set_current()
    data = {
        "category_points": current.category_points,
        "leaderboard_excluded_categories": [],
        "evidence_bonus": 5,
        "engagement_bonus_per_decade": 2,
        "engagement_bonus_cap": 10,
        "daily_cap": 100,
        "weekly_category_cap": 150,
        "tier_bronze": current.tier_bronze,
        "tier_silver": current.tier_silver,
        "tier_gold": current.tier_gold,
        "tier_platinum": current.tier_platinum,
        "self_reported_engagement_share": current.self_reported_engagement_share,
    }
    data = {key: json.dumps(value) if isinstance(value, dict | list) else value for key, value in data.items()}
    form = RuleSetForm(data={**data, "module_completion_points": 35}, instance=current)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["module_completion_points"] == 35
    form = RuleSetForm(data=data, instance=rule_set_current())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["module_completion_points"] == 20
