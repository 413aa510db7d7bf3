from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xieshang.councils.models import Council


@login_required
def council_tree(request: HttpRequest) -> HttpResponse:
    """The province → city → county tree, for the platform administrator."""
    if not request.user.is_superuser:
        raise PermissionDenied
    roots = Council.objects.filter(parent__isnull=True).prefetch_related("children__children")
    return render(request, "councils/platform/tree.html", {"roots": roots})
