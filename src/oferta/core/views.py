"""Site-wide views: the Spanish CSRF failure page."""

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    # The reason is for developers; users get a plain explanation in Spanish.
    return render(request, "403_csrf.html", status=403)
