"""The fast route: HW3's SGD with a hand-written forward/backward, fused, preallocated, batched over seeds.

Why it is faster than the ``nn.Module`` loop while doing the same mathematics:

* Each layer keeps weight and bias in one augmented matrix ``A = [W | b]`` and each activation carries a
  constant row of ones, so a layer is one matrix product and its weight *and* bias gradient are one more.
* The SGD update is folded into the gradient product: ``A ← A − α·c·D·Hᵀ`` is a single in-place
  ``addmm_`` (``baddbmm_`` across seeds), with the loss's gradient scale ``c`` folded into the step.
* Activations live feature-major (``features × batch``), so every operand is a contiguous view of a
  buffer allocated once; ``out=`` and in-place ops mean no tensor is allocated inside the loop.
* The residual ``f − y`` is written straight into a per-chunk buffer, so the loss curve costs nothing
  per step; inputs for a chunk of epochs are gathered in one indexing op per chunk.
* S seeds run as one program: the same ~12 calls per step on ``(S, ·, ·)`` tensors through
  ``bmm``/``baddbmm``, so Python's per-call overhead is paid once for all seeds.

With one seed on the CPU the whole loop over steps is one call into C (:mod:`chainrule.experiments.native`):
the three big products go to a register-tiled AVX-512 kernel (or PyTorch's own ``sgemm_``) and everything
else is vectorised C; where that cannot be built, the seed axis is dropped, 2-D ``mm``/``addmm`` are used and
the step loop runs under TorchScript.
Larger ensembles run in cache-sized groups of seeds.

Where the time goes (benchmarks/train_speed.py, one CPU thread): the three 64×64(+1)×128 products of a
step are ≈ 3.2 MFLOP and MKL's sgemm runs them at ≈ 100 GFLOP/s on the development machine (a 2-core AMD
EPYC on which MKL takes its AVX2 path), so ≈ 35 µs of a step is matrix products. The plain loop pays ≈ 200
µs of autograd, module and optimizer overhead on top of the same products.

Measured on that machine (shared, load average 3–6 on 2 cores; alternating runs, best of 4–5, µs per step):

* TorchScript loop ≈ 55; its torch.profiler breakdown: big products ≈ 39, the four tiny products of the
  1-wide layers ≈ 9 (MKL's fixed cost), two sigmoids ≈ 5, ``select`` views ≈ 3, sigmoid_backward ≈ 2, rest
  interpreter. The C loop removes all but the big products: ≈ 41 with MKL's products; MKL takes its AVX2
  kernels on this AMD CPU (≈ 10.5 µs a product, ≈ 100 GFLOP/s), the C loop's own 8×32-tiled AVX-512 kernel
  ≈ 4.4 µs: ≈ 28 per step (kept, the default).
* TorchScript with per-step views handed in as lists and layer 1 as one ``addcmul``: ≈ 58 (rejected).
* torch.compile of a whole epoch (4 steps, functional): Python wrapper ≈ 67, Inductor ``cpp_wrapper`` ≈ 55,
  ``max-autotune`` ≈ 56 — its CPP GEMM template only takes constant (frozen) weights, so the same MKL calls
  remain (rejected). Earlier: oneDNN linear and grouped 1×1 convolutions (≈ 11 µs fixed cost per call),
  other operand layouts and padded strides (rejected).
* Two intra-op threads: under other users' load one 64×65×128 product takes 115–210 µs instead of 14–25,
  and the C loop ≈ 600 µs/step wall instead of ≈ 41 (OpenMP waits on a descheduled thread); one thread
  stays. benchmarks/train_speed.py keeps a 2-thread route so that this is re-measured on every run.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

import torch

from chainrule.errors import InputError
from chainrule.experiments.hw3 import Hw3Config
from chainrule.experiments.mlp import MlpParams
from chainrule.experiments.native import load as load_native

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class EnsembleResult:
    """Final parameters stacked over seeds ``(S, ...)`` and per-seed epoch losses ``(S, K)``."""

    params: MlpParams
    epoch_losses: torch.Tensor


def _augment(params: MlpParams, device: torch.device) -> list[torch.Tensor]:
    """``[W | b]`` per layer, shape ``(S, n_out, n_in + 1)``, float32, contiguous."""
    return [
        torch.cat([w, b.unsqueeze(-1)], dim=-1).to(device=device, dtype=torch.float32).contiguous()
        for w, b in zip(params.weights, params.biases, strict=True)
    ]


def _split(augmented: list[torch.Tensor]) -> MlpParams:
    return MlpParams(
        tuple(a[..., :-1].clone().cpu() for a in augmented),
        tuple(a[..., -1].clone().cpu() for a in augmented),
    )


def _chunks(orders: Iterable[torch.Tensor], size: int) -> Iterator[list[torch.Tensor]]:
    iterator = iter(orders)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _single_seed_steps(
    a1: torch.Tensor,
    a2: torch.Tensor,
    a3: torch.Tensor,
    h1a: torch.Tensor,
    h2a: torch.Tensor,
    d1: torch.Tensor,
    d2: torch.Tensor,
    inputs: torch.Tensor,
    neg_targets: torch.Tensor,
    residuals: torch.Tensor,
    alpha: float,
) -> None:
    """One seed, 2-D: the same calls as :meth:`_Group.run`, compiled by TorchScript to shed Python's per-call
    cost (about an eighth of a step here); pre-activations are written in place (2-D views are contiguous)."""
    n1, n2 = d1.shape[0], d2.shape[0]
    h1, h2 = h1a[:n1], h2a[:n2]
    w2t, w3t = a2[:, :n1].t(), a3[:, :n2].t()
    h1a_t, h2a_t = h1a.t(), h2a.t()
    for step in range(inputs.shape[0]):
        xb, g = inputs[step], residuals[step]
        torch.sigmoid(torch.mm(a1, xb, out=h1), out=h1)
        torch.sigmoid(torch.mm(a2, h1a, out=h2), out=h2)
        torch.addmm(neg_targets[step], a3, h2a, out=g)
        torch.mul(w3t, g, out=d2)
        a3.addmm_(g, h2a_t, alpha=alpha)
        torch.ops.aten.sigmoid_backward(d2, h2, grad_input=d2)
        torch.mm(w2t, d2, out=d1)
        a2.addmm_(d2, h1a_t, alpha=alpha)
        torch.ops.aten.sigmoid_backward(d1, h1, grad_input=d1)
        a1.addmm_(d1, xb.t(), alpha=alpha)


@functools.cache
def _scripted_single_seed_steps() -> Callable[..., None] | None:
    """TorchScript of :func:`_single_seed_steps`, compiled on first use; None where TorchScript fails.

    TorchScript is deprecated in favour of torch.compile, but here it is the measured better option: the
    compiled Inductor graph still calls MKL for every matrix product and its Python wrapper costs as much
    as the eager loop, while TorchScript's interpreter drops Python's per-call cost. PyTorch is pinned,
    and the eager loop (identical arithmetic) takes over if scripting ever fails.
    """
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*torch.jit.script.*deprecated", category=DeprecationWarning)
            return torch.jit.script(_single_seed_steps)
    except Exception:
        return None


class _Group:
    """Parameters and preallocated buffers for a group of seeds trained by one sequence of batched calls."""

    def __init__(
        self,
        a1: torch.Tensor,
        a2: torch.Tensor,
        a3: torch.Tensor,
        batch: int,
        chunk_steps: int,
        scripted: bool = True,
        native: bool = True,
    ) -> None:
        seeds, n1, n2, n3 = a1.shape[0], a1.shape[1], a2.shape[1], a3.shape[1]
        n0, device = a1.shape[2] - 1, a1.device

        def buffer(*shape: int, ones_row: bool = False) -> torch.Tensor:
            made = torch.empty(*shape, device=device)
            if ones_row:
                made[..., -1, :] = 1.0
            return made

        self.seeds, self.a1, self.a2, self.a3, self.scripted = seeds, a1, a2, a3, scripted
        self.native = native and seeds == 1 and device.type == "cpu"
        # Feature-major activations with a trailing row of ones (for the bias column of the next layer).
        self.h1a, self.h2a = buffer(seeds, n1 + 1, batch, ones_row=True), buffer(seeds, n2 + 1, batch, ones_row=True)
        # Contiguous scratch for pre-activations: bmm with a strided out= falls back to a slow per-seed loop.
        self.z1, self.z2 = buffer(seeds, n1, batch), buffer(seeds, n2, batch)
        self.d1, self.d2 = buffer(seeds, n1, batch), buffer(seeds, n2, batch)
        self.inputs = buffer(chunk_steps, seeds, n0 + 1, batch, ones_row=True)  # per step: [x; 1]
        self.neg_targets = buffer(chunk_steps, seeds, n3, batch)  # per step: −y
        self.residuals = buffer(chunk_steps, seeds, n3, batch)  # per step: f(x) − y, kept for the loss curve

    def run(self, steps: int, alpha: float) -> None:
        """Take ``steps`` SGD steps on the inputs and targets already in the chunk buffers."""
        a1, a2, a3, h1a, h2a, z1, z2, d1, d2 = (
            self.a1, self.a2, self.a3, self.h1a, self.h2a, self.z1, self.z2, self.d1, self.d2
        )  # fmt: skip
        inputs, neg_targets, residuals = self.inputs[:steps], self.neg_targets[:steps], self.residuals[:steps]
        n1, n2 = z1.shape[1], z2.shape[1]
        kernel = load_native() if self.native else None
        if kernel is not None:
            kernel.run(
                a1[0],
                a2[0],
                a3[0],
                h1a[0],
                h2a[0],
                d1[0],
                d2[0],
                inputs[:, 0, 0],
                neg_targets[:, 0, 0],
                residuals[:, 0, 0],
                alpha,
            )
            return
        scripted = _scripted_single_seed_steps() if self.seeds == 1 and self.scripted else None
        if scripted is not None:
            scripted(
                a1[0],
                a2[0],
                a3[0],
                h1a[0],
                h2a[0],
                d1[0],
                d2[0],
                inputs[:, 0],
                neg_targets[:, 0],
                residuals[:, 0],
                alpha,
            )
            return
        if self.seeds == 1:  # drop the seed axis: 2-D kernels are cheaper than batched ones with one batch
            a1, a2, a3, h1a, h2a, d1, d2 = (t[0] for t in (a1, a2, a3, h1a, h2a, d1, d2))
            inputs, neg_targets, residuals = inputs[:, 0], neg_targets[:, 0], residuals[:, 0]
            h1, h2 = h1a[:n1], h2a[:n2]
            z1, z2 = h1, h2  # 2-D views of one seed are contiguous: pre-activations go in place
            mm, mm_add, acc = torch.mm, torch.addmm, torch.Tensor.addmm_
        else:
            h1, h2 = h1a[:, :n1], h2a[:, :n2]
            mm, mm_add, acc = torch.bmm, torch.baddbmm, torch.Tensor.baddbmm_
        w2t, w3t = a2[..., :n1].transpose(-1, -2), a3[..., :n2].transpose(-1, -2)
        h1a_t, h2a_t = h1a.transpose(-1, -2), h2a.transpose(-1, -2)
        sigmoid, mul = torch.sigmoid, torch.mul
        sigmoid_backward = torch.ops.aten.sigmoid_backward.grad_input
        for xb, neg_yb, g in zip(inputs.unbind(0), neg_targets.unbind(0), residuals.unbind(0), strict=True):
            sigmoid(mm(a1, xb, out=z1), out=h1)  # forward, layer 1
            sigmoid(mm(a2, h1a, out=z2), out=h2)  # forward, layer 2
            mm_add(neg_yb, a3, h2a, out=g)  # forward, layer 3, minus the labels: the residual
            mul(w3t, g, out=d2)  # backward through layer 3 (n3 = 1: an outer product), before A3 moves
            acc(a3, g, h2a_t, alpha=alpha)  # SGD step on [W3 | b3]
            sigmoid_backward(d2, h2, grad_input=d2)
            mm(w2t, d2, out=d1)  # backward through layer 2 (before A2 moves)
            acc(a2, d2, h1a_t, alpha=alpha)  # SGD step on [W2 | b2]
            sigmoid_backward(d1, h1, grad_input=d1)
            acc(a1, d1, xb.transpose(-1, -2), alpha=alpha)  # SGD step on [W1 | b1]


def train_fused(
    x: torch.Tensor,
    y: torch.Tensor,
    init: MlpParams,
    orders: Iterable[torch.Tensor],
    config: Hw3Config,
    device: torch.device | str = "cpu",
    progress: ProgressCallback | None = None,
    chunk_epochs: int = 25,
    group_size: int = 16,
    scripted: bool = True,
    native: bool = True,
) -> EnsembleResult:
    """Train S seeds at once. ``x``, ``y``: ``(S, N, n0)``, ``(S, N, n3)``; ``init``: stacked ``(S, ...)``;
    ``orders``: one ``(S, N)`` permutation tensor per epoch (row s = seed s's order).

    Seeds are batched in groups of at most ``group_size`` (on CPU, so that a group's buffers stay in
    cache); the groups take turns chunk by chunk of ``chunk_epochs`` epochs. Where the C loop is available
    every seed on the CPU is a group of its own. A single seed on the CPU runs
    through the compiled C loop of :mod:`chainrule.experiments.native` where it can be built, else through
    the TorchScript loop; ``native=False`` skips the C loop and ``scripted=False`` then runs the eager loop
    instead of the TorchScript one (the same calls, kept for comparison and as the last fallback).
    """
    device = torch.device(device)
    n0, n1, n2, n3 = config.widths
    seeds, n_data = x.shape[0], config.n_data
    if x.shape != (seeds, n_data, n0) or y.shape != (seeds, n_data, n3):
        raise InputError(f"data must be (S, N, n0) and (S, N, n3), got {tuple(x.shape)} and {tuple(y.shape)}")
    if n0 != 1 or n3 != 1:
        raise InputError(f"the fused path trains 1-n1-n2-1 networks, got widths {list(config.widths)}")
    batch, per_epoch = config.batch_size, config.steps_per_epoch
    alpha = -config.step_size * config.gradient_scale
    x, y = x.to(device=device, dtype=torch.float32), y.to(device=device, dtype=torch.float32)
    a1, a2, a3 = _augment(init, device)
    if a1.shape != (seeds, n1, n0 + 1) or a2.shape != (seeds, n2, n1 + 1) or a3.shape != (seeds, n3, n2 + 1):
        raise InputError("initial parameters do not match the configured widths and seed count")
    if device.type == "cuda":
        size = seeds
    elif native and load_native() is not None:
        size = 1  # the C loop, seed after seed, beats one batched program (≈ 30 against ≈ 50 µs per seed-step)
    else:
        size = max(1, group_size)
    bounds = [(start, min(start + size, seeds)) for start in range(0, seeds, size)]
    chunk_steps = chunk_epochs * per_epoch
    groups = [
        _Group(a1[i:j].clone(), a2[i:j].clone(), a3[i:j].clone(), batch, chunk_steps, scripted, native)
        for i, j in bounds
    ]
    seed_index = torch.arange(seeds, device=device).unsqueeze(-1)
    losses: list[torch.Tensor] = []
    done = 0
    for chunk in _chunks(orders, chunk_epochs):
        epochs = len(chunk)
        order = torch.stack(chunk).to(device)  # (E, S, N)
        if order.shape != (epochs, seeds, n_data):
            raise InputError(f"each epoch order must be (S, N) = ({seeds}, {n_data}), got {tuple(order.shape[1:])}")
        steps = epochs * per_epoch
        # (E, S, N, 1) → (E·steps, S, 1, B): batch j of epoch e is the j-th block of B in that epoch's order.
        gathered_x = x[seed_index, order].reshape(epochs, seeds, per_epoch, batch).transpose(1, 2)
        gathered_y = y[seed_index, order].reshape(epochs, seeds, per_epoch, batch).transpose(1, 2)
        gathered_x, gathered_y = gathered_x.reshape(steps, seeds, batch), gathered_y.reshape(steps, seeds, batch)
        chunk_losses = []
        for group, (i, j) in zip(groups, bounds, strict=True):
            group.inputs[:steps, :, 0].copy_(gathered_x[:, i:j])
            torch.neg(gathered_y[:, i:j], out=group.neg_targets[:steps, :, 0])
            group.run(steps, alpha)
            squared = group.residuals[:steps].square().mean(dim=(-1, -2))  # (steps, G): minibatch mean squares
            chunk_losses.append(squared.reshape(epochs, per_epoch, j - i).mean(dim=1))
        losses.append(torch.cat(chunk_losses, dim=1))
        done += epochs
        if progress is not None:
            progress(done, config.epochs)
    epoch_losses = torch.cat(losses).T.cpu()
    if config.loss == "half":
        epoch_losses = 0.5 * epoch_losses
    stacked = [torch.cat([getattr(g, name) for g in groups]) for name in ("a1", "a2", "a3")]
    return EnsembleResult(_split(stacked), epoch_losses)
