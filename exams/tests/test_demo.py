"""The demo data of the exams app (``make run``): an officer can try a check at once."""

import datetime as dt

from exams.checks import services as checks
from exams.models import CertificateCheck, Exam, ResultImport
from exams.results.demo import seed


def test_the_demo_results_answer_each_outcome_and_are_seeded_once(cast):
    users = {name.replace("_", "-"): user for name, user in cast.items()}
    seed(users)
    seed(users)
    assert ResultImport.objects.count() == 1
    assert ResultImport.objects.get().added == 5
    jlpt = Exam.objects.get(code="jlpt-n4")

    def check(number, name, born):
        return checks.check_certificate(
            cast["tj_officer"], exam=jlpt, certificate_number=number, name=name, date_of_birth=born
        )

    assert check("JL2026TJN40042", "Rakhimov Farrukh", dt.date(2001, 3, 14)).outcome == "matches"
    assert check("JL2026TJN40042", "Раҳимов Фаррух", dt.date(1999, 3, 14)).outcome == "does_not_match"
    assert check("JL2026TJN49999", "Rakhimov Farrukh", dt.date(2001, 3, 14)).outcome == "not_found"
    assert CertificateCheck.objects.count() == 3
