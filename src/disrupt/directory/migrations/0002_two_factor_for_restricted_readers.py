"""Roles that may read TLP:AMBER or above require a second factor (issue 4, hardening).

Fresh installations get this from data/reference.yaml; this turns it on once for an existing
installation, whose roles were created when no role required it. An administrator may still
change it afterwards (admin → Roles).
"""

from typing import Any

from django.db import migrations

RESTRICTED_READERS = ["secretariat", "co_chair", "focal_point", "investigator", "analyst"]


def require(apps: Any, schema_editor: Any) -> None:
    apps.get_model("directory", "Role").objects.filter(code__in=RESTRICTED_READERS).update(
        requires_two_factor=True
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(require, migrations.RunPython.noop)]
