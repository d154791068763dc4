"""Cached results inside the store: one group per (name, key), several keys per name.

Layout (docs/store.md)::

    /results                     attrs: layout = 2, serial (int, bumps with every write)
    /results/<name>/<slot>       slot = first 32 hex digits of sha256(key)
        attrs: key, serial, written (UTC ISO 8601), payload (JSON) — or, for a payload
        over PAYLOAD_ATTR_MAX bytes, the dataset ``__payload_json__`` (uint8, UTF-8 JSON)
        datasets: the result's arrays

Stores written before layout 2 hold one result per name directly in ``/results/<name>``
(attrs ``key`` and ``payload``); they are read as they are and moved into a slot the
first time another result of that name is written. At most :data:`KEYS_PER_NAME` keys
are kept per name; the least recently written one makes room for a new key.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import h5py
import numpy as np

from engine.errors import StoreError
from engine.store.h5io import now_text
from engine.typed_json import JSONObject

LAYOUT = 2
KEYS_PER_NAME = 8
PAYLOAD_ATTR_MAX = 32 * 1024  # HDF5 object headers of the earliest format hold < 64 KiB
PAYLOAD_DATASET = "__payload_json__"


def slot_name(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _is_old_layout(group: h5py.Group) -> bool:
    return "key" in group.attrs


def read_result(f: h5py.File, name: str, key: str
                ) -> tuple[JSONObject, dict[str, np.ndarray]] | None:
    group = f.get(f"results/{name}")
    if not isinstance(group, h5py.Group):
        return None
    if not _is_old_layout(group):
        group = group.get(slot_name(key))
        if not isinstance(group, h5py.Group):
            return None
    if _text(group.attrs.get("key", "")) != key:
        return None
    if PAYLOAD_DATASET in group:
        payload = json.loads(bytes(np.asarray(group[PAYLOAD_DATASET][()], np.uint8)).decode("utf-8"))
    else:
        payload = json.loads(_text(group.attrs["payload"]))
    arrays = {k: np.asarray(group[k][()]) for k in group if k != PAYLOAD_DATASET}
    return payload, arrays


def result_keys(f: h5py.File, name: str) -> list[str]:
    group = f.get(f"results/{name}")
    if not isinstance(group, h5py.Group):
        return []
    if _is_old_layout(group):
        return [_text(group.attrs["key"])]
    slots = [group[s] for s in group if isinstance(group[s], h5py.Group)]
    slots.sort(key=lambda g: -int(g.attrs.get("serial", 0)))
    return [_text(g.attrs.get("key", "")) for g in slots]


def _migrate_old(results: h5py.Group, name: str) -> None:
    """Move a result of the old layout (the name's group itself) into its key's slot."""
    old = results[name]
    key = _text(old.attrs["key"])
    parked = f"{name}~migrating"
    results.move(name, parked)
    group = results.create_group(name)
    results.move(parked, f"{name}/{slot_name(key)}")
    moved = group[slot_name(key)]
    moved.attrs["serial"] = 0


def _evict(group: h5py.Group, keep: int) -> None:
    slots = sorted(group.keys(), key=lambda s: int(group[s].attrs.get("serial", 0)))
    for s in slots[: max(0, len(slots) - keep)]:
        del group[s]


def write_result(f: h5py.File, name: str, key: str, payload: JSONObject,
                 arrays: dict[str, np.ndarray]) -> None:
    """Write (name, key) into an open, writable store file (see journal.journaled_update)."""
    bad = [a for a in arrays if not a or "/" in a or a == PAYLOAD_DATASET]
    if bad:
        raise StoreError(f"result {name!r}: array names {bad} cannot be stored")
    text = json.dumps(payload)
    results = f.require_group("results")
    results.attrs["layout"] = LAYOUT
    serial = int(results.attrs.get("serial", 0)) + 1
    results.attrs["serial"] = serial
    if name in results and _is_old_layout(results[name]):
        _migrate_old(results, name)
    group = results.require_group(name)
    slot = slot_name(key)
    if slot in group:
        del group[slot]
    _evict(group, KEYS_PER_NAME - 1)
    g = group.create_group(slot)
    g.attrs["key"] = key
    g.attrs["serial"] = serial
    g.attrs["written"] = now_text()
    encoded = text.encode("utf-8")
    if len(encoded) <= PAYLOAD_ATTR_MAX:
        g.attrs["payload"] = text
    else:
        g.create_dataset(PAYLOAD_DATASET, data=np.frombuffer(encoded, np.uint8))
    for arr_name, arr in arrays.items():
        g.create_dataset(arr_name, data=np.asarray(arr))
