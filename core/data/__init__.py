"""Datasets: safe ingest of a small labelled image set, its report, stratified splits and a decoded cache.

A dataset comes from a ``.zip`` (one folder per class; one wrapping folder is unwrapped), a folder on the
server (same layout) or a built-in demo set made from installed packages (``demo:digits``, ``demo:faces``).
Every image is decoded once and stored, resized so its short side is ``S`` and centre-cropped, in
``<workspace>/datasets/<id>/images.npy`` (uint8 [N, S, S, 3], memory-mapped when opened). ``id`` is a content
hash of the source, so the same zip uploaded again opens instantly.

This module is the public face; the work is split by role:

- :mod:`core.data.store`    ids, locks, open / list / delete, uploads, sweeping, thumbnails
- :mod:`core.data.dataset`  the stored folder's files: :class:`Dataset` reads them, ``Builder`` writes them
- :mod:`core.data.ingest`   zip and folder sources: layout rules, class names, working size, decoding
- :mod:`core.data.zipsafe`  reading an archive in place: entry names, links, bombs, capped reads
- :mod:`core.data.report`   the validation report and its warnings (notices)
- :mod:`core.data.split`    the stratified train / validation / test split
- :mod:`core.data.demos`    the built-in demo sets

The command line twin is ``core/cli/data.py`` (``python -m core data ...``).
"""
from core.data.dataset import FORMAT_VERSION, Dataset, DatasetInfo, DatasetRejected, Progress
from core.data.demos import DEMOS, shown_class, shown_name, write_demo
from core.data.ingest import DECODE_THREADS, MAX_CACHE, MIN_CACHE, choose_size
from core.data.report import report_warnings, skipped_text
from core.data.split import SPLIT_SEED, TEST_CHOICES, TEST_FRACTION, VAL_FRACTION, stratified_split
from core.data.store import (allowed_path, copy_dataset, datasets_root, delete_dataset, discard_upload,
                             list_datasets, open_dataset, save_upload, thumbnails)
from core.data.zipsafe import MAX_ENTRIES, Budget, read_capped

__all__ = [
    "open_dataset", "list_datasets", "delete_dataset", "datasets_root", "copy_dataset", "allowed_path", "save_upload", "discard_upload",
    "thumbnails", "write_demo", "shown_name", "shown_class", "stratified_split", "choose_size", "report_warnings", "skipped_text",
    "read_capped", "Budget",
    "Dataset", "DatasetInfo", "DatasetRejected", "Progress", "DEMOS", "FORMAT_VERSION", "SPLIT_SEED",
    "VAL_FRACTION", "TEST_FRACTION", "TEST_CHOICES", "MIN_CACHE", "MAX_CACHE", "MAX_ENTRIES", "DECODE_THREADS",
]
