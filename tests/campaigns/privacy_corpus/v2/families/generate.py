"""Render the v2 post families into ../pool/*.jsonl (stdlib only).

Each family is one hand-written post with slots for invented names, places and identifiers; it is
rendered three times (different fillers, platform and styling). The family tag in each record's
note ("[f012]") lets split.py keep a family's renderings in the same half.
"""

import importlib.util
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _fill import PLATFORMS, render, restyle  # noqa: E402

RENDERINGS = 4


def main():
    number = 0
    family_no = 0
    for path in sorted(HERE.glob("[a-z][0-9]_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out = []
        for family in module.FAMILIES:
            family_no += 1
            first, extra, template, note = family[:4]
            platform = family[4] if len(family) > 4 else None
            cats = [first, *extra] if first else []
            seen = set()
            for variant in range(getattr(module, "RENDERINGS", RENDERINGS)):
                rng = random.Random(f"v2-{family_no}-{variant}")
                text = restyle(render(template, rng), variant, rng)
                tries = 0
                while text in seen:
                    tries += 1
                    text = restyle(render(template, rng), (variant + tries) % 4, rng)
                    if tries > 50:
                        raise SystemExit(f"family {family_no}: cannot vary {template[:40]!r}")
                seen.add(text)
                number += 1
                out.append(
                    {
                        "id": f"q{number:04d}",
                        "text": text,
                        "platform": platform or rng.choice(PLATFORMS),
                        "identifies_patient": bool(cats),
                        "categories": cats,
                        "note": f"{note} [f{family_no:03d}]",
                    }
                )
        with (HERE.parent / "pool" / f"{path.stem}.jsonl").open("w", encoding="utf-8") as handle:
            for record in out:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(path.stem, len(out))


if __name__ == "__main__":
    main()
