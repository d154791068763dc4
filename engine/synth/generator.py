"""The paper's synthetic generator (Tjandrasuwita et al., ICML 2025, section on controlled data).

Bits: xc in {0,1}^8 shared, xu1, xu2 in {0,1}^4 unique, all uniform.
x1 = [xc, xu1], x2 = [xc, xu2] (12-d each).
For redundancy r = 0..8 the label uses r bits of xc, floor((8 - r) / 2) bits of xu1 and
the rest from xu2, so uniqueness U = 8 - r. The label has 4 classes with
p(y|x) = softmax(bits · W / T), W 8×4 ~ U(0, 1) with L2-normalised rows, T = 0.05,
then per-class scaling so that p(y) is exactly uniform. Because the 8 selected bits
are uniform whatever r is, I(X1,X2;Y) is the same for every r (≈ 1.159 nats with
the default seed: see :func:`label_mutual_information`).

Heterogeneity (as the reference's data code): the **second** modality x2 passes through a
random Linear(12,12) followed by D_phi × [Tanh, Linear(12,12)] (D_phi = 0 is a single affine
map). Weights and biases follow PyTorch's default Linear initialisation, U(-1/sqrt(12),
1/sqrt(12)), drawn independently for every D_phi (a larger D_phi is a new network, not the
smaller one with layers appended). The transform is the same for every redundancy level and
data seed (it depends on ``transform_seed`` only). The data loader then z-scores every feature
with the training split's mean and standard deviation (:func:`split_standardised`). This
mostly ill-conditions x2 rather than bending it: the bits still explain ≈ 97-99 % of its
variance linearly.

Pure numpy: no torch here (training lives in :mod:`engine.synth.train_torch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError

N_SHARED = 8
N_UNIQUE = 4
N_SELECTED = 8
N_CLASSES = 4
TEMPERATURE = 0.05
DIM = N_SHARED + N_UNIQUE


@dataclass(frozen=True)
class LabelModel:
    """The label rule for one redundancy level."""

    r: int
    shared_bits: tuple[int, ...]   # indices into xc
    unique1_bits: tuple[int, ...]  # indices into xu1
    unique2_bits: tuple[int, ...]  # indices into xu2
    weights: NDArray[np.float64]   # [8, 4], rows L2-normalised
    bias: NDArray[np.float64]      # [4] log class scaling that makes p(y) uniform
    temperature: float

    @property
    def uniqueness(self) -> int:
        return N_SELECTED - self.r

    def selected(self, x1: NDArray[Any], x2: NDArray[Any]) -> NDArray[np.float64]:
        """The 8 label bits of each sample, [n, 8], from the two 12-d bit vectors."""
        xc = x1[:, :N_SHARED]
        xu1 = x1[:, N_SHARED:]
        xu2 = x2[:, N_SHARED:]
        parts = [xc[:, list(self.shared_bits)], xu1[:, list(self.unique1_bits)],
                 xu2[:, list(self.unique2_bits)]]
        return np.concatenate(parts, axis=1).astype(np.float64)

    def probabilities(self, bits: NDArray[Any]) -> NDArray[np.float64]:
        """p(y | selected bits), [n, 4]."""
        logits = np.asarray(bits, dtype=np.float64) @ self.weights / self.temperature + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        out: NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
        return out


def bit_split(r: int) -> tuple[int, int, int]:
    """(shared, unique-1, unique-2) bit counts used by the label at redundancy r."""
    if not 0 <= r <= N_SELECTED:
        raise InputError(f"redundancy r must be in 0..{N_SELECTED}, got {r}")
    u1 = (N_SELECTED - r) // 2
    return r, u1, N_SELECTED - r - u1


def all_patterns() -> NDArray[np.float64]:
    """All 256 patterns of the 8 selected bits, [256, 8]."""
    idx = np.arange(2**N_SELECTED)
    return ((idx[:, None] >> np.arange(N_SELECTED)[None, :]) & 1).astype(np.float64)


def make_label_model(r: int, seed: int = 0, temperature: float = TEMPERATURE) -> LabelModel:
    """Label rule at redundancy r. W depends on the seed only (the same W for every r)."""
    n_shared, n_u1, n_u2 = bit_split(r)
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.0, 1.0, size=(N_SELECTED, N_CLASSES))
    w /= np.linalg.norm(w, axis=1, keepdims=True)
    base = LabelModel(
        r=r,
        shared_bits=tuple(range(n_shared)),
        unique1_bits=tuple(range(n_u1)),
        unique2_bits=tuple(range(n_u2)),
        weights=w,
        bias=np.zeros(N_CLASSES),
        temperature=temperature,
    )
    # per-class scaling (a bias on the logits) so that p(y) is uniform over the 256
    # equally likely patterns: iterative proportional fitting, converges fast
    patterns = all_patterns()
    bias = np.zeros(N_CLASSES)
    for _ in range(2000):
        model = LabelModel(**{**base.__dict__, "bias": bias})
        py = model.probabilities(patterns).mean(axis=0)
        if np.max(np.abs(py - 1.0 / N_CLASSES)) < 1e-13:
            break
        bias = bias - np.log(py * N_CLASSES)
    return LabelModel(**{**base.__dict__, "bias": bias})


def label_mutual_information(model: LabelModel) -> float:
    """Exact I(X1,X2;Y) in nats (= I(selected bits; Y), the other bits are independent noise)."""
    p = model.probabilities(all_patterns())
    py = p.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p / py[None, :]), 0.0)
    return float(terms.sum(axis=1).mean())


def heterogeneity_layers(d_phi: int, seed: int = 0) -> list[NDArray[np.float64]]:
    """Random weights of Linear(12,12) + d_phi × [Tanh, Linear(12,12)], as [13, 12] (last row bias).

    PyTorch's default Linear initialisation: weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    Independent for every d_phi: the generator is seeded by (seed, d_phi).
    """
    if d_phi < 0:
        raise InputError(f"D_phi must be >= 0, got {d_phi}")
    rng = np.random.default_rng([10_000 + seed, d_phi])
    bound = 1.0 / np.sqrt(DIM)
    layers = []
    for _ in range(d_phi + 1):
        w = rng.uniform(-bound, bound, size=(DIM, DIM))
        b = rng.uniform(-bound, bound, size=(1, DIM))
        layers.append(np.vstack([w, b]))
    return layers


def apply_heterogeneity(x: NDArray[Any], d_phi: int, seed: int = 0) -> NDArray[np.float32]:
    """Transform modality-2 inputs: Linear, then d_phi × [Tanh, Linear]."""
    layers = heterogeneity_layers(d_phi, seed)
    h = np.asarray(x, dtype=np.float64)
    for i, wb in enumerate(layers):
        if i > 0:
            h = np.tanh(h)
        h = h @ wb[:-1] + wb[-1]
    return h.astype(np.float32)


@dataclass(frozen=True)
class SynthData:
    """One synthetic dataset: modality 1 (raw bits), transformed modality 2, labels, raw bits of 2."""

    x1: NDArray[np.float32]       # [n, 12] raw bits [xc, xu1]
    x2: NDArray[np.float32]       # [n, 12] [xc, xu2] after the heterogeneity transform
    y: NDArray[np.int64]          # [n]
    bits2: NDArray[np.float32]    # [n, 12] raw bits of modality 2
    r: int
    d_phi: int
    label_model: LabelModel


def generate(n: int, r: int, d_phi: int, *, seed: int = 0, label_seed: int = 0,
             transform_seed: int = 0) -> SynthData:
    """Draw n samples at redundancy r and heterogeneity d_phi (deterministic in the seeds).

    The bits and labels depend on (n, r, seed, label_seed) only, so calls that differ in
    d_phi alone return the same samples with differently transformed x2.
    """
    if n < 1:
        raise InputError(f"n must be >= 1, got {n}")
    rng = np.random.default_rng(seed)
    xc = rng.integers(0, 2, size=(n, N_SHARED))
    xu1 = rng.integers(0, 2, size=(n, N_UNIQUE))
    xu2 = rng.integers(0, 2, size=(n, N_UNIQUE))
    bits1 = np.concatenate([xc, xu1], axis=1).astype(np.float32)
    bits2 = np.concatenate([xc, xu2], axis=1).astype(np.float32)
    model = make_label_model(r, seed=label_seed)
    p = model.probabilities(model.selected(bits1, bits2))
    u = rng.random(n)
    y = np.minimum((np.cumsum(p, axis=1) < u[:, None]).sum(axis=1), N_CLASSES - 1)
    x2 = apply_heterogeneity(bits2, d_phi, seed=transform_seed)
    return SynthData(x1=bits1, x2=x2, y=y.astype(np.int64), bits2=bits2, r=r, d_phi=d_phi,
                     label_model=model)


@dataclass(frozen=True)
class Split:
    """Row indices of the train / validation / test parts (the reference: 70 / 15 / 15)."""

    train: NDArray[np.int64]
    val: NDArray[np.int64]
    test: NDArray[np.int64]


def split_rows(n: int, seed: int = 0, fractions: tuple[float, float] = (0.70, 0.15)) -> Split:
    """A seeded random 70/15/15 split of n rows (test = the rest)."""
    perm = np.random.default_rng([20_000, seed]).permutation(n)
    n_train = round(n * fractions[0])
    n_val = round(n * fractions[1])
    if n_train < 1 or n_val < 1 or n - n_train - n_val < 1:
        raise InputError(f"n = {n} is too small for a train/validation/test split")
    return Split(train=perm[:n_train], val=perm[n_train:n_train + n_val],
                 test=perm[n_train + n_val:])


def split_standardised(x: NDArray[Any], split: Split) -> tuple[NDArray[np.float32], ...]:
    """(train, val, test) parts of x, each feature z-scored with the training part's mean and sd.

    As the reference's data loader; a constant feature keeps sd 1 instead of dividing by 0.
    """
    arr = np.asarray(x, dtype=np.float64)
    train = arr[split.train]
    mean = train.mean(axis=0)
    sd = train.std(axis=0)
    sd[sd < 1e-12] = 1.0
    return tuple(((arr[idx] - mean) / sd).astype(np.float32)
                 for idx in (split.train, split.val, split.test))
