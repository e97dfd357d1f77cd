import secrets

from django.db import migrations, models

import packs.models

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def fill_references(apps, schema_editor):
    # Existing orders get a reference of their own (a frozen copy of the rule: migrations never
    # import live code that may change).
    Order = apps.get_model("packs", "Order")
    taken = set()
    for order in Order.objects.filter(reference__isnull=True).only("pk").iterator():
        while True:
            chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
            reference = f"MP-{chars[:4]}-{chars[4:]}"
            if reference not in taken:
                break
        taken.add(reference)
        Order.objects.filter(pk=order.pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [("packs", "0003_subscription_life")]

    operations = [
        migrations.AddField(
            model_name="order",
            name="reference",
            field=models.CharField(editable=False, max_length=12, null=True, verbose_name="order reference"),
        ),
        migrations.RunPython(fill_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="order",
            name="reference",
            field=models.CharField(
                default=packs.models.new_order_reference,
                editable=False,
                max_length=12,
                unique=True,
                verbose_name="order reference",
            ),
        ),
    ]
