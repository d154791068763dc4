"""onnxruntime sessions for every graph AlignScope runs (encoders, the k-NN top-k graph).

One place sets the threads, the providers for ``--device`` and the check that a requested
CUDA provider really runs; the callers report the provider returned here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from engine.errors import AlignScopeError, InputError

CUDA = "CUDAExecutionProvider"
CPU = "CPUExecutionProvider"
DEVICES = ("auto", "cpu", "cuda")


def default_threads() -> int:
    """The cores this process may run on (its CPU affinity)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def check_device(device: str, error: type[AlignScopeError] = InputError) -> None:
    if device not in DEVICES:
        raise error(f"unknown device {device!r}; use one of {', '.join(DEVICES)}")


def open_session(model: Path | bytes, device: str = "auto", threads: int | None = None, *,
                 spin: bool = False, error: type[AlignScopeError] = InputError) -> tuple[Any, str]:
    """A session of ``model`` (a file or serialised bytes) and the provider really used.

    ``auto`` tries CUDA then CPU; ``cpu`` is CPU only; ``cuda`` raises ``error`` when
    onnxruntime falls back to the CPU. ``spin=False`` stops idle intra-op threads from
    busy-waiting. onnxruntime's own load errors propagate (the caller names the file).
    """
    import onnxruntime as ort

    check_device(device, error)
    ort.set_default_logger_severity(4)  # silence the bogus CUDA-fallback error lines
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = int(threads) if threads else default_threads()
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    providers = [CPU] if device == "cpu" else [CUDA, CPU]
    source = model if isinstance(model, bytes) else str(model)
    sess = ort.InferenceSession(source, sess_options=opts, providers=providers)
    provider = str(sess.get_providers()[0])
    if device == "cuda" and provider != CUDA:
        raise error(
            "--device cuda: the CUDA execution provider does not work on this machine "
            f"(onnxruntime fell back to {provider}); check the NVIDIA driver and install the "
            "CUDA runtime with `make run GPU=1` (onnxruntime-gpu[cuda,cudnn]), or use --device auto/cpu")
    return sess, provider
