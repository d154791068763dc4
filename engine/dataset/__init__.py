"""Dataset import: manifest readers, encoding detection, column mapping and validation.

The readers (Pillow, openpyxl, the validators) load on first use: importing the plain
records (``engine.dataset.model``, which every store module needs) stays cheap, which keeps
the store's integrity-check child process fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from engine.dataset.model import Dataset, QuarantineEntry, Sample

if TYPE_CHECKING:
    from engine.dataset.columns import parse_map
    from engine.dataset.encoding import decode_text, describe_encoding
    from engine.dataset.loader import find_manifest, load_dataset
    from engine.dataset.manifest import Record, Table, read_manifest

_LAZY = {
    "parse_map": "engine.dataset.columns",
    "decode_text": "engine.dataset.encoding",
    "describe_encoding": "engine.dataset.encoding",
    "find_manifest": "engine.dataset.loader",
    "load_dataset": "engine.dataset.loader",
    "Record": "engine.dataset.manifest",
    "Table": "engine.dataset.manifest",
    "read_manifest": "engine.dataset.manifest",
}

__all__ = [
    "Dataset",
    "QuarantineEntry",
    "Record",
    "Sample",
    "Table",
    "decode_text",
    "describe_encoding",
    "find_manifest",
    "load_dataset",
    "parse_map",
    "read_manifest",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'engine.dataset' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
