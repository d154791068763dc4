"""What the report needs from the project store besides the analysis result.

:func:`gather_inputs` reads the store once (read-only) and returns plain data, so the
document builder and the renderer never touch HDF5.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from engine.study.result import Analysis
from engine.version import __version__


@dataclass(frozen=True)
class EncoderInfo:
    """One embedded model as shown on the title page."""

    model_id: str
    modality: str
    dim: int | None
    sha256: str
    provider: str


@dataclass(frozen=True)
class SuspectRow:
    """One suspect pair for section 5 (in the study's order)."""

    rank: int
    sample_id: str
    score: float
    q_value: float | None
    image_path: Path | None
    report: str
    label: str


@dataclass(frozen=True)
class QuarantineRow:
    """One dataset row set aside at import."""

    row: int
    sample_id: str
    file: str
    reason: str


@dataclass(frozen=True)
class ReportInputs:
    """Everything about the project the report prints, apart from the analysis dict."""

    project: str
    store_path: Path
    dataset_source: str
    manifest: str
    n_used: int
    n_quarantined: int
    created: str
    label: str | None
    encoders: list[EncoderInfo] = field(default_factory=list)
    suspects: list[SuspectRow] = field(default_factory=list)
    quarantine: list[QuarantineRow] = field(default_factory=list)
    report_date: str = field(default_factory=lambda: _dt.date.today().isoformat())
    dataset_kind: str = "manifest"   # "folder": the quarantine lists files (a folder has no rows)
    app_version: str = __version__


def _str(value: object) -> str:
    return "" if value is None else str(value)


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload,no-any-return]
    except (TypeError, ValueError):
        return None


def gather_inputs(store_path: Path, analysis: Analysis, *, n_suspects: int = 20) -> ReportInputs:
    """Read the title-page facts, the suspect pairs' images/texts and the quarantine list."""
    from engine.store import Store

    store_path = Path(store_path)
    label = analysis.label.column
    with Store.open(store_path, mode="r") as st:
        info = dict(st.dataset_info())
        ids = st.sample_ids()
        quarantine = [
            QuarantineRow(
                row=_int_or_none(q.get("row")) or 0,
                sample_id=_str(q.get("id")),
                file=_str(q.get("file")),
                reason=_str(q.get("reason")),
            )
            for q in st.quarantine()
        ]
        encoders: list[EncoderInfo] = []
        models = st.models()
        for modality in ("image", "text"):
            for model_id in models.get(modality, []):
                attrs = dict(st.model_attrs(model_id))
                encoders.append(
                    EncoderInfo(
                        model_id=model_id,
                        modality=_str(attrs.get("modality")) or modality,
                        dim=_int_or_none(attrs.get("dim")),
                        sha256=_str(attrs.get("sha256")),
                        provider=_str(attrs.get("provider")),
                    )
                )
        suspects: list[SuspectRow] = []
        wanted = list(analysis.suspects)[: max(n_suspects, 0)]
        if wanted:
            index = {sid: i for i, sid in enumerate(ids)}
            paths = st.image_paths()
            texts = st.report_texts()
            labels = st.column(label) if label and label in st.columns() else [""] * len(ids)
            for item in wanted:
                sid = item.id
                i = index.get(sid)
                suspects.append(
                    SuspectRow(
                        rank=item.rank,
                        sample_id=sid,
                        score=item.score,
                        q_value=item.q_value,
                        image_path=paths[i] if i is not None else None,
                        report=texts[i] if i is not None else "",
                        label=labels[i] if i is not None else "",
                    )
                )
        n_used = st.n_samples
    source = _str(info.get("source"))
    return ReportInputs(
        project=store_path.stem,
        store_path=store_path.resolve(),
        dataset_source=source,
        # the store records how the dataset was read: manifest or folder, and its text encoding
        manifest=" · ".join(v for v in (_str(info.get("kind")), _str(info.get("encoding"))) if v),
        n_used=n_used,
        n_quarantined=len(quarantine),
        created=_str(info.get("created")),
        label=label,
        encoders=encoders,
        suspects=suspects,
        quarantine=quarantine,
        dataset_kind=_str(info.get("kind")) or "manifest",
    )
