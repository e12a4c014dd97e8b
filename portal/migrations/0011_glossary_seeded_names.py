"""The corrected glossary (translation review 2026-11-29, shared/glossary.md) in the
seeded reference data: the Memorandum's ru/tg titles say «система «Особые навыки»» /
«Меморандуми ҳамкорӣ … низоми», Japan's ministries and agencies carry «Японии» /
«Ҷопон» and the Immigration Services Agency is a «служба» / «хадамот», and two
screening criteria use the deposit and penalty terms (ru «денежный залог (гарантийный
взнос)»; tg «пули гаравӣ», «ноустуворона», «вайронкуниҳо»).

0002 of portal and agencies seed the new wording from now on; this migration mends the
databases seeded before. A value is replaced only where it is still exactly the old
seeded one: a name or text an administrator has edited since is theirs and stays.
The criteria live in the agencies app; they are mended here so that one migration
carries one glossary correction."""

from django.db import migrations

# value: (old seeded wording, corrected wording)
MEMORANDUM = {
    "title_ru": (
        "Меморандум о сотрудничестве по «Особым навыкам» (SSW) (Япония – Республика Таджикистан)",
        "Меморандум о сотрудничестве в рамках системы «Особые навыки» (SSW) (Япония – Республика Таджикистан)",
    ),
    "title_tg": (
        "Меморандум дар бораи ҳамкорӣ оид ба «Малакаҳои махсус» (SSW) (Ҷопон – Ҷумҳурии Тоҷикистон)",
        "Меморандуми ҳамкорӣ дар доираи низоми «Малакаҳои махсус» (SSW) (Ҷопон – Ҷумҳурии Тоҷикистон)",
    ),
}

ORGANIZATIONS = {
    "jp-moj": {
        "name_ru": ("Министерство юстиции", "Министерство юстиции Японии"),
        "name_tg": ("Вазорати адлия", "Вазорати адлияи Ҷопон"),
    },
    "jp-isa": {
        "name_ru": ("Агентство иммиграционных услуг Японии", "Агентство иммиграционной службы Японии"),
        "name_tg": ("Агентии хидматрасонии муҳоҷиратии Ҷопон", "Агентии хадамоти муҳоҷирати Ҷопон"),
    },
    "jp-isa-rmd": {
        "name_ru": (
            "Отдел управления пребыванием, Департамент поддержки управления пребыванием, Агентство иммиграционных услуг Японии",
            "Отдел управления пребыванием, Департамент поддержки управления пребыванием, Агентство иммиграционной службы Японии",
        ),
        "name_tg": (
            "Шӯъбаи идоракунии иқомат, Департаменти дастгирии идоракунии иқомат, Агентии хидматрасонии муҳоҷиратии Ҷопон",
            "Шӯъбаи идоракунии иқомат, Департаменти дастгирии идоракунии иқомат, Агентии хадамоти муҳоҷирати Ҷопон",
        ),
    },
    "jp-mofa": {
        "name_ru": ("Министерство иностранных дел", "Министерство иностранных дел Японии"),
        "name_tg": ("Вазорати корҳои хориҷӣ", "Вазорати корҳои хориҷии Ҷопон"),
    },
    "jp-mhlw": {
        "name_ru": (
            "Министерство здравоохранения, труда и социального обеспечения",
            "Министерство здравоохранения, труда и социального обеспечения Японии",
        ),
        "name_tg": (
            "Вазорати тандурустӣ, меҳнат ва ҳифзи иҷтимоӣ",
            "Вазорати тандурустӣ, меҳнат ва ҳифзи иҷтимоии Ҷопон",
        ),
    },
    "jp-npa": {
        "name_ru": ("Национальное полицейское агентство", "Национальное полицейское агентство Японии"),
        "name_tg": ("Агентии миллии пулис", "Агентии миллии пулиси Ҷопон"),
    },
}

CRITERIA = {
    5: {
        "text_ru": (
            "Не берёт залог, не управляет деньгами или имуществом работников и их родственников, не заключает договоров с неустойкой",
            "Не берёт денежный залог (гарантийный взнос), не управляет деньгами или имуществом работников и их родственников, не заключает договоров с неустойкой",
        ),
        "text_tg": (
            "Гарав намегирад, пул ё амволи коргарон ва хешовандони онҳоро идора намекунад, шартномаҳои дорои ҷарима барои вайрон кардани шартнома намебандад",
            "Пули гаравӣ намегирад, пул ё амволи коргарон ва хешовандони онҳоро идора намекунад, шартномаҳои дорои ноустуворона намебандад",
        ),
    },
    14: {
        "text_tg": (
            "Нишондиҳандаҳои ҳадди (ҳиссаи коргароне, ки корфарморо тарк кардаанд, қонуншиканиҳои такрорӣ ҳангоми санҷиш) боиси бознигарӣ мешаванд",
            "Нишондиҳандаҳои ҳадди (ҳиссаи коргароне, ки корфарморо тарк кардаанд, вайронкуниҳои такрорӣ ҳангоми санҷиш) боиси бознигарӣ мешаванд",
        )
    },
}


def _replace(model, lookup, changes, *, forward):
    for field, (old, new) in changes.items():
        before, after = (old, new) if forward else (new, old)
        model.objects.filter(**lookup, **{field: before}).update(**{field: after})


def _apply(apps, *, forward):
    Memorandum = apps.get_model("portal", "Memorandum")
    Organization = apps.get_model("portal", "Organization")
    Criterion = apps.get_model("agencies", "ScreeningCriterion")
    _replace(Memorandum, {"partner_country": "TJ"}, MEMORANDUM, forward=forward)
    for code, changes in ORGANIZATIONS.items():
        _replace(Organization, {"code": code}, changes, forward=forward)
    for number, changes in CRITERIA.items():
        _replace(Criterion, {"number": number}, changes, forward=forward)


def correct(apps, schema_editor):
    _apply(apps, forward=True)


def restore(apps, schema_editor):
    _apply(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0010_correspondence_threads"),
        ("agencies", "0002_seed_sectors_and_criteria"),
    ]
    operations = [migrations.RunPython(correct, restore)]
