"""Demo data for `make run`: logins, a dozen clinicians, two campaigns, a few hundred activities, rewards.

Idempotent: every row is found by a natural key (email, slug, URL, name) before it is created, and the
activities come from a fixed random seed, so a second run adds nothing. Points, badges and reports are
derived by the incentives recompute and the report build, never written here.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from advocacy_portal.roles import REPORT_READER
from campaigns.models import (
    Activity,
    ActivityStatus,
    Campaign,
    Category,
    GoalKind,
    Participation,
    ToolkitItem,
    ToolkitItemKind,
)
from campaigns.privacy_guard import privacy_hits_for
from clinicians.models import (
    Clinician,
    Credential,
    CredentialKind,
    CredentialStatus,
    Platform,
    Profession,
    RegistryResult,
    SocialAccount,
    Specialty,
    VerificationStatus,
)
from clinicians.validators import npi_with_check_digit
from core.models import User
from core.services import user_totp_enrol
from incentives.ledger_chain import ledger_seal
from incentives.models import Award, Reward
from incentives.scoring import (
    BADGE_CAMPAIGN_TOP_TEN,
    BADGE_FIRST_POST,
    BADGE_FOUR_WEEK_STREAK,
    BADGE_TEN_CITED,
    BADGE_THREE_PLATFORMS,
)
from incentives.services import scores_recompute
from learning.seed import modules_seed
from reports.models import Report, ReportFormat, ReportKind, ReportStatus
from reports.services import report_build, report_request
from seeding.bulk import CATEGORY_WEIGHTS, URL_PATTERNS

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo credentials for local use only
# Privileged accounts must use TOTP; the demo admin and staff are enrolled with this published secret
# (add it to an authenticator app, or run `manage.py demo_totp_code` for the current code).
DEMO_TOTP_SECRET = "DEMOADVOCACYPORTALTOTPSECRETKEYS"  # noqa: S105 - published demo credentials
DEMO_SEED = 2026
DEMO_ACTIVITY_COUNT = 320

VERIFIED = VerificationStatus.VERIFIED
PENDING = VerificationStatus.PENDING
UNVERIFIED = VerificationStatus.UNVERIFIED


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    # For accounts enrolled in TOTP: the otpauth:// URI an authenticator app can import.
    totp_uri: str = ""


# The first three are the logins printed by `make run`; the others fill leaderboards and reports.
DEMO_CLINICIANS = [
    ("ada@demo.advocacy.example", "Dr Ada Okafor", Profession.MD, Specialty.PEDIATRICS, "IL", VERIFIED),
    ("ben@demo.advocacy.example", "Ben Carter, NP", Profession.NP, Specialty.FAMILY, "TX", VERIFIED),
    ("chen@demo.advocacy.example", "Dr Mei Chen", Profession.DO, Specialty.INFECTIOUS, "CA", UNVERIFIED),
    ("dana@demo.advocacy.example", "Dana Reyes, RN", Profession.RN, Specialty.NURSING, "FL", VERIFIED),
    ("emeka@demo.advocacy.example", "Dr Emeka Mensah", Profession.MD, Specialty.CARDIOLOGY, "NY", VERIFIED),
    ("farah@demo.advocacy.example", "Farah Haddad, PharmD", Profession.PHARMD, Specialty.PHARMACY, "MI", VERIFIED),
    ("grace@demo.advocacy.example", "Dr Grace Kim", Profession.MD, Specialty.DERMATOLOGY, "WA", VERIFIED),
    ("hiro@demo.advocacy.example", "Hiro Tanaka, PA", Profession.PA, Specialty.EMERGENCY, "OR", VERIFIED),
    ("imani@demo.advocacy.example", "Dr Imani Brooks", Profession.PSYCHOLOGIST, Specialty.PSYCHOLOGY, "GA", VERIFIED),
    ("julia@demo.advocacy.example", "Julia Rossi, RD", Profession.DIETITIAN, Specialty.NUTRITION, "MA", VERIFIED),
    ("kofi@demo.advocacy.example", "Dr Kofi Osei", Profession.MD, Specialty.PUBLIC_HEALTH, "MD", VERIFIED),
    ("lena@demo.advocacy.example", "Dr Lena Novak", Profession.MD, Specialty.OBGYN, "CO", PENDING),
]
ORGANISATIONS = ["Lakeside Children's Hospital", "Riverbend Family Clinic", "Bay Area Health", "Sunrise Medical"]
PLATFORMS_BY_CLINICIAN = [
    Platform.X,
    Platform.INSTAGRAM,
    Platform.TIKTOK,
    Platform.LINKEDIN,
    Platform.YOUTUBE,
    Platform.BLUESKY,
    Platform.FACEBOOK,
]
PROFILE_URLS = {
    Platform.X: "https://x.com/{h}",
    Platform.INSTAGRAM: "https://www.instagram.com/{h}/",
    Platform.TIKTOK: "https://www.tiktok.com/@{h}",
    Platform.LINKEDIN: "https://www.linkedin.com/in/{h}/",
    Platform.YOUTUBE: "https://www.youtube.com/@{h}",
    Platform.BLUESKY: "https://bsky.app/profile/{h}.bsky.social",
    Platform.FACEBOOK: "https://www.facebook.com/{h}",
}

ACTIVE_CAMPAIGN = {
    "slug": "vaccines-work",
    "title": "Vaccines work: flu and RSV season",
    "summary": "Clinicians explain, in plain words, why this season's flu and RSV shots matter.",
    "description": (
        "## Why this campaign\n\nFlu and RSV fill our hospitals every winter. Patients trust their own "
        "clinicians more than any advert, so we ask you to post about the shots in your own words.\n\n"
        "## How to take part\n\n1. Pick a suggested post or write your own.\n2. Cite one of the evidence "
        "links when you correct a myth.\n3. Log the post here so it counts toward the goal."
    ),
    "hashtags": ["vaccineswork", "flushot", "rsv"],
    "goal_kind": GoalKind.POSTS,
    "goal_target": 250,
    "multiplier": "1.50",
}
CLOSED_CAMPAIGN = {
    "slug": "sun-safe-summer",
    "title": "Sun safe summer",
    "summary": "Dermatologists, nurses and pharmacists on sunscreen, shade and heat safety.",
    "description": "## Sun safe summer\n\nShort, practical advice on sunscreen, shade and heat stroke.",
    "hashtags": ["sunsafe", "skincheck"],
    "goal_kind": GoalKind.REACH,
    "goal_target": 500_000,
    "multiplier": "1.25",
}
TOOLKIT = [
    (ToolkitItemKind.KEY_MESSAGE, "The flu shot is the best protection we have; it is never too late this season.", ""),
    (ToolkitItemKind.KEY_MESSAGE, "RSV can be serious for babies and older adults, and there are now ways "
     "to prevent it.", ""),
    (ToolkitItemKind.SUGGESTED_POST, "I got my flu shot today, between two clinics. It took five minutes. "
     "Ask your pharmacist or doctor about yours. #vaccineswork #flushot", ""),
    (ToolkitItemKind.SUGGESTED_POST, "Myth: the flu shot gives you the flu. Fact: it cannot; the vaccine has no "
     "live virus that can make you ill. A sore arm for a day is normal. #vaccineswork", ""),
    (ToolkitItemKind.SUGGESTED_POST, "Parents often ask me about RSV. Here is what I tell them: protection for "
     "newborns is available this winter, talk to your paediatrician. #rsv", ""),
    (ToolkitItemKind.SUGGESTED_POST, "As a nurse I see what flu does to older patients every winter. "
     "If you are over 65, please get your shot this month. #flushot", ""),
    (ToolkitItemKind.EVIDENCE_LINK, "CDC: Key facts about seasonal flu vaccine",
     "https://www.cdc.gov/flu/vaccines/keyfacts.html"),
    (ToolkitItemKind.EVIDENCE_LINK, "WHO: Influenza (seasonal) fact sheet",
     "https://www.who.int/news-room/fact-sheets/detail/influenza-(seasonal)"),
    (ToolkitItemKind.EVIDENCE_LINK, "Cochrane review: vaccines for preventing influenza in healthy adults",
     "https://doi.org/10.1002/14651858.CD001269.pub6"),
]  # fmt: skip
CLOSED_TOOLKIT = [
    (ToolkitItemKind.KEY_MESSAGE, "Broad-spectrum SPF 30 or higher, reapplied every two hours outdoors.", ""),
    (ToolkitItemKind.SUGGESTED_POST, "Sunscreen is not just for the beach. Put it on before you walk the dog. "
     "#sunsafe", ""),
    (ToolkitItemKind.EVIDENCE_LINK, "American Academy of Dermatology: sunscreen FAQs",
     "https://www.aad.org/media/stats-sunscreen"),
]  # fmt: skip
# Flagged demo posts hold a real patient detail, so the moderation queue shows what the guard finds.
FLAGGED_EXCERPTS = [
    "Room 412 finally went home today after six weeks with us. Wear your seatbelts, people.",
    "My patient, a 58-year-old school bus driver from Millbrook, asked me to share his colon cancer story.",
    "Delivered twins at 3:42am on 03/11 to the sweetest first-time mom. Vaccinate your babies!",
    "Maria Lopez came into the ER with DKA again last night. Insulin prices are killing people.",
]
EXCERPTS = {
    Category.PUBLIC_EDUCATION: [
        "Three things I wish every parent knew about fever in toddlers.",
        "Why your blood pressure reading at home may differ from the clinic, and what to do about it.",
        "Antibiotics do not treat colds. Here is what actually helps you recover.",
        "Heat stroke warning signs, explained in one minute.",
    ],
    Category.MISINFORMATION_CORRECTION: [
        "A viral video claims vaccines cause autism. They do not; large studies of millions of children agree.",
        "No, sunscreen does not cause cancer. Here is what the evidence says about its ingredients.",
        "The claim that the flu shot gives you the flu is false: the injected vaccine contains no live virus.",
        "Fluoride in tap water at recommended levels is safe; the post going round misreads one study.",
    ],
    Category.PUBLIC_HEALTH_ADVOCACY: [
        "Our county needs naloxone in every school. Write to your representative this week.",
        "Free flu clinics this Saturday at the community centre: please share.",
        "Shade in playgrounds protects children's skin; our city council votes on it next month.",
    ],
    Category.RESEARCH_DISSEMINATION: [
        "New trial: a short daily walk lowered blood pressure as much as a first medicine. What it means.",
        "Summary of this month's RSV prevention study, for non-specialists.",
    ],
    Category.PROFESSIONAL_NETWORKING: [
        "Great panel with colleagues on talking to vaccine-hesitant parents. Thank you all.",
        "Looking forward to the regional nursing conference next week.",
    ],
    Category.RECRUITMENT: ["Our clinic is looking for volunteers for a sleep study. Details in the link."],
    Category.PRACTICE_MARKETING: ["Our practice now opens on Saturday mornings for families."],
    Category.PROFESSIONAL_DEVELOPMENT: ["Finished a course on motivational interviewing; my notes for colleagues."],
}
CITATIONS = [
    "10.1016/j.vaccine.2014.04.085",
    "10.1056/NEJMoa021134",
    "PMID:24814559",
    "https://www.cdc.gov/flu/vaccines/keyfacts.html",
    "10.1001/jamadermatol.2019.1017",
]
REWARDS = [
    ("Association tote bag", "A sturdy canvas tote with the association's logo.", 150, 200),
    ("Conference registration discount", "25% off the annual conference registration.", 600, 50),
    ("Continuing education credit voucher", "One accredited online CME/CE course of your choice.", 900, None),
    ("Featured clinician spotlight", "A profile in the member newsletter and on our social channels.", 1500, 12),
]
STATUS_WEIGHTS = [
    (ActivityStatus.ACCEPTED, 84),
    (ActivityStatus.SUBMITTED, 6),
    (ActivityStatus.FLAGGED, 4),
    (ActivityStatus.REJECTED, 4),
    (ActivityStatus.WITHDRAWN, 2),
]


def _user(email: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, **fields)
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _clinicians_ensure(now: dt.datetime) -> list[Clinician]:
    clinicians = []
    for number, (email, name, profession, specialty, state, status) in enumerate(DEMO_CLINICIANS):
        user = _user(email)
        joined = now - dt.timedelta(days=200 - number * 3)
        clinician, _ = Clinician.objects.get_or_create(
            user=user,
            defaults={
                "display_name": name,
                "profession": profession,
                "specialty": specialty,
                "organisation": ORGANISATIONS[number % len(ORGANISATIONS)],
                "state": state,
                "bio": f"{name} posts about {Specialty(specialty).label.lower()} for patients and families.",
                "leaderboard_opt_in": number % 5 != 4,
                "public_profile": status == VERIFIED,
                "profile_completed_at": joined,
                "verification_status": status,
                "verified_at": joined + dt.timedelta(days=2) if status == VERIFIED else None,
                "created_at": joined,
            },
        )
        if status != UNVERIFIED:
            Credential.objects.get_or_create(
                clinician=clinician,
                kind=CredentialKind.NPI,
                defaults={
                    "identifier": npi_with_check_digit(123_456_000 + number),
                    "status": CredentialStatus.VERIFIED if status == VERIFIED else CredentialStatus.SUBMITTED,
                    "registry_result": RegistryResult.MATCH if status == VERIFIED else RegistryResult.NOT_CHECKED,
                    "registry_checked_at": joined + dt.timedelta(days=1) if status == VERIFIED else None,
                    "decided_at": joined + dt.timedelta(days=2) if status == VERIFIED else None,
                    "decision_reason": "NPI registry match." if status == VERIFIED else "",
                    "created_at": joined + dt.timedelta(days=1),
                },
            )
        handle = email.split("@")[0] + "_health"
        for offset in range(1 + number % 3):
            platform = PLATFORMS_BY_CLINICIAN[(number + offset) % len(PLATFORMS_BY_CLINICIAN)]
            SocialAccount.objects.get_or_create(
                clinician=clinician,
                platform=platform,
                handle=handle,
                defaults={"profile_url": PROFILE_URLS[platform].format(h=handle)},
            )
        clinicians.append(clinician)
    return clinicians


def _campaign_ensure(spec: dict, toolkit: list, starts_on: dt.date, ends_on: dt.date) -> Campaign:
    campaign, created = Campaign.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            **spec,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "target_platforms": [Platform.X, Platform.INSTAGRAM, Platform.TIKTOK, Platform.FACEBOOK],
        },
    )
    if created:
        ToolkitItem.objects.bulk_create(
            ToolkitItem(campaign=campaign, kind=kind, text=text, url=url, position=position)
            for position, (kind, text, url) in enumerate(toolkit)
        )
    return campaign


def _activities_ensure(now: dt.datetime, clinicians: list[Clinician], campaigns: list[Campaign], decider: User) -> None:
    """A fixed-seed set of activities; ones already present (same URL) are skipped."""
    rng = random.Random(DEMO_SEED)  # noqa: S311 - reproducible demo data, not secrets
    posting = [c for c in clinicians if c.verification_status != UNVERIFIED]
    # The first two logins post most, so their dashboards are full; the pending clinician posts little.
    weights = [rng.randint(1, 5) for _ in posting]
    weights[:2] = [6, 6]
    weights = [1 if c.verification_status == PENDING else w for c, w in zip(posting, weights, strict=True)]
    members = {campaign.pk: set() for campaign in campaigns}
    for index, clinician in enumerate(posting):
        for campaign in campaigns:
            if (index + campaign.pk) % 3:
                Participation.objects.get_or_create(
                    campaign=campaign,
                    clinician=clinician,
                    defaults={"joined_at": dt.datetime.combine(campaign.starts_on, dt.time(9), tzinfo=dt.UTC)},
                )
                members[campaign.pk].add(clinician.pk)
    categories, category_weights = zip(*CATEGORY_WEIGHTS.items(), strict=True)
    statuses, status_weights = zip(*STATUS_WEIGHTS, strict=True)
    accounts: dict[int, list[SocialAccount]] = {}
    for account in SocialAccount.objects.filter(clinician__in=posting).order_by("pk"):
        accounts.setdefault(account.clinician_id, []).append(account)
    rows = []
    for number in range(1, DEMO_ACTIVITY_COUNT + 1):
        # One stream per activity, so the draws that depend on today's date never shift another
        # activity's URL: a second run produces the same URLs and inserts nothing.
        rng = random.Random(DEMO_SEED * 100_000 + number)  # noqa: S311
        clinician = rng.choices(posting, weights=weights)[0]
        account = rng.choice(accounts[clinician.pk])
        category = rng.choices(categories, weights=category_weights)[0]
        status = rng.choices(statuses, weights=status_weights)[0]
        if clinician.verification_status == PENDING:
            status = ActivityStatus.SUBMITTED
        campaign = None
        joined = [c for c in campaigns if clinician.pk in members[c.pk]]
        if joined and rng.random() < 0.35:
            campaign = rng.choice(joined)
            start = dt.datetime.combine(campaign.starts_on, dt.time(8), tzinfo=dt.UTC)
            end = min(dt.datetime.combine(campaign.ends_on, dt.time(20), tzinfo=dt.UTC), now)
        else:
            start, end = now - dt.timedelta(days=182), now - dt.timedelta(hours=2)
        posted = start + dt.timedelta(seconds=rng.randrange(int((end - start).total_seconds())))
        citations = []
        if category == Category.MISINFORMATION_CORRECTION and rng.random() < 0.75:
            citations = rng.sample(CITATIONS, rng.randint(1, 2))
        impressions = int(rng.lognormvariate(7.0, 1.4))
        engagement = rng.uniform(0.01, 0.06)
        decided = status in (ActivityStatus.ACCEPTED, ActivityStatus.REJECTED)
        flagged = status == ActivityStatus.FLAGGED
        excerpt = rng.choice(FLAGGED_EXCERPTS if flagged else EXCERPTS[category])
        url = URL_PATTERNS[account.platform].format(
            h=account.handle, n=1_900_000_000_000 + number, c=f"demo{number:04d}"
        )
        rows.append(
            Activity(
                clinician=clinician,
                platform=account.platform,
                url=url,
                submitted_url=url,
                posted_at=posted,
                category=category,
                campaign=campaign,
                excerpt=excerpt,
                citations=citations,
                citation_count=len(citations),
                impressions=impressions,
                likes=int(impressions * engagement),
                shares=int(impressions * engagement / 5),
                comments=int(impressions * engagement / 8),
                clicks=int(impressions * engagement / 3),
                reading_grade=round(rng.uniform(5.5, 10.5), 1),
                status=status,
                guard_flags=["privacy"] if flagged else [],
                privacy_hits=privacy_hits_for(excerpt) if flagged else [],
                review_reason="Possible patient detail in the excerpt." if flagged else "",
                decided_by=decider if decided else None,
                decided_at=posted + dt.timedelta(hours=6) if decided else None,
                created_at=posted + dt.timedelta(hours=1),
            )
        )
    Activity.objects.bulk_create(rows, ignore_conflicts=True)


def _rewards_ensure(now: dt.datetime) -> None:
    for name, description, cost, stock in REWARDS:
        Reward.objects.get_or_create(
            name=name,
            defaults={"description": description, "cost": cost, "stock": stock, "available_from": now},
        )


def demo_seed() -> list[DemoLogin]:
    """Users, campaigns, activities and rewards; then points and badges from the real recompute
    (sealed into the ledger's hash chain), and one finished advocacy summary built by the real
    report builder."""
    logins = _demo_records_ensure()
    scores_recompute()
    _badges_backdate()
    ledger_seal()
    _demo_report_ensure()
    return logins


def _badge_earned_at(code: str, posts: list[Activity]) -> dt.datetime | None:
    """When a clinician's accepted posts (oldest first) first met a badge's rule, as it would have
    happened had the portal been running while they posted."""
    platforms: set[str] = set()
    cited = 0
    weeks: list[int] = []
    for post in posts:
        platforms.add(post.platform)
        cited += post.category == Category.MISINFORMATION_CORRECTION and post.citation_count > 0
        week = (post.posted_at.date().toordinal() - 1) // 7  # Monday-to-Sunday weeks
        if not weeks or weeks[-1] != week:
            weeks = [*weeks, week] if weeks and weeks[-1] == week - 1 else [week]
        if (
            code == BADGE_FIRST_POST
            or (code == BADGE_THREE_PLATFORMS and len(platforms) >= 3)
            or (code == BADGE_TEN_CITED and cited >= 10)
            or (code == BADGE_FOUR_WEEK_STREAK and len(weeks) >= 4)
        ):
            return post.posted_at + dt.timedelta(hours=6)
    if code == BADGE_CAMPAIGN_TOP_TEN and posts:
        return posts[-1].posted_at + dt.timedelta(hours=6)
    return None


def _badges_backdate() -> None:
    """The recompute awards every demo badge now; spread them to the day each was earned, so the
    dashboard does not say every badge was earned today. (Ledger entries are append-only and keep
    their date; pages chart points by the date of the post they belong to.)"""
    demo = Award.objects.filter(clinician__user__email__endswith="@demo.advocacy.example")
    awards = list(demo.select_related("badge"))
    posts: dict[int, list[Activity]] = {}
    for activity in (
        Activity.objects.accepted().filter(clinician__in={award.clinician_id for award in awards}).order_by("posted_at")
    ):
        posts.setdefault(activity.clinician_id, []).append(activity)
    changed = []
    for award in awards:
        earned = _badge_earned_at(award.badge.code, posts.get(award.clinician_id, []))
        if earned and earned < award.awarded_at:
            award.awarded_at = earned
            changed.append(award)
    Award.objects.bulk_update(changed, ["awarded_at"])


def _demo_report_ensure() -> None:
    """A finished advocacy summary for the staff member, built here so it is ready on first start
    (the queued message the worker later receives finds it built and does nothing)."""
    if Report.objects.filter(kind=ReportKind.ADVOCACY_SUMMARY, status=ReportStatus.SUCCEEDED).exists():
        return
    staff = User.objects.get(email="staff@demo.advocacy.example")
    today = timezone.now().date()
    period = {"start": (today - dt.timedelta(days=180)).isoformat(), "end": today.isoformat()}
    report = report_request(user=staff, kind=ReportKind.ADVOCACY_SUMMARY, parameters=period, format=ReportFormat.PDF)
    report_build(report_id=report.pk)


@transaction.atomic
def _demo_records_ensure() -> list[DemoLogin]:
    now = timezone.now()
    today = now.date()
    admin = _user("admin@demo.advocacy.example", is_staff=True, is_superuser=True)
    staff = _user("staff@demo.advocacy.example")
    staff.groups.add(Group.objects.get(name=REPORT_READER))
    for privileged in (admin, staff):
        user_totp_enrol(user=privileged, secret=DEMO_TOTP_SECRET)
    clinicians = _clinicians_ensure(now)
    campaigns = [
        _campaign_ensure(ACTIVE_CAMPAIGN, TOOLKIT, today - dt.timedelta(days=40), today + dt.timedelta(days=50)),
        _campaign_ensure(
            CLOSED_CAMPAIGN, CLOSED_TOOLKIT, today - dt.timedelta(days=170), today - dt.timedelta(days=80)
        ),
    ]
    _activities_ensure(now, clinicians, campaigns, admin)
    _rewards_ensure(now)
    modules_seed(owner=admin)
    return [
        DemoLogin("admin (Django admin)", admin.email, DEMO_PASSWORD, _totp_uri(admin)),
        DemoLogin("report reader (staff)", staff.email, DEMO_PASSWORD, _totp_uri(staff)),
        *(DemoLogin("clinician", email, DEMO_PASSWORD) for email, *_ in DEMO_CLINICIANS[:3]),
    ]


def _totp_uri(user: User) -> str:
    return get_mfa_adapter().build_totp_url(user, DEMO_TOTP_SECRET)


def demo_totp_code() -> str:
    """The current code of the published demo TOTP secret (what an authenticator app would show)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // app_settings.TOTP_PERIOD))
