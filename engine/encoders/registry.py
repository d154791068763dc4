"""Which encoders exist: the bundled ladder's manifest plus the user's registered models.

Bundled models live in ``$ALIGNSCOPE_MODELS_DIR`` or ``models_onnx/exported/``; user
models in ``$ALIGNSCOPE_USER_MODELS`` or ``~/.local/share/alignscope/models/``. Each folder
holds ``<id>.onnx`` (+ ``<id>.tokenizer.json`` for text) and a ``manifest.json``
``{"format": 1, "models": {id: card}}``. Folders are read on every call, so a model
exported or added while the app runs shows up at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import ModelError
from engine.typed_json import JSONObject

MANIFEST_NAME = "manifest.json"
DEFAULT_IMAGE_MODEL = "efficientnet-lite0"
DEFAULT_TEXT_MODEL = "paraphrase-minilm-l3"
MAX_DIM = 16_384  # embedding dimensions an encoder may have (a 20M-dimensional output is refused)


@dataclass(frozen=True)
class LayerSpec:
    """One pooled layer of an encoder: its name, the graph output holding it, its width."""

    name: str  # e.g. "stage3" (images), "layer2" or "embeddings" (texts)
    output: str  # graph output name; the last layer's is the model's own embedding output
    dim: int


@dataclass(frozen=True)
class ModelSpec:
    """Everything the app knows about one encoder (its manifest card)."""

    id: str
    modality: str  # "image" | "text"
    dim: int
    params: int
    source: str
    licence: str
    sha256: str
    path: Path
    input_size: int | None = None
    max_tokens: int | None = None
    preprocessing: JSONObject = field(default_factory=dict, compare=False, hash=False)
    parity: JSONObject | None = field(default=None, compare=False, hash=False)
    rung: int = 0
    user: bool = False
    tokenizer: Path | None = None
    input_names: tuple[str, ...] = ()
    output_name: str | None = None
    languages: tuple[str, ...] = ()  # ISO 639-1 codes from the card; () = not stated (image models)
    # pooled layers in depth order, the last one being the embedding itself; () = none exported
    layers: tuple[LayerSpec, ...] = ()

    @property
    def layer_names(self) -> list[str]:
        return [layer.name for layer in self.layers]

    def to_json(self) -> JSONObject:
        """The JSON object of `alignscope models --json`."""
        return {
            "id": self.id,
            "modality": self.modality,
            "dim": self.dim,
            "params": self.params,
            "source": self.source,
            "licence": self.licence,
            "sha256": self.sha256,
            "path": str(self.path),
            "input_size": self.input_size,
            "max_tokens": self.max_tokens,
            "preprocessing": self.preprocessing,
            "parity": self.parity,
            "rung": self.rung,
            "user": self.user,
            "languages": list(self.languages),
            "layers": self.layer_names,
            "layer_dims": [layer.dim for layer in self.layers],
        }


def bundled_dir() -> Path:
    env = os.environ.get("ALIGNSCOPE_MODELS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "models_onnx" / "exported"


def user_dir() -> Path:
    env = os.environ.get("ALIGNSCOPE_USER_MODELS")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "alignscope" / "models"


def read_manifest(folder: Path) -> JSONObject:
    """The manifest of ``folder`` ({"format", "models"}); empty when the folder has none."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {"format": 1, "models": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: model manifest cannot be read ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("models"), dict):
        raise ModelError(f"{path}: not an AlignScope model manifest (no 'models' object)")
    return data


def _spec_from_card(card: JSONObject, folder: Path, user: bool) -> ModelSpec:
    try:
        model_id = str(card["id"])
        tokenizer = card.get("tokenizer")
        inputs = card.get("inputs") or {}
        return ModelSpec(
            id=model_id,
            modality=str(card["modality"]),
            dim=int(card["dim"]),
            params=int(card.get("params") or 0),
            source=str(card.get("source", "")),
            licence=str(card.get("licence", "")),
            sha256=str(card["sha256"]),
            path=folder / str(card.get("file", f"{model_id}.onnx")),
            input_size=int(card["input_size"]) if card.get("input_size") else None,
            max_tokens=int(card["max_tokens"]) if card.get("max_tokens") else None,
            preprocessing=dict(card.get("preprocessing") or {}),
            parity=card.get("parity"),
            rung=int(card.get("rung", 0)),
            user=user,
            tokenizer=folder / str(tokenizer) if tokenizer else None,
            input_names=tuple(str(i) for i in inputs),
            output_name=card.get("output"),
            languages=tuple(str(x) for x in card.get("languages") or ()),
            layers=tuple(LayerSpec(str(x["name"]), str(x["output"]), int(x["dim"]))
                         for x in card.get("layers") or ()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{folder / MANIFEST_NAME}: model card {card.get('id', '?')!r} is incomplete ({exc})") from None


def _collect() -> list[ModelSpec]:
    specs: dict[str, ModelSpec] = {}
    for folder, user in ((bundled_dir(), False), (user_dir(), True)):
        for card in read_manifest(folder)["models"].values():
            spec = _spec_from_card(card, folder, user)
            if spec.id not in specs and spec.path.is_file():
                specs[spec.id] = spec
    ordered = sorted(specs.values(), key=lambda s: (s.modality, s.params, s.id))
    # rung = position in the ladder of its modality among the models present, 0 = smallest
    out: list[ModelSpec] = []
    counters: dict[str, int] = {}
    for spec in ordered:
        rung = counters.get(spec.modality, 0)
        counters[spec.modality] = rung + 1
        out.append(_replace_rung(spec, rung))
    return out


def _replace_rung(spec: ModelSpec, rung: int) -> ModelSpec:
    from dataclasses import replace

    return replace(spec, rung=rung)


def list_models() -> list[ModelSpec]:
    """Bundled (exported) and user-registered models, sorted by modality then size."""
    return _collect()


def get_spec(model_id: str) -> ModelSpec:
    """The card of ``model_id``; :class:`ModelError` listing the known ids otherwise."""
    specs = _collect()
    for spec in specs:
        if spec.id == model_id:
            return spec
    known = ", ".join(s.id for s in specs) or "none (run `make models` to export the bundled ladder)"
    raise ModelError(f"unknown model {model_id!r}; known models: {known}")


_HASH_CACHE: dict[tuple[str, int, int], str] = {}
_HASH_LOCK = threading.Lock()


def sha256_file(path: Path) -> str:
    """sha256 of a file (cached in-process by path, size and modification time)."""
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    with _HASH_LOCK:
        cached = _HASH_CACHE.get(key)
    if cached is not None:
        return cached
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    with _HASH_LOCK:
        _HASH_CACHE[key] = digest
    return digest


def verify_sha256(spec: ModelSpec) -> None:
    """Refuse a model file whose bytes differ from its manifest's sha256."""
    if not spec.path.is_file():
        raise ModelError(f"model {spec.id!r}: file {spec.path} is missing (re-run `make models`)")
    digest = sha256_file(spec.path)
    if digest != spec.sha256:
        raise ModelError(
            f"model {spec.id!r}: {spec.path} does not match its manifest (sha256 {digest[:16]}… "
            f"expected {spec.sha256[:16]}…); the file was changed or damaged — re-export it "
            f"(`python -m models_onnx.export --models {spec.id} --force`) or re-add it"
        )
