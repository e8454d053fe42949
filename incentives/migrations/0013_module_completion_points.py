"""Points per learning module completion: a new rule of the rule set. AddField writes the default
(20) into every existing version, so the current rule set carries it from this deploy on; the
professional development badge track is created beside it."""

from django.db import migrations, models

PROFESSIONAL_DEVELOPMENT_BADGES = [
    ("learning-first-module", "Lifelong learner", "Completed a learning centre module.", "📘"),
    ("learning-three-modules", "Professional development: three modules", "Completed three learning modules.", "🎓"),
    ("learning-six-modules", "Professional development: six modules", "Completed six learning modules.", "🏅"),
]


def badges_create(apps, schema_editor):
    Badge = apps.get_model("incentives", "Badge")
    for code, name, description, icon in PROFESSIONAL_DEVELOPMENT_BADGES:
        Badge.objects.get_or_create(code=code, defaults={"name": name, "description": description, "icon": icon})


class Migration(migrations.Migration):
    dependencies = [
        ("incentives", "0012_rule_set_tier_thresholds"),
    ]

    operations = [
        migrations.AddField(
            model_name="ruleset",
            name="module_completion_points",
            field=models.PositiveIntegerField(
                default=20, help_text="For completing a learning module (once per module version)."
            ),
        ),
        migrations.RunPython(badges_create, migrations.RunPython.noop),
    ]
