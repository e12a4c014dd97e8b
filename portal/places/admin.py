from django.contrib import admin

from .models import Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ja", "name_ru", "name_tg", "aliases"]
    search_fields = ["name_en", "name_ja", "name_ru", "name_tg", "aliases"]
