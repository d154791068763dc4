"""The result of the per-pair scorer: JSON-ready fields plus per-pair numpy arrays.

``PairScores.arrays`` holds one array per quantity in store row order (stored as HDF5
datasets); everything else is plain data. ``to_json(top)`` is the object printed by
``alignscope suspects --json``; ``to_payload`` / ``from_payload`` round-trip through the
store's result cache.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.pairs.selftest import SelfTest
from engine.study.messages import Message, msg
from engine.typed_json import JSONObject

FDR_LEVEL = 0.05
RESULT_SCHEMA = "alignscope.suspects/1"


@dataclass(frozen=True)
class PairArrays:
    """Per-pair arrays, store row order."""

    score: NDArray[np.float64]            # suspect score in (0, 1]: higher = more suspect
    q_value: NDArray[np.float64]          # false-discovery rate of flagging this pair (1 when no signal)
    evidence: NDArray[np.float64]         # combined log-odds "belongs together" (higher = fits)
    image_to_report: NDArray[np.float64]  # position of the pair's report among all reports for its image
    report_to_image: NDArray[np.float64]  # position of the pair's image among all images for its report
    image_class: NDArray[np.int64]        # image probe's class index (-1 without label)
    image_class_p: NDArray[np.float64]    # its probability (NaN without label)
    report_class: NDArray[np.int64]
    report_class_p: NDArray[np.float64]
    disagreement: NDArray[np.float64]     # 1 − Σ_c p_img(c) p_rep(c) (NaN without label)
    order: NDArray[np.int64]              # row indices, most suspect first (engine.pairs.table.rank_order)
    tied: NDArray[np.bool_]               # the score equals another pair's (placed by id)

    def as_dict(self) -> dict[str, NDArray[Any]]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @staticmethod
    def from_dict(arrays: dict[str, NDArray[Any]]) -> PairArrays:
        return PairArrays(**{f.name: np.asarray(arrays[f.name]) for f in fields(PairArrays)})


@dataclass(frozen=True)
class AlignmentSummary:
    """The cross-fitted alignment that produced the label-free signal."""

    dims: int
    components: int
    folds: int
    held_out_fit: float
    canonical_correlations: tuple[float, ...]
    tried: tuple[tuple[int, int, float], ...]


@dataclass(frozen=True)
class PairScores:
    """Per-pair suspect scores of one image model × report model (× label) on one set of pairs."""

    method: str
    signals: tuple[str, ...]
    ids: tuple[str, ...]
    label: str | None
    classes: tuple[str, ...]
    weights: dict[str, float]             # combination weight of each signal
    alignment: AlignmentSummary
    mismatch_share: float                 # π̂₁: estimated share of pairs that look randomly paired
    self_test: SelfTest
    no_signal: bool
    arrays: PairArrays
    notes: tuple[str, ...] = ()
    fdr_level: float = FDR_LEVEL
    image_model: str | None = None
    text_model: str | None = None

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def flagged(self) -> int:
        """Pairs beyond the FDR threshold (0 when there is no signal)."""
        return int(np.count_nonzero(self.arrays.q_value <= self.fdr_level))

    def reason_messages(self, i: int) -> list[Message]:
        """Why pair i scores as it does: partner ranks in both directions, what each probe said,
        a tie (catalogue sentences, rendered in the language shown)."""
        a = self.arrays
        out = [msg("pr_report_rank", rank=round(float(a.image_to_report[i])), n=self.n),
               msg("pr_image_rank", rank=round(float(a.report_to_image[i])), n=self.n)]
        if self.label is not None and a.image_class[i] >= 0:
            ci, cr = self.classes[int(a.image_class[i])], self.classes[int(a.report_class[i])]
            pi, pr = float(a.image_class_p[i]), float(a.report_class_p[i])
            out.append(msg("pr_classes_differ" if ci != cr else "pr_classes_agree", image_class=ci,
                           image_p=pi, report_class=cr, report_p=pr))
        if a.tied[i]:
            same = int(np.count_nonzero(a.score == a.score[i])) - 1
            out.append(msg("pr_tied_one" if same == 1 else "pr_tied", n=same))
        return out

    def reasons(self, i: int) -> list[str]:
        """Why pair i scores as it does, in plain English (the CLI, JSON and CSV)."""
        return [m.text for m in self.reason_messages(i)]

    def suspect_entries(self, top: int | None = None) -> list[JSONObject]:
        """The JSON list: most suspect first (empty when there is no signal)."""
        if self.no_signal:
            return []
        order = self.arrays.order if top is None else self.arrays.order[:max(top, 0)]
        return [{"id": self.ids[i], "rank": r, "score": float(self.arrays.score[i]),
                 "q_value": float(self.arrays.q_value[i]), "reasons": self.reasons(int(i))}
                for r, i in enumerate(order.tolist(), start=1)]

    def to_json(self, top: int | None = None) -> JSONObject:
        """The object of ``alignscope suspects --json``."""
        st = self.self_test
        return {"method": self.method, "signals": list(self.signals),
                "self_test": {"auc": st.auc, "recall_at_2p": st.recall_at_2p, "planted": st.planted},
                "no_signal": self.no_signal, "suspects": self.suspect_entries(top)}

    def to_payload(self) -> JSONObject:
        """Everything but the ids and the arrays, as plain JSON data (store cache)."""
        return {"schema": RESULT_SCHEMA, "method": self.method, "signals": list(self.signals),
                "label": self.label, "classes": list(self.classes), "weights": dict(self.weights),
                "alignment": asdict(self.alignment), "mismatch_share": self.mismatch_share,
                "self_test": asdict(self.self_test), "no_signal": self.no_signal,
                "notes": list(self.notes), "fdr_level": self.fdr_level,
                "image_model": self.image_model, "text_model": self.text_model}

    @staticmethod
    def from_payload(payload: JSONObject, arrays: dict[str, NDArray[Any]], ids: list[str]) -> PairScores:
        al = dict(payload["alignment"])
        al["canonical_correlations"] = tuple(al["canonical_correlations"])
        al["tried"] = tuple(tuple(t) for t in al["tried"])
        return PairScores(
            method=payload["method"], signals=tuple(payload["signals"]), ids=tuple(ids),
            label=payload["label"], classes=tuple(payload["classes"]), weights=dict(payload["weights"]),
            alignment=AlignmentSummary(**al), mismatch_share=float(payload["mismatch_share"]),
            self_test=SelfTest(**payload["self_test"]), no_signal=bool(payload["no_signal"]),
            arrays=PairArrays.from_dict(arrays), notes=tuple(payload["notes"]),
            fdr_level=float(payload["fdr_level"]), image_model=payload.get("image_model"),
            text_model=payload.get("text_model"))

