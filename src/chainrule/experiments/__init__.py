"""Beside the engine: small PyTorch training experiments with plots."""
