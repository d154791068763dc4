"""Engine job compositions the GUI runs in workers (no Qt here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.progress import Progress, report


def build_demo_store(demo_dir: Path, store: Path, n: int | None = None,
                     progress: Progress | None = None) -> Any:
    """Write the demo dataset when missing, then embed it (resumes; cached rows are skipped)."""
    from engine.dataset import find_manifest
    from engine.demo import build_demo
    from engine.embed import run_embed

    demo_dir = Path(demo_dir)
    if find_manifest(demo_dir) is None:
        report(progress, 0, 1, "writing the demo dataset")
        build_demo(demo_dir, n=n, progress=progress)
    store.parent.mkdir(parents=True, exist_ok=True)
    return run_embed(demo_dir, store, progress=progress)


def store_ready(store: Path) -> bool:
    """True when the store has complete embeddings of at least one image and one text model."""
    from engine.errors import AlignScopeError
    from engine.store import Store

    if not Path(store).is_file():
        return False
    try:
        with Store.open(store, mode="r") as st:
            models = st.models()
            return all(any(st.is_complete(m) for m in models.get(mod, [])) for mod in ("image", "text"))
    except (AlignScopeError, OSError):
        return False
