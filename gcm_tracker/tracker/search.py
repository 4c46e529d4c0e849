"""Searching report paragraphs (recommendations, good practices) in the active language.

A search looks in the English source text, which every paragraph has, and in the translation of
the language the request is in (tracker.translation), so that untranslated paragraphs stay
findable from every language:

- English: PostgreSQL full-text search with the `english` configuration, as before.
- French and Russian: the same with the `french` or `russian` configuration over the
  translation (stemming: "migrants" finds "migrant", «мигрантов» finds «мигранта»), or the
  English one over the source.
- Chinese, written without spaces between words, has no stemmer in PostgreSQL: its translation
  is indexed as overlapping pairs of characters (tracker_bigrams(), migration 0029), and a word
  searched is every pair of its characters in a row, so any substring of two characters or more
  is found with the index ("移民" in "国际移民组织"). A word of one character matches the pairs
  that begin with it.

On SQLite every word must occur, case-insensitively (ASCII only: SQLite's LIKE), in the source,
the translation or the reference.

The expressions below are those of the GIN indexes of migrations 0004 (English) and 0029 (the
others) on tracker_recommendation; keep them alike, or PostgreSQL reads every row.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Func, Q, QuerySet, TextField

from .translation import SOURCE_LANGUAGE, column, content_language

SOURCE_CONFIG = "english"
# Content languages whose translations PostgreSQL stems, with its configuration for each.
STEMMED = {"fr": "french", "ru": "russian"}
# Content languages written without spaces: searched by pairs of characters.
BIGRAMMED = {"zh-hans"}
BIGRAM_CONFIG = "simple"


class Bigrams(Func):
    """tracker_bigrams(text): the text's overlapping pairs of characters, separated by spaces
    ("国际移民" → "国际 际移 移民 民"), a PostgreSQL function of migration 0029."""

    function = "tracker_bigrams"
    output_field = TextField()


def bigram_query(text: str) -> SearchQuery | None:
    """Every word of `text` as a phrase of its pairs of characters ("移民组织" → 移民 <-> 民组
    <-> 组织), all of them required; a word of one character as a prefix. None when `text` has
    no word. Words are letters and digits only, so nothing typed is read as query syntax."""
    query = None
    for word in re.findall(r"\w+", text.lower()):
        if len(word) == 1:
            part = SearchQuery(f"{word}:*", search_type="raw", config=BIGRAM_CONFIG)
        else:
            pairs = " ".join(word[i : i + 2] for i in range(len(word) - 1))
            part = SearchQuery(pairs, search_type="phrase", config=BIGRAM_CONFIG)
        query = part if query is None else query & part
    return query


def search_condition(
    queryset: QuerySet, text: str, *, as_you_type: bool = False
) -> tuple[QuerySet, Q]:
    """PostgreSQL only: `queryset` with the aliases a search needs, and the condition that a
    paragraph's source text or its translation into the active language matches `text` (the
    module's docstring). `as_you_type` reads `text` as every word, the last perhaps only begun
    (the choosers); otherwise it has web-search syntax ("quoted phrases", -exclusions, or)."""
    if as_you_type:
        tsquery = as_you_type_tsquery(text)
        if tsquery is None:
            return queryset, Q(pk__in=[])

        def words(config: str) -> SearchQuery:
            return SearchQuery(tsquery, search_type="raw", config=config)
    else:

        def words(config: str) -> SearchQuery:
            return SearchQuery(text, search_type="websearch", config=config)

    queryset = queryset.alias(search_source=SearchVector("text", config=SOURCE_CONFIG))
    condition = Q(search_source=words(SOURCE_CONFIG))
    language = content_language()
    translation = column("text", language)
    if language in STEMMED:
        vector = SearchVector(translation, config=STEMMED[language])
        query = words(STEMMED[language])
    elif language in BIGRAMMED and (query := bigram_query(text)) is not None:
        vector = SearchVector(Bigrams(translation), config=BIGRAM_CONFIG)
    else:
        return queryset, condition
    return queryset.alias(search_translation=vector), condition | Q(search_translation=query)


def as_you_type_tsquery(text: str) -> str | None:
    """Every word of `text`, the last as a prefix ("labour migra" → "labour & migra:*"): a raw
    tsquery for a search made while typing, None when it has no word. Words are only letters and
    digits, so nothing typed is read as query syntax."""
    words = re.findall(r"\w+", text)
    if not words:
        return None
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


def words_contained(queryset: QuerySet, text: str) -> QuerySet:
    """The plain search (SQLite): paragraphs in which every word of `text` occurs in the
    source, the active language's translation or the reference."""
    language = content_language()
    fields = ["text", "reference"]
    if language != SOURCE_LANGUAGE:
        fields.append(column("text", language))
    for word in text.split():
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def is_postgresql(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"
