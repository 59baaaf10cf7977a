"""Batch and transaction Bundles (https://hl7.org/fhir/R4/http.html#transaction).

A transaction is all or nothing: entries are processed in the order the specification prescribes (DELETE,
POST, PUT/PATCH, then GET/HEAD), `urn:uuid:` fullUrls become the new ids wherever they are referenced, and every
write lands through one batched plan. A batch processes each entry on its own.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.db import transaction

from kaari.fhir.outcome import outcome_from_error, outcome_information
from kaari.fhir.store.api import logical_id_check, new_id, resource_type_check, resource_validate
from kaari.fhir.store.errors import (
    InvalidRequest,
    InvalidResource,
    Issue,
    ResourceGone,
    ResourceNotFound,
    StoreError,
    UnprocessableResource,
)
from kaari.fhir.store.records import StoredResource
from kaari.fhir.store.repository import WritePlan, current_get_many
from kaari.lib.jsonpatch import PatchError, json_patch_apply
from kaari.lib.jsonutil import JsonError, json_dumps, json_loads

if TYPE_CHECKING:
    from kaari.fhir.outcome import outcome_from_error, outcome_information
from kaari.fhir.store.api import Store

METHOD_ORDER = {"DELETE": 0, "POST": 1, "PUT": 2, "PATCH": 2, "GET": 3, "HEAD": 3}
STATUS_TEXT = {200: "200 OK", 201: "201 Created", 204: "204 No Content", 304: "304 Not Modified"}


@dataclass
class EntryRequest:
    """One Bundle entry's request, parsed."""

    index: int
    method: str
    url: str
    resource_type: str
    logical_id: str | None = None
    version_id: str | None = None
    query: list[tuple[str, str]] = field(default_factory=list)
    full_url: str | None = None
    resource: dict[str, Any] | None = None
    if_match: int | None = None
    if_none_exist: str | None = None
    # A conditional create whose criteria found the resource: nothing is written.
    existing: StoredResource | None = None


@dataclass
class EntryResult:
    status: int
    stored: StoredResource | None = None
    outcome: dict[str, Any] | None = None
    resource: dict[str, Any] | None = None


def entry_error(index: int, exc: StoreError) -> StoreError:
    """The same error, its message and issue locations naming the entry."""
    prefix = f"Bundle.entry[{index}]"
    issues = [
        Issue(
            code=issue.code,
            diagnostics=f"entry {index}: {issue.diagnostics}",
            expression=f"{prefix}.resource.{issue.expression.split('.', 1)[-1]}"
            if issue.expression and "." in issue.expression
            else (f"{prefix}.resource" if issue.expression else prefix),
            severity=issue.severity,
        )
        for issue in exc.issues
    ]
    error = type(exc)(f"Bundle entry {index}: {exc.message}", issues=issues)
    return error


def if_match_parse(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    match = re.fullmatch(r'\s*(?:W/)?"?(\d+)"?\s*', value)
    if not match:
        raise InvalidRequest(f"If-Match '{value}' is not a version ETag such as W/\"3\"")
    return int(match.group(1))


def request_parse(index: int, entry: Any) -> EntryRequest:
    if not isinstance(entry, dict):
        raise InvalidRequest(f"Bundle entry {index} is not an object")
    request = entry.get("request")
    if not isinstance(request, dict):
        raise InvalidRequest(f"Bundle entry {index} has no request")
    method = str(request.get("method", "")).upper()
    if method not in METHOD_ORDER:
        raise InvalidRequest(f"Bundle entry {index} has an unknown method '{request.get('method')}'")
    url = str(request.get("url", ""))
    parts = urlsplit(url)
    path = parts.path.strip("/")
    segments = path.split("/") if path else []
    if not segments:
        raise InvalidRequest(f"Bundle entry {index} has no request.url")
    resource_type = segments[0]
    resource_type_check(resource_type)
    parsed = EntryRequest(
        index=index,
        method=method,
        url=url,
        resource_type=resource_type,
        query=parse_qsl(parts.query, keep_blank_values=True),
        full_url=entry.get("fullUrl"),
        resource=entry.get("resource"),
        if_match=if_match_parse(request.get("ifMatch")),
        if_none_exist=request.get("ifNoneExist"),
    )
    if len(segments) >= 2:
        parsed.logical_id = segments[1]
        logical_id_check(segments[1])
    if len(segments) == 4 and segments[2] == "_history":
        parsed.version_id = segments[3]
    elif len(segments) > 2:
        raise InvalidRequest(f"Bundle entry {index}: request.url '{url}' is not supported here")
    if method in ("POST", "PUT") and not isinstance(parsed.resource, dict):
        raise InvalidRequest(f"Bundle entry {index}: a {method} needs a resource")
    if method == "POST" and parsed.logical_id is not None:
        raise InvalidRequest(f"Bundle entry {index}: POST goes to the type, not to an id")
    if method in ("PUT", "PATCH", "DELETE") and parsed.logical_id is None and not parsed.query:
        raise InvalidRequest(f"Bundle entry {index}: {method} needs an id or search criteria")
    if parsed.query and method == "POST":
        raise InvalidRequest(f"Bundle entry {index}: a conditional create puts its criteria in ifNoneExist")
    if parsed.query and method in ("PUT", "PATCH", "DELETE") and parsed.logical_id is not None:
        raise InvalidRequest(f"Bundle entry {index}: {method} takes an id or search criteria, not both")
    if parsed.if_none_exist and method != "POST":
        raise InvalidRequest(f"Bundle entry {index}: ifNoneExist belongs to a POST")
    return parsed


def criteria_text(request: EntryRequest) -> str:
    return urlencode(request.query)


def bundle_entries(bundle: Any, expected_type: str) -> list[Any]:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise InvalidRequest("The body is not a Bundle")
    if bundle.get("type") != expected_type:
        raise InvalidRequest(f"Bundle.type is '{bundle.get('type')}', expected '{expected_type}'")
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise InvalidRequest("Bundle.entry is not a list")
    return entries


# The opening quote is matched rather than looked behind for: the literal `"urn:` lets the regex engine skip
# ahead instead of trying every position of the text, about three times faster.
_QUOTED_URN = re.compile(rb'"(urn:(?:uuid|oid):[^"\\]+)(?=\\?")')


_CONDITIONAL_REFERENCE = re.compile(rb'"reference":"([A-Z][A-Za-z]*\?[^"\\]*)"')


class ReferenceRewriter:
    """Replaces every string equal to a mapped fullUrl, and links to one inside narrative XHTML.

    Works on the serialised JSON: a fullUrl can only be replaced where it is a whole JSON string or a whole
    quoted attribute value in the narrative, which is exactly what a match between quotes finds.
    """

    def __init__(self, mapping: dict[str, str]) -> None:
        self.urns = {key.encode(): value.encode() for key, value in mapping.items() if key.startswith("urn:")}
        self.others = [(json_dumps(k), json_dumps(v)) for k, v in mapping.items() if not k.startswith("urn:")]

    def rewrite_text(self, text: bytes) -> bytes:
        if self.urns and b"urn:" in text:
            text = _QUOTED_URN.sub(self._urn_replace, text)
        for quoted, replacement in self.others:
            if quoted in text:
                text = text.replace(quoted, replacement)
        return text

    def _urn_replace(self, match: re.Match[bytes]) -> bytes:
        urn = match.group(1)
        return b'"' + self.urns.get(urn, urn)

    def rewrite(self, resource: dict[str, Any]) -> dict[str, Any]:
        return dict(json_loads(self.rewrite_text(json_dumps(resource))))


def conditional_references(text: bytes) -> set[str]:
    """The conditional references (`Patient?identifier=...`) in a serialised resource."""
    return {match.decode() for match in _CONDITIONAL_REFERENCE.findall(text)}


def references_rewrite(resource: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    return ReferenceRewriter(mapping).rewrite(resource)


def _resource_body(result: EntryResult) -> dict[str, Any] | None:
    if result.resource is not None:
        return result.resource
    if result.stored is not None and not result.stored.deleted:
        return result.stored.resource
    return None


def response_bundle(
    kind: str, requests: list[EntryRequest | None], results: list[EntryResult], *, base_url: str, prefer: str
) -> dict[str, Any]:
    entries = []
    for result in results:
        response: dict[str, Any] = {"status": STATUS_TEXT.get(result.status, str(result.status))}
        entry: dict[str, Any] = {}
        stored = result.stored
        if stored is not None:
            if result.status == 201:
                response["location"] = f"{stored.resource_type}/{stored.id}/_history/{stored.version_id}"
            response["etag"] = stored.etag
            response["lastModified"] = stored.last_modified
            if not stored.deleted:
                entry["fullUrl"] = f"{base_url}/{stored.resource_type}/{stored.id}"
        if result.outcome is not None:
            response["outcome"] = result.outcome
        wants_body = prefer == "representation" or (result.resource is not None)
        body = _resource_body(result) if wants_body else None
        if body is not None:
            entry["resource"] = body
        elif prefer == "OperationOutcome" and result.outcome is None and 200 <= result.status < 300:
            response["outcome"] = outcome_information(f"{result.status} for this entry")
        entry["response"] = response
        entries.append(entry)
    return {"resourceType": "Bundle", "type": f"{kind}-response", "entry": entries}


class TransactionProcessor:
    """Process one transaction Bundle atomically through the store's write pipeline."""

    def __init__(self, store: Store, *, read_entry: Callable[[EntryRequest], EntryResult]) -> None:
        self.store = store
        self.read_entry = read_entry

    def process(self, bundle: Any) -> tuple[list[EntryRequest | None], list[EntryResult]]:
        entries = bundle_entries(bundle, "transaction")
        requests: list[EntryRequest] = []
        for index, entry in enumerate(entries):
            try:
                requests.append(request_parse(index, entry))
            except StoreError as exc:
                raise entry_error(index, exc) from exc
        for request in requests:
            try:
                self._conditional_resolve(request)
            except StoreError as exc:
                raise entry_error(request.index, exc) from exc
        self._duplicates_check(requests)
        mapping = self._ids_assign(requests)
        rewriter = ReferenceRewriter(mapping) if mapping else None
        for request in requests:
            if request.resource is not None:
                try:
                    request.resource = self._references_resolve(request, rewriter)
                except StoreError as exc:
                    raise entry_error(request.index, exc) from exc
            if request.method in ("POST", "PUT"):
                try:
                    expected = request.resource_type
                    request.resource = resource_validate(request.resource, expected_type=expected)
                except StoreError as exc:
                    raise entry_error(request.index, exc) from exc
        results: dict[int, EntryResult] = {}
        with transaction.atomic():
            plans: list[tuple[EntryRequest, WritePlan, int]] = []
            ordered = sorted(requests, key=lambda r: (METHOD_ORDER[r.method], r.index))
            for request in ordered:
                if request.existing is not None:
                    results[request.index] = EntryResult(status=200, stored=request.existing)
                elif request.method == "DELETE" and request.logical_id is None:
                    results[request.index] = EntryResult(status=204)  # a conditional delete that matched nothing
            writes = [r for r in ordered if r.method not in ("GET", "HEAD") and r.index not in results]
            currents = current_get_many(
                [(r.resource_type, r.logical_id) for r in writes if r.logical_id is not None], for_update=True
            )
            for request in writes:
                try:
                    planned = self._plan(request, currents.get((request.resource_type, request.logical_id or "")))
                except StoreError as exc:
                    raise entry_error(request.index, exc) from exc
                if planned is None:
                    results[request.index] = EntryResult(status=204)
                else:
                    plans.append((request, planned[0], planned[1]))
            self.store.plans_apply([plan for _, plan, _ in plans])
            for request, plan, status in plans:
                results[request.index] = EntryResult(status=status, stored=plan.stored())
            for request in ordered:
                if request.method in ("GET", "HEAD"):
                    try:
                        results[request.index] = self.read_entry(request)
                    except StoreError as exc:
                        raise entry_error(request.index, exc) from exc
        stored = [r.stored for r in results.values() if r.stored is not None]
        self.store.gate.record(action="transaction", resources=stored)
        return list(requests), [results[r.index] for r in requests]

    @staticmethod
    def _duplicates_check(requests: list[EntryRequest]) -> None:
        seen: set[tuple[str, str]] = set()
        for request in requests:
            if request.logical_id is None or request.method in ("GET", "HEAD"):
                continue
            key = (request.resource_type, request.logical_id)
            if key in seen:
                raise InvalidRequest(f"{key[0]}/{key[1]} appears more than once in the transaction")
            seen.add(key)

    @staticmethod
    def _ids_assign(requests: list[EntryRequest]) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for request in requests:
            if request.method == "POST":
                request.logical_id = request.existing.id if request.existing is not None else new_id()
            if request.method in ("POST", "PUT") and request.full_url and request.logical_id:
                target = f"{request.resource_type}/{request.logical_id}"
                if request.full_url != target:
                    if request.full_url in mapping:
                        raise InvalidRequest(f"fullUrl {request.full_url} appears more than once")
                    mapping[request.full_url] = target
        return mapping

    def _conditional_resolve(self, request: EntryRequest) -> None:
        """Turn a conditional create, update, patch or delete into a plain one, by searching (before any write)."""
        store = self.store
        if request.method == "POST" and request.if_none_exist:
            request.existing = store.match(request.resource_type, request.if_none_exist)
            return
        if not request.query or request.method not in ("PUT", "PATCH", "DELETE"):
            return
        match = store.match(request.resource_type, criteria_text(request))
        if match is not None:
            request.logical_id = match.id
        elif request.method == "PUT":
            given = request.resource.get("id") if request.resource else None
            request.logical_id = str(given) if given else new_id()
        elif request.method == "PATCH":
            raise ResourceNotFound(f"{request.url} matches no resource to patch")
        if request.method == "PUT" and request.resource is not None:
            if request.resource.get("id") not in (None, request.logical_id):
                raise InvalidRequest(f"The resource id does not match the one {request.url} found")
            request.resource = {**request.resource, "id": request.logical_id}

    def _references_resolve(self, request: EntryRequest, rewriter: ReferenceRewriter | None) -> dict[str, Any]:
        """The entry's resource with fullUrls replaced by the new ids, and each conditional reference
        (`Patient?identifier=...`) by the one resource it finds. One serialisation, parsed again only if changed."""
        assert request.resource is not None
        original = json_dumps(request.resource)
        text = rewriter.rewrite_text(original) if rewriter is not None else original
        found = conditional_references(text) if request.existing is None else set()
        if found:
            replacements = {}
            for reference in found:
                resource_type, _, criteria = reference.partition("?")
                resource_type_check(resource_type)
                match = self.store.match(resource_type, criteria)
                if match is None:
                    raise InvalidRequest(f"The conditional reference {reference} matches no resource")
                replacements[reference] = f"{resource_type}/{match.id}"
            text = ReferenceRewriter(replacements).rewrite_text(text)
        return request.resource if text is original else dict(json_loads(text))

    def _plan(self, request: EntryRequest, current: StoredResource | None) -> tuple[WritePlan, int] | None:
        store = self.store
        assert request.logical_id is not None
        if request.method == "DELETE":
            if current is None or current.deleted:
                return None
            store.version_check(current, request.if_match)
            return store.deletion_plan(current), 204
        if request.method == "POST":
            assert request.resource is not None
            plan = store.write_plan(
                request.resource, logical_id=request.logical_id, current=None, method="POST", action="create"
            )
            return plan, 201
        if request.method == "PUT":
            assert request.resource is not None
            if request.resource.get("id") not in (None, request.logical_id):
                raise InvalidRequest(f"The resource id does not match {request.url}")
            store.version_check(current, request.if_match)
            action = "update" if current is not None and not current.deleted else "create"
            plan = store.write_plan(
                request.resource, logical_id=request.logical_id, current=current, method="PUT", action=action
            )
            return plan, 201 if action == "create" else 200
        # PATCH: a Binary resource holding a JSON Patch, or a Parameters (FHIRPath Patch) is not supported.
        if current is None:
            raise ResourceNotFound(f"{request.resource_type}/{request.logical_id} is not known")
        if current.deleted:
            raise ResourceGone(f"{request.resource_type}/{request.logical_id} has been deleted")
        store.version_check(current, request.if_match)
        document = _patch_document(request.resource)
        try:
            patched = json_patch_apply(current.resource, document)
        except PatchError as exc:
            raise UnprocessableResource(f"The patch cannot be applied: {exc}") from exc
        if not isinstance(patched, dict) or patched.get("id") != current.id:
            raise UnprocessableResource("A patch may not change the resource id")
        patched = resource_validate(patched, expected_type=request.resource_type)
        plan = store.write_plan(patched, logical_id=current.id, current=current, method="PATCH", action="update")
        return plan, 200


def _patch_document(resource: dict[str, Any] | None) -> Any:
    """A transaction PATCH carries its JSON Patch in a Binary resource (base64 data)."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "Binary":
        raise UnprocessableResource("A PATCH entry needs a Binary resource holding a JSON Patch document")
    try:
        return json_loads(base64.b64decode(resource.get("data", ""), validate=True))
    except (ValueError, JsonError) as exc:
        raise InvalidResource(f"The Binary does not hold a JSON Patch document: {exc}") from exc


def batch_entry_process(
    store: Store, request: EntryRequest, read_entry: Callable[[EntryRequest], EntryResult]
) -> EntryResult:
    """One batch entry through the ordinary store operations."""
    assert request.logical_id is not None or request.method == "POST" or request.method in ("GET", "HEAD")
    if request.method == "POST" and request.if_none_exist:
        result = store.conditional_create(
            request.resource, expected_type=request.resource_type, if_none_exist=request.if_none_exist
        )
        return EntryResult(status=200 if result.matched_existing else 201, stored=result.stored)
    if request.method == "POST":
        return EntryResult(
            status=201, stored=store.create(request.resource, expected_type=request.resource_type).stored
        )
    if request.method == "PUT" and request.logical_id is None:
        result = store.conditional_update(
            request.resource_type, criteria_text(request), request.resource, if_match=request.if_match
        )
        return EntryResult(status=201 if result.created else 200, stored=result.stored)
    if request.method == "DELETE" and request.logical_id is None:
        store.conditional_delete(request.resource_type, criteria_text(request))
        return EntryResult(status=204)
    if request.method == "PATCH" and request.logical_id is None:
        match = store.match(request.resource_type, criteria_text(request))
        if match is None:
            raise ResourceNotFound(f"{request.url} matches no resource to patch")
        request.logical_id = match.id
    if request.method == "PUT":
        assert request.logical_id is not None
        result = store.update(request.resource_type, request.logical_id, request.resource, if_match=request.if_match)
        return EntryResult(status=201 if result.created else 200, stored=result.stored)
    if request.method == "DELETE":
        assert request.logical_id is not None
        store.delete(request.resource_type, request.logical_id, if_match=request.if_match)
        return EntryResult(status=204)
    if request.method == "PATCH":
        assert request.logical_id is not None
        result = store.patch(
            request.resource_type,
            request.logical_id,
            _patch_document(request.resource),
            kind="json-patch",
            if_match=request.if_match,
        )
        return EntryResult(status=200, stored=result.stored)
    return read_entry(request)


def batch_process(
    store: Store, bundle: Any, read_entry: Callable[[EntryRequest], EntryResult]
) -> tuple[list[EntryRequest | None], list[EntryResult]]:
    entries = bundle_entries(bundle, "batch")
    requests: list[EntryRequest | None] = []
    results: list[EntryResult] = []
    for index, entry in enumerate(entries):
        try:
            request = request_parse(index, entry)
            requests.append(request)
            with transaction.atomic():
                results.append(batch_entry_process(store, request, read_entry))
        except StoreError as exc:
            if len(requests) == index:
                requests.append(None)
            results.append(EntryResult(status=exc.status, outcome=outcome_from_error(exc)))
    return requests, results


def instance_read(store: Store, request: EntryRequest, base_url: str = "") -> EntryResult:
    """GET of an instance, a version, or a search inside a Bundle."""
    if request.logical_id is None:
        from kaari.fhir.search.bundle import search_bundle
        from kaari.fhir.search.service import SearchRequest

        outcome = store.search(SearchRequest((request.resource_type,), tuple(request.query), base_url=base_url))
        bundle = search_bundle(outcome, base_url=base_url, path=request.resource_type, disclose=_disclosure(store))
        return EntryResult(status=200, resource=json_loads(json_dumps(bundle)))
    if request.version_id is not None:
        stored = store.vread(request.resource_type, request.logical_id, request.version_id)
    else:
        stored = store.read(request.resource_type, request.logical_id)
    resource = store.gate.disclose(stored.resource) if store.gate.needs_redaction(stored) else stored.resource
    return EntryResult(status=200, stored=stored, resource=resource)


def _disclosure(store: Store) -> Callable[[StoredResource], dict[str, Any] | None]:
    gate = store.gate

    def disclose(stored: StoredResource) -> dict[str, Any] | None:
        return gate.disclose(stored.resource) if gate.needs_redaction(stored) else None

    return disclose
