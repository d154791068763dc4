"""MLP encoders for the synthetic study, trained with torch on the CPU, many at once.

torch is imported inside the functions only (the running app never loads it).

Architecture and recipe as in the reference: an encoder of depth d is d × [Linear(·, 12),
LeakyReLU(0.1)] followed by a linear head to the 4 classes; PyTorch's default Linear
initialisation; cross-entropy; AdamW (learning rate and weight decay given per redundancy
level, see :mod:`engine.synth.config`); the gradient norm clipped to 8; batches of 512,
reshuffled every epoch; the checkpoint with the best validation accuracy is kept.

A *group* is G encoders of the same depth trained side by side as one batched network
(weights [G, 12, 12], inputs [G, n, 12]). Every model has its own data, initialisation,
shuffling, gradient clipping and best checkpoint, and AdamW acts element-wise, so each
model follows exactly the path it would follow alone; batching only removes the per-step
overhead that dominates networks this small.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class TrainSpec:
    """How one group is trained (the same for every model of the group)."""

    depth: int
    epochs: int
    lr: float
    weight_decay: float
    width: int = 12
    n_classes: int = 4
    batch_size: int = 512
    clip_norm: float = 8.0


@dataclass(frozen=True)
class TrainedGroup:
    """What the study needs of each trained model of a group (lists indexed by model)."""

    layers: list[list[NDArray[np.float32]]]  # [model][layer] -> [n_align, width], post-activation
    test_accuracy: list[float]               # best-validation checkpoint, whole test part
    val_accuracy: list[float]                # the best validation accuracy
    best_epoch: list[int]                    # 0-based epoch of that checkpoint
    depth: int


@dataclass(frozen=True)
class GroupData:
    """Inputs [G, n, d] (float32, already z-scored) and labels [G, n] or [n] for each part."""

    x_train: NDArray[np.float32]
    y_train: NDArray[np.int64]
    x_val: NDArray[np.float32]
    y_val: NDArray[np.int64]
    x_test: NDArray[np.float32]
    y_test: NDArray[np.int64]
    n_align: int = 512  # the first n_align test rows give the alignment batch


def train_group(data: GroupData, spec: TrainSpec, seeds: list[int], *,
                threads: int | None = 1) -> TrainedGroup:
    """Train every model of the group; return its hidden layers on the alignment batch.

    ``seeds[m]`` fixes model m's initialisation and shuffling: a model trained in a group
    follows the same path as when trained alone with the same seed.
    """
    import torch

    previous_threads = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        return _GroupTrainer(data, spec, seeds).run()
    finally:
        torch.set_num_threads(previous_threads)


def _labels(y: NDArray[Any], g: int) -> Any:
    import torch

    t = torch.as_tensor(np.asarray(y, dtype=np.int64))
    return t.expand(g, -1).contiguous() if t.ndim == 1 else t


class _GroupTrainer:
    """The batched network: all parameters of all G models live in one [G, P] tensor."""

    def __init__(self, data: GroupData, spec: TrainSpec, seeds: list[int]) -> None:
        import torch

        self.spec = spec
        self.x_train = torch.as_tensor(np.ascontiguousarray(data.x_train, dtype=np.float32))
        if self.x_train.ndim != 3:
            raise ValueError("x_train must be [G, n, d]")
        self.g, self.n, in_dim = (int(v) for v in self.x_train.shape)
        self.y_train = _labels(data.y_train, self.g)
        self.x_val = torch.as_tensor(np.ascontiguousarray(data.x_val, dtype=np.float32))
        self.y_val = _labels(data.y_val, self.g)
        self.x_test = torch.as_tensor(np.ascontiguousarray(data.x_test, dtype=np.float32))
        self.y_test = _labels(data.y_test, self.g)
        self.n_align = min(data.n_align, int(self.x_test.shape[1]))
        if len(seeds) != self.g:
            raise ValueError(f"{self.g} models but {len(seeds)} seeds")
        self.gens = [torch.Generator().manual_seed(int(sd)) for sd in seeds]
        dims = [in_dim] + [spec.width] * spec.depth + [spec.n_classes]
        self.shapes = list(itertools.pairwise(dims))
        self.flat = self._init_params(torch)

    def _init_params(self, torch: Any) -> Any:
        """PyTorch's default Linear init: weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
        rows = []
        for gen in self.gens:
            parts = []
            for fan_in, fan_out in self.shapes:
                bound = 1.0 / float(np.sqrt(fan_in))
                size = fan_in * fan_out + fan_out
                parts.append((torch.rand(size, generator=gen) * 2.0 - 1.0) * bound)
            rows.append(torch.cat(parts))
        return torch.stack(rows).requires_grad_(True)

    def _forward(self, params: Any, x: Any) -> tuple[Any, list[Any]]:
        import torch

        h, hidden, off = x, [], 0
        last = len(self.shapes) - 1
        for i, (fan_in, fan_out) in enumerate(self.shapes):
            w = params[:, off:off + fan_in * fan_out].view(self.g, fan_in, fan_out)
            off += fan_in * fan_out
            b = params[:, off:off + fan_out].view(self.g, 1, fan_out)
            off += fan_out
            h = torch.bmm(h, w) + b  # bmm + add: ~3× faster than baddbmm at these sizes
            if i < last:
                h = torch.nn.functional.leaky_relu(h, 0.1)
                hidden.append(h)
        return h, hidden

    def _accuracy(self, params: Any, x: Any, y: Any) -> Any:
        import torch

        with torch.no_grad():
            correct = torch.zeros(self.g)
            for lo in range(0, int(x.shape[1]), 8192):
                logits, _ = self._forward(params, x[:, lo:lo + 8192])
                correct += (logits.argmax(dim=2) == y[:, lo:lo + 8192]).sum(dim=1).float()
            return correct / float(x.shape[1])

    def _epoch(self, opt: Any) -> None:
        import torch

        spec = self.spec
        perms = [torch.randperm(self.n, generator=gen) for gen in self.gens]
        xp = torch.stack([self.x_train[m].index_select(0, p) for m, p in enumerate(perms)])
        yp = torch.stack([self.y_train[m].index_select(0, p) for m, p in enumerate(perms)])
        for lo in range(0, self.n, spec.batch_size):
            logits, _ = self._forward(self.flat, xp[:, lo:lo + spec.batch_size])
            yb = yp[:, lo:lo + spec.batch_size]
            # log-softmax over the class axis laid out as [G, classes, batch]: a size-4
            # innermost axis is ~10× slower; the sum over models of each model's mean loss
            # gives every model its own gradient
            logp = torch.log_softmax(logits.transpose(1, 2).contiguous(), dim=1)
            loss = -logp.gather(1, yb.unsqueeze(1)).mean() * self.g
            opt.zero_grad(set_to_none=False)
            loss.backward()  # type: ignore[no-untyped-call]
            with torch.no_grad():
                grad = self.flat.grad
                norm = grad.norm(dim=1, keepdim=True)
                grad.mul_(torch.clamp(spec.clip_norm / (norm + 1e-6), max=1.0))
            opt.step()

    def run(self) -> TrainedGroup:
        import torch

        spec = self.spec
        opt = torch.optim.AdamW([self.flat], lr=spec.lr, weight_decay=spec.weight_decay)
        best = self.flat.detach().clone()
        best_acc = torch.zeros(self.g)
        best_epoch = torch.zeros(self.g, dtype=torch.int64)
        for epoch in range(spec.epochs):
            self._epoch(opt)
            acc = self._accuracy(self.flat.detach(), self.x_val, self.y_val)
            better = acc > best_acc  # strictly better, as the reference
            if bool(better.any()):
                best[better] = self.flat.detach()[better]
                best_acc = torch.where(better, acc, best_acc)
                best_epoch = torch.where(better, torch.tensor(epoch), best_epoch)
        test_acc = self._accuracy(best, self.x_test, self.y_test)
        with torch.no_grad():
            _, hidden = self._forward(best, self.x_test[:, :self.n_align])
        layers = [[h[m].numpy().astype(np.float32) for h in hidden] for m in range(self.g)]
        return TrainedGroup(layers=layers, test_accuracy=[float(v) for v in test_acc],
                            val_accuracy=[float(v) for v in best_acc],
                            best_epoch=[int(v) for v in best_epoch], depth=spec.depth)
