"""Seed the Japan–Tajikistan Memorandum, its two sides, the signatory ministries, the
two contact points of clause 2 and the usual third parties, named in ja/en/ru/tg as in
shared/glossary.md. Editable afterwards in Django admin."""

import datetime as dt

from django.db import migrations

MEMORANDUM = {
    "partner_country": "TJ",
    "title_ja": "特定技能に係る適正な制度運用のための基本的枠組みに関する協力覚書（日本国・タジキスタン共和国）",
    "title_en": "Memorandum of Cooperation on a Basic Framework for Information Partnership "
    "for Proper Operation of the System Pertaining to Foreign Human Resources with the "
    "Status of Residence of “Specified Skilled Worker” (Japan – the Republic of Tajikistan)",
    "title_ru": "Меморандум о сотрудничестве в рамках системы «Особые навыки» (SSW) (Япония – Республика Таджикистан)",
    "title_tg": "Меморандуми ҳамкорӣ дар доираи низоми «Малакаҳои махсус» (SSW) (Ҷопон – Ҷумҳурии Тоҷикистон)",
    "signed_in_japan_on": dt.date(2024, 8, 5),
    "signed_in_japan_at": "Tokyo",
    "signed_by_partner_on": dt.date(2024, 8, 8),
    "signed_by_partner_at": "Dushanbe",
}

SIDES = [
    ("japan", "JP", ("日本国", "Japan", "Япония", "Ҷопон")),
    ("tajikistan", "TJ", ("タジキスタン共和国", "the Republic of Tajikistan", "Республика Таджикистан", "Ҷумҳурии Тоҷикистон")),
]

# code, side code or None (third party), parent code, kind, signatory, contact point, names ja/en/ru/tg
ORGANIZATIONS = [
    ("jp-moj", "japan", None, "ministry", True, False,
     ("法務省", "Ministry of Justice", "Министерство юстиции Японии", "Вазорати адлияи Ҷопон")),
    ("jp-isa", "japan", "jp-moj", "agency", True, False,
     ("出入国在留管理庁", "Immigration Services Agency of Japan", "Агентство иммиграционной службы Японии",
      "Агентии хадамоти муҳоҷирати Ҷопон")),
    ("jp-isa-rmd", "japan", "jp-isa", "unit", False, True,
     ("出入国在留管理庁在留管理支援部在留管理課",
      "Residence Management Division, Residence Management Support Department, Immigration Services Agency of Japan",
      "Отдел управления пребыванием, Департамент поддержки управления пребыванием, Агентство иммиграционной службы Японии",
      "Шӯъбаи идоракунии иқомат, Департаменти дастгирии идоракунии иқомат, Агентии хадамоти муҳоҷирати Ҷопон")),
    ("jp-mofa", "japan", None, "ministry", True, False,
     ("外務省", "Ministry of Foreign Affairs", "Министерство иностранных дел Японии", "Вазорати корҳои хориҷии Ҷопон")),
    ("jp-mhlw", "japan", None, "ministry", True, False,
     ("厚生労働省", "Ministry of Health, Labour and Welfare",
      "Министерство здравоохранения, труда и социального обеспечения Японии", "Вазорати тандурустӣ, меҳнат ва ҳифзи иҷтимоии Ҷопон")),
    ("jp-npa", "japan", None, "agency", True, False,
     ("警察庁", "National Police Agency", "Национальное полицейское агентство Японии", "Агентии миллии пулиси Ҷопон")),
    ("tj-mlme", "tajikistan", None, "ministry", True, False,
     ("タジキスタン共和国労働・移民・雇用省",
      "Ministry of Labour, Migration and Employment of the Republic of Tajikistan",
      "Министерство труда, миграции и занятости населения Республики Таджикистан",
      "Вазорати меҳнат, муҳоҷират ва шуғли аҳолии Ҷумҳурии Тоҷикистон")),
    ("tj-ms", "tajikistan", "tj-mlme", "agency", False, False,
     ("移民庁", "Migration Service", "Служба миграции", "Хадамоти муҳоҷират")),
    ("tj-ms-lpsa", "tajikistan", "tj-ms", "unit", False, True,
     ("移民庁法務・人事・特任局",
      "Legal, Personnel and Special Assignments Department, Migration Service",
      "Управление правового обеспечения, кадров и специальных поручений, Служба миграции",
      "Раёсати таъминоти ҳуқуқӣ, кадрҳо ва супоришҳои махсус, Хадамоти муҳоҷират")),
    # Third parties (clause 3): no side.
    ("tj-embassy-jp", None, None, "embassy", False, False,
     ("在日本国タジキスタン共和国大使館", "Embassy of the Republic of Tajikistan in Japan",
      "Посольство Республики Таджикистан в Японии", "Сафорати Ҷумҳурии Тоҷикистон дар Ҷопон")),
    ("jp-maff", None, None, "sector_ministry", False, False,
     ("農林水産省", "Ministry of Agriculture, Forestry and Fisheries",
      "Министерство сельского, лесного и рыбного хозяйства", "Вазорати кишоварзӣ, ҷангалпарварӣ ва моҳидорӣ")),
    ("jp-mlit", None, None, "sector_ministry", False, False,
     ("国土交通省", "Ministry of Land, Infrastructure, Transport and Tourism",
      "Министерство земли, инфраструктуры, транспорта и туризма",
      "Вазорати замин, инфрасохтор, нақлиёт ва сайёҳӣ")),
    ("jp-meti", None, None, "sector_ministry", False, False,
     ("経済産業省", "Ministry of Economy, Trade and Industry",
      "Министерство экономики, торговли и промышленности", "Вазорати иқтисод, савдо ва саноат")),
    ("jp-moe", None, None, "sector_ministry", False, False,
     ("環境省", "Ministry of the Environment", "Министерство окружающей среды", "Вазорати муҳити зист")),
]


def seed(apps, schema_editor):
    Memorandum = apps.get_model("portal", "Memorandum")
    Side = apps.get_model("portal", "Side")
    Organization = apps.get_model("portal", "Organization")
    Group = apps.get_model("auth", "Group")

    memorandum, _ = Memorandum.objects.get_or_create(
        partner_country=MEMORANDUM["partner_country"], defaults=MEMORANDUM
    )
    sides = {}
    for code, country, (ja, en, ru, tg) in SIDES:
        sides[code], _ = Side.objects.get_or_create(
            code=code,
            defaults={"memorandum": memorandum, "country": country, "name_ja": ja, "name_en": en, "name_ru": ru, "name_tg": tg},
        )
    created = {}
    for code, side, parent, kind, signatory, contact_point, (ja, en, ru, tg) in ORGANIZATIONS:
        group, _ = Group.objects.get_or_create(name=f"org:{code}")
        created[code], _ = Organization.objects.get_or_create(
            code=code,
            defaults={
                "side": sides.get(side),
                "parent": created.get(parent),
                "kind": kind,
                "is_signatory": signatory,
                "is_contact_point": contact_point,
                "name_ja": ja,
                "name_en": en,
                "name_ru": ru,
                "name_tg": tg,
                "group": group,
            },
        )


def unseed(apps, schema_editor):
    Organization = apps.get_model("portal", "Organization")
    Side = apps.get_model("portal", "Side")
    Memorandum = apps.get_model("portal", "Memorandum")
    Group = apps.get_model("auth", "Group")
    codes = [row[0] for row in ORGANIZATIONS]
    # Children before parents.
    for code in reversed(codes):
        Organization.objects.filter(code=code).delete()
    Group.objects.filter(name__in=[f"org:{code}" for code in codes]).delete()
    Side.objects.filter(code__in=[row[0] for row in SIDES]).delete()
    Memorandum.objects.filter(partner_country=MEMORANDUM["partner_country"]).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
