"""Registering the user's own ONNX encoders (`alignscope models add`).

The file is checked before anything is copied: it must parse as ONNX, keep any external
weight files inside its own folder, have the inputs its modality needs (images: one
float32 tensor [batch, 3, H, W], fed ``(x*scale - mean) / std`` from the card, or one uint8
tensor [batch, H, W, 3] of raw RGB pixels that the model normalises itself, as the bundled
ladder does; texts: int64 ``input_ids`` and ``attention_mask``, optional
``token_type_ids``, plus a tokenizer.json), and run one dummy batch of two giving
[2, dim] (or token outputs [2, T, dim], mean-pooled). It is then copied with its data
files and tokenizer into ``user_dir()/<id>/`` and recorded in that folder's manifest.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from engine.encoders.images import IMAGE_DEFAULTS
from engine.encoders.registry import (
    MANIFEST_NAME,
    MAX_DIM,
    ModelSpec,
    get_spec,
    list_models,
    read_manifest,
    sha256_file,
    user_dir,
)
from engine.errors import ModelError
from engine.typed_json import JSONObject

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
TEXT_INPUTS = {"input_ids", "attention_mask", "token_type_ids"}
DUMMY_TEXTS = ("A short inspection report.", "Scratch on the left edge, 2 mm long, severity low.")


def _read_card(card_path: Path | None) -> JSONObject:
    if card_path is None:
        return {}
    try:
        with card_path.open("rb") as f:
            card = tomllib.load(f)
    except FileNotFoundError:
        raise ModelError(f"{card_path}: card file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"{card_path}: not valid TOML ({exc})") from None
    return dict(card.get("model", card))


def _external_files(path: Path) -> list[Path]:
    """External data files the model refers to; refuse any that leave its folder."""
    try:
        import onnx
        from google.protobuf.message import DecodeError
    except ImportError:  # pragma: no cover - onnx ships with the app
        raise ModelError("the `onnx` package is needed to check a model file (pip install onnx)") from None
    try:
        model = onnx.load(str(path), load_external_data=False)
    except (DecodeError, ValueError, OSError, RuntimeError) as exc:
        raise ModelError(f"{path}: not a valid ONNX model ({type(exc).__name__}: {exc})") from None
    if not model.graph.node and not model.graph.output:
        raise ModelError(f"{path}: not a valid ONNX model (empty graph)")
    folder = path.parent.resolve()
    found: list[Path] = []
    tensors = list(model.graph.initializer)
    for node in model.graph.node:
        tensors.extend(a.t for a in node.attribute if a.HasField("t"))
    for tensor in tensors:
        if tensor.data_location != onnx.TensorProto.EXTERNAL:
            continue
        location = next((e.value for e in tensor.external_data if e.key == "location"), "")
        target = (folder / location).resolve()
        if not location or Path(location).is_absolute() or not target.is_relative_to(folder):
            raise ModelError(
                f"{path}: tensor {tensor.name!r} keeps its weights in {location!r}, outside the "
                "model's folder; refused (external data must sit beside the .onnx file)")
        if not target.is_file():
            raise ModelError(f"{path}: external data file {target} is missing")
        if target not in found:
            found.append(target)
    return found


def _check_inputs(sess: Any, modality: str, path: Path) -> None:
    inputs = {i.name: i for i in sess.get_inputs()}
    if modality == "image":
        if len(inputs) != 1:
            raise ModelError(f"{path}: an image model needs exactly one input [batch, 3, H, W]; "
                             f"this one has {sorted(inputs)}")
        (inp,) = inputs.values()
        pixels = inp.type == "tensor(uint8)"
        channels = (inp.shape[3] if pixels else inp.shape[1]) if len(inp.shape) == 4 else None
        if inp.type not in ("tensor(float)", "tensor(uint8)") or len(inp.shape) != 4 or (
                isinstance(channels, int) and channels != 3):
            raise ModelError(f"{path}: image input {inp.name!r} is {inp.type} {inp.shape}; "
                             "expected float32 [batch, 3, H, W] or uint8 pixels [batch, H, W, 3]")
    else:
        missing = {"input_ids", "attention_mask"} - set(inputs)
        extra = set(inputs) - TEXT_INPUTS
        if missing or extra:
            raise ModelError(f"{path}: a text model needs inputs input_ids and attention_mask "
                             f"(optionally token_type_ids); this one has {sorted(inputs)}")
        for name in inputs:
            if inputs[name].type != "tensor(int64)" or len(inputs[name].shape) != 2:
                raise ModelError(f"{path}: input {name!r} is {inputs[name].type} {inputs[name].shape}; "
                                 "expected int64 [batch, sequence]")
    for inp in sess.get_inputs():
        if isinstance(inp.shape[0], int) and inp.shape[0] != 2:
            raise ModelError(f"{path}: input {inp.name!r} has a fixed batch size of {inp.shape[0]}; "
                             "export it with a dynamic batch axis")


def _pixel_input(sess: Any) -> bool:
    return bool(sess.get_inputs()[0].type == "tensor(uint8)")


def _image_size(sess: Any, card: JSONObject, path: Path) -> int:
    shape = sess.get_inputs()[0].shape
    spatial = shape[1:3] if _pixel_input(sess) else shape[2:]
    fixed = [d for d in spatial if isinstance(d, int)]
    if len(fixed) == 2 and fixed[0] != fixed[1]:
        raise ModelError(f"{path}: non-square input {spatial} is not supported")
    size = int(card.get("input_size") or (fixed[0] if fixed else 224))
    if fixed and size != fixed[0]:
        raise ModelError(f"{path}: card input_size {size} differs from the model's {fixed[0]}")
    return size


def add_user_model(file: Path, modality: str, model_id: str, card_path: Path | None = None) -> ModelSpec:
    """Validate ``file`` and register it as ``model_id``; returns its spec."""
    import onnxruntime as ort

    from engine.encoders.runtime import Encoder, create_session

    file = Path(file)
    if modality not in ("image", "text"):
        raise ModelError(f"modality must be 'image' or 'text' (got {modality!r})")
    if not ID_PATTERN.match(model_id):
        raise ModelError(f"model id {model_id!r}: use letters, digits, '.', '_' or '-' (at most 64)")
    if any(s.id == model_id for s in list_models()):
        raise ModelError(f"model id {model_id!r} is already taken; choose another --id")
    if not file.is_file():
        raise ModelError(f"{file}: file not found")
    card = _read_card(card_path)
    data_files = _external_files(file)
    sess, _ = create_session(file, "cpu", 1)
    _check_inputs(sess, modality, file)
    output = str(card.get("output") or sess.get_outputs()[0].name)
    if output not in {o.name for o in sess.get_outputs()}:
        raise ModelError(f"{file}: card output {output!r} is not an output of the model")
    entry: JSONObject = {
        "id": model_id, "modality": modality, "user": True,
        "source": str(card.get("source", f"user file {file.name}")),
        "licence": str(card.get("licence", card.get("license", "unknown"))),
        "description": str(card.get("description", "")),
        "inputs": {i.name: list(i.shape) for i in sess.get_inputs()}, "output": output,
    }
    if modality == "text" and card.get("languages"):  # e.g. languages = ["ja", "en"]
        entry["languages"] = [str(x) for x in card["languages"]]
    tokenizer_src: Path | None = None
    if modality == "image":
        size = _image_size(sess, card, file)
        prep = {**IMAGE_DEFAULTS, "size": size}
        for key in ("mean", "std", "scale", "resample"):
            if key in card:
                prep[key] = card[key]
        if _pixel_input(sess):  # raw pixels in: the model normalises them itself
            prep.update(layout="NHWC", dtype="uint8", normalisation="in_graph")
            for key in ("mean", "std", "scale"):
                prep.pop(key, None)
        entry.update(input_size=size, max_tokens=None, preprocessing=prep)
    else:
        tok = card.get("tokenizer")
        base = card_path.parent if (tok and card_path is not None) else file.parent
        tokenizer_src = (base / str(tok)) if tok else file.parent / "tokenizer.json"
        if not tokenizer_src.is_file():
            raise ModelError(f"{file}: a text model needs its tokenizer.json (beside the model, or "
                             f"`tokenizer = \"...\"` in the card); {tokenizer_src} not found")
        max_tokens = int(card.get("max_tokens", 512))
        entry.update(input_size=None, max_tokens=max_tokens, preprocessing={
            "tokenizer": "tokenizer.json", "max_tokens": max_tokens, "padding": "longest_in_batch",
            "truncation": "right", "pooling": "model output (token outputs: attention-masked mean)",
            "normalize": "l2 when pooled here"})
    # one dummy batch through the real runtime path
    probe_dim = int(card.get("dim") or 0)
    probe = ModelSpec(id=model_id, modality=modality, dim=probe_dim or -1, params=0, source="",
                      licence="", sha256="", path=file, input_size=entry["input_size"],
                      max_tokens=entry["max_tokens"], preprocessing=entry["preprocessing"],
                      tokenizer=tokenizer_src, output_name=output)
    enc = Encoder(probe, sess, "CPUExecutionProvider", 1, workers=1)
    if modality == "image":
        size = int(entry["input_size"])
        dummy = np.zeros((2, size, size, 3), np.uint8) if _pixel_input(sess) else np.zeros(
            (2, 3, size, size), np.float32)
        feeds = {sess.get_inputs()[0].name: dummy}
    else:
        feeds, _ = enc._text_feeds(list(DUMMY_TEXTS))
    try:
        raw = np.asarray(sess.run([output], feeds)[0])
    except Exception as exc:  # onnxruntime's own error classes
        raise ModelError(f"{file}: the model fails on a dummy batch ({' '.join(str(exc).split())[:300]})") from None
    if raw.ndim not in (2, 3, 4) or raw.shape[0] != 2:
        raise ModelError(f"{file}: output {output!r} has shape {list(raw.shape)} for a batch of 2; "
                         "expected [2, dim]")
    dim = int(raw.shape[-1]) if raw.ndim in (2, 3) else int(raw.shape[1])
    if not 0 < dim <= MAX_DIM:
        raise ModelError(f"{file}: output {output!r} has {dim:,} dimensions per sample; AlignScope "
                         f"takes 1 to {MAX_DIM:,} (is it a feature map rather than an embedding?)")
    if probe_dim and probe_dim != dim:
        raise ModelError(f"{file}: card says dim {probe_dim} but the model outputs {dim}")
    if not np.all(np.isfinite(raw)):
        raise ModelError(f"{file}: the dummy batch gave NaN or infinite values")
    _real_input_trial(enc, probe, dim, file)
    del enc, sess
    entry["dim"] = dim
    entry["params"] = int(card.get("params") or _count_params(file))
    _install(file, data_files, tokenizer_src, model_id, entry)
    ort.set_default_logger_severity(4)
    return get_spec(model_id)


TRIAL_TEXTS = ("Scratch on the left edge, 2 mm long.", "No defect found.",
               "表面に傷あり、左上。", "Surface stain, wipe and re-inspect.")


def _trial_images(folder: Path) -> list[Path]:
    """Four natural-looking test images (gradients, texture, a dark and a bright one)."""
    from PIL import Image

    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:160, 0:200].astype(np.float32)
    pictures = [
        np.stack([xx / 200 * 255, yy / 160 * 255, (xx + yy) / 360 * 255], axis=-1),
        128 + 60 * np.sin(xx[..., None] / 7.0) + rng.normal(0, 20, (160, 200, 3)),
        rng.normal(30, 10, (160, 200, 3)),
        rng.normal(225, 10, (160, 200, 3)),
    ]
    paths = []
    for i, pic in enumerate(pictures):
        path = folder / f"trial_{i}.png"
        Image.fromarray(np.clip(pic, 0, 255).astype(np.uint8)).save(path)
        paths.append(path)
    return paths


def _real_input_trial(enc: Any, probe: ModelSpec, dim: int, file: Path) -> None:
    """Encode real images or sentences through the app's own pipeline: a model that gives
    NaN on real inputs (but not on zeros) is refused before it is registered."""
    import tempfile
    from dataclasses import replace

    from engine.embed import sane_rows

    enc.spec = replace(probe, dim=dim)
    with tempfile.TemporaryDirectory(prefix="alignscope-trial-") as tmp:
        items: list[Any] = _trial_images(Path(tmp)) if probe.modality == "image" else list(TRIAL_TEXTS)
        try:
            out = enc.encode(items, batch_size=2)
        except Exception as exc:  # onnxruntime's own error classes
            raise ModelError(f"{file}: the model fails on real {probe.modality} inputs "
                             f"({' '.join(str(exc).split())[:300]})") from None
    bad = int(np.count_nonzero(~sane_rows(out)))
    if bad:
        raise ModelError(f"{file}: on {bad} of {len(out)} real test {probe.modality}s the model gives "
                         "NaN, infinite or absurd values; it would poison every study. Fix the "
                         "export (e.g. its normalisation or pooling) and add it again")


def _count_params(path: Path) -> int:
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    return int(sum(int(np.prod(t.dims)) for t in model.graph.initializer))


def _install(file: Path, data_files: list[Path], tokenizer: Path | None, model_id: str,
             entry: JSONObject) -> None:
    root = user_dir()
    target = root / model_id
    if target.exists():
        raise ModelError(f"{target} already exists; remove it or choose another --id")
    target.mkdir(parents=True)
    try:
        shutil.copy2(file, target / file.name)
        src_folder = file.parent.resolve()
        for data in data_files:
            dest = target / data.relative_to(src_folder)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(data, dest)
        if tokenizer is not None:
            shutil.copy2(tokenizer, target / "tokenizer.json")
            entry["tokenizer"] = f"{model_id}/tokenizer.json"
        entry["file"] = f"{model_id}/{file.name}"
        entry["sha256"] = sha256_file(target / file.name)
        entry["added"] = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        manifest = read_manifest(root)
        manifest["models"][model_id] = entry
        tmp = root / (MANIFEST_NAME + ".tmp")
        tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        tmp.replace(root / MANIFEST_NAME)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
