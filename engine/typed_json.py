"""Frozen dataclasses ⇄ plain JSON, driven by the classes' type hints.

One converter for every typed result of the engine (the study, its parts, the per-pair
scores), so a result class is declared once and its JSON follows from it:

- :func:`to_json` turns a dataclass (nested dataclasses, tuples, lists, dicts with str keys,
  ``float``/``int``/``str``/``bool``/``None``, numpy scalars) into JSON-ready Python values.
  Non-finite floats become ``None`` (strict JSON has no NaN). Fields declared with
  ``field(metadata=NOT_JSON)`` (bulky per-sample arrays) are left out.
- :func:`from_json` rebuilds an instance of a class from such values, checking types as it
  goes; a missing field with a default takes the default, a missing required field or a
  value of the wrong type raises :class:`SchemaError` naming the path (``pid.ci.synergy``).

Supported annotations: dataclasses, ``X | None``, ``tuple[X, ...]``, ``tuple[X, Y]``,
``list[X]``, ``dict[str, X]``, ``float``, ``int``, ``str``, ``bool`` and ``Any`` (passed
through unchanged).
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from engine.errors import AlignScopeError

NOT_JSON: Mapping[str, bool] = {"json": False}
JSONObject = dict[str, Any]  # a JSON document at an I/O boundary (what to_json returns for a dataclass)
T = TypeVar("T")


class SchemaError(AlignScopeError):
    """A JSON document does not match the result class it is read into."""


def to_json(obj: Any) -> Any:
    """JSON-ready Python values for a dataclass instance (or any supported value)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                if f.metadata.get("json", True)}
    if isinstance(obj, Mapping):
        return {str(k): to_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_json(v) for v in obj]
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalar
        return to_json(obj.item())
    if hasattr(obj, "tolist"):  # numpy array
        return to_json(obj.tolist())
    raise TypeError(f"cannot write {type(obj).__name__} as JSON")


def from_json(cls: type[T], data: Any, path: str = "") -> T:
    """An instance of dataclass ``cls`` read from ``data`` (as written by :func:`to_json`)."""
    out: T = _read(cls, data, path or cls.__name__)
    return out


def _read(tp: Any, value: Any, path: str) -> Any:
    if tp is Any:
        return value
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _read_dataclass(tp, value, path)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        errors: list[str] = []
        for option in options:
            try:
                return _read(option, value, path)
            except SchemaError as exc:
                errors.append(str(exc))
        raise SchemaError(errors[0] if len(errors) == 1 else f"{path}: no type of {tp} fits {value!r:.80}")
    if origin is tuple:
        seq = _sequence(value, path)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_read(args[0], v, f"{path}[{i}]") for i, v in enumerate(seq))
        if len(seq) != len(args):
            raise SchemaError(f"{path}: expected {len(args)} values, got {len(seq)}")
        return tuple(_read(a, v, f"{path}[{i}]") for i, (a, v) in enumerate(zip(args, seq, strict=True)))
    if origin is list:
        return [_read(args[0], v, f"{path}[{i}]") for i, v in enumerate(_sequence(value, path))]
    if origin is dict:
        if not isinstance(value, Mapping):
            raise SchemaError(f"{path}: expected an object, got {type(value).__name__}")
        return {str(k): _read(args[1], v, f"{path}.{k}") for k, v in value.items()}
    return _read_scalar(tp, value, path)


def _read_scalar(tp: Any, value: Any, path: str) -> Any:
    if tp is float:
        if value is None:  # NaN was written as null
            return float("nan")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif tp is bool:
        if isinstance(value, bool):
            return value
    elif tp is str:
        if isinstance(value, str):
            return value
    elif tp is type(None):
        if value is None:
            return None
    else:
        raise SchemaError(f"{path}: unsupported annotation {tp!r}")
    raise SchemaError(f"{path}: expected {getattr(tp, '__name__', tp)}, got {value!r:.80}")


def _sequence(value: Any, path: str) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise SchemaError(f"{path}: expected a list, got {type(value).__name__}")
    return list(value)


def _read_dataclass(cls: type[Any], value: Any, path: str) -> Any:
    if not isinstance(value, Mapping):
        raise SchemaError(f"{path}: expected an object, got {type(value).__name__}")
    hints = typing.get_type_hints(cls)
    kwargs: JSONObject = {}
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        if f.name not in value or not f.metadata.get("json", True):
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise SchemaError(f"{path}: missing field '{f.name}'")
            continue
        kwargs[f.name] = _read(hints[f.name], value[f.name], f"{path}.{f.name}")
    return cls(**kwargs)
