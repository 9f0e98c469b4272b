from django.db import migrations, models


def number_each_boards_batches(apps, schema_editor):
    """Batches made before are numbered board by board, in the order they were made."""
    PaymentBatch = apps.get_model("expenses", "PaymentBatch")
    counts: dict[int, int] = {}
    batches = list(PaymentBatch.objects.order_by("board_id", "created_at", "pk"))
    for batch in batches:
        counts[batch.board_id] = batch.number = counts.get(batch.board_id, 0) + 1
    PaymentBatch.objects.bulk_update(batches, ["number"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("expenses", "0007_payee_references"),
    ]

    operations = [
        migrations.AddField(
            model_name="paymentbatch",
            name="number",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(number_each_boards_batches, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="paymentbatch",
            name="number",
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="paymentbatch",
            constraint=models.UniqueConstraint(
                fields=("board", "number"), name="batch_number_per_board"
            ),
        ),
    ]
