"""What README.md and docs/ promise about the repository itself holds (issue 14, item 24)."""

import ast
import re

from django.conf import settings

ROOT = settings.BASE_DIR


def _text(path: str) -> str:
    return " ".join((ROOT / path).read_text(encoding="utf-8").split())


def test_readme_names_the_languages_the_settings_offer():
    # The README said the site was in English only; issue 17 added French, Russian and Chinese.
    readme = _text("README.md")
    assert [code for code, _name in settings.LANGUAGES] == ["en", "fr", "ru", "zh-hans"]
    assert (
        "The interface is in ESCAP's languages: English, French, Russian and Simplified Chinese."
        in readme
    )
    assert "`?lang=` parameter (`en`, `fr`, `ru`, `zh-hans`," in readme
    assert (ROOT / "docs" / "translating.md").exists()
    assert "English only" not in readme


def _variables_read_by_the_benchmark() -> set[str]:
    tree = ast.parse((ROOT / "bench" / "run.py").read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and ast.unparse(node.func) in {"os.environ.get", "os.getenv"}
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_every_variable_the_benchmark_reads_is_documented():
    # BENCH_POSTGRES was read by bench/run.py and documented nowhere.
    read = _variables_read_by_the_benchmark()

    assert read == {"BENCH_POSTGRES"}
    for document in ["README.md", "docs/performance.md"]:
        assert [f"`{name}`" in _text(document) for name in sorted(read)] == [True]


def test_every_manage_py_command_the_readme_names_exists():
    # README points newcomers at commands (demo, list_organisations, create_contributor…).
    from django.core.management import get_commands

    named = set(re.findall(r"python manage\.py ([a-z_]+)", _text("README.md")))

    assert {"demo", "list_organisations", "create_contributor"} <= named
    assert sorted(named - set(get_commands())) == []


def test_every_make_target_the_readme_names_exists():
    targets = set(
        re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    )
    named = set(re.findall(r"`make ([a-z-]+)", _text("README.md")))

    assert {"run", "demo", "seed", "test"} <= named
    assert sorted(named - targets) == []


def test_readme_tour_names_the_demo_accounts_and_organisations():
    from gcm_tracker.tracker import demo

    text = _text("README.md")
    for name in (demo.STAFF_USERNAME, *demo.CONTRIBUTOR_USERNAMES):
        assert f"`{name}`" in text
    assert demo.ORGANISATIONS == ("aprrn", "apmm")
    assert "`demo-contributor-1` (Asia Pacific Refugee Rights Network)" in text
    assert "`demo-contributor-2` (Asia Pacific Mission for Migrants)" in text
    assert "`make run PORT=8006` serves http://127.0.0.1:8006/" in text


def test_readme_says_how_far_the_workspace_counts():
    # README said a filtered list counted to 500 after paging.py had come to count only to the
    # end of the next page.
    from gcm_tracker.workspace.paging import COUNT_LIMIT, FILTERED_PAGES_AHEAD

    assert (COUNT_LIMIT, FILTERED_PAGES_AHEAD) == (10_000, 1)
    assert (
        'counts stop at 10,000 ("more than"), and while a filter is in use at the end of the '
        'next page ("Page 1 of more than 2")'
    ) in _text("README.md")
