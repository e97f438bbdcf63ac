import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifier.eccn import ECCN, InvalidECCN


@pytest.mark.parametrize(
    ("loose", "canonical"),
    [
        ("5a992c", "5A992.c"),
        ("5A992.C", "5A992.c"),
        ("5A992 c", "5A992.c"),
        ("3a001a5b2", "3A001.a.5.b.2"),
        (" 3A001.a.5.b.2 ", "3A001.a.5.b.2"),
        ("EAR 99", "EAR99"),
        ("ear99", "EAR99"),
        ("EAR-99", "EAR99"),
        ("9A610.y.1", "9A610.y.1"),
    ],
)
def test_loose_spellings_normalize_to_one_form(loose: str, canonical: str) -> None:
    assert ECCN.normalize(loose) == canonical


def test_hierarchy_of_a_deep_paragraph() -> None:
    eccn = ECCN.parse("3A001.a.5.b.2")
    assert (eccn.category, eccn.group, eccn.head) == ("3", "A", "3A001")
    assert str(eccn.parent) == "3A001.a.5.b"
    assert [str(a) for a in eccn.ancestors] == ["3A001", "3A001.a", "3A001.a.5", "3A001.a.5.b"]
    assert eccn.is_descendant_of("3A001.a")
    assert eccn.is_descendant_of("3A001")
    assert not eccn.is_descendant_of("3A001.a.5.b.2")
    assert eccn.is_descendant_of("3A001.a.5.b.2", strict=False)
    assert not eccn.is_descendant_of("3A002")
    assert not ECCN.parse("3A001.a.1").is_descendant_of("3A001.a.5")


def test_an_entry_has_no_parent_and_ear99_no_category() -> None:
    assert ECCN.parse("5A002").parent is None
    ear99 = ECCN.parse("EAR99")
    assert ear99.is_ear99 and ear99.category is None and ear99.group is None


def test_regime_digit_reads_the_middle_digit() -> None:
    assert ECCN.parse("9A120").regime_digit == "1"
    assert ECCN.parse("5A992.c").regime_digit == "9"


@pytest.mark.parametrize("bad", ["", "5F002", "A5002", "5A02", "hello", "5A002.a$", "12345", None, 5002])
def test_bad_input_says_what_a_valid_eccn_looks_like(bad: object) -> None:
    with pytest.raises(InvalidECCN) as err:
        ECCN.parse(bad)  # type: ignore[arg-type]
    assert "5A002" in str(err.value) and "EAR99" in str(err.value)


parts = st.lists(st.one_of(st.sampled_from("abcdefghjklmnpqrstuvwxyz"), st.integers(1, 99).map(str)), max_size=6)
heads = st.builds(lambda c, g, n: f"{c}{g}{n:03d}", st.integers(0, 9), st.sampled_from("ABCDE"), st.integers(0, 999))


def _alternating(path: list[str]) -> list[str]:
    # adjacent letters or adjacent numbers would merge when written without separators
    out: list[str] = []
    for part in path:
        if out and out[-1].isdigit() == part.isdigit():
            continue
        out.append(part)
    return out


@given(heads, parts)
def test_canonical_form_round_trips(head: str, path: list[str]) -> None:
    eccn = ECCN(head, tuple(path))
    assert ECCN.parse(str(eccn)) == eccn
    assert ECCN.parse(str(eccn).lower()) == eccn


@given(heads, parts)
def test_compact_spelling_round_trips_when_parts_alternate(head: str, path: list[str]) -> None:
    eccn = ECCN(head, tuple(_alternating(path)))
    compact = head.lower() + "".join(eccn.path)
    assert ECCN.parse(compact) == eccn


@given(heads, parts)
def test_every_ancestor_is_an_ancestor(head: str, path: list[str]) -> None:
    eccn = ECCN(head, tuple(path))
    for ancestor in eccn.ancestors:
        assert eccn.is_descendant_of(ancestor)
        assert not ancestor.is_descendant_of(eccn)
