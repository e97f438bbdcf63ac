"""Stage 3: the trained ranker: scikit-learn estimators over ``features.HEAD_FEATURE_NAMES``.

``predict_proba`` scores each candidate ECCN entry (probability that it is the right one);
``paragraph_scores`` picks which of an entry's paragraphs to show (the exact paragraph);
``confidence`` maps a query's best score to a calibrated probability of being right (isotonic,
fitted on cross-validated scores); ``ear99_probability`` says how likely EAR99 is the answer, and
EAR99 comes first when it is likelier than the best entry. Saved with joblib
under ``models/`` beside a card that says what it was trained on and how well it did, and the file's
sha256: a pickle can run code, so the file is unpickled only when its bytes are the ones training wrote.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.isotonic import IsotonicRegression

from classifier.examples import ExampleMemory
from classifier.features import FEATURE_NAMES, HEAD_FEATURE_NAMES
from classifier.integrity import IntegrityError, read_verified, sha256_file

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "models" / "ranker.joblib"
RANKER_VERSION = "3"
# The isotonic map's top step is 1.0 when every cross-validated answer above it was right; a finite sample
# never justifies certainty, so a confidence is capped here (shown as 99 %).
MAX_CONFIDENCE = 0.99


RETRAIN = "retrain it with `python -m training.train_ranker`"


class RankerError(RuntimeError):
    """A ranker file that is missing, changed since training, or was trained on other features."""


def card_path(path: Path) -> Path:
    """``models/ranker.joblib`` -> ``models/ranker_card.json``."""
    return path.with_name(f"{path.stem}_card.json")


def record_sha256(path: Path = DEFAULT_PATH) -> str:
    """Write the sha256 of the saved ranker into its card (training calls this after every save)."""
    card_file = card_path(path)
    card = json.loads(card_file.read_text()) if card_file.exists() else {}
    card["sha256"] = sha256_file(path)
    card_file.write_text(json.dumps(card, indent=1) + "\n")
    return str(card["sha256"])


def new_estimator(random_state: int = 0) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        max_iter=100,
        learning_rate=0.12,
        max_leaf_nodes=15,
        min_samples_leaf=20,
        l2_regularization=1.0,
        random_state=random_state,
    )


@dataclass
class Ranker:
    model: HistGradientBoostingClassifier  # over HEAD_FEATURE_NAMES: is this entry the answer?
    paragraph_model: HistGradientBoostingClassifier | None  # over FEATURE_NAMES: is this the paragraph?
    calibrator: IsotonicRegression
    ear99_model: Any  # over QUERY_FEATURE_NAMES: is EAR99 the answer? (a calibrated logistic regression)
    memory: ExampleMemory
    feature_names: tuple[str, ...] = HEAD_FEATURE_NAMES
    paragraph_feature_names: tuple[str, ...] = FEATURE_NAMES
    card: dict[str, Any] = field(default_factory=dict)
    version: str = RANKER_VERSION

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """Score of each candidate entry row (probability it is correct, before calibration)."""
        if len(features) == 0:
            return np.zeros(0)
        return np.asarray(self.model.predict_proba(features)[:, 1])

    def paragraph_scores(self, features: np.ndarray) -> np.ndarray:
        """Score of each candidate paragraph row for being the exact paragraph within its entry."""
        if len(features) == 0 or self.paragraph_model is None:
            return np.zeros(len(features))
        return np.asarray(self.paragraph_model.predict_proba(features)[:, 1])

    def confidence(self, scores: np.ndarray | list[float]) -> np.ndarray:
        """Calibrated probability that an answer with this score is right."""
        values = np.asarray(scores, dtype=float)
        if values.size == 0:
            return values
        # the fitted isotonic step function, read directly (sklearn's predict validates on every call)
        mapped = np.interp(values, self.calibrator.X_thresholds_, self.calibrator.y_thresholds_)
        return np.clip(mapped, 0.0, MAX_CONFIDENCE)

    def ear99_probability(self, features: np.ndarray) -> np.ndarray:
        """Probability that EAR99 is the answer, per description row of QUERY_FEATURE_NAMES."""
        if len(features) == 0:
            return np.zeros(0)
        return np.asarray(self.ear99_model.predict_proba(features)[:, 1])

    def save(self, path: Path = DEFAULT_PATH) -> None:
        """Save the ranker; the caller records its sha256 in the card with ``record_sha256`` after the card is
        written (``training.train_ranker`` does both)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path)

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> Ranker:
        """Load a ranker whose sha256 matches its card; nothing is unpickled before that check."""
        if not path.exists():
            raise RankerError(f"{path} is missing; train it with `python -m training.train_ranker`.")
        card_file = card_path(path)
        try:
            recorded = json.loads(card_file.read_text(encoding="utf-8")).get("sha256")
        except (OSError, ValueError, AttributeError) as err:
            raise RankerError(f"{card_file} cannot be read ({err}); {RETRAIN}.") from err
        try:
            data = read_verified(path, recorded, str(card_file), RETRAIN)
        except IntegrityError as err:
            raise RankerError(str(err)) from err
        try:
            ranker = joblib.load(io.BytesIO(data))
        except Exception as err:  # an unpickling error names library internals; say what to do instead
            raise RankerError(
                f"{path} cannot be loaded with the installed libraries ({type(err).__name__}: {err}); "
                "retrain it with `python -m training.train_ranker`."
            ) from err
        if not isinstance(ranker, Ranker) or tuple(ranker.feature_names) != HEAD_FEATURE_NAMES:
            raise RankerError(f"{path} was trained on other features; retrain with `python -m training.train_ranker`.")
        return ranker
