"""A contrastive (InfoNCE / CLIP-style) linear head pair trained with torch.

torch is imported inside the function only. CPU by default; CUDA when asked and available.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


def train_contrastive_heads(
    a: NDArray[Any],
    b: NDArray[Any],
    *,
    dim: int = 64,
    epochs: int = 60,
    batch_size: int = 256,
    lr: float = 3e-3,
    weight_decay: float = 1e-4,
    temperature: float = 0.07,
    seed: int = 0,
    device: str = "cpu",
    threads: int | None = None,
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Train linear maps Wa [da, dim], Wb [db, dim] with the symmetric InfoNCE loss on paired rows.

    Inputs should be centred/standardised by the caller. Returns (Wa, Wb) as numpy arrays;
    embeddings are then ``a @ Wa`` and ``b @ Wb`` (compare by cosine).
    """
    import torch

    previous_threads = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        return _train(a, b, dim, epochs, batch_size, lr, weight_decay, temperature, seed, device)
    finally:
        torch.set_num_threads(previous_threads)


def _train(a: NDArray[Any], b: NDArray[Any], dim: int, epochs: int, batch_size: int, lr: float,
           weight_decay: float, temperature: float, seed: int, device: str
           ) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    import torch
    from torch.nn import functional as F

    if device == "cuda" and not torch.cuda.is_available():
        device = "cpu"
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    ta = torch.as_tensor(np.asarray(a, dtype=np.float32), device=device)
    tb = torch.as_tensor(np.asarray(b, dtype=np.float32), device=device)
    n = ta.shape[0]
    wa = torch.nn.Linear(ta.shape[1], dim, bias=False).to(device)
    wb = torch.nn.Linear(tb.shape[1], dim, bias=False).to(device)
    opt = torch.optim.AdamW(list(wa.parameters()) + list(wb.parameters()), lr=lr,
                            weight_decay=weight_decay)
    bs = min(batch_size, n)
    for _ in range(epochs):
        perm = torch.randperm(n, generator=gen).to(device)
        for start in range(0, n - bs + 1, bs):
            idx = perm[start:start + bs]
            za = F.normalize(wa(ta[idx]), dim=1)
            zb = F.normalize(wb(tb[idx]), dim=1)
            logits = za @ zb.T / temperature
            target = torch.arange(idx.shape[0], device=device)
            loss = 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target))
            opt.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
    with torch.no_grad():
        out_a = wa.weight.detach().cpu().numpy().T.astype(np.float32)
        out_b = wb.weight.detach().cpu().numpy().T.astype(np.float32)
    return out_a, out_b
