"""Linear CKA: how similar two representations of the same examples are (Kornblith et al., ICML 2019).

For activations ``X`` (n × p) and ``Y`` (n × q) of the same n examples, with each column centred,
``CKA(X, Y) = ||Yᵀ X||²_F / (||Xᵀ X||_F · ||Yᵀ Y||_F)``. It is 1 for identical representations, invariant
to orthogonal transforms and isotropic scaling of either side (not to arbitrary invertible maps), and near 0
for independent random features when n is large compared with their width.
"""
from __future__ import annotations

import numpy as np
import torch


def linear_cka(x, y) -> float:
    """Linear CKA between two activation matrices of the same examples (rows); float64 throughout.

    Features wider than the number of examples are compared through their n × n Gram matrices (the same
    value, cheaper). A constant representation has no variance to align: its CKA is 0.
    """
    x, y = _matrix(x), _matrix(y)
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"CKA needs the same examples on both sides ({x.shape[0]} vs {y.shape[0]} rows)")
    x = x - x.mean(0, keepdims=True)
    y = y - y.mean(0, keepdims=True)
    if max(x.shape[1], y.shape[1]) > x.shape[0]:  # Gram form: tr(KxKy) / (||Kx|| ||Ky||)
        kx, ky = x @ x.T, y @ y.T
        num, dx, dy = float((kx * ky).sum()), float(np.linalg.norm(kx)), float(np.linalg.norm(ky))
    else:
        num = float(np.linalg.norm(y.T @ x) ** 2)
        dx, dy = float(np.linalg.norm(x.T @ x)), float(np.linalg.norm(y.T @ y))
    if dx == 0.0 or dy == 0.0:
        return 0.0
    return num / (dx * dy)


def _matrix(a) -> np.ndarray:
    if isinstance(a, torch.Tensor):
        a = a.detach().to("cpu", torch.float64).numpy()
    a = np.asarray(a, dtype=np.float64)
    return a.reshape(a.shape[0], -1)
