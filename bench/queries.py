"""Signs the benchmark's personas in (bench/personas.py), then prints, as JSON, for each
"persona path" given: whether the address resolves, and the status, size and number of database
queries of requests to it made in-process with Django's test client against the benchmark
database, as that persona: the first request, which renders the page ("queries_rendered"), and
the next, which what the first cached may serve ("queries", what wrk measures). The personas'
cookies are printed too, for wrk."""

import json
import sys

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

from bench.pages import ANONYMOUS  # noqa: E402
from bench.personas import signed_in_personas  # noqa: E402

cookies = signed_in_personas()
clients = {ANONYMOUS: Client(HTTP_HOST="127.0.0.1")}
for persona, persona_cookies in cookies.items():
    clients[persona] = Client(HTTP_HOST="127.0.0.1")
    clients[persona].cookies.load(persona_cookies)


def resolves(path: str) -> bool:
    try:
        match = resolve(path.partition("?")[0])
    except Resolver404:
        return False
    # /bench/cold/<path> resolves whatever <path> is: ask about the page it stands for.
    return match.kwargs.get("path") is None or resolves("/" + match.kwargs["path"])


def queries(client: Client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, len(captured)


pages = {}
for key in sys.argv[1:]:
    persona, path = key.split(" ", 1)
    if not resolves(path):
        pages[key] = {"resolves": False}
        continue
    _, rendered = queries(clients[persona], path)
    status, served = queries(clients[persona], path)
    pages[key] = {
        "resolves": True,
        "status": status,
        "queries_rendered": rendered,
        "queries": served,
    }
print(json.dumps({"cookies": cookies, "pages": pages}))
