"""The benchmark: production-like settings on PostgreSQL, gunicorn with 2 workers, wrk (c=4,
10 s per URL, three runs, medians) over every page and persona (bench/pages.py), at several data
sizes.

    python bench/run.py --sizes 1000 20000 200000     (what `make bench` runs)

For each size N it recreates a database of its own (`<database>_<N>`: `gcm_bench_<N>` by
default) on the local PostgreSQL, loads the reference data and `seed_synthetic`, signs the
personas in and counts each URL's queries in-process (bench/queries.py). Then it starts one
gunicorn a size on 127.0.0.1, side by side, checks every URL answers 2xx and notes its size, and
runs wrk (with the persona's session and CSRF cookies for signed-in rows) on each URL at every
size in turn, so that the sizes' figures of a URL are taken within seconds of each other and
their ratio is the data's growth, not the machine's drift. Then, for each size, it measures a
trivial page while four full downloads run and checks the issue's targets (bench/targets.py).
It prints a table and writes <out>/<timestamp>.json and .md (bench/results/ by default). It
talks only to 127.0.0.1, stops its servers itself, and fails loudly on any non-2xx answer, but
for downloads that a cap refuses, which it labels.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import targets  # noqa: E402
from bench.pages import ANONYMOUS, CAPPED_STATUSES, CONCURRENT_DOWNLOADS, Page, pages  # noqa: E402

# The interpreter that runs the harness (`.venv/bin/python bench/run.py`) and its gunicorn.
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.parent / "gunicorn"
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# Countries with an assessment of each recommendation, per voice (seed_synthetic's options).
ASSESSED_COUNTRIES = 5


def environment(port: int, database: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{database}",
        "DJANGO_SETTINGS_MODULE": "gcm_tracker.settings",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-not-used-anywhere-else-0123456789",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # The benchmark sends no mail; DEBUG off refuses to start without a chosen backend.
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_ROOT_URLCONF": "bench.urls",
        # Plain HTTP on the loopback: no TLS redirect, no secure-only cookies to lose.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        # wrk is one client asking thousands of times a minute; the API must not throttle it.
        # Both scopes: DRF's per-user throttle also counts anonymous clients, by address.
        "DJANGO_API_THROTTLE_ANON": "1000000/minute",
        "DJANGO_API_THROTTLE_USER": "1000000/minute",
        # Errors only: a JSON line per request would measure the log's pipe, not the pages.
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        # The open-data files of the run, apart from the checkout's own.
        "DJANGO_OPEN_DATA_DIR": f"/tmp/gcm-bench-open-data-{port}",
        "BENCH_PORT": str(port),
    }


def run(command: list, env: dict, **kwargs) -> str:
    result = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, check=False, **kwargs
    )
    if result.returncode:
        sys.exit(f"failed: {' '.join(map(str, command))}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def psql(sql: str) -> None:
    run(["psql", "-q", f"{PG}/postgres", "-c", sql], os.environ.copy())


def synthetic_size(database: str) -> int | None:
    """How many recommendations `database` holds, or None when it does not exist (or is not
    one of ours)."""
    result = subprocess.run(
        ["psql", "-Atq", f"{PG}/{database}", "-c", "SELECT count(*) FROM tracker_recommendation"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return int(result.stdout) if result.returncode == 0 and result.stdout.strip() else None


def prepare(size: int, env: dict, database: str, reuse: bool = False) -> float | None:
    """The database at size N; the seconds seed_synthetic took, or None when `reuse` found it
    seeded already (seeding N = 200,000 takes 10 to 20 minutes): then it is only migrated to the
    checked-out code, as a deployment would."""
    manage = [str(PYTHON), "manage.py"]
    # The seed report's paragraphs come with load_seed, beside the N synthetic ones.
    if reuse and (synthetic_size(database) or 0) >= size:
        run([*manage, "migrate", "--noinput", "-v0"], env)
        run([*manage, "collectstatic", "--noinput", "-v0"], env)
        settle_database(database)
        return None
    psql(f"DROP DATABASE IF EXISTS {database}")
    psql(f"CREATE DATABASE {database}")
    run([*manage, "migrate", "--noinput", "-v0"], env)
    run([*manage, "load_seed"], env)
    run([*manage, "collectstatic", "--noinput", "-v0"], env)
    started = time.monotonic()
    seed = [*manage, "seed_synthetic", "--recommendations", str(size)]
    # Five countries a recommendation in each voice: about 1,000,000 official and 1,000,000
    # civil-society assessments at N = 200,000 (fewer where a selected scope has fewer).
    seed += ["--official-per-recommendation", str(ASSESSED_COUNTRIES)]
    seed += ["--civil-society-per-recommendation", str(ASSESSED_COUNTRIES)]
    print(run(seed, env), end="")
    seeding = time.monotonic() - started
    settle_database(database)
    return seeding


# Every table and index of the application read once (pg_prewarm's "read": through the operating
# system's cache, not PostgreSQL's own), where the extension is installed and may be created.
WARM = """
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_prewarm;
    PERFORM pg_prewarm(c.oid, 'read') FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 't', 'm');
EXCEPTION WHEN undefined_file OR insufficient_privilege THEN
    RAISE NOTICE 'pg_prewarm is not available: the database is not read ahead';
END;
$$;
"""


def settle_database(database: str) -> None:
    """The database as a server that has run for a while holds it: vacuumed and analysed, as
    autovacuum keeps production (index-only scans need the visibility map), and its files in the
    operating system's cache, so the first rows measured do not pay for reading from disk what
    the later ones find cached (a freshly seeded N = 200,000 database is about 5.6 GB)."""
    run(["psql", "-q", f"{PG}/{database}", "-c", "VACUUM ANALYZE"], os.environ.copy())
    run(["psql", "-q", f"{PG}/{database}", "-c", WARM], os.environ.copy())


def free_port(taken: frozenset[int] = frozenset()) -> int:
    """A port nothing listens on, other than those `taken` by sizes whose servers have not
    started yet (the probe's port is free again once it is closed)."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in taken:
            return port


def start_server(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        # The production settings (gunicorn.conf.py: the 120 s timeout), 2 workers on this port.
        [str(GUNICORN), "--config", "gunicorn.conf.py", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/floor/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    sys.exit("gunicorn did not answer within 30 s")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A signed-in page that sends its visitor to the sign-in page answered 302, not the page.
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def fetch(port: int, path: str, headers: dict, timeout: float = 120) -> dict:
    """One answer, read whole: its status, size and type. 4xx and 5xx answers are returned too."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    started = time.monotonic()
    try:
        response = _OPENER.open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        size = 0
        while chunk := response.read(1 << 16):
            size += len(chunk)
        return {
            "status": response.status,
            "bytes": size,
            "html": response.headers.get("Content-Type", "").startswith("text/html"),
            "seconds": time.monotonic() - started,
        }


def check_answers(port: int, rows: list[Page], cookies: dict) -> dict[str, dict]:
    """Every page answers 2xx (the run stops on any other answer); its size and type."""
    answers = {}
    for page in rows:
        answer = fetch(port, page.path, cookies[page.persona])
        if not 200 <= answer["status"] < 300:
            sys.exit(f"{page.name}: {page.path} as {page.persona} answered {answer['status']}")
        answers[page.name] = answer
    return answers


# What every browser says it accepts: the page cache sends its entries gzip-compressed to such a
# client (dashboards.compressed_pages), as a visitor gets them.
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br"}


def wrk(port: int, path: str, seconds: int, connections: int, headers: dict) -> dict:
    header_options = [option for name, value in (BROWSER_HEADERS | headers).items()
                      for option in ("-H", f"{name}: {value}")]  # fmt: skip
    output = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
         *header_options, "-s", str(ROOT / "bench" / "report.lua"),
         f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    figures = json.loads(output.strip().splitlines()[-1])
    if figures["non2xx"] or figures["errors"]:
        sys.exit(f"{path}: {figures['non2xx']} non-2xx answers, {figures['errors']} errors")
    figures["rps"] = figures["requests"] / figures["seconds"]
    # wrk counts only the answers that arrived in time; none means each took longer than the
    # whole run, so the run's length is what is known: a lower bound, marked as one.
    figures["incomplete"] = figures["requests"] == 0
    if figures["incomplete"]:
        figures["p50_ms"] = figures["p95_ms"] = figures["max_ms"] = seconds * 1000
    return figures


def settle(port: int, server: subprocess.Popen) -> None:
    """Wait until every worker is free. wrk stops at the end of its run, but the workers still
    answer the requests it left in flight (up to one per connection, each as slow as the page):
    the next row would queue behind them. A free worker takes part in a burst of floor requests;
    one still busy does not, so all workers answering the same burst means all are free."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        # Read each time: gunicorn replaces a worker that passed its timeout.
        workers = set(Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split())
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda _: _floor_worker(port), range(8)))
        if workers <= set(answers):
            return
    sys.exit("the workers were still busy after 600 s")


def _floor_worker(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/floor/", timeout=600) as response:
        response.read()
        return response.headers["X-Bench-Worker"]


def concurrency(port: int, seconds: int, connections: int) -> dict:
    """The floor page measured by wrk while CONCURRENT_DOWNLOADS run at once (anonymous, from
    this one client), each started again as soon as it ends so that all are under way for as
    long as wrk runs. A capped download's refusal is labelled; any other non-2xx stops the run."""
    downloads = [{"path": path, "answers": []} for path in CONCURRENT_DOWNLOADS]
    wrk_done = threading.Event()

    def download(entry: dict) -> None:
        while not wrk_done.is_set():
            entry["answers"].append(fetch(port, entry["path"], {}, timeout=600))

    threads = [threading.Thread(target=download, args=(entry,)) for entry in downloads]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # the downloads have reached the workers
    try:
        floor = wrk(port, "/bench/floor/", seconds, connections, {})
    finally:
        wrk_done.set()
        for thread in threads:
            thread.join()
    for entry in downloads:
        answers = entry.pop("answers")
        slowest = max(answers, key=lambda answer: answer["seconds"])
        statuses = sorted({answer["status"] for answer in answers})
        entry |= {
            "status": slowest["status"],
            "statuses": statuses,
            "count": len(answers),
            "bytes": slowest["bytes"],
            "seconds": slowest["seconds"],
            "capped": ", ".join(CAPPED_STATUSES[s] for s in statuses if s in CAPPED_STATUSES),
        }
        if unexpected := [s for s in statuses if not 200 <= s < 300 and s not in CAPPED_STATUSES]:
            sys.exit(f"concurrent download {entry['path']} answered {unexpected}")
    return {"floor": floor, "downloads": downloads}


def worker_peak_memory_mb(server: subprocess.Popen) -> float:
    """The largest peak resident memory (VmHWM) among gunicorn's workers."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return max(peaks)


def full_csv(port: int, server: subprocess.Popen, env: dict) -> dict:
    """The whole recommendation table as CSV. On-request downloads stop at 10,000 rows
    (DJANGO_DOWNLOAD_MAX_ROWS), so this is the bulk open-data file: built first, as the task
    queue builds it (timed apart), then fetched from its stable address."""
    building = time.monotonic()
    run([str(PYTHON), "manage.py", "build_open_data"], env)
    build_seconds = time.monotonic() - building
    started = time.monotonic()
    size = 0
    with urllib.request.urlopen(
        f"http://127.0.0.1:{port}/data/latest/gcm-tracker-recommendations.csv", timeout=600
    ) as response:
        first_byte = time.monotonic() - started
        while chunk := response.read(1 << 16):
            size += len(chunk)
    return {
        "seconds": time.monotonic() - started,
        "first_byte_ms": first_byte * 1000,
        "megabytes": size / 1e6,
        "worker_peak_mb": worker_peak_memory_mb(server),
        "build_seconds": build_seconds,
    }


def site_cache_url(base: str, index: int) -> str:
    """The Redis database of the `index`-th size: the base's own number plus `index`. The sizes'
    servers run side by side, and a cold row empties its whole cache database, so no two sizes
    may share one (nor their keys, which name the same things with other data)."""
    if not base or index == 0:
        return base
    parts = urlsplit(base)
    number = parts.path.strip("/")
    # The database must be the path's number: a "db=" in the query would win over the path and
    # put every size in one database.
    if parts.scheme not in ("redis", "rediss") or not number.isdigit() or "db=" in parts.query:
        sys.exit(
            f"--cache-url {base}: with several sizes, give redis://host:port/<database number>, "
            "so that each size gets the next number"
        )
    number = int(number) + index
    if number > 15:
        sys.exit(f"--cache-url {base}: {index + 1} sizes need Redis databases up to {number}")
    return urlunsplit(parts._replace(path=f"/{number}"))


@dataclass
class Site:
    """One size's database, served by a gunicorn of its own, with its personas signed in."""

    size: int
    env: dict
    port: int
    seeding: float | None
    rows: list[Page]
    facts: dict
    skipped: list[str]
    cookies: dict
    server: subprocess.Popen | None = None
    answers: dict = field(default_factory=dict)
    runs: dict = field(default_factory=dict)


def open_site(size: int, index: int, args, taken: frozenset[int]) -> Site:
    """The database of size N seeded (or reused), its queries counted, its personas signed in;
    its server is not started yet, so that seeding another size does not run beside it."""
    port = free_port(taken)
    database = f"{args.database}_{size}"
    env = environment(port, database)
    if args.cache_url:
        env["CACHE_URL"] = site_cache_url(args.cache_url, index)
    seeding = prepare(size, env, database, reuse=args.reuse)
    rows = pages(size)
    measured = json.loads(run([str(PYTHON), "bench/queries.py", *(p.key for p in rows)], env))
    facts = measured["pages"]
    for page in rows:
        if not facts[page.key]["resolves"] and not page.optional:
            sys.exit(f"{page.name}: {page.path} is not an address of the site")
    cookies = {ANONYMOUS: {}} | {
        persona: {"Cookie": "; ".join(f"{name}={value}" for name, value in jar.items())}
        for persona, jar in measured["cookies"].items()
    }
    return Site(
        size=size,
        env=env,
        port=port,
        seeding=seeding,
        rows=[page for page in rows if facts[page.key]["resolves"]],
        facts=facts,
        skipped=[page.name for page in rows if not facts[page.key]["resolves"]],
        cookies=cookies,
    )


def measure_in_turn(sites: list[Site], args) -> None:
    """Every page measured at every size in turn, `args.runs` times, before the next page: the
    sizes' figures of a page are taken within seconds of each other, so a drift of the machine
    (its load, its clock, other tenants) falls on all sizes alike and their ratio is the data's
    growth. The sizes' order alternates between runs. Each site's workers are free before and
    after its wrk run, so none answers a request left in flight while another is measured."""
    for index, page in enumerate(sites[0].rows):
        for turn in range(args.runs):
            for site in sites if turn % 2 == 0 else reversed(sites):
                row = site.rows[index]
                settle(site.port, site.server)
                figures = wrk(site.port, row.path, args.seconds, args.connections,
                              site.cookies[row.persona])  # fmt: skip
                site.runs.setdefault(row.name, []).append(figures)
                settle(site.port, site.server)
        p50s = "".join(
            f"{statistics.median(r['p50_ms'] for r in site.runs[page.name]):12.2f}"
            for site in sites
        )
        print(f"  {page.name:56}{p50s} ms p50", flush=True)


def site_result(site: Site, load: list[float], args) -> dict:
    """A size's figures: its rows' medians, then (its server alone at work) the floor while
    four downloads run, the open-data build and the background tasks."""
    results = {}
    for page in site.rows:
        runs = site.runs[page.name]
        results[page.name] = {
            "path": page.path,
            "persona": page.persona,
            "kind": page.kind,
            "queries": site.facts[page.key]["queries"],
            "queries_rendered": site.facts[page.key]["queries_rendered"],
            "bytes": site.answers[page.name]["bytes"],
            "html": site.answers[page.name]["html"],
            "rps": statistics.median(r["rps"] for r in runs),
            "p50_ms": statistics.median(r["p50_ms"] for r in runs),
            "p95_ms": statistics.median(r["p95_ms"] for r in runs),
            "max_ms": max(r["max_ms"] for r in runs),
            "incomplete": any(r["incomplete"] for r in runs),
        }
    settle(site.port, site.server)
    under_load = concurrency(site.port, args.seconds, args.connections)
    settle(site.port, site.server)
    csv = full_csv(site.port, site.server, site.env)
    background = json.loads(run([str(PYTHON), "bench/packs.py"], site.env))
    floor = results["floor"]["p50_ms"]
    for figures in results.values():
        figures["ratio_to_floor"] = figures["p50_ms"] / floor
    result = {
        "size": site.size,
        "seeding_seconds": site.seeding,
        "load": load,
        "urls": results,
        "skipped": site.skipped,
        "concurrency": under_load,
        "full_csv": csv,
        "background": background,
    }
    result["targets"] = targets.evaluate(result)
    return result


def bench_sizes(args) -> list[dict]:
    """Every size's site opened, then all served side by side and measured in turn."""
    sites = []
    for index, size in enumerate(args.sizes):
        print(f"N = {size:,}", flush=True)
        sites.append(open_site(size, index, args, frozenset(site.port for site in sites)))
    if len({tuple(p.name for p in site.rows) for site in sites}) > 1:
        sys.exit("the sizes resolve different pages")
    try:
        for site in sites:
            site.server = start_server(site.env, site.port)
            site.answers = check_answers(site.port, site.rows, site.cookies)
        # The sizes' columns as wide as measure_in_turn's figures (12), to stand above them.
        print("  " + " " * 56 + "".join(f"{f'N = {s.size:,}':>12}" for s in sites), flush=True)
        load = [os.getloadavg()[0]]
        measure_in_turn(sites, args)
        load.append(os.getloadavg()[0])
        return [site_result(site, load, args) for site in sites]
    finally:
        # Every server told to stop before waiting for any, so one slow to stop leaves none
        # running.
        running = [site.server for site in sites if site.server]
        for server in running:
            server.send_signal(signal.SIGTERM)
        for server in running:
            server.wait(timeout=30)


def _target_lines(checks: list[dict]) -> list[str]:
    lines = []
    for check in checks:
        verdict = "held" if check["held"] else "MISSED"
        misses = f": {'; '.join(check['misses'])}" if check["misses"] else ""
        note = f" — {check['note']}" if check.get("note") else ""
        lines.append(
            f"- {check['target']}: **{verdict}** ({check['checked']} checked){misses}{note}"
        )
    return lines


def _concurrency_lines(under_load: dict) -> list[str]:
    floor = under_load["floor"]
    at_least = "≥ " if floor["incomplete"] else ""
    lines = [
        f"Floor page while {len(under_load['downloads'])} downloads run at once: "
        f"p50 {at_least}{floor['p50_ms']:.1f} ms, p95 {at_least}{floor['p95_ms']:.1f} ms "
        f"({floor['requests']} answers).",
        "",
        "| download (started again until wrk ends) | statuses | times | bytes (slowest) "
        "| seconds (slowest) |",
        "|---|---|---:|---:|---:|",
    ]
    for d in under_load["downloads"]:
        statuses = ", ".join(map(str, d["statuses"]))
        if d["capped"]:
            statuses += f" ({d['capped']})"
        lines.append(
            f"| {d['path']} | {statuses} | {d['count']} | {d['bytes']:,} | {d['seconds']:.1f} |"
        )
    return lines


def _background_lines(background: dict | None) -> list[str]:
    """Briefing packs, digests and reminders, timed in a process of their own (bench/packs.py)."""
    if not background:
        return []
    lines = [
        f"Background work (in a worker process, not a web worker; bench/packs.py), for "
        f"{background['country']} ({background['assessments']:,} assessments):",
        "",
        "| task | seconds | result |",
        "|---|---:|---|",
    ]
    for pack in background["packs"]:
        lines.append(
            f"| briefing pack, {pack['format'].upper()}, one year | {pack['seconds']:.1f} "
            f"| {pack['state']}, {pack['bytes']:,} bytes |"
        )
    digest, reminder = background["digests"], background["reminders"]
    lines += [
        f"| daily digest run, {digest['subscriptions']} subscriptions | {digest['seconds']:.1f} "
        f"| {digest['sent']} e-mails |",
        f"| monthly stale reminders | {reminder['seconds']:.1f} | {reminder['queued']} e-mails |",
    ]
    return lines


def markdown(report: dict) -> str:
    lines = [
        f"Run on {report['date']} at commit {report['commit']}; wrk c={report['connections']}, "
        f"{report['seconds']} s per URL, median of {report['runs']} runs; gunicorn, 2 workers "
        f"a size, the sizes served side by side and each URL measured at every size in turn; "
        f"cache: {report['cache']}.",
        "",
    ]
    for result in report["results"]:
        lines += [
            f"### N = {result['size']:,} recommendations, {result['size'] * 10:,} actions "
            + (
                f"(seeded in {result['seeding_seconds']:.0f} s)"
                if result["seeding_seconds"] is not None
                else "(a database seeded by an earlier run, migrated: --reuse)"
            ),
            "",
            "Machine load (1-minute average) when the measurements began and ended: "
            + " and ".join(f"{x:.1f}" for x in result["load"])
            + f" on {os.cpu_count()} cores — figures taken on a busy machine are inflated.",
            "",
            "| URL | persona | requests/s | p50 ms | p95 ms | × floor (p50) | bytes "
            "| queries (rendered / cached) |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name, f in result["urls"].items():
            at_least = "≥ " if f["incomplete"] else ""
            lines.append(
                f"| {name} | {f['persona']} | {f['rps']:.0f} | {at_least}{f['p50_ms']:.1f} | "
                f"{at_least}{f['p95_ms']:.1f} | {at_least}{f['ratio_to_floor']:.2f} | "
                f"{f['bytes']:,} | {f['queries_rendered']} / {f['queries']} |"
            )
        if any(f["incomplete"] for f in result["urls"].values()):
            lines += ["", "≥: no answer arrived within a run; the run's length is a lower bound."]
        if result["skipped"]:
            lines += ["", f"Not on this branch (address does not resolve): "
                          f"{', '.join(result['skipped'])}."]  # fmt: skip
        lines += ["", *_concurrency_lines(result["concurrency"])]
        csv = result["full_csv"]
        lines += [
            "",
            f"Full CSV download (the open-data file): {csv['megabytes']:.1f} MB in "
            f"{csv['seconds']:.1f} s, first byte after {csv['first_byte_ms']:.0f} ms, worker "
            f"peak memory {csv['worker_peak_mb']:.0f} MB; building every open-data file took "
            f"{csv.get('build_seconds', 0):.0f} s.",
            "",
            *_background_lines(result.get("background")),
            "",
            f"Targets (set for N = 200,000; checked here at N = {result['size']:,}):",
            "",
            *_target_lines(result["targets"]),
            "",
        ]
    if len(report["results"]) > 1:
        first, last = report["results"][0], report["results"][-1]
        sizes = "".join(f" p50 ms, N = {r['size']:,} |" for r in report["results"])
        lines += [
            f"### Growth of p50 from N = {first['size']:,} to N = {last['size']:,}",
            "",
            f"| URL |{sizes} growth |",
            "|---|" + "---:|" * (len(report["results"]) + 1),
        ]
        for name in first["urls"]:
            p50s = "".join(f" {r['urls'][name]['p50_ms']:.1f} |" for r in report["results"])
            growth = last["urls"][name]["p50_ms"] / first["urls"][name]["p50_ms"]
            lines.append(f"| {name} |{p50s} {growth:.2f}× |")
        lines += ["", *_target_lines([report["growth"]])]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000, 200000])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument(
        "--database",
        default="gcm_bench",
        help="the name the sizes' databases start with: <database>_<N> for each size N, "
        "dropped and recreated (but with --reuse), and dropped at the end of a run that "
        "completes (but with --keep)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--cache-url",
        default="",
        help="Redis databases of the benchmark's own, e.g. redis://127.0.0.1:6379/9 for the "
        "first size, /10 for the second and so on (the cold rows empty them); default: a "
        "local-memory cache per worker",
    )
    parser.add_argument("--keep", action="store_true", help="keep every size's database when done")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use a size's database if it holds that many recommendations already (kept by an "
        "earlier --keep run), migrated to this code, instead of seeding it again",
    )
    args = parser.parse_args()
    if len(set(args.sizes)) < len(args.sizes):
        parser.error("--sizes: each size once (each has a database of its own)")
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "seconds": args.seconds,
        "runs": args.runs,
        "connections": args.connections,
        "cache": args.cache_url or "local memory, per worker",
        "results": bench_sizes(args),
    }
    if len(report["results"]) > 1:
        report["growth"] = targets.growth(report["results"][0], report["results"][-1])
    table = markdown(report)
    print(table)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    stamp = report["date"].replace(":", "")
    (out / f"{stamp}.json").write_text(json.dumps(report, indent=2))
    (out / f"{stamp}.md").write_text(table)
    if not args.keep:
        for size in args.sizes:
            psql(f"DROP DATABASE IF EXISTS {args.database}_{size}")


if __name__ == "__main__":
    main()
