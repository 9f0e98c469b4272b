from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def server_error(request):
    # Rendered without the request context: whatever broke may be in a context processor.
    return render(request, "500.html", status=500)
