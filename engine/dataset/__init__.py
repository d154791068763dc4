"""Dataset import: manifest readers, encoding detection, column mapping and validation."""

from engine.dataset.columns import parse_map
from engine.dataset.encoding import decode_text, describe_encoding
from engine.dataset.loader import find_manifest, load_dataset
from engine.dataset.manifest import Record, Table, read_manifest
from engine.dataset.model import Dataset, QuarantineEntry, Sample

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
