"""The Editor and Publisher groups made by the roles migration."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from cantho.roles import ROLES, permission_names

pytestmark = pytest.mark.django_db


def granted(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {f"{app}.{codename}" for app, codename in group.permissions.values_list("content_type__app_label", "codename")}


def test_migrations_create_both_groups_with_their_permissions():
    assert granted("Editor") == permission_names("Editor")
    assert granted("Publisher") == permission_names("Publisher")


def test_editor_records_but_neither_deletes_records_nor_publishes():
    editor = granted("Editor")
    assert {"partners.add_partner", "partners.change_partner", "partners.view_partner", "news.change_article", "cantho.add_field"} <= editor
    assert {"partners.add_partnersource", "partners.delete_partnersource", "news.delete_articlephoto"} <= editor
    assert not {"partners.publish_partner", "partners.delete_partner", "news.publish_article", "cantho.delete_field"} & editor


def test_publisher_has_everything_on_content():
    publisher = granted("Publisher")
    assert {"partners.publish_partner", "partners.delete_partner", "investments.publish_aidproject", "cantho.publish_indicator"} <= publisher
    assert {"news.delete_category", "cantho.delete_metric", "events.delete_eventsource"} <= publisher


def test_no_role_manages_users_groups_or_permissions():
    for role in ROLES:
        assert not any(name.startswith(("auth.", "admin.", "contenttypes.", "sessions.")) for name in granted(role))


def test_the_roles_migration_is_reversible():
    migration = importlib.import_module("cantho.migrations.0002_roles")
    state_apps = MigrationLoader(connection).project_state(("cantho", "0002_roles")).apps
    schema_editor = SimpleNamespace(connection=connection)
    migration.backwards(state_apps, schema_editor)
    assert not Group.objects.filter(name__in=ROLES).exists()
    migration.forwards(state_apps, schema_editor)
    migration.forwards(state_apps, schema_editor)  # running twice changes nothing
    assert granted("Editor") == permission_names("Editor")
    assert granted("Publisher") == permission_names("Publisher")
