"""Shared test helpers: a real project store from given embeddings; are the models exported?"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np


def make_embedding_store(path: Path, a: np.ndarray, b: np.ndarray) -> None:
    """Write a store at ``path`` with ids s000…, image model "img-x" = a, text model "txt-y" = b."""
    from engine.dataset.model import Dataset, Sample
    from engine.store import TableSpec, TableWriter, add_tables, write_dataset

    n = len(a)
    samples = [
        Sample(row=i + 1, id=f"s{i:03d}", image=path.parent / f"{i}.png", image_rel=f"{i}.png",
               report=f"report {i}", image_sha256=hashlib.sha256(b"i%d" % i).hexdigest(),
               report_sha256=hashlib.sha256(b"r%d" % i).hexdigest())
        for i in range(n)
    ]
    ds = Dataset(root=path.parent, source=str(path.parent), kind="manifest", encoding="utf-8",
                 n_rows=n, columns=[], label_columns=[], mapping={}, samples=samples, quarantine=[])
    write_dataset(path, ds)
    add_tables(path, [TableSpec("img-x", "image", a.shape[1], "1" * 64, {}),
                      TableSpec("txt-y", "text", b.shape[1], "2" * 64, {})])
    for modality, model, vec in (("image", "img-x", a), ("text", "txt-y", b)):
        writer = TableWriter(path, modality, model)
        writer.write(np.arange(n), vec)
        writer.flush()
        writer.close()


DEFAULT_IMAGE, DEFAULT_TEXT = "efficientnet-lite0", "paraphrase-minilm-l3"


def have_default_models() -> bool:
    """Whether the set-up exported the smallest rung of each ladder (`make models`)."""
    try:
        from engine.encoders import get_spec

        get_spec(DEFAULT_IMAGE)
        get_spec(DEFAULT_TEXT)
    except Exception:
        return False
    return True


MULTILINGUAL_TEXT = ("multilingual-e5-small", "use-multilingual-v3")


def have_multilingual_models() -> bool:
    """Whether `make models` exported the multilingual text rungs."""
    try:
        from engine.encoders import get_spec

        return all(get_spec(m).path.is_file() for m in MULTILINGUAL_TEXT)
    except Exception:
        return False
