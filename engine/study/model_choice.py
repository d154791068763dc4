"""Which models the study uses and which pair is the default: one resolver for every surface."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from engine.encoders.registry import DEFAULT_IMAGE_MODEL, DEFAULT_TEXT_MODEL
from engine.errors import InputError
from engine.study.messages import msg
from engine.study.result import ModelChoice, ModelPair

MODALITIES: tuple[str, str] = ("image", "text")


def _pick(complete: Sequence[str], wanted: str | None, preferred: Sequence[str], modality: str,
          source: str) -> tuple[str, str]:
    if wanted is not None:
        if wanted not in complete:
            raise InputError(f"{source}: {modality} model '{wanted}' has no complete embeddings; "
                             f"complete: {', '.join(complete) or 'none'}")
        return wanted, "why_requested"
    for p in preferred:
        if p in complete:
            return p, "why_default" if p == preferred[-1] else "why_language"
    return complete[0], "why_first"


def choose_models_for_store(st: Any, *, image: str | None = None, text: str | None = None) -> ModelChoice:
    """:func:`choose_models` for an open store, reading its reports' script mix: Japanese reports
    get a multilingual report encoder as the default when one is embedded."""
    from engine.dataset.language import headline_text_model, open_store_script_mix

    models = st.models()
    mix, _ = open_store_script_mix(st)
    complete_text = [m for m in models.get("text", []) if st.is_complete(m)]
    fit = headline_text_model(mix, complete_text, DEFAULT_TEXT_MODEL)
    prefer = [fit] if fit is not None and mix.needs_multilingual else []
    return choose_models(models, st.is_complete, image=image, text=text, prefer_text=prefer,
                         source=str(st.path))


def choose_models(models: Mapping[str, Sequence[str]], is_complete: Callable[[str], bool], *,
                  image: str | None = None, text: str | None = None,
                  prefer_text: Sequence[str] = (), source: str = "store") -> ModelChoice:
    """The complete image/text models and the default pair (with why, as a "models_reason" message).

    The default pair is the requested one, else the bundled default rung of each ladder when
    complete (``prefer_text`` first, e.g. a multilingual rung for Japanese reports), else the
    first complete model of each modality.
    """
    complete = {m: [i for i in models.get(m, []) if is_complete(i)] for m in MODALITIES}
    left_out = tuple(sorted(i for m in MODALITIES for i in models.get(m, []) if i not in complete[m]))
    if not complete["image"] or not complete["text"]:
        raise InputError(f"{source}: the study needs complete embeddings of at least one image and "
                         f"one text model; complete: image {complete['image'] or 'none'}, text "
                         f"{complete['text'] or 'none'}" + (f"; incomplete: {', '.join(left_out)}"
                                                             if left_out else ""))
    img, why_i = _pick(complete["image"], image, (DEFAULT_IMAGE_MODEL,), "image", source)
    txt, why_t = _pick(complete["text"], text, (*prefer_text, DEFAULT_TEXT_MODEL), "text", source)
    reason = msg("models_reason", image=img, image_why_key=why_i, text=txt, text_why_key=why_t)
    return ModelChoice(image=tuple(complete["image"]), text=tuple(complete["text"]),
                       default=ModelPair(img, txt), reason=reason, left_out=left_out)
