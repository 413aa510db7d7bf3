"""The HTTP API, version 1, mounted at /api/v1/ (see config/urls.py).

Every endpoint needs a personal API token (Authorization: Bearer …) or the
browser's login session; errors are mapped once in xieshang.core.api. The
OpenAPI 3.1 schema is at /api/v1/openapi.json and drives the contract tests;
the interactive docs at /api/v1/docs use the Swagger UI files shipped with
django-ninja, served as our own static files (strict CSP, no CDN).

An app adds its endpoints as a ninja Router in its api module, mounted below.
Its endpoints resolve the council with
xieshang.councils.api.scoping.council_actor(request, council_slug, Perm.X),
answer lists with xieshang.core.api.Page and paginate(), declare
ERROR_RESPONSES / WRITE_ERROR_RESPONSES, name their JSON body "payload", and
are named uniquely (the function name is the OpenAPI operationId).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase
from ninja.operation import Operation

from xieshang.accounts.api import API_AUTH
from xieshang.accounts.api import router as tokens_router
from xieshang.consultations.api import router as consultations_router
from xieshang.core.api import NormalisingParser, install_error_handlers
from xieshang.councils.api import router as councils_router
from xieshang.duty.api import router as duty_router
from xieshang.liaison.api import router as liaison_router
from xieshang.meetings.api import router as meetings_router
from xieshang.opinions.api import router as opinions_router
from xieshang.proposals.api import router as proposals_router
from xieshang.supervision.api import router as supervision_router
from xieshang.surveys.api import router as surveys_router
from xieshang.themes.api import router as themes_router

# The guide at the top of /api/v1/docs: authentication, versions, pagination,
# errors and a worked example (tests check that every path it names exists).
GUIDE = (Path(__file__).resolve().parent / "api_guide.md").read_text(encoding="utf-8")


class LocalSwagger(DocsBase):
    """Swagger UI from our static files, configured by a static script that
    reads its settings from a json_script block (no inline script)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
        }
        # json_script escapes the value for safe embedding; the round trip
        # keeps it plain JSON types.
        return render(
            request, "api/docs.html", {"api": api, "swagger_settings": json.loads(json.dumps(settings))}
        )


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Short, stable names for generated clients (list_members, not
        # xieshang_councils_api_members_list_members); endpoint function
        # names are unique across the API.
        return operation.view_func.__name__


api = Api(
    title="xieshang API",
    version="1",
    description=GUIDE,
    urls_namespace="api",
    auth=API_AUTH,
    docs=LocalSwagger(),
    parser=NormalisingParser(),
)
install_error_handlers(api)
api.add_router("", tokens_router)
api.add_router("", councils_router)
api.add_router("", meetings_router)
api.add_router("", opinions_router)
api.add_router("", proposals_router)
api.add_router("", duty_router)
api.add_router("", themes_router)
api.add_router("", consultations_router)
api.add_router("", liaison_router)
api.add_router("", supervision_router)
api.add_router("", surveys_router)
