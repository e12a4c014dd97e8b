"""The public pages of the certified sending agency lists (no account needed).

They read published versions (``agencies.publication.published_lists``), never the
register: the unfiltered list is served as rendered at publication time, with an ETag
and Last-Modified; searching and filtering work on the version's snapshot in memory.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from portal.i18n import pick

from .models import Publication
from .publication import page_context, published_lists, request_documents

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
FILTERS = ("q", "sector", "region", "status")
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


def _current_or_404(side_code: str) -> Publication:
    publication = published_lists.current(side_code)
    if publication is None:
        raise Http404
    return publication


def _conditional(request, etag: str, last_modified) -> HttpResponse | None:
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


SEARCHED_FIELDS = ("name_tg", "name_ru", "name_en", "name_ja", "certification_number", "registration_number")


class SearchIndex:
    """Each agency's searchable text, case-folded, in one string, a line per agency: a
    search is a scan of that string in C (~0.1 ms at 10,000 agencies, where testing each
    agency's text in turn took ~2 ms), then a bisection per agency found."""

    def __init__(self, rows: list[dict]):
        texts = [
            " ".join(row.get(field) or "" for field in SEARCHED_FIELDS).casefold().replace("\n", " ")
            for row in rows
        ]
        self.text = "\n".join(texts)
        #: Where each agency's line starts, and one past the end.
        self.starts = list(itertools.accumulate((len(text) + 1 for text in texts), initial=0))

    def matches(self, needle: str) -> list[int]:
        """The positions, ascending, of the agencies whose text contains ``needle``."""
        if not needle or "\n" in needle:
            return []
        found = []
        position = self.text.find(needle)
        while position != -1:
            index = bisect.bisect_right(self.starts, position) - 1
            found.append(index)
            position = self.text.find(needle, self.starts[index + 1])  # on to the next agency
        return found


def search_index(publication: Publication) -> SearchIndex:
    """Built once per version and process."""
    index = getattr(publication, "_search_index", None)
    if index is None:
        index = publication._search_index = SearchIndex(publication.snapshot["agencies"])
    return index


def filtered_rows(publication: Publication, query: dict) -> list[dict]:
    rows = publication.snapshot["agencies"]
    text = query.get("q", "").strip().casefold()
    if text:
        rows = [rows[index] for index in search_index(publication).matches(text)]
    if query.get("sector"):
        rows = [row for row in rows if query["sector"] in row["sectors"]]
    if query.get("region"):
        rows = [row for row in rows if row["region"] == query["region"]]
    if query.get("status"):
        rows = [row for row in rows if row["status"] == query["status"]]
    return rows


@require_safe
def agency_list(request, side_code: str):
    language = visitor_language(request)
    publication = _current_or_404(side_code)
    query = {key: request.GET[key] for key in FILTERS if request.GET.get(key)}
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    tag = f"{publication.content_hash[:20]}-{publication.version}"
    if not query and page == 1:
        return _page_response(
            request,
            publication,
            language,
            f"{tag}-{language}",
            lambda: published_lists.page(publication, language),
        )
    key = (language, page, *sorted(query.items()))

    def render_page() -> str:
        context = page_context(
            publication, filtered_rows(publication, query), language=language, query=query, page=page
        )
        return render_to_string("agencies/public/list.html", context)  # nothing of the visitor's

    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
    return _page_response(
        request,
        publication,
        language,
        f"{tag}-{digest}",
        lambda: published_lists.searched_page(publication, key, render_page),
    )


def _page_response(request, publication: Publication, language: str, tag: str, page) -> HttpResponse:
    """A list page (``page()`` gives it) with its ETag, gzipped for the clients that
    accept gzip, or 304 when the client has it already."""
    packed = accepts_gzip(request)
    etag = quote_etag(f"{tag}-gzip" if packed else tag)
    response = _conditional(request, etag, publication.published_at)
    if response is None:
        sent = page()
        response = HttpResponse(sent.gzipped if packed else sent.body)
        if packed:
            response["Content-Encoding"] = "gzip"
        _stamp(response, etag, publication.published_at)
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


def _file_response(request, publication: Publication, kind: str):
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
    not_modified = _conditional(request, etag, publication.published_at)
    if not_modified:
        if kind in publication.gzip_files:
            patch_vary_headers(not_modified, ["Accept-Encoding"])
        return not_modified
    filename = f"{publication.side.code}-sending-agencies-v{publication.version}.{kind}"
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
def agency_file(request, side_code: str, version: int, kind: str):
    publication = published_lists.version(side_code, version)
    if publication is None:
        raise Http404
    return _file_response(request, publication, kind)


@require_safe
def current_file(request, side_code: str, kind: str):
    return _file_response(request, _current_or_404(side_code), kind)


@require_safe
def agency_feed(request, side_code: str):
    publication = _current_or_404(side_code)
    etag = quote_etag(f"{publication.content_hash[:20]}-{publication.version}-atom")
    not_modified = _conditional(request, etag, publication.published_at)
    if not_modified:
        return not_modified
    response = HttpResponse(publication.rendered["atom"], content_type="application/atom+xml; charset=utf-8")
    return _stamp(response, etag, publication.published_at)


@require_safe
def agency_versions(request, side_code: str):
    language = visitor_language(request)
    publication = _current_or_404(side_code)
    versions = (
        Publication.objects.filter(side__code=side_code)
        .order_by("-version")
        .only("version", "published_at", "diff")
    )
    context = {
        "side": publication.side,
        "versions": versions,
        "language": language,
        "LANGUAGES": settings.LANGUAGES,
    }
    return _remember_language(request, render(request, "agencies/public/versions.html", context), language)


@require_safe
def agency_version(request, side_code: str, version: int):
    language = visitor_language(request)
    publication = published_lists.version(side_code, version)
    if publication is None:
        raise Http404
    context = {
        "side": publication.side,
        "publication": publication,
        "language": language,
        "LANGUAGES": settings.LANGUAGES,
    }
    return _remember_language(request, render(request, "agencies/public/version.html", context), language)


@require_safe
def agency_detail(request, side_code: str, key: str):
    language = visitor_language(request)
    publication = _current_or_404(side_code)
    row = next((row for row in publication.snapshot["agencies"] if row["key"] == key), None)
    if row is None:
        raise Http404
    sectors = publication.snapshot.get("sectors", {})
    context = {
        "side": publication.side,
        "publication": publication,
        "row": row,
        "language": language,
        "LANGUAGES": settings.LANGUAGES,
        "sector_names": {code: pick(names, language) for code, names in sectors.items()},
    }
    return _remember_language(request, render(request, "agencies/public/agency.html", context), language)
