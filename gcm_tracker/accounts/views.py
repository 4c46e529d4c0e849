from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import AccountRequestForm


def account_request(request):
    """The public form an organisation uses to ask for a contributor account."""
    form = AccountRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("Thank you. ESCAP staff will review your request and reply by e-mail."),
        )
        return redirect("dashboards:dashboard")
    return render(request, "accounts/request_form.html", {"form": form})
