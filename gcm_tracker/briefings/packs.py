"""Asking for a pack and building it.

request_pack() is what the web request does: find the pack for the key (subject, period,
format, language, current public-data generation) or create it, and queue its build once the
row is committed; it never builds. build_pack() is what the worker does (briefings.tasks): it
claims the row (QUEUED → RUNNING, so two workers never build one pack), reads the content, writes
the file under settings.BRIEFING_PACK_DIR and marks it READY, or FAILED with the error.
"""

import datetime
import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from gcm_tracker.tracker.cache import public_generation

from . import content, render, subjects
from .models import BriefingPack, PackFormat, PackState

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    PackFormat.PDF: "application/pdf",
    PackFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    PackFormat.HTML: "text/html; charset=utf-8",
}
RENDERERS = {
    PackFormat.PDF: render.pdf,
    PackFormat.DOCX: render.docx,
    PackFormat.HTML: lambda data: render.html(data).encode(),
}
# A pack RUNNING for longer than this had its worker die: asking again builds it afresh.
STALLED_AFTER = datetime.timedelta(minutes=30)


def pack_dir() -> Path:
    return Path(settings.BRIEFING_PACK_DIR)


def request_pack(
    *, subject: subjects.Subject, start, end, fmt: str, language: str
) -> tuple[BriefingPack, bool]:
    """The pack for this key at the current generation, and whether a build was queued now."""
    key = {
        "kind": subject.kind,
        "subject": subject.key,
        "start": start,
        "end": end,
        "format": fmt,
        "language": language,
        "generation": public_generation(),
    }
    with transaction.atomic():
        pack = BriefingPack.objects.select_for_update().filter(**key).first()
        if pack is None:
            try:
                with transaction.atomic():
                    pack = BriefingPack.objects.create(**key)
            except IntegrityError:  # another request created it just now
                return BriefingPack.objects.get(**key), False
        elif not _needs_build(pack):
            return pack, False
        else:
            pack.state, pack.progress, pack.error, pack.file = PackState.QUEUED, 0, "", ""
            pack.created_at = timezone.now()
            pack.save()
        transaction.on_commit(lambda: _queue(pack.pk))
    return pack, True


def _needs_build(pack: BriefingPack) -> bool:
    if pack.state == PackState.FAILED:
        return True
    if pack.state == PackState.READY:
        return not (pack_dir() / pack.file).is_file()  # the file was cleaned away
    return pack.created_at < timezone.now() - STALLED_AFTER


def _queue(pack_id: int) -> None:
    from .tasks import build_briefing_pack

    try:
        build_briefing_pack.delay(pack_id)
    except Exception:
        logger.exception("Could not queue briefing pack %s.", pack_id)
        BriefingPack.objects.filter(pk=pack_id).update(
            state=PackState.FAILED, error="The task queue could not be reached."
        )


def _claim(pack_id: int) -> BriefingPack | None:
    with transaction.atomic():
        pack = BriefingPack.objects.select_for_update().filter(pk=pack_id).first()
        if pack is None or pack.state != PackState.QUEUED:
            return None  # gone, done, or another worker has it
        pack.state, pack.started_at, pack.progress = PackState.RUNNING, timezone.now(), 5
        pack.save(update_fields=["state", "started_at", "progress"])
    return pack


def build_pack(pack_id: int) -> BriefingPack | None:
    """Build the pack if it is waiting; None when there was nothing to do."""
    pack = _claim(pack_id)
    if pack is None:
        return None

    def progress(percent: int) -> None:
        BriefingPack.objects.filter(pk=pack.pk).update(progress=percent)

    try:
        with translation.override(pack.language):
            subject = subjects.resolve(pack.kind, pack.subject)
            data = content.build(
                subject, pack.start, pack.end, generation=pack.generation, progress=progress
            )
            data_bytes = RENDERERS[pack.format](data)
        progress(90)
        name = f"pack-{pack.pk}-{uuid.uuid4().hex[:12]}.{pack.format}"
        directory = pack_dir()
        directory.mkdir(parents=True, exist_ok=True)
        partial = directory / f".{name}.part"
        partial.write_bytes(data_bytes)
        os.replace(partial, directory / name)  # readers see the whole file or none
    except subjects.UnknownSubject:
        _fail(pack, "The subject no longer exists.")
        return pack
    except Exception as exc:
        logger.exception("Briefing pack %s failed.", pack.pk)
        _fail(pack, f"{type(exc).__name__}: {exc}"[:500])
        raise
    pack.state, pack.file, pack.progress = PackState.READY, name, 100
    pack.finished_at = timezone.now()
    pack.save(update_fields=["state", "file", "progress", "finished_at"])
    return pack


def _fail(pack: BriefingPack, error: str) -> None:
    pack.state, pack.error, pack.finished_at = PackState.FAILED, error, timezone.now()
    pack.save(update_fields=["state", "error", "finished_at"])


def remove_old_packs() -> int:
    """Delete packs made for an older generation than the current one, and their files (the
    beat runs it daily); returns how many."""
    current = public_generation()
    old = list(BriefingPack.objects.filter(generation__lt=current).exclude(state=PackState.RUNNING))
    for pack in old:
        if pack.file:
            (pack_dir() / pack.file).unlink(missing_ok=True)
    BriefingPack.objects.filter(pk__in=[p.pk for p in old]).delete()
    return len(old)
