"""The public pages of every published list (no account needed).

They read published versions (``reading.published_lists``), never the register: the
unfiltered list is served as rendered at publication time, with an ETag and
Last-Modified; searching and filtering work on the version's content in memory. Each
URL names its list (``urls.patterns``)."""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from . import lists
from .models import Publication
from .publishing import request_documents
from .reading import Version, published_lists
from .rendering import page_context

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
FILE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def visitor_language(request) -> str:
    """``?lang=`` when given (the public pages' switcher), else what LocaleMiddleware chose."""
    requested = request.GET.get("lang", "")
    if requested in LANGUAGE_CODES:
        translation.activate(requested)
        return requested
    return translation.get_language() or settings.LANGUAGE_CODE


def _remember_language(request, response, language: str):
    if (
        request.GET.get("lang") in LANGUAGE_CODES
        and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
    ):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        )
    response["Vary"] = "Accept-Language, Cookie"
    return response


def _current_or_404(published_list, side_code: str) -> Version:
    version = published_lists.current(published_list, side_code)
    if version is None:
        raise Http404
    return version


def _conditional(request, etag: str) -> HttpResponse | None:
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    return None


#: A version's Last-Modified, formatted once (the list pages' hot path).
_http_date = functools.lru_cache(maxsize=64)(http_date)


def _stamp(response, etag: str, last_modified):
    response["ETag"] = etag
    response["Last-Modified"] = _http_date(last_modified.timestamp())
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response


def query_of(published_list, request) -> dict:
    names = ("q", *(declared.name for declared in published_list.filters))
    return {key: request.GET[key] for key in names if request.GET.get(key)}


@require_safe
def list_page(request, side_code: str, published_list: str):
    published_list = lists.get(published_list)
    language = visitor_language(request)
    version = _current_or_404(published_list, side_code)
    publication = version.publication
    query = query_of(published_list, request)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    tag = f"{publication.content_hash[:20]}-{publication.version}"
    if not query and page == 1:
        return _page_response(request, version, language, f"{tag}-{language}", lambda: version.page(language))
    key = (language, page, *sorted(query.items()))

    def render_page() -> str:
        context = page_context(
            published_list, version, version.filtered_rows(query), language=language, query=query, page=page
        )
        return render_to_string(published_list.templates.page, context)  # nothing of the visitor's

    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
    return _page_response(
        request,
        version,
        language,
        f"{tag}-{digest}",
        lambda: published_lists.searched_page(version, key, render_page),
    )


def _page_response(request, version: Version, language: str, tag: str, page) -> HttpResponse:
    """A list page (``page()`` gives it) with its ETag, gzipped for the clients that
    accept gzip, or 304 when the client has it already."""
    packed = accepts_gzip(request)
    etag = quote_etag(f"{tag}-gzip" if packed else tag)
    response = _conditional(request, etag)
    if response is None:
        sent = page()
        response = HttpResponse(sent.gzipped if packed else sent.body)
        if packed:
            response["Content-Encoding"] = "gzip"
        _stamp(response, etag, version.publication.published_at)
    _remember_language(request, response, language)
    response["Vary"] = "Accept-Encoding, Accept-Language, Cookie"
    return response


def accepts_gzip(request) -> bool:
    """Whether Accept-Encoding admits gzip (and does not refuse it with q=0)."""
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, *params = (part.strip() for part in coding.split(";"))
        if name.lower() in ("gzip", "x-gzip", "*"):
            quality = next((param[2:] for param in params if param.startswith("q=")), "1")
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


def _being_prepared() -> HttpResponse:
    response = HttpResponse(
        translation.gettext("This file of the version is being prepared; please try again in a minute."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "30"
    return response


def _file_response(request, published_list, publication: Publication, kind: str):
    if kind not in FILE_TYPES:
        raise Http404
    field = getattr(publication, f"{kind}_file")
    digest = getattr(publication, f"{kind}_sha256")
    if not field or not digest:
        if digest:  # pruned by the retention policy: rendered again, to the same bytes
            request_documents(publication)
        return _being_prepared()
    # The gzip copy when the client takes it (it is the same file, encoded: its hash
    # is the file's, its ETag its own, as HTTP asks of each representation).
    compressed = publication.gzip_files.get(kind) if accepts_gzip(request) else None
    etag = quote_etag(f"{digest}-gzip" if compressed else digest)
    not_modified = _conditional(request, etag)
    if not_modified:
        if kind in publication.gzip_files:
            patch_vary_headers(not_modified, ["Accept-Encoding"])
        return not_modified
    filename = f"{publication.side.code}-{published_list.file_stem}-v{publication.version}.{kind}"
    try:
        source = field.storage.open(compressed, "rb") if compressed else field.open("rb")
    except FileNotFoundError:  # pruned since this process read the version
        published_lists.forget(publication.pk)
        request_documents(publication)
        return _being_prepared()
    response = FileResponse(source, content_type=FILE_TYPES[kind], filename=filename)
    if compressed:
        response["Content-Encoding"] = "gzip"
    if kind in publication.gzip_files:
        patch_vary_headers(response, ["Accept-Encoding"])
    response["X-Content-SHA256"] = digest
    if kind == "html":
        # A standalone document with its own inline stylesheet (it must read the same
        # when saved): allow that style and nothing else, no script at all.
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
        )
    return _stamp(response, etag, publication.published_at)


@require_safe
def version_file(request, side_code: str, version: int, kind: str, published_list: str):
    published_list = lists.get(published_list)
    held = published_lists.version(published_list, side_code, version)
    if held is None:
        raise Http404
    return _file_response(request, published_list, held.publication, kind)


@require_safe
def current_file(request, side_code: str, kind: str, published_list: str):
    published_list = lists.get(published_list)
    return _file_response(
        request, published_list, _current_or_404(published_list, side_code).publication, kind
    )


@require_safe
def feed(request, side_code: str, published_list: str):
    publication = _current_or_404(lists.get(published_list), side_code).publication
    etag = quote_etag(f"{publication.content_hash[:20]}-{publication.version}-atom")
    not_modified = _conditional(request, etag)
    if not_modified:
        return not_modified
    response = HttpResponse(publication.rendered["atom"], content_type="application/atom+xml; charset=utf-8")
    return _stamp(response, etag, publication.published_at)


def _context(published_list, version: Version, language: str, **extra) -> dict:
    return {
        "list": published_list,
        "urls": published_list.urls,
        "side": version.publication.side,
        "publication": version.publication,
        "language": language,
        "LANGUAGES": settings.LANGUAGES,
        **extra,
    }


@require_safe
def versions(request, side_code: str, published_list: str):
    published_list = lists.get(published_list)
    language = visitor_language(request)
    version = _current_or_404(published_list, side_code)
    listed = (
        Publication.objects.filter(list_name=published_list.name, side__code=side_code)
        .order_by("-version")
        .only("version", "published_at", "diff")
    )
    context = _context(published_list, version, language, versions=listed)
    return _remember_language(request, render(request, published_list.templates.versions, context), language)


@require_safe
def version_page(request, side_code: str, version: int, published_list: str):
    published_list = lists.get(published_list)
    language = visitor_language(request)
    held = published_lists.version(published_list, side_code, version)
    if held is None:
        raise Http404
    publication = held.publication
    files = [(kind, getattr(publication, f"{kind}_sha256")) for kind in ("json", "csv", "html", "pdf")]
    context = _context(published_list, held, language, files=files)
    return _remember_language(request, render(request, published_list.templates.version, context), language)


@require_safe
def detail(request, side_code: str, key: str, published_list: str):
    published_list = lists.get(published_list)
    language = visitor_language(request)
    version = _current_or_404(published_list, side_code)
    row = version.row(key)
    if row is None:
        raise Http404
    context = _context(
        published_list, version, language, row=row, **published_list.page_context(version, language)
    )
    return _remember_language(request, render(request, published_list.templates.detail, context), language)
