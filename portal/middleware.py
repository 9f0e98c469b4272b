import time

from django.shortcuts import render
from django.utils.cache import patch_cache_control

# How often a busy session's expiry is pushed back. Writing on every request would cost two
# database statements per page; once a minute keeps the idle time-out within a minute of exact.
TOUCH_INTERVAL_SECONDS = 60


def touch_session_at_sign_in(sender, request, user, **kwargs):
    """Signing in writes the session anyway: note the time so the next page need not."""
    if request is not None and hasattr(request, "session"):
        request.session["_touched"] = int(time.time())


class IdleSessionMiddleware:
    """End sessions after SESSION_COOKIE_AGE without use, not after a fixed time signed in.

    Sits just after SessionMiddleware: marking the session modified makes that middleware save
    it, which sets a new expiry date.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if session.session_key and not session.is_empty():
            now = int(time.time())
            if now - session.get("_touched", 0) >= TOUCH_INTERVAL_SECONDS:
                session["_touched"] = now
        return response


class NoStoreForSignedInMiddleware:
    """Pages shown to someone signed in are never kept by a browser or a proxy.

    They hold personal data: without `no-store`, the next person at a shared or library computer
    could read them from the browser's cache or with the back button after the owner signed out.
    A view that chose its own Cache-Control (a download, say) keeps it. Public pages and static
    files, served to everyone alike, stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class MethodNotAllowedPageMiddleware:
    """Someone who opens a form's sending address from a bookmark, their history or a shared link
    gets a page that says what happened, where Django answers 405 with an empty page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.method == "HEAD":
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response["Allow"]
        return page
