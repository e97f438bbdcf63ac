"""The embedded corpus, built from the official eCFR XML, is complete, faithful and dated."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from classifier.corpus import Corpus, UnknownId
from training.build_corpus import build

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"


def test_counts_cover_the_whole_ccl(corpus: Corpus) -> None:
    info = corpus.info()
    assert info["eccns"] >= 630
    assert info["paragraphs"] >= 3300
    assert set(info["counts"]["eccns_by_category"]) == set("0123456789")


def test_most_reference_paragraph_ids_are_found(corpus: Corpus) -> None:
    check = corpus.manifest["crosscheck"]
    assert check["reference_ids"] == 3420
    assert check["coverage"] >= 0.95


def test_manifest_hashes_match_the_committed_sources_and_files(corpus: Corpus) -> None:
    manifest = corpus.manifest
    for source in manifest["sources"]:
        data = (CORPUS_DIR / "sources" / source["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source["sha256"], source["id"]
        assert source["edition"]
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((CORPUS_DIR / name).read_bytes()).hexdigest() == digest, name


def test_the_mtcr_annex_source_is_marked_historical(corpus: Corpus) -> None:
    source = next(s for s in corpus.manifest["sources"] if s["id"] == "mtcr_annex")
    assert "HISTORICAL" in source["edition_note"] and "garbled" in source["edition_note"]


@pytest.mark.parametrize(
    ("paragraph", "words"),
    [
        ("5A002.a.1", "Items having “information security” as a primary function"),
        ("9A012.a.2", "maximum 'endurance' of 1 hour or greater"),
        ("3A090.a.1", "'total processing performance' of 4800 or more"),
        ("4A003.b", "exceeding 70 Weighted TeraFLOPS (WT)"),
    ],
)
def test_paragraph_text_is_the_regulation_text(corpus: Corpus, paragraph: str, words: str) -> None:
    assert words in corpus.lookup(paragraph).text


def test_ancestors_are_read_from_the_labels(corpus: Corpus) -> None:
    found = corpus.lookup("3A001.a.5.b.2")
    assert [a["id"] for a in found.ancestors] == ["3A001.a", "3A001.a.5", "3A001.a.5.b"]
    assert "Digital-to-Analog" in found.ancestors[-1]["text"]


def test_5a002_carries_ns_at_and_enc_and_the_cryptography_note(corpus: Corpus) -> None:
    entry = corpus.lookup("5A002").entry
    assert {"NS", "AT", "EI"} <= set(entry["reasons_for_control"])
    assert entry["license_exceptions"]["ENC"]["available"]
    notes = " ".join(n["text"] for n in corpus.category_notes(entry))
    assert "Cryptography Note" in notes
    decontrol = corpus.lookup("5A002.a").notes
    assert any("5A002.a does not control" in n["text"] for n in decontrol)


def test_ns_column_1_applies_only_to_the_named_paragraphs_of_4a003(corpus: Corpus) -> None:
    columns_b = {c for row in corpus.controls_for("4A003.b") for c in row["columns"]}
    columns_g = {c for row in corpus.controls_for("4A003.g") for c in row["columns"]}
    assert "NS 1" in columns_b and "NS 1" not in columns_g
    assert "NS 2" in columns_g and "AT 1" in columns_g


def test_excepted_paragraphs_lose_the_row(corpus: Corpus) -> None:
    reasons_y = {r for row in corpus.controls_for("0A501.y.1") for r in row["reasons"]}
    reasons_a = {r for row in corpus.controls_for("0A501.a") for r in row["reasons"]}
    assert "NS" in reasons_a and "NS" not in reasons_y and "AT" in reasons_y


def test_entries_pointing_to_the_itar_are_flagged(corpus: Corpus) -> None:
    assert corpus.lookup("0A002").subject_to_itar
    assert not corpus.lookup("5A002").subject_to_itar


def test_unknown_ids_suggest_real_neighbours(corpus: Corpus) -> None:
    with pytest.raises(UnknownId) as err:
        corpus.lookup("5A002.a.9")
    assert err.value.suggestions and err.value.suggestions[0] == "5A002.a"
    with pytest.raises(UnknownId):
        corpus.lookup("not an eccn")


def test_supplements_2_to_4_are_in_the_corpus(corpus: Corpus) -> None:
    numbers = {s["supplement"]: s for s in corpus.supplements}
    assert set(numbers) == {2, 3, 4}
    texts = " ".join(p["text"] for p in numbers[2]["paragraphs"])
    assert "General Technology Note" in texts and "General Software Note" in texts
    assert "Order of Review" in numbers[4]["title"]


def test_rebuilding_from_the_committed_sources_gives_the_committed_corpus(tmp_path: Path) -> None:
    shutil.copytree(CORPUS_DIR / "sources", tmp_path / "sources")
    shutil.copytree(CORPUS_DIR / "rules", tmp_path / "rules")  # hand-made tables are build inputs too
    manifest = build(tmp_path)
    committed = json.loads((CORPUS_DIR / "MANIFEST.json").read_text())
    assert manifest["files"] == committed["files"]
    assert manifest["counts"] == committed["counts"]


def test_rebuild_from_a_newer_download_records_its_edition(tmp_path: Path) -> None:
    shutil.copytree(CORPUS_DIR / "sources", tmp_path / "sources")
    shutil.copytree(CORPUS_DIR / "rules", tmp_path / "rules")  # hand-made tables are build inputs too
    newer = tmp_path / "download.xml"
    original = (CORPUS_DIR / "sources" / "ecfr-774-supp1" / "title-15-part-774-supp1.xml").read_text()
    newer.write_text(original.replace("Widgets", "Widgets"), encoding="utf-8")
    manifest = build(tmp_path, newer, "2026-12-01")
    assert manifest["edition"] == "2026-12-01"
    ccl_source = next(s for s in manifest["sources"] if s["id"] == "ccl")
    assert ccl_source["origin"].startswith("user-supplied")


def test_every_paragraph_id_is_unique(corpus: Corpus) -> None:
    ids = [p["id"] for e in corpus.ccl["entries"] for p in e["paragraphs"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == []


def test_lists_inside_related_controls_are_not_items(corpus: Corpus) -> None:
    # 1A008 Related Controls (1) lists a.-g. items "subject to the ITAR" before the real Items
    assert corpus.lookup("1A008.a").text.startswith("'Shaped charges'")
    assert "High explosives and related equipment" in corpus.lookup("1A008").entry["related_controls"]


def test_exclusion_lists_stay_with_their_note(corpus: Corpus) -> None:
    entry = corpus.lookup("1C240").entry
    assert corpus.lookup("1C240.a").text.startswith("Nickel powder having both")
    assert any("Filamentary nickel powders" in n["text"] for n in entry["technical_notes"])


def test_a_label_typo_in_the_source_still_gives_the_right_id(corpus: Corpus) -> None:
    # the eCFR prints "e.1. a 'Primary cells'" for paragraph 3A001.e.1.a
    assert corpus.lookup("3A001.e.1.a").text.startswith("'Primary cells'")


def test_a_use_condition_in_an_exception_does_not_remove_the_row(corpus: Corpus) -> None:
    rows = corpus.controls_for("3A001.b.2")
    ns1 = [r for r in rows if "NS 1" in r["columns"]]
    assert ns1 and "civil telecommunications" in ns1[0]["condition"]


def test_entries_without_a_license_requirements_heading_still_have_their_controls(corpus: Corpus) -> None:
    assert corpus.lookup("1C240").entry["controls"]
    assert {r for row in corpus.controls_for("0A981") for r in row["reasons"]} == {"CC"}
