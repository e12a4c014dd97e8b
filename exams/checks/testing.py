"""Helpers for the checks part's tests: results in the register (``registered``), batch
files (``batch_file``), the canary's scenario (the register's values reach nobody; a
check's entered values its own organization only) and the write matrix's rows of the
pages and the API."""

from __future__ import annotations

import datetime as dt

from portal.testing import matrix as _matrix

COLUMNS = "test,certificate_number,name,date_of_birth"


def registered(
    exam,
    number: str,
    *,
    latin: str = "Rakhimov Farrukh Saidovich",
    cyrillic: str = "Раҳимов Фаррух Саидович",
    born: dt.date = dt.date(1998, 3, 14),
    result: str = "Pass",
    source=None,
):
    """A pass result in the register, imported by ``source`` (a bare import if none)."""
    from exams.models import PassResult
    from exams.names import keys_of

    return PassResult.objects.create(
        exam=exam,
        certificate_number=number,
        name_latin=latin,
        name_cyrillic=cyrillic,
        name_keys=keys_of(latin, cyrillic),
        date_of_birth=born,
        test_date=dt.date(2025, 11, 2),
        result=result,
        source=source or an_import(),
    )


def an_import():
    """A ``ResultImport`` of Japan's contact point, as the imports would leave it."""
    from exams.choices import ImportStatus
    from exams.models import ResultImport
    from portal.models import Organization, User

    organization = Organization.objects.get(code="jp-isa")
    user = User.objects.filter(organization=organization).order_by("pk").first()
    return ResultImport.objects.create(
        organization=organization,
        uploaded_by=user,
        file="exams/imports/00/test.csv",
        file_name="results.csv",
        sha256="0" * 64,
        status=ImportStatus.DONE,
    )


def batch_file(lines, *, encoding: str = "utf-8", header: str = COLUMNS, name: str = "candidates.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "\r\n".join([header, *lines]) + "\r\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


# --- The canary -------------------------------------------------------------------------


def canary_checks(canary) -> None:
    """A result in the register whose values no reader may see, and a check of each
    side's officer whose entered name only its organization reads."""
    from exams.models import Exam
    from portal.models import User

    from . import services

    exam = Exam.objects.get(code="jlpt-n4")
    nobody = canary.audience(label="the register (read by no officer)")
    hidden_latin = canary.plant(
        kind="exams.PassResult", field="name_latin", record="register", situation="imported", audience=nobody
    )
    hidden_result = canary.plant(
        kind="exams.PassResult", field="result", record="register", situation="imported", audience=nobody
    )
    result = registered(
        exam, "2026A1TJN40077", latin=f"Rakhimov {hidden_latin}", cyrillic="", result=hidden_result
    )
    canary.add(result)
    for username in ("jp-officer", "tj-officer"):
        user = User.objects.get(username=username)
        own = canary.audience(organizations=[user.organization_id], label=f"{username}'s organization")
        entered = canary.plant(
            kind="exams.CertificateCheck",
            field="name",
            record="check",
            situation="does not match",
            audience=own,
        )
        check = services.check_certificate(
            user,
            exam=exam,
            certificate_number=result.certificate_number,
            name=f"Rakhimov {entered}",
            date_of_birth=dt.date(1990, 1, 1),
        )
        canary.rename_record([entered], f"exams.CertificateCheck#{check.pk}")
        canary.add(check)


def _register_canary() -> None:
    from portal.testing import canary

    canary.register_scenario(canary_checks)


_register_canary()


# --- The write matrix -----------------------------------------------------------------------
#
# Who checks (5): the officers and analysts of either side (a check is a reading); the
# side administrators and the superuser open the pages but the service refuses them
# (the form shows why; the API 403); third parties never reach the pages (404) and the
# API refuses them (403); the anonymous visitor signs in first (pages) or is refused (401).

_each = _matrix.each
_CHECKERS = _matrix.WRITERS | {"jp-analyst", "tj-analyst"}
_PAGE = {
    **_each(_CHECKERS, 302),
    **_each({"jp-administrator", "tj-administrator", "superuser"}, _matrix.Refused(200)),
    "anonymous": _matrix.LOGIN,
    "*": 404,
}
_API = {
    **_each(_matrix.THIRD_PARTIES | {"jp-administrator", "tj-administrator", "superuser"}, 403),
    "anonymous": 401,
}


def _exam(f):
    from exams.models import Exam

    return Exam.objects.get(code="jlpt-n4")


def _check_data(f) -> dict:
    return {
        "exam": _exam(f).pk,
        "certificate_number": "2026a1tjn40001",
        "name": "Farrukh Rakhimov",
        "date_of_birth": "1998-03-14",
    }


def _file(f):
    return {
        "file": batch_file(["jlpt-n4,2026A1TJN40001,Farrukh Rakhimov,1998-03-14", "jlpt-n4,X,Y,1990-01-01"])
    }


_rows = _matrix.count_of("exams.CertificateCheck")

for _action in [
    _matrix.Action(
        "certificate-check.check",
        "post",
        url=lambda f: "/exams/checks/",
        data=_check_data,
        expected=_PAGE,
        audit="certificate.checked",
        row=_rows,
    ),
    _matrix.Action(
        "certificate-check.batch",
        "post",
        url=lambda f: "/exams/checks/batch/",
        data=_file,
        expected=_PAGE,
        audit="certificate.checked",
        row=_rows,
    ),
    _matrix.Action(
        "api.certificate-check.check",
        "post",
        url=lambda f: "/api/v1/certificate-checks/",
        data=lambda f: {**_check_data(f), "exam": "jlpt-n4"},
        expected={**_API, **_each(_CHECKERS, 201)},
        audit="certificate.checked",
        row=_rows,
    ),
    _matrix.Action(
        "api.certificate-check.batch",
        "post",
        url=lambda f: "/api/v1/certificate-checks/batch/",
        data=_file,
        expected={**_API, **_each(_CHECKERS, 200)},
        audit="certificate.checked",
        row=_rows,
        multipart=True,
    ),
]:
    _matrix.register(_action)
