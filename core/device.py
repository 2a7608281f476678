"""What the code runs on: CUDA device or CPU, and the versions that matter.

Importing torch costs seconds, and the sidebar shows the device on every page, so ``known_device_info()``
answers without torch whenever that answer is certain: when no CUDA device can be visible to this process.
Only when one may be does torch answer (``device_info()``).
"""
from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from pathlib import Path

NVIDIA_PCI_VENDOR = "0x10de"
PCI_DISPLAY_CLASS = "0x03"  # VGA, 3D and other display controllers (a data-centre GPU is a 3D controller)


def best_device() -> "torch.device":  # noqa: F821 (torch is imported when called)
    import torch
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def cuda_ruled_out() -> bool:
    """True when no CUDA device can be visible to this process, decided without importing torch.

    So when ``CUDA_VISIBLE_DEVICES`` hides every device, on macOS (no CUDA), and on Linux when there is no trace
    of a GPU at all: no NVIDIA display controller on the PCI bus, no NVIDIA, WSL (``/dev/dxg``) or ROCm
    (``/dev/kfd``) device node and no loaded NVIDIA driver. Anything else (Windows, a GPU that exists but may
    be hidden) is "maybe", and torch decides.
    """
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None and visible.strip() in ("", "-1"):
        return True
    if sys.platform == "darwin":
        return True
    if not sys.platform.startswith("linux"):
        return False
    dev = Path("/dev")
    if any(dev.glob("nvidia[0-9]*")) or (dev / "dxg").exists() or (dev / "kfd").exists():
        return False
    if Path("/proc/driver/nvidia").exists():
        return False
    for pci in Path("/sys/bus/pci/devices").glob("*"):
        try:
            vendor = (pci / "vendor").read_text().strip()
            cls = (pci / "class").read_text().strip()
        except OSError:
            continue
        if vendor == NVIDIA_PCI_VENDOR and cls.startswith(PCI_DISPLAY_CLASS):
            return False
    return True


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def _cpu_cores() -> int:
    """The CPUs this process may run on (its affinity, which a container's limit narrows), not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _common() -> dict:
    # installed versions, read without importing the libraries
    return {"torch": _version("torch"), "torchvision": _version("torchvision"), "timm": _version("timm"),
            "python": platform.python_version(), "cpu_cores": _cpu_cores(), "cpu_count": os.cpu_count()}


def _cpu_only() -> dict:
    return {"kind": "cpu", "name": platform.processor() or platform.machine(), "memory_gb": None,
            "device_count": 0, "bf16": False}


def known_device_info() -> dict | None:
    """The device as ``device_info()`` describes it (less torch's thread count), without importing torch; or
    ``None`` when a GPU may be visible and only torch can tell."""
    if not cuda_ruled_out():
        return None
    return {**_common(), **_cpu_only()}


def device_info() -> dict:
    """The device as torch sees it, for the pages (CUDA name and memory, torch's CPU threads); imports torch."""
    import torch

    info = {**_common(), "cpu_threads": torch.get_num_threads()}
    if torch.cuda.is_available():
        idx = torch.cuda.current_device()
        props = torch.cuda.get_device_properties(idx)
        info.update(kind="cuda", name=props.name, memory_gb=round(props.total_memory / 2**30, 1),
                    device_count=torch.cuda.device_count(), bf16=torch.cuda.is_bf16_supported())
    else:
        info.update(_cpu_only())
    return info
