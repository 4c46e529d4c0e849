"""The benchmark: production-like settings on PostgreSQL, gunicorn with 2 workers, wrk (c=4,
10 s per URL, three runs, medians) over the main pages, at several data sizes.

    python bench/run.py --sizes 1000 20000 200000     (what `make bench` runs)

For each size it recreates the database `gcm_bench` on the local PostgreSQL, loads the reference
data and `seed_synthetic`, starts gunicorn on 127.0.0.1, counts each URL's queries in-process,
then runs wrk. It prints a table and writes bench/results/<timestamp>.json and .md. It talks
only to 127.0.0.1, stops its server itself, and fails loudly on any non-2xx answer.
"""

import argparse
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
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "gcm_bench"
SLUG = "border-governance-2020"
FILTERS = "objective=13&status=implemented&q=detention"


def environment(port: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DATABASE}",
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


def prepare(size: int, env: dict) -> float:
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    manage = [str(PYTHON), "manage.py"]
    run([*manage, "migrate", "--noinput", "-v0"], env)
    run([*manage, "load_seed"], env)
    run([*manage, "collectstatic", "--noinput", "-v0"], env)
    started = time.monotonic()
    print(run([*manage, "seed_synthetic", "--recommendations", str(size)], env), end="")
    seeding = time.monotonic() - started
    # A settled database, as autovacuum keeps production: index-only scans need the visibility map.
    run(["psql", "-q", f"{PG}/{DATABASE}", "-c", "VACUUM ANALYZE"], os.environ.copy())
    return seeding


def urls(size: int) -> dict[str, str]:
    deep_page = max(1, size // 25 // 2)
    # seed_synthetic puts recommendation i in consultation 1 + i % C, as paragraph 1 + i // C.
    consultations = max(1, size // 40)
    reference = f"synthetic-c{1 + consultations // 2}-1"
    return {
        "floor": "/bench/floor/",
        "dashboard (cold cache)": "/bench/cold/",
        "dashboard (warm cache)": "/",
        "list, page 1": "/recommendations/",
        "list, deep page": f"/recommendations/?page={deep_page}",
        "list, two filters and a search": f"/recommendations/?{FILTERS}",
        "list, two filters and a search (cold cache)": f"/bench/cold/recommendations/?{FILTERS}",
        "recommendation page": f"/recommendations/{reference}/",
        "recommendation page (cold cache)": f"/bench/cold/recommendations/{reference}/",
        "seed recommendation page": f"/recommendations/{SLUG}-87/",
        "country page": "/countries/THA/",
        "API list, two filters and a search": f"/api/v1/recommendations/?{FILTERS}",
        "API detail": f"/api/v1/recommendations/{reference}/",
        "CSV download, two filters": (
            "/recommendations/download/csv/?objective=13&status=implemented"
        ),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


def check_answers(port: int, paths: dict) -> None:
    for name, path in paths.items():
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as response:
            if not 200 <= response.status < 300:
                sys.exit(f"{name}: {path} answered {response.status}")
            response.read()


def wrk(port: int, path: str, seconds: int, connections: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
         "-s", str(ROOT / "bench" / "report.lua"), f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    figures = json.loads(output.strip().splitlines()[-1])
    if figures["non2xx"] or figures["errors"]:
        sys.exit(f"{path}: {figures['non2xx']} non-2xx answers, {figures['errors']} errors")
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


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


def bench_size(size: int, args) -> dict:
    port = free_port()
    env = environment(port)
    seeding = prepare(size, env)
    paths = urls(size)
    queries = json.loads(run([str(PYTHON), "bench/queries.py", *paths.values()], env))
    server = start_server(env, port)
    try:
        check_answers(port, paths)
        results = {}
        for name, path in paths.items():
            runs = [wrk(port, path, args.seconds, args.connections) for _ in range(args.runs)]
            results[name] = {
                "path": path,
                "queries": queries[path]["queries"],
                "queries_rendered": queries[path]["queries_rendered"],
                "rps": statistics.median(r["rps"] for r in runs),
                "p50_ms": statistics.median(r["p50_ms"] for r in runs),
                "p95_ms": statistics.median(r["p95_ms"] for r in runs),
            }
            print(f"  {name:38} {results[name]['p50_ms']:8.2f} ms p50", flush=True)
        csv = full_csv(port, server, env)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    floor = results["floor"]["p50_ms"]
    for figures in results.values():
        figures["ratio_to_floor"] = figures["p50_ms"] / floor
    return {"size": size, "seeding_seconds": seeding, "urls": results, "full_csv": csv}


def markdown(report: dict) -> str:
    lines = [
        f"Run on {report['date']} at commit {report['commit']}; wrk c={report['connections']}, "
        f"{report['seconds']} s per URL, median of {report['runs']} runs; gunicorn, 2 workers.",
        "",
    ]
    for result in report["results"]:
        lines += [
            f"### N = {result['size']:,} recommendations, {result['size'] * 10:,} actions "
            f"(seeded in {result['seeding_seconds']:.0f} s)",
            "",
            "| URL | requests/s | p50 ms | p95 ms | × floor (p50) | queries (rendered / cached) |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, f in result["urls"].items():
            lines.append(
                f"| {name} | {f['rps']:.0f} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | "
                f"{f['ratio_to_floor']:.2f} | {f['queries_rendered']} / {f['queries']} |"
            )
        csv = result["full_csv"]
        lines += [
            "",
            f"Full CSV download (the open-data file): {csv['megabytes']:.1f} MB in "
            f"{csv['seconds']:.1f} s, first byte after {csv['first_byte_ms']:.0f} ms, worker "
            f"peak memory {csv['worker_peak_mb']:.0f} MB; building every open-data file took "
            f"{csv.get('build_seconds', 0):.0f} s.",
            "",
        ]
    if len(report["results"]) > 1:
        first, last = report["results"][0], report["results"][-1]
        lines += [
            f"### Growth of p50 from N = {first['size']:,} to N = {last['size']:,}",
            "",
            "| URL | growth |",
            "|---|---:|",
        ]
        for name in first["urls"]:
            growth = last["urls"][name]["p50_ms"] / first["urls"][name]["p50_ms"]
            lines.append(f"| {name} | {growth:.2f}× |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000, 200000])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
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
        "results": [],
    }
    for size in args.sizes:
        print(f"N = {size:,}", flush=True)
        report["results"].append(bench_size(size, args))
    table = markdown(report)
    print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = report["date"].replace(":", "")
    (out / f"{stamp}.json").write_text(json.dumps(report, indent=2))
    (out / f"{stamp}.md").write_text(table)
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
