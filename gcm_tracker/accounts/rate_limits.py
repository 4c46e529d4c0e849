"""Rate limits on the public account forms: sign-in, password reset and account requests.

Each form is limited per client address (resolved like the API's throttles, see
`gcm_tracker.ops.client_address`) and per account (the user name or e-mail address typed in), in
fixed windows counted in the default cache (Redis in production, so every worker shares the
counts). Past a limit the form answers 429 with `Retry-After` and a page saying how long to wait;
nothing is sent or stored. django-axes's lockout (5 failed sign-ins per user name and address)
stays in force on top of this.

While the cache is unavailable the counts are lost and the limits pause, as the API's do: a cache
outage must not lock everyone out of signing in.
"""

import functools
import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.shortcuts import render

from gcm_tracker.ops.client_address import client_address
from gcm_tracker.tracker.choosing import SEARCH_BUTTON


@dataclass(frozen=True)
class Limit:
    """At most `per_address` POSTs from one address and `per_account` for one account (the value
    of the form's `account_field`) in each window of `window` seconds."""

    scope: str
    account_field: str
    per_address: int
    per_account: int
    window: int


SIGN_IN = Limit("sign-in", "username", per_address=30, per_account=20, window=15 * 60)
PASSWORD_RESET = Limit("password-reset", "email", per_address=5, per_account=3, window=60 * 60)
ACCOUNT_REQUEST = Limit("account-request", "email", per_address=5, per_account=3, window=60 * 60)


def _count(limit: Limit, kind: str, value: str, now: float) -> int:
    window_index = int(now // limit.window)
    # Hashed: the key holds neither an address nor an e-mail address, and stays short and safe
    # for any cache whatever was typed.
    digest = hashlib.sha256(value.strip().casefold().encode()).hexdigest()[:32]
    key = f"rate-limit:{limit.scope}:{kind}:{digest}:{window_index}"
    cache.add(key, 0, timeout=limit.window)
    try:
        return cache.incr(key)
    except ValueError:
        # The cache lost the key (evicted, or unavailable): count this attempt as the first.
        return 1


def _now() -> float:
    return time.time()


def seconds_until_allowed(limit: Limit, request) -> int:
    """Counts this POST; 0 when it is within both limits, else the seconds until the window ends."""
    now = _now()
    over_address = _count(limit, "address", client_address(request), now) > limit.per_address
    account = request.POST.get(limit.account_field, "")
    over_account = bool(account.strip()) and (
        _count(limit, "account", account, now) > limit.per_account
    )
    if not (over_address or over_account):
        return 0
    return max(1, math.ceil(limit.window - now % limit.window))


def rate_limited(limit: Limit):
    """Decorates a form view: its POSTs are counted and refused past `limit` (429)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            # A chooser's search (its "Search" button, without JavaScript) saves nothing: the
            # form is shown again with the matches, so it is not counted.
            if request.method == "POST" and SEARCH_BUTTON not in request.POST:
                wait = seconds_until_allowed(limit, request)
                if wait:
                    response = render(
                        request,
                        "accounts/rate_limited.html",
                        {"minutes": math.ceil(wait / 60)},
                        status=429,
                    )
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
