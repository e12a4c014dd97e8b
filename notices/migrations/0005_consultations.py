# The consultations part of issue 13. Owned by whoever builds notices/consultations/: its models'
# operations only (the parts' migrations form one chain so that no two leaves meet).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0004_inquiries"),
    ]

    operations = []
