"""Fixtures for the admin tests: staff users in each role and logged-in clients."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client

from cantho.roles import apply_roles


def role_group(name: str) -> Group:
    """The role group created by the roles migration.

    A test database flushed by a transactional test elsewhere keeps the
    permissions (recreated after the flush) but loses the groups; put them back.
    """
    if not Group.objects.filter(name=name).exists():
        apply_roles(apps)
    return Group.objects.get(name=name)


@pytest.fixture
def editor(db, django_user_model):
    user = django_user_model.objects.create_user("editor", password="not-used", is_staff=True)
    user.groups.add(role_group("Editor"))
    return user


@pytest.fixture
def publisher(db, django_user_model):
    user = django_user_model.objects.create_user("publisher", password="not-used", is_staff=True)
    user.groups.add(role_group("Publisher"))
    return user


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "not-used")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def anonymous_client(db) -> Client:
    return Client()


@pytest.fixture
def editor_client(editor) -> Client:
    return logged_in(editor)


@pytest.fixture
def publisher_client(publisher) -> Client:
    return logged_in(publisher)


@pytest.fixture
def superuser_client(superuser) -> Client:
    return logged_in(superuser)
