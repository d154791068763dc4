"""Small MLP encoders for the synthetic study, trained with torch on the CPU.

torch is imported inside the functions only (the running app never loads it).
Architecture as in the paper: width 12, ``depth`` hidden layers of Linear + LeakyReLU(0.1),
then a linear classification head; trained on the label with cross-entropy (Adam).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class TrainedEncoder:
    """Hidden representations of an evaluation batch, one array per hidden layer, and accuracy."""

    layers: list[NDArray[np.float32]]  # each [n_eval, width], post-activation
    accuracy: float                    # on the evaluation batch
    depth: int


def train_mlp(
    x_train: NDArray[Any],
    y_train: NDArray[Any],
    x_eval: NDArray[Any],
    y_eval: NDArray[Any],
    *,
    depth: int = 4,
    width: int = 12,
    n_classes: int = 4,
    epochs: int = 30,
    batch_size: int = 256,
    lr: float = 1e-2,
    seed: int = 0,
    threads: int | None = 1,
) -> TrainedEncoder:
    """Train one MLP encoder on (x_train, y_train); return its hidden layers on x_eval."""
    import torch

    previous_threads = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        return _train(x_train, y_train, x_eval, y_eval, depth, width, n_classes, epochs, batch_size, lr, seed)
    finally:
        torch.set_num_threads(previous_threads)


def _train(x_train: NDArray[Any], y_train: NDArray[Any], x_eval: NDArray[Any], y_eval: NDArray[Any],
           depth: int, width: int, n_classes: int, epochs: int, batch_size: int, lr: float,
           seed: int) -> TrainedEncoder:
    import torch
    from torch import nn

    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    in_dim = int(x_train.shape[1])
    blocks: list[nn.Module] = []
    prev = in_dim
    for _ in range(depth):
        blocks.append(nn.Sequential(nn.Linear(prev, width), nn.LeakyReLU(0.1)))
        prev = width
    body = nn.ModuleList(blocks)
    head = nn.Linear(prev, n_classes)
    params = [p for b in body for p in b.parameters()] + list(head.parameters())
    opt = torch.optim.Adam(params, lr=lr)
    loss_fn = nn.CrossEntropyLoss()

    xt = torch.as_tensor(np.asarray(x_train, dtype=np.float32))
    yt = torch.as_tensor(np.asarray(y_train, dtype=np.int64))
    n = xt.shape[0]

    def forward(x: Any) -> tuple[Any, list[Any]]:
        hidden = []
        h = x
        for blk in body:
            h = blk(h)
            hidden.append(h)
        return head(h), hidden

    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(epochs, 1))
    for _ in range(epochs):
        perm = torch.randperm(n, generator=gen)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]
            logits, _ = forward(xt[idx])
            loss = loss_fn(logits, yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()

    with torch.no_grad():
        xe = torch.as_tensor(np.asarray(x_eval, dtype=np.float32))
        logits, hidden = forward(xe)
        pred = logits.argmax(dim=1).numpy()
    acc = float(np.mean(pred == np.asarray(y_eval)))
    layers = [h.numpy().astype(np.float32) for h in hidden]
    return TrainedEncoder(layers=layers, accuracy=acc, depth=depth)
