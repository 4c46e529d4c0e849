"""Answers to token-authenticated requests are private to the token's user."""

from django.http import HttpRequest, HttpResponse


class TokenAnswersAreNotStoredMiddleware:
    """`Cache-Control: private, no-store` on every answer to a request a token authenticated: it
    may hold an organisation's drafts, and no shared or browser cache may keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "authenticated_by_token", False):
            response["Cache-Control"] = "private, no-store"
        return response
