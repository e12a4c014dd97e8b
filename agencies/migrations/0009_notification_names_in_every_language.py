"""Inbox items written before the naming rule (docs/naming.md) stored one rendering of a
name in their parameters: a sending agency's Tajik name (``agency``) and a third party's
English one (``third_party``), so a Japanese reader saw Cyrillic and a Russian reader
never the Russian name. Each now stores every rendering of the name
(``portal.i18n.renderings``) and is rendered in its reader's language.

The agency is found from what the item already names (its event, its investigation's
reference), else by its Tajik name when exactly one agency has it; the third party by
its English name when exactly one organization has it. A name that matches nothing is
kept as the rendering it was (Tajik, English), so no item loses its text.

It lives in the agencies app because most of the items it mends are the app's; it also
mends the kit's consent items, which name a third party, while it is at it."""

from django.db import migrations

LANGUAGES = ("ja", "en", "ru", "tg")
BATCH = 500


def _renderings(obj) -> dict:
    # Frozen copy of portal.i18n.renderings: a migration must not follow later changes.
    return {code: getattr(obj, f"name_{code}") for code in LANGUAGES if getattr(obj, f"name_{code}")}


def _agency(apps, params: dict):
    SendingAgency = apps.get_model("agencies", "SendingAgency")
    AgencyEvent = apps.get_model("agencies", "AgencyEvent")
    Investigation = apps.get_model("agencies", "Investigation")
    event = params.get("event")
    if isinstance(event, int):
        found = AgencyEvent.objects.filter(pk=event).select_related("agency").first()
        if found is not None:
            return found.agency
    reference = params.get("reference")
    if reference:
        found = Investigation.objects.filter(reference=reference).select_related("agency").first()
        if found is not None:
            return found.agency
    same_name = list(SendingAgency.objects.filter(name_tg=params["agency"])[:2])
    return same_name[0] if len(same_name) == 1 else None


def _third_party(apps, params: dict):
    Organization = apps.get_model("portal", "Organization")
    same_name = list(Organization.objects.filter(name_en=params["third_party"])[:2])
    return same_name[0] if len(same_name) == 1 else None


def store_every_rendering(apps, schema_editor):
    Notification = apps.get_model("portal", "Notification")
    changed = []
    items = Notification.objects.filter(params__has_any_keys=["agency", "third_party"]).order_by("pk")
    for item in items.iterator(chunk_size=BATCH):
        params = dict(item.params)
        if isinstance(params.get("agency"), str):
            agency = _agency(apps, params)
            params["agency"] = _renderings(agency) if agency is not None else {"tg": params["agency"]}
        if isinstance(params.get("third_party"), str):
            third_party = _third_party(apps, params)
            params["third_party"] = (
                _renderings(third_party) if third_party is not None else {"en": params["third_party"]}
            )
        if params != item.params:
            item.params = params
            changed.append(item)
        if len(changed) >= BATCH:
            Notification.objects.bulk_update(changed, ["params"])
            changed = []
    Notification.objects.bulk_update(changed, ["params"])


def store_one_rendering(apps, schema_editor):
    """Back to the single rendering the code before the rule stored."""
    Notification = apps.get_model("portal", "Notification")
    changed = []
    items = Notification.objects.filter(params__has_any_keys=["agency", "third_party"]).order_by("pk")
    for item in items.iterator(chunk_size=BATCH):
        params = dict(item.params)
        for key, language in (("agency", "tg"), ("third_party", "en")):
            value = params.get(key)
            if isinstance(value, dict):
                params[key] = value.get(language) or next(iter(value.values()), "")
        if params != item.params:
            item.params = params
            changed.append(item)
    Notification.objects.bulk_update(changed, ["params"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0008_publication_pdf_withheld"),
        ("portal", "0009_correspondence_references"),
    ]

    operations = [migrations.RunPython(store_every_rendering, store_one_rendering)]
