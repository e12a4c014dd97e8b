"""A consent names the side whose information it discloses (clause 3, portal.disclosure).
Existing consents were given by the originating side: that was the only side allowed to."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    DisclosureConsent = apps.get_model("portal", "DisclosureConsent")
    User = apps.get_model("portal", "User")
    for consent in DisclosureConsent.objects.filter(side__isnull=True):
        granted_by = User.objects.select_related("organization").get(pk=consent.granted_by_id)
        consent.side_id = granted_by.organization.side_id
        consent.save(update_fields=["side"])


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_audit_chain_head_function")]

    operations = [
        migrations.AddField(
            model_name="disclosureconsent",
            name="side",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="portal.side",
                verbose_name="consenting side",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="disclosureconsent",
            name="side",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="portal.side",
                verbose_name="consenting side",
            ),
        ),
        migrations.RemoveIndex(model_name="disclosureconsent", name="portal_disc_content_386c66_idx"),
        migrations.AddIndex(
            model_name="disclosureconsent",
            index=models.Index(
                fields=["content_type", "object_id", "third_party"], name="consent_record_third_party"
            ),
        ),
    ]
