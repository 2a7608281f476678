"""Benchmark: how soon the first page shows, and how much memory the server holds while people visit.

    python benchmarks/bench_app.py                  # 5 rounds of start-up, then 20 visitors
    python benchmarks/bench_app.py --rounds 3 --visitors 5 --json

* Start-up: from starting ``python -m streamlit run app.py`` to the home page's ``h1`` in headless Chromium
  (Debian's), against a trivial app (one ``st.title``) started the same way from the same folder (same
  ``.streamlit/config.toml``). The two alternate, round after round, each in a fresh server and a fresh
  browser context (no cached bundle), and the verdict uses the medians. Goal: ours under 5 s.
* Memory: one fresh server; 20 visitors one after another, each a new browser context (a new session) that
  opens home, architectures, data and fine-tuning in English and in Portuguese and waits for each to finish
  drawing. The resident memory of the server and its children is sampled every 0.1 s. Goal: peak under
  1.5 GB. Streamlit keeps a closed tab's session for two minutes (server.disconnectedSessionTTL), so with the
  app's settings memory climbs with the sessions of the last two minutes (about 7-10 MB each) and then levels
  off. Whether a visitor leaves anything behind once their session is gone is measured by a second fresh
  server that drops closed sessions after 2 s. Goal: there, memory after visitor 20 within 10 % (or 100 MB)
  of memory after visitor 1.

The machine's load average is printed with the figures: on shared cores, timings move with it.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from proctree import tree_memory_mb  # noqa: E402 - run as python benchmarks/<file>.py

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
H1 = "[data-testid='stMain'] h1"
PAGES = ("", "architectures", "data", "finetune")   # "" is home
START_GOAL_S = 5.0
PEAK_GOAL_MB = 1536
GROWTH_GOAL = (0.10, 100)  # after visitor N vs after visitor 1: at most 10 % or 100 MB more, whichever is larger
SHORT_TTL_S = 2  # the flatness run drops a closed tab's session after this many seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(script: Path, data_dir: Path, *options: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = os.environ.copy()
    env["CNNLAB_DATA_DIR"] = str(data_dir)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true", *options],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}"


def wait_healthy(proc: subprocess.Popen, url: str, timeout_s: float = 120) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline and proc.poll() is None:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server at {url} did not start (exit code {proc.poll()})")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Sampler(threading.Thread):
    """Samples a process tree's resident memory every ``every`` seconds; ``peak`` is the largest seen."""

    def __init__(self, pid: int, every: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self._done = pid, every, 0.0, threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, tree_memory_mb(self.pid))
            self._done.wait(self.every)

    def stop(self) -> float:
        self._done.set()
        self.join()
        return self.peak


def torch_loaded(pid: int) -> bool:
    """Whether the server process has torch's library mapped (so something imported torch)."""
    with open(f"/proc/{pid}/maps") as f:
        return "libtorch" in f.read()


def time_to_h1(browser, script: Path, data_dir: Path, timeout_s: float = 120) -> tuple[float, bool]:
    """Seconds from starting the server to the first page's h1 in a fresh browser context, and whether the
    server had imported torch once that page finished drawing."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    t0 = time.perf_counter()
    proc, url = start_server(script, data_dir)
    try:
        while True:  # the server is not listening yet: retry the first request until it is
            try:
                page.goto(url, timeout=5_000)
                break
            except Exception:  # noqa: BLE001 (playwright's net::ERR_CONNECTION_REFUSED)
                if time.perf_counter() - t0 > timeout_s or proc.poll() is not None:
                    raise RuntimeError(f"{script.name}: the server did not answer (exit code {proc.poll()})")
                time.sleep(0.05)
        page.wait_for_selector(H1, timeout=timeout_s * 1000)
        seconds = time.perf_counter() - t0
        wait_drawn(page)
        return seconds, torch_loaded(proc.pid)
    finally:
        context.close()
        stop_server(proc)


def wait_drawn(page, timeout_ms: int = 300_000) -> None:
    """The page's h1 is there and Streamlit's running indicator is gone (the whole script has run)."""
    page.wait_for_selector(H1, timeout=timeout_ms)
    page.wait_for_timeout(200)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)


def visit_all(browser, url: str) -> list[str]:
    """One visitor: a new context opens every page in both languages. Returns the pages that showed an error,
    with the start of what they said."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    bad = []
    try:
        for lang in ("en", "pt"):
            for stem in PAGES:
                page.goto(f"{url}/{stem}?lang={lang}")
                wait_drawn(page)
                shown = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']")
                if shown.count():
                    bad.append(f"{stem or 'home'}?lang={lang}: {shown.first.inner_text()[:200]!r}")
    finally:
        context.close()
    return bad


def settle_mb(pid: int, seconds: float = 2.0) -> float:
    """Memory once the server has had a moment to finish the last visit (the median of a few samples)."""
    samples = []
    for _ in range(5):
        time.sleep(seconds / 5)
        samples.append(tree_memory_mb(pid))
    return statistics.median(samples)


def session_ttl_s() -> float:
    """How long the server keeps a disconnected session (the app's config, else Streamlit's default)."""
    from streamlit import config
    cwd = os.getcwd()
    os.chdir(ROOT)  # the option is read from ./.streamlit/config.toml, as the server does
    try:
        return float(config.get_option("server.disconnectedSessionTTL"))
    finally:
        os.chdir(cwd)


def startup(browser, rounds: int, tmp: Path) -> dict:
    trivial = tmp / "trivial_app.py"
    trivial.write_text('import streamlit as st\nst.title("Trivial")\n')
    apps = {"ours": ROOT / "app.py", "trivial": trivial}
    times = {name: [] for name in apps}
    order_log, torch_after_home = [], []
    for r in range(rounds):
        order = ["ours", "trivial"] if r % 2 == 0 else ["trivial", "ours"]
        for name in order:
            data = Path(tempfile.mkdtemp(prefix=f"data-{name}-", dir=tmp))
            seconds, with_torch = time_to_h1(browser, apps[name], data)
            times[name].append(round(seconds, 2))
            if name == "ours":
                torch_after_home.append(with_torch)
        order_log.append(order)
        print(f"  round {r + 1}: ours {times['ours'][-1]:.2f} s, trivial {times['trivial'][-1]:.2f} s "
              f"(first: {order[0]}; load {os.getloadavg()[0]:.2f})", flush=True)
    med = {name: round(statistics.median(v), 2) for name, v in times.items()}
    return {"seconds": times, "order": order_log, "median": med, "home_imported_torch": any(torch_after_home),
            "ours_minus_trivial_s": round(med["ours"] - med["trivial"], 2),
            "pass": med["ours"] < START_GOAL_S}


def memory(browser, visitors: int, tmp: Path, session_ttl: float | None = None) -> dict:
    """A fresh server, ``visitors`` visitors one after another; the peak and the memory after some of them.
    ``session_ttl``: how long the server keeps a closed tab's session (None: the app's own setting)."""
    options = ("--server.disconnectedSessionTTL", f"{session_ttl:g}") if session_ttl is not None else ()
    proc, url = start_server(ROOT / "app.py", Path(tempfile.mkdtemp(prefix="data-memory-", dir=tmp)), *options)
    wait_healthy(proc, url)
    sampler = Sampler(proc.pid)
    sampler.start()
    after, errors = {}, {}
    t0 = time.perf_counter()
    try:
        for v in range(1, visitors + 1):
            bad = visit_all(browser, url)
            if bad:
                errors[v] = bad
            if v in (1, visitors) or v % 5 == 0:
                after[v] = round(settle_mb(proc.pid, 2.0 if session_ttl is None else session_ttl + 1), 1)
                print(f"  after visitor {v}: {after[v]:.0f} MB (peak so far {sampler.peak:.0f} MB, "
                      f"{time.perf_counter() - t0:.0f} s)", flush=True)
    finally:
        peak = sampler.stop()
        stop_server(proc)
    first, last = after[1], after[visitors]
    allowed = max(GROWTH_GOAL[0] * first, GROWTH_GOAL[1])
    return {"visitors": visitors, "session_ttl_s": session_ttl_s() if session_ttl is None else session_ttl,
            "peak_mb": round(peak, 1), "after_mb": after, "growth_mb": round(last - first, 1),
            "growth_allowed_mb": round(allowed, 1), "pages_with_errors": errors,
            "seconds": round(time.perf_counter() - t0, 1), "pass_peak": peak < PEAK_GOAL_MB,
            "pass_flat": last - first <= allowed, "pass_no_errors": not errors}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--visitors", type=int, default=20, help="0: start-up only")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not shutil.which("chromium"):
        sys.exit("Debian's chromium is needed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    load_before = [round(x, 2) for x in os.getloadavg()]
    print(f"{os.cpu_count()} CPUs, load average {load_before}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench_app_") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=ARGS)
        print(f"start-up, {args.rounds} rounds (process start -> home page h1):", flush=True)
        start = startup(browser, args.rounds, Path(tmp))
        mem = gone = None
        if args.visitors:
            print(f"memory, {args.visitors} visitors x {len(PAGES)} pages x 2 languages, the app's settings:",
                  flush=True)
            mem = memory(browser, args.visitors, Path(tmp))
            print(f"memory again, closed tabs' sessions dropped after {SHORT_TTL_S:g} s:", flush=True)
            gone = memory(browser, args.visitors, Path(tmp), session_ttl=SHORT_TTL_S)
        browser.close()
    result = {"cpu_count": os.cpu_count(), "loadavg_before": load_before,
              "loadavg_after": [round(x, 2) for x in os.getloadavg()], "startup": start, "memory": mem,
              "memory_sessions_dropped": gone,
              "goals": {"startup_s": START_GOAL_S, "peak_mb": PEAK_GOAL_MB,
                        "growth": f"<= max({GROWTH_GOAL[0]:.0%}, {GROWTH_GOAL[1]} MB)"}}
    if mem is None:  # --visitors 0: start-up only
        errors, ok = {}, start["pass"]
    else:
        errors = {**mem["pages_with_errors"],
                  **{f"{v} (sessions dropped)": e for v, e in gone["pages_with_errors"].items()}}
        ok = start["pass"] and mem["pass_peak"] and gone["pass_flat"] and not errors
    if args.json:
        print(json.dumps(result, indent=1))
    verdict = lambda good: "PASS" if good else "FAIL"  # noqa: E731
    med = start["median"]
    print(f"{verdict(start['pass'])} start-up: median {med['ours']:.2f} s to the home page's h1 (goal < "
          f"{START_GOAL_S:.0f} s); trivial app {med['trivial']:.2f} s; ours - trivial {start['ours_minus_trivial_s']:+.2f} s; "
          f"per round ours {start['seconds']['ours']}, trivial {start['seconds']['trivial']}")
    print(f"     the home page {'imported' if start['home_imported_torch'] else 'did not import'} torch")
    if mem is not None:
        print(f"{verdict(mem['pass_peak'])} peak memory: {mem['peak_mb']:.0f} MB (server and children; goal < "
              f"{PEAK_GOAL_MB} MB)")
        last = mem["visitors"]
        print(f"     with the app's settings, memory after visitor 1: {mem['after_mb'][1]:.0f} MB, after visitor {last}: "
              f"{mem['after_mb'][last]:.0f} MB ({mem['growth_mb']:+.0f} MB: Streamlit keeps each closed tab's session "
              f"{mem['session_ttl_s']:g} s)")
        print(f"{verdict(gone['pass_flat'])} flat: once a visitor's session is gone, memory after visitor 1: "
              f"{gone['after_mb'][1]:.0f} MB, after visitor {last}: {gone['after_mb'][last]:.0f} MB "
              f"({gone['growth_mb']:+.0f} MB; allowed +{gone['growth_allowed_mb']:.0f} MB; peak {gone['peak_mb']:.0f} MB)")
        print(f"{verdict(not errors)} pages with an error or exception: {errors or 'none'}")
    print(f"load average before {load_before}, after {result['loadavg_after']} on {os.cpu_count()} CPUs")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
