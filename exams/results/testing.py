"""Helpers for the pass-result imports' tests: the canary scenario (an import's refused
lines echo the file's values: its own organization alone reads them; the register's
values nobody but an administrator) and the write-matrix rows of the upload, page and
API. Loaded by ``exams.testing``."""

from __future__ import annotations

from portal.testing import canary as _canary
from portal.testing import matrix as _matrix

HEADER = "certificate_number,name_latin,name_cyrillic,date_of_birth,test,test_date,result"


def results_csv(*lines: str) -> bytes:
    return "\r\n".join([HEADER, *lines]).encode()


def upload(data: bytes, name: str = "results.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


def sample(n: int = 1) -> bytes:
    return results_csv(
        *(
            f"JFT{n:04d}{i:04d},Rakhimov Farrukh,Раҳимов Фаррух,1999-04-12,jft-basic,2024-11-03,pass"
            for i in range(3)
        )
    )


# --- The canary crawl (portal/testing/canary.py) ---------------------------------------


def canary_results(canary) -> None:
    """One import by Japan's officer: a refused line echoes a marked value (the importing
    organization's alone), an imported line's values are marked for nobody (the register
    is read in admin alone); the file's name too is its organization's."""
    from exams.models import PassResult, ResultImport

    from . import services

    officer = canary.cast["jp_officer"]
    own = canary.audience(organizations={officer.organization_id}, label="the importing organization")
    nobody = canary.audience(label="nobody but an administrator (the register)")

    def plant(field: str, audience) -> str:
        return canary.plant(
            kind="exams.ResultImport", field=field, record="?", situation="imported", audience=audience
        )

    file_token = plant("file_name", own)
    echoed_test, echoed_number = plant("errors (test)", own), plant("errors (certificate number)", own)
    number, latin, result = (
        plant("certificate_number", nobody),
        plant("name_latin", nobody),
        plant("result", nobody),
    )
    data = results_csv(
        f"{number.upper()},{latin} Farrukh,,1999-04-12,jft-basic,2024-11-03,{result}",
        f"JFT00000001,Rakhimov Farrukh,,1999-04-12,{echoed_test},2024-11-03,pass",
        f"{echoed_number}!,Rakhimov Farrukh,,1999-04-12,jft-basic,2024-11-03,pass",
    )
    record = services.upload(officer, upload(data, f"{file_token}.csv"), enqueue=False)
    services.run_import(record.pk)
    canary.rename_record([file_token, echoed_test, echoed_number], f"exams.ResultImport#{record.pk}")
    canary.add(ResultImport.objects.get(pk=record.pk))
    canary.add(*PassResult.objects.filter(source=record))


_canary.register_scenario(canary_results)


# --- The permission matrix of writes (portal/testing/matrix.py) -------------------------
#
# Japan's side imports the results the test bodies report (its writers); the partner
# side's writers are refused (403 in the API; the page is no page of theirs: 404), as
# are analysts, administrators, third parties and the superuser (no side).

_UPLOADS = {"audit": "exam_results.uploaded", "outbox": {"exams.result_import"}}

for _action in [
    _matrix.Action(
        "exam-result-import.upload",
        "post",
        url=lambda f: "/exams/results/new/",
        data=lambda f: {"file": upload(sample())},
        expected={**_matrix.each(_matrix.JP_WRITERS, 302), "anonymous": _matrix.LOGIN, "*": 404},
        row=_matrix.count_of("exams.ResultImport"),
        **_UPLOADS,
    ),
    _matrix.Action(
        "api.exam-result-import.upload",
        "post",
        url=lambda f: "/api/v1/exam-result-imports/",
        data=lambda f: {"file": upload(sample())},
        expected={
            **_matrix.API_NO,
            **_matrix.each(_matrix.JP_WRITERS, 201),
            **_matrix.each(_matrix.TJ_WRITERS, 403),
        },
        row=_matrix.count_of("exams.ResultImport"),
        multipart=True,
        **_UPLOADS,
    ),
]:
    _matrix.register(_action)


# --- The read matrix (portal/testing/matrix.py) -----------------------------------------


class ResultImportMatrix(_matrix.PermissionMatrix):
    """An import is read by its own organization alone (and the superuser)."""

    situations = {
        "japan_officer": {"jp_officer"} | _matrix.ADMIN,
        "japan_contact": {"jp_contact"} | _matrix.ADMIN,
    }
    html_list_url = "/exams/results/"
    api_list_url = "/api/v1/exam-result-imports/"

    @staticmethod
    def html_detail_url(obj):
        return f"/exams/results/{obj.pk}/"

    @staticmethod
    def api_detail_url(obj):
        return f"/api/v1/exam-result-imports/{obj.pk}/"

    def make(self, situation, cast):
        from . import services

        user = cast["jp_officer" if situation == "japan_officer" else "jp_contact"]
        record = services.upload(
            user, upload(sample(2 if situation == "japan_officer" else 3)), enqueue=False
        )
        services.run_import(record.pk)
        return record
