"""The places the portal's records name today, in the four languages: where the
Memorandum was signed (Tokyo, Dushanbe), Tajikistan's regions and the cities the
sending agencies are registered in. Records keep the text they hold ("Sughd",
"Khujand", "RRP"); these rows, matched by any rendering or other spelling, give that
text its rendering in the reader's language. Editable afterwards in admin."""

from django.db import migrations

#: (English, Japanese, Russian, Tajik, other spellings)
PLACES = [
    ("Tokyo", "東京", "Токио", "Токио", "Tōkyō"),
    ("Dushanbe", "ドゥシャンベ", "Душанбе", "Душанбе", ""),
    ("Sughd", "ソグド州", "Согдийская область", "Вилояти Суғд", "Sogd, Soghd, Согд, Суғд"),
    ("Khatlon", "ハトロン州", "Хатлонская область", "Вилояти Хатлон", "Хатлон"),
    (
        "Gorno-Badakhshan",
        "ゴルノ・バダフシャン自治州",
        "Горно-Бадахшанская автономная область",
        "Вилояти Мухтори Кӯҳистони Бадахшон",
        "GBAO, ГБАО, ВМКБ",
    ),
    (
        "Districts of Republican Subordination",
        "共和国直轄地域",
        "Районы республиканского подчинения",
        "Ноҳияҳои тобеи ҷумҳурӣ",
        "RRP, DRS, РРП, НТҶ",
    ),
    ("Khujand", "フジャンド", "Худжанд", "Хуҷанд", "Khudjand, Khodjent, Khojand, Ходжент"),
    ("Bokhtar", "ボフタル", "Бохтар", "Бохтар", "Qurghonteppa, Kurgan-Tyube"),
    ("Kulob", "クリャーブ", "Куляб", "Кӯлоб", "Kulyab"),
    ("Vahdat", "ワフダト", "Вахдат", "Ваҳдат", "Vakhdat"),
    ("Khorog", "ホログ", "Хорог", "Хоруғ", "Khorugh"),
    ("Hisor", "ヒソル", "Гиссар", "Ҳисор", "Hissar, Gissar"),
    ("Istaravshan", "イスタラフシャン", "Истаравшан", "Истаравшан", ""),
    ("Isfara", "イスファラ", "Исфара", "Исфара", ""),
    ("Panjakent", "パンジケント", "Пенджикент", "Панҷакент", "Penjikent, Panjikent"),
    ("Tursunzoda", "トゥルスンゾダ", "Турсунзаде", "Турсунзода", "Tursunzade"),
]


def seed(apps, schema_editor):
    Place = apps.get_model("places", "Place")
    for en, ja, ru, tg, aliases in PLACES:
        Place.objects.update_or_create(
            name_en=en, defaults={"name_ja": ja, "name_ru": ru, "name_tg": tg, "aliases": aliases}
        )
    from django.core.cache import cache

    cache.delete("places:renderings:v1")


def unseed(apps, schema_editor):
    apps.get_model("places", "Place").objects.filter(name_en__in=[row[0] for row in PLACES]).delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
