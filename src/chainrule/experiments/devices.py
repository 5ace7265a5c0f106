"""Choosing where tensors live, with a clear error instead of a CUDA traceback."""

from __future__ import annotations

import torch

from chainrule.errors import InputError


def resolve_device(name: str) -> torch.device:
    """``"cpu"`` or ``"cuda"``; asking for CUDA where PyTorch cannot see a GPU is the user's error."""
    if name not in ("cpu", "cuda"):
        raise InputError(f"device must be 'cpu' or 'cuda', got {name!r}", "--device")
    if name == "cuda" and not torch.cuda.is_available():
        build = "this PyTorch build has no CUDA support" if torch.version.cuda is None else "no CUDA GPU is visible"
        raise InputError(f"CUDA is not available ({build}); use --device cpu", "--device")
    return torch.device(name)
