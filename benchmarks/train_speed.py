"""Time chainrule's fast HW3 training against the plain PyTorch eager loop, side by side in one run.

The plain loop is ``chainrule.experiments.reference.train_reference``: an ``nn.Module`` with ``nn.Linear``
layers, ``nn.MSELoss``, autograd and ``torch.optim.SGD`` — what a student writes for Ryu's HW3 — on one CPU
thread (``torch.set_num_threads(1)``, as the issue prescribes). The fast path is
``chainrule.experiments.fused.train_fused`` in its three single-seed loops: the compiled C loop
(``experiments.native``; the default), the TorchScript loop and the eager Python loop, on one thread, and the
C loop once more on two threads (its matrix products may then use both cores). All train Problem 1
(1-64-64-1 sigmoid MLP, N = 512, B = 128, K epochs, step 0.1) from the same seed, data, initialisation and
batch order. Each route is warmed up once, then the routes alternate for ``--repeat`` rounds and the best
time of each is kept: the machine is shared, so the minimum is the fairest estimate of the cost itself.
CPU seconds of the process and wall seconds are both printed; with two threads only wall time is the time
a user waits. Arithmetic: 3 matrix products of 64×64(+1)×128 per step, forward and backward, ≈ 3.2 MFLOP,
so ≈ 12.7 GFLOP per 1000-epoch run.

Then the fused path trains seed ensembles of S = 1, 16, 100 (the C loop seed after seed where it is
available, else batched programs of up to 16 seeds) and the time per seed is printed. The last line is the
wall-clock speedup of the fastest fast route over the plain loop.

Usage: .venv/bin/python benchmarks/train_speed.py [--epochs 1000] [--repeat 5] [--ensembles 1,16,100]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import torch

from chainrule.experiments import hw3, native
from chainrule.experiments.fused import train_fused
from chainrule.experiments.mlp import stack_params
from chainrule.experiments.reference import train_reference

FLOP_PER_STEP = 2 * 128 * (64 * 65 + 64 * 64 + 64 * 65)  # the three big matrix products of a step
PLAIN = "plain nn.Module + torch.optim.SGD, 1 thread"


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """(CPU seconds of this process, wall seconds) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return time.process_time() - cpu, time.perf_counter() - wall


def with_threads(count: int, action: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        torch.set_num_threads(count)
        try:
            return action()
        finally:
            torch.set_num_threads(1)

    return run


def load_line() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ensembles", default="1,16,100", help="comma-separated seed counts")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"start: {load_line()}")

    kernel = native.load()
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        native.build(Path(scratch))
        cold = time.perf_counter() - started
    state = "ready" if kernel else "UNAVAILABLE (no compiler or no sgemm_): the fused runs use TorchScript"
    print(f"C loop: {state}; a cold build takes {cold:.2f} s once, then it is cached per user")

    config = hw3.problem_config(1, epochs=args.epochs)
    seed = args.seed
    data, init = hw3.make_data(seed, config), hw3.initial_params(seed, config)
    orders = list(hw3.epoch_orders(seed, config))  # drawn once: every route sees the same batch order
    solo = [o[None] for o in orders]
    stacked = stack_params([init])

    def fused(**options: object) -> Callable[[], object]:
        return lambda: train_fused(data.x[None], data.y[None], stacked, solo, config, **options)

    routes: dict[str, Callable[[], object]] = {
        PLAIN: lambda: train_reference(data, init, orders, config),
        "chainrule fused, C loop, 1 thread": fused(),
        "chainrule fused, C loop, 2 threads": with_threads(2, fused()),
        "chainrule fused, TorchScript, 1 thread": fused(native=False),
        "chainrule fused, eager Python, 1 thread": fused(native=False, scripted=False),
    }
    for action in routes.values():  # warm-up: TorchScript compiles, caches fill
        action()
    best = {name: (float("inf"), float("inf")) for name in routes}
    for _ in range(args.repeat):  # alternate, so that load from others hits every route alike
        for name, action in routes.items():
            cpu, wall = timed(action)
            best[name] = (min(best[name][0], cpu), min(best[name][1], wall))

    steps = config.epochs * config.steps_per_epoch
    gflop = FLOP_PER_STEP * steps / 1e9
    print(f"HW3 Problem 1, {config.epochs} epochs = {steps} SGD steps ({gflop:.1f} GFLOP), best of {args.repeat}")
    print("cpu = CPU seconds of the process (all threads), wall = perf_counter seconds")
    for name, (cpu, wall) in best.items():
        print(
            f"{name:42s} cpu {cpu:6.3f} s  wall {wall:6.3f} s  "
            f"({wall / steps * 1e6:5.1f} µs/step wall, {cpu / steps * 1e6:5.1f} cpu; {gflop / wall:4.0f} GFLOP/s)"
        )
    reference = train_reference(data, init, orders, config).params.flat()
    for label, options in (("C loop", {}), ("TorchScript", {"native": False})):
        fast = train_fused(data.x[None], data.y[None], stacked, solo, config, **options)
        gap = (reference - fast.params.seed(0).flat()).abs().max().item()
        print(f"largest parameter difference, {label} vs plain, after {config.epochs} epochs: {gap:.2e} (float32)")

    for count in (int(s) for s in args.ensembles.split(",") if s.strip()):
        seeds = list(range(seed, seed + count))
        members = [hw3.make_data(s, config) for s in seeds]
        x, y = torch.stack([m.x for m in members]), torch.stack([m.y for m in members])
        inits = stack_params([hw3.initial_params(s, config) for s in seeds])
        batches = list(hw3.ensemble_orders(seeds, config))
        cpu, wall = timed(lambda x=x, y=y, inits=inits, batches=batches: train_fused(x, y, inits, batches, config))
        print(
            f"ensemble S = {count:3d}, 1 thread: cpu {cpu:7.2f} s, wall {wall:7.2f} s; "
            f"per seed cpu {cpu / count:.3f} s ({cpu / count / steps * 1e6:.1f} µs/step)"
        )

    print(f"end: {load_line()}")
    fast_names = [name for name in routes if name != PLAIN]
    fastest = min(fast_names, key=lambda name: best[name][1])
    one_thread = min((n for n in fast_names if "1 thread" in n), key=lambda name: best[name][0])
    print(f"cpu-time ratio, plain vs {one_thread}: {best[PLAIN][0] / best[one_thread][0]:.1f}x")
    print(f"fastest by wall time: {fastest}")
    print(f"speedup: {best[PLAIN][1] / best[fastest][1]:.1f}x")


if __name__ == "__main__":
    main()
