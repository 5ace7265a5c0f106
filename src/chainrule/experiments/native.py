"""HW3's single-seed SGD loop as one C function: no interpreter, no dispatcher, between the matrix products.

Why: after fusing (see :mod:`chainrule.experiments.fused`) a TorchScript step still spends ≈ 20 µs of its ≈ 55
µs outside the three big matrix products — per-op dispatch, ``select`` views, the interpreter, and MKL's
fixed cost on the four tiny products of the 1-wide input and output layers — and MKL itself runs the big
products with its AVX2 kernels on AMD CPUs (≈ 10.5 µs each, ≈ 100 GFLOP/s). Here the whole loop over steps is
one C call. On a CPU with AVX-512 the three 64×64(+1)×128 products go to a register-tiled kernel of this file
(8×32 tiles, ≈ 4.4 µs each in isolation on the development machine's Zen 5 cores); elsewhere, or for shapes
that do not tile, to the ``sgemm_`` PyTorch itself links. The rest — layer 1 (an outer product), the output
layer (a dot product per column), both sigmoids and their derivatives, the small SGD steps — are plain loops
the C compiler vectorises. Measured (2-core AMD EPYC, one thread, CPU time per step): TorchScript loop ≈ 55
µs, this loop with MKL's products ≈ 40 µs, with the tiled kernel ≈ 28 µs.

The arithmetic is the same as the plain loop's: the same products and the same update order (each layer's
backward factor uses its weights from before their SGD step); only summation order and the ``exp`` inside the
sigmoid differ (a Cephes polynomial, vectorised with GCC/Clang vector extensions so that no ``-ffast-math`` is
needed): the sigmoid is within 2 float32 epsilons (relative) of the exact one for z ≥ −80, as close as
``torch.sigmoid``, and within 1e-37 (absolute) below, where the exact value underflows anyway. Tests compare
it with the ``nn.Module`` loop, the TorchScript one and a float64 sigmoid.

The C source is compiled on first use with the system C compiler (``$CC``, else ``cc``) into a per-user cache
keyed by source, flags and CPU; where there is no compiler, no ``sgemm_`` in PyTorch's library, or the build
fails, :func:`load` returns None and the caller keeps to the TorchScript loop.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import platform
import shutil
import subprocess
import tempfile
from pathlib import Path

import torch

FLAGS = ("-O3", "-march=native", "-fno-math-errno", "-fopenmp-simd", "-fPIC", "-shared")
COMPILE_TIMEOUT_S = 120

SOURCE = r"""/* One seed of HW3's minibatch SGD for a 1-n1-n2-1 sigmoid MLP (see chainrule/experiments/native.py). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef void (*sgemm_t)(const char *, const char *, const int *, const int *, const int *, const float *,
                        const float *, const int *, const float *, const int *, const float *, float *,
                        const int *);

/* Row-major C = alpha·op(A)·op(B) + beta·C through the column-major BLAS (computes Cᵀ = op(B)ᵀ·op(A)ᵀ). */
static void gemm(sgemm_t sgemm, int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                 int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    const char ta = trans_a ? 'T' : 'N', tb = trans_b ? 'T' : 'N';
    sgemm(&tb, &ta, &n, &m, &k, &alpha, b, &ldb, a, &lda, &beta, c, &ldc);
}

/* Sixteen lanes through GCC/Clang vector extensions, so that the sigmoid is vectorised at any optimisation
   level and without -ffast-math (which would license reassociating the training arithmetic). */
typedef float vf16 __attribute__((vector_size(64)));
typedef int32_t vi16 __attribute__((vector_size(64)));
#define LANES 16

/* Lane-wise: where mask (all ones), a; elsewhere b. */
static inline vf16 select16(vi16 mask, vf16 a, vf16 b) { return (vf16)(((vi16)a & mask) | ((vi16)b & ~mask)); }

/* exp by Cody–Waite range reduction and Cephes' degree-6 polynomial (within ≈2 ulp of expf); lane-wise, so
   the scalar tail uses the same arithmetic as the vector body. */
static inline vf16 exp16(vf16 x) {
    x = select16(x < -87.0f, (vf16){0} - 87.0f, x);
    x = select16(x > 88.0f, (vf16){0} + 88.0f, x);
    const vf16 shift = (vf16){0} + 12582912.0f; /* 1.5·2²³: adding it rounds to an integer */
    const vf16 n = (x * 1.44269504088896341f + shift) - shift;
    x = x - n * 0.693359375f + n * 2.12194440e-4f;
    vf16 p = (vf16){0} + 1.9875691500e-4f;
    p = p * x + 1.3981999507e-3f;
    p = p * x + 8.3334519073e-3f;
    p = p * x + 4.1665795894e-2f;
    p = p * x + 1.6666665459e-1f;
    p = p * x + 5.0000001201e-1f;
    p = p * x * x + x + 1.0f;
    const vi16 bits = (__builtin_convertvector(n, vi16) + 127) << 23;
    return p * (vf16)bits;
}

static inline vf16 sigmoid16(vf16 z) { return 1.0f / (1.0f + exp16(-z)); }

/* out[j] = sigmoid(w·in[j] + b) for j < count (w = 1, b = 0: the sigmoid in place). */
static void sigmoid_affine(float *out, const float *in, float w, float b, int64_t count) {
    int64_t j = 0;
    for (; j + LANES <= count; j += LANES) {
        vf16 v;
        memcpy(&v, in + j, sizeof v);
        v = sigmoid16(v * w + b);
        memcpy(out + j, &v, sizeof v);
    }
    if (j < count) {
        vf16 v = {0};
        memcpy(&v, in + j, (size_t)(count - j) * sizeof(float));
        v = sigmoid16(v * w + b);
        memcpy(out + j, &v, (size_t)(count - j) * sizeof(float));
    }
}

#if defined(__AVX512F__)
#define OWN_GEMM 1 /* 32 vector registers of 16 lanes: the 8×32 tile below stays in registers */
#else
#define OWN_GEMM 0 /* narrower vectors: the BLAS (MKL's AVX2 kernels) is as good */
#endif

/* Unaligned access to 16 floats (a memcpy into a local made GCC bounce every operand through the stack). */
typedef float vf16u __attribute__((vector_size(64), aligned(4), may_alias));

static inline vf16 load16(const float *p) { return *(const vf16u *)p; }

static inline void store16(float *p, vf16 v) { *(vf16u *)p = v; }

/* Whether tile_gemm takes an m×n product: MKL runs on AMD CPUs with its AVX2 kernels, so on an AVX-512 CPU this
   register-tiled loop is ≈ 2.5× faster on HW3's 64×65×128 products (measured: 4.4 µs against 11 µs). */
static int tiles(int m, int n) { return OWN_GEMM && m % 8 == 0 && n % 32 == 0; }

/* Row-major C (m×n, row stride ldc) = alpha·A·B + beta·C, B (k×n) row-major with row stride ldb, A[i][l] at
   a[i·ars + l·acs] (so Aᵀ is as cheap as A). Tiles of 8 rows × 32 columns: 16 accumulators, and per l one
   row of B (two vectors) against 8 broadcast entries of A. The accumulators are named, not an array: with
   an array, or inlined into the training loop, GCC 12 kept B's vectors on the stack. */
#define TILE_ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
#define TILE_ZERO(r) vf16 c##r##0 = {0}, c##r##1 = {0};
#define TILE_FMA(r)                          \
    {                                        \
        const float entry = column[r * ars]; \
        c##r##0 += entry * b0;               \
        c##r##1 += entry * b1;               \
    }
#define TILE_STORE(r)                                                              \
    {                                                                              \
        float *out = c + (i0 + r) * ldc + j0;                                      \
        if (beta == 0.0f) {                                                        \
            store16(out, alpha * c##r##0);                                         \
            store16(out + 16, alpha * c##r##1);                                    \
        } else {                                                                   \
            store16(out, alpha * c##r##0 + beta * load16(out));                    \
            store16(out + 16, alpha * c##r##1 + beta * load16(out + 16));          \
        }                                                                          \
    }

__attribute__((noinline)) static void tile_gemm(int m, int n, int k, float alpha, const float *a, int64_t ars,
                                                int64_t acs, const float *b, int64_t ldb, float beta, float *c,
                                                int64_t ldc) {
    for (int j0 = 0; j0 < n; j0 += 32) {
        for (int i0 = 0; i0 < m; i0 += 8) {
            TILE_ROWS(TILE_ZERO)
            const float *rows = a + i0 * ars;
            for (int l = 0; l < k; l++) {
                const vf16 b0 = load16(b + l * ldb + j0), b1 = load16(b + l * ldb + j0 + 16);
                const float *column = rows + l * acs;
                TILE_ROWS(TILE_FMA)
            }
            TILE_ROWS(TILE_STORE)
        }
    }
}

/* The loop's sigmoid on its own, for tests of its accuracy. */
void hw3_sigmoid(float *out, const float *in, int64_t count) { sigmoid_affine(out, in, 1.0f, 0.0f, count); }

/* a1: n1×2 [w1 | b1], a2: n2×(n1+1), a3: 1×(n2+1), all row-major and updated in place.
   h1a: (n1+1)×B and h2a: (n2+1)×B with their last row already 1; d1: n1×B, d2: n2×B scratch.
   x: step s's inputs at x + s·x_stride; neg_y: steps×B, minus the labels; g: steps×B, receives f(x) − y.
   alpha: −(step size)·(d loss / d residual). */
void hw3_sgd(sgemm_t sgemm, int steps, int n1, int n2, int batch, float alpha, float *a1, float *a2, float *a3,
             float *h1a, float *h2a, float *d1, float *d2, const float *x, int64_t x_stride, const float *neg_y,
             float *g) {
    const int B = batch, k1 = n1 + 1, k2 = n2 + 1;
    float *h1 = h1a, *h2 = h2a;
    /* h1 batch-major, so that the update of [W2 | b2] is a tiled product too */
    float *h1t = tiles(n2, n1) ? malloc(sizeof(float) * (size_t)n1 * (size_t)B) : NULL;
    for (int s = 0; s < steps; s++) {
        const float *xb = x + s * x_stride, *nyb = neg_y + (int64_t)s * B;
        float *gb = g + (int64_t)s * B;
        /* forward, layer 1 (one input: an outer product) */
        for (int i = 0; i < n1; i++) {
            const float w = a1[2 * i], b = a1[2 * i + 1];
            float *row = h1 + (int64_t)i * B;
            sigmoid_affine(row, xb, w, b, B);
        }
        /* forward, layer 2 */
        if (tiles(n2, B))
            tile_gemm(n2, B, k1, 1.0f, a2, k1, 1, h1a, B, 0.0f, h2, B);
        else
            gemm(sgemm, 0, 0, n2, B, k1, 1.0f, a2, k1, h1a, B, 0.0f, h2, B);
        sigmoid_affine(h2, h2, 1.0f, 0.0f, (int64_t)n2 * B);
        /* forward, layer 3 (one output), minus the labels: the residual */
        for (int j = 0; j < B; j++) gb[j] = a3[n2] + nyb[j];
        for (int i = 0; i < n2; i++) {
            const float w = a3[i], *row = h2 + (int64_t)i * B;
            for (int j = 0; j < B; j++) gb[j] += w * row[j];
        }
        /* backward through layer 3, with the old w3, then its SGD step */
        for (int i = 0; i < n2; i++) {
            const float w = a3[i], *row = h2 + (int64_t)i * B;
            float *out = d2 + (int64_t)i * B;
            for (int j = 0; j < B; j++) out[j] = w * gb[j] * (row[j] * (1.0f - row[j]));
        }
        for (int i = 0; i < k2; i++) {
            const float *row = h2a + (int64_t)i * B;
            float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
            for (int j = 0; j < B; j++) sum += gb[j] * row[j];
            a3[i] += alpha * sum;
        }
        /* backward through layer 2 with the old W2, then its SGD step */
        if (tiles(n1, B))
            tile_gemm(n1, B, n2, 1.0f, a2, 1, k1, d2, B, 0.0f, d1, B);
        else
            gemm(sgemm, 1, 0, n1, B, n2, 1.0f, a2, k1, d2, B, 0.0f, d1, B);
        if (h1t != NULL) {
            for (int j = 0; j < B; j++)
                for (int i = 0; i < n1; i++) h1t[(int64_t)j * n1 + i] = h1[(int64_t)i * B + j];
            tile_gemm(n2, n1, B, alpha, d2, B, 1, h1t, n1, 1.0f, a2, k1); /* W2 += α·D2·H1ᵀ */
            for (int i = 0; i < n2; i++) {                                 /* b2 += α·D2·1 */
                const float *row = d2 + (int64_t)i * B;
                float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
                for (int j = 0; j < B; j++) sum += row[j];
                a2[(int64_t)i * k1 + n1] += alpha * sum;
            }
        } else {
            gemm(sgemm, 0, 1, n2, k1, B, alpha, d2, B, h1a, B, 1.0f, a2, k1);
        }
        /* backward through the first sigmoid and the SGD step of layer 1 */
        for (int i = 0; i < n1; i++) {
            const float *row = h1 + (int64_t)i * B;
            float *delta = d1 + (int64_t)i * B;
            float dw = 0.0f, db = 0.0f;
#pragma omp simd reduction(+ : dw, db)
            for (int j = 0; j < B; j++) {
                const float d = delta[j] * (row[j] * (1.0f - row[j]));
                dw += d * xb[j];
                db += d;
            }
            a1[2 * i] += alpha * dw;
            a1[2 * i + 1] += alpha * db;
        }
    }
    free(h1t);
}
"""


def _cpu_signature() -> str:
    """What ``-march=native`` depends on, so that a cache shared across machines never runs foreign code."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        wanted = [line for line in lines if line.startswith(("flags", "model name", "vendor_id"))][:3]
    except OSError:
        wanted = []
    return "|".join([platform.machine(), platform.processor(), *wanted])


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "chainrule" / "native"


def build(cache_dir: Path, compiler: str | None = None) -> Path | None:
    """Compile :data:`SOURCE` into ``cache_dir`` (reused when already there); None when it cannot be built."""
    compiler = compiler or os.environ.get("CC") or "cc"
    found = shutil.which(compiler)
    if found is None:
        return None
    key = hashlib.sha256("\n".join([SOURCE, found, *FLAGS, _cpu_signature()]).encode()).hexdigest()[:16]
    target = cache_dir / f"hw3_sgd-{key}.so"
    if target.exists():
        return target
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache_dir) as scratch:
            source, built = Path(scratch) / "hw3_sgd.c", Path(scratch) / "hw3_sgd.so"
            source.write_text(SOURCE)
            done = subprocess.run(
                [found, *FLAGS, "-o", str(built), str(source), "-lm"],
                capture_output=True,
                timeout=COMPILE_TIMEOUT_S,
                check=False,
            )
            if done.returncode != 0 or not built.exists():
                return None
            os.replace(built, target)  # atomic: concurrent first uses never load a half-written library
    except (OSError, subprocess.SubprocessError):
        return None
    return target


def _torch_sgemm() -> int | None:
    """Address of the Fortran ``sgemm_`` inside PyTorch's CPU library (MKL in the official builds)."""
    library = Path(torch.__file__).parent / "lib" / "libtorch_cpu.so"
    try:
        return ctypes.cast(ctypes.CDLL(str(library)).sgemm_, ctypes.c_void_p).value
    except (OSError, AttributeError):
        return None


class Hw3Kernel:
    """The compiled loop, bound to PyTorch's ``sgemm_``."""

    def __init__(self, library: Path, sgemm: int) -> None:
        self._sgemm = ctypes.c_void_p(sgemm)
        self._function = ctypes.CDLL(str(library)).hw3_sgd
        pointer = ctypes.c_void_p
        self._function.argtypes = [pointer, *[ctypes.c_int] * 4, ctypes.c_float, *[pointer] * 8, ctypes.c_int64]
        self._function.argtypes += [pointer, pointer]
        self._function.restype = None
        self._sigmoid = ctypes.CDLL(str(library)).hw3_sigmoid
        self._sigmoid.argtypes = [pointer, pointer, ctypes.c_int64]
        self._sigmoid.restype = None

    def sigmoid(self, z: torch.Tensor) -> torch.Tensor:
        """The loop's own sigmoid (vectorised Cephes ``exp``) of a float32 CPU tensor, for checking it."""
        z = z.to(dtype=torch.float32, device="cpu").contiguous()
        out = torch.empty_like(z)
        self._sigmoid(out.data_ptr(), z.data_ptr(), z.numel())
        return out

    def run(
        self,
        a1: torch.Tensor,
        a2: torch.Tensor,
        a3: torch.Tensor,
        h1a: torch.Tensor,
        h2a: torch.Tensor,
        d1: torch.Tensor,
        d2: torch.Tensor,
        x: torch.Tensor,
        neg_y: torch.Tensor,
        residuals: torch.Tensor,
        alpha: float,
    ) -> None:
        """``steps`` SGD steps in place: ``a1`` (n1, 2), ``a2`` (n2, n1+1), ``a3`` (1, n2+1) are ``[W | b]``;
        ``h1a``, ``h2a`` (n+1, B) end in a row of ones; ``x`` (steps, B) may have any row stride; ``neg_y``
        and ``residuals`` (steps, B); everything float32 on the CPU."""
        steps, batch = residuals.shape
        n1, n2 = d1.shape[0], d2.shape[0]
        shapes = {
            "a1": (a1, (n1, 2)), "a2": (a2, (n2, n1 + 1)), "a3": (a3, (1, n2 + 1)),
            "h1a": (h1a, (n1 + 1, batch)), "h2a": (h2a, (n2 + 1, batch)), "d1": (d1, (n1, batch)),
            "d2": (d2, (n2, batch)), "neg_y": (neg_y, (steps, batch)), "residuals": (residuals, (steps, batch)),
        }  # fmt: skip
        for name, (tensor, shape) in shapes.items():
            if tuple(tensor.shape) != shape or not tensor.is_contiguous():
                raise ValueError(f"{name} must be a contiguous {shape} tensor, got {tuple(tensor.shape)}")
        for tensor in (*(t for t, _ in shapes.values()), x):
            if tensor.dtype != torch.float32 or tensor.device.type != "cpu":
                raise ValueError("the native loop takes float32 CPU tensors")
        if x.shape != (steps, batch) or x.stride(1) != 1:
            raise ValueError(f"x must be ({steps}, {batch}) with unit column stride")
        self._function(
            self._sgemm, steps, n1, n2, batch, alpha,
            a1.data_ptr(), a2.data_ptr(), a3.data_ptr(), h1a.data_ptr(), h2a.data_ptr(), d1.data_ptr(),
            d2.data_ptr(), x.data_ptr(), x.stride(0), neg_y.data_ptr(), residuals.data_ptr(),
        )  # fmt: skip


def load_from(cache_dir: Path, compiler: str | None = None) -> Hw3Kernel | None:
    """The kernel built in ``cache_dir`` with ``compiler``; None where any part is missing."""
    sgemm = _torch_sgemm()
    if sgemm is None:
        return None
    library = build(cache_dir, compiler)
    if library is None:
        return None
    try:
        return Hw3Kernel(library, sgemm)
    except (OSError, AttributeError):
        return None


@functools.cache
def load() -> Hw3Kernel | None:
    """The kernel from the per-user cache, built on first use in a process; None where it cannot be had."""
    return load_from(_cache_dir())
