"""What README.md and docs/ promise about the repository itself holds (issue 14, item 24)."""

import ast

from django.conf import settings

ROOT = settings.BASE_DIR


def _text(path: str) -> str:
    return " ".join((ROOT / path).read_text(encoding="utf-8").split())


def test_readme_says_english_only_while_there_are_no_translations():
    # The README said the other languages "follow in locale/", which did not exist.
    translations = sorted(p.name for p in (ROOT / "locale").glob("*/LC_MESSAGES/django.po"))

    assert translations == []
    assert "the site is in English only for now: there are no translations yet." in _text(
        "README.md"
    )
    assert "follow in `locale/`" not in _text("README.md")


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
