"""Tokenising report texts for the text encoders (the `tokenizers` library, no torch).

The shipped tokenizer.json files fix padding and truncation at 128 tokens: both are
overridden here, explicitly, at the model's own maximum. Truncation is counted (a
text longer than the model takes is still encoded, from its first tokens, and the
caller learns how many were cut).

Reports of mixed length are batched in order of token length (:func:`length_sorted_order`):
padding to the longest text of a batch dominates the cost otherwise. Callers put the
results back in input order.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from engine.errors import InputError, ModelError


@dataclass
class TokenBatch:
    input_ids: np.ndarray  # int64 [b, t]
    attention_mask: np.ndarray  # int64 [b, t]
    truncated: int  # how many texts of the batch were cut at max_tokens


def pad_settings(path: Path) -> tuple[int, str]:
    """(pad id, pad token): the tokenizer file's own padding settings, else [PAD] / <pad>."""
    try:
        tok = Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises plain Exception subclasses
        raise ModelError(f"{path}: cannot load tokenizer ({exc})") from None
    shipped = tok.padding
    if shipped and shipped.get("pad_token") is not None:
        return int(shipped["pad_id"]), str(shipped["pad_token"])
    for token in ("[PAD]", "<pad>"):
        token_id = tok.token_to_id(token)
        if token_id is not None:
            return int(token_id), token
    return 0, tok.id_to_token(0) or "[PAD]"


class TextTokenizer:
    """Thread-safe wrapper: one configured ``Tokenizer`` per thread."""

    def __init__(self, path: Path, max_tokens: int) -> None:
        if not path.is_file():
            raise ModelError(f"tokenizer file {path} is missing")
        self.path = path
        self.max_tokens = int(max_tokens)
        self._local = threading.local()
        self.pad_id, self.pad_token = pad_settings(self.path)

    def _make(self, *, padding: bool, truncation: bool) -> Tokenizer:
        try:
            tok = Tokenizer.from_file(str(self.path))
        except Exception as exc:  # tokenizers raises plain Exception subclasses
            raise ModelError(f"{self.path}: cannot load tokenizer ({exc})") from None
        tok.no_padding()
        tok.no_truncation()
        if truncation:
            tok.enable_truncation(max_length=self.max_tokens)
        if padding:
            tok.enable_padding(pad_id=self.pad_id, pad_token=self.pad_token)
        return tok

    def _batch_tokenizer(self) -> Tokenizer:
        tok: Tokenizer | None = getattr(self._local, "batch", None)
        if tok is None:
            tok = self._make(padding=True, truncation=True)
            self._local.batch = tok
        return tok

    def _count_tokenizer(self) -> Tokenizer:
        tok: Tokenizer | None = getattr(self._local, "count", None)
        if tok is None:
            tok = self._make(padding=False, truncation=False)
            self._local.count = tok
        return tok

    def encode_batch(self, texts: Sequence[str]) -> TokenBatch:
        """Padded (to the longest in the batch) and truncated (at max_tokens) int64 inputs."""
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise InputError(f"text #{i}: expected a string, got {type(t).__name__}")
        encs = self._batch_tokenizer().encode_batch(list(texts))
        ids = np.array([e.ids for e in encs], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
        truncated = sum(1 for e in encs if e.overflowing)
        if ids.ndim != 2:  # empty batch
            ids = ids.reshape(len(encs), -1)
            mask = mask.reshape(len(encs), -1)
        return TokenBatch(ids, mask, truncated)

    def token_lengths(self, texts: Sequence[str]) -> np.ndarray:
        """Token count of each text before truncation (special tokens included)."""
        encs = self._count_tokenizer().encode_batch(list(texts))
        return np.array([len(e.ids) for e in encs], dtype=np.int64)


def check_texts(texts: Sequence[object]) -> None:
    """InputError naming the first item that is not a string (1-based, as a person counts)."""
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InputError(f"text #{i + 1}: expected a string, got {type(t).__name__}")


def length_sorted_order(lengths: Sequence[int] | np.ndarray) -> np.ndarray:
    """Row order for batching: longest first, ties in input order (stable, deterministic).

    Longest first puts the largest batch (memory) at the start, where a failure costs least.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    return np.argsort(-lengths, kind="stable").astype(np.int64)


def read_text_lines(path: Path) -> list[str]:
    """One text per line of a UTF-8 file (BOM allowed; trailing newline ignored); a device,
    pipe or file above the size limit is refused before reading."""
    from engine.safe_io import MAX_TEXT_LIST_BYTES, Refused, read_input

    if not path.exists():
        raise InputError(f"{path}: file not found")
    try:
        raw = read_input(path, "text list", MAX_TEXT_LIST_BYTES)
    except Refused as exc:
        raise InputError(f"{path}: {exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}: line {line} is not valid UTF-8 (byte {exc.start})") from None
    lines = text.splitlines()
    if not lines:
        raise InputError(f"{path}: no texts (the file is empty)")
    return lines
