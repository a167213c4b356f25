"""Seeding for reproducible runs."""

import random

import numpy as np
import torch


def set_seed(seed: int) -> None:
    """Seed Python's random, numpy and torch (every device)."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
