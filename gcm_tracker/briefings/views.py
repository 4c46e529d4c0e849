"""Briefing pack pages: the form (GET, shareable), asking for a pack (POST: rate-limited, CSRF),
the progress page (reloads itself until the pack is ready, no JavaScript) and the download (a
web page pack opens in the browser, to read or print).

No view reads a pack's content or builds a file: the worker does (briefings.tasks), so a large
pack never holds a web worker."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from gcm_tracker.accounts.rate_limits import Limit, rate_limited

from . import packs
from .forms import PackForm
from .models import BriefingPack, PackFormat, PackState

# Asking for packs: per client address (account_field: the subject asked for).
PACK_REQUESTS = Limit("briefing-pack", "subject", per_address=20, per_account=60, window=60 * 60)
# Seconds between refreshes of the progress page.
REFRESH_SECONDS = 3


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited(PACK_REQUESTS)
def pack_form(request):
    if request.method == "POST":
        form = PackForm(request.POST)
        if form.is_valid():
            pack, _queued = packs.request_pack(
                subject=form.cleaned_data["subject"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                fmt=form.cleaned_data["format"],
                language=translation.get_language(),
            )
            return redirect("briefings:pack-status", pk=pack.pk)
        return render(request, "briefings/form.html", {"form": form}, status=400)
    form = PackForm(request.GET or None)
    chosen = form.is_bound and form.is_valid()
    status = 400 if form.is_bound and not chosen else 200
    context = {"form": form, "chosen": chosen}
    if chosen:
        context["format_label"] = PackFormat(form.cleaned_data["format"]).label
    return render(request, "briefings/form.html", context, status=status)


@require_safe
def pack_status(request, pk):
    """While the pack is being made, the page asks the browser to load it again every few
    seconds: by the HTTP Refresh header, which every browser follows without JavaScript (a
    <meta> refresh does the same, but axe counts it against WCAG 2.2.1), with a link that turns
    it off (?refresh=off) for anyone who needs the page to stay put."""
    pack = get_object_or_404(BriefingPack, pk=pk)
    refresh = None if pack.done or request.GET.get("refresh") == "off" else REFRESH_SECONDS
    response = render(request, "briefings/status.html", {"pack": pack, "refresh": refresh})
    if refresh:
        response["Refresh"] = str(refresh)
    return response


@require_safe
def pack_download(request, pk):
    pack = get_object_or_404(BriefingPack, pk=pk, state=PackState.READY)
    path = packs.pack_dir() / pack.file
    if not pack.file or not path.is_file():
        raise Http404(_("This pack's file is no longer kept; ask for the pack again."))
    subject = pack.subject.lower()
    name = f"gcm-tracker-{pack.kind}-{subject}-{pack.start:%Y%m%d}-{pack.end:%Y%m%d}.{pack.format}"
    return FileResponse(
        path.open("rb"),
        # The web page opens in the browser; the files are saved.
        as_attachment=pack.format != PackFormat.HTML,
        filename=name,
        content_type=packs.CONTENT_TYPES[pack.format],
    )
