"""One row of the synthetic sweep: one (x1 encoder, x2 encoder) pair of a cell, measured."""

from __future__ import annotations

from dataclasses import dataclass, fields

from engine.typed_json import JSONObject

ALIGNMENT_METRICS: tuple[str, ...] = ("mutual_knn", "unbiased_cka_linear")


@dataclass(frozen=True)
class SweepRow:
    """Alignment (max over layer pairs) and both encoders' accuracies for one encoder pair.

    A metric the sweep did not compute is NaN (``alignment`` returns it as such).
    """

    seed: int
    U: int
    D_phi: int
    fixed_depth: int
    depth: int
    mutual_knn: float = float("nan")
    unbiased_cka_linear: float = float("nan")
    accuracy_transformed: float = float("nan")
    accuracy_fixed: float = float("nan")
    val_accuracy_transformed: float = float("nan")
    best_epoch_transformed: int = -1

    def alignment(self, metric: str) -> float:
        """The row's value of one of ``ALIGNMENT_METRICS``."""
        if metric == "mutual_knn":
            return self.mutual_knn
        if metric == "unbiased_cka_linear":
            return self.unbiased_cka_linear
        raise ValueError(f"unknown sweep metric {metric!r}; expected one of {ALIGNMENT_METRICS}")

    def to_json(self) -> JSONObject:
        """Plain JSON values (NaN stays NaN, as json.dumps writes it)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @staticmethod
    def from_json(obj: JSONObject) -> SweepRow:
        """Read a row written by ``to_json`` (a missing measurement reads as NaN)."""
        def num(key: str) -> float:
            return float(obj.get(key, float("nan")))

        return SweepRow(seed=int(obj["seed"]), U=int(obj["U"]), D_phi=int(obj["D_phi"]),
                        fixed_depth=int(obj["fixed_depth"]), depth=int(obj["depth"]),
                        mutual_knn=num("mutual_knn"), unbiased_cka_linear=num("unbiased_cka_linear"),
                        accuracy_transformed=num("accuracy_transformed"),
                        accuracy_fixed=num("accuracy_fixed"),
                        val_accuracy_transformed=num("val_accuracy_transformed"),
                        best_epoch_transformed=int(obj.get("best_epoch_transformed", -1)))
