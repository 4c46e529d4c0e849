"""A provisional short title for an imported paragraph, which staff then edit in the admin."""

from gcm_tracker.tracker.models import SHORT_TITLE_MAX_LENGTH

ELLIPSIS = "…"


def provisional_title(text: str, limit: int = SHORT_TITLE_MAX_LENGTH) -> str:
    """The paragraph's first sentence if it fits in `limit` characters, else its first words cut
    at a word boundary with an ellipsis (always within `limit`)."""
    words = " ".join(text.split())
    first_sentence = words.split(". ", 1)[0].rstrip(".")
    if len(first_sentence) <= limit:
        return first_sentence
    cut = words[: limit - len(ELLIPSIS) + 1]
    # Back to the last whole word (a single word longer than the limit is cut where it must).
    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut[: limit - len(ELLIPSIS)]
    return cut.rstrip(" ,;:–-") + ELLIPSIS
