"""onnxruntime sessions and the encoding pipeline.

Decoding (images) or tokenising (texts) runs in worker threads a few batches ahead of
inference, which runs in the caller's thread; Pillow, numpy and onnxruntime all release
the GIL, so the two overlap. Embeddings come out float32, in input order, and are
bitwise identical from run to run for the same inputs, batch size and thread count.
"""

from __future__ import annotations

import os
import re
import threading
from collections import deque
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

from engine.encoders.images import preprocess_image
from engine.encoders.registry import ModelSpec, get_spec, verify_sha256
from engine.encoders.texts import TextTokenizer, check_texts, length_sorted_order
from engine.errors import InputError, ModelError
from engine.progress import Progress, report

DEVICES = ("auto", "cpu", "cuda")
PREFETCH_BATCHES = 2
PREP_NICE = 0  # niceness added to the decoding/tokenising threads (0: same as inference)


def default_threads() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def create_session(path: Path, device: str = "auto", threads: int | None = None,
                   *, spin: bool = False) -> tuple[ort.InferenceSession, str]:
    """A session on ``device``; returns it with the provider really used.

    ``auto`` tries CUDA then CPU; ``cuda`` fails clearly when CUDA cannot run; ``cpu`` is
    CPU only. ``spin=False`` stops idle intra-op threads from busy-waiting, leaving the
    cores to the decoding threads between batches.
    """
    if device not in DEVICES:
        raise ModelError(f"unknown device {device!r}; use one of {', '.join(DEVICES)}")
    ort.set_default_logger_severity(4)  # silence the bogus CUDA-fallback error lines
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = int(threads) if threads else default_threads()
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    providers = ["CPUExecutionProvider"] if device == "cpu" else [
        "CUDAExecutionProvider", "CPUExecutionProvider"]
    try:
        sess = ort.InferenceSession(str(path), sess_options=opts, providers=providers)
    except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph/... classes
        raise ModelError(f"{path}: onnxruntime cannot load this model ({_one_line(exc)})") from None
    provider = sess.get_providers()[0]
    if device == "cuda" and provider != "CUDAExecutionProvider":
        raise ModelError(
            "--device cuda: the CUDA execution provider does not work on this machine "
            f"(onnxruntime fell back to {provider}); check the NVIDIA driver and install the "
            "CUDA runtime with `make run GPU=1` (onnxruntime-gpu[cuda,cudnn]), or use --device auto/cpu"
        )
    return sess, provider


def _lower_thread_priority(nice: int) -> None:
    """Run a preparation thread at a lower priority than inference (Linux: per thread).

    On a machine whose cores are all busy with inference, decoding then fills the gaps
    instead of pre-empting one of onnxruntime's threads mid-operator, which would stall
    the others at the next barrier.
    """
    if nice <= 0 or not hasattr(os, "setpriority"):
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except OSError:
        pass


def _one_line(exc: BaseException) -> str:
    """onnxruntime's messages carry C++ signatures and newlines: keep the human part, on one line."""
    text = " ".join(str(exc).split())
    text = re.sub(r"^\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*\w+\s*:\s*", "", text)
    if ") " in text and "onnxruntime::" in text:
        text = text.rsplit(") ", 1)[-1]
    return text[:400]


class Encoder:
    """One loaded encoder: ``encode`` / ``iter_embeddings`` over image paths or report texts."""

    def __init__(self, spec: ModelSpec, session: ort.InferenceSession, provider: str,
                 threads: int, workers: int | None = None) -> None:
        self.spec = spec
        self.provider = provider
        self.session = session
        self.threads = threads
        self.truncated_count = 0  # texts cut at max_tokens during the last run
        self.prep_nice = PREP_NICE
        self._inputs = [i.name for i in session.get_inputs()]
        self._output = spec.output_name if spec.output_name in {o.name for o in session.get_outputs()} \
            else session.get_outputs()[0].name
        self._tokenizer: TextTokenizer | None = None
        if spec.modality == "text":
            if spec.tokenizer is None:
                raise ModelError(f"text model {spec.id!r} has no tokenizer.json")
            self._tokenizer = TextTokenizer(spec.tokenizer, spec.max_tokens or 512)
            self.workers = workers or 1
        else:
            if not spec.preprocessing.get("size") and not spec.input_size:
                raise ModelError(f"image model {spec.id!r} has no input size")
            # on a GPU decoding is the bottleneck: give it every core
            cap = 16 if provider == "CUDAExecutionProvider" else 4
            self.workers = workers or max(2, min(cap, default_threads()))

    # -- preparation (worker threads) -------------------------------------------------
    def _image_prep(self) -> dict[str, Any]:
        prep = dict(self.spec.preprocessing)
        prep.setdefault("size", self.spec.input_size)
        return prep

    def _text_feeds(self, texts: Sequence[str]) -> tuple[dict[str, np.ndarray], int]:
        assert self._tokenizer is not None
        tb = self._tokenizer.encode_batch(texts)
        feeds = {"input_ids": tb.input_ids, "attention_mask": tb.attention_mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(tb.input_ids)
        return {k: v for k, v in feeds.items() if k in self._inputs}, tb.truncated

    # -- inference ------------------------------------------------------------------
    def _run(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        out = self.session.run([self._output], feeds)[0]
        out = np.asarray(out)
        if out.ndim == 3 and "attention_mask" in feeds:  # token outputs: masked mean + L2
            mask = feeds["attention_mask"][..., None].astype(np.float32)
            out = (out * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
            out = out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        elif out.ndim == 4 and out.shape[2:] == (1, 1):
            out = out[:, :, 0, 0]
        if out.ndim != 2 or out.shape[1] != self.spec.dim:
            raise ModelError(f"model {self.spec.id!r}: output shape {list(out.shape)} is not [batch, {self.spec.dim}]")
        return np.ascontiguousarray(out, dtype=np.float32)

    def iter_embeddings(self, items: Sequence[str | Path], batch_size: int = 32) -> Generator[tuple[int, np.ndarray], None, None]:
        """Yield ``(start_index, float32 [b, dim])`` for consecutive batches, in input order."""
        if batch_size < 1:
            raise InputError(f"batch size must be at least 1 (got {batch_size})")
        items = list(items)
        if self.spec.modality == "text":
            for i, t in enumerate(items):
                if not isinstance(t, str):
                    raise InputError(f"text #{i + 1}: expected a string, got {type(t).__name__}")
        self.truncated_count = 0
        starts = list(range(0, len(items), batch_size))
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="alignscope-prep",
                                  initializer=_lower_thread_priority, initargs=(self.prep_nice,))
        pending: deque[tuple[int, Any]] = deque()
        ring: list[np.ndarray] = []
        next_batch = 0

        def submit() -> None:
            nonlocal next_batch
            start = starts[next_batch]
            chunk = items[start:start + batch_size]
            next_batch += 1
            if self.spec.modality == "image":
                prep = self._image_prep()
                size = int(prep["size"])
                # a ring of PREFETCH_BATCHES + 1 reused input buffers (fresh 20 MB arrays would
                # cost page faults every batch); batch k's slot is free again once k+1 is popped
                slot = (next_batch - 1) % (PREFETCH_BATCHES + 1)
                if len(ring) <= slot:
                    ring.append(np.empty((batch_size, 3, size, size), dtype=np.float32))
                buf = ring[slot][: len(chunk)]
                futs = [pool.submit(preprocess_image, Path(p), prep, buf[j]) for j, p in enumerate(chunk)]
                pending.append((start, (buf, futs)))
            else:
                pending.append((start, pool.submit(self._text_feeds, [str(t) for t in chunk])))

        try:
            while next_batch < len(starts) and len(pending) < PREFETCH_BATCHES:
                submit()
            while pending:
                start, job = pending.popleft()
                if next_batch < len(starts):
                    submit()
                if self.spec.modality == "image":
                    buf, futs = job
                    for f in futs:
                        f.result()
                    feeds = {self._inputs[0]: buf}
                else:
                    feeds, truncated = job.result()
                    self.truncated_count += truncated
                yield start, self._run(feeds)
        finally:
            for _, job in pending:
                for f in (job[1] if isinstance(job, tuple) else [job]):
                    if isinstance(f, Future):
                        f.cancel()
            pool.shutdown(wait=True, cancel_futures=True)

    def encode(self, items: Sequence[str | Path], batch_size: int = 32,
               progress: Progress | None = None) -> np.ndarray:
        """float32 [n, dim] embeddings of ``items`` (image paths or texts), in input order."""
        items = list(items)
        order = self.batch_order(items)  # texts: longest first (less padding); images: as given
        out = np.empty((len(items), self.spec.dim), dtype=np.float32)
        report(progress, 0, len(items), f"encoding with {self.spec.id}")
        with closing(self.iter_embeddings([items[i] for i in order], batch_size)) as batches:
            for start, emb in batches:
                out[order[start:start + len(emb)]] = emb
                report(progress, start + len(emb), len(items), f"encoding with {self.spec.id}")
        return out

    def batch_order(self, items: Sequence[str | Path]) -> np.ndarray:
        """Order in which to batch ``items``: texts by token length, images as given."""
        if self._tokenizer is None:
            return np.arange(len(items), dtype=np.int64)
        check_texts(items)
        return length_sorted_order(self._tokenizer.token_lengths([str(t) for t in items]))

    def token_lengths(self, texts: Sequence[str]) -> np.ndarray:
        """Token count of each text before truncation (compare with ``spec.max_tokens``)."""
        if self._tokenizer is None:
            raise ModelError(f"model {self.spec.id!r} is an image model: it has no tokens")
        return self._tokenizer.token_lengths(texts)


def load_encoder(model_id: str, device: str = "auto", threads: int | None = None,
                 *, workers: int | None = None, spin: bool = False) -> Encoder:
    """Load ``model_id`` after checking its sha256 against the manifest."""
    spec = get_spec(model_id)
    verify_sha256(spec)
    n_threads = int(threads) if threads else default_threads()
    session, provider = create_session(spec.path, device, n_threads, spin=spin)
    return Encoder(spec, session, provider, n_threads, workers=workers)
