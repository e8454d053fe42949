"""Rule set v1 (mission-weighted) and the five badges the scoring SQL awards by code."""

from django.db import migrations

CATEGORY_POINTS = {
    "misinformation_correction": 25,
    "public_education": 20,
    "public_health_advocacy": 15,
    "research_dissemination": 12,
    "recruitment": 8,
    "professional_development": 6,
    "professional_networking": 5,
    "practice_marketing": 2,
}

BADGES = [
    ("first-accepted-post", "First accepted post", "Your first post was accepted.", "🌱"),
    ("ten-cited-corrections", "Evidence champion", "Ten misinformation corrections that cite evidence.", "📚"),
    ("three-platforms", "Across platforms", "Accepted posts on three different platforms.", "🌐"),
    ("campaign-top-ten", "Campaign top ten", "Among the top ten clinicians of a campaign.", "🏅"),
    ("four-week-streak", "Four-week streak", "An accepted post in four consecutive weeks.", "🔥"),
]


def create(apps, schema_editor):
    RuleSet = apps.get_model("incentives", "RuleSet")
    Badge = apps.get_model("incentives", "Badge")
    if not RuleSet.objects.exists():
        RuleSet.objects.create(
            version=1,
            category_points=CATEGORY_POINTS,
            leaderboard_excluded_categories=["practice_marketing"],
            evidence_bonus=10,
            engagement_bonus_per_decade=2,
            engagement_bonus_cap=10,
            daily_cap=100,
            weekly_category_cap=150,
            note="Initial mission-weighted schedule.",
        )
    for code, name, description, icon in BADGES:
        Badge.objects.get_or_create(code=code, defaults={"name": name, "description": description, "icon": icon})


class Migration(migrations.Migration):
    dependencies = [("incentives", "0003_ledger_append_only_trigger")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
