"""Bring your own embeddings: a model's vectors from .npy, HDF5 or Parquet, matched by sample id.

``import_embeddings(store, model_id, modality, source, ids)`` checks everything before it
writes anything: every id of the ids file is a sample of the store and every sample is
listed once; the matrix has one row per id, a floating-point type, no NaN/Inf row, and
the dimension of an earlier import of the same model. The source is checked in one
sequential pass (which also takes each row's CRC-32) while the store's opening check runs
in its child process. The table is then written in place under the undo journal (a kill
rolls it back; no copy of the store), one chunk at a time in the store's order, with
``done`` = IMPORTED and attrs ``origin = "external"``, ``source`` = the file. A .npy is
memory-mapped, never read whole into memory (HDF5 sources in another order than the store
and Parquet files are).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import InputError
from engine.progress import Progress, report
from engine.store import h5io, integrity, journal, opening_check
from engine.store.build import TableSpec, _create_table, check_model_id
from engine.store.journal import journaled_update
from engine.store.layout import IMPORTED, MODALITIES, model_group
from engine.store.lock import WriterLock

BLOCK_ROWS = 8192
_SHOW = 5  # ids or rows named in a message


@dataclass(frozen=True)
class ImportSummary:
    store: str
    model_id: str
    modality: str
    source: str
    n_rows: int
    dim: int
    replaced: bool
    seconds: float


def read_ids(path: str | Path) -> list[str]:
    """One id per line (UTF-8, BOM and CR tolerated); refuses empty lines and repeats."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: cannot read the ids file ({exc}); it must be UTF-8, one id per line") from exc
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    ids = [line.removesuffix("\r") for line in lines]
    if all(map(str.strip, ids)) and len(set(ids)) == len(ids):
        return ids  # the common case, checked at C speed; the loop below names the bad line
    first: dict[str, int] = {}
    for number, value in enumerate(ids, start=1):
        if not value.strip():
            raise InputError(f"{p}: line {number} is empty; every line must hold one sample id")
        if value in first:
            raise InputError(f"{p}: line {number} repeats id {value!r} (first on line {first[value]}); "
                             "each sample may have only one row")
        first[value] = number
    if not ids:
        raise InputError(f"{p}: holds no ids")
    return ids


def _split_source(source: str) -> tuple[Path, str | None]:
    """X.npy → (X.npy, None); X.h5:DATASET / X.parquet:COLUMN → (file, inner name)."""
    if Path(source).exists() or ":" not in source:
        return Path(source), None
    file, inner = source.rsplit(":", 1)
    return Path(file), inner or None


def _parquet_matrix(path: Path, column: str | None) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=[column] if column else None)
    if column is None and table.num_columns == 1:
        column = table.column_names[0]
    if column is not None:
        col = table.column(column).combine_chunks()
        if not (pa.types.is_list(col.type) or pa.types.is_fixed_size_list(col.type)
                or pa.types.is_large_list(col.type)):
            raise InputError(f"{path}: column {column!r} is {col.type}, not a list of numbers per row")
        if col.null_count:
            raise InputError(f"{path}: column {column!r} has {col.null_count} empty rows")
        lengths = np.asarray(pa.compute.list_value_length(col).to_numpy(zero_copy_only=False))
        if lengths.size and (lengths != lengths[0]).any():
            bad = int(np.flatnonzero(lengths != lengths[0])[0])
            raise InputError(f"{path}: row {bad} of column {column!r} has {lengths[bad]} values, "
                             f"row 0 has {lengths[0]}: every row needs the same dimension")
        flat = col.flatten().to_numpy(zero_copy_only=False)
        return np.asarray(flat).reshape(len(col), int(lengths[0]) if lengths.size else 0)
    bad_cols = [n for n, t in zip(table.column_names, table.schema.types, strict=True)
                if not (pa.types.is_floating(t) or pa.types.is_integer(t))]
    if bad_cols:
        raise InputError(f"{path}: columns {bad_cols[:_SHOW]} are not numeric; name the vector column "
                         f"with {path}:COLUMN, or keep only the numeric dimension columns")
    return np.column_stack([table.column(i).to_numpy(zero_copy_only=False)
                            for i in range(table.num_columns)])


def open_matrix(source: str) -> tuple[Any, Any]:
    """(2-D array-like, object to close or None) for X.npy, X.h5:DATASET or X.parquet[:COLUMN]."""
    path, inner = _split_source(source)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".npy":
            return np.load(path, mmap_mode="r", allow_pickle=False), None
        if suffix in (".h5", ".hdf5", ".hdf"):
            import h5py

            f = h5py.File(path, "r", locking=False)
            if inner is None or inner not in f or not isinstance(f[inner], h5py.Dataset):
                names: list[str] = []
                f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
                f.close()
                raise InputError(f"{path}: name the dataset as {path}:DATASET (datasets: "
                                 f"{', '.join(names[:10]) or 'none'})")
            return f[inner], f
        if suffix == ".parquet":
            return _parquet_matrix(path, inner), None
    except InputError:
        raise
    except (OSError, ValueError, ImportError) as exc:
        raise InputError(f"{path}: cannot read the vectors ({exc})") from exc
    raise InputError(f"{path}: unknown format {suffix!r}; use .npy, .h5:DATASET or .parquet")


def _check_shape(matrix: Any, source: str, ids_path: str | Path, n_ids: int) -> int:
    shape = tuple(matrix.shape)
    if len(shape) != 2:
        raise InputError(f"{source}: needs a 2-D matrix [rows, dim], got shape {shape}")
    if shape[0] != n_ids:
        raise InputError(f"{source} has {shape[0]:,} rows but {ids_path} lists {n_ids:,} ids: "
                         "one row per id, in the same order")
    if not np.issubdtype(np.dtype(matrix.dtype), np.floating):
        raise InputError(f"{source}: vectors must be floating-point numbers, got {matrix.dtype}")
    if shape[1] < 1:
        raise InputError(f"{source}: the vectors have no dimensions")
    return int(shape[1])


def _match(ids: list[str], store_ids: list[str], ids_path: str | Path, store: Path) -> np.ndarray:
    """order[i] = row of the source that holds store sample i (both id lists are unique)."""
    if ids == store_ids:
        return np.arange(len(ids), dtype=np.int64)
    where = dict(zip(ids, range(len(ids)), strict=True))
    found = list(map(where.get, store_ids))
    if len(ids) > len(store_ids) - found.count(None):
        known = set(store_ids)
        unknown = [(row + 1, value) for row, value in enumerate(ids) if value not in known]
        shown = ", ".join(f"line {line} {value!r}" for line, value in unknown[:_SHOW])
        raise InputError(f"{ids_path}: {len(unknown):,} ids are not samples of {store} ({shown}"
                         f"{', …' if len(unknown) > _SHOW else ''}); check that the ids belong to this store")
    missing = [value for value, row in zip(store_ids, found, strict=True) if row is None]
    if missing:
        shown = ", ".join(repr(v) for v in missing[:_SHOW])
        raise InputError(f"{store} has {len(missing):,} samples that {ids_path} does not list ({shown}"
                         f"{', …' if len(missing) > _SHOW else ''}); every sample needs a row")
    return np.array(found, dtype=np.int64)


def _check_existing(store: Path, model_id: str, modality: str, dim: int, replace: bool) -> bool:
    """True when an earlier import of this model will be replaced."""
    from engine.store.store import Store

    with Store.open(store) as st:
        if not st.has_model(model_id):
            return False
        attrs = st.model_attrs(model_id)
    if attrs.get("origin") != "external":
        raise InputError(f"{store}: '{model_id}' was embedded by AlignScope; import under another model id")
    if not replace:
        raise InputError(f"{store}: '{model_id}' was imported before; pass --replace to replace it")
    if attrs.get("modality") != modality or int(attrs.get("dim", -1)) != dim:
        raise InputError(f"{store}: '{model_id}' holds {attrs.get('modality')} vectors of dimension "
                         f"{attrs.get('dim')}; the new ones are {modality} of dimension {dim} "
                         "(dimension mismatch): import them under another model id")
    return True


def _check_not_an_encoder(model_id: str) -> None:
    from engine.encoders import get_spec

    try:
        get_spec(model_id)
    except Exception:
        return
    raise InputError(f"'{model_id}' is an installed encoder; name imported embeddings differently "
                     f"(e.g. {model_id}-external) so the two are never confused")


def _block(matrix: Any, start: int, stop: int) -> np.ndarray:
    return np.asarray(matrix[start:stop], dtype=np.float32)


def _gathered(matrix: Any, rows: np.ndarray, buffer: np.ndarray) -> np.ndarray:
    """matrix[rows] as float32, into ``buffer`` where the source is float32 already (no new
    memory per block; mode="clip" spares numpy a second copy, the rows are all in range)."""
    if isinstance(matrix, np.ndarray) and matrix.dtype == np.float32:
        out = buffer[:rows.size]
        np.take(np.asarray(matrix), rows, axis=0, out=out, mode="clip")
        return out
    return np.asarray(matrix[rows], dtype=np.float32)


def _bad_rows(block: np.ndarray) -> np.ndarray:
    """Rows holding NaN or ±inf. A row's sum is not finite whenever one of its values is not
    (it may also overflow): only those rows are looked at value by value."""
    with np.errstate(over="ignore", invalid="ignore"):
        sums = block @ np.ones(block.shape[1], dtype=np.float32)
    suspect = np.flatnonzero(~np.isfinite(sums))
    bad: np.ndarray = suspect[~np.isfinite(block[suspect]).all(axis=1)]
    return bad


def _refuse_bad_rows(bad: list[int], source: str, ids: list[str], ids_path: str | Path) -> None:
    shown = ", ".join(f"row {r} (id {ids[r]!r}, line {r + 1} of {ids_path})" for r in sorted(bad)[:_SHOW])
    raise InputError(f"{source}: {len(bad):,} rows hold NaN or infinite values ({shown}"
                     f"{', …' if len(bad) > _SHOW else ''}); fix or drop them and import again "
                     "(nothing was imported)")


def _scan(matrix: Any, source: str, ids: tuple[list[str], str | Path], model_id: str,
          progress: Progress | None) -> np.ndarray:
    """The CRC-32 of every source row, in source order; refuses the source when a row holds
    NaN or ±inf (naming every such row). One sequential pass before anything is written."""
    n = int(matrix.shape[0])
    crcs = np.empty(n, dtype=np.uint32)
    bad: list[int] = []
    for start in range(0, n, BLOCK_ROWS):
        stop = min(start + BLOCK_ROWS, n)
        block = _block(matrix, start, stop)
        bad.extend(start + int(i) for i in _bad_rows(block))
        crcs[start:stop] = integrity.row_crc32(block)  # each row's checksum, as embed writes it
        report(progress, stop, 2 * n, f"checking {model_id}")
    if bad:
        _refuse_bad_rows(bad, source, *ids)
    return crcs


def _write_table(store: Path, spec: TableSpec, matrix: Any, order: np.ndarray, crcs: np.ndarray,
                 replace: bool, progress: Progress | None) -> None:
    """The checked rows, in the store's order, under the undo journal."""
    n = order.size
    with journaled_update(store) as f:
        name = model_group(spec.modality, spec.model_id)
        # a replaced table is deleted only after the new one is written: its freed space is
        # then not reused for the new rows, which would have to be journaled first
        staging = replace_of(spec, "~importing") if replace else spec
        g = _create_table(f, staging, n, fill=False)  # every row is written below
        _write_vectors(g["vectors"], matrix, order, spec.model_id, progress)
        g["row_crc32"][...] = crcs[order]
        g["done"][...] = np.full(n, IMPORTED, np.uint8)
        if staging is not spec:
            del f[name]
            f.move(g.name, name)
            f[name].attrs["model_id"] = spec.model_id


def _write_vectors(vectors: Any, matrix: Any, order: np.ndarray, model_id: str,
                   progress: Progress | None) -> None:
    """Rows in the store's order, one chunk at a time: gathered into a chunk-sized buffer
    (it stays in the processor's cache) and written straight to the chunk's storage."""
    n, dim = vectors.shape
    rows = vectors.chunks[0] if vectors.chunks else n
    in_order = bool(np.array_equal(order, np.arange(n)))
    buffer = np.empty((rows, dim), dtype=np.float32)
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        block = (_block(matrix, start, stop) if in_order
                 else _gathered(matrix, order[start:stop], buffer))
        _write_chunk(vectors, start, block)
        if stop % BLOCK_ROWS < rows or stop == n:
            report(progress, n + stop, 2 * n, f"importing {model_id}")


def _write_chunk(vectors: Any, start: int, block: np.ndarray) -> None:
    """One whole chunk straight to its storage (allocated when the table was created; no
    filters, so its bytes are its rows' float32 bytes): HDF5 neither selects nor copies.
    The table's last chunk is padded to full size, as HDF5 stores it."""
    if vectors.chunks is None:
        vectors[start:start + block.shape[0]] = block
        return
    rows = vectors.chunks[0]
    part = np.ascontiguousarray(block, dtype="<f4")
    if part.shape[0] < rows:
        part = np.concatenate([part, np.zeros((rows - part.shape[0], part.shape[1]), "<f4")])
    vectors.id.write_direct_chunk((start, 0), part)


def replace_of(spec: TableSpec, suffix: str) -> TableSpec:
    from dataclasses import replace

    return replace(spec, model_id=spec.model_id + suffix)


def _source_tag(source: str) -> str:
    path, _ = _split_source(source)
    st = path.stat()
    blob = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{source}"
    return "external:" + hashlib.sha256(blob.encode()).hexdigest()


def import_embeddings(store: str | Path, model_id: str, modality: str, source: str,
                      ids_path: str | Path, *, replace: bool = False,
                      progress: Progress | None = None) -> ImportSummary:
    """Add (or with ``replace`` replace) an external model's vectors; see the module doc."""
    t0 = time.perf_counter()
    path = Path(store).absolute()
    if modality not in MODALITIES:
        raise InputError(f"modality must be one of {', '.join(MODALITIES)}, got {modality!r}")
    check_model_id(model_id)
    h5io.require_store_file(path)  # before anything is read, and no lock file beside a typo
    lock = WriterLock(path)
    lock.acquire()
    matrix, closer = None, None
    try:
        h5io.remove_stale_copies(path)
        journal.recover(path)
        # the store's opening check runs in its child process while the ids and the source
        # are read and checked
        with opening_check.BackgroundCheck(path) as check:
            _check_not_an_encoder(model_id)
            ids = read_ids(ids_path)
            matrix, closer = open_matrix(source)
            dim = _check_shape(matrix, source, ids_path, len(ids))
            crcs = _scan(matrix, source, (ids, ids_path), model_id, progress)
            check.wait()
        from engine.store.store import Store

        with Store.open(path) as st:
            store_ids = st.sample_ids()
        order = _match(ids, store_ids, ids_path, path)
        replaced = _check_existing(path, model_id, modality, dim, replace)
        if not np.array_equal(order, np.arange(order.size)) and not isinstance(matrix, np.ndarray):
            matrix = np.asarray(matrix[()])  # HDF5 in another order: read it once, whole
        spec = TableSpec(model_id, modality, dim, _source_tag(source), {"source": source},
                         "", None, BLOCK_ROWS, origin="external", source=os.fspath(source))
        _write_table(path, spec, matrix, order, crcs, replaced, progress)
    finally:
        if closer is not None:
            closer.close()
        lock.release()
    return ImportSummary(str(path), model_id, modality, source, len(ids), dim, replaced,
                         time.perf_counter() - t0)
