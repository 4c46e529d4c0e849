"""Structured logs: one JSON object per line, each carrying the id of the request it belongs to.

A log collector (Docker's json-file driver, journald, a managed log service) reads stdout and can
then filter on any field, e.g. every line of one failing request by its `request_id`. No
dependency: Python's logging with a small formatter.
"""

import contextvars
import datetime
import json
import logging
import re
import uuid

# The id of the request being handled in this thread (or task); "" outside a request.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# An incoming X-Request-ID (set by a load balancer or proxy) is kept when it looks like an id:
# letters, digits and ._:- only, so it cannot inject anything into a log line or a header.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{8,128}")

# The attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))
) | {"message", "asctime", "request_id"}
# Django's own records carry the request object; it is not data and may hold secrets.
_SKIPPED_EXTRAS = frozenset({"request"})


def request_id_from(header: str | None) -> str:
    """The incoming id if it is well-formed, else a new one."""
    if header and REQUEST_ID_PATTERN.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so records from deep inside a view carry it too."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class TaskArgumentsFilter(logging.Filter):
    """Blanks the arguments of Celery's task records ("received", "succeeded", "raised"): they
    may hold personal data and secrets, such as an e-mail's addresses and a set-password link.
    The task's name and id stay, to follow it through the log."""

    HIDDEN = "(not logged)"

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("celery."):
            for context in (record.args, getattr(record, "data", None)):
                if isinstance(context, dict):
                    for key in ("args", "kwargs"):
                        if key in context:
                            context[key] = self.HIDDEN
        return True


class JSONFormatter(logging.Formatter):
    """Formats a record as one line of JSON: time, level, logger, message, request_id, the
    `extra=` fields, and a traceback under `exception` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "") or request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and key not in _SKIPPED_EXTRAS:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
