"""Fillers for the v2 post families: invented names, places and identifiers (stdlib only)."""

import re

FIRST = "Aoife Brendan Chidi Deepa Eamon Fatima Gareth Hemi Ines Jarrah Kwame Lakshmi Mateo Niamh Oluwaseun Pita Qing Rhys Siobhan Tariq Ulla Vikram Wiremu Ximena Yusuf Zanele Bronwyn Callum Dineo Ewan Farida Grainne Harpreet Isla Jomo Kiri Lorcan Mei Nkosana Orla Pradeep Rangi Saoirse Thandiwe Uma Vaughan Wen Xolani Yara Zeb Marguerite Desmond Lottie Barnaby Ruairi Anjali Tevita Cormac Priyanka".split()
LAST = "Okonkwo Fitzgerald Ranganathan Tuhiwai McAllister Venkataraman Oyelowo Brennan Ngata Lindqvist Chaudhry Kowalczyk Mahlangu O'Driscoll Achterberg Pillay Te-Rangi Hennessy Balasubramaniam Quigley Nakashima Dlamini Featherstone Abernethy Kaur Gallagher Whitlock Sithole Marchetti Tan Sandhu Moloney Varghese Pohatu Cassidy Ferreira Dunleavy Agyeman Rasmussen Iyer Fairweather Mbeki-Nolan Kavanagh Thorburn Wijesinghe Nair Halloran Papadakis Osei Lim Devereux Hughes-Mensah Raghavan McCreadie".split()
TOWNS = "Ballina;Taumarunui;Dubbo;Kilkenny;Moose Jaw;Ashburton;Ipswich;Tralee;Whanganui;Bathurst;Thrissur;Stellenbosch;Tampines;Wagga Wagga;Portlaoise;Kamloops;Hexham;Mangaluru;Polokwane;Greymouth;Ennis;Red Deer;Toowoomba;Pietermaritzburg;Bendigo;Carlow;Nanaimo;Kendal;Mysuru;Woy Woy;Bunbury;Athlone;Lethbridge;Oamaru;Bedok;Tamworth;Letterkenny;Knysna;Truro;Kalgoorlie".split(
    ";"
)
STREETS = "Wattle Grove;Kilbride Road;Ngaio Street;Maple Crescent;Station Road;Hillcrest Avenue;Church Lane;Rata Place;Gandhi Nagar 3rd Cross;Jacaranda Drive;Main Street;Boundary Road".split(
    ";"
)


def _d(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def _L(rng, n):
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))


def date(rng):
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.choice([2025, 2026])
    months = "January February March April May June July August September October November December".split()
    return rng.choice(
        [
            f"{day:02d}/{month:02d}/{year}",
            f"{month}/{day}",
            f"{day}.{month:02d}.{year}",
            f"{months[month - 1]} {day}",
            f"{day} {months[month - 1][:3]}",
            f"{year}-{month:02d}-{day:02d}",
            f"{day}/{month}",
            f"the {day}th of {months[month - 1]}",
        ]
    )


def wkday(rng):
    return (
        rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
        + " "
        + rng.choice(["3am", "0340", "2.15am", "11pm", "at 0615", "around 4:30pm", "1900", "just after midnight"])
    )


def phone(rng):
    return rng.choice(
        [
            f"(555) 01{_d(rng, 2)}-{_d(rng, 4)}",
            f"555-01{_d(rng, 2)}",
            f"07700 900{_d(rng, 3)}",
            f"+44 7700 900{_d(rng, 3)}",
            f"087 {_d(rng, 3)} {_d(rng, 4)}",
            f"+353 86 {_d(rng, 3)} {_d(rng, 4)}",
            f"04{_d(rng, 2)} {_d(rng, 3)} {_d(rng, 3)}",
            f"+91 98{_d(rng, 3)} {_d(rng, 5)}",
            f"021 {_d(rng, 3)} {_d(rng, 4)}",
            f"082 {_d(rng, 3)} {_d(rng, 4)}",
            f"+65 9{_d(rng, 3)} {_d(rng, 4)}",
            f"(604) 555-01{_d(rng, 2)}",
            f"0{_d(rng, 3)}{_d(rng, 6)}",
        ]
    )


def fax(rng):
    return rng.choice(
        [
            f"(555) 01{_d(rng, 2)}-{_d(rng, 4)}",
            f"020 7946 0{_d(rng, 3)}",
            f"+353 1 {_d(rng, 3)} {_d(rng, 4)}",
            f"(02) 5550 {_d(rng, 4)}",
            f"+91 22 {_d(rng, 4)} {_d(rng, 4)}",
            f"416-555-01{_d(rng, 2)}",
            f"011 {_d(rng, 3)} {_d(rng, 4)}",
        ]
    )


def ssn(rng):
    return rng.choice(
        [
            f"{_d(rng, 3)}-{_d(rng, 2)}-{_d(rng, 4)}",
            f"{_d(rng, 3)} {_d(rng, 3)} {_d(rng, 4)}",
            f"{_d(rng, 10)}",
            f"{_d(rng, 3)} {_d(rng, 3)} {_d(rng, 3)}",
            f"{_d(rng, 4)} {_d(rng, 4)} {_d(rng, 4)}",
            f"{_d(rng, 4)} {_d(rng, 5)} {_d(rng, 1)}",
            f"{_d(rng, 7)}{_L(rng, 1)}A",
            f"S{_d(rng, 7)}{_L(rng, 1)}",
            f"{_d(rng, 3)}-{_d(rng, 3)}-{_d(rng, 3)}",
        ]
    )


def mrn(rng):
    return rng.choice(
        [
            _d(rng, 8),
            f"{_d(rng, 2)}-{_d(rng, 6)}",
            f"{_L(rng, 1)}{_d(rng, 7)}",
            _d(rng, 6),
            f"{_d(rng, 4)}/{_d(rng, 5)}",
        ]
    )


def hp(rng):
    return rng.choice(
        [
            f"{_L(rng, 3)}{_d(rng, 9)}",
            f"{_d(rng, 1)}{_L(rng, 2)}{_d(rng, 1)}-{_L(rng, 2)}{_d(rng, 1)}-{_L(rng, 2)}{_d(rng, 2)}",
            f"W{_d(rng, 9)}",
            _d(rng, 10),
            f"{_L(rng, 2)}{_d(rng, 7)}-0{_d(rng, 1)}",
        ]
    )


def acc(rng):
    return rng.choice([_d(rng, 7), f"{_d(rng, 4)}-{_d(rng, 4)}", f"{_L(rng, 2)}{_d(rng, 8)}", _d(rng, 10)])


def lic(rng):
    return rng.choice(
        [
            f"{_L(rng, 1)}{_d(rng, 3)}-{_d(rng, 4)}-{_d(rng, 4)}",
            f"{_L(rng, 5)}{_d(rng, 6)}{_L(rng, 2)}9{_L(rng, 2)}",
            f"{_L(rng, 1)}{_d(rng, 7)}",
            _d(rng, 9),
            f"{_L(rng, 2)}{_d(rng, 2)} {_d(rng, 11)}",
        ]
    )


def plate(rng):
    return rng.choice(
        [
            f"{_d(rng, 1)}{_L(rng, 3)}{_d(rng, 3)}",
            f"{_L(rng, 2)}{_d(rng, 2)} {_L(rng, 3)}",
            f"{_d(rng, 3)}-{rng.choice(['D', 'KY', 'G', 'C', 'MO'])}-{_d(rng, 4)}",
            f"{_L(rng, 3)}-{_d(rng, 3)}",
            f"{_L(rng, 3)}{_d(rng, 3)}",
            f"{rng.choice(['MH', 'KA', 'KL', 'TN', 'DL'])} {_d(rng, 2)} {_L(rng, 2)} {_d(rng, 4)}",
            f"CA {_d(rng, 3)}-{_d(rng, 3)}",
            f"S{_L(rng, 2)} {_d(rng, 4)} {_L(rng, 1)}",
            f"{_L(rng, 4)} {_d(rng, 3)}",
        ]
    )


def vin(rng):
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(17))


def serial(rng):
    return rng.choice(
        [
            f"{_L(rng, 3)}{_d(rng, 6)}{_L(rng, 1)}",
            f"{_d(rng, 2)}{_L(rng, 1)}{_d(rng, 5)}",
            f"{_L(rng, 2)}-{_d(rng, 4)}-{_L(rng, 1)}{_d(rng, 3)}",
            _d(rng, 10),
        ]
    )


def ip(rng):
    return rng.choice(
        [
            f"203.0.113.{rng.randint(2, 254)}",
            f"198.51.100.{rng.randint(2, 254)}",
            f"192.0.2.{rng.randint(2, 254)}",
            f"2001:db8:{rng.randint(1, 9999):x}::{rng.randint(1, 999):x}",
        ]
    )


def code(rng):
    return rng.choice(
        [f"{_L(rng, 2)}{_d(rng, 6)}", f"{_d(rng, 2)}-{_d(rng, 5)}", f"{_L(rng, 1)}{_d(rng, 4)}{_L(rng, 2)}", _d(rng, 7)]
    )


def age(rng):
    return str(rng.randint(19, 88))


def kidage(rng):
    return str(rng.randint(2, 14))


def build(rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    kid = rng.choice(FIRST)
    f2, l2 = rng.choice(FIRST), rng.choice(LAST)
    town = rng.choice(TOWNS)
    return {
        "N": f"{first} {last}",
        "F": first,
        "L": last,
        "I": f"{first[0]}.{last[0]}.",
        "K": kid,
        "N2": f"{f2} {l2}",
        "F2": f2,
        "T": town,
        "T2": rng.choice([t for t in TOWNS if t != town]),
        "ST": f"{rng.randint(2, 140)} {rng.choice(STREETS)}",
        "D": date(rng),
        "WD": wkday(rng),
        "PH": phone(rng),
        "FX": fax(rng),
        "SSN": ssn(rng),
        "MRN": mrn(rng),
        "HP": hp(rng),
        "ACC": acc(rng),
        "LIC": lic(rng),
        "PL": plate(rng),
        "VIN": vin(rng),
        "SER": serial(rng),
        "IP": ip(rng),
        "CODE": code(rng),
        "AGE": age(rng),
        "KAGE": kidage(rng),
        "n": str(rng.randint(2, 40)),
        "BED": str(rng.randint(1, 36)),
        "EM": rng.choice(
            [
                f"{first.lower()}.{last.lower().replace(' ', '').replace(chr(39), '')}{_d(rng, 2)}@gmail.com",
                f"{first[0].lower()}{last.lower().replace(' ', '').replace(chr(39), '')}@outlook.com",
                f"{first.lower()}{_d(rng, 4)}@yahoo.co.in",
                f"{last.lower().replace(' ', '').replace(chr(39), '')}.family@bigpond.com",
                f"{first.lower()}_{last[0].lower()}@hotmail.co.uk",
                f"{first.lower()}{last[0].lower()}@xtra.co.nz",
            ]
        ),
        "SLUG": f"{first.lower()}-{last.lower().replace(' ', '-').replace(chr(39), '')}",
        "HANDLE": rng.choice(
            [
                f"{first.lower()}_{last.lower().replace(' ', '').replace(chr(39), '')}",
                f"{first.lower()}{_d(rng, 2)}",
                f"the{last.lower().replace(' ', '').replace(chr(39), '')}s",
                f"{first.lower()}.{last[0].lower()}.runs",
            ]
        ),
    }


SLOT = re.compile(r"\{([A-Za-z0-9]+)\}")


def render(template, rng):
    values = build(rng)
    return SLOT.sub(lambda m: values[m.group(1)], template)


EMOJI = ["🙏", "💙", "😭", "🥹", "💪", "❤️", "😮‍💨", "🩺", "✨", "🤞"]
TAGS = [
    "#nursing",
    "#nurselife",
    "#medtwitter",
    "#FOAMed",
    "#ruralGP",
    "#paramedic",
    "#pharmacist",
    "#physio",
    "#dentist",
    "#NHS",
    "#meded",
    "#ICU",
    "#EM",
    "#nightshift",
    "#studentnurse",
    "#HSE",
    "#ausmed",
    "#nursesofinstagram",
]
PLATFORMS = ["x", "linkedin", "instagram", "tiktok", "threads", "bluesky", "reddit", "blog"]


def restyle(text, variant, rng):
    """Vary casing, emoji and hashtags between the renderings of one family."""
    if variant == 1:
        if rng.random() < 0.5:
            text = text.lower()
        if rng.random() < 0.6:
            text = text + " " + rng.choice(EMOJI)
    elif variant == 2:
        if rng.random() < 0.7:
            text = text + "\n\n" + " ".join(rng.sample(TAGS, rng.randint(1, 3)))
        if rng.random() < 0.3:
            head = text if text[:2].isupper() else text[0].lower() + text[1:]
            text = rng.choice(["ok so ", "Not gonna lie, ", "honestly ", "Update: ", "Quick one. "]) + head
    elif variant == 3:
        opener = rng.choice(
            [
                "From tonight's shift: ",
                "Thread 🧵 ",
                "Reflective practice post. ",
                "Can't sleep. ",
                "Story time: ",
                "Weekly roundup — ",
                "(long day) ",
                "Small win: ",
                "Not medical advice, just a story: ",
            ]
        )
        head = text if text[:2].isupper() else text[0].lower() + text[1:]
        text = opener + head
        if rng.random() < 0.5:
            text = text + " " + rng.choice(TAGS)
    return text
