"""The typed study contract: what ``alignscope analyze`` computes, and what the GUI, the PDF
and the CLI read. Nothing downstream reads the study through string keys.

Every class is a frozen dataclass; :meth:`Analysis.to_json` / :func:`read_analysis` convert
to and from plain JSON (engine.typed_json). The JSON carries ``"schema":
"alignscope.analysis/<version>"``; :func:`read_analysis` refuses other versions with a
message that says what to do. Per-sample arrays are not part of the JSON: they travel in
:class:`PerSample` (numpy arrays, stored as HDF5 datasets next to the cached result).

Words: the two modalities are ``image`` and ``text`` (the inspection report) in keys; the
user-facing word for ``text`` is "report". Bits are base-2 information; intervals are 95 %
``(lo, hi)`` pairs, clipped to the quantity's range.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.dataset.label_choice import LabelCandidate, LabelChoice
from engine.errors import InputError
from engine.metrics.layerwise import LayerwiseAlignment
from engine.pairs.result import PairScores
from engine.study.interactions import Interactions
from engine.study.messages import Message, Params
from engine.study.options import AnalyzeOptions
from engine.typed_json import NOT_JSON, JSONObject, SchemaError, from_json, to_json

__all__ = [
    "SCHEMA",
    "AlignmentCurve",
    "Analysis",
    "Correlation",
    "Finding",
    "Heterogeneity",
    "Interactions",
    "Interval",
    "LabelCandidate",
    "LabelChoice",
    "LayerwiseAlignment",
    "Message",
    "ModelChoice",
    "ModelPair",
    "NullResult",
    "PairCheck",
    "PairResult",
    "Params",
    "PerSample",
    "ProbeResult",
    "Probes",
    "Recommendation",
    "Retrieval",
    "RetrievalMethod",
    "SelfTest",
    "Suspect",
    "read_analysis",
]

SCHEMA_VERSION = 3   # 3: sentences as catalogue messages (engine.study.messages)
SCHEMA = f"alignscope.analysis/{SCHEMA_VERSION}"

Interval = tuple[float, float]
Finding = Message   # a finding, a note, a reason: a catalogue key with its numbers (engine.study.messages)


@dataclass(frozen=True)
class ModelPair:
    image: str
    text: str

    @property
    def key(self) -> str:
        return f"{self.image}|{self.text}"


@dataclass(frozen=True)
class ModelChoice:
    """The complete models the study used, and the default pair (one resolver)."""

    image: tuple[str, ...]
    text: tuple[str, ...]
    default: ModelPair
    reason: Message                         # why this default pair ("models_reason")
    left_out: tuple[str, ...] = ()          # models with incomplete embeddings

    @property
    def pairs(self) -> tuple[ModelPair, ...]:
        return tuple(ModelPair(i, t) for i in self.image for t in self.text)


@dataclass(frozen=True)
class ProbeResult:
    """Out-of-fold linear probe of one space (or a fused pair) on the label."""

    model: str             # model id, or "IMAGE+TEXT" for a fused probe
    modality: str          # "image" | "text" | "fused"
    accuracy: float
    accuracy_ci: Interval
    macro_f1: float
    macro_f1_ci: Interval
    info_bits: float       # H(Y) − out-of-fold cross-entropy: information the probe extracts
    folds: int
    n: int
    n_classes: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Probes:
    chance: float                   # accuracy of always answering the commonest class
    label_entropy_bits: float       # H(Y)
    unimodal: tuple[ProbeResult, ...]
    fused: tuple[ProbeResult, ...] = ()

    def get(self, model: str) -> ProbeResult | None:
        return next((p for p in (*self.unimodal, *self.fused) if p.model == model), None)

    def best_unimodal(self) -> ProbeResult | None:
        return max(self.unimodal, key=lambda p: (p.macro_f1, p.model), default=None)


@dataclass(frozen=True)
class NullResult:
    """Shuffled-pairs null of a metric: its mean and the permutation p-value."""

    mean: float
    p: float


@dataclass(frozen=True)
class PairResult:
    """Alignment metrics of one (image model, text model) pair."""

    image: str
    text: str
    k: int
    n: int
    metrics: dict[str, float]               # engine.metrics.METRIC_NAMES keys
    ci: dict[str, Interval] = field(default_factory=dict)       # default pair only
    null: dict[str, NullResult] = field(default_factory=dict)   # default pair only
    chance_mutual_knn: float = float("nan")
    image_accuracy: float | None = None     # the probes' accuracies of each side, and fused
    text_accuracy: float | None = None
    fused_accuracy: float | None = None
    notes: tuple[Message, ...] = ()         # how the metrics were computed (engine.study.messages_recorded)

    @property
    def pair(self) -> ModelPair:
        return ModelPair(self.image, self.text)

    @property
    def performance(self) -> float | None:
        """Mean probe accuracy of the two sides (the ladder's performance axis)."""
        if self.image_accuracy is None or self.text_accuracy is None:
            return None
        return 0.5 * (self.image_accuracy + self.text_accuracy)


@dataclass(frozen=True)
class Correlation:
    """Does alignment track performance over a set of points (model pairs or layer pairs)?"""

    metric: str
    over: str                     # "model pairs" | "layer pairs"
    n_points: int
    spearman: float | None
    spearman_ci: Interval | None
    pearson: float | None
    pearson_ci: Interval | None
    meaningful: bool
    reason: Message                         # why it is (not) meaningful: a corr_* sentence


@dataclass(frozen=True)
class Heterogeneity:
    nonlinear_gap: float | None
    linear_deficit: float | None
    transfer: float | None
    explanation: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RetrievalMethod:
    image_to_text: dict[str, float]          # recall@k, keys "1", "5", "10"
    text_to_image: dict[str, float]
    ci: dict[str, dict[str, Interval]] = field(default_factory=dict)
    canonical_correlations: tuple[float, ...] = ()

    def mean_recall(self, k: str = "10") -> float:
        return 0.5 * (self.image_to_text[k] + self.text_to_image[k])


@dataclass(frozen=True)
class Retrieval:
    """The explicit-alignment trial on held-out pairs."""

    n_train: int
    n_test: int
    chance: dict[str, float]
    methods: dict[str, RetrievalMethod]
    best: str
    gain_over_linear_map: dict[str, float]


@dataclass(frozen=True)
class AlignmentCurve:
    k: tuple[int, ...]
    mutual_knn: tuple[float, ...]
    chance: tuple[float, ...]

    def chance_at(self, k: int) -> float | None:
        return self.chance[self.k.index(k)] if k in self.k else None


@dataclass(frozen=True)
class Suspect:
    """One pair whose report may not describe its image."""

    id: str
    rank: int
    score: float
    q_value: float | None
    reasons: tuple[Message, ...] = ()       # engine.pairs.result.PairScores.reason_messages


@dataclass(frozen=True)
class SelfTest:
    """Planted report swaps in a copy of the data: how well the method finds them."""

    auc: float
    recall_at_2p: float           # planted rows in the top 2 × planted of the copy's list
    planted: int

    @property
    def found(self) -> int:
        return round(self.recall_at_2p * self.planted)


@dataclass(frozen=True)
class PairCheck:
    """How the suspect list was made and how far to trust it."""

    method: str
    signals: tuple[str, ...]
    self_test: SelfTest | None
    no_signal: bool
    fdr: float = 0.05
    n_flagged: int = 0            # pairs beyond the FDR threshold
    threshold_auc: float = 0.9    # below this self-test AUC the list is ranked, nothing is flagged

    @property
    def state(self) -> str:
        """"no signal" (nothing listed), "weak" (ranked, none flagged) or "flagging"."""
        if self.no_signal:
            return "no signal"
        if self.self_test is None or self.self_test.auc < self.threshold_auc:
            return "weak"
        return "flagging"


@dataclass(frozen=True)
class RuleFired:
    """One rule of the recommendation that applied (docs/study.md, "Recommendation")."""

    id: str
    source: str                   # "paper" (the research's claims / decision rule) | "alignscope"
    reference: str                # which claim or rule, or what AlignScope's own rule checks
    key: str                      # its sentence in the message catalogue
    params: Params


@dataclass(frozen=True)
class Recommendation:
    """The answer to "Is explicit alignment worth investing in?" (engine.study.recommend)."""

    decision: str                 # "invest" | "not yet" | "measure more"
    key: str                      # the deciding sentence in the message catalogue
    params: Params
    text: str                     # that sentence in English
    weaker_modality: str | None = None
    answer: str = ""              # "yes" | "no, not yet" | "not known yet"
    deciding_rule: str = ""
    rules: tuple[RuleFired, ...] = ()


@dataclass(frozen=True)
class PerSample:
    """Per-sample scores of the default pair, in store order (arrays: not in the JSON)."""

    k: int
    ids: tuple[str, ...] = field(default=(), metadata=NOT_JSON)
    overlap: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0), metadata=NOT_JSON)

    def arrays(self) -> dict[str, NDArray[Any]]:
        return {"per_sample_overlap": np.asarray(self.overlap, dtype=np.float64)}


@dataclass(frozen=True)
class Analysis:
    """The whole study of one store."""

    store: str
    n: int
    seed: int
    label: LabelChoice
    n_classes: int
    models: ModelChoice
    options: AnalyzeOptions
    pairs: tuple[PairResult, ...]
    correlation: Correlation        # the one the recommendation reads (see analyze.choose_correlation)
    per_sample: PerSample
    probes: Probes | None = None
    pid: Interactions | None = None       # PID of the default pair (engine.study.interactions)
    heterogeneity: Heterogeneity | None = None
    retrieval: Retrieval | None = None
    alignment_curve: AlignmentCurve | None = None
    suspects: tuple[Suspect, ...] = ()
    pair_check: PairCheck | None = None
    layerwise: dict[str, LayerwiseAlignment] = field(default_factory=dict)  # "<image>|<text>" → every layer pair
    correlations: dict[str, Correlation] = field(default_factory=dict)  # every set of points computed
    findings: tuple[Finding, ...] = ()
    recommendation: Recommendation | None = None
    headline: str = ""            # the plain-words answer, English (engine.study.headline)
    headline_parts: tuple[Finding, ...] = ()   # its clauses, to render in another language
    pair_scores: PairScores | None = field(default=None, metadata=NOT_JSON)  # per-pair arrays (engine.pairs)
    timings: dict[str, float] = field(default_factory=dict)
    notes: tuple[Message, ...] = ()        # what the reader should know about how it was computed
    schema: str = SCHEMA

    @property
    def label_column(self) -> str | None:
        return self.label.column

    def default_pair(self) -> PairResult | None:
        want = self.models.default
        return next((p for p in self.pairs if p.pair == want), self.pairs[0] if self.pairs else None)

    def to_json(self) -> JSONObject:
        out: JSONObject = to_json(self)
        return out


def read_analysis(data: Any, source: str = "analysis") -> Analysis:
    """An :class:`Analysis` from its JSON (a dict); refuses other schema versions plainly."""
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a JSON object written by `alignscope analyze --json`")
    schema = data.get("schema")
    if schema != SCHEMA:
        raise InputError(
            f"{source}: this study result has schema {schema!r}, this AlignScope reads {SCHEMA!r}; "
            "run the study again (`alignscope analyze --store P.h5 --no-cache --json`)")
    try:
        return from_json(Analysis, data, "analysis")
    except SchemaError as exc:
        raise InputError(f"{source}: not a valid study result ({exc})") from exc
