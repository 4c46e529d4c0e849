"""gunicorn's settings, the one place for them: the image (Dockerfile), docker-compose.yml's `web`
command, the scale-out command in docs/deploy.md and the benchmark (bench/run.py) all start
`gunicorn --config gunicorn.conf.py`, and tests/test_docker_compose.py checks that they do.

Read from the environment: WEB_CONCURRENCY, the number of worker processes (default 2; about two
per CPU core). A command line option given after --config overrides a setting here (the benchmark
binds to 127.0.0.1 on a port of its own).
"""

import os

wsgi_app = "gcm_tracker.wsgi:application"
bind = ["0.0.0.0:8000"]


def _workers() -> int:
    raw = os.environ.get("WEB_CONCURRENCY", "").strip() or "2"
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"WEB_CONCURRENCY must be a whole number, 1 or more, not {raw!r}.")
    return int(raw)


workers = _workers()
# The full CSV of every recommendation streams for longer than gunicorn's default 30 s at 200,000
# rows (docs/performance.md), and a sync worker streaming it cannot answer the arbiter's heartbeat.
timeout = 120
# The app writes its own JSON access log (gcm_tracker.ops); gunicorn's would repeat it.
accesslog = None

# Each worker freezes what it holds once started (Django's settings, models, URL patterns,
# translations) and again after its first requests have built what is built lazily (templates,
# the URL resolver's maps): frozen objects are left out of the garbage collector's full
# collections. Unfrozen, a full collection walked all of them every few hundred requests and
# held that request for 50-140 ms at N = 200,000 (docs/performance.md, ninth round).
WARM_REQUESTS = 50


def _freeze() -> None:
    import gc

    gc.collect()  # garbage made so far is freed rather than frozen for the worker's life
    gc.freeze()


def post_worker_init(worker):
    _freeze()


def post_request(worker, req, environ, resp):
    if worker.nr == WARM_REQUESTS:
        _freeze()
