"""What the code runs on: CUDA device or CPU, and the versions that matter."""
from __future__ import annotations

import os
import platform

import torch


def best_device() -> torch.device:
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def device_info() -> dict:
    """A plain dict for the sidebar and ``python -m core models --json``."""
    import timm
    import torchvision

    info = {
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "timm": timm.__version__,
        "python": platform.python_version(),
        "cpu_threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
    }
    if torch.cuda.is_available():
        idx = torch.cuda.current_device()
        props = torch.cuda.get_device_properties(idx)
        info.update(kind="cuda", name=props.name, memory_gb=round(props.total_memory / 2**30, 1),
                    device_count=torch.cuda.device_count(), bf16=torch.cuda.is_bf16_supported())
    else:
        info.update(kind="cpu", name=platform.processor() or platform.machine(), memory_gb=None,
                    device_count=0, bf16=False)
    return info
