"""Pages kept whole until the records change.

A page that shows the same to the same person for the same address until the records change
(the national comparison, say) is worked out once, and sent again as it was while the records
stand as they were (`record_changes.records_version`). Where the process hears of every change
(`change_notices`), sending it again asks the database nothing.

What is kept is keyed by the session and the browser's CSRF cookie as well as the address: the
page holds a sign-out form whose token only that browser's cookie accepts, and it is only ever
sent back to the session it was worked out for. A page with a message to show is worked out
afresh, as is any page while no version can be given. A view whose page shows figures that may
be some minutes old says when they go stale (`response.fresh_until`), and the page is kept no
longer than they are.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from portal.core import record_changes


def kept_page(view):
    """Keep what `view` answers (200, not streamed) to a GET until the records change."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        session = request.session
        browser = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if request.method != "GET" or not session.session_key or not browser:
            return view(request, *args, **kwargs)
        version = record_changes.records_version()
        if version is None or len(messages.get_messages(request)):
            return view(request, *args, **kwargs)
        asked = (
            session.session_key,
            browser,
            request.get_full_path(),
            version,
            timezone.localdate().isoformat(),
        )
        key = "page:" + hashlib.sha256(repr(asked).encode()).hexdigest()
        found = cache.get(key)
        if found is not None:
            content, content_type = found
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming:
            return response
        fresh_until = getattr(response, "fresh_until", None)
        seconds = (
            record_changes.KEEP_SECONDS
            if fresh_until is None
            else (fresh_until - timezone.now()).total_seconds()
        )
        if seconds > 0:
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapped
