"""Load a dataset from a manifest file or a folder, validate it, and return a :class:`Dataset`.

A folder is read through its manifest (manifest.csv/.tsv/.jsonl/.xlsx) when it has one;
otherwise as images with sidecar reports of the same stem (``part_001.jpg`` +
``part_001.txt``), labels taken from the sub-folder names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from engine.dataset.columns import HOW_NONE, ID_EXAMPLES, detect_columns
from engine.dataset.image_checks import DEFAULT_MAX_PIXELS
from engine.dataset.label_choice import choose_label
from engine.dataset.manifest import MANIFEST_NAMES, Table, read_manifest
from engine.dataset.model import Dataset, Sample
from engine.dataset.validate import KnownFiles, RawRow, read_report_file, validate_rows
from engine.errors import InputError
from engine.progress import Progress
from engine.safe_io import AccessPolicy

IMAGE_SUFFIXES: frozenset[str] = frozenset(
    {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".gif"}
)


def find_manifest(folder: Path) -> Path | None:
    for name in MANIFEST_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def _outside_note(ds: Dataset, policy: AccessPolicy) -> None:
    """Record how many good rows were read from outside the folder by permission."""
    if not policy.allow_outside:
        return  # without permission no row can read outside (the policy refused them)
    root = policy.real_root
    outside = [s for s in ds.samples
               if not (os.path.realpath(s.image) + os.sep).startswith(root.rstrip(os.sep) + os.sep)]
    if outside:
        allowed = ", ".join(str(p) for p in policy.allow_outside)
        ds.notes.append(f"{len(outside)} rows read images from outside the dataset folder "
                        f"{policy.root}, as allowed ({allowed})")


def load_dataset(
    path: str | Path,
    mapping: Mapping[str, str] | None = None,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    progress: Progress | None = None,
    known: KnownFiles | None = None,
    allow_outside: Sequence[str | Path] = (),
    encoding: str | None = None,
) -> Dataset:
    """Read and validate a dataset (a manifest file, a folder with one, or a sidecar folder).

    ``known``: {absolute image path: (size, mtime_ns, sha256)} of files a store already
    validated; unchanged ones are not read again (see Store.known_files()).
    ``allow_outside``: folders (or files) outside the dataset folder whose files rows may
    name; anything else outside is refused per row (see engine.safe_io).
    ``encoding``: read the manifest and the report files as that instead of detecting it
    (engine.dataset.encoding.ENCODING_CHOICES).
    """
    path = Path(path).absolute()
    allowed = tuple(Path(p).absolute() for p in allow_outside)
    for p in allowed:
        if not p.exists():
            raise InputError(f"--allow-outside {p}: no such file or folder")
    if path.is_dir():
        manifest = find_manifest(path)
        if manifest is None:
            policy = AccessPolicy(path, allowed)
            ds = _load_sidecar_folder(path, policy, max_pixels, progress, known, encoding)
            _outside_note(ds, policy)
            return ds
        policy = AccessPolicy(path, allowed)
        policy.locate(manifest.name, "manifest")  # a manifest linked from elsewhere: refused
        path = manifest
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    table = read_manifest(path, encoding)
    policy = AccessPolicy(table.path.parent, allowed)
    ds = _from_table(table, dict(mapping or {}), policy, max_pixels, progress, known, encoding)
    _outside_note(ds, policy)
    return ds


def _id_note(image_example: str, passed: Sequence[tuple[str, str]]) -> str:
    """What a person must know when no column holds the ids (they are made from the paths)."""
    why = "".join(f"; '{c}' is named like one but {w}" for c, w in passed)
    return (f"no id column, so ids were made from the image paths without extension (e.g. "
            f"'{image_example}'): no column is named like an id ({ID_EXAMPLES}, …) "
            f"with a different value on every row{why}. To use a column: --map id=COLUMN")


def _from_table(
    table: Table, overrides: dict[str, str], policy: AccessPolicy, max_pixels: int,
    progress: Progress | None, known: KnownFiles | None, encoding: str | None = None,
) -> Dataset:
    values = {h: [rec.values[i] for rec in table.records] for i, h in enumerate(table.header)}
    detected = detect_columns(table.header, overrides, str(table.path), values)
    roles = detected.mapping
    index = {name: i for i, name in enumerate(table.header)}
    role_columns = set(roles.values())
    meta = [c for c in table.header if c not in role_columns]
    rows: list[RawRow] = []
    for rec in table.records:
        def get(role: str, rec_values: tuple[str, ...] = rec.values) -> str:
            column = roles.get(role)
            return rec_values[index[column]] if column is not None else ""

        image = get("image").strip()
        if "report_file" in roles and get("report_file").strip():
            report, is_file = get("report_file").strip(), True
        else:
            report = get("report")
            stripped = report.strip()
            is_file = (
                stripped.lower().endswith(".txt") and "\n" not in stripped and len(stripped) < 260
            )
            if is_file:
                report = stripped
        ident = get("id").strip() if "id" in roles else id_from_path(image)
        labels = {c: rec.values[index[c]].strip() for c in meta}
        rows.append(RawRow(rec.row, ident, image, report, is_file, labels, rec.undecodable))
    samples, quarantine = validate_rows(policy, rows, max_pixels=max_pixels,
                                        progress=progress, known=known, encoding=encoding)
    label_values = {c: [s.labels.get(c, "") for s in samples] for c in meta}
    notes = list(table.notes)
    id_rule = ""
    if "id" not in roles:
        example = _example_id(samples, rows)
        id_rule = f"the image path without extension (e.g. '{example}')"
        notes.append(_id_note(example, detected.passed_over))
    return Dataset(
        root=table.path.parent,
        source=str(table.path),
        kind="manifest",
        encoding=table.encoding,
        n_rows=len(table.records),
        columns=meta,
        label_columns=[c.column for c in choose_label(label_values).candidates],
        mapping=roles,
        samples=samples,
        quarantine=quarantine,
        notes=notes,
        encoding_how="requested" if encoding and table.encoding != "xlsx" else "detected",
        column_how={g.role: g.how for g in detected.guesses if g.how != HOW_NONE},
        id_rule=id_rule,
    )


def _example_id(samples: Sequence[Sample], rows: Sequence[RawRow]) -> str:
    """An id to show in a rule: the first good row's (the first row's when none is good)."""
    return samples[0].id if samples else rows[0].id if rows else ""


def id_from_path(image: str) -> str:
    """The id of a row without an id column: its image path without the extension (with /
    between folders, whichever the sheet used)."""
    path = Path(image.replace("\\", "/"))
    try:
        return str(path.with_suffix(""))
    except ValueError:  # no file name ("", "..", "/"): the row is quarantined for its path
        return image


def _image_files(folder: Path) -> list[Path]:
    """Image files under ``folder``, sorted; symbolic links to folders are not followed (a
    link to ``/`` must not walk the disk) and linked files are checked by the policy."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in filenames:
            if Path(name).suffix.lower() in IMAGE_SUFFIXES:
                found.append(Path(dirpath) / name)
    return sorted(found)


FOLDER_ID_BY_NAME = "the image file's name without extension (every name is different)"
FOLDER_ID_BY_PATH = ("the image's path inside the folder, without extension (some file names repeat "
                     "in different sub-folders)")
FOLDER_MAPPING = {"id": "(image file name, or its path in the folder, without extension)", "image": "(image file)",
                  "report": "(sidecar .txt of the same name)"}


def _load_sidecar_folder(folder: Path, policy: AccessPolicy, max_pixels: int,
                         progress: Progress | None, known: KnownFiles | None,
                         encoding: str | None = None) -> Dataset:
    images = _image_files(folder)
    if not images:
        raise InputError(
            f"{folder}: no manifest (manifest.csv/.tsv/.jsonl/.xlsx) and no images found"
        )
    has_labels = any(p.parent != folder for p in images)
    by_name = len({p.stem for p in images}) == len(images)
    rows: list[RawRow] = []
    encodings: set[str] = set()
    for number, image in enumerate(images, start=1):
        rel = image.relative_to(folder).as_posix()
        sidecar = image.with_suffix(".txt")
        labels = {"label": image.parent.relative_to(folder).as_posix()} if has_labels else {}
        if labels and labels["label"] == ".":
            labels["label"] = ""
        ident = image.stem if by_name else image.relative_to(folder).with_suffix("").as_posix()
        if not os.path.lexists(sidecar):
            rows.append(RawRow(number, ident, rel, "", False, labels))
            continue
        problem, text, found = read_report_file(policy, sidecar.relative_to(folder).as_posix(), encoding)
        if found:
            encodings.add(found)
        rows.append(RawRow(number, ident, rel, text, False, labels, problem=problem))
    samples, quarantine = validate_rows(policy, rows, max_pixels=max_pixels, progress=progress,
                                        known=known)
    fixed = []
    for q in quarantine:
        if q.reason.startswith("empty report") and not (folder / q.file).with_suffix(".txt").exists():
            q = type(q)(q.row, q.id, q.file, f"no report: expected {Path(q.file).stem}.txt beside the image")
        fixed.append(q)
    columns = ["label"] if has_labels else []
    return Dataset(
        root=folder,
        source=str(folder),
        kind="folder",
        encoding="+".join(sorted(encodings)) or "utf-8",
        n_rows=len(images),
        columns=columns,
        label_columns=list(columns),
        mapping=dict(FOLDER_MAPPING),
        samples=samples,
        quarantine=fixed,
        encoding_how="requested" if encoding else "detected",
        column_how={},
        id_rule=f"{FOLDER_ID_BY_NAME if by_name else FOLDER_ID_BY_PATH} (e.g. '{_example_id(samples, rows)}')",
    )
