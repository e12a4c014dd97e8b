"""Who reads pass-result imports, page and API: their own organization alone (and the
superuser); the register's rows on no page."""

import pytest

from exams.results.testing import ResultImportMatrix
from portal.testing.matrix import MatrixTests

pytestmark = pytest.mark.django_db


class TestResultImportMatrix(MatrixTests):
    matrix = ResultImportMatrix()


def test_canary_scenario_markers_reach_the_importing_organization_alone(cast, client_for):
    """The canary crawl's scenario, read here on the import's own pages: the refused lines'
    echoed markers reach jp-officer's organization alone; the register's values nobody."""
    from exams.models import ResultImport
    from exams.results.testing import canary_results
    from portal.testing.canary import Canary, Reader

    canary = Canary(cast=cast)
    canary_results(canary)
    record = ResultImport.objects.get()
    assert record.refused == 2 and record.added == 1
    urls = ["/exams/results/", f"/exams/results/{record.pk}/", f"/api/v1/exam-result-imports/{record.pk}/"]
    seen_by_officer = set()
    for name in ("jp_officer", "jp_contact", "jp_analyst", "tj_officer", "embassy_viewer"):
        reader = Reader.of_user(name, cast[name])
        for url in urls:
            text = client_for(name).get(url).content.decode()
            assert canary.leaks_in(text, reader, url) == [], (name, url)
            if name == "jp_officer":
                seen_by_officer |= canary.find(text)
    echoed = {
        token for token, marker in canary.markers.items() if marker.field.startswith(("errors", "file"))
    }
    assert echoed and echoed <= seen_by_officer
