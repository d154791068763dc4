"""Batches prepared ahead of inference: image pixels decoded into reused buffers, prefetch depth.

Images are decoded by worker threads straight into a uint8 [b, S, S, 3] batch buffer taken
from a small pool (no per-image arrays, no fresh 5-20 MB batch arrays that would page-fault
every batch). Each batch is split into one contiguous chunk per worker, so a batch costs a
handful of thread hand-offs, not one per image. Models whose input is float32 NCHW (user
models) get the normalised batch from the same workers, chunk by chunk.

How many batches are prepared ahead follows the model's measured speed: enough decoded batches
to cover ``PREFETCH_SECONDS`` of inference (a GPU that eats a batch in 5 ms gets a deep queue
that absorbs a slow file; on a CPU two batches suffice), within ``PREFETCH_BYTES`` of buffers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import numpy as np

from engine.encoders.images import decode_into, normalise_batch

PREFETCH_SECONDS = 0.5
PREFETCH_MIN = 2
PREFETCH_MAX = 32
PREFETCH_BYTES = 512 << 20


def prefetch_depth(model_seconds_per_batch: float | None, batch_bytes: int) -> int:
    """Batches to keep in preparation while the model runs one, from its measured speed."""
    if model_seconds_per_batch is None or model_seconds_per_batch <= 0:
        return PREFETCH_MIN
    wanted = math.ceil(PREFETCH_SECONDS / model_seconds_per_batch)
    by_memory = PREFETCH_BYTES // max(1, batch_bytes)
    return max(PREFETCH_MIN, min(int(wanted), int(by_memory), PREFETCH_MAX))


class ModelPace:
    """Running estimate of the model's seconds per batch (exponential moving average)."""

    def __init__(self, weight: float = 0.3) -> None:
        self.seconds: float | None = None
        self.weight = weight

    def observe(self, seconds: float) -> None:
        self.seconds = seconds if self.seconds is None else (
            (1 - self.weight) * self.seconds + self.weight * seconds)


class BufferPool:
    """Reused arrays of one shape; ``take`` allocates only when none is free."""

    def __init__(self, shape: tuple[int, ...], dtype: Any) -> None:
        self.shape = shape
        self.dtype = np.dtype(dtype)
        self._free: list[np.ndarray] = []
        self.allocated = 0

    @property
    def nbytes(self) -> int:
        return int(np.prod(self.shape)) * int(self.dtype.itemsize)

    def take(self) -> np.ndarray:
        if self._free:
            return self._free.pop()
        self.allocated += 1
        return np.empty(self.shape, dtype=self.dtype)

    def give(self, buf: np.ndarray) -> None:
        self._free.append(buf)


def _decode_chunk(paths: Sequence[str | Path], pixels: np.ndarray, floats: np.ndarray | None,
                  prep: Mapping[str, Any], lo: int, hi: int) -> None:
    resample = str(prep.get("resample", "bilinear"))
    for j in range(lo, hi):
        decode_into(paths[j], pixels[j], resample=resample)
    if floats is not None:
        normalise_batch(pixels[lo:hi], prep, floats[lo:hi])


class ImageBatchJob:
    """One batch being decoded by the pool into buffers of ``pools``."""

    def __init__(self, pool: Executor, paths: Sequence[str | Path], prep: Mapping[str, Any],
                 pixel_pool: BufferPool, float_pool: BufferPool | None, workers: int) -> None:
        self._pixel_pool = pixel_pool
        self._float_pool = float_pool
        n = len(paths)
        self._pixel_buf = pixel_pool.take()
        self._float_buf = float_pool.take() if float_pool is not None else None
        self.pixels = self._pixel_buf[:n]
        self.floats = self._float_buf[:n] if self._float_buf is not None else None
        bounds = np.linspace(0, n, min(max(1, workers), max(1, n)) + 1).astype(int)
        self.futures: list[Future[None]] = [
            pool.submit(_decode_chunk, paths, self.pixels, self.floats, prep, int(lo), int(hi))
            for lo, hi in itertools.pairwise(bounds.tolist()) if hi > lo]

    def wait(self) -> np.ndarray:
        """The model input of this batch, once decoded (raises the first file's error)."""
        for f in self.futures:
            f.result()
        return self.floats if self.floats is not None else self.pixels

    def cancel(self) -> None:
        for f in self.futures:
            f.cancel()

    def release(self) -> None:
        """Give the buffers back (after inference, or once cancelled work has stopped)."""
        self._pixel_pool.give(self._pixel_buf)
        if self._float_buf is not None and self._float_pool is not None:
            self._float_pool.give(self._float_buf)
