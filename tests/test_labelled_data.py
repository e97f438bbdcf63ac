"""The labelled set is complete, valid against the corpus, and keeps a held-out split."""

from collections import Counter

from classifier.corpus import Corpus
from classifier.eccn import ECCN
from training.labelled import advantech, caddy_drone_parts, labelled


def test_at_least_600_descriptions_across_all_ten_categories_and_ear99() -> None:
    rows = labelled()
    assert len(rows) >= 600
    categories = Counter("EAR99" if r.gold == "EAR99" else r.gold[0] for r in rows)
    assert set(categories) == set("0123456789") | {"EAR99"}
    assert categories["EAR99"] >= 60


def test_every_gold_label_is_a_real_ccl_id_with_a_rationale(corpus: Corpus) -> None:
    for row in labelled():
        assert row.rationale
        if row.gold != "EAR99":
            corpus.lookup(row.gold)


def test_the_anti_terrorism_catch_alls_are_represented() -> None:
    heads = {ECCN.parse(r.gold).head for r in labelled()}
    assert {"3A991", "4A994", "5A991", "5A992", "5D992", "7A994", "9A991"} <= heads


def test_the_test_split_is_held_out() -> None:
    train, test = labelled("train"), labelled("test")
    assert len(test) >= 80 and len(train) + len(test) == len(labelled())
    assert not {r.text for r in train} & {r.text for r in test}


def test_real_world_sets_load_with_normalized_labels() -> None:
    assert len(advantech()) == 54 and all(ECCN.is_valid(e.gold) for e in advantech())
    assert len(caddy_drone_parts()) == 9
