"""Reviewed marks: the sample ids a quality engineer has checked, kept in the project store."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from engine.errors import StoreError

REVIEWED_RESULT = "suspects_reviewed"
REVIEWED_KEY = "reviewed-v1"


def load_reviewed(store_path: str | Path) -> set[str]:
    """Sample ids marked as reviewed in the store (empty when none were marked)."""
    from engine.store import Store

    with Store.open(store_path, mode="r") as st:
        got = st.get_result(REVIEWED_RESULT, REVIEWED_KEY)
    if got is None:
        return set()
    return {str(x) for x in got[0].get("ids", [])}


def save_reviewed(store_path: str | Path, reviewed: Iterable[str]) -> None:
    """Persist the reviewed marks (replaces the previous set)."""
    from engine.store import Store

    ids = sorted({str(x) for x in reviewed})
    try:
        with Store.open(store_path, mode="a") as st:
            st.put_result(REVIEWED_RESULT, REVIEWED_KEY, {"ids": ids})
    except OSError as exc:
        raise StoreError(f"cannot save reviewed marks in {store_path}: {exc}") from exc
