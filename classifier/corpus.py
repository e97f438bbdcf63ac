"""The embedded regulation, read from ``corpus/`` (built by ``python -m training.build_corpus``).

Everything the product knows about the CCL comes through here: entries, paragraphs with their
ancestors and notes, which Control(s) rows apply to a paragraph, the MTCR Annex, the supplements and
the manifest (edition, source hashes). Nothing here restates the regulation; it only reads the JSON.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from classifier.conditions import ConditionBook
from classifier.countries import Countries
from classifier.eccn import ECCN, MAX_LENGTH, InvalidECCN
from classifier.integrity import IntegrityError, read_verified

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "corpus"
REBUILD = "rebuild the corpus with `python -m training.build_corpus`"


def _ids(texts: list[str]) -> list[ECCN]:
    return [ECCN.parse(t) for t in texts if ECCN.is_valid(t)]


class CorpusError(RuntimeError):
    """The corpus folder is missing, incomplete or changed since its build; says which file and how to rebuild it."""


class UnknownId(KeyError):
    """An ECCN or paragraph id that is not in the CCL; carries the nearest real ids."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        shown = repr(text) if len(text) <= MAX_LENGTH else f"{text[:20]!r}… ({len(text):,} characters)"
        super().__init__(f"{shown} is not an ECCN or paragraph in the CCL.{hint}")
        self.text, self.suggestions = text, suggestions

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Lookup:
    """An entry or one of its paragraphs, with what a reader needs around it."""

    id: ECCN
    entry: dict[str, Any]
    paragraph: dict[str, Any] | None
    ancestors: list[dict[str, Any]]
    children: list[dict[str, Any]]

    @property
    def is_entry(self) -> bool:
        return self.paragraph is None

    @property
    def text(self) -> str:
        if self.paragraph is None:
            return self.entry["heading"]
        return self.paragraph["text"]

    @property
    def notes(self) -> list[dict[str, str]]:
        if self.paragraph is None:
            return self.entry["technical_notes"] + self.entry["notes"]
        return list(self.paragraph["notes"])

    @property
    def itar_pointer(self) -> bool:
        """The entry says its items are "subject to the ITAR": they are on the USML, not classified on the CCL."""
        return bool(self.entry.get("itar_pointer"))

    @property
    def subject_to_itar(self) -> bool:
        own = self.paragraph["subject_to_itar"] if self.paragraph else False
        return bool(self.entry["subject_to_itar"] or own)


class Corpus:
    """Read-only access to the built corpus; files are loaded the first time they are needed."""

    def __init__(self, directory: Path | str = DEFAULT_DIR) -> None:
        self.directory = Path(directory)

    def _read(self, name: str) -> Any:
        """A corpus file, parsed once its sha256 matches the manifest's (the manifest itself is the root)."""
        path = self.directory / name
        try:
            if name == "MANIFEST.json":
                data = path.read_bytes()
            else:
                data = read_verified(path, self._recorded_sha256(name), str(self.directory / "MANIFEST.json"), REBUILD)
            parsed = json.loads(data.decode("utf-8"))
        except FileNotFoundError as err:
            raise CorpusError(f"{path} is missing; {REBUILD}.") from err
        except IntegrityError as err:
            raise CorpusError(str(err)) from err
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise CorpusError(f"{path} is not valid JSON ({err}); {REBUILD}.") from err
        except OSError as err:
            raise CorpusError(f"{path} cannot be read ({err.strerror}); {REBUILD}.") from err
        if not isinstance(parsed, dict):
            raise CorpusError(f"{path} does not hold a JSON object; {REBUILD}.")
        return parsed

    def verify(self) -> None:
        """Check every file the manifest lists and every rule table now, so that a changed file is refused
        when the classifier loads rather than in the middle of a request (CorpusError names the file)."""
        for name in self.manifest["files"]:
            path = self.directory / name
            try:
                read_verified(path, self._recorded_sha256(name), str(self.directory / "MANIFEST.json"), REBUILD)
            except FileNotFoundError as err:
                raise CorpusError(f"{path} is missing; {REBUILD}.") from err
            except IntegrityError as err:
                raise CorpusError(str(err)) from err
        _ = self._rule_tables

    def _recorded_sha256(self, name: str) -> object:
        if name.startswith("rules/"):
            return (self.manifest["rule_tables"].get(name) or {}).get("sha256")
        return self.manifest["files"].get(name)

    @cached_property
    def manifest(self) -> dict[str, Any]:
        manifest = self._read("MANIFEST.json")
        if not isinstance(manifest.get("files"), dict) or not isinstance(manifest.get("rule_tables"), dict):
            raise CorpusError(f"{self.directory / 'MANIFEST.json'} lists no file hashes; {REBUILD}.")
        return manifest  # type: ignore[no-any-return]

    @cached_property
    def ccl(self) -> dict[str, Any]:
        return self._read("ccl.json")  # type: ignore[no-any-return]

    @cached_property
    def mtcr_annex(self) -> dict[str, Any]:
        return self._read("mtcr_annex.json")  # type: ignore[no-any-return]

    @cached_property
    def supplements(self) -> list[dict[str, Any]]:
        return self._read("supplements_774.json")["supplements"]  # type: ignore[no-any-return]

    @cached_property
    def conditions(self) -> ConditionBook:
        """The deciding conditions of every paragraph and the words products use for them."""
        texts = {p["id"]: p["text"] for e in self.ccl["entries"] for p in e["paragraphs"]}
        return ConditionBook(self._read("conditions.json"), self.rule_table("parameters"), texts)

    @cached_property
    def countries(self) -> dict[str, Any]:
        return self._read("countries.json")  # type: ignore[no-any-return]

    @cached_property
    def supplement_2_part_744(self) -> dict[str, Any]:
        """Items subject to the § 744.21 military end-use rule (Supplement No. 2 to part 744)."""
        return self._read("supplement_2_part_744.json")  # type: ignore[no-any-return]

    def rule_table(self, name: str) -> dict[str, Any]:
        """A rule table from ``corpus/rules/`` (e.g. "de_minimis"), transcribed from the cited sources."""
        return self._rule_tables[name]

    @cached_property
    def _rule_tables(self) -> dict[str, dict[str, Any]]:
        """Every table in ``rules/``, each verified against the manifest (a table it does not list is refused)."""
        return {p.stem: self._read(f"rules/{p.name}") for p in sorted((self.directory / "rules").glob("*.json"))}

    @cached_property
    def country_table(self) -> Countries:
        return Countries(self.countries)

    @cached_property
    def entries(self) -> dict[str, dict[str, Any]]:
        return {e["eccn"]: e for e in self.ccl["entries"]}

    @cached_property
    def paragraphs(self) -> dict[str, dict[str, Any]]:
        return {p["id"]: p for e in self.ccl["entries"] for p in e["paragraphs"]}

    @property
    def edition(self) -> str:
        return str(self.manifest["edition"])

    def info(self) -> dict[str, Any]:
        """Edition, counts and sources, as ``corpus-info`` prints them."""
        m = self.manifest
        return {
            "edition": m["edition"],
            "eccns": m["counts"]["eccns"],
            "paragraphs": m["counts"]["paragraphs"],
            "counts": m["counts"],
            "crosscheck": m["crosscheck"],
            "built_at": m["built_at"],
            "sources": [
                {k: s[k] for k in ("id", "title", "edition", "file", "sha256", "origin") if k in s}
                | ({"edition_note": s["edition_note"]} if s.get("edition_note") else {})
                for s in m["sources"]
            ],
        }

    # -- lookups --------------------------------------------------------------------------------
    def all_ids(self) -> list[str]:
        return [*self.entries, *self.paragraphs]

    def nearest_ids(self, text: str, n: int = 5) -> list[str]:
        """Real ids close to ``text``: same-head ids first, then spelling neighbours (none for overlong text)."""
        if len(text) > MAX_LENGTH:
            return []
        try:
            wanted = str(ECCN.parse(text))
        except InvalidECCN:
            wanted = text.strip()
        ids = self.all_ids()
        known = set(ids)
        head = wanted[:5]
        parents = []
        if ECCN.is_valid(wanted):
            parents = [str(a) for a in reversed(ECCN.parse(wanted).ancestors) if str(a) in known][:1]
        prefix = sorted((i for i in ids if i.startswith(wanted.rsplit(".", 1)[0]) and i != wanted), key=len)
        close = difflib.get_close_matches(wanted, ids, n=n, cutoff=0.6)
        same_head = [i for i in close if i.startswith(head)]
        ordered = list(dict.fromkeys([*parents, *prefix[:n], *same_head, *close]))
        return ordered[:n]

    def lookup(self, text: str | ECCN) -> Lookup:
        """An ECCN or paragraph id (any spelling ECCN.parse accepts); UnknownId when it is not in the CCL."""
        try:
            eccn = ECCN.parse(text)
        except InvalidECCN as err:
            raise UnknownId(str(text), self.nearest_ids(str(text))) from err
        entry = self.entries.get(eccn.head)
        if entry is None or (eccn.path and str(eccn) not in self.paragraphs):
            raise UnknownId(str(text), self.nearest_ids(str(eccn)))
        paragraph = self.paragraphs.get(str(eccn)) if eccn.path else None
        ancestors = [self.paragraphs[str(a)] for a in eccn.ancestors if str(a) in self.paragraphs]
        return Lookup(eccn, entry, paragraph, ancestors, self._children.get(str(eccn), []))

    @cached_property
    def _children(self) -> dict[str, list[dict[str, Any]]]:
        """Paragraphs by their parent id (an entry's top-level paragraphs under the ECCN itself)."""
        children: dict[str, list[dict[str, Any]]] = {}
        for entry in self.ccl["entries"]:
            for p in entry["paragraphs"]:
                parent = ECCN.parse(p["id"]).parent
                children.setdefault(str(parent), []).append(p)
        return children

    def controls_for(self, text: str | ECCN, destination: str | None = None) -> list[dict[str, Any]]:
        """The Control(s) rows of the entry that cover this id ("NS applies to 4A003.b, .c" covers 4A003.b.1).

        Each row comes with ``partial`` (it covers only part of what was asked: an entry, or a paragraph
        whose sub-paragraphs it names) and ``condition`` (words a person must confirm: a scope stated in
        words, "except ... if being exported for use in ..."). Rows whose exceptions take the id out are
        left out. With a ``destination``, a condition that names other destinations only ("except to Russia
        for use in ... the ISS" asked for China) does not apply.
        """
        eccn = ECCN.parse(text)
        entry = self.entries[eccn.head]
        rows = []
        for row in entry["controls"]:
            named = [ECCN.parse(p) for p in row["paragraphs"] if ECCN.is_valid(p)]
            if eccn.path and any(eccn.is_descendant_of(p, strict=False) for p in _ids(row["except"])):
                continue
            if row["entire_entry"]:
                partial = not eccn.path and bool(row["except"] or row.get("except_if"))
            elif named and any(eccn.is_descendant_of(p, strict=False) for p in named):
                partial = False
            elif not named or any(p.is_descendant_of(eccn) for p in named):
                partial = True  # names deeper paragraphs only, or states its scope in words
            else:
                continue
            conditions = [row["conditions"]] if row.get("conditions") else []
            for item in row.get("except_if", []):
                ids = _ids(item["paragraphs"])
                if not ids or any(eccn.is_descendant_of(p, strict=False) or p.is_descendant_of(eccn) for p in ids):
                    mentioned = self.country_table.named_in(item["condition"]) if destination else []
                    if mentioned and destination not in mentioned:
                        continue
                    conditions.append(f"not if: {item['condition']}")
            rows.append(dict(row, partial=partial, condition="; ".join(conditions)))
        return rows

    def category_notes(self, entry: dict[str, Any]) -> list[dict[str, str]]:
        """Notes that govern a whole part of a category (Category 5 Part 2: the Cryptography Note)."""
        key = entry.get("category_notes_key", "")
        return list(self.ccl["category_notes"].get(key, [])) if key else []
