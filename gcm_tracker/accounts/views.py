from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from gcm_tracker.i18n import profiles
from gcm_tracker.i18n.middleware import set_language_cookie
from gcm_tracker.tracker.services import api_token_create, api_token_of, api_token_revoke

from .forms import AccountRequestForm, LanguageForm
from .models import Profile


def account_request(request):
    """The public form an organisation uses to ask for a contributor account."""
    form = AccountRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.is_authenticated:
            form.instance.requested_by = request.user
        form.instance.language = translation.get_language()
        form.save()
        messages.success(
            request,
            _("Thank you. ESCAP staff will review your request and reply by e-mail."),
        )
        return redirect("dashboards:dashboard")
    return render(request, "accounts/request_form.html", {"form": form})


@login_required
def api_token(request):
    """The signed-in user's token for the API: create or replace it, or revoke it. A new key is
    shown once, in the answer to the POST that made it (never cached); afterwards the page only
    says that a token exists and since when."""
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            api_token_revoke(user=request.user)
            messages.success(request, _("Your API token was revoked."))
            return redirect("accounts:api_token")
        new_key = api_token_create(user=request.user)
    response = render(
        request,
        "accounts/api_token.html",
        {"token": api_token_of(request.user), "new_key": new_key},
    )
    if new_key:
        add_never_cache_headers(response)
    return response


@login_required
def language(request):
    """The signed-in user's language for pages and e-mails. Saving it also sets the language
    cookie (which comes first for pages), so that the choice shows at once in this browser."""
    profile = Profile.objects.filter(user=request.user).first() or Profile(user=request.user)
    # Bound on any POST: an empty one chooses no language, which is a valid choice.
    form = LanguageForm(request.POST if request.method == "POST" else None, instance=profile)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["language"]
        profiles.save(request.user, chosen)
        request.session[profiles.SESSION_KEY] = chosen
        with translation.override(chosen or translation.get_language()):
            messages.success(request, _("Your language was saved."))
        response = redirect("accounts:language")
        if chosen:
            set_language_cookie(response, chosen)
        else:
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
    return render(request, "accounts/language.html", {"form": form})
