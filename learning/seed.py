"""The learning centre's starter modules, written for the demo and for new portals: six short
modules with lessons and knowledge checks. ``modules_seed`` is idempotent (by slug); it never
overwrites a module an admin has since edited."""

from django.db import transaction

from core.models import User
from learning.models import Choice, Lesson, Module, Question, QuestionKind

S, M = QuestionKind.SINGLE, QuestionKind.MULTIPLE

MODULES: list[dict] = [
    {
        "slug": "patient-privacy-on-social-media",
        "title": "Protecting patient privacy on social media",
        "summary": "What identifies a patient, why “I left the name out” is not enough, and how to "
        "check a draft with the portal's privacy guard before you post.",
        "platforms": ["All platforms"],
        "minutes": 20,
        "lessons": [
            (
                "What identifies a patient",
                "A post identifies a patient when **anyone who knows them** could recognise them, not only when "
                "it carries a name.\n\nThe HIPAA Safe Harbor list names eighteen kinds of identifier. The ones "
                "clinicians post by accident most often are:\n\n"
                "- **Dates** tied to a person: admission, discharge, surgery, birth (the year alone is fine)\n"
                "- **Places** smaller than a state: a town, a ward, a school\n"
                "- **Ages over 89**, record numbers, phone numbers and email addresses\n"
                "- **Photographs**: faces, tattoos, a monitor in the background, a wristband\n\n"
                "Combinations matter too. “A 34-year-old teacher from a small town, seen this morning” may "
                "point to exactly one person in that town.",
                False,
            ),
            (
                "Telling a story safely",
                "Case stories teach well. Keep the lesson, lose the person:\n\n"
                "1. **Wait.** Post weeks later, not the same day, and never say “today”.\n"
                "2. **Generalise.** “A patient in their thirties” instead of an exact age; no town, no job.\n"
                "3. **Change non-essential details** and say that you did.\n"
                "4. **Ask for written consent** when a patient could still recognise themselves, and follow "
                "your employer's policy.\n\n"
                "> If in doubt, leave it out. A post can be deleted; a screenshot cannot.",
                False,
            ),
            (
                "Practice with the privacy guard",
                "Every post you log on the portal passes the **privacy guard**: it looks for the Safe Harbor "
                "identifiers in your excerpt and holds the post until you fix or confirm it.\n\n"
                "Use it as a practice tool. The box below runs the same live check as the activity form. "
                "Try the example, then remove the identifiers one by one and watch the warnings go.",
                True,
            ),
        ],
        "questions": [
            (
                "Which of these can identify a patient even without a name? (select all that apply)",
                M,
                [
                    ("The date of their surgery", True, "Right: dates tied to a person are Safe Harbor identifiers."),
                    ("A photo showing a tattoo", True, "Right: distinctive marks identify people who know them."),
                    ("Their home town", True, "Right: places smaller than a state are identifiers."),
                    ("The year they were born", False, "The year alone is allowed (unless they are over 89)."),
                ],
            ),
            (
                "You saw an unusual case this morning. When is the safest time to post about it?",
                S,
                [
                    (
                        "Right away, while it is fresh",
                        False,
                        "Timing identifies: colleagues and family know who was in clinic today.",
                    ),
                    (
                        "Weeks later, generalised, with details changed",
                        True,
                        "Yes: delay plus generalising breaks the link to one person.",
                    ),
                    ("Never: case stories are not allowed", False, "Case stories are valuable when de-identified."),
                ],
            ),
            (
                "What does the portal's privacy guard do when it finds an identifier in a post you log?",
                S,
                [
                    ("Deletes the post from the platform", False, "The portal never touches your social accounts."),
                    (
                        "Holds it and shows what it found, so you can fix or confirm it",
                        True,
                        "Right: the guard explains each finding before anything counts.",
                    ),
                    ("Nothing, it only runs for staff", False, "It runs for every clinician, on every path."),
                ],
            ),
            (
                "A patient says you may share their story. What should you do first?",
                S,
                [
                    (
                        "Post it: verbal permission is enough",
                        False,
                        "Get written consent and follow your employer's policy.",
                    ),
                    (
                        "Get written consent and check your employer's policy",
                        True,
                        "Yes: consent should be documented and scoped.",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "correcting-misinformation",
        "title": "Correcting misinformation with evidence",
        "summary": "How to cite well, what tone persuades the people watching, and when not to engage at all.",
        "platforms": ["X", "Facebook", "Instagram", "TikTok"],
        "minutes": 15,
        "lessons": [
            (
                "Lead with the fact, cite the source",
                "Corrections work best when the **accurate statement comes first** and the myth is mentioned "
                "once, briefly.\n\n- Link a primary source: a guideline, a systematic review, a public health "
                "agency page\n- Prefer sources your audience trusts over the most technical one\n"
                "- Say what is known **and** what is uncertain\n\nOn the portal, corrections that cite evidence "
                "earn a bonus.",
                False,
            ),
            (
                "Tone, audience, and when not to engage",
                "You are rarely writing for the person who posted the myth: you are writing for the "
                "**silent readers**. Be brief, kind and specific.\n\n"
                "Do not engage when the account is clearly acting in bad faith, when a reply would amplify a "
                "tiny post, or when you are tired or angry. Report, mute, and move on.",
                False,
            ),
        ],
        "questions": [
            (
                "Which order works best for a correction?",
                S,
                [
                    (
                        "Fact first, then a brief mention of the myth, then the source",
                        True,
                        "Yes: the fact is what readers should remember.",
                    ),
                    ("Quote the myth in full, then refute it", False, "Repeating the myth in full helps it stick."),
                ],
            ),
            (
                "Who is the main audience of a public correction?",
                S,
                [
                    ("The person who posted the myth", False, "They are the least likely to change their mind."),
                    ("The people reading the thread silently", True, "Right: they are persuadable."),
                ],
            ),
            (
                "When is it wiser not to reply? (select all that apply)",
                M,
                [
                    ("The account is acting in bad faith", True, "Yes: report and mute instead."),
                    ("Your reply would amplify a post almost nobody saw", True, "Yes: replies spread the original."),
                    ("The myth is spreading widely among patients", False, "That is when a correction matters most."),
                ],
            ),
        ],
    },
    {
        "slug": "disclosures-and-conflicts",
        "title": "Disclosures and conflicts of interest",
        "summary": "When to disclose sponsorship, employers and industry ties, and how to word it so "
        "readers actually see it.",
        "platforms": ["All platforms"],
        "minutes": 12,
        "lessons": [
            (
                "What needs disclosing",
                "Disclose anything a reasonable reader would want to know to judge your post: **payments, "
                "free products, speaking fees, research funding, equity**, and your employer when you post "
                "about its services.\n\nOpinions are your own only if you say so, and saying so does not "
                "replace a disclosure.",
                False,
            ),
            (
                "How to disclose clearly",
                "Put the disclosure **where it will be seen**: in the first lines of a caption, on screen in "
                "a video, not buried among hashtags.\n\nUse plain words: “Paid partnership with …”, "
                "“I receive research funding from …”. Use the platform's own paid-partnership label too.\n\n"
                "The portal records your disclosure with each logged post.",
                False,
            ),
        ],
        "questions": [
            (
                "Which of these should be disclosed? (select all that apply)",
                M,
                [
                    ("A speaking fee from a device maker you mention", True, "Yes: a financial tie."),
                    ("Free samples you review", True, "Yes: gifts are material connections."),
                    ("That you read a public guideline", False, "Reading public sources is no conflict."),
                ],
            ),
            (
                "Where should a disclosure go in an Instagram caption?",
                S,
                [
                    ("In the first lines", True, "Right: readers see it before “more”."),
                    ("At the end among the hashtags", False, "Buried disclosures are not clear disclosures."),
                ],
            ),
            (
                "Does “views are my own” in your bio replace a disclosure?",
                S,
                [
                    ("Yes", False, "It says whose opinion it is, not who paid."),
                    ("No", True, "Right: conflicts need their own disclosure."),
                ],
            ),
        ],
    },
    {
        "slug": "getting-started-on-linkedin",
        "title": "Getting started on LinkedIn",
        "summary": "A credible profile, your first posts, and how to connect with colleagues, journalists "
        "and patient groups.",
        "platforms": ["LinkedIn"],
        "minutes": 15,
        "lessons": [
            (
                "A profile people trust",
                "Your headline is read more than anything else: say **who you help and how** "
                "(“Paediatric nurse · childhood vaccination educator”).\n\nAdd your credentials, a clear "
                "photo and an About section in plain language. Link your profile on the portal to prove the "
                "account is yours: proven accounts count at once.",
                False,
            ),
            (
                "Your first posts",
                "Start with what you know best. A good first post: **one insight from practice**, why it "
                "matters to patients, and one source.\n\nShort paragraphs, no more than three hashtags, and "
                "reply to comments in the first hour: that is when LinkedIn decides how far a post travels.",
                False,
            ),
        ],
        "questions": [
            (
                "What makes a strong LinkedIn headline?",
                S,
                [
                    ("Your job title only", False, "A title says what you are, not whom you help."),
                    ("Who you help and how", True, "Yes: it tells readers why to follow you."),
                ],
            ),
            (
                "Which habits help a first post reach people? (select all that apply)",
                M,
                [
                    ("Replying to comments in the first hour", True, "Right: early conversation widens reach."),
                    ("A few relevant hashtags", True, "Yes: two or three, not twenty."),
                    ("A long wall of text without breaks", False, "Short paragraphs read better on phones."),
                ],
            ),
            (
                "Why link your LinkedIn account on the portal?",
                S,
                [
                    ("So posts from a proven account count at once", True, "Right: unproven accounts are held."),
                    ("So the portal can post for you", False, "The portal never posts on your behalf."),
                ],
            ),
        ],
    },
    {
        "slug": "short-video-for-health-education",
        "title": "Short video for health education (TikTok, Reels, Shorts)",
        "summary": "Hook, one message, captions and sources: making a 60-second video that is accurate, "
        "accessible and safe.",
        "platforms": ["TikTok", "Instagram", "YouTube"],
        "minutes": 20,
        "audience": "intermediate",
        "lessons": [
            (
                "One message in sixty seconds",
                "Viewers decide in the **first two seconds**. Open with the question your patients ask "
                "(“Can I take ibuprofen with…?”), answer it, give one practical step, and stop.\n\n"
                "One video, one message. Put the source on screen and in the caption.",
                False,
            ),
            (
                "Accessible and safe to film",
                "- **Caption everything**: most people watch without sound, and captions serve deaf viewers\n"
                "- Describe what you show for people who cannot see it\n"
                "- Film where **no patient, chart or screen** is in view; check reflections\n"
                "- Trends and sounds are fine; trivialising illness or patients is not",
                False,
            ),
        ],
        "questions": [
            (
                "What should the first two seconds of a health video do?",
                S,
                [
                    ("Introduce yourself and your credentials at length", False, "Viewers leave before the point."),
                    ("Ask or answer the question viewers have", True, "Yes: the hook is the question."),
                ],
            ),
            (
                "Which make a short video accessible? (select all that apply)",
                M,
                [
                    ("Captions", True, "Right: for sound-off viewers and deaf viewers."),
                    ("Describing what is shown", True, "Right: for viewers who cannot see it."),
                    ("Fast cuts every half second", False, "Fast cuts make videos harder to follow."),
                ],
            ),
            (
                "You are filming on the ward. What must not be in view?",
                S,
                [
                    ("Patients, charts and screens, including reflections", True, "Yes: all can identify patients."),
                    ("Your own badge", False, "Your own identity is your choice; patients' is not."),
                ],
            ),
        ],
    },
    {
        "slug": "handling-harassment-and-trolling",
        "title": "Handling harassment and trolling",
        "summary": "Protect yourself before it starts, respond (or do not) when it happens, and know where "
        "to get support.",
        "platforms": ["All platforms"],
        "minutes": 15,
        "lessons": [
            (
                "Before it starts",
                "- Turn on **two-factor authentication** on every account\n"
                "- Keep your home town, children's names and daily routine off your public profile\n"
                "- Learn each platform's mute, restrict, block and comment-filter tools now, not in a crisis\n"
                "- Agree with a colleague to watch each other's mentions when a topic is heated",
                False,
            ),
            (
                "When it happens",
                "You do not owe anyone a reply. **Do not feed trolls**: mute or block and move on.\n\n"
                "For threats or doxxing: screenshot with the date and URL, report to the platform, tell your "
                "employer's communications team, and contact the police when there is a threat to safety. "
                "The association can support you: contact the advocacy team from your dashboard.",
                False,
            ),
        ],
        "questions": [
            (
                "Which steps protect you before harassment starts? (select all that apply)",
                M,
                [
                    ("Two-factor authentication", True, "Yes: it stops account takeovers."),
                    ("Keeping personal details off public profiles", True, "Yes: it makes doxxing harder."),
                    ("Replying to every critic quickly", False, "Fast replies often escalate."),
                ],
            ),
            (
                "Someone posts your home address. What comes first?",
                S,
                [
                    ("Reply to explain yourself", False, "Engaging amplifies the post."),
                    ("Document it, report it, and get support", True, "Right: evidence, report, support."),
                ],
            ),
            (
                "Do you have to answer a troll?",
                S,
                [
                    ("No", True, "Right: muting and blocking are professional choices."),
                    ("Yes, or they win", False, "Silence is often the best response."),
                ],
            ),
        ],
    },
]


@transaction.atomic
def modules_seed(*, owner: User | None = None) -> list[Module]:
    """Create the starter modules that do not exist yet, published, each with lessons and a quiz."""
    modules = []
    for position, spec in enumerate(MODULES, start=1):
        module, created = Module.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "summary": spec["summary"],
                "platforms": spec["platforms"],
                "audience_level": spec.get("audience", "new"),
                "estimated_minutes": spec["minutes"],
                "position": position,
                "owner": owner,
                "is_published": True,
            },
        )
        modules.append(module)
        if not created:
            continue
        for number, (title, body, practice) in enumerate(spec["lessons"], start=1):
            lesson = Lesson(module=module, position=number, title=title, body=body, has_privacy_practice=practice)
            lesson.full_clean()
            lesson.save()
        for number, (text, kind, choices) in enumerate(spec["questions"], start=1):
            question = Question.objects.create(module=module, position=number, text=text, kind=kind)
            Choice.objects.bulk_create(
                Choice(question=question, text=choice, is_correct=correct, feedback=feedback)
                for choice, correct, feedback in choices
            )
    return modules
