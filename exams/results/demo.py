"""Demo pass results for ``make run``: a small file from the JLPT's and JFT-Basic's
bodies imported by Japan's contact point through the services, so that an officer can
try a check at once (README lists what to enter). Run twice, it adds nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from ..models import ResultImport
from . import services

FILE_NAME = "demo-results.csv"

#: Certificates an officer may check: the first with its holder matches; with another
#: date of birth (1999-03-14) it does not match; any other number is not found.
DEMO_RESULTS = (
    "certificate_number,name_latin,name_cyrillic,date_of_birth,test,test_date,result\n"
    "JL2026TJN40042,Rakhimov Farrukh,Раҳимов Фаррух,2001-03-14,jlpt-n4,2026-07-05,N4 pass\n"
    "JL2026TJN40043,Saidova Madina,Саидова Мадина,2002-11-02,jlpt-n4,2026-07-05,N4 pass\n"
    "JL2026TJN30007,Nazarov Umed,Назаров Умед,1999-06-21,jlpt-n3,2026-07-05,N3 pass\n"
    "JFT26TJ000118,Karimova Zarina,Каримова Зарина,2000-01-30,jft-basic,2026-09-12,A2 (230)\n"
    "JFT26TJ000119,Davlatov Sino,Давлатов Сино,2003-08-15,jft-basic,2026-09-12,A2 (205)\n"
)


def seed(users) -> None:
    if ResultImport.objects.filter(file_name=FILE_NAME).exists():
        return
    imported = services.upload(
        users["jp-contact"], SimpleUploadedFile(FILE_NAME, DEMO_RESULTS.encode()), enqueue=False
    )
    services.run_import(imported.pk)
