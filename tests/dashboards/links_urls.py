"""A URLconf for tests/dashboards/test_links.py: a route whose converter changes the value it
puts into the address."""

from django.http import HttpResponse
from django.urls import path, register_converter


class UpperCaseConverter:
    regex = "[A-Za-z]+"

    def to_python(self, value: str) -> str:
        return value.lower()

    def to_url(self, value: str) -> str:
        return value.upper()


register_converter(UpperCaseConverter, "test-upper-case")

urlpatterns = [
    path("codes/<test-upper-case:code>/", lambda request, code: HttpResponse(code), name="code")
]
