"""Names and constants of the store layout (documented for plain-h5py users in docs/store.md)."""

from __future__ import annotations

FORMAT = "alignscope-store"
FORMAT_VERSION = 1
MODALITIES: tuple[str, ...] = ("image", "text")

# per-row state of an embeddings table (dataset "done")
PENDING = 0
COMPUTED = 1  # computed by an embed run into this table
CACHED = 2  # carried over from an earlier table with the same content sha256 and model sha256
IMPORTED = 3  # brought in by `alignscope import-embeddings` (an external model)

CHUNK_BYTES = 1 << 20  # about 1 MiB of rows per chunk


def model_group(modality: str, model_id: str) -> str:
    return f"embeddings/{modality}/{model_id}"


def chunk_rows(n: int, dim: int) -> int:
    return max(1, min(n, CHUNK_BYTES // max(1, dim * 4)))
