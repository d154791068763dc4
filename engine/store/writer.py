"""In-place row writes of one embeddings table during an embed run.

Rows are written into storage allocated when the table was created; their ``done`` flags
are set only after the rows are flushed, so a killed run never marks a row it did not
finish. Flags are written in flush order, as one contiguous range per grid batch. The
table's pooled layers (``embed --layers``, engine/store/layers.py) follow the same rule with
their own ``layer_done`` flags.
"""

from __future__ import annotations

import time
from pathlib import Path

import h5py
import numpy as np

from engine.store import h5io, integrity, opening_check
from engine.store.layers import LAYER_DONE, LAYERS, layer_spec_of
from engine.store.layout import COMPUTED, PENDING, model_group


class TableWriter:
    def __init__(self, path: Path, modality: str, model_id: str, flush_seconds: float = 1.0) -> None:
        self.path = path
        self._f: h5py.File = h5io.open_update(path)
        opening_check.writing(path, True)
        g = self._f[model_group(modality, model_id)]
        self._vectors: h5py.Dataset = g["vectors"]
        self._done: h5py.Dataset = g["done"]
        self._truncated: h5py.Dataset | None = g["truncated"] if "truncated" in g else None
        self._crc: h5py.Dataset | None = g["row_crc32"] if "row_crc32" in g else None
        spec = layer_spec_of(g)
        self._layers: dict[str, h5py.Dataset] = {
            name: g[LAYERS][name] for name, _ in spec.stored} if spec is not None else {}
        self._layer_done: h5py.Dataset | None = g[LAYER_DONE] if spec is not None else None
        self._pending: list[int] = []
        self._pending_layers: list[int] = []
        self._flush_seconds = flush_seconds
        self._last_flush = time.perf_counter()

    def done_mask(self) -> np.ndarray:
        return np.asarray(self._done[()], dtype=np.uint8)

    def layer_done_mask(self) -> np.ndarray | None:
        """``layer_done`` of the table, or None when it has no layer table."""
        return None if self._layer_done is None else np.asarray(self._layer_done[()], dtype=np.uint8)

    def write_layers(self, rows: np.ndarray, values: dict[str, np.ndarray]) -> None:
        """Write the stored layers (all but the last) for sorted row indices."""
        try:
            for start, stop in h5io.contiguous_runs([int(r) for r in rows]):
                sel = (rows >= start) & (rows < stop)
                for name, ds in self._layers.items():
                    ds[start:stop] = values[name][sel]
        except OSError as exc:
            raise h5io.disk_error(self.path, exc) from exc
        self._pending_layers.extend(int(r) for r in rows)
        if time.perf_counter() - self._last_flush >= self._flush_seconds:
            self.flush()

    def write(self, rows: np.ndarray, vectors: np.ndarray, truncated: np.ndarray | None = None) -> None:
        """Write vectors for sorted row indices (flags follow at the next flush)."""
        try:
            for start, stop in h5io.contiguous_runs([int(r) for r in rows]):
                sel = (rows >= start) & (rows < stop)
                self._vectors[start:stop] = vectors[sel]
                if self._crc is not None:
                    self._crc[start:stop] = integrity.row_crc32(vectors[sel])
                if self._truncated is not None and truncated is not None:
                    self._truncated[start:stop] = truncated[sel].astype(np.uint8)
        except OSError as exc:
            raise h5io.disk_error(self.path, exc) from exc
        self._pending.extend(int(r) for r in rows)
        if time.perf_counter() - self._last_flush >= self._flush_seconds:
            self.flush()

    def flush(self) -> None:
        """Rows to disk first, then their done flags."""
        try:
            self._f.flush()
            for start, stop in h5io.contiguous_runs(sorted(self._pending)):
                self._done[start:stop] = np.full(stop - start, COMPUTED, np.uint8)
            if self._layer_done is not None:
                for start, stop in h5io.contiguous_runs(sorted(self._pending_layers)):
                    self._layer_done[start:stop] = np.full(stop - start, COMPUTED, np.uint8)
            self._f.flush()
        except OSError as exc:
            raise h5io.disk_error(self.path, exc) from exc
        self._pending.clear()
        self._pending_layers.clear()
        self._last_flush = time.perf_counter()

    def damaged_rows(self) -> list[int]:
        """Finished rows whose bytes no longer match their checksum (a damaged file) or
        that hold NaN/infinite values."""
        done = np.flatnonzero(self.done_mask() != PENDING)
        if done.size == 0:
            return []
        vectors = np.asarray(self._vectors[()])[done]
        bad = ~np.all(np.isfinite(vectors), axis=1)
        if self._crc is not None:
            bad |= np.asarray(self._crc[()])[done] != integrity.row_crc32(vectors)
        return [int(r) for r in done[bad]]

    def mark_pending(self, rows: list[int]) -> None:
        """Flag rows to be computed again (damaged or non-finite rows)."""
        try:
            for r in rows:
                self._done[r] = PENDING
            self._f.flush()
        except OSError as exc:
            raise h5io.disk_error(self.path, exc) from exc

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._f.close()
            opening_check.writing(self.path, False)
