"""Give the Editor and Publisher groups the permissions on suggested facts (see cantho/roles.py).

``news.FactSuggestion`` was created after ``0002_roles``; this re-applies the
roles once its permissions exist. Django creates permissions only after
``migrate`` finishes (post_migrate), so they are created first, as in 0002.
"""

from django.db import migrations

from cantho.roles import create_all_permissions, apply_roles



def forwards(apps, schema_editor):
    using = schema_editor.connection.alias
    create_all_permissions(apps, using)
    apply_roles(apps, using)


class Migration(migrations.Migration):
    dependencies = [
        ("cantho", "0004_editorial_states_history_trash"),
        ("news", "0003_fact_suggestions"),
    ]

    # Backwards there is nothing to undo: 0002_roles' reverse deletes the groups.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
