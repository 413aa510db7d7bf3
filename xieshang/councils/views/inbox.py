"""The user's inbox in one council: list, open a message, mark all read."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.notifications import mark_all_read, mark_read
from xieshang.councils.queries import access_notification, inbox_of
from xieshang.councils.tenancy import CouncilRequest, council_view


@council_view(None)
def inbox(request: CouncilRequest) -> HttpResponse:
    """The user's messages in this council, newest first."""
    page = Paginator(inbox_of(request.actor), 20).get_page(request.GET.get("page"))
    return render(request, "councils/inbox.html", {"page": page})


@council_view(None)
def open_message(request: CouncilRequest, notification_id: int) -> HttpResponse:
    """Mark the message read and follow its link (back to the inbox when it
    has none, or when the link leaves the site)."""
    notification = access_notification(request.actor, notification_id)
    mark_read(notification, user=request.user)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(reverse("councils:inbox", kwargs={"council_slug": request.council.slug}))


@require_POST
@council_view(None)
def read_all(request: CouncilRequest) -> HttpResponse:
    """Mark every unread message in this council read."""
    count = mark_all_read(user=request.user, council=request.council)
    if count:
        messages.success(request, _("All messages are marked as read."))
    return redirect(reverse("councils:inbox", kwargs={"council_slug": request.council.slug}))
