"""Tier thresholds move from the environment (INCENTIVES_TIER_*) into the versioned rule set.

Every existing rule set priced under the thresholds the environment gave, so each one receives them
(read here from the same variables, with the same defaults, as the setting that is gone)."""

import os

from django.db import migrations, models

DEFAULTS = {"bronze": 100, "silver": 500, "gold": 1500, "platinum": 5000}


def carry_thresholds(apps, schema_editor):
    RuleSet = apps.get_model("incentives", "RuleSet")
    values = {
        f"tier_{tier}": int(os.environ.get(f"INCENTIVES_TIER_{tier.upper()}", default))
        for tier, default in DEFAULTS.items()
    }
    RuleSet.objects.update(**values)


class Migration(migrations.Migration):
    dependencies = [("incentives", "0011_ruleset_self_reported_engagement_share")]

    operations = [
        migrations.AddField(
            model_name="ruleset",
            name="tier_bronze",
            field=models.PositiveIntegerField(default=100, help_text="Lifetime points for the bronze tier."),
        ),
        migrations.AddField(
            model_name="ruleset",
            name="tier_silver",
            field=models.PositiveIntegerField(default=500, help_text="Lifetime points for the silver tier."),
        ),
        migrations.AddField(
            model_name="ruleset",
            name="tier_gold",
            field=models.PositiveIntegerField(default=1500, help_text="Lifetime points for the gold tier."),
        ),
        migrations.AddField(
            model_name="ruleset",
            name="tier_platinum",
            field=models.PositiveIntegerField(default=5000, help_text="Lifetime points for the platinum tier."),
        ),
        migrations.RunPython(carry_thresholds, migrations.RunPython.noop),
    ]
