"""The workspace's entry and client search: `/` sends a signed-out professional to sign in, a signed-in one to
the start page with the search box; `/clients?q=` answers the search (live under the box, or as a page)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kaari.access.authentication import session_principal
from kaari.access.pages import client_data_page
from kaari.access.persons import client_by_hetu
from kaari.fhir.store import Store
from kaari.workspace.selectors.clients import clients_find


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    principal = session_principal(request)
    if principal is None:
        if request.user.is_authenticated:  # password done, second factor not yet
            return HttpResponseRedirect("/signin/totp/setup")
        return HttpResponseRedirect("/signin?next=/")
    if not principal.is_professional:
        return HttpResponseRedirect("/account")
    return render(request, "workspace/start.html", {"query": ""})


@require_GET
@client_data_page
def clients(request: HttpRequest, *, store: Store) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    found = clients_find(store=store, query=query)
    live = request.headers.get("HX-Request") == "true"
    if not live and found.single_hetu_match is not None:
        return HttpResponseRedirect(f"/clients/{found.single_hetu_match.id}/")
    # An identity code of a client this user has no relationship with: the client exists, nothing more is shown,
    # and the chart's refusal page offers emergency access.
    unreachable = client_by_hetu(hetu=query.strip().upper()) if found.kind == "hetu" and not found.rows else None
    context = {"found": found, "query": query, "unreachable": unreachable}
    return render(request, "workspace/_client_results.html" if live else "workspace/clients.html", context)
