"""Prints, as JSON, the status and number of database queries of requests to each URL given, made
in-process with Django's test client against the benchmark database: the first request, which
renders the page ("queries_rendered"), and the next, which what the first cached may serve
("queries", what wrk measures)."""

import json
import sys

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

client = Client(HTTP_HOST="127.0.0.1")
result = {}


def queries(url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, len(captured)


for url in sys.argv[1:]:
    _, rendered = queries(url)
    status, served = queries(url)
    result[url] = {"status": status, "queries_rendered": rendered, "queries": served}
print(json.dumps(result))
