"""The renderings of a published version: the list page in four languages, the Atom
feed, the CSV, JSON, HTML and PDF files. Each from the version's content alone."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from portal.validators import xml_safe

LANGUAGES = [code for code, _name in settings.LANGUAGES]

#: Every published PDF is PDF/A-2a (archival, level A: tagged, with Unicode text) and
#: declares PDF/UA-1 (tagged for screen readers; title and language in the catalog) by
#: this XMP packet, which also describes the pdfuaid schema as PDF/A requires.
PDF_VARIANT = "pdf/a-2a"
PDF_UA_XMP = Path(__file__).with_name("pdfua.xmp")

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell that starts with
    = + - @ (or a tab/return) is prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def render_csv(published_list, snapshot: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(published_list.csv_columns)
    for row in snapshot[published_list.rows_key]:
        values = published_list.csv_row(row)
        writer.writerow([csv_cell(values.get(column)) for column in published_list.csv_columns])
    # A BOM so that spreadsheet programs read Cyrillic and Japanese as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_json(meta: dict, canonical_content: bytes) -> bytes:
    """The version's JSON file: its metadata and, byte for byte, the canonical content
    whose SHA-256 is ``content_sha256`` (no second encoding of 10,000 rows)."""
    head = json.dumps(meta, ensure_ascii=False, separators=(",", ":"))[:-1]
    return head.encode() + b',"content":' + canonical_content + b"}"


def json_meta(publication) -> dict:
    """The JSON file's metadata: from the row alone, so that a pruned file is written
    again to the same bytes."""
    return {
        "publisher": publication.side.code,
        "version": publication.version,
        "published_at": publication.published_at.isoformat(),
        "content_sha256": publication.content_hash,
    }


def sections(published_list, rows: list[dict]) -> dict[str, list[dict]]:
    grouped = {section.name: [] for section in published_list.sections}
    for row in rows:
        grouped.setdefault(row["section"], []).append(row)
    return grouped


def page_context(
    published_list, version, rows: list[dict], *, language: str, query=None, page: int = 1
) -> dict:
    """Context of the public list page for a set of rows of ``version`` (already
    filtered): for each section, ``<name>`` (the rows of this page) and ``<name>_total``."""
    size = published_list.page_size
    start = (page - 1) * size
    context = {
        "list": published_list,
        "urls": published_list.urls,
        "publication": version.publication,
        "side": version.publication.side,
        "page": page,
        "has_next": False,
        "query": query or {},
        "language": language,
        "LANGUAGES": settings.LANGUAGES,
    }
    for name, section_rows in sections(published_list, rows).items():
        context[name] = section_rows[start : start + size]
        context[f"{name}_total"] = len(section_rows)
        context["has_next"] = context["has_next"] or len(section_rows) > start + size
    context["sections"] = [
        {
            "name": section.name,
            "label": section.label,
            "rows": context[section.name],
            "total": context[f"{section.name}_total"],
        }
        for section in published_list.sections
    ]
    context["notices"] = notices_context(version.snapshot)
    context.update(published_list.page_context(version, language))
    return context


def notices_context(snapshot: dict) -> list[dict]:
    """The notices shown with every list that this version holds, each with its
    template (``publication/public/notices.html`` includes them)."""
    from . import lists

    return [
        {"notice": notice, "template": notice.template, "entries": snapshot[notice.key]}
        for notice in lists.notices()
        if snapshot.get(notice.key)
    ]


def render_public_page(published_list, version, language: str) -> str:
    with translation.override(language):
        context = page_context(published_list, version, version.rows, language=language)
        return render_to_string(published_list.templates.page, context)


def render_document(published_list, version, template: str) -> str:
    language = published_list.document_language(version.publication.side)
    with translation.override(language):
        context = {
            "list": published_list,
            "publication": version.publication,
            "side": version.publication.side,
            "language": language,
            "notices": notices_context(version.snapshot),
            **sections(published_list, version.rows),
            **published_list.page_context(version, language),
        }
        return render_to_string(template, context)


def render_feed(published_list, side, versions) -> str:
    with translation.override(published_list.document_language(side)):
        feed = render_to_string(
            published_list.templates.feed,
            {
                "list": published_list,
                "urls": published_list.urls,
                "side": side,
                "versions": versions,
                "base_url": settings.PORTAL_BASE_URL,
                "feed_rows": f":{published_list.feed_rows}",
            },
        )
    # The diffs of the last versions hold names as they were stored: one control
    # character entered before input refused them would make every feed until it leaves
    # the window invalid XML, which readers drop whole.
    return xml_safe(feed)


def render_pdf(published_list, version) -> bytes:
    from weasyprint import HTML

    html = render_document(published_list, version, published_list.templates.pdf)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant=PDF_VARIANT, xmp_metadata=[str(PDF_UA_XMP)]
    )
