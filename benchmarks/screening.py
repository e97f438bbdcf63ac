"""Measure name screening: ``python -m benchmarks.screening [--parties 600] [--ordinary 3000] [--markdown]``.

- **Recall** on variants generated from listed names (seeded, reproducible): a typo in one word, the legal
  form dropped or changed, the words reordered, a transliterated spelling (Cyrillic for parties in
  Cyrillic-writing countries, other romanisations elsewhere), and an alias written as a user would. A
  variant is found when a party with the source party's name is among the matches at the threshold.
- **False hits** on ordinary company names that are not listed, generated from word lists (surname or
  place, trade, legal form): the share with any match at the threshold.
- **Time per name** over the whole list (mean and 95th percentile), and 10,000 names end to end.

The table over thresholds is what ``screener.THRESHOLD`` was chosen from. ``--logic-v2`` scores the same
blocked candidates with OpenSanctions' nomenklatura ``logic-v2`` matcher instead of ours (it needs
``pip install nomenklatura``, which the product does not depend on), for comparison.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import defaultdict

from classifier.screening import THRESHOLD, Screener, load
from classifier.screening.lists import Party
from classifier.screening.names import name_key

THRESHOLDS = (0.70, 0.75, 0.80, 0.85, 0.90, 0.95)
KINDS = ("typo", "legal form", "word order", "transliteration", "alias")
CYRILLIC_COUNTRIES = {"RU", "BY", "UA", "KZ", "KG", "TJ", "BG", "RS", "MK", "MN"}
LEGAL_FORMS = ("Ltd", "LLC", "Co., Ltd.", "GmbH", "S.A.", "Limited", "Inc.", "JSC", "OOO", "Corp.", "")
LATIN_TO_CYRILLIC = (
    ("shch", "щ"), ("kh", "х"), ("zh", "ж"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("ya", "я"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "й"),
    ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"),
    ("u", "у"), ("f", "ф"), ("c", "к"), ("h", "х"), ("w", "в"), ("x", "кс"), ("j", "дж"), ("q", "к"),
)  # fmt: skip
ROMANISATIONS = (
    ("kh", "h"), ("ya", "ia"), ("yu", "iu"), ("iy", "ii"), ("ei", "ey"), ("ou", "u"), ("ee", "i"),
    ("sh", "sch"), ("ts", "tz"), ("y", "i"), ("dj", "j"), ("q", "k"), ("w", "v"),
)  # fmt: skip

SURNAMES = (
    "Henderson", "Whitaker", "Okafor", "Lindqvist", "Moreau", "Castellano", "Nakamura", "Kowalski", "Brennan",
    "Fischer", "Haddad", "Johansson", "Oliveira", "Rossi", "Schneider", "Tanaka", "Van Dijk", "Walsh", "Dubois",
    "Novak", "Gallagher", "Andersen", "Ferreira", "Martens", "Sullivan", "Keller", "Lambert", "Ortega", "Pereira",
    "Hughes", "Baxter", "Delgado", "Eriksen", "Fontaine", "Greco", "Holm", "Ivers", "Jensen", "Kerr", "Lowe",
)  # fmt: skip
PLACES = (
    "Maple", "Riverside", "Lakeview", "Northgate", "Harbor", "Summit", "Oakwood", "Bayside", "Cedar", "Highland",
    "Westfield", "Silver Creek", "Pine Valley", "Greenfield", "Stonebridge", "Brookside", "Fairview", "Kingsway",
    "Meadow", "Clearwater", "Redwood", "Willow", "Ashford", "Elmhurst", "Hillcrest", "Seaview", "Sunnyvale",
)  # fmt: skip
ADJECTIVES = ("Fresh", "Golden", "Blue", "United", "First", "Modern", "Quality", "Premier", "Royal", "Green", "Bright")
TRADES = (
    "Bakery", "Plumbing", "Dental Clinic", "Hardware", "Landscaping", "Bookstore", "Coffee Roasters", "Auto Repair",
    "Florist", "Veterinary Clinic", "Printing", "Catering", "Furniture", "Pet Supplies", "Fitness Studio", "Optical",
    "Tailoring", "Cleaning Services", "Roofing", "Photography", "Accounting", "Logistics", "Trading", "Electronics",
    "Software", "Textiles", "Packaging", "Foods", "Engineering", "Consulting", "Machinery", "Imports",
    "Medical Supplies", "Farms", "Dairy", "Brewing", "Pharmacy", "Construction", "Marine Services", "Solar",
)  # fmt: skip
ORDINARY_FORMS = ("Ltd", "LLC", "Inc.", "GmbH", "S.A.", "Co., Ltd.", "Limited", "Pty Ltd", "B.V.", "S.r.l.", "AB", "")


# -- variants of listed names ---------------------------------------------------------------------------
def typo(name: str, rng: random.Random) -> str | None:
    words = name.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long_words:
        return None
    i = rng.choice(long_words)
    word = words[i]
    at = rng.randrange(1, len(word) - 1)
    edit = rng.choice(("substitute", "delete", "swap", "double"))
    if edit == "substitute":
        letter = rng.choice("aeioulnrst".replace(word[at].lower(), ""))
        word = word[:at] + (letter.upper() if word[at].isupper() else letter) + word[at + 1 :]
    elif edit == "delete":
        word = word[:at] + word[at + 1 :]
    elif edit == "swap":
        word = word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
    else:
        word = word[:at] + word[at] + word[at:]
    words[i] = word
    return " ".join(words)


def legal_form(name: str, rng: random.Random) -> str | None:
    key = name_key(name)
    if not key.tokens:
        return None
    proper = " ".join(t.capitalize() for t in key.tokens)
    forms = [f for f in LEGAL_FORMS if name_key(f"X {f}").legal != key.legal or not f]
    return f"{proper} {rng.choice(forms)}".strip()


def word_order(name: str, rng: random.Random) -> str | None:
    tokens = list(name_key(name).tokens)
    if len(tokens) < 2:
        return None
    k = rng.randrange(1, len(tokens))
    return " ".join(tokens[k:] + tokens[:k]).upper()


def transliteration(name: str, rng: random.Random, cyrillic: bool) -> str | None:
    text = " ".join(name_key(name).tokens)
    if cyrillic:
        out = text
        for latin, cyr in LATIN_TO_CYRILLIC:
            out = out.replace(latin, cyr)
        return out.upper() if out != text else None
    applicable = [(a, b) for a, b in ROMANISATIONS if a in text]
    if not applicable:
        return None
    a, b = rng.choice(applicable)
    return text.replace(a, b, 1).title()


def alias(party: Party, rng: random.Random) -> str | None:
    others = [a for a in party.aliases if a != party.name and name_key(a).tokens]
    if not others:
        return None
    chosen = rng.choice(others)
    return chosen.replace(",", "").replace(".", "").title()


def variants(screener: Screener, count: int, seed: int) -> list[tuple[str, str, int]]:
    """(kind, query, party index) for ``count`` sampled parties (vessels left out: they are not end users)."""
    rng = random.Random(seed)
    parties = screener.list.parties
    eligible = [i for i, p in enumerate(parties) if p.type != "Vessel" and name_key(p.name).tokens]
    out = []
    for i in rng.sample(eligible, min(count, len(eligible))):
        party = parties[i]
        cyrillic = bool(CYRILLIC_COUNTRIES & set(party.countries))
        made = {
            "typo": typo(party.name, rng),
            "legal form": legal_form(party.name, rng),
            "word order": word_order(party.name, rng),
            "transliteration": transliteration(party.name, rng, cyrillic),
            "alias": alias(party, rng),
        }
        for kind, query in made.items():
            if query and query != party.name:
                out.append((kind, query, i))
    return out


def ordinary_names(screener: Screener, count: int, seed: int) -> list[str]:
    """Ordinary company names, none of them listed (checked against every listed compare key)."""
    rng = random.Random(seed)
    listed = {k.tokens for k in screener.index.keys}
    names: dict[str, None] = {}
    while len(names) < count:
        pattern = rng.randrange(4)
        trade, form = rng.choice(TRADES), rng.choice(ORDINARY_FORMS)
        if pattern == 0:
            name = f"{rng.choice(SURNAMES)} {trade} {form}"
        elif pattern == 1:
            name = f"{rng.choice(PLACES)} {trade} {form}"
        elif pattern == 2:
            name = f"{rng.choice(SURNAMES)} & {rng.choice(SURNAMES)} {form}"
        else:
            name = f"{rng.choice(PLACES)} {rng.choice(ADJECTIVES)} {trade} {form}"
        name = name.strip()
        if name_key(name).tokens not in listed:
            names[name] = None
    return list(names)


# -- measuring --------------------------------------------------------------------------------------------
def found(screener: Screener, scores: dict[str, float], party: int, threshold: float) -> bool:
    target = screener.list.parties[party].name.casefold()
    return any(s >= threshold and name == target for name, s in scores.items())


def best_scores(screener: Screener, query: str) -> dict[str, float]:
    """Each matching party name's best score down to 0.5 (one screening serves every threshold)."""
    scores: dict[str, float] = {}
    for m in screener.screen(query, threshold=0.5, limit=50).matches:
        key = m.name.casefold()
        scores[key] = max(scores.get(key, 0.0), m.score)
    return scores


class LogicV2:
    """nomenklatura's logic-v2 over our blocked candidates: the same question, OpenSanctions' scorer."""

    def __init__(self, screener: Screener) -> None:
        from followthemoney import model
        from nomenklatura.matching import LogicV2 as Algorithm
        from nomenklatura.matching.types import ScoringConfig

        self.screener, self.model, self.algorithm = screener, model, Algorithm
        self.config = ScoringConfig.defaults()
        self.entities: dict[int, object] = {}
        self.queries = 0

    def _entity(self, key: str, name: str) -> object:
        entity = self.model.make_entity("Organization")
        entity.id = key  # nomenklatura caches name analysis by entity id
        entity.add("name", name)
        return entity

    def __call__(self, query: str) -> dict[str, float]:
        self.queries += 1
        probe = self._entity(f"q{self.queries}", query)
        scores: dict[str, float] = {}
        for i in self.screener.index.candidates(name_key(query)):
            if i not in self.entities:
                self.entities[i] = self._entity(f"n{i}", self.screener.names[i])
            score = self.algorithm.compare(probe, self.entities[i], self.config).score
            name = self.screener.list.parties[self.screener.owners[i]].name.casefold()
            if score >= 0.5:
                scores[name] = max(scores.get(name, 0.0), score)
        return scores


def run(parties: int, ordinary: int, seed: int, logic_v2: bool = False) -> dict[str, object]:
    started = time.perf_counter()
    screener = load()
    load_s = time.perf_counter() - started
    tests = variants(screener, parties, seed)
    plain = ordinary_names(screener, ordinary, seed)
    scorer = LogicV2(screener) if logic_v2 else (lambda q: best_scores(screener, q))
    variant_scores = [(kind, scorer(q), i) for kind, q, i in tests]
    ordinary_scores = [scorer(q) for q in plain]
    table = []
    for t in THRESHOLDS:
        by_kind: dict[str, list[bool]] = defaultdict(list)
        for kind, scores, i in variant_scores:
            by_kind[kind].append(found(screener, scores, i, t))
        row: dict[str, float] = {k: sum(v) / len(v) for k, v in by_kind.items()}
        row["all variants"] = sum(sum(v) for v in by_kind.values()) / sum(len(v) for v in by_kind.values())
        row["false hit count"] = sum(any(s >= t for s in scores.values()) for scores in ordinary_scores)
        row["false hits"] = row["false hit count"] / len(plain)
        table.append((t, row))
    queries = [q for _, q, _ in tests] + plain
    times = []
    for q in queries:
        t0 = time.perf_counter()
        scorer(q) if logic_v2 else screener.screen(q)
        times.append(time.perf_counter() - t0)
    if logic_v2:  # too slow to run 10,000 names: estimated from the mean
        ten_thousand = statistics.mean(times) * 10_000
    else:
        batch = (queries * (10_000 // len(queries) + 1))[:10_000]
        t0 = time.perf_counter()
        for q in batch:
            screener.screen(q)
        ten_thousand = time.perf_counter() - t0
    return {
        "list": f"{len(screener.list.parties):,} parties, {len(screener.names):,} names, list of {screener.list_date}",
        "variants": {k: sum(1 for kind, _, _ in tests if kind == k) for k in KINDS},
        "ordinary": len(plain),
        "table": table,
        "mean_ms": statistics.mean(times) * 1000,
        "p95_ms": sorted(times)[int(0.95 * len(times))] * 1000,
        "ten_thousand_s": ten_thousand,
        "load_s": load_s,
        "scorer": "nomenklatura logic-v2 over the same candidates" if logic_v2 else "classifier.screening",
    }


def render(result: dict[str, object], markdown: bool) -> str:
    table = result["table"]
    assert isinstance(table, list)
    header = ["threshold", *KINDS, "all variants", "false hits"]
    lines = [
        f"Scorer: {result['scorer']}",
        f"List: {result['list']}",
        f"Variants: {result['variants']}; ordinary names: {result['ordinary']}",
        "",
    ]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for t, row in table:
        mark = " (chosen)" if abs(t - THRESHOLD) < 1e-9 else ""
        cells = [f"{t:.2f}{mark}", *(f"{row.get(k, 0):.3f}" for k in header[1:-1])]
        cells.append(f"{row['false hits']:.4f} ({row['false hit count']:.0f})")
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Time per name at {THRESHOLD:.2f}: mean {result['mean_ms']:.1f} ms, "
        f"95th percentile {result['p95_ms']:.1f} ms; 10,000 names in {result['ten_thousand_s']:.1f} s; "
        f"list loaded in {result['load_s']:.1f} s",
    ]
    text = "\n".join(lines)
    return text if markdown else text.replace("|---", "----")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.screening", description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=600, help="listed parties to make variants of (default 600)")
    parser.add_argument("--ordinary", type=int, default=3000, help="ordinary company names (default 3000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--logic-v2", action="store_true", help="score with nomenklatura's logic-v2 (installed apart)")
    args = parser.parse_args(argv)
    print(render(run(args.parties, args.ordinary, args.seed, args.logic_v2), args.markdown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
