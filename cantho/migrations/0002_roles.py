"""Create the Editor and Publisher groups (see cantho/roles.py).

Django creates permissions only after ``migrate`` finishes (post_migrate), so this
migration creates them first, for every app, from the historical models.
"""

from django.db import migrations

from cantho.roles import create_all_permissions, apply_roles, remove_roles



def forwards(apps, schema_editor):
    using = schema_editor.connection.alias
    create_all_permissions(apps, using)
    apply_roles(apps, using)


def backwards(apps, schema_editor):
    remove_roles(apps, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cantho", "0001_initial"),
        ("news", "0001_initial"),
        ("partners", "0001_initial"),
        ("events", "0001_initial"),
        ("investments", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
