from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.i18n import MultilingualName


class Place(MultilingualName):
    """A region or city in Japanese, English, Russian and Tajik.

    Records keep a place as the text an officer typed ("Sughd", "Khujand", "Tokyo"), so a
    list reads the same whoever entered it; this table gives that text its rendering in
    the reader's language (``portal.places.names.place_name``). Text that matches no row
    is shown as stored: an administrator adds the row, and every page follows."""

    aliases = models.CharField(
        _("other spellings"),
        max_length=300,
        blank=True,
        help_text=_(
            "Other spellings found in records, separated by commas (for example Khudjand, Khodjent)."
        ),
    )

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name_en"]
        constraints = [models.UniqueConstraint(fields=["name_en"], name="place_name_en_unique")]

    def spellings(self) -> list[str]:
        """Every text that names this place: its four renderings and its other spellings."""
        names = [self.name_ja, self.name_en, self.name_ru, self.name_tg, *self.aliases.split(",")]
        return [name for name in names if name.strip()]
