"""GCM objectives suggested for a paragraph that no heading assigns to one, from its words.

The method is a lexicon, written out below so that anyone can read why an objective was
suggested: each objective has terms taken from its title and from the wording of its actions in
the Global Compact. A term matches at the start of a word ("detain" matches "detained",
"detention"); a paragraph's score for an objective is the sum of the lengths, in words, of the
distinct terms it contains, so that "alternatives to detention" counts for more than "child".
The objectives suggested are those scoring at least half the best score (and at least
MIN_SCORE); staff see the scores in the preview and accept or change them. Nothing is learned
and nothing is downloaded: the same text always gets the same suggestion.
"""

import re
from functools import cache

# A paragraph scoring less than this for every objective gets no suggestion: it is listed as
# lacking objectives. One term is enough: on the seed, asking for two left 12 of 53 paragraphs
# without a suggestion and made none more right.
MIN_SCORE = 1
# Objectives scoring at least this share of the best score are suggested with it.
CLOSE_TO_BEST = 0.5
# How many scored objectives a paragraph keeps, for the preview.
SHOWN = 3
# A paragraph is read for its objectives up to this length: every term is looked for in turn, so
# the bound keeps a pathological "paragraph" of megabytes from taking seconds.
READ_CHARS = 5_000

LEXICON: dict[int, tuple[str, ...]] = {
    1: ("data", "disaggregated data", "statistic", "evidence-based policies", "survey", "research"),
    2: (
        "adverse drivers",
        "root causes",
        "structural factors",
        "poverty",
        "climate change",
        "natural disasters",
        "environmental degradation",
        "compel people to leave",
    ),
    3: (
        "accurate and timely information",
        "information campaign",
        "pre-departure",
        "awareness raising",
        "information centre",
        "misinformation",
    ),
    4: (
        "legal identity",
        "documentation",
        "identity document",
        "birth registration",
        "civil registr",
        "statelessness",
        "stateless",
        "nationality",
        "proof of identity",
    ),
    5: (
        "regular pathways",
        "pathways for regular migration",
        "visa",
        "labour mobility",
        "family reunification",
        "work permit",
        "regularization",
        "regularisation",
    ),
    6: (
        "recruitment",
        "decent work",
        "labour rights",
        "employer",
        "wage",
        "domestic worker",
        "migrant workers",
        "kafala",
        "labour inspection",
        "working conditions",
        "forced labour",
    ),
    7: (
        "vulnerabilit",
        "situations of vulnerability",
        "women and girls",
        "gender-sensitive",
        "gender-responsive",
        "unaccompanied",
        "disabilit",
        "psychosocial",
        "child migrants",
    ),
    8: (
        "missing migrants",
        "save lives",
        "search and rescue",
        "deceased",
        "human remains",
        "families of missing",
        "identify the dead",
        "tracing",
        "restoring family links",
    ),
    9: ("smuggling", "smuggled", "smuggler"),
    10: (
        "trafficking in persons",
        "trafficking",
        "trafficked",
        "victims of trafficking",
        "survivor-centered",
        "survivor-centred",
        "exploitation",
    ),
    11: (
        "border",
        "border management",
        "border governance",
        "border officials",
        "pushback",
        "integrated border",
        "border crossing",
    ),
    12: (
        "screening",
        "referral",
        "individual assessment",
        "migration procedures",
        "due process",
        "asylum procedures",
    ),
    13: (
        "detention",
        "detain",
        "immigration detention",
        "alternatives to detention",
        "deprivation of liberty",
        "measure of last resort",
        "detention centres",
        "detention centers",
    ),
    14: (
        "consular",
        "embassies",
        "embassy",
        "consulate",
        "home country",
        "consular protection",
        "country of origin authorities",
    ),
    15: (
        "basic services",
        "health care",
        "healthcare",
        "access to health",
        "education",
        "housing",
        "access to services",
        "firewall",
        "vaccin",
        "covid-19 testing",
    ),
    16: (
        "inclusion",
        "social cohesion",
        "integration",
        "empower",
        "host communities",
        "local communities",
        "language classes",
    ),
    17: (
        "discrimination",
        "xenophob",
        "racism",
        "racial profiling",
        "hate speech",
        "public discourse",
        "perceptions of migration",
        "media",
    ),
    18: (
        "skills",
        "skills development",
        "recognition of skills",
        "qualifications",
        "competences",
        "certification",
        "vocational",
    ),
    19: ("diaspora", "diasporas", "sustainable development", "contribute to development"),
    20: ("remittance", "financial inclusion", "transfer costs", "money transfer", "banking"),
    21: (
        "return",
        "readmission",
        "reintegration",
        "returnee",
        "deportation",
        "safe and dignified return",
        "forced returns",
    ),
    22: ("social security", "social protection", "portability", "pension", "earned benefits"),
    23: (
        "international cooperation",
        "partnership",
        "multilateral",
        "bilateral",
        "regional cooperation",
        "global partnerships",
        "knowledge sharing",
        "coordination",
    ),
}


@cache
def _patterns() -> dict[int, list[tuple[str, re.Pattern, int]]]:
    return {
        number: [
            (term, re.compile(r"(?<!\w)" + re.escape(term), re.IGNORECASE), len(term.split()))
            for term in terms
        ]
        for number, terms in LEXICON.items()
    }


def objective_scores(text: str) -> dict[int, tuple[int, tuple[str, ...]]]:
    """Objective → (score, the terms found), for every objective with a term in `text`."""
    scores = {}
    text = text[:READ_CHARS]
    for number, patterns in _patterns().items():
        found = tuple(term for term, pattern, _ in patterns if pattern.search(text))
        if found:
            weights = {term: weight for term, _, weight in patterns}
            scores[number] = (sum(weights[term] for term in found), found)
    return scores


def objectives_suggested(text: str) -> tuple[tuple[int, float], ...]:
    """Up to SHOWN (objective, score) pairs, best first, suggested for `text`; () for none.

    The score is the share of the paragraph's lexicon matches that point to that objective
    (from 0 to 1), so that staff can compare suggestions across paragraphs.
    """
    scores = objective_scores(text)
    if not scores:
        return ()
    best = max(score for score, _ in scores.values())
    if best < MIN_SCORE:
        return ()
    total = sum(score for score, _ in scores.values())
    ranked = sorted(scores.items(), key=lambda item: (-item[1][0], item[0]))
    return tuple(
        (number, round(score / total, 2))
        for number, (score, _) in ranked[:SHOWN]
        if score >= max(MIN_SCORE, best * CLOSE_TO_BEST)
    )
