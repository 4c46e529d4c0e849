"""The queue's side of briefing packs: build one (idempotent: a pack already claimed or done is
left alone), and daily, remove the packs of older public-data generations."""

from celery import shared_task

from . import packs


@shared_task(acks_late=True)
def build_briefing_pack(pack_id: int) -> str | None:
    pack = packs.build_pack(pack_id)
    return pack.state if pack else None


@shared_task
def remove_old_briefing_packs() -> int:
    return packs.remove_old_packs()
