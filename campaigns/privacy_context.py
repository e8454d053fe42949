"""The privacy guard's "not a patient" evidence: why a post or sentence holds no patient of the author's.

The recognisers (campaigns.privacy_rules) find names, places, dates, rooms and codes by shape and by the
sentence around them. Much of what they find belongs to nobody in the clinician's care: a fictional
teaching case ("Mrs Jones, 72, retired librarian"), a job advert (Ward 22), a colleague congratulated in
her new role, an official or a celebrity speaking in public, the clinician's own family, health, car,
CGM or licence number, aggregate figures, an empty room in a photo, a product recall's batch number.

This module reads such evidence as kinds, not phrases, at two levels:
- the post: it declares itself fiction or teaching material ("fictional", "case scenario", "OSCE",
  a manikin), so every person in it is invented;
- a sentence and its neighbours: the clinician's own story, family or contact details; a public role
  or praise of a colleague; a public disclosure; aggregate figures; logistics (job adverts, events,
  opening hours); an empty scene; products, coding and IT.

`set_aside(doc, hits)` drops the hits such evidence explains, unless the same sentences name a
particular patient of the clinician's ("my patient", "a 34-year-old came in", "Mr Lee was admitted"):
then the hit stands. Each reason is also a feature of the learned scorer (`reasons`).
"""

import re

from campaigns.privacy_guard import PrivacyHit


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# The post says its people are invented or that it is teaching material.
FICTION = _compile(
    r"\b(?:fictional|fictitious|fictionali[sz]ed|hypothetical|made[- ]up|imaginary|composite|"
    r"not (?:a )?real (?:patients?|persons?|people|cases?)|(?:not|none of (?:these|them) (?:are|is)) "
    r"(?:from |about )?(?:real|actual) (?:patients?|people|cases?)|"
    r"details? (?:have been |has been |were |are )?(?:changed|altered|blended)|"
    r"(?:teaching|practice|exam|mock|sample|example|test|training) (?:case|scenario|question|patient|vignette)s?|"
    r"case (?:scenario|vignette)s?|OSCE|simulation|sim (?:day|lab|session|suite|centre|center|patient|mum|baby)|"
    r"Sim ?Man|Sim ?Baby|Sim ?Mom|manikins?|mannequins?|standardi[sz]ed patients?|actor patients?|"
    r"trivia|quiz|MCQ|board question|answers? (?:in|below|tomorrow)|"
    r"what(?:'s| is| are| would be) your (?:first|next|differential|management|diagnosis|plan)|"
    r"write your (?:management|plan|answer))\b"
)
# The clinician's own details: their licence, car, device, contact details, practice or work account.
OWN_DETAILS = _compile(
    r"\b(?:my|our)\s+(?:own\s+)?(?:[\w'-]+\s+){0,2}?(?:NPI|licen[cs]e(?: number)?|registration|reg\.?|badge|"
    r"car(?! park)|ute|plate|rego|(?:clinic|practice|office|surgery|fax|phone|work|personal) (?:number|line|one|"
    r"account|email|handle|page)|website|CGM|dexcom|libre|pump|sensor|transmitter|serial|fax number)\b"
    r"|\b(?:reception:|clinic line|practice line|contact(?: us| me)?:|enquiries|bookings|DM me|email me|"
    r"message me|reg\. no\.?|registration no\.?)"
    r"|\b(?:type 1|T1D|diabetic) (?:nurse|doctor|midwife|medic|here)\b"
)
# The clinician's own body, birth, family: "I was diagnosed", "my dad had his CABG", "I gave birth".
OWN_LIFE = _compile(
    r"\b(?:I|I'm|I've|I'd)\s+(?:was|have been|had been|gave birth|went into labou?r|was diagnosed|ended up)\b"
    r"|(?<!not )(?<!caught )(?<!catch )(?<!delivered )(?<!delivering )\bmy\s+(?:own\s+)?"
    r"(?:(?:first|second|eldest|youngest|little|baby|twin|late|elderly|\d+[- ]year[- ]old)\s+)?"
    r"(?:son|daughter|wife|husband|kid|kids|mom|mum|mother|dad|father|partner|baby|child|boy|girl|grandma|"
    r"grandpa|nan|nana|granny|grandmother|grandfather|aunt|auntie|uncle|cousin|brother|sister|niece|nephew|"
    r"in-laws?|\w+-in-law|body|diagnosis|surgery|cancer|birth|labou?r|pregnancy|recovery)\b"
    r"|\bthe other side(?: of the bed)?\b|\bmyself\b"
)
# A colleague, official or organisation in a public role: appointments, honours, offices.
PUBLIC_ROLE = _compile(
    r"\b(?:appointed|appointment (?:as|of)|promot(?:ed|ion) to|new role|MBE|OBE|CBE|elected|re-?elected|"
    r"minister|senator|councill?or|mayor|governor|secretary of|director of|chief \w+ officer|CEO|chair of|"
    r"head of|(?:county|public) health officer|matron|our (?:new|very proud) (?:\w+ ){0,2}?(?:lead|manager|"
    r"director|matron|driver|colleague|consultant|CNO|CMO)|writes about|teaches on)\b"
)
# Something said in public by or about a well-known person, or a case from history and the literature.
PUBLIC_DISCLOSURE = _compile(
    r"\b(?:announced|announces|announcement|went public|spoke (?:publicly|openly|out)|speaks? (?:publicly|openly)|"
    r"publicly|posted about|shared (?:publicly|openly)|interview|on the radio|on (?:TV|television|air)|"
    r"documentary|memoir|press release|in the news|headlines|in the literature|in history|historic(?:al)?|"
    r"textbooks|in (?:1[6-9]\d\d|20[01]\d)\b)"
)
# Figures about many people, not one.
AGGREGATE = _compile(
    r"\b\d[\d,]{2,}\s+(?:[\w-]+\s+){0,2}?(?:people|patients|adults|children|kids|births|babies|women|men|mothers|"
    r"cases|tests|referrals|admissions|deliveries|visits|consultations|vaccinations|doses|screenings|clients|"
    r"residents|families|participants)\b"
    r"|\b\d+\s+(?:people|patients|adults|births|cases|tests|participants)\b"
    r"|\b(?:per|each|a) (?:year|quarter)\b|\b(?:last|this) (?:year|quarter)\b|\d+(?:\.\d+)?\s?%|\bn\s?=\s?\d"
    r"|\b(?:statistics|stats|numbers are in|on average|prevalence|incidence|surveillance|wastewater|"
    r"nationwide|statewide|countywide)\b"
)
# Job adverts, events, opening hours, notices.
LOGISTICS = _compile(
    r"\b(?:hiring|vacanc\w+|apply|applications?|(?<!my )(?<!your )(?<!whole )careers?|band \d|rotational|"
    r"preceptorship|join (?:us|our team)|"
    r"conference|workshop|seminar|webinar|tutorial|induction|new starters|grand rounds|"
    r"meeting room|venue|register|registration|rsvp|tickets|provided|clinic hours|opening hours|"
    r"open (?:daily|from|until)|closed \d|after hours|charity|fundrais\w+|every \d\w* (?:mon|tue|wed|thu|fri|sat|"
    r"sun)\w*|education centre|education center)\b"
)
# A scene with nobody in it.
EMPTY_SCENE = _compile(
    r"\bno (?:patients?|people|faces?|names?)\b(?:[\w ,]{0,20}?\b(?:in (?:the )?(?:shot|frame|picture|photo|pic|"
    r"video)|filmed|shown|visible|pictured|in sight))?"
    r"|\b(?:empty|deserted|staff (?:and volunteers )?only|everyone consented|not a (?:person|soul|patient) "
    r"in sight)\b"
)
# Products, stock, coding and IT: their numbers are catalogue, batch and ticket numbers.
PRODUCTS = _compile(
    r"\b(?:recall\w*|batch(?:es)?|lot|stock|stores|model|firmware|printers?|catalogue|part (?:no|number)|"
    r"SKU|ICD-?10|DRGs?|accession|ticket|estates|helpdesk|wi-?fi|router|doi|switching to|barcodes?)\b"
    r"|\bdoi\.org\b"
)

# Each reason, the kinds of hit it can explain, and what must be absent for it to explain them: "patient"
# (no sentence at or beside the hit names a particular patient), "named_patient" (the same, not counting
# "his arm" or "her appointment": the clinician's own son or a colleague is spoken of that way too),
# "pronoun" (those sentences speak of nobody as he or she), "tie" (none ties the clinician's care to someone).
SOFT = frozenset(
    (
        "name",
        "first_name_or_initials_with_detail",
        "child_name_town",
        "geographic",
        "date",
        "room_bed_unit",
        "age_occupation_place",
        "photo",
        "public_figure_condition",
        "rare_condition_place_time",
        "biometric",
    )
)
CODES = frozenset(("device_id", "other_unique_code", "ip_address", "phone", "fax", "url"))
REASONS = (
    (
        "own_details",
        OWN_DETAILS,
        CODES | {"email", "license_number", "vehicle_id", "geographic"},
        ("patient", "pronoun"),
    ),
    ("own_life", OWN_LIFE, SOFT, ("named_patient",)),
    ("public_role", PUBLIC_ROLE, SOFT, ("named_patient", "tie")),
    ("public_disclosure", PUBLIC_DISCLOSURE, SOFT, ("tie",)),
    ("aggregate", AGGREGATE, SOFT, ("patient", "pronoun")),
    ("logistics", LOGISTICS, SOFT | {"phone", "other_unique_code", "url"}, ("patient", "pronoun", "tie")),
    ("empty_scene", EMPTY_SCENE, SOFT, ("patient",)),
    ("products", PRODUCTS, CODES | {"name"}, ("patient", "pronoun")),
)
SENTENCE_REASONS = tuple((name, pattern) for name, pattern, _, _ in REASONS)
# The clinician's care tied to someone: "we admitted", "I treated", "was in our ED", "under our care".
CARE_TIE = _compile(
    r"\b(?:cared for|caring for|care for|treated|treating|nursed|looked after|came in|came into|brought in|rolled in|"
    r"admitted|with us|under (?:our|my) care|in (?:our|my) care|(?:in|on|at|to|into|through) our (?:[\w-]+ ){0,2}?"
    r"(?:ED|ER|A&E|unit|ward|ICU|step-?down|bay|theatres?|OR|resus|department|floor|detox|rehab|cath lab|"
    r"clinic|practice|surgery|chair)|we (?:saw|had|treated|repaired|admitted|operated|delivered|scoped|stitched|"
    r"placed|diagnosed)|I (?:saw|treated|had|nursed|admitted|operated|scoped|stitched|diagnosed)|"
    r"(?:his|her|their|'s)\s+(?:cardiologist|surgeon|doctor|nurse|GP|oncologist|physician|therapist))\b"
)
PRONOUN = re.compile(r"\b(?:he|she|him|his|her|hers|he's|she's|himself|herself)\b", re.IGNORECASE)


def _names_a_patient(text: str) -> bool:
    """A patient reference in the sentence other than the clinician's own family or a he/she/his/her phrase."""
    from campaigns.privacy_rules import OWN_FAMILY, PATIENT_REFERENCE

    return any(
        not OWN_FAMILY.fullmatch(match.group(0)) and not HE_OR_SHE.match(match.group(0))
        for match in PATIENT_REFERENCE.finditer(text)
    )


HE_OR_SHE = re.compile(r"(?:he|she|they|his|her|their)\b", re.IGNORECASE)


def sentence_reasons(text: str) -> frozenset[str]:
    """Why one sentence may hold no patient of the author's (empty when nothing says so)."""
    return frozenset(name for name, pattern in SENTENCE_REASONS if pattern.search(text))


def post_is_fiction(text: str) -> bool:
    """The post says its people are invented, or it is teaching material (a case, a quiz, a manikin)."""
    return bool(FICTION.search(text))


def reasons(doc) -> frozenset[str]:
    """Every reason found anywhere in the post, for the learned scorer ("fiction" for the whole post)."""
    found = set()
    for sentence in doc.sentences:
        found |= sentence_reasons(sentence.text)
    if post_is_fiction(doc.text):
        found.add("fiction")
    return frozenset(found)


def set_aside(doc, hits: list[PrivacyHit]) -> list[PrivacyHit]:
    """The hits that no "not a patient" evidence explains.

    A hit is set aside when the post is fiction or teaching material, or when its sentence or a
    neighbour gives a reason that explains its kind and nothing the reason requires absent is there
    (a particular patient near, a he or she in the hit's sentence, the clinician's care tied to someone)."""
    if not hits or not doc.sentences:
        return hits
    if post_is_fiction(doc.text):
        return []
    sentences = doc.sentences
    found = [{name for name, pattern, _, _ in REASONS if pattern.search(s.text)} for s in sentences]
    kept = []
    for hit in hits:
        index = doc.index_at(hit.start)
        near = range(max(0, index - 1), min(len(sentences), index + 2))
        absent = {
            "patient": not any(sentences[i].patient for i in near),
            "named_patient": not any(_names_a_patient(sentences[i].text) for i in near),
            "pronoun": not any(PRONOUN.search(sentences[i].text) for i in near),
            "tie": not any(CARE_TIE.search(sentences[i].text) for i in near),
        }
        explained = any(
            name in found[i] and hit.kind in kinds and all(absent[need] for need in needs)
            for name, _, kinds, needs in REASONS
            for i in near
        )
        if not explained:
            kept.append(hit)
    return kept
