"""Screening parties against the Consolidated Screening List: normalisation, hits, non-hits, evidence."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from classifier import screening
from classifier.corpus import Corpus
from classifier.facts import Facts
from classifier.rules import parties
from classifier.screening.matcher import token_similarity
from classifier.screening.names import decode_key, encode_key, name_key
from training.csl_formats import list_code, read_csl

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def screener() -> screening.Screener:
    return screening.load()


def best(screener: screening.Screener, name: str, **kw: str) -> screening.Match:
    result = screener.screen(name, **kw)
    assert result.matches, f"{name!r} matched nothing"
    return result.matches[0]


# -- normalisation ---------------------------------------------------------------------------------------
def test_legal_forms_are_set_aside_and_spellings_of_one_class_agree() -> None:
    limited = name_key("Beijing Aeronautical Technology Co., Ltd.")
    llc = name_key("Aeronautical Technology Beijing Limited Liability Company")
    assert limited.tokens == ("beijing", "aeronautical", "technology")
    assert set(llc.tokens) == set(limited.tokens)
    assert limited.legal == llc.legal == {"LLC"}


def test_cyrillic_names_and_their_legal_forms_are_transliterated() -> None:
    key = name_key("Общество с ограниченной ответственностью Ромашка")
    assert key.tokens == ("romashka",) and key.legal == {"LLC"}


def test_stopwords_are_marked_and_keys_survive_the_built_form() -> None:
    key = name_key("The 54th Research Institute of CETC")
    assert [key.tokens[i] for i in key.stop] == ["of"]
    assert decode_key(key.text, encode_key(key)) == key


def test_token_similarity_allows_typos_and_abbreviations_but_not_other_numbers() -> None:
    assert token_similarity("lukoil", "lukoil") == 1.0
    assert 0.8 <= token_similarity("strommashina", "stromashina") < 1.0
    assert token_similarity("comp", "company") == pytest.approx(0.8)
    assert token_similarity("54th", "55th") == 0.0
    assert token_similarity("and", "andersen") == 0.0  # a three-letter prefix is no abbreviation


# -- hits ---------------------------------------------------------------------------------------------
def test_an_entity_list_party_is_found_with_another_legal_form_and_word_order(screener: screening.Screener) -> None:
    match = best(screener, "Daotong Intelligent Aviation Technology Shenzhen Limited Liability Company")
    assert match.name == "Shenzhen Daotong Intelligent Aviation Technology Co., Ltd." and match.list == "EL"
    assert 0.9 <= match.score < 1.0  # reordered: close, but not the same name
    assert "744.11" in match.license_requirement and match.license_policy.startswith("Presumption of denial")
    assert match.federal_register and match.country == "CN" and "744.11" in match.citation


def test_the_same_name_scores_one_and_every_variant_less(screener: screening.Screener) -> None:
    exact = best(screener, "Shenzhen Daotong Intelligent Aviation Technology Co., Ltd.").score
    typo = best(screener, "Shenzhen Daotong Inteligent Aviation Technology Co., Ltd.").score
    other_form = best(screener, "Shenzhen Daotong Intelligent Aviation Technology S.A.").score
    assert exact == 1.0 and typo < 1.0 and other_form < 1.0


def test_an_abbreviated_and_a_glued_name_are_found(screener: screening.Screener) -> None:
    assert "LUKOIL" in best(screener, "LUKOIL OIL COMP").name
    assert "LUKOIL" in best(screener, "LUK OIL").name.upper()


def test_aliases_match_and_say_which_alias(screener: screening.Screener) -> None:
    match = best(screener, "Autel Robotics")
    assert match.name == "Shenzhen Daotong Intelligent Aviation Technology Co., Ltd."
    assert match.matched_alias == "Autel Robotics"


def test_a_name_written_in_cyrillic_finds_its_latin_entry(screener: screening.Screener) -> None:
    assert "ROSNEFT" in best(screener, "Роснефть").name.upper()


def test_a_party_listed_in_another_country_scores_lower(screener: screening.Screener) -> None:
    name = "Shenzhen Daotong Intelligent Aviation Technology Co., Ltd."
    assert best(screener, name, country="China").score == 1.0
    elsewhere = screener.screen(name, country="Germany", threshold=0.5).matches[0]
    assert elsewhere.score == pytest.approx(0.85)


def test_the_country_can_be_read_from_an_address(screener: screening.Screener) -> None:
    result = screener.screen("Autel Robotics", address="Xili Street, Nanshan District, Shenzhen, China")
    assert result.country == "China"


def test_unverified_list_denied_persons_and_meu_hits_carry_their_legal_basis(screener: screening.Screener) -> None:
    assert "744.15" in best(screener, "Piricas Trading Company").citation
    assert "736.2(b)(4)" in best(screener, "Kal Tek Labs").citation
    assert "744.21" in best(screener, "AECC Aviation Power Co. Ltd.").citation


# -- non-hits -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["Maple Leaf Home Goods Ltd.", "Henderson Plumbing LLC", "Riverside Dental Clinic", "Technology Corp", "Global Co"],
)
def test_ordinary_and_generic_names_match_nothing(screener: screening.Screener, name: str) -> None:
    assert screener.screen(name).matches == []


def test_a_shared_generic_word_does_not_make_a_match(screener: screening.Screener) -> None:
    result = screener.screen("Sunrise Aviation Technology Co., Ltd.", threshold=0.0)
    assert all(m.score < screening.THRESHOLD for m in result.matches)


def test_an_empty_or_absurd_name_is_refused_with_a_reason(screener: screening.Screener) -> None:
    with pytest.raises(screening.ScreeningInputError, match="name"):
        screener.screen("  ")
    with pytest.raises(screening.ScreeningInputError, match="characters"):
        screener.screen("x" * 400)
    with pytest.raises(screening.ScreeningInputError, match="Unknown destination"):
        screener.screen("Autel Robotics", country="Atlantis")


# -- the finding where parties are named --------------------------------------------------------------
def test_a_named_end_user_and_consignee_each_get_a_screening_finding(corpus: Corpus) -> None:
    facts = Facts("drone", end_user="Autel Robotics", extra={"consignee": "Maple Leaf Home Goods Ltd."})
    end_user, consignee = parties.evaluate(facts, corpus, corpus.country_table.resolve("China"))
    assert end_user.rule == "screening" and end_user.triggered and "Entity List" in end_user.outcome
    assert end_user.facts["matches"][0]["list"] == "EL" and end_user.facts["list_date"] == "2026-07-31"
    assert not consignee.triggered and "no match" in consignee.outcome and "2026-07-31" in consignee.outcome


def test_without_the_list_a_party_is_not_screened_and_says_so(tmp_path: Path) -> None:
    (finding,) = parties.evaluate(Facts("drone", end_user="Autel Robotics"), Corpus(tmp_path), None)
    assert finding.triggered and "not screened" in finding.outcome and "build_screening" in finding.outcome


def test_no_named_party_no_screening_finding(corpus: Corpus) -> None:
    assert parties.evaluate(Facts("drone"), corpus, None) == []


# -- the list and its formats --------------------------------------------------------------------------
def test_the_list_is_in_the_manifest_with_its_date_and_hash(corpus: Corpus, screener: screening.Screener) -> None:
    source = next(s for s in corpus.manifest["sources"] if s["id"] == "screening_list")
    assert source["edition"] == screener.list_date == "2026-07-31" and len(source["sha256"]) == 64
    assert corpus.manifest["files"]["screening.json"] and len(screener.list.parties) == 25_921


def test_official_json_and_csv_downloads_read_to_the_same_parties(tmp_path: Path) -> None:
    record = {
        "name": "Example Aero Works Co., Ltd.",
        "alt_names": ["Example Aero"],
        "addresses": [{"address": "1 Road", "city": "Xi'an", "country": "CN"}],
        "source": "Entity List (EL) - Bureau of Industry and Security",
        "programs": [],
        "license_requirement": "For all items subject to the EAR. (See §744.11 of the EAR)",
        "license_policy": "Presumption of denial.",
        "federal_register_notice": "90 FR 1",
        "start_date": "2025-01-01",
        "source_list_url": "https://www.bis.gov/",
    }
    (tmp_path / "consolidated.json").write_text(json.dumps({"results": [record]}), encoding="utf-8")
    header = "name,alt_names,addresses,source,license_requirement,license_policy,federal_register_notice\n"
    row = (
        '"Example Aero Works Co., Ltd.",Example Aero,"1 Road, Xi\'an, CN",'
        '"Entity List (EL) - Bureau of Industry and Security","For all items subject to the EAR.",'
        '"Presumption of denial.",90 FR 1\n'
    )
    (tmp_path / "consolidated.csv").write_text(header + row, encoding="utf-8")
    from_json, _ = read_csl(tmp_path / "consolidated.json")
    from_csv, _ = read_csl(tmp_path / "consolidated.csv")
    for parsed in (from_json[0], from_csv[0]):
        assert parsed["name"] == "Example Aero Works Co., Ltd." and parsed["alt_names"] == ["Example Aero"]
        assert parsed["countries"] == ["CN"] and list_code(parsed["source"]) == "EL"


def test_a_file_that_is_not_the_list_is_refused(tmp_path: Path) -> None:
    from training.xml_text import SourceError

    (tmp_path / "x.json").write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(SourceError, match="consolidated JSON"):
        read_csl(tmp_path / "x.json")


def test_cli_screen_prints_json_with_the_list_date() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "classifier", "screen", "Autel Robotics", "--country", "CN", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    assert data["list_date"] == "2026-07-31" and data["matches"][0]["list"] == "EL"
    keys = {"name", "matched_alias", "list", "score", "country", "license_requirement", "license_policy"}
    assert keys | {"federal_register", "source_url"} <= set(data["matches"][0])


def test_one_command_refreshes_the_list_from_a_download_and_records_it(tmp_path: Path) -> None:
    from training import build_screening

    corpus_dir = tmp_path / "corpus"
    (corpus_dir / "sources").mkdir(parents=True)
    (corpus_dir / "rules").mkdir()
    for name in ("sources/sources.json", "MANIFEST.json", "rules/screening_lists.json", "countries.json"):
        (corpus_dir / name).write_text((ROOT / "corpus" / name).read_text(encoding="utf-8"), encoding="utf-8")
    download = tmp_path / "consolidated.json"
    record = {"name": "Example Aero Works Co., Ltd.", "source": "Entity List (EL) - Bureau of Industry and Security"}
    download.write_text(json.dumps([record]), encoding="utf-8")
    counts, date, note = build_screening.refresh(download, "2026-12-01", corpus_dir)
    assert counts["parties"] == 1 and date == "2026-12-01" and note == ""
    manifest = json.loads((corpus_dir / "MANIFEST.json").read_text(encoding="utf-8"))
    source = next(s for s in manifest["sources"] if s["id"] == "screening_list")
    assert source["edition"] == "2026-12-01" and source["file"] == "csl/consolidated.json"
    refreshed = screening.Screener(screening.read_list(corpus_dir))
    assert refreshed.list_date == "2026-12-01"
    assert refreshed.screen("Example Aero Works Limited").matches[0].list == "EL"
