"""Load test: many visitors at once on one server with private workspaces (issue #14).

    python benchmarks/bench_workspaces.py                  # 20 visitors
    python benchmarks/bench_workspaces.py --visitors 5 --json

One fresh ``streamlit run app.py`` in ``private`` mode (its own data directory; closed sessions dropped after 2 s,
as bench_app.py's flatness run, so what a visitor leaves behind shows). Each visitor is a new headless-Chromium
context (Debian's chromium): it opens the Datasets page (a new private workspace) and stores the faces demo set.
The first visitor then goes through alone (Fine-tuning page, faces demo at 64 px, Start: a linear probe of the
packaged EfficientNet-Lite0, 5 epochs; then its results): the server's memory after it is the baseline. The
other visitors store their sets one after another, then open the Fine-tuning page together (all sessions open,
each polling its run list), set up the same run and press Start at nearly the same moment; then each visitor in
turn opens their run's page and the queue position it shows is read against the server's queue. Then every visitor comes back with their private link,
waits for the results of their own run and sees the download button, and also tries the previous visitor's
run id in the address (``?run=``): the page must say it is not here.

Checked, with the figures printed:

* every run finishes (done), one per visitor, none lost or doubled;
* the queue positions are right: the positions of the queued runs on the server are exactly 1..Q, and each
  visitor's page shows the position the server's queue gave its run while the page drew (between the
  positions read just before and just after, since runs keep starting), with at least half the visitors
  queued at once;
* nothing crosses workspaces: another visitor's run id, its download (export zip) and its dataset folder are
  "not found" from a visitor's workspace (core and page);
* the server process's resident memory after the last visitor is within 10 % of its level after the first;
* the whole thing takes under 10 minutes.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
H1 = "[data-testid='stMain'] h1"
GROWTH_GOAL = 0.10
WALL_GOAL_S = 600
FACES = "Faces vs. not faces (scikit-image LFW subset, 200 images of 25×25, 2 classes)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of the server process itself (its training workers are separate processes)."""
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("Rss:")) / 1024


def settle_mb(pid: int, seconds: float = 4.0) -> float:
    samples = []
    for _ in range(5):
        time.sleep(seconds / 5)
        samples.append(rss_mb(pid))
    return statistics.median(samples)


def wait_drawn(page, timeout_ms: int = 300_000) -> None:
    page.wait_for_selector(H1, timeout=timeout_ms)
    page.wait_for_timeout(300)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)


def pick(page, label: str, option: str) -> None:
    box = page.locator("[data-testid='stSelectbox']").filter(
        has=page.locator("[data-testid='stWidgetLabel']", has_text=label))
    box.first.locator("[data-baseweb='select'], [role='combobox']").first.click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_timeout(300)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def errors_on(page) -> list[str]:
    shown = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']")
    return shown.all_inner_texts()


def snapshot_positions(base: Path) -> dict[str, int]:
    """{run id: queue position} of every queued run on the server, as any page computes them."""
    from core import jobs, workspaces
    out = {}
    for root in workspaces.all_workspaces(base):
        for r in jobs.list_runs(root, refresh=False):
            if r["state"] == jobs.QUEUED:
                out[r["id"]] = r["queue_position"]
    return out


def store(browser, url: str, base: Path) -> dict:
    """A visitor's first visit: a new private workspace, the faces demo stored."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{url}/data?lang=en")
        wait_drawn(page)
        token = re.search(r"[?&]ws=([A-Za-z0-9_-]{24})", page.url).group(1)
        page.get_by_text("Demo set", exact=True).first.click()
        wait_drawn(page)
        pick(page, "Demo set", FACES)
        page.get_by_role("button", name="Check and store").click()
        page.get_by_role("heading", name="Report").wait_for(timeout=120_000)
        wait_drawn(page)
        from core import workspaces
        ws = workspaces.from_token(token, base)
        return {"token": token, "root": str(ws.root), "errors": errors_on(page), "runs": [],
                "dataset": [p.name for p in (ws.root / "datasets").iterdir() if len(p.name) == 16]}
    finally:
        context.close()


def prepare(browser, url: str, me: dict):
    """The visitor opens the Fine-tuning page with their link and sets up a run (faces demo, 64 px)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{url}/finetune?lang=en&ws={me['token']}")
    wait_drawn(page)
    pick(page, "Dataset", "Demo: faces vs. not faces")
    pick(page, "Input size (px)", "64")
    return context, page


def shown_position(page) -> int | None:
    found = re.search(r"queue: position (\d+)", page.locator("[data-testid='stMain']").inner_text())
    return int(found.group(1)) if found else None


def own_runs(me: dict) -> list[str]:
    from core import jobs
    return [r["id"] for r in jobs.list_runs(Path(me["root"]), refresh=False)]


def wait_runs(people: list[dict], timeout_s: float = 120) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline and not all(own_runs(me) for me in people):
        time.sleep(0.2)
    for me in people:
        me["runs"] = own_runs(me)


def check_position(browser, url: str, me: dict, base: Path) -> dict:
    """The visitor opens their run's page: the queue position it shows must be the one the server's queue gave
    the run while the page was drawing (positions only go down as runs start, so it lies between the
    position just before and just after); also that the server's positions are exactly 1..Q."""
    rid = me["runs"][0]
    before = snapshot_positions(base)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{url}/finetune?lang=en&ws={me['token']}&run={rid}")
        wait_drawn(page)
        page.get_by_text(rid, exact=False).first.wait_for(timeout=60_000)
        shown = shown_position(page)
        me["errors"] += errors_on(page)
    finally:
        context.close()
    after = snapshot_positions(base)
    b, a = before.get(rid), after.get(rid)
    if b is None:  # already training when the page opened: no position to show
        agree = a is None
    elif a is None:  # started while the page drew: either what it had, or none
        agree = shown is None or shown <= b
    else:
        agree = shown is not None and a <= shown <= b
    contiguous = all(sorted(snap.values()) == list(range(1, len(snap) + 1)) for snap in (before, after))
    return {"queued": len(before), "contiguous": contiguous, "shown": shown, "before": b, "after": a,
            "agree": agree}


def come_back(browser, url: str, me: dict, other: dict, timeout_s: float) -> dict:
    """A visitor returns with their private link and also tries another visitor's run id."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        link = f"&run={other['runs'][0]}" if other is not me else ""
        page.goto(f"{url}/finetune?lang=en&ws={me['token']}{link}")
        wait_drawn(page)
        text = page.locator("[data-testid='stMain']").inner_text()
        refused = "There is no run" in text  # the sentence names the id typed, and nothing of the other's run
        page.get_by_role("heading", name="Results").wait_for(timeout=timeout_s * 1000)
        wait_drawn(page)
        download = page.locator("[data-testid='stDownloadButton']", has_text="Download the model")
        try:
            download.first.wait_for(timeout=60_000)
        except Exception:  # noqa: BLE001 - reported as a failed check below
            pass
        has_download = download.count() == 1
        return {"refused_other_run": refused, "results": True, "download": has_download, "errors": errors_on(page)}
    finally:
        context.close()


def core_isolation(me: dict, other: dict) -> dict:
    """From ``me``'s workspace: the other's run, its download and its dataset folder are not found."""
    from core import jobs
    from core.data import open_dataset
    from core.errors import UserError
    out = {}
    for name, call in (("run", jobs.info), ("download", jobs.export_zip), ("cancel", jobs.cancel)):
        try:
            call(other["runs"][0], Path(me["root"]))
            out[name] = "FOUND"
        except UserError as exc:
            out[name] = exc.key
    # demo ids are content hashes, so the same demo has the same id in both: it must open the caller's own copy
    ds = open_dataset(other["dataset"][0], root=Path(me["root"]), folders=[])
    out["dataset_is_own_copy"] = str(ds.dir).startswith(me["root"])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--visitors", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not shutil.which("chromium"):
        print("Debian's chromium is needed (apt-get install -y chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright
    tmp = Path(tempfile.mkdtemp(prefix="bench-workspaces-"))
    base = tmp / "data"
    env = os.environ.copy()
    env.update(CNNLAB_DATA_DIR=str(base), CNNLAB_WORKSPACES="private", CNNLAB_OFFLINE="1", HF_HUB_OFFLINE="1",
               OMP_NUM_THREADS="1")
    os.environ.update(CNNLAB_DATA_DIR=str(base), CNNLAB_WORKSPACES="private")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--server.disconnectedSessionTTL", "2"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result: dict = {"visitors": args.visitors}
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=ARGS)
            # the first visitor alone, start to finish: the memory baseline
            first = store(browser, url, base)
            context, page = prepare(browser, url, first)
            page.get_by_role("button", name="Start").click()
            wait_runs([first])
            context.close()
            first_back = come_back(browser, url, first, first, WALL_GOAL_S)
            result["after_first_mb"] = round(settle_mb(proc.pid), 1)
            print(f"  visitor 1 done: {time.perf_counter() - t0:.0f} s, server {result['after_first_mb']:.0f} MB",
                  flush=True)
            # the others store their data one after another, then all press Start at nearly the same moment
            people = [first] + [store(browser, url, base) for _ in range(args.visitors - 1)]
            print(f"  {args.visitors} datasets stored: {time.perf_counter() - t0:.0f} s", flush=True)
            open_pages = [prepare(browser, url, me) for me in people[1:]]
            print(f"  {len(open_pages)} pages ready: {time.perf_counter() - t0:.0f} s", flush=True)
            for _context, page in open_pages:
                page.get_by_role("button", name="Start").click(no_wait_after=True)
            wait_runs(people[1:])
            for context, page in open_pages:
                wait_drawn(page)
                people[open_pages.index((context, page)) + 1]["errors"] += errors_on(page)
                context.close()
            print(f"  {len(open_pages)} Starts: {sum(len(me['runs']) for me in people[1:])} runs, "
                  f"{len(snapshot_positions(base))} queued, {time.perf_counter() - t0:.0f} s, "
                  f"server {rss_mb(proc.pid):.0f} MB", flush=True)
            # each visitor opens their run's page in turn (one browser tab at a time, as their own computers would)
            position_checks = [check_position(browser, url, me, base) for me in people[1:]]
            print(f"  queue positions shown {[c['shown'] for c in position_checks]} (server before/after "
                  f"{[(c['before'], c['after']) for c in position_checks]}), {time.perf_counter() - t0:.0f} s",
                  flush=True)
            budget = WALL_GOAL_S + 120 - (time.perf_counter() - t0)
            back = [come_back(browser, url, me, people[i - 1], max(60.0, budget)) for i, me in enumerate(people)
                    if i > 0]
            first_back["refused_other_run"] = back[0]["refused_other_run"] if back else True
            browser.close()
        result["after_all_mb"] = round(settle_mb(proc.pid), 1)
        from core import jobs
        states = [jobs.info(me["runs"][0], Path(me["root"]))["state"] for me in people if me["runs"]]
        isolation = [core_isolation(me, people[i - 1]) for i, me in enumerate(people)]
        result.update(
            seconds=round(time.perf_counter() - t0, 1), load=os.getloadavg()[0],
            runs_per_visitor=[len(me["runs"]) for me in people], runs_done=states.count(jobs.DONE),
            positions=position_checks, came_back=[first_back, *back], isolation=isolation,
            page_errors=[me["errors"] for me in people if me["errors"]] + [b["errors"] for b in back if b["errors"]])
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    growth = (result["after_all_mb"] - result["after_first_mb"]) / result["after_first_mb"]
    checks = {
        "all runs done, one per visitor": result["runs_done"] == args.visitors
        and result["runs_per_visitor"] == [1] * args.visitors,
        "the server's queue positions are exactly 1..Q": all(c["contiguous"] for c in result["positions"]),
        "each page shows its run's place in the server's queue": all(c["agree"] for c in result["positions"])
        and max(c["queued"] for c in result["positions"]) >= args.visitors // 2,
        "another visitor's run id is refused on the page": all(b["refused_other_run"] for b in result["came_back"]),
        "results and download for every visitor": all(b["results"] and b["download"] for b in result["came_back"]),
        "not found across workspaces (run, download, cancel, dataset)": all(
            i["run"] == i["download"] == i["cancel"] == "jobs.no_such_run" and i["dataset_is_own_copy"]
            for i in result["isolation"]),
        "no error on any page": not result["page_errors"],
        f"memory after all within {GROWTH_GOAL:.0%} of after the first": growth <= GROWTH_GOAL,
        f"under {WALL_GOAL_S // 60} minutes": result["seconds"] < WALL_GOAL_S,
    }
    result["growth"] = round(growth, 4)
    result["checks"] = checks
    if args.json or not all(checks.values()):
        print(json.dumps(result, default=str))
    print(f"{args.visitors} visitors in {result['seconds']:.0f} s (load {result['load']:.2f}); runs done "
          f"{result['runs_done']}/{args.visitors}; server memory after the first visitor {result['after_first_mb']:.0f} MB, "
          f"after all {result['after_all_mb']:.0f} MB ({growth:+.1%})")
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
