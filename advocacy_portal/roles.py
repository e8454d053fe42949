"""The association's roles: each a Django group with exactly the permissions its work needs.

This module is the one place roles are defined. `advocacy_portal.services.roles_sync` makes the
groups match it: the data migration `advocacy_portal/migrations/0001_roles.py` runs it once, and
every later `migrate` (post_migrate) runs it again, so a permission added here reaches the group
on the next deploy. Groups edited by hand in admin are put back to this definition; give a person
an extra permission on their user instead, or add a role here.

Admin-side roles (Verifier, Rewards manager, Association admin) also need the user's "staff status"
flag to open /admin/; Report reader works in the portal only (/reports/ and the staff dashboard).
Every account with the staff flag or any permission must enrol TOTP (core.middleware).
"""

VERIFIER = "Verifier"
REPORT_READER = "Report reader"
REWARDS_MANAGER = "Rewards manager"
ASSOCIATION_ADMIN = "Association admin"

# Before roles, report staff were members of this group; roles_sync renames it to Report reader,
# keeping its members.
LEGACY_STAFF_GROUP = "Association staff"

# The audit trail's read permission (django-auditlog's LogEntry; not Django admin's own history).
# Association admins (only) read the audit trail in admin.
AUDIT_LOG_PERMISSIONS: list[str] = ["auditlog.view_logentry"]

_VERIFICATION = [
    "clinicians.view_clinician",
    "clinicians.view_credential",
    "clinicians.view_evidence",
    "clinicians.decide_credential",
    "clinicians.view_socialaccount",
    "clinicians.change_socialaccount",
]
_REPORTS = [
    "reports.view_report",
    "reports.request_report",
]
_REWARDS = [
    "incentives.view_reward",
    "incentives.add_reward",
    "incentives.change_reward",
    "incentives.view_redemption",
    "incentives.decide_redemption",
    "incentives.view_ledgerentry",
]
_ASSOCIATION = [
    "campaigns.view_campaign",
    "campaigns.add_campaign",
    "campaigns.change_campaign",
    "campaigns.view_toolkititem",
    "campaigns.add_toolkititem",
    "campaigns.change_toolkititem",
    "campaigns.delete_toolkititem",
    "campaigns.view_activity",
    "campaigns.moderate_activity",
    "campaigns.view_activityimportbatch",
    "incentives.view_ruleset",
    "incentives.add_ruleset",
    "incentives.change_ruleset",
    "incentives.adjust_points",
    "incentives.view_score",
    "incentives.recompute_scores",
    "incentives.view_badge",
    "incentives.view_award",
]
_LEARNING = [
    "learning.view_module",
    "learning.add_module",
    "learning.change_module",
    "learning.publish_module_version",
    "learning.view_lesson",
    "learning.add_lesson",
    "learning.change_lesson",
    "learning.delete_lesson",
    "learning.view_question",
    "learning.add_question",
    "learning.change_question",
    "learning.delete_question",
    "learning.view_choice",
    "learning.add_choice",
    "learning.change_choice",
    "learning.delete_choice",
    "learning.view_completion",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Works the credential verification queue: sees credentials and their evidence, decides them.
    VERIFIER: _VERIFICATION,
    # Requests advocacy reports, watches them build, downloads them; sees the staff dashboard.
    REPORT_READER: _REPORTS,
    # Keeps the reward catalogue and decides redemptions; reads the ledger to check balances.
    REWARDS_MANAGER: _REWARDS,
    # Everything the association runs: the three roles above plus campaigns, activity moderation,
    # point rules, manual adjustments, recompute, learning modules, and the audit trail.
    ASSOCIATION_ADMIN: [*_VERIFICATION, *_REPORTS, *_REWARDS, *_ASSOCIATION, *_LEARNING, *AUDIT_LOG_PERMISSIONS],
}
