"""Helpers the data migrations of record kinds share: give existing records their
reference numbers, in the order they were created (historical models only)."""

from django.utils import timezone


def give_references(apps, app_label: str, model_name: str, kind: str) -> None:
    Model = apps.get_model(app_label, model_name)
    Counter = apps.get_model("records", "ReferenceCounter")
    Organization = apps.get_model("portal", "Organization")
    Side = apps.get_model("portal", "Side")
    countries = {side.pk: side.country for side in Side.objects.all()}
    side_of = dict(Organization.objects.values_list("pk", "side_id"))
    for record in Model.objects.filter(reference__isnull=True).order_by("created_at", "pk"):
        year = timezone.localtime(record.created_at).year
        prefix = f"{countries.get(side_of.get(record.origin_id), 'XX')}-{kind}-{year}"
        counter, _created = Counter.objects.get_or_create(prefix=prefix)
        counter.last += 1
        counter.save(update_fields=["last"])
        Model.objects.filter(pk=record.pk).update(reference=f"{prefix}-{counter.last:04d}")
