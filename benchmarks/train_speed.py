"""Time chainrule's fused HW3 training against the plain PyTorch eager loop, side by side in one run.

The plain loop is ``chainrule.experiments.reference.train_reference``: an ``nn.Module`` with ``nn.Linear``
layers, ``nn.MSELoss``, autograd and ``torch.optim.SGD`` — what a student writes for Ryu's HW3. The fast
path is ``chainrule.experiments.fused.train_fused``. Both train Problem 1 (1-64-64-1 sigmoid MLP,
N = 512, B = 128, K epochs, step 0.1) from the same seed, data, initialisation and batch order, on one
CPU thread each (``torch.set_num_threads(1)``). Each is warmed up once, then the two alternate for
``--repeat`` rounds and the best time of each is kept (the machine is shared, so the minimum is the
fairest estimate of the cost itself). Arithmetic: 3 matrix products of 64×64(+1)×128 per step, forward
and backward, ≈ 3.2 MFLOP, so ≈ 12.7 GFLOP per 1000-epoch run.

Then the fused path trains seed ensembles of S = 1, 16, 100 in one batched program and the time per
seed is printed. The last line is the single-run speedup of fused over plain.

Usage: .venv/bin/python benchmarks/train_speed.py [--epochs 1000] [--repeat 3] [--ensembles 1,16,100]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import torch

from chainrule.experiments import hw3
from chainrule.experiments.fused import train_fused
from chainrule.experiments.mlp import stack_params
from chainrule.experiments.reference import train_reference

FLOP_PER_STEP = 2 * 128 * (64 * 65 + 64 * 64 + 64 * 65)  # the three big matrix products of a step


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """(CPU seconds of this process, wall seconds) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ensembles", default="1,16,100", help="comma-separated seed counts")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(1)

    config = hw3.problem_config(1, epochs=args.epochs)
    seed = args.seed
    data, init = hw3.make_data(seed, config), hw3.initial_params(seed, config)
    orders = list(hw3.epoch_orders(seed, config))  # drawn once: both routes see the same batch order
    solo = [o[None] for o in orders]

    routes: dict[str, Callable[[], object]] = {
        "plain nn.Module + torch.optim.SGD loop": lambda: train_reference(data, init, orders, config),
        "chainrule fused, eager Python loop": lambda: train_fused(
            data.x[None], data.y[None], stack_params([init]), solo, config, scripted=False
        ),
        "chainrule fused, TorchScript loop": lambda: train_fused(
            data.x[None], data.y[None], stack_params([init]), solo, config
        ),
    }
    warm = hw3.problem_config(1, epochs=20)
    train_reference(data, init, orders[:20], warm)
    for flag in (False, True):
        train_fused(data.x[None], data.y[None], stack_params([init]), solo[:20], warm, scripted=flag)
    best = {name: (float("inf"), float("inf")) for name in routes}
    for _ in range(args.repeat):  # alternate, so that load from others hits every route alike
        for name, action in routes.items():
            cpu, wall = timed(action)
            best[name] = (min(best[name][0], cpu), min(best[name][1], wall))

    steps = config.epochs * config.steps_per_epoch
    gflop = FLOP_PER_STEP * steps / 1e9
    print(
        f"HW3 Problem 1, {config.epochs} epochs = {steps} SGD steps ({gflop:.1f} GFLOP), "
        f"1 thread, best of {args.repeat}"
    )
    print("times are CPU seconds of the process (robust to other users' load) and wall seconds")
    for name, (cpu, wall) in best.items():
        print(
            f"{name:40s} cpu {cpu:6.3f} s  wall {wall:6.3f} s  "
            f"({cpu / steps * 1e6:5.1f} µs/step, {gflop / cpu:4.0f} GFLOP/s)"
        )
    reference = train_reference(data, init, orders, config).params.flat()
    fast = train_fused(data.x[None], data.y[None], stack_params([init]), solo, config)
    gap = (reference - fast.params.seed(0).flat()).abs().max().item()
    print(f"largest parameter difference after {config.epochs} epochs: {gap:.2e} (float32, sums in another order)")

    for count in (int(s) for s in args.ensembles.split(",") if s.strip()):
        seeds = list(range(seed, seed + count))
        members = [hw3.make_data(s, config) for s in seeds]
        x, y = torch.stack([m.x for m in members]), torch.stack([m.y for m in members])
        inits = stack_params([hw3.initial_params(s, config) for s in seeds])
        batches = list(hw3.ensemble_orders(seeds, config))
        cpu, wall = timed(lambda x=x, y=y, inits=inits, batches=batches: train_fused(x, y, inits, batches, config))
        print(
            f"ensemble S = {count:3d}: cpu {cpu:7.2f} s, wall {wall:7.2f} s; per seed cpu {cpu / count:.3f} s "
            f"({cpu / count / steps * 1e6:.1f} µs/step)"
        )

    plain_cpu = best["plain nn.Module + torch.optim.SGD loop"][0]
    fused_cpu = min(best["chainrule fused, eager Python loop"][0], best["chainrule fused, TorchScript loop"][0])
    print(f"speedup: {plain_cpu / fused_cpu:.1f}x")


if __name__ == "__main__":
    main()
