"""Demo data of the register (``manage.py seed_demo``, ``make run``): two applied
imports of about thirty organizations — the second removes two, changes three and adds
two — so that the pages, and the public list, show a removal with its date."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

#: The register's dates of the two demo imports.
FIRST_AS_OF = dt.date(2026, 9, 30)
SECOND_AS_OF = dt.date(2026, 10, 31)


def _workbook(rows, as_of: dt.date, name: str) -> SimpleUploadedFile:
    from .testing import write_register

    buffer = io.BytesIO()
    write_register(buffer, rows, as_of=as_of)
    return SimpleUploadedFile(name, buffer.getvalue())


def registers() -> tuple[list[dict], list[dict]]:
    """The two registers: 30 organizations, then 2 of them gone, 3 changed (a new name,
    an office moved, Tajik added to the languages of support) and 2 new."""
    from .testing import sample_rows

    rows = sample_rows(32, seed=2026, as_of=FIRST_AS_OF)
    first, new = rows[:30], rows[30:]
    second = [dict(row) for index, row in enumerate(first) if index not in (4, 17)]
    second[1]["name"] = second[1]["name"] + "（旧商号変更）"
    second[6]["office_address"] = second[6]["office_address"] + " 2階"
    if "tg" not in second[9]["languages"]:
        languages = tuple(sorted({*second[9]["languages"], "tg"}))
        second[9]["languages"] = languages
        second[9]["languages_text"] = (second[9].get("languages_text") or "") + "、タジク語"
    else:
        second[9]["remarks"] = "支援体制を変更"
    return first, second + new


def seed(users) -> None:
    from notices.models import RegisterImport

    from . import services

    if RegisterImport.objects.exists():
        return
    officer = users["jp-officer"]
    first, second = registers()
    for rows, as_of in ((first, FIRST_AS_OF), (second, SECOND_AS_OF)):
        draft = services.preview_import(
            officer, _workbook(rows, as_of, f"登録支援機関登録簿_{as_of:%Y%m%d}.xlsx")
        )
        services.apply_import(officer, draft)
