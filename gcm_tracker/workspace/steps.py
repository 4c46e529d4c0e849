"""The round trips that follow-up actions and country assessments share: one review-state step
(submit, withdraw) and the reviewer's publish-or-return form. Each calls the service it is given
and turns its outcome into a message and a redirect (or, for a step taken on a stale page, the
page as it is now with 409)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError (keyed by argument name) on the form's fields."""
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def posted_version(request) -> int | None:
    """The version the page showed when the step's button was pressed (its hidden `version`
    field), for the service to refuse a step on a stale page. None if the form sent none."""
    posted = request.POST.get("version", "").strip()
    if not posted:
        return None
    try:
        return int(posted)
    except ValueError:
        raise BadRequest(_("The version sent with the form is not a whole number.")) from None


def run_step(
    request,
    step: Callable[[], object],
    *,
    state_error: type[Exception],
    done: str,
    then: str,
    refused: str,
    conflict: type[Exception] | tuple[()] = (),
    show_conflict: Callable[[Exception], HttpResponse] | None = None,
) -> HttpResponse:
    """Run `step`; on success say `done` and go to `then`, else say why and go to `refused`.

    A `conflict` (the thing changed since the page was shown) is answered by `show_conflict`:
    the thing as it is now, with 409; nothing was done."""
    try:
        step()
    except state_error as error:
        messages.error(request, str(error))
        return redirect(refused)
    except conflict as error:
        return show_conflict(error)
    messages.success(request, done)
    return redirect(then)


def review_round_trip(
    request,
    form,
    publish_form,
    *,
    publish: Callable[[], object],
    give_back: Callable[[str], object],
    state_error: type[Exception],
    published: str,
    returned: str,
) -> HttpResponse | None:
    """A POST of the review page: "publish" (once `publish_form`'s confirmation is ticked), or
    return with the form's reason. Returns the redirect to the queue once done, or None to show
    the page again (with the forms' errors). `published` may be safe HTML (a link to the public
    page)."""
    if request.method != "POST":
        return None
    queue = "workspace:review-queue"
    if "publish" in request.POST:
        if not publish_form.is_valid():
            return None
        step, done = publish, published
    elif form.is_valid():
        step, done = (lambda: give_back(form.cleaned_data["reason"])), returned
    else:
        return None
    try:
        return run_step(
            request, step, state_error=state_error, done=done, then=queue, refused=queue
        )
    except ValidationError as error:
        # E.g. publishing an assessment of a country the recommendation no longer applies to:
        # said beside the button that was pressed.
        add_errors(publish_form if step is publish else form, error)
        return None
