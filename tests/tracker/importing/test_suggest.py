"""Objectives suggested from a paragraph's words: the lexicon's method, and how often it is right
on the seed report (the figures the README gives)."""

from gcm_tracker.tracker.importing.suggest import (
    LEXICON,
    objective_scores,
    objectives_suggested,
)

from .reports import fixture_paragraphs


def test_objective_scores_counts_each_terms_words_and_names_the_terms_found():
    text = (
        "Governments should end child immigration detention and develop alternatives to detention."
    )

    assert objective_scores(text) == {
        13: (1 + 2 + 3, ("detention", "immigration detention", "alternatives to detention")),
    }


def test_objectives_suggested_keeps_objectives_near_the_best_with_their_share_of_the_matches():
    # 10: "trafficking" and "victims of trafficking" (4); 9: "smuggled" (1); 13: "detain" (1).
    text = "Smuggled migrants and victims of trafficking should not be detained."
    both = "Detention at the border should end."

    assert objectives_suggested(text) == ((10, 0.67),)
    assert objectives_suggested(both) == ((11, 0.5), (13, 0.5))


def test_objectives_suggested_gives_nothing_for_text_without_a_term():
    assert objectives_suggested("Something should be done.") == ()


def test_lexicon_covers_the_23_objectives():
    assert sorted(LEXICON) == list(range(1, 24))


def test_objectives_suggested_on_the_seed_report_matches_the_readme():
    top = some = none = 0
    for _, objectives, text in fixture_paragraphs().values():
        suggested = [number for number, _ in objectives_suggested(text)]
        top += bool(suggested) and suggested[0] in objectives
        some += bool(set(suggested) & set(objectives))
        none += not suggested

    assert (len(fixture_paragraphs()), top, some, none) == (53, 34, 42, 1)
