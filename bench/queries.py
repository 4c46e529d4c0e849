"""Prints, as JSON, the status and number of database queries of one request to each URL given,
made in-process with Django's test client against the benchmark database."""

import json
import sys

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

client = Client(HTTP_HOST="127.0.0.1")
result = {}
for url in sys.argv[1:]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    result[url] = {"status": response.status_code, "queries": len(queries)}
print(json.dumps(result))
