import pytest

from training.metrics import exact, expected_calibration_error, graded, report


@pytest.mark.parametrize(
    ("pred", "gold", "score"),
    [
        ("5A992.c", "5A992.c", 1.0),
        ("5A991.b.1", "5A991", 1.0),  # gold given at a coarser level: an answer under it is exact
        ("5A991", "5A991.b.1", 0.7),
        ("5A991.c", "5A991.b", 0.7),
        ("5A002.a.1", "5A992.c", 0.4),
        ("5D002.c.1", "5A992.c", 0.2),
        ("3A991.a.2", "5A992.c", 0.0),
        ("EAR99", "EAR99", 1.0),
        ("EAR99", "5A991", 0.0),
        ("5A991", "EAR99", 0.0),
    ],
)
def test_graded_score(pred: str, gold: str, score: float) -> None:
    assert graded(pred, gold) == score


def test_exact_needs_the_same_or_a_deeper_paragraph() -> None:
    assert exact("3A001.a.5.a.5", "3A001.a.5")
    assert not exact("3A001.a.5", "3A001.a.5.a.5")


def test_report_counts_ear99_precision_recall_and_mrr() -> None:
    golds = ["EAR99", "5A992.c", "4A994.b", "EAR99"]
    rankings = [["EAR99", "5A991"], ["5A002.a.1", "5A992.c"], ["EAR99", "4A994.a"], ["3A991.a.2", "EAR99"]]
    rep = report(golds, rankings, [0.9, 0.5, 0.6, 0.4])
    assert rep.ear99_precision == 0.5 and rep.ear99_recall == 0.5
    assert rep.top1_head == 0.25
    assert rep.mrr == pytest.approx((1 + 0.5 + 0.5 + 0.5) / 4)
    assert rep.top5_head_recall == 1.0


def test_calibration_error_is_zero_when_confidence_matches_accuracy() -> None:
    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == pytest.approx(0.0)
    assert expected_calibration_error([1.0, 1.0], [False, False]) == pytest.approx(1.0)
