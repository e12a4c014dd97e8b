"""Seed the SSW sectors (16 open, 3 announced) and the default screening checklist from
shared/reference-data.md. Both are editable in Django admin afterwards."""

from django.db import migrations

# code, ministry organization code, open, skills test, names ja / en / ru / tg
SECTORS = [
    ("nursing-care", "jp-mhlw", True, "Nursing care skills evaluation test + nursing-care Japanese test",
     ("介護", "Nursing care", "Уход за больными и пожилыми", "Нигоҳубини беморон ва пиронсолон")),
    ("building-cleaning", "jp-mhlw", True, "Japan Building Maintenance Association",
     ("ビルクリーニング", "Building cleaning", "Уборка зданий", "Тозакунии биноҳо")),
    ("industrial-products", "jp-meti", True, "Manufacturing SSW (i) evaluation test",
     ("工業製品製造業", "Industrial product manufacturing", "Производство промышленной продукции", "Истеҳсоли маҳсулоти саноатӣ")),
    ("construction", "jp-mlit", True, "Japan Association for Construction Human Resources (JAC)",
     ("建設", "Construction", "Строительство", "Сохтмон")),
    ("shipbuilding", "jp-mlit", True, "ClassNK",
     ("造船・舶用工業", "Shipbuilding and ship machinery", "Судостроение и судовое машиностроение", "Киштисозӣ ва мошинсозии киштӣ")),
    ("automobile-repair", "jp-mlit", True, "JASPA",
     ("自動車整備", "Automobile repair and maintenance", "Ремонт и обслуживание автомобилей", "Таъмир ва хизматрасонии автомобилҳо")),
    ("aviation", "jp-mlit", True, "",
     ("航空", "Aviation", "Авиация", "Авиатсия")),
    ("accommodation", "jp-mlit", True, "",
     ("宿泊", "Accommodation", "Гостиничный бизнес", "Меҳмонхонадорӣ")),
    ("automobile-transport", "jp-mlit", True, "ClassNK (computer-based; driving licence required)",
     ("自動車運送業", "Automobile transportation", "Автомобильные перевозки", "Боркашонии автомобилӣ")),
    ("railway", "jp-mlit", True, "Railway associations by work category",
     ("鉄道", "Railway", "Железная дорога", "Роҳи оҳан")),
    ("agriculture", "jp-maff", True, "National Chamber of Agriculture",
     ("農業", "Agriculture", "Сельское хозяйство", "Кишоварзӣ")),
    ("fishery", "jp-maff", True, "Japan Fisheries Association",
     ("漁業", "Fishery and aquaculture", "Рыболовство и аквакультура", "Моҳидорӣ ва аквакультура")),
    ("food-manufacturing", "jp-maff", True, "OTAFF",
     ("飲食料品製造業", "Food and beverage manufacturing", "Производство продуктов питания и напитков", "Истеҳсоли маҳсулоти хӯрокворӣ ва нӯшокиҳо")),
    ("food-service", "jp-maff", True, "OTAFF",
     ("外食業", "Food service", "Общественное питание", "Хӯроки умумӣ")),
    ("forestry", "jp-maff", True, "Forestry skills improvement centre",
     ("林業", "Forestry", "Лесное хозяйство", "Ҷангалпарварӣ")),
    ("wood-industry", "jp-maff", True, "National Federation of Wood Industry Associations",
     ("木材産業", "Wood industry", "Деревообрабатывающая промышленность", "Саноати коркарди чӯб")),
    ("linen-supply", "jp-mhlw", False, "",
     ("リネンサプライ", "Linen supply", "Прокат белья", "Таъминоти ҷойпӯш ва матоъ")),
    ("logistics-warehousing", "jp-mlit", False, "",
     ("物流倉庫", "Logistics warehousing", "Логистика и складское хозяйство", "Логистика ва анбордорӣ")),
    ("resource-circulation", "jp-moe", False, "",
     ("資源循環", "Resource circulation", "Рециклинг ресурсов", "Коркарди такрории захираҳо")),
]

# number, mandatory, source, texts en / ja / ru / tg
CRITERIA = [
    (1, True, "Tajik licensing practice",
     "Holds a valid Tajik licence to send labour abroad, issued by the Migration Service",
     "移民庁が発行する、国外への労働者送出しに係る有効なタジキスタンの許可を有すること",
     "Имеет действующую лицензию Службы миграции на направление рабочей силы за рубеж",
     "Иҷозатномаи амалкунандаи Хадамоти муҳоҷират барои интиқоли қувваи корӣ ба хориҷа дорад"),
    (2, True, "Uzbekistan, Vietnam, Nepal, Kyrgyzstan, Cambodia",
     "Holds a financial guarantee in escrow for compensating workers, replenished after use",
     "労働者への補償のための保証金を第三者預託で保持し、使用後は補填すること",
     "Располагает финансовой гарантией на эскроу-счёте для компенсаций работникам и восполняет её после использования",
     "Кафолати молиявиро дар суратҳисоби эскроу барои ҷуброни коргарон нигоҳ медорад ва пас аз истифода пур мекунад"),
    (3, False, "Vietnam",
     "Is a registered domestic legal entity (with the minimum capital where the law sets one)",
     "国内で登記された法人であること（法令で定める場合は最低資本金を満たすこと）",
     "Является зарегистрированным юридическим лицом (с минимальным капиталом, если он установлен законом)",
     "Шахси ҳуқуқии бақайдгирифташуда мебошад (бо сармояи ҳадди ақал, агар қонун муқаррар карда бошад)"),
    (4, True, "Japan's rules for foreign sending organisations; Cambodia; Vietnam",
     "No criminal sentence or serious administrative penalty of the agency or its officers in the last 5 years, in either country",
     "過去5年間、いずれの国においても、機関又はその役員が刑事罰又は重大な行政処分を受けていないこと",
     "Организация и её руководители за последние 5 лет не имели уголовных приговоров или серьёзных административных взысканий ни в одной из стран",
     "Ташкилот ва роҳбарони он дар 5 соли охир дар ҳеҷ як аз ду кишвар ҳукми ҷиноятӣ ё ҷазои ҷиддии маъмурӣ надоштанд"),
    (5, True, "MOC 4(1)(a)(b); Japan's landing criteria for SSW (i); Cambodia",
     "Takes no deposit, manages no money or property of workers or relatives, signs no penalty-for-breach contracts",
     "保証金を徴収せず、労働者又はその親族の金銭その他の財産を管理せず、違約金を定める契約を締結しないこと",
     "Не берёт денежный залог (гарантийный взнос), не управляет деньгами или имуществом работников и их родственников, не заключает договоров с неустойкой",
     "Пули гаравӣ намегирад, пул ё амволи коргарон ва хешовандони онҳоро идора намекунад, шартномаҳои дорои ноустуворона намебандад"),
    (6, True, "MOC 4(1)(c); Cambodia; Japan",
     "No violence, threats or restriction of liberty; never holds passports or identity documents",
     "暴行、脅迫又は自由の制限を行わず、旅券又は身分証明書を保管しないこと",
     "Не применяет насилие, угрозы или ограничение свободы; никогда не удерживает паспорта или удостоверения личности",
     "Зӯроварӣ, таҳдид ё маҳдуд кардани озодиро истифода намебарад; ҳеҷ гоҳ шиноснома ё ҳуҷҷатҳои шахсиятро нигоҳ намедорад"),
    (7, True, "MOC 4(1)(d); Cambodia; Kyrgyzstan",
     "Uses or provides no forged, altered or false documents or information",
     "偽造、変造若しくは虚偽の文書又は情報を使用し、又は提供しないこと",
     "Не использует и не предоставляет поддельные, изменённые или ложные документы и сведения",
     "Ҳуҷҷатҳо ё маълумоти қалбакӣ, тағйирдодашуда ё бардурӯғро истифода намебарад ва пешниҳод намекунад"),
    (8, True, "MOC 4(1)(e); Japan's landing criteria; Philippines; Uzbekistan",
     "Publishes its fee schedule and explains it to the worker in writing with its basis and breakdown; issues receipts",
     "手数料表を公表し、その算出根拠及び内訳を書面で労働者に説明し、領収書を発行すること",
     "Публикует перечень сборов, письменно разъясняет работнику основания и состав платы, выдаёт квитанции",
     "Нархномаи хизматрасониро нашр мекунад, асос ва таркиби онро ба коргар хаттӣ шарҳ медиҳад ва квитансия медиҳад"),
    (9, False, "Vietnam, Cambodia, Uzbekistan",
     "Has capacity for pre-departure Japanese-language (A2 / N4) and orientation training",
     "出国前の日本語（A2／N4）及びオリエンテーション研修を実施する能力を有すること",
     "Способна проводить доотъездное обучение японскому языку (A2 / N4) и ориентацию",
     "Қобилияти гузаронидани омӯзиши забони японӣ (A2 / N4) ва ориентатсияро пеш аз рафтан дорад"),
    (10, True, "Philippines; Kyrgyzstan",
     "Has a written partnership with a Japanese employer or intermediary, with roles divided",
     "日本の受入機関又は仲介機関との間で、役割分担を定めた書面による提携関係を有すること",
     "Имеет письменное соглашение о партнёрстве с японским работодателем или посредником с распределением ролей",
     "Бо корфармо ё миёнарави японӣ шартномаи хаттии шарикӣ бо тақсими нақшҳо дорад"),
    (11, True, "Uzbekistan, Myanmar, Cambodia",
     "Registers every placement contract with the ministry and reports deployments periodically",
     "全ての送出し契約を省に登録し、定期的に送出し状況を報告すること",
     "Регистрирует каждый договор о трудоустройстве в министерстве и периодически отчитывается о направлении работников",
     "Ҳар як шартномаи ба кор ҷойгиркуниро дар вазорат ба қайд мегирад ва мунтазам дар бораи фиристодани коргарон ҳисобот медиҳад"),
    (12, True, "Japan's rules; the MOC 7(3)",
     "Cooperates with investigations and with information exchange under the Memorandum",
     "協力覚書に基づく調査及び情報交換に協力すること",
     "Сотрудничает при расследованиях и обмене информацией в рамках Меморандума",
     "Ҳангоми таҳқиқ ва мубодилаи маълумот дар доираи Меморандум ҳамкорӣ мекунад"),
    (13, False, "Cambodia; Japan",
     "Follows up after arrival and supports returning workers",
     "入国後のフォローアップ及び帰国する労働者への支援を行うこと",
     "Сопровождает работников после прибытия и поддерживает возвращающихся",
     "Пас аз расидан коргаронро пайгирӣ мекунад ва ба бозгаштагон дастгирӣ мерасонад"),
    (14, False, "Cambodia",
     "Performance thresholds (share of workers who left their employer, repeated audit failures) trigger a review",
     "実績基準（受入機関から離職した労働者の割合、監査不適合の反復等）に該当した場合は見直しの対象とすること",
     "Пороговые показатели (доля ушедших от работодателя работников, повторные нарушения при проверках) влекут пересмотр",
     "Нишондиҳандаҳои ҳадди (ҳиссаи коргароне, ки корфарморо тарк кардаанд, вайронкуниҳои такрорӣ ҳангоми санҷиш) боиси бознигарӣ мешаванд"),
    (15, False, "Vietnam",
     "Has qualified staff, a physical office and a public website",
     "有資格の職員、事務所及び公開のウェブサイトを有すること",
     "Имеет квалифицированный персонал, офис и публичный веб-сайт",
     "Кормандони баландихтисос, дафтар ва сомонаи оммавӣ дорад"),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("agencies", "Sector")
    Organization = apps.get_model("portal", "Organization")
    Criterion = apps.get_model("agencies", "ScreeningCriterion")
    for order, (code, ministry, is_open, test, (ja, en, ru, tg)) in enumerate(SECTORS, start=1):
        Sector.objects.get_or_create(
            code=code,
            defaults={
                "ministry": Organization.objects.filter(code=ministry).first(),
                "is_open": is_open,
                "skills_test": test,
                "sort_order": order,
                "name_ja": ja,
                "name_en": en,
                "name_ru": ru,
                "name_tg": tg,
            },
        )
    for number, mandatory, source, en, ja, ru, tg in CRITERIA:
        Criterion.objects.get_or_create(
            number=number,
            defaults={"mandatory": mandatory, "source": source, "text_en": en, "text_ja": ja, "text_ru": ru, "text_tg": tg},
        )


def unseed(apps, schema_editor):
    apps.get_model("agencies", "Sector").objects.filter(code__in=[row[0] for row in SECTORS]).delete()
    apps.get_model("agencies", "ScreeningCriterion").objects.filter(number__in=[row[0] for row in CRITERIA]).delete()


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
