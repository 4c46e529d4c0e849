"""The status colours of static/css/site.css, measured: neighbouring statuses (as they meet in a
stacked bar and follow each other in a legend) differ by at least 3:1 in WCAG contrast, and the
text on each fill reads at 4.5:1 or more."""

import re
from itertools import pairwise
from pathlib import Path

import pytest

from gcm_tracker.tracker.enums import RecommendationStatus

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "site.css").read_text()


def _colour(name: str) -> str:
    found = re.findall(rf"--{re.escape(name)}:\s*(#[0-9a-fA-F]{{6}})\s*;", CSS)
    assert len(found) == 1, f"--{name} should be defined once in site.css, found {found}"
    return found[0]


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    # WebAIM's checker: #0069a6 on white is 5.9:1.
    assert contrast("#0069a6", "#ffffff") == pytest.approx(5.9, abs=0.05)


@pytest.mark.parametrize(("left", "right"), list(pairwise(RecommendationStatus.values)))
def test_neighbouring_status_colours_differ_by_at_least_3_to_1(left, right):
    ratio = contrast(_colour(f"status-{left}"), _colour(f"status-{right}"))
    assert ratio >= 3.0, f"{left} next to {right}: {ratio:.2f}:1"


@pytest.mark.parametrize("status", RecommendationStatus.values)
def test_text_on_each_status_fill_reads_at_4_5_to_1(status):
    ratio = contrast(_colour(f"status-{status}"), _colour(f"status-text-{status}"))
    assert ratio >= 4.5, f"text on {status}: {ratio:.2f}:1"


def test_every_status_has_its_fill_and_text_rules():
    for status in RecommendationStatus.values:
        assert f".status-{status} {{ background: var(--status-{status});" in CSS
        text_rule = f".abbr.status-{status} {{ color: var(--status-text-{status}); }}"
        assert f".badge.status-{status}, {text_rule}" in CSS
