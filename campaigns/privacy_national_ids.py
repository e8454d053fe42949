"""National identity numbers by country, each by its published format and, where it has one, its check digit.

A number only counts when its shape is the country's (punctuation included where the format is written with
it) and its check digit is right, or, for formats with no check digit or a shape that ordinary numbers share,
when the nearest label in front of it names the scheme ("CPF", "Aadhaar", "BSN", "personnummer"...). So a
phone number, a lab value or an order number that happens to have the same count of digits is not a hit.
Pure Python; the privacy rules (campaigns.privacy_rules) call `find` once per post.
"""

import re
from dataclasses import dataclass

from stdnum import luhn


@dataclass(frozen=True)
class NationalId:
    start: int
    end: int
    scheme: str


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _cpf_valid(value: str) -> bool:
    """Brazil's CPF: two modulus-11 check digits."""
    d = [int(c) for c in _digits(value)]
    if len(d) != 11 or len(set(d)) == 1:
        return False
    for size in (9, 10):
        total = sum(digit * weight for digit, weight in zip(d[:size], range(size + 1, 1, -1), strict=True))
        check = total * 10 % 11 % 10
        if check != d[size]:
            return False
    return True


_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 8, 5],
]


def _verhoeff_valid(digits: str) -> bool:
    """India's Aadhaar number: the Verhoeff check digit."""
    check = 0
    for position, digit in enumerate(int(c) for c in reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[position % 8][digit]]
    return check == 0


def _dni_valid(value: str) -> bool:
    """Spain's DNI (8 digits) and NIE (X/Y/Z + 7 digits): the letter is the number modulo 23."""
    value = re.sub(r"[\s.-]", "", value.upper())
    number = value[:-1]
    if number[0] in "XYZ":
        number = str("XYZ".index(number[0])) + number[1:]
    return number.isdigit() and "TRWAGMYFPDXBNJZSQVHLCKE"[int(number) % 23] == value[-1]


def _china_valid(value: str) -> bool:
    """China's resident identity number: ISO 7064 MOD 11-2 check character."""
    body = value[:17]
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
    return "10X98765432"[total % 11] == value[17].upper()


def _eleven_test(digits: str) -> bool:
    """The Netherlands' BSN: the "elfproef" (weights 9..2 and -1)."""
    if len(digits) != 9:
        return False
    total = sum(int(c) * w for c, w in zip(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1], strict=True))
    return total % 11 == 0 and total != 0


def _nir_valid(value: str) -> bool:
    """France's NIR (numéro de sécurité sociale): 13 digits and a key of 97 - n mod 97."""
    digits = _digits(value.upper().replace("2A", "19").replace("2B", "18"))
    return len(digits) == 15 and 97 - int(digits[:13]) % 97 == int(digits[13:])


def _rrn_valid(digits: str) -> bool:
    """South Korea's resident registration number: weighted modulus-11 check digit."""
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    total = sum(int(c) * w for c, w in zip(digits[:12], weights, strict=True))
    return (11 - total % 11) % 10 == int(digits[12])


def _hetu_valid(value: str) -> bool:
    """Finland's henkilötunnus: the check character is the number modulo 31."""
    number = int(value[:6] + value[7:10])
    return "0123456789ABCDEFHJKLMNPRSTUVWXY"[number % 31] == value[10].upper()


def _sa_id_valid(digits: str) -> bool:
    """South Africa's identity number: a date of birth and the Luhn check digit."""
    month, day = int(digits[2:4]), int(digits[4:6])
    return 1 <= month <= 12 and 1 <= day <= 31 and luhn.is_valid(digits)


def _norway_valid(digits: str) -> bool:
    """Norway's fødselsnummer: two modulus-11 check digits."""
    d = [int(c) for c in digits]
    k1 = 11 - sum(a * b for a, b in zip(d[:9], [3, 7, 6, 1, 8, 9, 4, 5, 2], strict=True)) % 11
    k2 = 11 - sum(a * b for a, b in zip(d[:10], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2], strict=True)) % 11
    return (k1 % 11) == d[9] and (k2 % 11) == d[10] and k1 != 10 and k2 != 10


def _mykad_valid(value: str) -> bool:
    """Malaysia's MyKad (NRIC): a real birth date (YYMMDD) and a known birthplace code (python-stdnum)."""
    from stdnum.my import nric

    return nric.is_valid(value)


def _rvnr_valid(value: str) -> bool:
    """Germany's Rentenversicherungsnummer: area, birth date (DDMMYY), initial, serial and its check digit
    (the initial as two digits, weights 2121 2121 2121 over the cross sums, modulo 10)."""
    compact = re.sub(r"\s", "", value).upper()
    if not _date_prefix(compact[2:6]):
        return False
    digits = compact[:8] + f"{ord(compact[8]) - 64:02d}" + compact[9:11]
    weights = (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)
    total = sum(sum(divmod(int(d) * w, 10)) for d, w in zip(digits, weights, strict=True))
    return total % 10 == int(compact[11])


def _date_prefix(digits: str) -> bool:
    day, month = int(digits[:2]), int(digits[2:4])
    return 1 <= day <= 31 and 1 <= month <= 12


# (scheme, pattern, check, label). The label (a regex of the scheme's names) in front of the number is enough
# on its own (people quote made-up or mistyped numbers); without it, the number must pass its check (a scheme
# whose shape is shared by ordinary numbers has no check here: it counts only when labelled; a distinctive shape
# with no check digit, such as a CNIC or a codice fiscale, counts by its shape).
_ANY = r"(?<![\w.-]){}(?![\w-]|\.\d)"
_LABELLED_ONLY = object()


def _shape(_value: str) -> bool:
    return True


SCHEMES: list[tuple[str, re.Pattern, object, str]] = [
    ("Brazilian CPF", re.compile(_ANY.format(r"\d{3}\.\d{3}\.\d{3}-\d{2}")), _cpf_valid, r"CPF"),
    ("Brazilian CPF", re.compile(_ANY.format(r"\d{11}")), _LABELLED_ONLY, r"CPF"),
    (
        "Indian Aadhaar",
        re.compile(_ANY.format(r"[2-9]\d{3}[ -]\d{4}[ -]\d{4}")),
        lambda v: _verhoeff_valid(_digits(v)),
        r"aadhaa?r|UIDAI|UID",
    ),
    ("Indian Aadhaar", re.compile(_ANY.format(r"[2-9]\d{11}")), _LABELLED_ONLY, r"aadhaa?r|UIDAI|UID"),
    # Round 9: Malaysia's MyKad (YYMMDD-PB-NNNN, by its date and birthplace code), Germany's pension insurance
    # number (by its check digit) and New Zealand's NHI (old AAANNNN and new AAANNAA shapes, only when labelled).
    ("Malaysian MyKad", re.compile(_ANY.format(r"\d{6}-\d{2}-\d{4}")), _mykad_valid, r"MyKad|IC|NRIC|kad pengenalan"),
    (
        "German pension insurance number",
        re.compile(_ANY.format(r"\d{2} ?\d{6} ?[A-Z] ?\d{3}")),
        _rvnr_valid,
        r"Sozialversicherungs(?:nummer|-?nr\.?)|Rentenversicherungs(?:nummer|-?nr\.?)|RVNR|SVNR",
    ),
    (
        "New Zealand NHI",
        re.compile(r"(?<![\w-])[A-HJ-NP-Z]{3}(?:\d{4}|\d{2}[A-HJ-NP-Z]{2})(?![\w-])"),
        _LABELLED_ONLY,
        r"NHI(?: number| no\.?)?|national health index",
    ),
    ("Spanish DNI or NIE", re.compile(r"(?<![\w-])(?:\d{8}|[XYZ]\d{7})-?[A-Z](?![\w-])"), _dni_valid, r"DNI|NIE|NIF"),
    (
        "Chinese resident identity number",
        re.compile(_ANY.format(r"\d{17}[\dXx]")),
        _china_valid,
        r"ID|identity|\u8eab\u4efd\u8bc1",
    ),
    ("Dutch BSN", re.compile(_ANY.format(r"\d{4}\.?\d{2}\.?\d{3}")), _LABELLED_ONLY, r"BSN|burgerservicenummer|sofi"),
    (
        "French NIR",
        re.compile(r"(?<![\w-])[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\w-])"),
        _nir_valid,
        r"NIR|INSEE|s\u00e9cu(?:rit\u00e9 sociale)?|carte vitale",
    ),
    (
        "South Korean RRN",
        re.compile(_ANY.format(r"\d{6}-[1-8]\d{6}")),
        lambda v: _rrn_valid(_digits(v)),
        r"RRN|resident registration|\uc8fc\ubbfc\ub4f1\ub85d\ubc88\ud638",
    ),
    (
        "Finnish HETU",
        re.compile(r"(?<![\w-])\d{6}[-+A]\d{3}[0-9A-Y](?![\w-])"),
        _hetu_valid,
        r"HETU|henkil\u00f6tunnus",
    ),
    ("South African ID", re.compile(_ANY.format(r"\d{13}")), _sa_id_valid, r"ID|identity"),
    (
        "Swedish personnummer",
        re.compile(_ANY.format(r"(?:19|20)?\d{6}[-+]\d{4}")),
        lambda v: luhn.is_valid(_digits(v)[-10:]),
        r"personnummer|personnr",
    ),
    (
        "Norwegian fødselsnummer",
        re.compile(_ANY.format(r"\d{6} ?\d{5}")),
        lambda v: _date_prefix(_digits(v)) and _norway_valid(_digits(v)),
        r"f\u00f8dselsnummer|personnummer|fnr",
    ),
    ("Danish CPR", re.compile(_ANY.format(r"\d{6}-\d{4}")), _LABELLED_ONLY, r"CPR"),
    ("Pakistani CNIC", re.compile(_ANY.format(r"\d{5}-\d{7}-\d")), _shape, r"CNIC|NIC"),
    (
        "Italian codice fiscale",
        re.compile(r"(?<![\w-])[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z](?![\w-])"),
        _shape,
        r"codice fiscale|CF",
    ),
    ("Mexican CURP", re.compile(r"(?<![\w-])[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z\d]\d(?![\w-])"), _shape, r"CURP"),
    ("Israeli ID", re.compile(_ANY.format(r"\d{9}")), _LABELLED_ONLY, r"teudat(?: zehut)?|te'?udat zehut|Israeli ID"),
    ("Nigerian NIN", re.compile(_ANY.format(r"\d{11}")), _LABELLED_ONLY, r"NIN"),
    (
        "Australian tax file number",
        re.compile(_ANY.format(r"\d{3} ?\d{3} ?\d{3}")),
        _LABELLED_ONLY,
        r"TFN|tax file(?: number)?",
    ),
    (
        "Philippine PhilSys or SSS",
        re.compile(_ANY.format(r"\d{2}-\d{7}-\d|\d{4}-\d{4}-\d{4}-\d{4}")),
        _LABELLED_ONLY,
        r"SSS|PhilSys|PSN",
    ),
    (
        "Irish PPS number",
        re.compile(r"(?<![\w-])\d{7}[A-W][A-IW]?(?![\w-])"),
        _LABELLED_ONLY,
        r"PPSN?|personal public service",
    ),
]
_LABEL_REACH = 60  # round 9: 30 -> 60 ("Aadhaar ki xerox de di prescription ke saath: 4821 ...")


def find(text: str) -> list[NationalId]:
    """Every national identity number in text, by its country's format and its check digit or its label."""
    found: list[NationalId] = []
    taken: list[tuple[int, int]] = []
    for scheme, pattern, check, label in SCHEMES:
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            before = text[max(0, span[0] - _LABEL_REACH) : span[0]]
            labelled = re.search(rf"(?<![\w])(?:{label})(?![\w])", before, re.IGNORECASE)
            if not labelled and (check is _LABELLED_ONLY or not check(match.group(0))):
                continue
            taken.append(span)
            found.append(NationalId(span[0], span[1], scheme))
    return found
