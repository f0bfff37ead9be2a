"""Blocking keys name their block in their top bits: the block is kept beside the key, indexed."""

from typing import Any

from django.db import migrations, models
from django.db.models import F

SUB_BLOCK_BITS = 24  # bloom.SUB_BLOCK_BITS when this migration was written


def fill_blocks(apps: Any, schema_editor: Any) -> None:
    BlockKey = apps.get_model("matching", "BlockKey")
    BlockKey.objects.update(block=F("key").bitrightshift(SUB_BLOCK_BITS))


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="blockkey", name="block", field=models.BigIntegerField(default=0), preserve_default=False
        ),
        migrations.RunPython(fill_blocks, migrations.RunPython.noop),
        migrations.AddIndex(model_name="blockkey", index=models.Index(fields=["block"], name="blockkey_block")),
    ]
