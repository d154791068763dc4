"""onnxruntime sessions and the encoding pipeline.

Decoding (images) or tokenising (texts) runs in worker threads a few batches ahead of
inference, which runs in the caller's thread; Pillow, numpy and onnxruntime all release
the GIL, so the two overlap (engine/encoders/pipeline.py: buffers, prefetch depth). Embeddings come out float32, in input order, and are
bitwise identical from run to run for the same inputs, batch size and thread count.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

from engine.encoders.pipeline import BufferPool, ImageBatchJob, ModelPace, prefetch_depth
from engine.encoders.registry import ModelSpec, get_spec, verify_sha256
from engine.encoders.texts import TextTokenizer, check_texts, length_sorted_order
from engine.errors import AlignScopeError, InputError, ModelError
from engine.onnx_session import check_device, default_threads, open_session
from engine.progress import Progress, report
from engine.typed_json import JSONObject

PREP_NICE = 0  # niceness added to the decoding/tokenising threads (0: same as inference)
CPU_IMAGE_WORKERS = 2  # decoding threads beside onnxruntime's on a CPU (benchmarks/bench_encode.py)


def default_image_workers(provider: str) -> int:
    """Decoding threads: on a GPU decoding is the bottleneck, so every core (≤ 16)."""
    if provider == "CUDAExecutionProvider":
        return max(2, min(16, default_threads()))
    return max(1, min(CPU_IMAGE_WORKERS, default_threads()))


def create_session(path: Path, device: str = "auto", threads: int | None = None,
                   *, spin: bool = False) -> tuple[ort.InferenceSession, str]:
    """A session on ``device``; returns it with the provider really used.

    ``auto`` tries CUDA then CPU; ``cuda`` fails clearly when CUDA cannot run; ``cpu`` is
    CPU only. ``spin=False`` stops idle intra-op threads from busy-waiting, leaving the
    cores to the decoding threads between batches.
    """
    check_device(device, ModelError)
    try:
        return open_session(path, device, threads, spin=spin, error=ModelError)
    except AlignScopeError:
        raise
    except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph/... classes
        raise ModelError(f"{path}: onnxruntime cannot load this model ({_one_line(exc)})") from None


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


@dataclass(frozen=True)
class EncodedBatch:
    """Consecutive items ``start … start+len(vectors)-1`` of one run."""

    start: int
    vectors: np.ndarray  # float32 [b, dim], the embedding
    layers: dict[str, np.ndarray]  # {layer name: float32 [b, dim_l]} in depth order; {} unless asked


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
        self.prefetch: list[int] = []  # prefetch depth used for each batch of the last run
        self._inputs = [i.name for i in session.get_inputs()]
        self._output = spec.output_name if spec.output_name in {o.name for o in session.get_outputs()} \
            else session.get_outputs()[0].name
        self._tokenizer: TextTokenizer | None = None
        self._pixels_in = False  # image input is uint8 NHWC pixels (else float32 NCHW, normalised here)
        if spec.modality == "text":
            if spec.tokenizer is None:
                raise ModelError(f"text model {spec.id!r} has no tokenizer.json")
            self._tokenizer = TextTokenizer(spec.tokenizer, spec.max_tokens or 512)
            self.workers = workers or 1
        else:
            if not spec.preprocessing.get("size") and not spec.input_size:
                raise ModelError(f"image model {spec.id!r} has no input size")
            self._pixels_in = session.get_inputs()[0].type == "tensor(uint8)"
            self.workers = workers or default_image_workers(provider)

    @property
    def pixel_input(self) -> bool:
        """Whether the model takes uint8 NHWC pixels (normalisation inside its graph)."""
        return self._pixels_in

    # -- preparation (worker threads) -------------------------------------------------
    def _image_prep(self) -> JSONObject:
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
    def _layer_outputs(self) -> list[str]:
        if not self.spec.layers:
            raise ModelError(f"model {self.spec.id!r} was exported without layer outputs "
                             "(only the bundled ladder has them; re-run `make models`)")
        return [x.output for x in self.spec.layers if x.output != self._output]

    def _run(self, feeds: dict[str, np.ndarray], layers: bool = False) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        names = [self._output] + (self._layer_outputs() if layers else [])
        outs = self.session.run(names, feeds)
        out = np.asarray(outs[0])
        if out.ndim == 3 and "attention_mask" in feeds:  # token outputs: masked mean + L2
            mask = feeds["attention_mask"][..., None].astype(np.float32)
            out = (out * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
            out = out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        elif out.ndim == 4 and out.shape[2:] == (1, 1):
            out = out[:, :, 0, 0]
        if out.ndim != 2 or out.shape[1] != self.spec.dim:
            raise ModelError(f"model {self.spec.id!r}: output shape {list(out.shape)} is not [batch, {self.spec.dim}]")
        vectors = np.ascontiguousarray(out, dtype=np.float32)
        if not layers:
            return vectors, {}
        by_output = dict(zip(names, outs, strict=True))
        by_output[self._output] = vectors
        return vectors, {x.name: np.ascontiguousarray(by_output[x.output], dtype=np.float32)
                         for x in self.spec.layers}

    def iter_embeddings(self, items: Sequence[str | Path], batch_size: int = 32) -> Generator[tuple[int, np.ndarray], None, None]:
        """Yield ``(start_index, float32 [b, dim])`` for consecutive batches, in input order."""
        with closing(self.iter_batches(items, batch_size)) as batches:
            for batch in batches:
                yield batch.start, batch.vectors

    def iter_batches(self, items: Sequence[str | Path], batch_size: int = 32, *,
                     layers: bool = False) -> Generator[EncodedBatch, None, None]:
        """Consecutive :class:`EncodedBatch` es in input order; with ``layers`` every pooled layer
        of the same forward pass too (the last layer is the embedding itself)."""
        if batch_size < 1:
            raise InputError(f"batch size must be at least 1 (got {batch_size})")
        items = list(items)
        if self.spec.modality == "text":
            for i, t in enumerate(items):
                if not isinstance(t, str):
                    raise InputError(f"text #{i + 1}: expected a string, got {type(t).__name__}")
        if layers:
            self._layer_outputs()
        self.truncated_count = 0
        self.prefetch = []
        starts = list(range(0, len(items), batch_size))
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="alignscope-prep",
                                  initializer=_lower_thread_priority, initargs=(self.prep_nice,))
        submit, wait = self._preparation(pool, items, batch_size)
        pace = ModelPace()
        pending: deque[tuple[int, Any]] = deque()
        next_batch = 0
        try:
            while pending or next_batch < len(starts):
                depth = prefetch_depth(pace.seconds, self._batch_bytes(batch_size))
                while next_batch < len(starts) and len(pending) < depth:
                    pending.append((starts[next_batch], submit(starts[next_batch])))
                    next_batch += 1
                self.prefetch.append(depth)
                start, job = pending.popleft()
                feeds = wait(job)
                began = time.perf_counter()
                vectors, pooled = self._run(feeds, layers)
                pace.observe(time.perf_counter() - began)
                if isinstance(job, ImageBatchJob):
                    job.release()
                yield EncodedBatch(start, vectors, pooled)
        finally:
            for _, job in pending:
                if isinstance(job, ImageBatchJob):
                    job.cancel()
                elif isinstance(job, Future):
                    job.cancel()
            pool.shutdown(wait=True, cancel_futures=True)

    def _batch_bytes(self, batch_size: int) -> int:
        if self.spec.modality != "image":
            return 1
        size = int(self._image_prep()["size"])
        return batch_size * size * size * 3 * (1 if self._pixels_in else 5)

    def _preparation(self, pool: ThreadPoolExecutor, items: list[Any], batch_size: int
                     ) -> tuple[Callable[[int], Any], Callable[[Any], dict[str, np.ndarray]]]:
        """(submit(start) → job, wait(job) → feeds) for this model's modality."""
        if self.spec.modality == "image":
            prep = self._image_prep()
            size = int(prep["size"])
            pixel_pool = BufferPool((batch_size, size, size, 3), np.uint8)
            float_pool = None if self._pixels_in else BufferPool((batch_size, 3, size, size), np.float32)
            name = self._inputs[0]

            def submit_images(start: int) -> ImageBatchJob:
                return ImageBatchJob(pool, items[start:start + batch_size], prep, pixel_pool,
                                     float_pool, self.workers)

            def wait_images(job: ImageBatchJob) -> dict[str, np.ndarray]:
                return {name: job.wait()}

            return submit_images, wait_images

        def submit_texts(start: int) -> Future[tuple[dict[str, np.ndarray], int]]:
            return pool.submit(self._text_feeds, [str(t) for t in items[start:start + batch_size]])

        def wait_texts(job: Future[tuple[dict[str, np.ndarray], int]]) -> dict[str, np.ndarray]:
            feeds, truncated = job.result()
            self.truncated_count += truncated
            return feeds

        return submit_texts, wait_texts

    def encode(self, items: Sequence[str | Path], batch_size: int = 32,
               progress: Progress | None = None) -> np.ndarray:
        """float32 [n, dim] embeddings of ``items`` (image paths or texts), in input order."""
        return self._collect(items, batch_size, progress, layers=False)[0]

    def encode_layers(self, items: Sequence[str | Path], batch_size: int = 32,
                      progress: Progress | None = None) -> dict[str, np.ndarray]:
        """{layer name: float32 [n, dim_l]} for every pooled layer, in depth order (one forward
        pass per batch; the last layer is the embedding ``encode`` returns)."""
        return self._collect(items, batch_size, progress, layers=True)[1]

    def _collect(self, items: Sequence[str | Path], batch_size: int, progress: Progress | None,
                 layers: bool) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        items = list(items)
        order = self.batch_order(items)  # texts: longest first (less padding); images: as given
        vectors = np.empty((len(items), self.spec.dim), dtype=np.float32)
        pooled = {x.name: np.empty((len(items), x.dim), dtype=np.float32)
                  for x in self.spec.layers} if layers else {}
        report(progress, 0, len(items), f"encoding with {self.spec.id}")
        with closing(self.iter_batches([items[i] for i in order], batch_size, layers=layers)) as batches:
            for b in batches:
                stop = b.start + len(b.vectors)
                rows = order[b.start:stop]
                vectors[rows] = b.vectors
                for name, arr in b.layers.items():
                    pooled[name][rows] = arr
                report(progress, stop, len(items), f"encoding with {self.spec.id}")
        return vectors, pooled

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
