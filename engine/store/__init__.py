"""The crash-safe HDF5 project store (layout: docs/store.md)."""

from engine.store.build import TableSpec, add_tables, fingerprint, stored_fingerprint, write_dataset
from engine.store.lock import WriterLock
from engine.store.store import Store
from engine.store.writer import TableWriter

__all__ = [
    "Store",
    "TableSpec",
    "TableWriter",
    "WriterLock",
    "add_tables",
    "fingerprint",
    "stored_fingerprint",
    "write_dataset",
]
