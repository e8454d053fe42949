"""The privacy guard's rules: context, recognisers and the combination rules (see campaigns.privacy_guard).

Imported by the first `privacy_scan`, never at process start: compiling these patterns takes tens of
milliseconds and the name lists are read on first use as well.
"""

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from stdnum import luhn

from campaigns import privacy_context
from campaigns.privacy_guard import PrivacyHit


def _split_alternatives(pattern: str) -> list[str]:
    """The top-level branches of an alternation (respecting groups, character classes and escapes)."""
    branches, depth, in_class, escaped, current = [], 0, False, False, []
    for character in pattern:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif in_class:
            in_class = character != "]"
        elif character == "[":
            in_class = True
        elif character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif character == "|" and depth == 0:
            branches.append("".join(current))
            current = []
            continue
        current.append(character)
    branches.append("".join(current))
    return branches


def _group_end(pattern: str, start: int) -> int:
    """The index of the ")" closing the group opened at pattern[start]."""
    depth, in_class, escaped = 0, False, False
    for index in range(start, len(pattern)):
        character = pattern[index]
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif in_class:
            in_class = character != "]"
        elif character == "[":
            in_class = True
        elif character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(f"unbalanced group in {pattern!r}")


def _by_first_letter(branches: list[str]) -> str:
    """Branches grouped under their first letter (exactly as written, so a case-sensitive pattern stays
    case-sensitive): Python's re tries alternatives one by one, so a 150-word alternation costs 150
    attempts at every word; grouped, it costs one test per letter. Branches that start with anything
    but a plain letter keep their place after the letter groups."""
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    for branch in branches:
        first = branch[:1]
        if first.isalpha() and branch[1:2] not in ("?", "*", "+", "{"):
            groups.setdefault(first, []).append(branch)
        else:
            others.append(branch)
    parts = []
    for key, members in groups.items():
        if len(members) == 1:
            parts.append(members[0])
        else:
            parts.append(f"{key}(?:" + "|".join(member[1:] for member in members) + ")")
    return "|".join(parts + others)


def _fast(pattern: str) -> str:
    """The same regular expression with every long (?:...) alternation grouped by first letter."""
    out, index = [], 0
    while index < len(pattern):
        character = pattern[index]
        if character == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if character == "[":
            end = index + 1
            while end < len(pattern) and (pattern[end] != "]" or end == index + 1 or pattern[end - 1] == "\\"):
                end += 1
            out.append(pattern[index : end + 1])
            index = end + 1
            continue
        if character == "(":
            end = _group_end(pattern, index)
            opener = re.match(r"\((?:\?(?:P<\w+>|[:=!]|<[=!]|[aiLmsux-]+:))?", pattern[index:]).group(0)
            inner = _fast(pattern[index + len(opener) : end])
            branches = _split_alternatives(inner)
            if opener in ("(?:", "(") and len(branches) >= 8:
                inner = _by_first_letter(branches)
            out.append(opener + inner + ")")
            index = end + 1
            continue
        out.append(character)
        index += 1
    return "".join(out)


def _compile(pattern: str, flags: int = 0) -> re.Pattern:
    return re.compile(_fast(pattern), flags)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _words(*items: str) -> str:
    """An alternation of the items, longest first so that 'heart attack' wins over 'heart'."""
    return "|".join(sorted(items, key=len, reverse=True))


# ---------------------------------------------------------------------------------------------------------
# Context: is this sentence about one particular patient or care event?
# ---------------------------------------------------------------------------------------------------------

PERSON_NOUNS = _words(
    *_word_set(r"""
    patient pt client resident man woman lady gentleman guy gal lad lass boy girl baby infant newborn neonate
    toddler child kid teen teenager adolescent mom mum mother dad father grandma grandmother grandpa grandfather
    granny nana veteran vet preemie twins? student youngster son daughter wife husband widow widower retiree
    senior elder couple family mama papa fella dude male female individual person nonagenarian centenarian
    octogenarian primip multip deceased victim rider driver cyclist motorcyclist pedestrian skipper hiker
    swimmer climber runner passenger survivor fighter warrior trucker worker labourer laborer porter
    gent bloke chap mam mammy
    """)
)
AGE_WORDS = r"\d{1,3}[- ](?:year|yr|month|mo|week|wk|day)s?[- ]old"
PATIENT_REFERENCE = _compile(
    rf"\b(?:my|our|a|an|one|this|that|the|same|last|first|today'?s|tonight'?s|yesterday'?s)\s+"
    rf"(?:[\w'-]+\s+){{0,3}}?(?:{PERSON_NOUNS})\b(?!s\b|-|\s+(?:nurses?|doctors?|staff|colleagues?|patients|"
    rf"residents|students|workers|members|team)\b)"
    r"|\bpatients? of (?:mine|ours)\b|\b(?:pt|patient)\s*(?:#\s*)?\d+\b"
    r"|(?<!every )(?<!each )(?<!any )(?<!all )(?<!no )\b(?:patient|pt)(?:'s)?\b"
    r"(?!s|-|\s+(?:care|safety|education|experience|advocacy|advocates?|outcomes|"
    r"satisfaction|centred|centered|engagement|voices?|stories|population|data|privacy|rights|information|"
    r"records|flow|portal|portals|journey|access|perspective|partners?|groups?|leaflets?|materials|resources|"
    r"areas?|rooms|beds|units|lounge|parking|transport|lifts?|elevators?)\b)"
    r"|\b(?:young|old|elderly|older|middle-aged)\s+(?:guy|man|woman|lady|bloke|girl|boy|fella|gent|chap|lad)\b"
    r"|\b(?:john|jane|baby) doe\b|\bunidentified (?:male|female|man|woman|patient|child|boy|girl|person)\b"
    r"|\bunknown (?:male|female|man|woman)\b|\b(?:cared for|nursed|looked after|treated)\b"
    r"|\b(?-i:[A-Z][a-z]+)(?:'s|\u2019s) (?:family|wife|husband|mum|mom|dad|daughter|son|kids|parents|funeral|memorial|"
    r"widow|widower|obituary)\b"
    r"|\b(?:mr|mrs|ms|mister)\.?\s+(?-i:[A-Za-z][a-z]+)\b"
    r"|\b\d{2}[- ]?weeker\b|\b(?:twin|baby|triplet) [A-C]\b|\b(?:sent|brought|transferred|flown|rushed) to us\b"
    r"|(?<!my )\b(?:little|lil|baby|miss|mr|mrs|sweet|brave) [a-z]+\b(?<!baby boy)(?<!baby girl)"
    rf"|\b{AGE_WORDS}\b|\b\d{{1,3}}\s?(?:yo|y/o|yr old|M|F|m|f)\b(?![-\w])|\b\d{{1,3}}\s?y\.o\.(?!\w)"
    r"|\bI\s+(?:just\s+|recently\s+|once\s+|finally\s+)?(?:saw|treated|admitted|discharged|delivered|intubated|"
    r"examined|diagnosed|operated on|stitched|sutured|resuscitated|coded|triaged|cared for|took care of|"
    r"looked after|held|met|sent home|sat with|counsell?ed|prescribed|scanned|splinted|casted|"
    r"pronounced|transferred|referred|visited|called)\b"
    r"|\b(?:we|I)\s+(?:just\s+)?(?:had|got|lost|saved|admitted|discharged|delivered|intubated|coded|transferred|"
    r"sent|flew|airlifted|treated|saw)\s+(?:a|an|one|this|the|our|her|him|twins)\b"
    r"|\b(?:came|rolled|walked|wheeled|showed up|was brought|were brought|was rushed|was wheeled|brought)\s+"
    r"(?:in|into|to (?:the|our|my))\b"
    r"|\b(?:he|she|they)\s+(?:(?:was|were|is|got)\s+(?:just\s+)?(?:admitted|diagnosed|discharged|intubated|born|"
    r"delivered|rushed|brought|transferred|airlifted|found|revived|resuscitated|treated|started|moved)|came in|"
    r"presented|arrived|died|passed away|coded|delivered|went into|started|finished|rang|survived|had (?:a|an|her|his)|"
    # Round 9: "lives"/"works" only with something after them (where, as what): "vaccines ... they work." is no one.
    r"got (?:her|his)|(?:lives?|works?|worked)(?!\s*(?:[.!?,;:)]|$))|grew up|is from|comes from|drove|walked|"
    r"was found)\b"
    r"|\b(?:his|her|their)\s+(?:mom|mum|mother|dad|father|family|wife|husband|daughter|son|kids|parents|chart|"
    r"wristband|band|bracelet|MRN|diagnosis|scan|biopsy|labs|surgery|room|bed|name|face|address|phone|"
    r"portal|account|results|meds|medication|appointment|treatment|chemo|cancer|recovery|scans|stay|"
    r"insurance|x-?ray|tattoo|birthday|funeral|obituary|GoFundMe|obit|home|pump|pacemaker|dexcom|libre|cgm|"
    r"monitor|transmitter|sensor|implant|hearing aids?|wheelchair|prosthe\w+|walker|oxygen|CPAP|stoma|"
    r"cast|stitches|scar|wound|leg|arm|hip|knee|heart|lungs?|kidneys?|liver|BP|blood pressure|sugars?|"
    r"glucose|pulse|sats|temp|temperature|INR|A1c|bloods|symptoms|pain|balance|bill|prescription|script)\b",
    re.IGNORECASE,
)
CARE_EVENT = _compile(
    r"\b(?:admitted|admission|admit|discharged?|delivered|delivery|gave birth|born|birth|intubated|extubated|"
    r"coded|code blue|resuscitat\w*|CPR|died|passed away|passed|death|surgery|operated|op|biopsy|diagnosed|"
    r"diagnosis|transfus\w+|triaged?|ER|ED|A&E|ICU|NICU|PICU|CCU|L&D|OR|labou?r|ambulance|EMS|overdos\w*|"
    r"OD'?d|ventilat\w+|amputat\w+|chemo\w*|dialysis|stitches|sutures?|c-section|cesarean|caesarean|induction|"
    r"epidural|appointment|visit|clinic|follow-up|consult|rounds|shift|presented|arrived|transferred|"
    r"airlifted|life ?flight|trauma|bay|ward|bedside|hospice|pronounced|ultrasound|scan|x-?ray|MRI|CT|"
    r"stroke|seizure|cardiac arrest|heart attack|fracture|miscarr\w+|stillb\w+|sepsis|septic|hospitali[sz]ed|"
    r"rushed|treated|vaccinated|jabbed|swabbed|tested positive|positive for|tested|diagnos\w+|collapsed|"
    r"rescued|crash\w*|survived|injured|hurt|broke|bitten|bit|drown\w*|near[- ]drowning|OD|ODs|revived|"
    r"narcan|resus|HDU|PACU|SCBU|rehab|detox|post-?op|pre-?op|radiation|transplant|ICD|pacemaker|"
    r"stent|cast|splint|stitched|triage|nursed|discharge|dx|tx|TAVI|CABG|ECMO|intubation|coroner|autopsy|"
    r"morgue|surgery|ambo|bleeding|unconscious|unresponsive|fainted|fell|fall|burned|burnt|stabbed|shot|"
    r"repaired|repair|reconstruct\w*|replacement|valve|dressed|ACL|torn|sprain\w*|concuss\w*|broken|CPAP|"
    r"[a-z]+ectomy|[a-z]+otomy|[a-z]+ostomy|[a-z]+plasty|[a-z]+oscopy|advance directive|DNR|DNAR|POLST|"
    r"isolation|swallowed|ingest\w*|extraction|sedation|sedated|an(?:a)?esthe\w+|cannula\w*|first catch|"
    r"poison\w*|bitten|lightning|frostbite|hypotherm\w*|rang the bell|"
    r"finger pricks?|insulin|cast|home after|went home|going home|discharged home|cath lab|physio\w*|"
    r"bypass|RIP|dying|end of life|palliative|recovering|recovery|tonsils?|fought|fighting|brace|sling|"
    r"crutches|coma|is stable|(?:stable|critical|serious|fair) condition|critical but stable|life support|"
    r"door to (?:balloon|needle)|time of arrival|arrival time|collaps\w*|hit[- ]and[- ]run|MVA|MVC|RTC|RTA|"
    r"assault\w*|pedestrian struck|struck by|"
    r"(?:on|in|to|onto) our (?:ward|unit|floor|ICU|ED|ER|NICU|PICU|service)|"
    r"new (?:hip|knee|heart|kidney|liver|lungs?|cornea)|MI|vent|ventilator|oxygen|extricated|paged|paging)\b",
    re.IGNORECASE,
)
CONDITION = _compile(
    r"\b(?:cancer|carcinoma|leuka?emia|lymphoma|melanoma|tumou?r|diabet\w+|hiv|aids|hepatitis|covid(?:-19)?|"
    r"measles|mumps|pertussis|whooping cough|tuberculosis|tb|stroke|heart attack|sepsis|overdose|schizophreni\w+|"
    r"bipolar|depress\w+|dementia|alzheimer'?s|parkinson'?s|multiple sclerosis|copd|asthma|pneumonia|fracture|"
    r"miscarriage|pregnan\w*|anorexia|bulimia|addiction|seizures?|epilep\w+|kidney failure|dialysis|transplant|"
    r"syphilis|chlamydia|gonorrh?oea|gonorrhea|psychosis|suicid\w*|autis\w+|adhd|down syndrome|cerebral palsy|"
    r"cystic fibrosis|sickle cell|lupus|crohn'?s|colitis|meningitis|encephalitis|rabies|ebola|mpox|monkeypox|"
    r"polio|tetanus|diphtheria|botulism|lyme|malaria|influenza|flu|rsv|norovirus|salmonella|e\.? coli|"
    r"listeria|concussion|paralys\w+|quadripleg\w+|parapleg\w+|amputation|burns?|gunshot|gsw|stab wound|"
    r"cardiac arrest|heart failure|aneurysm|embolism|clot|dvt|infection|illness|disease|disorder|syndrome|"
    r"necro\w+|gangrene|c\.? ?diff|mrsa|dka|stemi|nstemi|type 1|type 2|t1d|t2d|guillain|barr[e\u00e9]|als|"
    r"condition|injur\w+|wound|bleed\w*|a[- ]fib|arrhythmia|hypertension|obesity|ptsd|ocd|opioid use disorder|"
    r"substance use|alcoholism|cirrhosis|hiv-positive|positive|abscess\w*|ulcers?)\b"
    # Inflammations, tumours, blood and other conditions by their suffix; [a-z]* after a word boundary
    # backtracks once per letter, so the word is matched first and its ending checked by a lookbehind.
    r"|\b[a-z]{3,}(?<=itis|.oma|emia|osis)\b"
    r"|\b(?-i:MS|ALS|MND|CF|CKD|ESRD|CHF|AF|PE|UTI|TBI|SCI|CP|SMA|DMD|T1D|T2D)\b",
    re.IGNORECASE,
)
# The clinician's own family ("my son's school play") is not a patient.
OWN_FAMILY = _compile(
    r"(?<!\bcaught )(?<!\bcatch )(?<!\bcatching )(?<!\bdelivered )(?<!\bdelivering )"
    r"\b(?:my|our)\s+(?:own\s+)?(?:[\w'-]+\s+)?(?:son|daughter|wife|husband|kid|kids|mom|mum|mother|dad|father|"
    r"family|partner|baby|child|boy|girl|grandma|grandpa|nana|granny|twins?|grandmother|grandfather|aunt|"
    r"auntie|uncle|cousin|brother|sister|niece|nephew|in-laws?|\w+-in-law|best friend|friend|neighbou?r)",
    re.IGNORECASE,
)
# Logistics, job ads, statistics and policy: room numbers, dates and addresses there are no patient's.
LOGISTICS = _compile(
    r"\b(?:grand rounds|webinar|seminar|meeting|conference|lecture|topic|breakfast|lunch|provided|fair|"
    r"blood drive|(?-i:drive)|walk-?ins?|welcome|"
    r"book (?:now|online|in|your|a|an)|to book|booking|register|registration|rsvp|hiring|apply|"
    r"(?<!my )(?<!your )(?<!whole )careers?|"
    r"sign-on|bonus|vacanc\w+|closed|closing|merged|opening|opens|moved|now at|new location|downtime|upgrade|"
    r"policy|required|masks?|audits?|audited|reduced|percent|per cent|committee|staff only|break room|"
    r"class(?!\s+(?:\d|[A-E]\b|[IVX]+\b))|training|course|free|flu shots|clinic hours|visiting hours|"
    r"(?<!\d )(?<!\d)(?<!few )(?<!two )(?<!six )(?<!ten )(?<!many )(?<!three )(?<!four )(?<!five )"
    r"(?<!several )hours|canteen|cafeteria|announcement|"
    r"donate|donations?|foundation|appeal|recruiting|enrolled|results|median|target|pop-?up|no appointment|"
    r"EHR|banner|display|numbering|signage|wayfinding|renovat\w+|refurb\w*|layout|join us|visit us|for staff|"
    r"staff clinic|every (?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:days?)?|"
    r"come see us|located|new address|moved to|"
    r"until|vaccination clinic|guidelines?|released|congress|arrived|equipment|scanner|open daily|"
    r"open (?:from|until|weekdays|mon\w*|tue\w*|wed\w*|thu\w*|fri\w*|sat\w*|sun\w*|\d))\b"
    r"|\d{1,2}\s?(?:am|pm)?\s?[-\u2013]\s?\d{1,2}\s?(?:am|pm)\b"
    r"|\d+\s?%",
    re.IGNORECASE,
)
# Public-health figures about many people: a town or a date there identifies nobody.
POPULATION = _compile(
    r"\b(?:levels|rates?|cases|wastewater|data|statewide|nationwide|countywide|surveillance|population|"
    r"incidence|prevalence|statistics|stats|figures|per \d[\d,]*|million|thousands|hundreds|average|mean|"
    r"survey|census)\b",
    re.IGNORECASE,
)
# The clinician speaking of their own body or career, or of the public: these sentences hold no patient.
OWN_STORY = _compile(
    r"\b(?:I|I'm|I've|I'd)\s+(?:was|am|have been|had been|got|had|have|went|spent|found out|learned|survived|"
    r"beat|lost|became|became a|passed|started|finished|graduated|joined|qualified)\b"
    r"|\bmy\s+(?:licen[cs]e|boards|badge|registration|NPI|exam|pin|certificate|first shift)\b|\bmy\s+own\b"
    r"|\bsurvivor myself\b|\bI'?m\s+(?:[@\w.-]+,\s+)?an?\s+(?:[\w-]+\s+)?(?:nurse|doctor|midwife|paramedic|physio|"
    r"GP|pharmacist|dentist|surgeon|medic|resident|registrar|consultant)\b"
    r"|\bmy\s+(?:diagnosis|surgery|cancer|scan|mammogram|colonoscopy|"
    r"biopsy|chemo|recovery|journey|story|experience|miscarriage|pregnancy|birth|labou?r|delivery|stroke|"
    r"heart attack|tumou?r|treatment|transplant)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    patient: bool  # names one particular patient or person being cared for
    care: bool  # a care event or condition is mentioned
    own: bool  # the clinician's own health story


ABBREVIATIONS = _word_set(
    """
    mr mrs ms miss mx dr st rm no nos vs etc e.g i.e pt pts approx dept jr sr prof rev hon gov sen rep
    lt col sgt capt fr ft mt ave blvd rd jan feb mar apr jun jul aug sep sept oct nov dec a.m p.m am pm
    u.s
    """
)
SENTENCE_BREAK = _compile(r"[.!?]+[\"'\u201d\u2019)]*\s+|\n+|\s+[•|]\s+")


def _sentences(text: str) -> list[Sentence]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_BREAK.finditer(text):
        before = text[start : match.start()].rsplit(None, 1)
        last_word = before[-1].lower().rstrip(".") if before else ""
        if match.group(0).lstrip().startswith(".") and (last_word in ABBREVIATIONS or len(last_word) == 1):
            continue
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    sentences = []
    for begin, end in spans:
        piece = text[begin:end]
        own = bool(OWN_STORY.search(piece) or OWN_FAMILY.search(piece))
        patient = any(not OWN_FAMILY.fullmatch(match.group(0)) for match in PATIENT_REFERENCE.finditer(piece))
        sentences.append(
            Sentence(
                start=begin,
                end=end,
                text=piece,
                patient=patient,
                care=bool(CARE_EVENT.search(piece) or CONDITION.search(piece)),
                own=own and not patient,
            )
        )
    return sentences


@dataclass(frozen=True)
class Context:
    """What the sentences around a position say: about a patient, about care, or neither."""

    patient: bool
    care: bool
    sentence: Sentence
    own: bool = False


class Document:
    def __init__(self, text: str):
        self.text = text
        self.sentences = _sentences(text)
        self.starts = [sentence.start for sentence in self.sentences]
        # Every phone-like number libphonenumber finds (reported or not), so no other rule reads it as a code.
        self.phone_spans: list[tuple[int, int]] = []

    def index_at(self, position: int) -> int:
        return max(0, min(bisect.bisect_right(self.starts, position) - 1, len(self.sentences) - 1))

    def context(self, position: int, reach: int = 1) -> Context:
        """The sentence at position and `reach` sentences either side."""
        if not self.sentences:
            empty = Sentence(0, 0, "", False, False, False)
            return Context(False, False, empty)
        index = self.index_at(position)
        near = self.sentences[max(0, index - reach) : index + reach + 1]
        here = self.sentences[index]
        return Context(
            patient=any(s.patient for s in near) and not here.own,
            care=any(s.care for s in near),
            sentence=here,
            own=any(s.own for s in near),
        )

    @functools.cached_property
    def about_patient(self) -> bool:
        return any(s.patient for s in self.sentences)


# ---------------------------------------------------------------------------------------------------------
# Recognisers
# ---------------------------------------------------------------------------------------------------------

Found = list[PrivacyHit]


def _hit(found: Found, kind: str, match_or_span, text: str, explanation: str, group: int | str = 0) -> None:
    if isinstance(match_or_span, re.Match):
        start, end = match_or_span.span(group)
    else:
        start, end = match_or_span
    found.append(PrivacyHit(kind=kind, start=start, end=end, text=text[start:end], explanation=explanation))


CODE = r"(?P<code>(?=[\w/-]*\d)[A-Z0-9][\w/-]*[A-Z0-9](?:\s(?-i:[A-Z0-9]{1,6}(?:-[A-Z0-9]{1,6})?)(?![\w-]))*)"
CODE_LEAD = (
    r"\s*(?:number|num|no\.?|nos\.?|#|ID|code|n[\u00b0\u00ba]|ending(?: in)?|ends in)?"
    r"(?:\s+(?:on|in|from)\s+(?:the|her|his|their)\s+[a-z-]+)?(?:\s+(?:said|says|read|reads|showed|shows))?"
    r"(?:\s*(?:is|was|of|:|#|=|-|\u2014|\u2013|\())*\s*['\u2018\u2019\"\u201c]?\s*"
)
LABELLED_CODES: list[tuple[str, str, str]] = [
    (
        "ssn",
        r"SSN|social security(?: number| no\.?| #)?|SIN|social insurance(?: number)?|NI number|NINO|"
        r"national insurance(?: number)?|PPS(?:N| number)?|NRIC|FIN|Aadhaar|Aadhar|TFN|tax file(?: number)?|"
        r"national ID|CURP|BSN|personnummer|IRD(?: number)?|MyKad|(?-i:IC)(?: no\.?| number)?|kad pengenalan|"
        r"CPF|NHI(?: number| no\.?)?|Sozialversicherungsnummer|Rentenversicherungsnummer",
        "social security or national identity number",
    ),
    (
        "mrn",
        r"MRN|medical record(?: number| no\.?)?|med rec|record|chart|hospital(?: number| no\.?| ID)|"
        r"hosp(?:ital)? no\.?|patient(?: ID| number| no\.?)|pt ID|UR(?: number| no\.?)?|URN|NHS(?: number| no\.?)?|"
        r"CHI(?: number)?|encounter|visit(?: number| ID)|accession|health card|OHIP|IHI|Medicare card|"
        r"UHID|CR(?: number| no\.?)|IP(?: number| no\.?)|OPD(?: number| no\.?)?|reg(?:istration)? no\.?|"
        r"unit number|hospital|folder(?: number| no\.?)|file(?: number| no\.?)|prontu\u00e1rio|"
        r"(?-i:RN)(?=\s*(?:no\.?|#|:)?\s*\d{6,})",
        "medical record or health service number",
    ),
    (
        "health_plan_id",
        r"member(?: ID| number| no\.?)|membership|insurance(?: ID| number| card| policy)?|insurer|policy|"
        r"subscriber(?: ID)?|Medicaid(?: ID| number| card)?|Medicare(?: ID| number)?|MBI|plan ID|"
        r"group(?: number| no\.?)|"
        r"Medicare beneficiary identifier|beneficiary identifier|member identifier|"
        r"health plan(?: ID| number)?|(?:dental|vision|drug) plan(?: ID| number| no\.?)?|"
        r"beneficiary(?: ID| number)?|BCBS|Aetna|Cigna|Humana|UHC|Kaiser|ESIC|ECHS|"
        r"CGHS|PMJAY|Ayushman|prior auth(?:orization)?|authori[sz]ation|pre-?auth|"
        # Statutory insurance numbers of other countries: German KVNR, French carte Vitale, Austrian e-card.
        r"(?:Kranken)?versicherten(?:nummer|-?nr\.?)|Versicherungsnummer|KVNR|eGK|carte vitale|e-card",
        "health plan or insurance member ID",
    ),
    (
        "account_number",
        r"account|acct|a/c|billing|bill|invoice|claim|statement|receipt|payment|routing|IBAN|BSB|IFSC|"
        r"sort code|credit card|card ending|card|portal (?:account|ID|username)|username|user ?name|login",
        "account or billing number",
    ),
    (
        "license_number",
        r"driver'?s licen[cs]e|drivers licen[cs]e|driving licen[cs]e|DL|CDL|licen[cs]e|passport|"
        r"state ID|ID card|green card|permit|DEA|certificate(?: no\.?| number)?|cert|visa|(?-i:PAL)|"
        r"firearms? licen[cs]e",
        "licence, certificate or identity document number",
    ),
    (
        "vehicle_id",
        r"licen[cs]e plates?|number plates?|plates?|tag|rego|reg(?:istration)?|VIN|vin ending|car|truck|"
        r"lorry|van|fleet|unit|rig|boat|bike|scooter|tail number|ute|hatchback|hatch|sedan|saloon|SUV|wagon|pickup|"
        r"motorbike|motorcycle|4x4|jeep|camper|campervan|motorhome|taxi|cab",
        "vehicle plate, registration or VIN",
    ),
    (
        "device_id",
        r"serial(?: number| no\.?)?|S/N|SN|device(?: ID| number)?|IMEI|UDI|pacemaker|ICD|implant|"
        r"pump|CGM|insulin pump|hearing aid|defib\w*|LVAD|stent|lot|holter(?: monitor)?|monitor|CPAP|BiPAP|"
        r"ventilator|wheelchair|cochlear|model|transmitter|sensor|Dexcom|Libre|Omnipod|receiver|reader|"
        r"(?:spinal cord |nerve |deep brain )?stimulator|neurostimulator|controller",
        "device serial number",
    ),
    (
        "other_unique_code",
        r"wristband|band|bracelet|badge|barcode|tracking|confirmation|ticket|study ID|"
        r"subject ID|subject(?: no\.?| number| #)?|trial subject|participant ID|bed tag|tag ID|locker|inmate|"
        r"prisoner|booking|employee ID|staff(?: ID| no\.?)|"
        r"student ID|ID|case|coroner(?: case)?|ePCR|PCR|run sheet|incident|sample|specimen|docket|"
        r"rx|script|prescription|requisition|lab req|req|referral|participant|trial participant|enrol?ment",
        "unique code",
    ),
]
NOT_CODES = _compile(
    r"^(?:19|20)\d\d$|^\d{1,3}$|^\d+(?:mg|mcg|ml|mm|cm|kg|g|mmol|iu|u|k|m|x|s|h|hrs?|am|pm|st|nd|rd|th)$"
    r"|^\d{1,2}[:/]\d{2}$|^\d{1,2}/\d{1,2}(?:/\d{2,4})?$|^(?:19|20)\d\d-\d\d(?:-\d\d)?$",
    re.IGNORECASE,
)
PUBLIC_CODES = _compile(
    r"\b(?:PMID|PMCID|NCT|DOI|ISBN|ISSN|arXiv|CPT|ICD-?10|ICD-?9|LOINC|NDC|ISRCTN|CTRI|EudraCT|ACTRN|DRKS|ChiCTR|"
    r"PROSPERO|CRD|IRB|REC|SNOMED|ATC|RxNorm|HCPCS|DRG)",
    re.IGNORECASE,
)
# A code nobody labelled: capitals and digits with at least five digits, or six digits in a row.
BARE_CODE = _compile(
    r"(?<![\w$£€@.,:/#-])(?P<code>(?=[A-Z0-9/-]*\d)[A-Z0-9]+(?:[-/][A-Z0-9]+){0,4}(?:\s(?:[A-Z]{1,4}|\d{3,6})(?![\w-])){0,3})"
    r"(?![\w@-]|[.,]\d|\s?(?:%|mg|mcg|ml|kg|mmHg|mmol|people|patients|cases|deaths|beds|hours|days|weeks|years|"
    r"steps|calories|kcal|miles|km|feet|ft|words|views|likes|followers))"
)
PLATE = _compile(
    r"\b(?i:plates?|rego|registration|reg|tag|plat|placa|matr\u00edcula|matricula|kennzeichen|immatriculation|targa)"
    r"\s*(?i:no\.?|number|#)?\s*\(?\s*[:'\u2018\u2019\"\u201c]?\s*"
    r"(?P<plate>[A-Z0-9]{1,8}(?:[ -][A-Z0-9]{1,8}){0,3}"
    r"|(?i:[a-z]{1,4}[ -]?\d{2,5}|\d{1,4}[ -]?[a-z]{1,4}(?:[ -]?\d{1,4})?))\b"
)
# Round 9: plates by a country's own shape, without a label: Brazil's Mercosul plate (ABC1D23) and India's
# (state code, district, series, number: "DL 5E R 2291", "MH12AB1234").
_INDIAN_STATES = (
    "AN|AP|AR|AS|BR|CG|CH|DD|DL|DN|GA|GJ|HP|HR|JH|JK|KA|KL|LA|LD|MH|ML|MN|MP|MZ|NL|OD|OR|PB|PY|RJ|SK|TN|TR|TS|UK|UP|WB"
)
PLATE_SHAPE = _compile(
    rf"(?<![\w-])(?P<plate>[A-Z]{{3}}\d[A-Z]\d{{2}}"
    rf"|(?:{_INDIAN_STATES})[ -]?\d{{1,2}}[ -]?[A-Z]{{1,2}}(?:[ -]?[A-Z])?[ -]?\d{{4}})"
    r"(?![\w-])"
)
LOWER_ID = _compile(
    r"\b(?i:ID|username|user ?name|handle|login|account)\s*(?:is\s+|:\s*)?(?P<code>[a-z][a-z0-9_.]*\d[a-z0-9_.]*)\b"
)


@functools.cache
def _labelled_code_patterns() -> list[tuple[str, re.Pattern, str]]:
    return [
        (kind, _compile(rf"\b(?:{labels})(?:'s)?{CODE_LEAD}{CODE}", re.IGNORECASE), explanation)
        for kind, labels, explanation in LABELLED_CODES
    ]


DIGIT_RUN = _compile(r"\d+")


def _code_windows(text: str) -> list[tuple[int, int]]:
    """The stretches of text a labelled code can sit in: from 45 characters before a run of digits to
    the end of its word group. Scanning only these keeps a long post without codes cheap."""
    windows: list[tuple[int, int]] = []
    for run in DIGIT_RUN.finditer(text):
        start, end = max(0, run.start() - 45), min(len(text), run.end() + 40)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


@functools.cache
def _label_finder() -> list[tuple[str, re.Pattern]]:
    return [(kind, _compile(rf"\b(?:{labels})\b", re.IGNORECASE)) for kind, labels, _ in LABELLED_CODES]


def _digits(value: str) -> int:
    return sum(character.isdigit() for character in value)


def _code_context(doc: Document, position: int) -> bool:
    """A code counts in a post about a patient, or about care that is not logistics or the clinician's own."""
    context = doc.context(position)
    if context.patient:
        return True
    if context.sentence.own:
        return False
    if re.search(r"\b(?:his|her|their)\b", context.sentence.text, re.IGNORECASE) and context.care:
        return True
    return context.care and not context.own and not LOGISTICS.search(context.sentence.text)


THIRD_PERSON = _compile(r"\b(?:he|she|him|his|her|hers|he's|she's|they're)\b", re.IGNORECASE)
# A label introduced as a third person's ("his inmate trust account", "the patient's portal login").
SOMEONE_ELSES = _compile(
    r"\b(?:his|her|their|(?:the |my |our |this )?(?:patient|pt|client|resident|lady|man|guy|woman|kid|boy|girl)'s)"
    r"\s+(?:[\w-]+\s+){0,3}\w\S?$",
    re.IGNORECASE,
)


def _post_about_someone(doc: Document, position: int) -> bool:
    """A labelled code whose own sentence says nothing: it counts when the post elsewhere refers to one
    person in the third person or to a patient, and the code's sentence is not logistics or the
    clinician's own story ("serial 25L85401, which I removed from her today", "plate ... they're alone")."""
    sentence = doc.context(position, reach=0).sentence
    if sentence.own or POPULATION.search(sentence.text):
        return False
    if re.search(r"\b(?:recalls?|recalled|announced|stock|batch)\b", sentence.text, re.IGNORECASE):
        return False
    # Logistics wording ("every Friday") does not outweigh a person named in the code's own sentence.
    if LOGISTICS.search(sentence.text):
        return bool(THIRD_PERSON.search(sentence.text))
    return doc.about_patient or bool(THIRD_PERSON.search(doc.text))


def _code_whole(code: str, match: re.Match, text: str) -> str:
    """A code with a hyphenated tail in capitals ("CA 056-240"), for counting its digits."""
    tail = re.match(r"\s[A-Z0-9]{1,6}-[A-Z0-9]{1,6}\b", text[match.end("code") :])
    return code + tail.group(0) if tail else code


# Labels that name one person's code whatever the sentence says: a trial subject, an inmate, a wristband, an Rx.
PERSON_BOUND_LABEL = _compile(
    r"^(?:subject|trial subject|study ID|subject ID|participant(?: ID)?|trial participant|inmate|prisoner|"
    r"wristband|bracelet|rx\s*(?:#|no|number)|prescription\s*(?:#|no|number))",
    re.IGNORECASE,
)
# A code written after "#" that a hashtag cannot be (hashtags stop at a hyphen): "#TX-MH-24-0917".
HASHED_CODE = _compile(r"(?<![\w#&])#(?P<code>[A-Z0-9]{1,6}(?:-[A-Z0-9]{1,6}){1,4})(?![\w-])")


def _labelled_codes(doc: Document, found: Found) -> None:
    text = doc.text
    windows = _code_windows(text)
    for kind, pattern, explanation in _labelled_code_patterns():
        matches = {match.span(): match for start, end in windows for match in pattern.finditer(text, start, end)}
        for match in matches.values():
            code = match.group("code")
            if (
                NOT_CODES.match(code)
                or (_digits(_code_whole(code, match, text)) < 3 and not (kind == "vehicle_id" and len(code) == 17))
                or PUBLIC_CODES.search(text[max(0, match.start() - 12) : match.end()])
            ):
                continue
            record_label = kind in ("ssn", "mrn") and re.match(
                r"(?i)NHS|CHI|MRN|medical record|patient (?:ID|number|no)|hospital (?:number|no)|SSN|social",
                match.group(0),
            )
            if (_overlaps(match.span("code"), doc.phone_spans) and not record_label) or re.fullmatch(
                r"\d{2,3}/\d{2,3}", code
            ):
                continue
            person_bound = (kind == "other_unique_code" and PERSON_BOUND_LABEL.match(match.group(0))) or (
                # Round 9: an identity document's number is one person's wherever it is quoted.
                kind == "license_number" and re.match(r"(?i)passport|(?-i:PAL)\b|firearms?", match.group(0))
            )
            if person_bound and doc.context(match.start(), reach=0).sentence.own:
                continue
            if (
                kind not in ("ssn", "mrn", "health_plan_id")
                and not person_bound
                and not (
                    _code_context(doc, match.start())
                    or _post_about_someone(doc, match.start())
                    or SOMEONE_ELSES.search(text[max(0, match.start() - 40) : match.start() + 1])
                )
            ):
                continue
            if kind == "device_id" and not (
                doc.context(match.start()).patient
                or re.search(r"\b(?:his|her|their)\b", doc.context(match.start(), reach=0).sentence.text, re.I)
                or _post_about_someone(doc, match.start())
            ):
                continue
            _hit(found, kind, match, text, f"{explanation}: {code}")
    for match in HASHED_CODE.finditer(text):
        code = match.group("code")
        if _digits(code) < 4 or not re.search(r"[A-Z]", code) or PUBLIC_CODES.match(code):
            continue
        if _code_context(doc, match.start()) or _post_about_someone(doc, match.start()):
            _hit(found, "other_unique_code", match, text, f"a code written after a hash sign: {code}", group="code")
    for match in [*PLATE.finditer(text), *PLATE_SHAPE.finditer(text)]:
        # Round 9: a plate also counts in a sentence that is neither the clinician's own nor logistics (the hit
        # layer weighs it): "kereta Myvi putih plat WYR 5519 tu, dia parking kat luar klinik".
        sentence = doc.context(match.start(), reach=0).sentence
        plain = not (sentence.own or LOGISTICS.search(sentence.text) or POPULATION.search(sentence.text))
        if (_code_context(doc, match.start()) or _post_about_someone(doc, match.start()) or plain) and (
            re.search(r"\d", match.group("plate")) or text[match.start("plate") - 1] in "'\u2018\"\u201c"
        ):
            _hit(found, "vehicle_id", match, text, f"vehicle plate {match.group('plate')}")
    for match in LOWER_ID.finditer(text):
        own = re.search(r"\bmy\s+(?:\w+\s+)?$", text[max(0, match.start() - 20) : match.start()], re.I)
        if (_code_context(doc, match.start()) or re.match(r"(?i)user ?name|login|handle", match.group(0))) and not own:
            _hit(found, "account_number", match, text, f"account or user ID {match.group('code')}")


def _bare_codes(doc: Document, found: Found) -> None:
    """Codes without a label the rules know, in a post about a patient: the nearest label word decides the kind."""
    text = doc.text
    for match in BARE_CODE.finditer(text):
        code = match.group("code").strip()
        digits = _digits(code)
        has_letters = bool(re.search(r"[A-Z]", code))
        hashed = text[max(0, match.start() - 2) : match.start()].strip().endswith("#")
        if NOT_CODES.match(code) or re.fullmatch(r"\d{1,2}:\d{2}|\d{2,3}/\d{2,3}", code):
            continue
        if _overlaps(match.span("code"), doc.phone_spans) or PUBLIC_CODES.match(code):
            continue
        digits = _digits(re.sub(r"\b(?:19|20)\d\d\b", "", code)) if not re.search(r"[-/]", code) else digits
        if not (digits >= 6 or (digits >= 4 and (has_letters or "-" in code or "/" in code or hashed))):
            continue
        if re.fullmatch(r"(?:19|20)\d\d(?:[-/](?:19|20)?\d\d)?", code) or PUBLIC_CODES.search(
            text[max(0, match.start() - 12) : match.start()]
        ):
            continue
        if not _code_context(doc, match.start()):
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        if re.search(r"\b(?:text|txt|sms|dial|call|ring)\b(?:\s+\w+){0,2}\s+(?:to|on)?\s*$", before, re.I):
            continue
        kind, nearest = "other_unique_code", -1
        for label_kind, finder in _label_finder():
            for label in finder.finditer(before):
                if label.end() > nearest:
                    kind, nearest = label_kind, label.end()
        _hit(found, kind, match, text, f"unique code {code}", group="code")


SSN = _compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
NHS_NUMBER = _compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")
UK_NI = _compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")
NRIC = _compile(r"\b[STFGM]\d{7}[A-Z]\b")
CANADIAN_SIN = _compile(r"(?<![\d-])\d{3}[ -]\d{3}[ -]\d{3}(?![\d-])")
VIN = _compile(r"\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b")
# Round 9: the US Medicare Beneficiary Identifier by its published shape (11 characters, letters without S L O I B Z,
# digits and letters in fixed places, written with or without dashes after the 4th and 7th): "1EG4-TE5-MK73".
_MBI_LETTER = "[AC-HJKMNP-RT-Y]"
MBI = _compile(
    rf"(?<![\w-])[1-9]{_MBI_LETTER}[AC-HJKMNP-RT-Y\d]\d-?{_MBI_LETTER}[AC-HJKMNP-RT-Y\d]\d-?{_MBI_LETTER}{{2}}\d\d(?![\w-])"
)


def _nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check digit (the same test Presidio's UK NHS recogniser applies)."""
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _national_numbers(doc: Document, found: Found) -> None:
    text = doc.text
    for match in SSN.finditer(text):
        _hit(found, "ssn", match, text, "social security number pattern (nnn-nn-nnnn)")
    for match in NRIC.finditer(text):
        _hit(found, "ssn", match, text, "Singapore NRIC or FIN pattern")
    for match in CANADIAN_SIN.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if luhn.is_valid(digits) and re.search(
            r"\b(?:SIN|social insurance)\b", text[max(0, match.start() - 30) : match.start()], re.I
        ):
            _hit(found, "ssn", match, text, "Canadian social insurance number (valid check digit)")
    for match in UK_NI.finditer(text):
        _hit(found, "ssn", match, text, "UK national insurance number pattern")
    for match in NHS_NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if _nhs_number_valid(digits) and re.search(r"NHS|CHI|health", text[max(0, match.start() - 30) : match.start()]):
            _hit(found, "mrn", match, text, "NHS number (valid check digit)")
    for match in VIN.finditer(text):
        _hit(found, "vehicle_id", match, text, "vehicle identification number (17 characters)")
    for match in MBI.finditer(text):
        _hit(found, "health_plan_id", match, text, "Medicare beneficiary identifier (its 11-character format)")
    from campaigns import privacy_national_ids

    for number in privacy_national_ids.find(text):
        _hit(found, "ssn", (number.start, number.end), text, f"{number.scheme} (national identity number format)")


# Round 9: a number read out in words ("nine four four, two six one, oh eight five three", "M, three three eight"):
# seven or more digit words in a row, commas and dashes allowed between them, "double"/"triple" counting twice/thrice.
_DIGIT_WORD = r"(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|(?:double|triple)\s+\w+)"
SPELLED_NUMBER = _compile(rf"\b{_DIGIT_WORD}(?:[\s,;-]+{_DIGIT_WORD}){{6,}}\b", re.IGNORECASE)
# A name spelled letter by letter ("A-N-G-E-L-I-T-O D-E G-U-Z-M-A-N"): five or more letters joined by hyphens.
SPELLED_NAME = _compile(r"(?<![\w-])(?:[A-Z]-){4,}[A-Z](?:\s+(?:[A-Z]-)+[A-Z])*(?![\w-])")


def _spelled_out(doc: Document, found: Found) -> None:
    """A code read out in words (the nearest label in front decides its kind) and a name spelled letter by letter."""
    text = doc.text
    for match in SPELLED_NUMBER.finditer(text):
        before = text[max(0, match.start() - 80) : match.start()]
        kind, nearest = "other_unique_code", -1
        for label_kind, finder in _label_finder():
            for label in finder.finditer(before):
                if label.end() > nearest:
                    kind, nearest = label_kind, label.end()
        if (
            re.search(r"\b(?:phone|call|ring|text|dial|number is)\b", before[-40:], re.I)
            and kind == "other_unique_code"
        ):
            kind = "phone"
        _hit(found, kind, match, text, "a number read out in words")
    for match in SPELLED_NAME.finditer(text):
        _hit(found, "name", match, text, "a name spelled out letter by letter")


PHONE_CONTEXT_OWN = _compile(
    r"\b(?:call|text|ring|reach|phone|contact|book|schedule|appointments?|office|clinic|practice|surgery|"
    r"enquiries|inquiries|media|press|referrals?|line|backup|"
    r"hotline|helpline|help line|crisis|lifeline|line|support|info|information|us|our|we|front desk|"
    r"reception|main number|switchboard|toll[- ]free|free|confidential|24/7|hours|mine|NPI)\b",
    re.IGNORECASE,
)
PATIENT_CONTACT = _compile(
    r"\b(?:her|his|their|the patient'?s|patient'?s|family|daughter|son|wife|husband|mom|mum|dad|mother|father|"
    r"sister|brother|caregiver|guardian|cell|mobile|home|callback|call back|reached|relative|next of kin)\b",
    re.IGNORECASE,
)
FAX = _compile(r"\bfax(?:ed|ing)?\b|\bf:\s*$", re.IGNORECASE)


@functools.cache
def _phonenumbers():
    import phonenumbers  # 0.1 s and metadata for every region: loaded by the first scan, not at start-up

    return phonenumbers


PHONE_REGIONS_TRUNK_ZERO = ("GB", "AU", "IE", "NZ", "ZA", "IN", "DE", "FR", "NG", "KE", "PH")
PHONE_REGIONS_NO_TRUNK = ("US", "IN")
PHONE_REGIONS = ("US", "GB", "AU", "IN", "CA", "DE", "FR", "IE", "NZ", "ZA", "NG", "KE", "PH")


PHONE_CANDIDATE = _compile(r"(?<![\w.])\+?\(?\d[\d\s().\-/]{5,}\d")


@dataclass(frozen=True)
class PhoneMatch:
    start: int
    end: int
    raw_string: str
    number: object
    region: str


def _phone_matches(phonenumbers, text: str) -> list[PhoneMatch]:
    """libphonenumber's matcher on each run of digits only (a whole post through thirteen regions' rules
    took a quarter of a second); the first region whose rules accept a run decides."""
    found = []
    for candidate in PHONE_CANDIDATE.finditer(text):
        snippet = candidate.group(0)
        if not 7 <= _digits(snippet) <= 17 or re.fullmatch(r"\d+\.\d+(?:\s*-\s*\d+\.\d+)?", snippet.strip()):
            continue
        if re.fullmatch(r"\d{3}\.\d{3}\.\d{3}-\d{2}", snippet.strip()):  # round 9: a Brazilian CPF's shape
            continue
        # International numbers carry their country; national ones start with 0 outside North America.
        if snippet.startswith("+"):
            regions = PHONE_REGIONS[:1]
        elif snippet.lstrip("(").startswith("0"):
            regions = PHONE_REGIONS_TRUNK_ZERO
        else:
            regions = PHONE_REGIONS_NO_TRUNK
        for region in regions:
            matches = list(phonenumbers.PhoneNumberMatcher(snippet, region, leniency=phonenumbers.Leniency.VALID))
            if matches:
                found.extend(
                    PhoneMatch(
                        start=candidate.start() + match.start,
                        end=candidate.start() + match.end,
                        raw_string=match.raw_string,
                        number=match.number,
                        region=region,
                    )
                    for match in matches
                )
                break
    return found


def _phones(doc: Document, found: Found) -> None:
    phonenumbers = _phonenumbers()
    text = doc.text
    seen: set[tuple[int, int]] = set()
    if not re.search(r"\d[\d\s().-]{5,}\d", text):
        return
    for match in _phone_matches(phonenumbers, text):
        span = (match.start, match.end)
        doc.phone_spans.append(span)
        if span in seen or any(s[0] <= span[0] < s[1] for s in seen):
            continue
        number = match.number
        kind_of_number = phonenumbers.number_type(number)
        if kind_of_number in (
            phonenumbers.PhoneNumberType.TOLL_FREE,
            phonenumbers.PhoneNumberType.SHARED_COST,
            phonenumbers.PhoneNumberType.PREMIUM_RATE,
        ):
            seen.add(span)
            continue
        digits = re.sub(r"\D", "", match.raw_string)
        if len(digits) < 7 or re.fullmatch(r"(?:19|20)\d\d[-/]\d\d[-/]\d\d", match.raw_string.strip()):
            continue
        if (
            SSN.fullmatch(match.raw_string.strip())
            or IPV4.search(match.raw_string)
            or (_nhs_number_valid(digits) and "NHS" in text[max(0, match.start - 30) : match.start])
        ):
            continue
        seen.add(span)
        before = text[max(0, match.start - 40) : match.start]
        sentence = doc.context(match.start, reach=0)
        sentence_before = text[sentence.sentence.start : match.start]
        # Only the number's own sentence says whose it is ("Reflective practice post. Lottie - 03...": not the
        # practice's number).
        own = (
            PHONE_CONTEXT_OWN.search(sentence_before[-40:] or before[-2:])
            and not PATIENT_CONTACT.search(sentence_before)
            # "your fax line (207) 555-0187" said to a third party (a patient's solicitor, insurer): not the author's.
            and not re.search(r"\b(?:your|his|her|their)\s+(?:[\w-]+\s+){0,2}\W*$", sentence_before[-30:], re.I)
        )
        if FAX.search(sentence_before[-70:]) or re.match(r"^\W{0,3}\s*\(?fax\b", text[match.end : match.end + 8], re.I):
            if own and not (sentence.patient or PATIENT_CONTACT.search(sentence.sentence.text)):
                continue
            _hit(found, "fax", span, text, "fax number")
            continue
        if own and not (sentence.patient and PATIENT_CONTACT.search(sentence.sentence.text)):
            continue
        _hit(
            found,
            "phone",
            span,
            text,
            f"phone number ({phonenumbers.region_code_for_number(number) or match.region})",
        )
    # A number someone faxed a patient's papers to is a fax number even when no numbering plan knows it.
    for candidate in PHONE_CANDIDATE.finditer(text):
        span = candidate.span()
        if not 9 <= _digits(candidate.group(0)) <= 15 or _overlaps(span, doc.phone_spans):
            continue
        sentence = doc.context(span[0], reach=0)
        sentence_before = text[sentence.sentence.start : span[0]]
        if not FAX.search(sentence_before[-70:]) or sentence.sentence.own:
            continue
        if PHONE_CONTEXT_OWN.search(sentence_before[-40:]) and not (
            sentence.patient or PATIENT_CONTACT.search(sentence.sentence.text)
        ):
            continue
        doc.phone_spans.append(span)
        _hit(found, "fax", span, text, "fax number")


EMAIL = _compile(
    r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"
    r"|\b[A-Za-z0-9._%+-]+\s*(?:\bat\b|\[at\]|\(at\))\s*[A-Za-z0-9-]+\s*(?:\bdot\b|\[dot\]|\(dot\))\s*"
    r"(?:com|org|net|co|uk|edu|gov|io|au|ca|ie|in)\b"
)
ROLE_MAILBOX = _compile(
    r"^(?:info|contact|hello|hi|admin|office|appointments?|appts?|booking|bookings|referrals?|press|media|"
    r"support|help|team|clinic|frontdesk|reception|enquiries|inquiries|careers|jobs|hr|news|newsletter|events|"
    r"research|study|trial|volunteer|volunteers|donate|giving|billing|records|privacy|compliance|noreply|no-reply)"
    r"(?:[._-]\w+)?$",
    re.IGNORECASE,
)


def _emails(doc: Document, found: Found) -> None:
    text = doc.text
    for match in EMAIL.finditer(text):
        local = match.group(0).split("@")[0]
        context = doc.context(match.start(), reach=0)
        before = text[max(0, match.start() - 40) : match.start()]
        if ROLE_MAILBOX.match(local) and not context.patient:
            continue
        if re.search(r"\b(?:email|e-mail|write to|contact|reach)\s+(?:us|me|our)\b", before, re.IGNORECASE) and (
            not PATIENT_CONTACT.search(before)
        ):
            continue
        _hit(found, "email", match, text, "email address")


HANDLE = _compile(r"(?<![\w/])(?:u/[\w-]{3,}|@[A-Za-z0-9_.]{3,}(?![\w.]*\.[a-z]{2,}))")
URL = _compile(
    r"\b(?:https?://|www\.)[^\s<>\"')]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|me|ly|co|io|uk|au|in|ca|nz|ie|tv|"
    r"page|link|app|shop|store|blog)/[^\s<>\"')]+",
    re.IGNORECASE,
)
PERSONAL_PAGE = _compile(
    r"gofundme|caringbridge|mealtrain|giveforward|fundly|spotfund|legacy\.com|obituar|funeral|memorial|"
    r"facebook\.com/(?!groups|events|pages)|instagram\.com/|tiktok\.com/@|x\.com/|twitter\.com/|linkedin\.com/in/|"
    r"mychart|patient|portal|chart|record|/mrn|drive\.google|dropbox|imgur|photos\.|youtube\.com/watch|youtu\.be|"
    r"justgiving|crowdfund|fundrazr|gofund|givealittle|ketto|milaap|etsy|/shop/|/@|youtube\.com/(?:c|channel|user)/|"
    r"reddit\.com/u(?:ser)?/|patreon|ko-fi|linktr\.ee|substack|blogspot|wordpress|medium\.com/@|threads\.net/@",
    re.IGNORECASE,
)


# "his strava is ...", "her insta: ...", "venmo @..." in a post about someone: the page or handle is theirs.
SOMEONES_PAGE = _compile(
    r"(?:\b(?:his|her|their)\s+(?:[\w-]+\s+){0,2}?(?:strava|insta|instagram|ig|tiktok|youtube|page|profile|account|"
    r"handle|channel|blog|site|website|venmo|cash ?app|paypal|link|fundraiser|gofundme|twitter|x|facebook|fb)"
    r"(?:\s+(?:is|page|handle|account|link))?\s*(?:is|:|-|at|here)?"
    r"|\b(?:venmo|cash ?app|paypal(?:\.me)?|zelle|gofundme|givealittle|justgiving)\s*(?:is|:|-|me|at|to)?)\s*$",
    re.IGNORECASE,
)


def _introduced_as_someones(doc: Document, position: int) -> bool:
    before = doc.text[max(0, position - 50) : position]
    if not SOMEONES_PAGE.search(before):
        return False
    sentence = doc.context(position, reach=0).sentence
    if sentence.own or re.search(r"\b(?:my|our)\s+(?:[\w-]+\s+){0,2}?$", before[-30:], re.I):
        return False
    return doc.about_patient or bool(THIRD_PERSON.search(doc.text))


# "is on TikTok as @x", "posts on Instagram under @x", "goes by @x": the handle of the person the sentence is about.
ON_PLATFORM_AS = _compile(
    r"\b(?:(?:is|are|was|were|posts?|posting|vlogs?|streams?|blogs?)\s+on\s+(?:TikTok|Instagram|insta|IG|YouTube|X|"
    r"Twitter|Threads|Bluesky|Facebook|FB|Reddit|Snapchat|Snap|Twitch|LinkedIn)\s+(?:as|under|at)|goes\s+by|"
    r"(?:TikTok|Instagram|insta|IG|YouTube|Twitter|Threads|Bluesky|Snapchat|Twitch)\s+(?:handle|account|name)\s+(?:is\s+)?)"
    r"\s*:?\s*$",
    re.IGNORECASE,
)
PERSON_IN_SENTENCE = _compile(
    r"\b(?:patients?|pts?|clients?|residents?|he|she|his|her|mum|mom|dad|son|daughter|wife|husband|family|"
    r"girl|boy|kid|teen|lady|man|woman|guy)\b",
    re.IGNORECASE,
)


def _urls(doc: Document, found: Found) -> None:
    text = doc.text
    for match in HANDLE.finditer(text):
        sentence = doc.context(match.start(), reach=0).sentence
        if (
            ON_PLATFORM_AS.search(text[max(0, match.start() - 40) : match.start()])
            and PERSON_IN_SENTENCE.search(sentence.text)
            and not re.search(r"\b(?:I|I'm|I am|we|we're)\s+(?:am\s+|are\s+)?on\b", sentence.text)
        ):
            _hit(found, "url", match, text, "the handle a patient goes by on a platform")
    for match in HANDLE.finditer(text):
        context = doc.context(match.start(), reach=0)
        before = text[max(0, match.start() - 25) : match.start()]
        credited = re.search(
            r"\b(?:by|with|from|thanks?|thank you|congrats|follow|via|h/t|cc|Dr\.?|Prof\.?)\s*$", before, re.I
        )
        if re.search(r"\b(?:tag|tagging|tagged)\b", before, re.I) and doc.context(match.start()).care and not credited:
            _hit(found, "url", match, text, "a patient's account or handle")
            continue
        if context.sentence.patient and re.search(
            r"\b(?:posts?|channel|account|page|profile|handle|follow|"
            r"username|blog|vlog|tiktok|instagram|youtube|reddit)\b",
            context.sentence.text,
            re.I,
        ):
            _hit(found, "url", match, text, "a patient's account or handle")
    for match in HANDLE.finditer(text):
        if _introduced_as_someones(doc, match.start()):
            _hit(found, "url", match, text, "a patient's account, page or payment handle")
    for match in URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?")
        if _introduced_as_someones(doc, match.start()):
            _hit(found, "url", (match.start(), match.start() + len(url)), text, "web page about a person")
            continue
        context = doc.context(match.start())
        if PERSONAL_PAGE.search(url) and (
            context.patient
            or (context.care and not LOGISTICS.search(context.sentence.text))
            or re.search(
                r"gofundme|caringbridge|obituar|legacy\.com|"
                r"mealtrain|mychart",
                url,
                re.I,
            )
        ):
            _hit(found, "url", (match.start(), match.start() + len(url)), text, "web page about a person")


IPV4 = _compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?!\d|\.\d)")
IPV6 = _compile(r"\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,6}:[0-9a-f]{0,4}\b", re.I)


def _ip_addresses(doc: Document, found: Found) -> None:
    text = doc.text
    for match in IPV4.finditer(text):
        context = doc.context(match.start())
        if not (
            context.patient
            or re.search(
                r"\b(?:log(?:ged|in|ins)|portal|record|chart|accessed|access|audit|"
                r"breach|threat\w*|messages?)\b",
                context.sentence.text,
                re.I,
            )
        ):
            continue
        if re.search(r"\bv(?:ersion)?\s*$", text[max(0, match.start() - 8) : match.start()], re.IGNORECASE):
            continue
        _hit(found, "ip_address", match, text, "IP address")
    for match in IPV6.finditer(text):
        if match.group(0).count(":") >= 3:
            _hit(found, "ip_address", match, text, "IP address")


UNIT_CODE = _compile(r"\b(?:from|in|on|to)\s+(?P<code>\d{1,2}[A-D]|[A-D]\d{1,2})\b")
PERSON_IN_NUMBER = _compile(
    r"\b(?:lady|man|guy|woman|gentleman|gent|pt|patient|kid|baby|mom|mum|dad|girl|boy|family|couple|grandma|"
    r"grandpa|twins?|toddler|teen|fella|dude|bloke|lad|lass)\s+in\s+(?P<code>\d{1,3}[A-Z]?|[A-Z]\d{1,2})\b"
)
# A first name and a room or bed number: "to Frank in 718", "Dot in bed 4" (not a year, a count or a time).
NAME_IN_ROOM = _compile(
    r"(?<![.!?]\s)(?<!^)\b(?P<name>[A-Z][a-z]{2,})\s+in\s+(?:(?i:room|rm|bed|bay)\s*)?#?(?P<code>\d{1,4}[A-Z]?)\b"
    r"(?!\s*(?:%|[.,]\d|(?i:days?|weeks?|months?|years?|hours?|minutes?|mins?|am|pm|patients|people|cases|ml|mg|kg)\b))"
)
ROOM = _compile(
    r"\b(?:(?i:room|rm|bed|bay|cubicle|cube|pod|stall|suite|trauma|resus|resusc|isolation|iso|crib|incubator|"
    r"cot|bassinet|bedspace|bed space|trolley|recliner|"
    # Round 9: the same words in other languages (Malay, German, Portuguese, Spanish, French, Italian, Dutch).
    r"katil|wad|bilik|zimmer|bett|box|sala|leito|quarto|cama|habitaci\u00f3n|cuarto|chambre|stanza|letto|kamer|"
    r"isolette|exam room|theatre|theater|unit|ward|wing|floor|level|stretcher|chair|hallway bed|hall bed|"
    r"(?<!sickle )(?<!stem )(?<!blood )cell|seclusion(?: room)?|holding cell|obs room|safe room)|OR)"
    r"\s*#?\s*(?P<code>\d{1,4}[A-Z]?|[A-Z]\d{1,3}|(?!I\b)[A-Z](?=\b)|\d{1,2}-?[A-Z]|[A-Z]-\d{1,3})\b"
    r"|\b(?P<floor>[A-Z]-?(?i:pod|wing|block|unit)\b|\d{1,2}\s?(?:West|East|North|South|W|E|N|S)|"
    r"[1-9](?:st|nd|rd|th) floor|(?:ward|unit|wing)\s+"
    r"(?:[A-Z][a-z]+|[A-Z]{1,3}\d?))\b",
)
MEETING_ROOM = _compile(
    r"\b(?:conference|lecture|meeting|board|hall|auditorium|session|webinar|class(?:room)?|booth)\b", re.I
)


def _rooms(doc: Document, found: Found) -> None:
    text = doc.text
    for match in UNIT_CODE.finditer(text):
        context = doc.context(match.start())
        if context.patient and not LOGISTICS.search(context.sentence.text):
            _hit(found, "room_bed_unit", match, text, "the unit or room a patient was in", group="code")
    for match in PERSON_IN_NUMBER.finditer(text):
        _hit(found, "room_bed_unit", match, text, "a patient by the number of their room or bed", group="code")
    for match in NAME_IN_ROOM.finditer(text):
        name, code = match.group("name"), match.group("code")
        if not _is_first_name(name) or re.fullmatch(r"(?:19|20)\d\d", code):
            continue
        if doc.context(match.start(), reach=0).sentence.own and not THIRD_PERSON.search(match.group(0)):
            continue
        _hit(found, "room_bed_unit", match, text, "a person by first name and the number of their room", group="code")
    for match in ROOM.finditer(text):
        word = match.group(0).split()[0].lower()
        context = doc.context(match.start())
        sentence = context.sentence.text
        if (MEETING_ROOM.search(sentence) or LOGISTICS.search(sentence) or OWN_PLACE.search(sentence)) and not (
            context.sentence.patient
        ):
            continue
        if word in ("unit", "ward", "wing", "floor", "level", "or", "theatre", "theater", "chair") or match.group(
            "floor"
        ):
            if not context.patient:
                continue
        elif context.own and not (context.patient or context.care):
            continue
        _hit(found, "room_bed_unit", match, text, "room, bed, unit or ward where a patient was")


MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?"
DATE = _compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+\d{{4}})?|"
    rf"the\s+\d{{1,2}}(?:st|nd|rd|th)|"
    rf"(?:on|last|this|since|until|by)\s+{WEEKDAY}(?:\s+(?:night|morning|afternoon|evening))?|"
    rf"{WEEKDAY}\s+(?:night|morning|afternoon|evening)|"
    rf"{WEEKDAY}\s+(?:(?:just\s+)?(?:after|before|around|about)\s+)?(?:midnight|noon|dawn|lunchtime)|"
    rf"{WEEKDAY}\s+(?:at\s+)?(?:\d{{1,2}}(?::\d{{2}})?\s*[ap]\.?m\.?|[0-2]\d[0-5]\d)|"
    rf"(?<=born )\d{{1,2}}/\d{{1,2}}(?!/)|{WEEKDAY}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|"
    rf"(?:at\s+)?\d{{1,2}}:\d{{2}}\s*(?:[ap]\.?m\.?)?|(?:at\s+)\d{{1,2}}\s*[ap]\.?m\.?|\b\d{{1,2}}\s*[ap]\.?m\.?|"
    rf"(?:at\s+)?[0-2]\d[0-5]\d\s*(?:hrs|hours|h)|(?<=death )[0-2]\d[0-5]\d|"
    rf"(?<=at )[0-2]\d[0-5]\d(?!\s*(?:pts|patients)|\s+[A-Z])|"
    rf"on\s+\d{{1,2}}/\d{{1,2}}(?!/)|"
    rf"(?:on\s+)?(?:her|his|their)\s+(?:\d{{1,3}}(?:st|nd|rd|th)\s+|first\s+|last\s+)?birthday|"
    rf"(?:Christmas|Thanksgiving|Easter|Halloween|New Year'?s|Valentine'?s|Mother'?s Day|Father'?s Day|"
    rf"Diwali|Eid|Hanukkah|July 4th|Fourth of July)(?:\s+(?:Eve|Day|morning|night))?)\b",
    re.IGNORECASE,
)
# One person's event rather than a service's hours: "admitted Tuesday 3am", "time of death 0417".
INDIVIDUAL_EVENT = _compile(
    r"\b(?:admitted|discharged|delivered|born|died|time of death|TOD|pronounced|intubated|coded|arrived|"
    r"brought in|came in|rolled in|transferred|airlifted|ODs?|overdos\w+|collapsed|crash|fell|found|"
    r"diagnosed|surgery|operated|started|finished|got (?:her|his)|cycle|twin|baby|labou?r|c-section|"
    r"transplant|new heart|new kidney|new liver|arrival|arrived|door to|time of|his|her|their|code blue|"
    r"rang the bell|first catch|caught|dosed|infused|randomi[sz]ed|enrolled|implanted|extubated|vaccinated|"
    r"bday|birthday|turned|turns|"
    r"last (?:dialysis|dose|chemo|round|scan|session|treatment))\b",
    re.IGNORECASE,
)
BIRTH_LABEL = _compile(
    r"\b(?:DOB|D\.O\.B\.?|date of birth|born(?: on| at)?|birthdate|birthday|b\.|due date|EDD)"
    r"\s*(?:is\s+|was\s+|:\s*|-\s*)?$",
    re.I,
)
OLD_AGE = _compile(
    r"\b(?:9\d|1[01]\d)[- ]?(?:years?|yrs?)[- ]?old\b|\b(?:9\d|1[01]\d)\s?(?:yo\b|y/o\b|y\.o\.)"
    r"|\baged?\s+(?:9\d|1[01]\d)\b"
    r"|\b(?:he|she)(?:'s|\u2019s| is)\s+(?:now\s+)?(?:9\d|1[01]\d)\b(?!\s*(?:%|kg|lb|pounds|percent|mg))"
    r"|\bturn(?:ed|s|ing)\s+(?:9\d|1[01]\d)\b"
    r"|\b(?:9\d|1[01]\d)\s+(?:today|tomorrow|yesterday|this (?:week|month)|on (?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday))\b",
    re.I,
)
PUBLIC_DATE = _compile(
    r"\b(?:published|study|trial|paper|journal|report|guideline|approved|(?-i:FDA|CDC|WHO|NIH)|conference|webinar|"
    r"summit|meeting|deadline|register|registration|join us|live|event|session|talk|lecture|awareness|month|"
    r"week|day of|world|national|international|anniversary|vote|election|bill|law|policy|hearing|launch|"
    r"screening event|drive|clinic day|open house|free|walk-in|holiday hours|closed|open)\b",
    re.I,
)


def _dates(doc: Document, found: Found) -> None:
    text = doc.text
    for match in DATE.finditer(text):
        before = text[max(0, match.start() - 24) : match.start()]
        if BIRTH_LABEL.search(before):
            _hit(
                found,
                "date",
                (match.start() - len(before) + BIRTH_LABEL.search(before).start(), match.end()),
                text,
                "date of birth",
            )
            continue
        context = doc.context(match.start(), reach=0)
        wide = doc.context(match.start())
        sentence = context.sentence
        if sentence.own or (LOGISTICS.search(sentence.text) and not sentence.patient):
            continue
        if PUBLIC_DATE.search(sentence.text) and not sentence.patient:
            continue
        if POPULATION.search(sentence.text) and not sentence.patient:
            continue
        if not (sentence.patient or (sentence.care and (wide.patient or INDIVIDUAL_EVENT.search(sentence.text)))):
            continue
        _hit(found, "date", match, text, "date or time of a patient's care")
    birthday = re.search(r"\b(?:b-?day|birthday|centenarian)\b", text, re.I)
    for match in OLD_AGE.finditer(text):
        # An age over 89 on a birthday in the post ("101 today ... happy bday Walt"), not the author's own family's.
        sentence = doc.context(match.start(), reach=0).sentence.text
        if doc.context(match.start()).patient or (birthday and not OWN_FAMILY.search(sentence)):
            _hit(found, "date", match, text, "age over 89 (an identifier under HIPAA)")


# --- places, people and the quasi-identifier combinations ------------------------------------------------

PLACE_TYPES = (
    r"High School|High|Elementary(?: School)?|Middle School|Primary School|Secondary School|Academy|School|"
    r"University|College|Fire Station|Station|Firehouse|Engine|Ladder|Plant|Factory|Mill|Mine|Warehouse|"
    r"Church|Mosque|Synagogue|Temple|Parish|Nursing Home|Care Home|Assisted Living|Prison|Jail|Correctional|"
    r"Base|Camp|County|Township|Village|Town|City|Heights|Park|Farm|Ranch|Mall|Market|Store|Diner|Cafe|"
    r"Restaurant|Hotel|Motel|Shelter|Apartments|Estates|Manor|Court|Street|St|Road|Rd|Avenue|Ave|Lane|Ln|"
    r"Drive|Boulevard|Blvd|Way|Place|Terrace|Highway|Hwy|Route|Bridge|Beach|Lake|River|Valley|Creek|Hills?|"
    r"Springs|Falls|Ridge|Point|Harbor|Harbour|Bay|Island|Airport|Stadium|Arena|Gym|YMCA|Club|Hall|Library|"
    r"Zoo|Pool|Department|Dept|PD|FD|Precinct|Police Department|Fire Department|Company|Co|Inc|Corp|Plaza"
)
ADDRESS = _compile(
    r"\b\d{1,5}\s+(?:[A-Z][a-z]+\.?\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|"
    r"Court|Ct|Way|Place|Pl|Terrace|Circle|Cir|Highway|Hwy|Close|Crescent|Gardens|Grove|Row|Square|Sq)\b\.?"
    r"|\b\d{1,5}\s+(?:[a-z]+\s+){1,2}(?:street|avenue|road|boulevard|lane|drive|court|way|place|terrace|highway|"
    r"close|crescent|grove|square)\b"
)
STREET_NAME = _compile(
    r"\b(?:on|at|off|near|outside|along)\s+(?:the\s+)?(?P<street>(?:[A-Z][a-z]+\s){1,3}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Boulevard|Blvd|Way|Close|Crescent|Court|Place|Highway|Hwy)\b\.?)"
)
ZIP = _compile(
    r"\b(?:zip(?: code)?|postcode|postal code|post code)\s*:?\s*"
    r"(?P<z>\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})\b"
    r"|\b(?:[A-Z]{2})\s+(?P<z2>\d{5}(?:-\d{4})?)\b"
    r"|\b(?P<z3>[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2})\b",
    re.IGNORECASE,
)
CAPITALISED = r"[A-Z][a-zA-Z'\u2019-]+(?:[ \t]+(?:[A-Z][a-zA-Z'\u2019-]+|of|on|upon|de|la|du))*"
PLACE_PHRASE = _compile(
    rf"\b(?:in|from|at|near|outside|of|around|to)\s+(?:the\s+)?(?P<place>{CAPITALISED})"
    rf"|(?P<typed>(?:{CAPITALISED})\s+(?:{PLACE_TYPES}))\b"
    rf"|\b(?P<local>(?:the|our|my|her|his|their|a)\s+(?:local|town'?s|only|small|tiny|rural|little)\s+"
    rf"(?:[\w-]+\s+)?(?:school|elementary|high school|middle school|daycare|church|mosque|plant|mill|factory|"
    rf"fire station|firehouse|station|store|diner|farm|bakery|gym|pool|library|bar|pub|restaurant|mine|prison|"
    rf"town|village|reservation|base|camp)"
    rf"|(?:the|our|my|her|his|their|a)\s+(?:local\s+)?(?:rugby|football|soccer|golf|tennis|cricket|boxing|sailing|"
    rf"yacht|bowls|social|sports|country|working men's|youth|surf|running|cycling)\s+club)\b"
    rf"|\b(?P<resident>{CAPITALISED})\s+(?:resident|native|local|man|woman|boy|girl|teen|family|mom|dad|"
    rf"couple|student|teacher|firefighter|nurse)\b",
)
NOT_PLACES = _word_set(
    """
    I A An The This That My Our Your Their His Her We You They He She It Dr Doctor Mr Mrs Ms Miss Nurse
    United States Kingdom Republic Nations Emirates Arab Saudi Hong Kong Sri Lanka South Africa New Zealand
    Patient Patients ER ED ICU NICU PICU OR CDC WHO FDA NIH NHS AMA AAP ACOG CMS HHS AHA ACS USPSTF JAMA
    NEJM BMJ Lancet Nature Science Twitter X Instagram TikTok LinkedIn Facebook YouTube Google Monday
    Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Christmas Thanksgiving Easter Covid COVID Medicaid Medicare
    Emergency Hospital Clinic Health Medical General Memorial University Children's Urgent Care Family
    Medicine Internal Pediatrics Oncology Cardiology Neurology Surgery Labor Delivery Trauma Primary
    Mental God Jesus Lord English Spanish American Americans Black White Latino Hispanic Asian Native
    Indigenous Pride PRIDE Awareness Month Day Week World National International Grand Rounds Team Staff
    Residents Fellows Code Blue Stroke Heart Cancer Diabetes Alzheimer's Autism Down Syndrome HIV AIDS
    Epic Cerner MyChart Zoom Teams Ask Talk Call Text Read Join Learn Please Thank Thanks Happy Today
    Tonight Yesterday Tomorrow Last Next Every One Two Three Four Five Six Seven Eight Nine Ten Just
    Still So And But Or If When While After Before Since During As At In On Of For From With Without
    About Spring Summer Fall Autumn Winter Ramadan Hanukkah Diwali Eid New Year NICU's ER's
    """
)


# A Singapore/Malaysia block address ("Blk 214 Bedok North St 1 #08-112") or a numbered street address in a
# sentence about where someone lives: a home address of a person in the story.
BLOCK_ADDRESS = _compile(
    r"\b(?:Blk|Block)\s+\d{1,4}[A-Z]?\s+(?:[A-Z][a-z]+\s+){1,4}(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ring|Cres|"
    r"Crescent|Jalan|Lorong|Way|Close)?\s*\d{0,3}\s*(?:#\d{1,3}-\d{1,4})?"
    r"|\b[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,3}\s+(?:St|Street|Ave|Rd|Road|Dr|Jalan)?\s*\d{0,3}\s*#\d{2}-\d{2,4}\b"
)
RESIDENCE = _compile(
    r"\b(?:lives?|living|lived|stays?|staying|moved|home visit|house|home|flat|apartment|unit|caravan|"
    r"family|aunty|auntie|uncle|grandma|grandpa|mum|mom|dad|he|she|his|her|their|they|patient|pt|client|resident)\b",
    re.IGNORECASE,
)


def _home_addresses(doc: Document, found: Found) -> None:
    text = doc.text
    candidates = [(m.start(), m.end()) for m in BLOCK_ADDRESS.finditer(text)]
    candidates += [(m.start(), m.end()) for m in ADDRESS.finditer(text)]
    for start, end in candidates:
        context = doc.context(start, reach=0)
        sentence = context.sentence
        if sentence.own or OWN_PLACE.search(sentence.text) or LOGISTICS.search(sentence.text):
            continue
        if MEETING_ROOM.search(sentence.text) or not RESIDENCE.search(sentence.text):
            continue
        if re.search(r"\b(?:my|our)\s+(?:[\w-]+\s+){0,2}$", text[max(0, start - 30) : start], re.I):
            continue
        _hit(found, "geographic", (start, end), text, "a home address of a person in the post")


def _place_spans(doc: Document) -> list[tuple[int, int, str]]:
    text = doc.text
    places = []
    for match in ADDRESS.finditer(text):
        places.append((match.start(), match.end(), "street address"))
    for match in STREET_NAME.finditer(text):
        places.append((*match.span("street"), "street"))
    for match in ZIP.finditer(text):
        group = "z" if match.group("z") else "z2" if match.group("z2") else "z3"
        if group == "z3" and not re.search(r"\d", match.group(group)):
            continue
        places.append((*match.span(group), "ZIP or postcode"))
    for match in PLACE_PHRASE.finditer(text):
        for group in ("place", "typed", "local", "resident"):
            value = match.group(group)
            if not value:
                continue
            first_word = value.split()[0].strip(".,'\u2019")
            if (
                group in ("place", "resident", "typed")
                and first_word in NOT_PLACES
                and (group != "typed" or len(value.split()) < 2)
            ):
                continue
            if group == "place" and (_is_first_name(first_word) and len(value.split()) == 1):
                continue
            if group == "place" and re.fullmatch(r"[A-Z]{2,6}", value):
                continue
            places.append((*match.span(group), "place"))
    return places


# The clinician's own workplace: "our clinic at 221 Main Street", "visit us at".
OWN_PLACE = _compile(
    r"\b(?:our|my)\s+(?:[\w-]+\s+){0,2}(?:clinic|office|practice|hospital|center|centre|surgery|pharmacy|location|team|"
    r"department|unit|lab)\b|\b(?:visit|see|find|join|meet)\s+us\b|\blocated\b|\baddress\b|\bopen(?:ing|s)?\b",
    re.IGNORECASE,
)
OCCUPATION_WORDS = (
    r"sergeant|constable|detective|inspector|captain|lieutenant|corporal|paratrooper|teacher|firefighter|"
    r"fire fighter|fireman|nurse|pilot|farmer|police officer|cop|officer|soldier|"
    r"marine|sailor|airman|trucker|truck driver|bus driver|driver|chef|cook|waitress|waiter|barista|pastor|priest|"
    r"rabbi|imam|minister|coach|lawyer|attorney|judge|mechanic|electrician|plumber|carpenter|construction worker|"
    r"roofer|miner|coal miner|fisherman|logger|welder|rancher|librarian|cashier|dentist|engineer|professor|"
    r"athlete|quarterback|linebacker|pitcher|player|dancer|ballerina|singer|musician|drummer|principal|janitor|"
    r"custodian|postal worker|mail carrier|mailman|banker|accountant|realtor|paramedic|EMT|lifeguard|nanny|"
    r"secretary|CEO|owner|manager|clerk|surgeon|doctor|physician|pharmacist|veterinarian|vet tech|teller|"
    r"stylist|hairdresser|barber|tattoo artist|model|actor|actress|bartender|server|sheriff|deputy|trooper|"
    r"ranger|crossing guard|bus monitor|daycare worker|social worker|housekeeper|cleaner|caretaker|midwife|"
    r"doula|student|grad student|med student|cheerleader|gymnast|swimmer|runner|cyclist|boxer|wrestler|"
    r"jockey|surfer|skater|climber|hunter|volunteer|deacon|nun|monk|councillor|councilman|mayor|influencer|"
    r"streamer|youtuber|podcaster|reporter|journalist|anchor|photographer|artist|painter|sculptor|writer|author|"
    r"poet|comedian|magician|clown|DJ|producer|director|scientist|researcher|programmer|developer|"
    r"contractor|landscaper|gardener|baker|butcher|grocer|shopkeeper|vendor|salesman|saleswoman|"
    r"factory worker|warehouse worker|dock worker|longshoreman|lineman|oil rig worker|roughneck|"
    r"veteran|retired \w+|ex-\w+|former \w+"
)
OCCUPATION = _compile(rf"\b(?:{OCCUPATION_WORDS})s?\b", re.IGNORECASE)
# News about a case somewhere else, not the clinician's own patient.
NEWS = _compile(
    r"\b(?:reported|reports|according to|officials|health department|confirmed by|(?-i:CDC|WHO)|ministry|announced|"
    r"news|headlines|press release)\b",
    re.IGNORECASE,
)
FIRST_PERSON_CARE = _compile(r"\b(?:I|we|my|our|us)\b", re.IGNORECASE)
# One person by their job: "a deaf poet from Cork", "the Year 9 student", "our local butcher".
SINGLE_OCCUPATION = _compile(
    rf"\b(?:a|an|the|our|my|this|that|your|ur)\s+(?:[\w'-]+\s+){{0,2}}?(?P<job>{OCCUPATION_WORDS})\b(?!s)"
    r"(?P<workplace>\s+(?:from|at|on) (?:our|my) (?:own )?(?:hospital|ward|unit|team|practice|clinic|department))?",
    re.IGNORECASE,
)
AGE = _compile(
    r"\b(?P<n>\d{1,3})[- ]?(?:years?|yrs?|months?|mos?|weeks?|wks?|days?)[- ]?old\b"
    r"|\b(?P<m>\d{1,3})\s?(?:yo\b|y/o\b|y\.o\.)"
    r"|\bin (?:his|her|their) (?:early |mid[- ]|late )?(?P<d>[1-9]0)s\b"
    r"|(?<=\w )\bat (?:age )?(?P<at>[1-9]\d)\b(?!\s*(?:%|am|pm|a\.m|p\.m|mg|weeks|wks|kg|years|minutes|mins|hours|hrs|"
    r"mmHg|bpm|degrees|o'clock|:|\.\d|-|\u2013|percent|per|and|or|\+))"
    r"|\baged?\s+(?P<k>\d{1,3})\b(?!\s*(?:-|to|and|or|\+|through|\u2013))|\b(?P<j>\d{1,3})\s?(?:M|F)\b(?![\w-])"
    r"|(?<=[A-Za-z]),\s(?P<c>\d{1,2}),\s|\((?P<p>\d{1,2})\)|\b(?:turned|turns|turning)\s+(?P<t>\d{1,3})\b"
    r"|\b(?P<w>(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|"
    r"three|four|five|six|seven|eight|nine))?)[- ]year[- ]old\b",
    re.IGNORECASE,
)
AGE_RANGE_BEFORE = _compile(
    r"(?:starting|start|begin\w*|from age|screening|screen|offered|eligible)\s+(?:at\s+)?$|"
    r"(?:over|under|above|below|older than|younger than|aged|ages|between|from|-|\u2013|to)\s*$",
    re.I,
)
AGE_RANGE_AFTER = _compile(
    r"^\s*(?:and (?:older|up|over|younger|under)|\+|or (?:older|younger)|to \d|-\s?\d|\u2013)", re.I
)


def _ages(doc: Document) -> list[tuple[int, int]]:
    text = doc.text
    spans = []
    for match in AGE.finditer(text):
        before = text[max(0, match.start() - 16) : match.start()]
        after = text[match.end() : match.end() + 14]
        if (AGE_RANGE_BEFORE.search(before) and not match.group("k")) or AGE_RANGE_AFTER.match(after):
            continue
        if re.search(
            r"\b(?:adults|children|kids|people|patients|women|men|those|anyone|everyone|ages)\b\s*$", before, re.I
        ):
            continue
        spans.append(match.span())
    return spans


RARE = _compile(
    r"\b(?:rare|ultra-rare|one in a (?:million|billion)|1 in \d[\d,]{3,}|first (?:known |documented |reported |"
    r"confirmed )?case|only (?:known |documented |reported )?case|only the \w+ case|only \w+ (?:known )?cases|"
    r"\w+ known cases|handful of cases|progeria|fibrodysplasia|FOP|harlequin|creutzfeldt|CJD|"
    r"naegleria|brain-eating|rabies|leprosy|hansen'?s|plague|anthrax|botulism|tetanus|diphtheria|polio|ebola|"
    r"marburg|guillain|ALS|lou gehrig|huntington'?s|conjoined|quintuplets|sextuplets|septuplets|octuplets|"
    r"stevens-johnson|necroti[sz]ing fasciitis|flesh-eating|kuru|batten|tay-sachs|gaucher|fabry|pompe|"
    r"niemann|krabbe|moebius|m\u00f6bius|proteus|epidermolysis bullosa|butterfly skin|xeroderma|porphyria|"
    r"alkaptonuria|acromegaly|gigantism|progeria|trichotillomania|elephantiasis|vaccinia|smallpox|"
    r"measles death|dengue|chikungunya|zika|west nile|hantavirus|legionnaires|cholera|typhoid|"
    r"tular(?:a)?emia|melioidosis|(?:scrub |murine |epidemic )?typhus|leptospirosis|brucellosis|Q fever|psittacosis|"
    r"histoplasmosis|blastomycosis|coccidioidomycosis|valley fever|mucormycosis|Murray Valley|Japanese encephalitis|"
    r"Hendra|Nipah|Lassa|rickettsi\w+|spotted fever|babesiosis|anaplasmosis|hydatid|echinococc\w+|trichinosis|"
    r"leishmaniasis|Chagas|schistosomiasis|cysticercosis|Buruli|lyssavirus|glanders|"
    r"(?:first|second|third|only)(?: ever)? (?:[\w-]+ )?case (?:of my (?:career|life)|I've ever seen|in \d+ years)|"
    r"rare (?:disease|disorder|cancer|condition|syndrome|tumou?r|genetic))\b",
    re.IGNORECASE,
)
PUBLIC_FIGURE = _compile(
    r"\b(?:mayor|senator|governor|congress(?:man|woman|person)|representative|rep\.|councilman|councilwoman|"
    r"council member|councillor|alderman|alderwoman|commissioner|sheriff|police chief|fire chief|"
    r"superintendent|principal|pastor|bishop|reverend|priest|rabbi|imam|anchor|news anchor|anchorwoman|"
    r"anchorman|weatherman|weather ?woman|meteorologist|reporter|talk show host|radio host|host|celebrity|"
    r"famous|well-known|influencer|star|quarterback|coach|pitcher|point guard|striker|goalkeeper|athlete|"
    r"olympian|singer|rapper|actor|actress|musician|band|president|vice president|CEO|judge|justice|MP|MLA|"
    r"minister|premier|prime minister|chancellor|prince|princess|king|queen|royal|duke|duchess|TV \w+|"
    r"Premier League|NFL|NBA|MLB|NHL|AFL|NRL|IPL|Olympic \w+|Paralympian|sprinter|footballer|cricketer|"
    r"finalist|medallist|medalist|linebacker|receiver|midfielder|defender|winger|shortstop|goalie|rookie|bowler|batsman|jockey|boxer|"
    r"UFC \w+|wrestler|starting \w+|(?:council|board|county council|city council|shire) (?:chair|leader|president)|"
    r"youtuber|streamer|podcaster|comedian|celebrity chef|reality (?:TV )?star|supermodel|popstar|pop star|"
    r"evening news|morning show|breakfast (?:radio|TV|show) \w+|presenter|newsreader|broadcaster|"
    r"TV personality|Channel \d+ \w+|captain|champion|all-star|pro (?:athlete|footballer|golfer|boxer|surfer)|"
    r"former \w+ (?:player|star|captain|champion)|ex-\w+ (?:player|star|captain|champion|coach)|"
    r"(?:local|TV|radio|city|state|county|school board) "
    r"(?:official|celebrity|anchor|personality|legend|icon|figure|hero|"
    r"star|councilman|councilwoman|commissioner|judge|leader)|"
    # Fame said without a role: "one of dancehall's biggest names", "a household name", "best-known".
    r"(?:biggest|best-known|best known|most famous|most recogni[sz]ed|big|famous|household|well-known) "
    r"(?:names?|stars?|faces?|voices?)|household name|superstars?|legends?|icons?|"
    # A national side's player, by the side's name: "a Springbok prop", "an All Black", "a Socceroo".
    r"(?:Springbok|All Black|Wallaby|Wallabies|Socceroo|Matilda|Black Fern|Black Cap|Lioness|Proteas?|Kangaroo|"
    r"Kiwi|Silver Fern|Diamond|national team|international|capped|Test|Six Nations|World Cup|Olympic|"
    r"first-team|premiership|Super Rugby|county) "
    r"(?:prop|hooker|lock|flanker|fly-half|scrum-half|centre|wing|fullback|full-back|player|batter|bowler|"
    r"keeper|netballer|forward|captain|star|winger|striker|athlete|rower|swimmer|cyclist|skipper|squad member)|"
    r"(?:Springbok|All Black|Socceroo|Wallaby|Black Fern|Lioness)|"
    # A club's player by the club's name: "the Rovers' first-choice keeper", "a Lakers point guard".
    r"(?-i:[A-Z][a-z]+)s?'?\s+(?:first-choice |starting |back-up |reserve )?(?:keeper|goalkeeper|goalie|striker|"
    r"captain|prop|winger|fly-half|quarterback|point guard|pitcher|centre-back|midfielder))(?:s|es)?(?:'s)?\b",
    re.IGNORECASE,
)
# The clinician's own care of the person: a public figure only identifies a patient when the post ties them to it.
CARE_TIE = _compile(
    r"\b(?:cared for|caring for|treated|treating|nursed|looked after|patient|came in|came into|brought in|"
    r"came through|went through|resus|comes? in|coming in|(?:was|is|were) in (?:for|with|clinic|today|tonight)|"
    r"in (?:today|tonight|this morning|this afternoon|clinic) (?:with|for)|scoped|strapped|splinted|stitched|"
    r"rolled in|admitted|with us|under our care|in our care|(?:in|on|to|at|into) our|"
    r"our (?:[\w-]+ )?(?:ED|ER|A&E|unit|ward|ICU|team|clinic|detox|rehab|"
    r"hospital|OR|theatre|department|floor|practice|service|bay)|we (?:saw|had|treated|repaired|admitted|operated|"
    r"delivered|scoped|stitched)|I (?:saw|treated|had|nursed|admitted|operated|scoped|stitched)|"
    r"(?:his|her|their)\s+(?:cardiologist|surgeon|doctor|nurse|GP|oncologist|physician|therapist)|\w+ologist|"
    # The clinician's own list or room: "sat in my rheum clinic chair", "on my lupus clinic list".
    r"(?:in|on|to|at|into|onto|through) my (?:[\w-]+ ){0,2}(?:clinic|list|caseload|chair|room|ward|unit|rehab|"
    r"theatre|OR|ED|ICU|bay|service|practice|surgery|consulting room|office)|"
    r"(?:my|our) (?:[\w-]+ ){0,2}(?:patient|patients|caseload)|"
    # Round 9: "in today", "we've had ... on the ward", "having chemo in the day unit", "on my table", and the
    # same ties in Malay, Hindi and Portuguese ("dalam wad kami", "hamare clinic mein", "atendi hoje").
    r"in today|(?:we|I)(?:'ve|\u2019ve| have) (?:had|seen|treated|got)|"
    r"(?:in|on|at) the (?:[\w-]+ )?(?:unit|ward|ICU|bay)|"
    r"on (?:my|our|the) (?:operating )?table|having (?:chemo\w*|surgery|dialysis|treatment|radiotherapy)|"
    r"dalam wad|(?:hamare|humare) (?:clinic|hospital|ward|OPD)|atendi|atendemos|internad[oa])\b",
    re.IGNORECASE,
)
PUBLIC_ANNOUNCEMENT = _compile(
    r"\b(?:announcement|announced|announces|talk(?:ed|s|ing)? openly|publicly|according to|reported|reports|"
    r"news that|press release|statement|interview|documentary|memoir|podcast)\b",
    re.IGNORECASE,
)
PUBLIC_ROLE = _compile(
    r"\b(?:introduced|bill|law|legislation|policy|signed|vetoed|proposed|announced|press conference|statement|"
    r"spoke|speaks|said|says|testified|hearing|interview|campaign|funding|budget|ordinance|proclamation|"
    r"declared|championed|sponsor\w*|honou?red|award\w*|keynote|endorse\w*|"
    r"advocat\w+|mandate|vote\w*|elected|appointed|office)\b",
    re.IGNORECASE,
)
CHILD = _compile(
    r"\b(?:child|kid|boy|girl|baby|infant|toddler|son|daughter|preschooler|kindergartner|kindergartener|"
    r"first-grader|second-grader|third-grader|\w+-grader|grader|student|teen|teenager|tween|youngster|little one|"
    r"newborn|preemie|twins?|nephew|niece|grandson|granddaughter|pupil)s?\b",
    re.IGNORECASE,
)
TITLE_NAME = _compile(
    r"\b(?P<title>Mr|Mrs|Ms|Miss|Mx|Mister|Master|Sir|Madam|Mme|Mlle|Sr|Sra|Srta|"
    # Honorifics of other languages: Malay, Indonesian, German, Italian, Spanish, Portuguese, Hindi, Swahili,
    # Cantonese ("Ah" before a given name), and "aunty"/"uncle" as said to an older person in many countries.
    r"Puan|Encik|Cik|Datin|Datuk|Dato'?|Tan Sri|Tuan|Haji|Hajah|Makcik|Mak Cik|Pakcik|Pak Cik|Bapak|Ibu|"
    r"Frau|Herr|Signora|Signor|Se\u00f1ora|Se\u00f1or|Senhora|Senhor|Dona|Shri|Smt|Shrimati|Mzee|Bibi|"
    r"Aunty|Auntie|Uncle|Ah)\.?\s+(?P<name>[A-Z][a-zA-Z'\u2019-]+|[A-Z]\.?)"
)
# A given name and a father's name joined by a patronymic particle: "Rosnah binti Hamzah", "Ravi s/o Kumar".
PATRONYMIC_NAME = _compile(
    r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s(?:bin|binti|bint|ibn|a/l|a/p|s/o|d/o|w/o)\s[A-Z][a-z]+\b"
)
INITIALS = _compile(
    r"(?<![\w.])(?P<i>[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?|[A-Z]\.[A-Z]\b|[A-Z]{2}(?=,\s*(?:a|an|\d))"
    r"|[A-Z]\.(?=,?\s*\(?\d{1,2}\)?[,\s)]))"
    r"|\b(?:patient|pt|baby|babe|little|Mr|Mrs|Ms|Miss|mom|dad|child|kid|boy|girl|teen|client|resident|"
    r"grandma|grandpa|auntie|uncle)\s+(?P<j>[A-Z])\.?(?![\w'\u2019])"
)
PROFESSIONAL_TITLE = _compile(
    r"\b(?:Dr|Doctor|Prof|Professor|Nurse|Senator|Sen|Rep|Representative|Governor|Gov|Mayor|Secretary|Commissioner|"
    r"Director|Chief|Judge|Justice|President|Minister|Chair|Dean|Colleague|colleague|colleagues|Councilman|"
    r"Councilwoman|Councillor|Sheriff|Pastor|Father|Rev|Reverend|Rabbi|Imam|Captain|Capt|Lt|Sgt|Officer|"
    r"Coach|Principal|Superintendent|by|with|author|authors|et al|thanks to|thank you|congrats|congratulations|"
    r"shoutout|shout-out|welcome|featuring|ft\.|hosted by|interviewed|@)\.?\s*$"
    r"|\b(?:our|my|the)\s+(?:[\w-]+\s+)?(?:porters?|nurses?|colleagues?|team|staff|residents|interns|doctors|"
    r"cleaners|techs?|HCAs?|pharmacists?|physios?|volunteers?|students?|midwives|paramedics|managers?)\s+"
    r"(?:[A-Z][a-z]+\s+(?:and|&)\s+)?$",
)
CREDENTIAL_AFTER = _compile(
    r"^,?\s*(?:MD|DO|RN|NP|PA|PA-C|PhD|MPH|MSN|BSN|DNP|FACP|FACS|FAAP|PharmD|MBBS|FRCP|CNM|LPN|MS|MA|DDS)\b|^\s+et al"
)
# "Harrison building", "Jess, the best charge nurse": a place named after someone, or a colleague.
NAME_NOT_PERSON_AFTER = _compile(
    r"^(?:['\u2019]s)?\s+(?:building|hall|house|centre|center|wing|street|st|road|rd|avenue|hospital|clinic|institute|"
    r"university|college|school|park|ward|unit|award|lecture|scholarship|foundation|fund|library|pavilion|"
    r"tower|suite|room|theatre|theater|county|city|town|village|parish|district|valley|township|borough|shire|"
    r"state|province|region|island|beach|river|lake|mountain|peak|road|lane|drive|way)\b"
    r"|^,?\s+(?:the|our|my)\s+(?:[\w-]+\s+){0,3}(?:nurse|doctor|colleague|resident|intern|registrar|consultant|"
    r"attending|manager|tech|technician|pharmacist|physio|therapist|midwife|paramedic|porter|secretary|clerk|"
    r"educator|preceptor|mentor|student|fellow|surgeon|physician|RN|NP|PA|CNA|HCA|chaplain)s?\b",
    re.IGNORECASE,
)
COMMON_WORD_NAMES = _word_set(
    """
    ward centre center east west north south
    ada africa al alabama all allah alpha america an angel any april arizona art asia august augusta
    austin autumn bay bear bell black bond both brazil brook brown canada cancer carolina case cash
    chance chase chelsea chile china chip christ christian christmas cook covid crystal cuba daisy
    dakota dallas dawn de december denver destiny diamond do doc doctor drew dusty early easter ebony
    egypt elle else england era europe eve ever faith fate february fern florida flu free friday gale
    gay georgia ginger god golden goldie grace gray green grey guy haiti happy harmony he heaven her his
    holly honey hope houston in ina india indiana ireland iris is israel it its ivy jade jamaica january
    japan jasmine jesus jewel joy july june kansas kay kentucky kenya king korea la lane le lily london
    long love luck lucky ma madison mae major march max may me melody memphis mercedes mercy merry
    mexico miles mister misty monday montana my nevada noble noel nova november nurse ocean october ok
    one orlando our page paris patience patient pearl penny peru phoenix precious price prince princess
    queen rain rice rich river rock rocky roman rose royal rsv ruby rusty sage sandy saturday savannah
    scarlett scotland see september she shelby sierra sky so sonny spring star sterling stone storm
    summer sunday sunny sydney temperance tennessee tex the them they thursday tiffany tommie trinity
    tuesday two una unity urban us utah van verity vida vietnam violet virginia wales we wednesday west
    white wiley will willow winter wood worth york you young your
    """
)


@functools.cache
def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """First names (US Census, about 5,000) and surnames (about 88,000), from the `names` package's files."""
    import importlib.util

    spec = importlib.util.find_spec("names")
    folder = Path(spec.origin).parent if spec and spec.origin else None

    def read(filename: str) -> frozenset[str]:
        if folder is None or not (folder / filename).exists():
            return frozenset()
        with (folder / filename).open(encoding="ascii", errors="ignore") as lines:
            return frozenset(line.split(None, 1)[0].capitalize() for line in lines if line.strip())

    first = read("dist.male.first") | read("dist.female.first")
    return frozenset(first), read("dist.all.last")


def _ascii_name(word: str) -> str:
    """A name without its accents ("Amélie" -> "Amelie"), as the census lists spell it."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii") if not word.isascii() else word


def _is_first_name(word: str) -> bool:
    word = _ascii_name(word)
    return word in _name_lists()[0] and word.lower() not in COMMON_WORD_NAMES


def _is_surname(word: str) -> bool:
    return word in _name_lists()[1] or word in _name_lists()[0]


NAME_TOKEN = _compile(r"\b[A-ZÀ-ÖØ-Þ][a-zß-\u00f6ø-ÿ]+(?:[-'\u2019][A-ZÀ-ÖØ-Þ]?[a-zß-\u00f6ø-ÿ]+)?\b")


def _person_names(doc: Document) -> list[tuple[int, int, str, bool]]:
    """(start, end, text, is_full_name) for each likely person's name that is not a professional or official."""
    text = doc.text
    tokens = list(NAME_TOKEN.finditer(text))
    found = []
    skip_until = -1
    for position, token in enumerate(tokens):
        if token.start() < skip_until:
            continue
        word = token.group(0)
        if word not in _name_lists()[0]:
            continue
        before = text[max(0, token.start() - 30) : token.start()]
        end = token.end()
        full = False
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        if (
            following
            and re.fullmatch(r"\s(?:[A-Z]\.\s)?", text[end : following.start()])
            and _is_surname(following.group(0))
            and following.group(0) not in NOT_PLACES
        ):
            end = following.end()
            full = True
        elif not _is_first_name(word):
            continue
        if (
            PROFESSIONAL_TITLE.search(before)
            or CREDENTIAL_AFTER.match(text[end : end + 12])
            or NAME_NOT_PERSON_AFTER.match(text[end : end + 60])
        ):
            skip_until = end
            continue
        if re.match(
            r"^['\u2019]s\s+(?:law|disease|syndrome|palsy|sign|test|criteria|rule|theorem)", text[end : end + 14]
        ):
            continue
        found.append((token.start(), end, text[token.start() : end], full))
        skip_until = end
    taken = [(start, end) for start, end, _, _ in found]
    for start, end, value, full in _more_names(text):
        if not _overlaps((start, end), taken):
            found.append((start, end, value, full))
            taken.append((start, end))
    return sorted(found)


ORGANISATION_WORD = _compile(
    rf"(?:{PLACE_TYPES}|East|West|North|South|Upper|Lower|Greater|New|Old|Service|Services|Congress|Society|"
    r"Association|Council|Trust|Board|Agency|Ministry|Institute|Group|Network|Alliance|Foundation|Health|Care|"
    r"Medical|Ambulance|Union|Centre|Center|Community|Memorial|General|Regional|National|International|Royal|"
    r"Saint|Mount|Primary|Junior|Senior|Guidelines?|Journal|Review|Report|Week|Month|Day|Awards?|Fund|Team|"
    r"Unit|Ward|Department|Hospital|Clinic|Practice|Surgery|Pharmacy|Labs?|Press|News|Times|Post|Daily)"
)
RANK_WORDS = _word_set("Prime Chief Head Senior Junior Deputy Assistant General Vice Lead Principal Acting Former")
GREETING_NOT_NAMES = _word_set(
    """
    everyone everybody all you your my our team staff nurses doctors colleagues friends family families
    patients everyone's folks people them us everybody's night day shift crew unit ward department hospital
    clinic this these those that today tonight god jesus lord mum mom dad
    """
)
TITLES = frozenset(("mr", "mrs", "ms", "miss", "mister"))
NOT_A_NAME_AFTER_MARKER = _word_set(
    """
    boy girl one man lady ones bit while guy kid thing things bundle fighter warrior champ star angel
    the a an and but who is was has had with in on at from for to of our my his her their this that
    """
)
NAME_MARKER = _compile(
    r"\b(?:little|lil|baby|babe|miss|mr|mrs|ms|mister|meet|sweet|brave|tiny|auntie|aunty|uncle|grandma|grandpa|"
    r"nana|papa|granny)\.?\s+(?P<name>[A-Za-z][a-z]+)\b",
    re.IGNORECASE,
)
NAME_AFTER_PATIENT = _compile(
    r"\b(?i:patient|pt|client|resident)\s+(?P<name>[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+(?:\s[A-Z][a-z]+)?)\b(?!\s+(?i:care|safety))"
    r"|(?:^|[.!?]\s+)(?P<vocative>[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+),\s(?:you|you're|youre|we|thank|stay|keep|get)\b"
)
NAME_AFTER_GREETING = _compile(
    r"\b(?i:thanks to|thank you|shout ?-?out to|congrats to|congratulations to|proud of|prayers for|praying for|"
    r"love to|sending love to|RIP|rest in peace|celebrating|welcome home|well done)\s+"
    r"(?P<name>(?-i:[A-Z][a-z]+)|(?-i:[a-z]{3,}\s[a-z]{3,}))(?=\s+(?:for|on|who|and|after)\b|\s*[,!.])"
)
TITLED_BEFORE = _compile(
    r"\b(?:Dr|Doctor|Prof|Professor|Nurse|Senator|Sen|Rep|Mayor|Judge|Chief|Sister|Father|Rev|Reverend|Captain)\.?\s+"
    r"(?:[A-Z][a-z]+\s+)?$"
)
NAME_WITH_AGE = _compile(
    r"\b(?P<name>[A-ZÀ-ÖØ-Þ][a-zß-\u00f6ø-ÿ]+),\s(?:aged?\s)?\d{1,3}\b"
    r"(?!\s*(?:%|mg|ml|kg|years? ago|patients|people|cases))"
)
LOWER_PAIR = _compile(r"\b(?P<first>[a-z]{3,})\s(?:(?P<middle>[a-z]{3,})\s)?(?P<last>[a-z]{3,})\b")
CAPITAL_PAIR = _compile(
    r"(?<![.!?]\s)(?<!^)\b(?P<first>[A-ZÀ-ÖØ-Þ][a-zß-\u00f6ø-ÿ]{2,})\s(?P<last>[A-ZÀ-ÖØ-Þ][a-zß-\u00f6ø-ÿ]{2,}(?:-[A-ZÀ-ÖØ-Þ][a-zß-\u00f6ø-ÿ]+)?)\b"
)


def _more_names(text: str) -> list[tuple[int, int, str, bool]]:
    """Names the capitalised first-name scan misses: after 'little', 'baby', 'meet' or 'miss'; 'Walt, 89';
    lower-case full names ('maria elena castillo'); a capitalised pair whose second word is a surname."""
    first_names, surnames = _name_lists()
    found = []
    for match in NAME_MARKER.finditer(text):
        name = match.group("name")
        marker = match.group(0).split()[0].rstrip(".").lower()
        if name.lower() in NOT_A_NAME_AFTER_MARKER or (name.lower() in COMMON_WORD_NAMES and marker != "meet"):
            continue
        known = name.capitalize() in first_names or (marker in TITLES and name.capitalize() in surnames)
        unknown_capitalised = name[0].isupper() and name not in NOT_PLACES and not ORGANISATION_WORD.fullmatch(name)
        if known or unknown_capitalised:
            start = match.start() if marker in TITLES else match.start("name")
            found.append((start, match.end("name"), text[start : match.end("name")], marker in TITLES))
    for match in NAME_AFTER_GREETING.finditer(text):
        name = match.group("name")
        words = name.split()
        if any(word.lower() in NOT_A_NAME_AFTER_MARKER or word.lower() in GREETING_NOT_NAMES for word in words):
            continue
        if NAME_NOT_PERSON_AFTER.match(text[match.end("name") : match.end("name") + 60]):
            continue
        if words[0] in NOT_PLACES or ORGANISATION_WORD.fullmatch(words[0].capitalize()):
            continue
        found.append((*match.span("name"), name, len(words) > 1))
    for match in NAME_AFTER_PATIENT.finditer(text):
        group = "name" if match.group("name") else "vocative"
        name = match.group(group)
        first = name.split()[0]
        if first in NOT_PLACES or first.lower() in COMMON_WORD_NAMES or ORGANISATION_WORD.fullmatch(first):
            continue
        if CONDITION.fullmatch(first) or CARE_EVENT.fullmatch(first):
            continue
        found.append((*match.span(group), name, " " in name))
    for match in NAME_WITH_AGE.finditer(text):
        name = match.group("name")
        if name in NOT_PLACES or ORGANISATION_WORD.fullmatch(name) or name.lower() in COMMON_WORD_NAMES:
            continue
        if TITLED_BEFORE.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        if name in first_names or name in surnames or re.match(r",\s\d{1,2},", text[match.end("name") :]):
            found.append((*match.span("name"), name, False))
    for match in LOWER_PAIR.finditer(text):
        first, middle, last = match.group("first"), match.group("middle"), match.group("last")
        if (
            _is_first_name(first.capitalize())
            and last.capitalize() in surnames
            and (middle is None or middle.capitalize() in first_names or middle.capitalize() in surnames)
        ):
            if last.lower() in COMMON_WORD_NAMES or len(last) < 4:
                continue
            found.append((*match.span(), match.group(0), True))
    for match in CAPITAL_PAIR.finditer(text):
        first, last = match.group("first"), match.group("last")
        if first in NOT_PLACES or last in NOT_PLACES or first.lower() in COMMON_WORD_NAMES:
            continue
        if ORGANISATION_WORD.fullmatch(first) or ORGANISATION_WORD.fullmatch(last):
            continue
        if (
            last in surnames
            and last.lower() not in COMMON_WORD_NAMES
            and not NAME_NOT_PERSON_AFTER.match(text[match.end() : match.end() + 60])
            and not PROFESSIONAL_TITLE.search(text[max(0, match.start() - 30) : match.start()])
        ):
            found.append((*match.span(), match.group(0), True))
    return found


NAME_AGE_PLACE = _compile(
    r"\b(?P<name>[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+),?\s\(?(?P<age>\d{1,2})\)?,?\s(?:of|from)\s(?:the\s+)?"
    r"(?P<place>[A-Z][a-z'-]+(?:\s[A-Z][a-z]+)?)\b"
    r"|\b(?P<lname>[a-z][a-z\u00df-\u00ff]+),\s(?P<lage>\d{1,2}),\s(?:of|from)\s(?P<lplace>[A-Za-z][a-z'-]+)\b"
    # "Saoirse in Ennis (5, selective mutism)": a name, a town, then the age in brackets.
    r"|\b(?P<pname>[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+)\s(?:in|from|of)\s(?P<pplace>[A-Z][a-z'-]+)\s"
    r"\((?P<page>\d{1,2})(?=\s*(?:,|\)|y\b|yo\b|yrs?\b|years?\b))"
)
NAME_FROM_PLACE = _compile(
    r"\b(?P<marker>(?i:little|lil|baby|sweet|brave|tiny|our|meet|wee|wee\s+wee)\s+)?"
    r"(?P<name>[A-Za-z\u00c0-\u00de][a-z\u00df-\u00ff]+)\s+from\s+(?:the\s+)?"
    r"(?P<place>[A-Za-z][a-z'-]+(?:\s[A-Z][a-z]+)?)\b"
)
NOT_A_TOWN = _word_set(
    """
    the a an our my his her their work school home church here there abroad overseas out up down away inside
    outside above below birth scratch day night start beginning icu er ed nicu picu or ward unit surgery
    hospital clinic triage rehab hospice jail prison college uni university daycare nursery kindergarten
    """
)


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in spans)


def _people_and_combinations(doc: Document, found: Found) -> None:
    text = doc.text
    places = _place_spans(doc)
    ages = _ages(doc)
    names = _person_names(doc)
    name_spans = [(start, end) for start, end, _, _ in names]
    for match in CAPITAL_PAIR.finditer(text):
        # Any capitalised pair next to a particular patient, when the name lists do not know it ("Abdullah Karimi").
        here = doc.context(match.start(), reach=0)
        first, last = match.group("first"), match.group("last")
        if not here.sentence.patient or _overlaps(match.span(), name_spans):
            continue
        if {first, last} & NOT_PLACES or first.lower() in COMMON_WORD_NAMES or last.lower() in COMMON_WORD_NAMES:
            continue
        if ORGANISATION_WORD.fullmatch(first) or ORGANISATION_WORD.fullmatch(last) or CONDITION.fullmatch(last):
            continue
        if PROFESSIONAL_TITLE.search(text[max(0, match.start() - 30) : match.start()]) or NAME_NOT_PERSON_AFTER.match(
            text[match.end() : match.end() + 60]
        ):
            continue
        names.append((match.start(), match.end(), match.group(0), True))
        name_spans.append(match.span())
    for start, end, value, full in names:
        context = doc.context(start)
        here = doc.context(start, reach=0)
        if not (context.patient or here.care or (full and context.care)):
            continue
        if PUBLIC_ROLE.search(here.sentence.text) and not here.patient:
            continue
        if not here.sentence.patient and (
            PUBLIC_ANNOUNCEMENT.search(here.sentence.text) or POPULATION.search(here.sentence.text)
        ):
            continue
        if full:
            _hit(found, "name", (start, end), text, f"a person's full name ({value}) with a patient or care detail")
        else:
            kind = "first_name_or_initials_with_detail"
            sentence = here.sentence
            if CHILD.search(sentence.text) and any(sentence.start <= p[0] < sentence.end for p in places):
                kind = "child_name_town"
            _hit(found, kind, (start, end), text, f"a first name ({value}) with a patient or care detail")
    for match in PATRONYMIC_NAME.finditer(text):
        # A patronymic name is one person's: in a post about care, enough when its sentence speaks of her or him.
        sentence_text = doc.context(match.start(), reach=0).sentence.text
        cared = any(sentence.care for sentence in doc.sentences) and THIRD_PERSON.search(sentence_text)
        if not _overlaps(match.span(), name_spans) and (
            doc.context(match.start()).patient or doc.context(match.start()).care or cared
        ):
            _hit(found, "name", match, text, f"a full name ({match.group(0)}) with a patient or care detail")
            name_spans.append(match.span())
    for match in TITLE_NAME.finditer(text):
        if _overlaps(match.span(), name_spans):
            continue
        if match.group("title") == "Ah" and not re.match(r"[A-Z][a-z]+\b", match.group("name")):
            continue
        context = doc.context(match.start())
        if context.patient or context.care:
            name = match.group("name")
            kind = "first_name_or_initials_with_detail" if len(name.rstrip(".")) == 1 else "name"
            _hit(found, kind, match, text, f"a name with a title ({match.group(0)}) with a patient or care detail")
    for match in INITIALS.finditer(text):
        context = doc.context(match.start())
        if context.patient or context.care:
            group = "i" if match.group("i") else "j"
            if group == "i" and re.fullmatch(
                r"(?:U\.S\.|U\.K\.|A\.M\.|P\.M\.|E\.R\.|O\.R\.|I\.V\.|M\.D\.|R\.N\.|D\.O\.|"
                r"N\.P\.|P\.A\.|ER|OR|IV|MD|RN|DO|NP|PA|ED|UK|US|TB|MS|ICU|AM|PM)",
                match.group(group).replace(" ", ""),
            ):
                continue
            _hit(
                found,
                "first_name_or_initials_with_detail",
                match,
                text,
                "initials with a patient or care detail",
                group=group,
            )
    for match in NAME_AGE_PLACE.finditer(text):
        name = match.group("name") or match.group("lname") or match.group("pname")
        age = match.group("age") or match.group("lage") or match.group("page")
        sentence = doc.context(match.start(), reach=0).sentence
        # The bracketed form names someone else's child even in the author's own story, unless it is their family.
        own = OWN_FAMILY.search(sentence.text) if match.group("pname") else sentence.own
        if name in NOT_PLACES or name.lower() in NOT_A_TOWN or own:
            continue
        if match.group("lplace") and match.group("lplace") in NOT_A_TOWN:
            continue
        town = match.group("pplace")
        if town and (town in NOT_PLACES or town.lower() in NOT_A_TOWN or name.lower() in COMMON_WORD_NAMES):
            continue
        kind = "child_name_town" if int(age) < 18 else "first_name_or_initials_with_detail"
        _hit(found, kind, match, text, f"a name ({name}) with an age and a town")
    for match in NAME_FROM_PLACE.finditer(text):
        name, place = match.group("name"), match.group("place")
        marked = bool(match.group("marker"))
        unknown_capitalised = (
            name[0].isupper()
            and place[0].isupper()
            and name not in NOT_PLACES
            and name.lower() not in COMMON_WORD_NAMES
            and not ORGANISATION_WORD.fullmatch(name)
            and not CONDITION.fullmatch(name)
        )
        if (
            place.lower() in NOT_A_TOWN
            or place in NOT_PLACES
            or not (
                _is_first_name(name.capitalize())
                or (marked and name.capitalize() in _name_lists()[0])
                or unknown_capitalised
            )
        ):
            continue
        context = doc.context(match.start())
        if not (context.patient or context.care) or context.own:
            continue
        sentence = context.sentence
        child = (
            CHILD.search(sentence.text)
            or marked
            or any(
                int(number) < 18
                for number in re.findall(r"\b(\d{1,2})\b(?=[- ]?(?:years?|yrs?|y/?o|,|\s*$))", sentence.text)
            )
            or re.search(
                r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[- ]year[- ]old",
                sentence.text,
                re.I,
            )
        )
        kind = "child_name_town" if child else "first_name_or_initials_with_detail"
        _hit(found, kind, match, text, f"a first name ({name}) with a town ({place})")
    for start, end, why in places:
        context = doc.context(start, reach=0)
        wide = doc.context(start)
        sentence = context.sentence
        age_here = [a for a in ages if sentence.start <= a[0] < sentence.end]
        if (
            why == "street address"
            and (
                context.patient
                or doc.context(start).patient
                or (sentence.care and not POPULATION.search(sentence.text))
            )
            and not (
                OWN_PLACE.search(text[max(0, start - 60) : start]) or LOGISTICS.search(sentence.text) or sentence.own
            )
        ):
            _hit(found, "geographic", (start, end), text, "a street address")
            continue
        strong = (
            (
                why != "place"
                or INDIVIDUAL_EVENT.search(sentence.text)
                or re.search(r"\b(?:tonight|today|last night|this morning|yesterday|this week)\b", sentence.text, re.I)
            )
            and context.care
            and not OWN_PLACE.search(text[max(0, start - 60) : start])
        )
        if (LOGISTICS.search(sentence.text) or POPULATION.search(sentence.text)) and not sentence.patient:
            continue
        if NEWS.search(sentence.text) and not FIRST_PERSON_CARE.search(sentence.text):
            continue
        if PUBLIC_ANNOUNCEMENT.search(sentence.text) and not sentence.patient:
            continue
        if re.search(r"\b(?:1[89]\d\d|200\d|201[0-5])\b", sentence.text) and not sentence.patient:
            continue
        if not (context.patient or (wide.patient and context.care) or strong):
            continue
        if sentence.own:
            continue
        if age_here:
            _hit(found, "age_occupation_place", (start, end), text, f"{why} with the patient's age")
        elif RARE.search(sentence.text):
            _hit(found, "rare_condition_place_time", (start, end), text, f"{why} with a rare condition")
        elif why != "place" or context.care or context.patient:
            _hit(found, "geographic", (start, end), text, f"{why} tied to a patient")
    for sentence in doc.sentences:
        person = SINGLE_OCCUPATION.search(sentence.text)
        if not person or sentence.own or POPULATION.search(sentence.text) or not sentence.care:
            continue
        lead = sentence.text[person.start() : person.start("job")]
        place_adjective = (
            any(word[:1].isupper() and word not in NOT_PLACES and word not in RANK_WORDS for word in lead.split()[1:])
            or re.search(r"\blocal\b", lead, re.I)
            or person.group("workplace")
        ) and not (PUBLIC_ANNOUNCEMENT.search(sentence.text) or NEWS.search(sentence.text))
        if place_adjective or any(sentence.start <= p[0] < sentence.end for p in places):
            absolute = (sentence.start + person.start("job"), sentence.start + person.end("job"))
            _hit(found, "age_occupation_place", absolute, text, "an occupation and a place with a condition")
    for start, _end in ages:
        context = doc.context(start, reach=0)
        sentence = context.sentence
        occupation = OCCUPATION.search(sentence.text)
        if occupation and not sentence.own and (context.patient or context.care):
            absolute = (sentence.start + occupation.start(), sentence.start + occupation.end())
            _hit(found, "age_occupation_place", absolute, text, "an occupation with the patient's age")
    for sentence in doc.sentences:
        rare = RARE.search(sentence.text)
        if rare and not sentence.own:
            has_place = any(sentence.start <= p[0] < sentence.end for p in places)
            has_time = DATE.search(sentence.text) or re.search(
                rf"\b(?:today|tonight|yesterday|this (?:week|morning|month)|last (?:week|night|month)|(?:19|20)\d\d|"
                rf"in {MONTH})\b",
                sentence.text,
                re.I,
            )
            wide = doc.context(sentence.start)
            historical = re.search(r"\b(?:1[89]\d\d|200\d|201[0-5])\b", sentence.text) and not sentence.patient
            if (
                (has_place or has_time)
                and not historical
                and not (
                    re.search(
                        r"\b(?:study|trial|research|awareness|funding|grant|case report|journal|NEJM|Lancet|BMJ|JAMA|"
                        r"published|described|literature|review|history|historic\w*|reported|officials|"
                        r"health department|confirmed by|(?-i:CDC|WHO)|ministry|developed|invented|discovered|"
                        r"pioneer\w*)\b",
                        sentence.text,
                        re.I,
                    )
                    or (POPULATION.search(sentence.text) and not sentence.patient)
                )
            ):
                _hit(
                    found,
                    "rare_condition_place_time",
                    (sentence.start + rare.start(), sentence.start + rare.end()),
                    text,
                    "a rare condition with a place or time",
                )
        figure = PUBLIC_FIGURE.search(sentence.text)
        if figure and not sentence.own:
            wide = doc.context(sentence.start)
            tied = CARE_TIE.search(sentence.text) and not (
                PUBLIC_ANNOUNCEMENT.search(sentence.text) and not sentence.patient
            )
            if tied and (wide.care or sentence.patient):
                _hit(
                    found,
                    "public_figure_condition",
                    (sentence.start + figure.start(), sentence.start + figure.end()),
                    text,
                    "a well-known person with a condition or care event",
                )


PHOTO = _compile(
    r"\b(?:photo|photos|picture|pictures|pic|pics|selfie|selfies|screenshot|screenshots|screen ?grab|snapshot|"
    r"image|images|video|videos|clip|footage|recording|x-?ray|xray|scan|ultrasound|sonogram|film|snap|"
    r"polaroid|pictured|photographed|filmed|snapped)\b",
    re.IGNORECASE,
)
PHOTO_SUBJECT = _compile(
    r"\b(?:chart|wristband|band|bracelet|ID band|name|face|faces|EHR|EMR|Epic|Cerner|census|whiteboard|board|monitor|"
    r"bed|room|tattoo|label|sticker|armband|tag|record|records|file|screen|MRN|patient|pt|her|him|them|his|"
    r"baby|newborn|kid|child|family|discharge papers|prescription|bottle|door|ID)\b",
    re.IGNORECASE,
)
PHOTO_STRONG_SUBJECT = _compile(
    r"\b(?:patient(?:'s)? (?:name|face|chart|wristband|details|info)|name (?:is|was) (?:on|visible)|wristband|ID band|"
    r"EHR|EMR|Epic|Cerner|chart|census board|whiteboard)\b",
    re.IGNORECASE,
)
BIOMETRIC = _compile(
    r"\b(?:fingerprints?|thumbprints?|palm ?prints?|retina(?:l)? scans?|iris scans?|face ?id|facial recognition|"
    r"voice ?prints?|voice (?:memo|recording|note|message)|DNA (?:profile|sample|results?|test)|genome|"
    r"genetic (?:profile|test|results?)|tattoos?|birthmarks?|scars?|port-wine stain|gait|handwriting|"
    r"signature|dental records|footprints?|heartbeat[- ]based ID|ECG (?:signature|ID)|cardiac signature|"
    r"vein (?:pattern|scan)|ear ?prints?|x-?ray of (?:his|her) (?:jaw|teeth))\b",
    re.IGNORECASE,
)


SUPERLATIVE_PERSON = _compile(
    r"\b(?:the|our)\s+(?:only|oldest|youngest|tallest|shortest|heaviest|biggest|smallest|first|last)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:man|woman|person|patient|child|kid|boy|girl|baby|resident|guy|lady|one)\s+"
    r"(?:in|on|from|of)\s+(?:the\s+|our\s+|this\s+|my\s+)?(?:[\w-]+\s+)?"
    r"(?:town|village|city|county|state|island|islands|country|valley|parish|district|suburb|region|world|"
    r"[A-Z][a-z]+)\b",
    re.IGNORECASE,
)


# A serial number on a device one person wears, carries or has implanted names that person to its maker.
PERSONAL_DEVICE = _compile(
    r"\b(?:CPAP|BiPAP|APAP|pump|implant|stimulator|neurostimulator|pacemaker|ICD|LVAD|hearing aids?|cochlear|"
    r"CGM|wheelchair|prosthe\w+|stem|controller|defib\w*|Dexcom|Omnipod|Libre)\b",
    re.IGNORECASE,
)
DEVICE_SERIAL = _compile(
    r"\b(?:serial(?: number| no\.?)?|S/N|SN)?\s*[:#]?\s*(?P<code>(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])"
    r"[A-Za-z0-9]{2,}(?:-[A-Za-z0-9]{2,}){0,3})\b"
)
ADDRESSED_INITIALS = _compile(r"(?:^|[.!?]\s+)\W*(?P<initials>(?:[A-Za-z]\.){2,3}),?\s+you\b")
FIRST_NAME_WITH_THE = _compile(r"\b(?P<name>[A-Za-z][a-z]{2,})\s+with\s+the\s+(?:[\w-]+\s+){1,3}?(?:and|who)\b")


def _devices_and_addressed_people(doc: Document, found: Found) -> None:
    text = doc.text
    for device in PERSONAL_DEVICE.finditer(text):
        sentence = doc.context(device.start(), reach=0).sentence
        if sentence.own or LOGISTICS.search(sentence.text) or re.search(r"\brecall", sentence.text, re.I):
            continue
        window = text[device.end() : min(sentence.end, device.end() + 30)]
        match = re.match(r"[\s\w-]{0,12}?(?:serial(?: number| no\.?)?|S/N|SN)\s*[:#]?\s*", window, re.I)
        if not match:
            continue
        code = DEVICE_SERIAL.match(window, match.end())
        if code and _digits(code.group("code")) >= 3:
            start = device.end() + code.start("code")
            _hit(
                found, "device_id", (start, device.end() + code.end("code")), text, "serial number of a personal device"
            )
    care = any(s.care for s in doc.sentences)
    if not care:
        return
    for match in ADDRESSED_INITIALS.finditer(text):
        _hit(found, "first_name_or_initials_with_detail", match, text, "initials of a patient addressed", "initials")
    for match in FIRST_NAME_WITH_THE.finditer(text):
        name = match.group("name")
        if _is_first_name(name[0].upper() + name[1:]) and not doc.context(match.start(), reach=0).sentence.own:
            _hit(found, "first_name_or_initials_with_detail", match, text, "a first name with a distinguishing detail")


def _superlatives(doc: Document, found: Found) -> None:
    """'The tallest man in our town', 'the only dialysis patient on the island': one person, found."""
    for match in SUPERLATIVE_PERSON.finditer(doc.text):
        context = doc.context(match.start())
        if (context.patient or context.care) and not context.own:
            _hit(found, "geographic", match, doc.text, "the only or most extreme person in a place")


RESEARCH = _compile(
    r"\b(?:study|studies|trial|research|grant|funding|funded|paper|published|cohort|announce\w*|award\w*)\b", re.I
)
PROPER_NOUN = _compile(r"(?<![.!?:#@]\s)(?<![#@/])\b[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]{2,}\b")
NOT_PROPER_NOUNS = _word_set("App Achilles Dilaudid Botox Tylenol Advil Ozempic Narcan Epipen Google Zoom")


def _proper_nouns_beside_a_patient(doc: Document, found: Found) -> None:
    """A safety net: any proper noun the lists do not explain (a name, a town, a school) in a sentence
    about one particular patient. Costs few false alarms, because such sentences rarely name anything else."""
    first_names, surnames = _name_lists()
    for sentence in doc.sentences:
        if not sentence.patient or sentence.own:
            continue
        if NEWS.search(sentence.text) or PUBLIC_ANNOUNCEMENT.search(sentence.text) or LOGISTICS.search(sentence.text):
            continue
        if RESEARCH.search(sentence.text):
            continue
        for match in PROPER_NOUN.finditer(sentence.text):
            word = match.group(0)
            if match.start() == 0 or word in NOT_PLACES or word in NOT_PROPER_NOUNS or word in RANK_WORDS:
                continue
            before = sentence.text[max(0, match.start() - 30) : match.start()]
            if TITLED_BEFORE.search(before) or PROFESSIONAL_TITLE.search(before):
                continue
            if ORGANISATION_WORD.fullmatch(word) or word.lower() in COMMON_WORD_NAMES:
                continue
            if CONDITION.fullmatch(word) or CARE_EVENT.fullmatch(word) or OCCUPATION.fullmatch(word):
                continue
            start = sentence.start + match.start()
            kind = "name" if word in first_names or word in surnames else "geographic"
            _hit(
                found, kind, (start, start + len(word)), doc.text, f"a proper name ({word}) beside a particular patient"
            )


PHOTO_OF_SOMEONE = _compile(
    r"\b(?:his|her|their|the patient'?s|pt'?s)\s+(?:face|name|wristband|chart|tattoo|eyes|smile|x-?ray|scan)\s+"
    r"(?:is\s+|was\s+)?(?:in|on)\s+(?:slide|pic|photo|image|video|frame|the\s+(?:pic|photo|picture|image|video|"
    r"screenshot|clip|reel|story|thumbnail|last slide|first slide|second slide))\b"
    r"|\bname\b[^.!?\n]{0,40}\b(?:cropped|blurred|visible|covered|redacted|showing|half[- ]hidden)\b",
    re.IGNORECASE,
)
# A genetic variant in HGVS notation ("c.5946delT", "p.Arg117His") is part of one person's genome.
HGVS = _compile(
    r"\b(?:c|p|g|m)\.(?:[A-Z][a-z]{2}\d+[A-Z][a-z]{2}|\d+(?:[+_-]\d+)*(?:del|dup|ins|[ACGT]>[ACGT])[ACGT]*)\b"
)


def _photos_and_biometrics(doc: Document, found: Found) -> None:
    text = doc.text
    for match in PHOTO_OF_SOMEONE.finditer(text):
        if match.group(0).lower().startswith("name") and not PHOTO.search(text):
            continue
        if not doc.context(match.start(), reach=0).sentence.own:
            _hit(found, "photo", match, text, "a photo or screenshot showing a patient or their name")
    for match in HGVS.finditer(text):
        context = doc.context(match.start())
        if (context.patient or THIRD_PERSON.search(context.sentence.text)) and not context.sentence.own:
            _hit(found, "biometric", match, text, "a genetic variant of one person")
    for match in PHOTO.finditer(text):
        context = doc.context(match.start(), reach=0)
        wide = doc.context(match.start())
        sentence = context.sentence.text
        if re.search(
            r"\b(?:infographic|of me|of myself|of our team|of the team|our staff|my selfie|"
            r"my (?:own )?x-?ray|stock)\b",
            sentence,
            re.I,
        ):
            continue
        window = " ".join(
            s.text for s in doc.sentences[max(0, doc.index_at(match.start()) - 1) : doc.index_at(match.start()) + 2]
        )
        if (
            context.patient or wide.patient or context.care or PHOTO_STRONG_SUBJECT.search(window)
        ) and PHOTO_SUBJECT.search(window):
            _hit(found, "photo", match, text, "a photo, video or screenshot that may show a patient")
    for match in BIOMETRIC.finditer(text):
        context = doc.context(match.start())
        possessed = re.search(
            r"\b(?:his|her|their)\s+(?:[\w-]+\s+){0,2}$", text[max(0, match.start() - 40) : match.start()], re.I
        )
        if (context.patient or possessed) and not context.sentence.own and not context.own:
            _hit(found, "biometric", match, text, "a biometric or distinctive mark of a patient")


RECOGNISERS = (
    _phones,
    _labelled_codes,
    _bare_codes,
    _national_numbers,
    _spelled_out,
    _emails,
    _urls,
    _ip_addresses,
    _rooms,
    _dates,
    _people_and_combinations,
    _home_addresses,
    _photos_and_biometrics,
    _superlatives,
    _devices_and_addressed_people,
    _proper_nouns_beside_a_patient,
)


@dataclass(frozen=True)
class Evidence:
    """What the rules found in a post: their hits, and what its sentences are about (the learned scorer reads both)."""

    hits: list[PrivacyHit]
    flags: frozenset[str]  # "patient", "care", "own", "patient_care" (one sentence with both), "logistics", ...
    sentences: list[tuple[int, int]]
    found: list[PrivacyHit] = field(default_factory=list)  # every recogniser's hit, before context and overlaps
    doc: "Document | None" = None


def evidence(text: str) -> Evidence:
    doc = Document(text)
    flags = set()
    for sentence in doc.sentences:
        flags |= {name for name in ("patient", "care", "own") if getattr(sentence, name)}
        if sentence.patient and sentence.care:
            flags.add("patient_care")
        for name, pattern in (("logistics", LOGISTICS), ("population", POPULATION), ("research", RESEARCH)):
            if pattern.search(sentence.text):
                flags.add(name)
    # Why the post may hold no patient of the author's (fiction, own story, public role, ...): the scorer reads it too.
    flags |= {f"not_{reason}" for reason in privacy_context.reasons(doc)}
    found = _found(doc)
    return Evidence(
        _scan(doc, list(found)), frozenset(flags), [(s.start, s.end) for s in doc.sentences], found=found, doc=doc
    )


def scan(text: str) -> list[PrivacyHit]:
    """Every likely patient identifier in text, as non-overlapping spans in reading order."""
    doc = Document(text)
    return _scan(doc, _found(doc))


def _found(doc: Document) -> Found:
    hits: Found = []
    for recognise in RECOGNISERS:
        recognise(doc, hits)
    return hits


def _scan(doc: Document, hits: Found) -> list[PrivacyHit]:
    # Hits that the post's own "not a patient" evidence explains (fiction, the clinician's own details or
    # family, a public role, aggregate figures, a job advert, an empty room, a product) are set aside.
    hits = privacy_context.set_aside(doc, hits)
    return without_overlaps(hits)


def without_overlaps(hits: list[PrivacyHit]) -> list[PrivacyHit]:
    """The hits as non-overlapping spans in reading order (the first, then longest, span wins)."""
    hits = sorted(hits, key=lambda hit: (hit.start, -hit.end))
    kept: list[PrivacyHit] = []
    for hit in hits:
        if hit.end <= hit.start:
            continue
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept
