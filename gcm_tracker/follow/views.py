"""Following a list: the sign-up form (anyone, no account; rate-limited; the page says the same
whatever the address), the confirmation (double opt-in) and the one-click unsubscribe. The
confirmation and unsubscribe links are signed; they open a page with a button (a link scanner's
GET changes nothing), and the unsubscribe URL also takes the mail client's one-click POST
(RFC 8058), which carries no CSRF token."""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from gcm_tracker.accounts.rate_limits import Limit, rate_limited

from . import mail
from .followed import VIEWS, normalise
from .forms import SubscribeForm
from .models import Subscription

SIGN_UP = Limit("follow-sign-up", "email", per_address=10, per_account=3, window=60 * 60)
# Confirmation links work for a week.
CONFIRM_SECONDS = 7 * 24 * 60 * 60


def _followed(request, view_key):
    view = VIEWS.get(view_key)
    if view is None:
        raise Http404(_("There is no such list."))
    return view


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited(SIGN_UP)
def subscribe(request, view):
    followed = _followed(request, view)
    try:
        query, _filterset = normalise(followed, request.GET)
    except ValueError as error:
        return render(
            request, "follow/subscribe.html", {"view": followed, "error": str(error)}, status=400
        )
    context = {"view": followed, "query": query, "page_url": followed.page_url(query)}
    if request.method != "POST":
        return render(request, "follow/subscribe.html", {**context, "form": SubscribeForm()})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "follow/subscribe.html", {**context, "form": form}, status=400)
    _sign_up(form.cleaned_data["email"], followed.key, query, form.cleaned_data["frequency"])
    # The same answer whether the address was new, waiting or already following.
    return render(request, "follow/check_inbox.html", context)


def _sign_up(email: str, view: str, query: str, frequency: str) -> None:
    from .tasks import send_confirmation

    email = email.strip().lower()
    with transaction.atomic():
        subscription = Subscription.objects.filter(email=email, view=view, query=query).first()
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(
                        email=email,
                        view=view,
                        query=query,
                        frequency=frequency,
                        # The page's language: the e-mails to this address are written in it.
                        language=get_language(),
                    )
            except IntegrityError:
                return  # signed up by a parallel request, which sends the confirmation
        elif subscription.confirmed_at is not None:
            return  # already following: nothing to confirm, and a stranger may not change it
        else:
            subscription.frequency = frequency
            subscription.language = get_language()
            subscription.save(update_fields=["frequency", "language"])
        pk = subscription.pk
        transaction.on_commit(lambda: send_confirmation.delay(pk))


def _subscription(signed: str, salt: str, max_age=None) -> Subscription | None:
    token = mail.token_from(signed, salt=salt, max_age=max_age)
    return Subscription.objects.filter(token=token).first() if token else None


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, signed):
    subscription = _subscription(signed, mail.CONFIRM_SALT, CONFIRM_SECONDS)
    if subscription is None:
        return render(request, "follow/link_invalid.html", status=404)
    view = VIEWS[subscription.view]
    if request.method == "POST" and subscription.confirmed_at is None:
        now = timezone.now()
        # The first digest covers what is recorded from now on.
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, last_sent_through=now
        )
        subscription.refresh_from_db()
    return render(
        request,
        "follow/confirm.html",
        {"subscription": subscription, "view": view, "page_url": view.page_url(subscription.query)},
    )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, signed):
    token = mail.token_from(signed, salt=mail.SALT)
    if token is None:
        return render(request, "follow/link_invalid.html", status=404)
    if request.method == "POST":
        Subscription.objects.filter(token=token).delete()
        return render(request, "follow/unsubscribed.html")
    return render(request, "follow/unsubscribe.html", {"signed": signed})
