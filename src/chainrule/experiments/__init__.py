"""Beside the engine: small PyTorch training experiments with plots.

Modules (import them directly; this package imports nothing heavy on its own):

* ``hw3`` — Ryu MathDNN HW3 Problems 1–2: configuration, f⋆, data, initialisation, per-seed random streams.
* ``reference`` — the plain ``nn.Module`` + ``torch.optim.SGD`` loop (the independent route).
* ``fused`` — the fast path: hand-fused forward/backward/SGD, preallocated, batched over seeds.
* ``runs`` — ``run_hw3``: train, evaluate against f⋆, write fit.png, loss.png, summary.json.
* ``relu_demo`` — dead ReLU vs leaky ReLU under SGD (HW3 Problems 6–7).
* ``quantile`` — deep quantile regression against known conditional quantiles (AMA564 A1 Q2).
* ``plots``, ``devices``, ``mlp`` — figures, device choice, MLP parameters.
"""
