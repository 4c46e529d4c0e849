"""The issue's targets, checked against a run's figures: each held or missed, with the figures.

The targets are set for N = 200,000 recommendations (2,000,000 actions); at other sizes they are
checked all the same and the report says at which size.
"""

P95_MS = 150
LIST_RATIO = 6
DETAIL_RATIO = 3
WORKER_BUSY_S = 2
HTML_BYTES = 300_000
GROWTH = 1.3


def _check(target: str, misses: list[str], checked: int) -> dict:
    return {"target": target, "held": not misses, "checked": checked, "misses": misses}


def _over(rows: dict, figure: str, limit: float, shown: str, scale: float = 1) -> list[str]:
    """The rows whose `figure` is over `limit`, each named with it (`shown` formats it)."""
    return [
        # "≥": no answer within a run, so a time is the run's length, a lower bound.
        f"{name}: {'≥ ' if row.get('incomplete') and figure != 'bytes' else ''}"
        f"{shown.format(row[figure] / scale)}"
        for name, row in rows.items()
        if row[figure] > limit
    ]


def evaluate(result: dict) -> list[dict]:
    rows = result["urls"]
    signed_in = {n: f for n, f in rows.items() if f["persona"] != "anonymous"}
    checks = [
        _check(
            f"p95 ≤ {P95_MS} ms on every page, every persona, warm and cold",
            _over(rows, "p95_ms", P95_MS, "{:.0f} ms"),
            len(rows),
        )
    ]
    for kind, ratio in [("list", LIST_RATIO), ("detail", DETAIL_RATIO)]:
        held_to = {n: f for n, f in signed_in.items() if f["kind"] == kind}
        checks.append(
            _check(
                f"signed in: p50 ≤ {ratio}× floor for {kind} pages",
                _over(held_to, "ratio_to_floor", ratio, "{:.1f}×"),
                len(held_to),
            )
        )
    busy = [
        # Without a single answer in a run, that it held cannot be shown.
        f"{n}: no answer within a run" if f["incomplete"] else f"{n}: {f['max_ms'] / 1000:.1f} s"
        for n, f in rows.items()
        if f["incomplete"] or f["max_ms"] > WORKER_BUSY_S * 1000
    ]
    downloads = result["concurrency"]["downloads"]
    busy += [
        f"{d['path']}: {d['seconds']:.1f} s"
        for d in downloads
        if d["seconds"] > WORKER_BUSY_S and not d["capped"]
    ]
    checks.append(
        _check(
            f"no response keeps a worker busy for more than {WORKER_BUSY_S} s",
            busy,
            len(rows) + len(downloads),
        )
    )
    floor = result["concurrency"]["floor"]
    under_load = _check(
        f"a trivial page keeps p95 ≤ {P95_MS} ms while four downloads run",
        [] if floor["p95_ms"] <= P95_MS else [f"floor: p95 {floor['p95_ms']:.0f} ms"],
        1,
    )
    if capped := sum(1 for d in downloads if d["capped"]):
        # A refused download is no load: say so next to the verdict.
        under_load["note"] = f"{capped} of the {len(downloads)} downloads were refused by a cap"
    checks.append(under_load)
    html = {n: f for n, f in rows.items() if f["html"]}
    checks.append(
        _check(
            f"no HTML page over {HTML_BYTES // 1000} KB",
            _over(html, "bytes", HTML_BYTES, "{:,.0f} KB", scale=1000),
            len(html),
        )
    )
    return checks


def growth(first: dict, last: dict) -> dict:
    """p50 growth of every URL measured at both sizes."""
    both = [n for n in first["urls"] if n in last["urls"]]
    ratios = {n: last["urls"][n]["p50_ms"] / first["urls"][n]["p50_ms"] for n in both}
    return _check(
        f"p50 grows ≤ {GROWTH}× from N = {first['size']:,} to N = {last['size']:,}",
        [f"{n}: {r:.2f}×" for n, r in ratios.items() if r > GROWTH],
        len(ratios),
    )
