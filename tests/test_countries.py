import pytest

from classifier.corpus import Corpus
from classifier.countries import UnknownCountry


@pytest.mark.parametrize("spelling", ["South Korea", "Korea, South", "KR", "kor", "Republic of Korea", "south korea "])
def test_common_spellings_and_iso_codes_find_one_row(corpus: Corpus, spelling: str) -> None:
    assert corpus.country_table.resolve(spelling).name == "Korea, South"


def test_hong_kong_is_governed_by_the_china_row(corpus: Corpus) -> None:
    assert corpus.country_table.resolve("Hong Kong").name == "China"
    assert corpus.country_table.resolve("HK").name == "China"


def test_country_groups_and_chart_marks(corpus: Corpus) -> None:
    china = corpus.country_table.resolve("China")
    assert china.in_group("D:5") and china.has_mark("NS 1") and not china.embargoed
    germany = corpus.country_table.resolve("DE")
    assert germany.in_group("A:2") and not germany.has_mark("NS 2") and germany.has_mark("NS 1")


def test_embargoed_destinations_point_to_part_746(corpus: Corpus) -> None:
    iran = corpus.country_table.resolve("Iran")
    assert iran.embargoed and "746" in iran.embargo_note and iran.in_group("E:1")
    assert corpus.country_table.resolve("Cuba").in_group("E:2")


def test_accented_and_renamed_countries(corpus: Corpus) -> None:
    assert corpus.country_table.resolve("Turkey").name == corpus.country_table.resolve("Türkiye").name
    assert corpus.country_table.resolve("Myanmar").name == "Burma"


def test_every_group_member_resolves(corpus: Corpus) -> None:
    # the United States is in groups A:1-A:4 and B but is not an export destination on the chart
    unresolved = corpus.countries["unresolved_group_members"]
    assert all(u.endswith("United States") for u in unresolved)


@pytest.mark.parametrize("bad", ["Atlantis", "", "ZZ"])
def test_unknown_countries_are_refused_with_suggestions(corpus: Corpus, bad: str) -> None:
    with pytest.raises(UnknownCountry) as err:
        corpus.country_table.resolve(bad)
    assert "ISO code" in str(err.value)


def test_a_near_miss_spelling_is_suggested(corpus: Corpus) -> None:
    with pytest.raises(UnknownCountry) as err:
        corpus.country_table.resolve("Germny")
    assert "Germany" in err.value.suggestions
