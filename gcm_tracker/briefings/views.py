"""Briefing pack pages: the form (GET, shareable), asking for a pack (POST: rate-limited, CSRF),
the progress page (refreshes itself with a meta refresh until the pack is ready, no JavaScript),
the download, and the same pack as a web page that prints well from the browser.

No view builds a file: the worker does (briefings.tasks). The print view reads the same capped
content as the file, a fixed number of queries whatever the data, and is cached like other
public pages."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from gcm_tracker.accounts.rate_limits import Limit, rate_limited
from gcm_tracker.dashboards.page_cache import public_page
from gcm_tracker.tracker.cache import public_generation

from . import content, packs
from . import render as rendering
from .forms import PackForm
from .models import BriefingPack, PackState

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
    return render(request, "briefings/form.html", {"form": form, "chosen": chosen}, status=status)


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
        as_attachment=True,
        filename=name,
        content_type=packs.CONTENT_TYPES[pack.format],
    )


@require_safe
@public_page
def pack_print(request):
    form = PackForm(request.GET)
    if not form.is_valid():
        return render(request, "briefings/form.html", {"form": form}, status=400)
    data = content.build(
        form.cleaned_data["subject"],
        form.cleaned_data["start"],
        form.cleaned_data["end"],
        generation=public_generation(),
    )
    return HttpResponse(rendering.html(data))
