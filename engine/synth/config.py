"""Sizes and training settings of the synthetic calibration (``alignscope synth``).

The reference recipe (Tjandrasuwita et al. 2025, their code's ``rus_prob`` experiment):
65,536 samples split 70/15/15; D_phi = 1..10; for every D_phi an MLP encoder of depth
1..10 on the transformed modality (x2) and of depth 1..3 on the untransformed one (x1);
AdamW with the learning rate and weight decay tuned per redundancy level (below), 50 epochs
for x1 and 300 for x2, batches of 512, best-validation checkpoint; alignment on the first
512 test samples with mutual kNN (k = 100) and unbiased linear CKA.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from engine.errors import InputError
from engine.typed_json import JSONObject

DEFAULT_LABEL_SEED = 6  # I(X1,X2;Y) = 1.158 nats with T = 0.05 (the paper: ≈ 1.159)
SYNTH_METRICS = ("mutual_knn", "unbiased_cka_linear")

# AdamW (learning rate, weight decay) per redundancy level r, from the reference's tuned
# hyper-parameter files: (untransformed x1, transformed x2).
REFERENCE_ADAMW: dict[int, tuple[tuple[float, float], tuple[float, float]]] = {
    0: ((5e-3, 0.1), (1e-2, 0.0)),
    1: ((1e-3, 1e-4), (1e-2, 0.0)),
    2: ((5e-3, 0.1), (1e-2, 0.0)),
    3: ((1e-2, 1e-3), (1e-2, 0.0)),
    4: ((5e-3, 0.1), (1e-2, 0.0)),
    5: ((1e-2, 1e-3), (1e-2, 1e-4)),
    6: ((5e-3, 0.1), (1e-2, 0.0)),
    7: ((5e-3, 0.1), (1e-2, 0.0)),
    8: ((1e-3, 1e-4), (1e-2, 0.0)),
}


@dataclass(frozen=True)
class SynthConfig:
    """Sizes of the sweep; the defaults are the reference's (see the module docstring)."""

    u_values: tuple[int, ...] = tuple(range(9))
    dphi_values: tuple[int, ...] = tuple(range(1, 11))
    depths: tuple[int, ...] = tuple(range(1, 11))  # transformed (x2) encoder depths
    fixed_depths: tuple[int, ...] = (1, 2, 3)      # untransformed (x1) encoder depths
    n_samples: int = 65536
    n_align: int = 512
    epochs_fixed: int = 50
    epochs_transformed: int = 300
    batch_size: int = 512
    k: int = 100
    seeds: tuple[int, ...] = (0, 1, 2)  # training seeds (initialisation and shuffling)
    data_seed: int = 0  # one dataset for every training seed, as the reference
    label_seed: int = DEFAULT_LABEL_SEED
    transform_seed: int = 0
    metrics: tuple[str, ...] = field(default=SYNTH_METRICS)
    heterogeneity_check: bool = True  # also validate the heterogeneity scores ...
    heterogeneity_quick: bool = False  # ... at the reduced size of engine.synth.validate_heterogeneity

    def __post_init__(self) -> None:
        if not self.u_values or not self.dphi_values or not self.depths or not self.fixed_depths:
            raise InputError("the sweep needs at least one U, D_phi, depth and fixed depth")
        if any(not 0 <= u <= 8 for u in self.u_values):
            raise InputError(f"U must lie in 0..8, got {self.u_values}")
        if min(self.depths + self.fixed_depths) < 1:
            raise InputError("encoder depths must be ≥ 1")
        if min(self.dphi_values) < 0:
            raise InputError("D_phi must be ≥ 0")
        if self.n_align > 0.15 * self.n_samples:
            raise InputError(f"the alignment batch ({self.n_align}) must fit in the 15 % test part "
                             f"of {self.n_samples} samples")
        if not 1 <= self.k < self.n_align:
            raise InputError(f"k must lie in 1..{self.n_align - 1}, got {self.k}")

    @property
    def headline_fixed_depth(self) -> int:
        """The x1 encoder depth of the headline tables (the reference's figures: depth 1)."""
        return self.fixed_depths[0]

    def as_json(self) -> JSONObject:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}

    def cell_fingerprint(self) -> JSONObject:
        """Everything a cell's rows depend on (a resumed sweep must match it)."""
        out = self.as_json()
        for key in ("u_values", "seeds", "heterogeneity_check", "heterogeneity_quick"):
            out.pop(key)
        return out


# --quick: every D_phi of the reference (so ρ over D_phi is not quantised), a reduced depth
# ladder, one fixed depth, a quarter of the samples and fewer epochs. Minutes on two cores.
QUICK = SynthConfig(depths=(1, 2, 4, 7, 10), fixed_depths=(1,), n_samples=16384,
                    epochs_fixed=20, epochs_transformed=30, seeds=(0,), heterogeneity_quick=True)
FULL = SynthConfig()
