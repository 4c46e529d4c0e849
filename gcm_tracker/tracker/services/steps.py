"""The workflow steps' names as they fill "This action is “Draft”, so it cannot be %(step)s.":
one word in English for both a field label and a step ("submitted"), so each carries a context
of its own for translators, where the word may take another form."""

from django.utils.translation import pgettext_lazy

EDITED = pgettext_lazy("workflow step: it cannot be …", "edited")
SUBMITTED = pgettext_lazy("workflow step: it cannot be …", "submitted")
WITHDRAWN = pgettext_lazy("workflow step: it cannot be …", "withdrawn")
PUBLISHED = pgettext_lazy("workflow step: it cannot be …", "published")
RETURNED = pgettext_lazy("workflow step: it cannot be …", "returned")
