"""The Classifier: one description in, ranked ECCN suggestions (or EAR99) out, in pipeline order.

facts (``facts.py``) → retrieve (``retrieve.py``) → rank (``features.py``, ``rank.py``) → rules
(``rules/``) → result (``result.py``). ``classify_many`` encodes a whole batch in one encoder call.
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from classifier.conditions import Evidence, Verdict
from classifier.corpus import DEFAULT_DIR, Corpus
from classifier.countries import Country, UnknownCountry
from classifier.decide import answered_questions, decide, finalize, held_back, verdict_for
from classifier.decisions import DecisionSet, read_decisions
from classifier.dense import DEFAULT_INDEX_DIR, DenseIndex, Encoder
from classifier.documents import Document, build_documents
from classifier.examples import ExampleMemory
from classifier.explain import CONSIDERED, Explainer, ear99_suggestion, facts_dict, quote_precedents
from classifier.facts import Facts, read_facts
from classifier.features import QUERY_FEATURE_NAMES, FeatureBatch, FeatureBuilder, query_features
from classifier.inputs import MAX_TEXT_CHARS, InputError, check_facts, description
from classifier.inputs import top_k as checked_top_k
from classifier.lexical import LexicalIndex, tokenize
from classifier.quantities import Quantity, out_of_range, quantities
from classifier.rank import DEFAULT_PATH as RANKER_PATH
from classifier.rank import Ranker
from classifier.result import Classification, Finding, MTCRMatch, Precedent, Question
from classifier.retrieve import Candidate, Retriever
from classifier.rules import apply_rules
from classifier.rules.de_minimis import DeMinimisInputError
from classifier.rules.end_use import UnknownEndUse

log = logging.getLogger(__name__)
__all__ = ["MAX_TEXT_CHARS", "Classifier", "InputError", "check_text"]
MTCR_SIMILARITY = 0.55
WARM_UP = "Ethernet switch with 8 gigabit ports"  # classified once at load time
PRECEDENT_SIMILARITY = 0.75  # past decisions at least this close are shown with a result
PRECEDENTS = 3
EAR99_SHOWN = 0.05  # below this probability EAR99 is not listed unless it comes first
# EAR99 comes first only when it is likelier than the first entry that fits by this much: answering "no CCL
# entry" when a catch-all is about as likely under-classifies (chosen by python -m training.crossval
# --ear99-margins on the training rows; see the README's Evaluation)
EAR99_MARGIN = 0.0  # measured: 0.05-0.3 give real-world CV graded 0.643 down to 0.622, none above 0
SAME_SUBJECT = 0.5  # paragraphs of an entry within this share of its best paragraph score are about the same item
RANKED = 10  # entries scored, checked against their conditions and kept in order for the decision


@dataclass
class SearchIndex:
    """Everything retrieval needs, built from the corpus and the encoder (and cached on disk)."""

    docs: list[Document]
    dense: DenseIndex
    headings: DenseIndex
    heading_ids: list[str]
    lexical: LexicalIndex

    @classmethod
    def open(
        cls, corpus: Corpus, encoder: Encoder, directory: Path = DEFAULT_INDEX_DIR, *, rebuild: bool = False
    ) -> SearchIndex:
        docs = build_documents(corpus)
        corpus_hash = corpus.manifest["files"]["ccl.json"]
        dense = DenseIndex.open(directory / "paragraphs", docs, encoder, corpus_hash, force=rebuild)
        heading_docs = [
            Document(
                id=e["eccn"],
                eccn=e["eccn"],
                kind="heading",
                text=e["heading"],
                paragraph=e["heading"],
                heading=e["heading"],
                depth=0,
                leaf=True,
            )
            for e in corpus.ccl["entries"]
        ]
        headings = DenseIndex.open(directory / "headings", heading_docs, encoder, corpus_hash, force=rebuild)
        return cls(docs, dense, headings, [d.id for d in heading_docs], LexicalIndex(docs))


@dataclass
class Pool:
    """One description's retrieved candidates: CCL paragraphs and MTCR Annex items."""

    eccn: list[Candidate]
    mtcr: list[Candidate]


@dataclass
class Scored:
    """One description on its way through the ranker."""

    candidates: list[Candidate]
    doc_heads: list[str]  # the ECCN entry of each candidate
    heads: list[str]  # the candidate entries, in head-row order
    mtcr: list[Candidate]
    ranked: list[tuple[str, float]] = field(default_factory=list)  # best entries with their scores
    ear99: float = 0.0
    rows: list[int] = field(default_factory=list)  # candidates of the ranked entries
    shown: dict[str, Candidate] = field(default_factory=dict)  # the paragraph shown for each ranked entry
    evidence: Evidence | None = None  # what the description says, for the condition checks
    verdicts: dict[str, Verdict] = field(default_factory=dict)  # condition verdict of each shown paragraph
    query_row: np.ndarray | None = None  # the EAR99 model's input (held-back entries not competing)


def check_text(text: object) -> tuple[str, list[str]]:
    """The description the engine will read, with warnings for its result; InputError when it cannot be used
    (not text, empty once invisible characters are gone, too long, or a number too large to read)."""
    cleaned, warnings = description(text)
    bad = out_of_range(cleaned)
    if bad:
        raise InputError(
            f"the description states {bad[0][:60]!r}, a number too large to be a specification "
            "(at most 10^30 in any unit); write the value as the data sheet gives it"
        )
    return cleaned, warnings


class Classifier:
    def __init__(self, corpus: Corpus, encoder: Encoder, index: SearchIndex, ranker: Ranker | None) -> None:
        self.corpus = corpus
        self.encoder = encoder
        self.index = index
        self.ranker = ranker
        self.ear99_margin = EAR99_MARGIN
        self._thresholds: list[list[Quantity]] = [quantities(d.paragraph) for d in index.docs]
        self.retriever = Retriever(
            index.docs, index.dense, index.lexical, self._thresholds, caught_by=corpus.conditions.caught_by
        )
        self.explainer = Explainer(index.docs, self._thresholds)
        self.decisions: DecisionSet | None = None
        self._decision_vectors = np.zeros((0, 1), dtype=np.float32)
        self.feature_builder = FeatureBuilder(
            index.docs, self._thresholds, index.heading_ids, index.headings.matrix(), corpus.conditions
        )

    @classmethod
    def load(
        cls,
        corpus_dir: Path | str = DEFAULT_DIR,
        index_dir: Path | str = DEFAULT_INDEX_DIR,
        model_path: str | None = None,
        ranker_path: Path | str = RANKER_PATH,
        *,
        decisions: Path | str | None = None,
        freeze_gc: bool = True,
    ) -> Classifier:
        """The embedded corpus and default model, offline; builds the search index on first use.

        The classifier answers one warm-up description before it is returned, so that every lazy import
        and cache is in place; then, with ``freeze_gc``, Python's cyclic garbage collector is told
        (``gc.collect(); gc.freeze()``) that the hundreds of thousands of objects loaded so far are
        permanent. Without that, each full collection re-scans them during batches (0.2-0.3 s a time,
        measured by ``benchmarks.speed``). Nothing is leaked: garbage is collected before freezing.

        ``decisions``: a table of past decisions (``decisions.read_decisions``) to weigh and quote.
        """
        started = time.time()
        ranker = Ranker.load(Path(ranker_path))
        clf = cls.unranked(corpus_dir, index_dir, model_path)
        clf.ranker = ranker
        trained_with = ranker.card.get("model_hash")
        if trained_with and trained_with != clf.encoder.fingerprint:
            log.warning("the ranker was trained with another embedding model; retrain it with training.train_ranker")
        clf.classify(WARM_UP)
        if freeze_gc:
            gc.collect()
            gc.freeze()
        if decisions is not None:
            clf = clf.with_decisions(read_decisions(decisions, clf.corpus))
        log.info("classifier ready in %.1f s", time.time() - started)
        return clf

    @classmethod
    def unranked(
        cls,
        corpus_dir: Path | str = DEFAULT_DIR,
        index_dir: Path | str = DEFAULT_INDEX_DIR,
        model_path: str | None = None,
        *,
        rebuild_index: bool = False,
    ) -> Classifier:
        """Corpus, encoder and search index without a ranker: what training and baselines need. Every corpus
        file is checked against the manifest first (``Corpus.verify``)."""
        corpus = Corpus(corpus_dir)
        corpus.verify()
        encoder = Encoder(model_path)
        return cls(corpus, encoder, SearchIndex.open(corpus, encoder, Path(index_dir), rebuild=rebuild_index), None)

    def with_decisions(self, decisions: DecisionSet) -> Classifier:
        """A classifier that also weighs these past decisions (as labelled examples) and quotes the close
        ones with every result; this one is left as it is."""
        if self.ranker is None:
            raise RuntimeError("past decisions need a ranker; use Classifier.load()")
        vectors = self.encoder.encode([d.description for d in decisions.decisions])
        memory = self.ranker.memory
        clone = copy.copy(self)
        clone.ranker = dataclasses.replace(
            self.ranker,
            memory=ExampleMemory(
                np.vstack([memory.vectors, vectors]), [*memory.labels, *(d.eccn for d in decisions.decisions)]
            ),
        )
        clone.decisions, clone._decision_vectors = decisions, vectors
        return clone

    # -- public API ----------------------------------------------------------------------------
    def classify(self, text: str, top_k: int = 5, *, rules: bool = True, **facts: Any) -> Classification:
        return self.classify_many([text], top_k=top_k, rules=rules, **facts)[0]

    def classify_many(
        self,
        texts: list[str],
        top_k: int = 5,
        *,
        rules: bool = True,
        facts_per_text: list[dict[str, Any]] | None = None,
        **facts: Any,
    ) -> list[Classification]:
        """Classify a batch with one encoder call. ``facts`` (destination=..., ...) apply to every text,
        ``facts_per_text`` (one dict per text, e.g. a batch row's destination) on top of them.

        ``rules=False`` returns the ranker's answer alone (for evaluation); every finding is then absent."""
        top_k = checked_top_k(top_k)
        if self.ranker is None:
            raise RuntimeError("this Classifier has no ranker; use Classifier.load() or train one")
        if facts_per_text is not None and len(facts_per_text) != len(texts):
            raise InputError("facts_per_text needs one entry per text")
        checked = [check_text(t) for t in texts]
        cleaned = [text for text, _ in checked]
        if not cleaned:
            return []
        try:
            read = [
                read_facts(t).with_overrides(**check_facts({**facts, **(facts_per_text[i] if facts_per_text else {})}))
                for i, t in enumerate(cleaned)
            ]
        except ValueError as err:
            raise InputError(str(err)) from err
        destinations = [self._destination(f.destination) for f in read]
        vectors = self.encoder.encode(cleaned)
        scored = self.score_candidates(read, vectors, keep=max(top_k, CONSIDERED, RANKED))
        precedents = self.precedents(vectors)
        results = [
            self._result(f, q, top_k, d, rules, p)
            for f, q, d, p in zip(read, scored, destinations, precedents, strict=True)
        ]
        for result, (_, warnings) in zip(results, checked, strict=True):
            result.warnings = warnings
        return results

    def precedents(self, vectors: np.ndarray) -> list[list[Precedent]]:
        """For each description, the past decisions at least PRECEDENT_SIMILARITY close, closest first."""
        if self.decisions is None:
            return [[] for _ in range(len(vectors))]
        sims = vectors @ self._decision_vectors.T
        out = []
        for row in sims:
            best = np.argsort(-row, kind="stable")[:PRECEDENTS]
            out.append(
                [
                    Precedent(d.description, d.eccn, d.source, round(float(row[i]), 3))
                    for i in best
                    if row[i] >= PRECEDENT_SIMILARITY
                    for d in [self.decisions.decisions[i]]
                ]
            )
        return out

    def _destination(self, name: str | None) -> Country | None:
        if name is None:
            return None
        try:
            return self.corpus.country_table.resolve(name)
        except UnknownCountry as err:
            raise InputError(str(err)) from err

    # -- stages ----------------------------------------------------------------------------------
    def score_candidates(
        self,
        facts: list[Facts],
        vectors: np.ndarray,
        keep: int,
        ranker: Ranker | None = None,
        neighbours: list[list[tuple[str, float]]] | None = None,
    ) -> list[Scored]:
        """Per description: the ``keep`` best entries with the ranker's score, the paragraph to show for
        each and its condition verdict, and the EAR99 probability; one predict call per model for the
        whole batch. Training passes a fold's ``ranker`` and its ``neighbours``."""
        ranker = ranker or self.ranker
        assert ranker is not None
        if neighbours is None:
            neighbours = ranker.memory.neighbours(vectors)
        all_cands = self.eccn_candidates(self.retriever.candidates(facts, vectors, neighbours))
        batch = self.features(facts, all_cands, vectors, neighbours)
        head_scores = ranker.predict_proba(batch.entry_rows)
        queries, shown_rows = [], []
        for q, (cands, (a, b)) in enumerate(zip(all_cands, batch.entry_spans, strict=True)):
            scored = Scored(cands.eccn, batch.doc_heads(q), batch.heads(q), cands.mtcr, evidence=batch.evidence[q])
            scores = head_scores[a:b]
            scored.ranked = [(scored.heads[i], float(scores[i])) for i in np.argsort(-scores, kind="stable")[:keep]]
            wanted = {h for h, _ in scored.ranked}
            scored.rows = [i for i, h in enumerate(scored.doc_heads) if h in wanted]
            start = batch.row_spans[q][0]
            shown_rows.append(batch.rows[[start + i for i in scored.rows]])
            queries.append(scored)
        paragraph_scores = ranker.paragraph_scores(np.concatenate(shown_rows))
        start = 0
        docs = self.index.docs
        query_rows = []
        for q, scored in enumerate(queries):
            scored.shown = self._shown_paragraphs(scored, paragraph_scores[start : start + len(scored.rows)])
            start += len(scored.rows)
            # EAR99 is weighed against the entries that can come first: held-back ones do not compete
            a, b = batch.entry_spans[q]
            scores = head_scores[a:b].copy()
            position = {h: i for i, h in enumerate(scored.heads)}
            physical = not (facts[q].is_software or facts[q].is_technology)
            assert scored.evidence is not None  # set when the query was scored
            for head, _ in scored.ranked:
                verdict = verdict_for(docs[scored.shown[head].doc].id, scored.evidence, physical)
                scored.verdicts[head] = verdict
                if held_back(verdict, head):
                    scores[position[head]] = 0.0
            query_rows.append(query_features(scores, batch.entry_rows[a:b]))
        scored_rows = np.stack(query_rows) if query_rows else np.zeros((0, len(QUERY_FEATURE_NAMES)))
        ear99 = ranker.ear99_probability(scored_rows) if ranker.ear99_model is not None else np.zeros(len(queries))
        for scored, row, p_ear99 in zip(queries, scored_rows, ear99, strict=True):
            scored.query_row = row
            scored.ear99 = float(p_ear99)
        return queries

    def _shown_paragraphs(self, scored: Scored, scores: np.ndarray) -> dict[str, Candidate]:
        """The paragraph shown for each ranked entry: the one with the best paragraph score, unless it lacks
        the evidence to come first and a paragraph of the same entry about the same item (a score close to
        it) has its parameters met by the description (10-bit at 1 GSPS: 3A001.a.5.a.2, not a.5.a.1)."""
        assert scored.evidence is not None
        by_head: dict[str, list[tuple[float, Candidate]]] = {}
        for i, score in zip(scored.rows, scores, strict=True):
            by_head.setdefault(scored.doc_heads[i], []).append((float(score), scored.candidates[i]))
        docs = self.index.docs
        evidence = scored.evidence
        shown = {}
        for head, options in by_head.items():
            best_score, best = max(options, key=lambda sc: sc[0])
            shown[head] = best
            if not held_back(evidence.path(docs[best.doc].id), head):
                continue
            met = [
                (evidence.path(docs[c.doc].id).stated_met, s, c)
                for s, c in options
                if s >= SAME_SUBJECT * best_score and not held_back(evidence.path(docs[c.doc].id), head)
            ]
            met = [m for m in met if m[0] > 0]
            if met:
                shown[head] = max(met, key=lambda m: (m[0], m[1]))[2]
        return shown

    def eccn_candidates(self, pools: list[list[Candidate]]) -> list[Pool]:
        """Each retrieval pool split into CCL paragraphs (what the ranker scores) and MTCR Annex items."""
        docs = self.index.docs
        return [
            Pool([c for c in cands if docs[c.doc].kind != "mtcr"], [c for c in cands if docs[c.doc].kind == "mtcr"])
            for cands in pools
        ]

    def features(
        self,
        facts: list[Facts],
        pools: list[Pool],
        vectors: np.ndarray,
        neighbours: list[list[tuple[str, float]]],
    ) -> FeatureBatch:
        """The ranker's candidate and entry rows for a batch (``features.FeatureBuilder``)."""
        return self.feature_builder.build(facts, [p.eccn for p in pools], vectors, neighbours)

    def _result(
        self,
        facts: Facts,
        scored: Scored,
        top_k: int,
        destination: Country | None,
        rules: bool,
        precedents: list[Precedent],
    ) -> Classification:
        assert self.ranker is not None
        docs = self.index.docs
        ranked = scored.ranked
        query_tokens = frozenset(tokenize(facts.text))
        confidences = self.ranker.confidence([s for _, s in ranked])
        suggestions = [
            self.explainer.suggestion(
                facts,
                query_tokens,
                scored.shown[head],
                score,
                float(conf),
                scored.doc_heads.count(head),
                scored.evidence,
            )
            for (head, score), conf in zip(ranked, confidences, strict=True)
        ]
        assert scored.evidence is not None
        decision = decide(
            suggestions,
            ear99_suggestion(suggestions, scored.ear99),
            scored.evidence,
            ear99_shown=EAR99_SHOWN,
            physical=not (facts.is_software or facts.is_technology),
            ear99_margin=self.ear99_margin,
        )
        suggestions = decision.suggestions
        quote_precedents(suggestions, precedents)
        mtcr = [
            MTCRMatch(
                docs[c.doc].id.removeprefix("MTCR "),
                docs[c.doc].heading.rsplit("Category ", 1)[-1].rstrip(")"),
                docs[c.doc].paragraph,
                round(c.dense_score, 3),
            )
            for c in scored.mtcr
            if c.dense_score >= MTCR_SIMILARITY
        ]
        findings: list[Finding] = []
        license_view: dict[str, Any] | None = None
        asked: list[Question] = []
        if rules:
            try:
                outcome = apply_rules(facts, suggestions, self.corpus, destination)
            except (DeMinimisInputError, UnknownEndUse) as err:
                raise InputError(str(err)) from err
            suggestions, findings, license_view = outcome.suggestions, outcome.findings, outcome.license
            asked = outcome.questions  # a rule's question (e.g. mass market) decides between its answers: first
        questions, needs_answer = finalize(suggestions, decision, self.corpus.conditions, asked)
        # a paragraph held back for lack of evidence stays in view when the ranker had put it above the answer
        above = [s for s in suggestions[top_k:] if s.eccn in decision.above][: max(0, top_k - 1)]
        shown = suggestions[: top_k - len(above)] + above
        return Classification(
            text=facts.text,
            suggestions=shown,
            findings=findings,
            license=license_view,
            mtcr_matches=sorted(mtcr, key=lambda m: -m.similarity)[:3],
            precedents=precedents,
            facts=facts_dict(facts),
            provenance=self.provenance(),
            questions=questions,
            answered=answered_questions(facts.answers),
            needs_answer=needs_answer,
        )

    def provenance(self) -> dict[str, Any]:
        assert self.ranker is not None
        return {
            "corpus_edition": self.corpus.edition,
            "corpus_manifest_sha256": self.corpus.manifest["files"]["ccl.json"],
            "model_name": self.encoder.name,
            "model_hash": self.encoder.fingerprint,
            "ranker_version": self.ranker.version,
            "ranker_trained_at": self.ranker.card.get("trained_at", ""),
            **({"decisions": self.decisions.provenance()} if self.decisions else {}),
        }
