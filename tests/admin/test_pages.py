"""Every admin page answers the right people, and only them."""

from __future__ import annotations

import pytest
from django.contrib import admin

from tests.admin.helpers import FACTORIES, admin_url

pytestmark = pytest.mark.django_db
MODELS = pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model._meta.label)


def test_every_project_model_with_a_page_is_covered_here():
    project_apps = {"cantho", "news", "partners", "events", "investments"}
    registered = {model for model in admin.site._registry if model._meta.app_label in project_apps}
    assert registered == set(FACTORIES)


@MODELS
def test_publisher_opens_changelist_add_and_change_pages(publisher_client, model):
    record = FACTORIES[model]()
    for url in (admin_url(model, "changelist"), admin_url(model, "add"), admin_url(model, "change", record.pk)):
        assert publisher_client.get(url).status_code == 200, url


@MODELS
def test_anonymous_visitor_is_sent_to_the_login_page(anonymous_client, model):
    record = FACTORIES[model]()
    for url in (admin_url(model, "changelist"), admin_url(model, "add"), admin_url(model, "change", record.pk)):
        response = anonymous_client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=")


@MODELS
def test_editor_edits_but_cannot_delete(editor_client, model):
    record = FACTORIES[model]()
    for url in (admin_url(model, "changelist"), admin_url(model, "add"), admin_url(model, "change", record.pk)):
        assert editor_client.get(url).status_code == 200, url
    assert editor_client.get(admin_url(model, "delete", record.pk)).status_code == 403
    assert editor_client.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()


def test_publisher_delete_moves_a_record_to_the_trash(publisher_client):
    model = next(iter(FACTORIES))
    record = FACTORIES[model]()
    assert publisher_client.get(admin_url(model, "delete", record.pk)).status_code == 200
    publisher_client.post(admin_url(model, "delete", record.pk), {"post": "yes"})
    assert model.objects.get(pk=record.pk).deleted_at is not None  # kept, in the trash


def test_roles_do_not_manage_users(editor_client, publisher_client):
    for client in (editor_client, publisher_client):
        assert client.get("/admin/auth/user/").status_code == 403
        assert client.get("/admin/auth/group/").status_code == 403


def test_site_header_names_the_portal_in_each_language(superuser_client):
    assert "Cần Thơ International Cooperation Portal" in superuser_client.get("/en/admin/").content.decode()
    vietnamese = superuser_client.get("/admin/").content.decode()
    assert "Cần Thơ" in vietnamese and "International Cooperation Portal" not in vietnamese


def test_change_page_links_to_the_public_page(publisher_client):
    from partners.models import Partner

    partner = FACTORIES[Partner]()
    response = publisher_client.get(admin_url(Partner, "change", partner.pk))
    assert "/admin/r/" in response.content.decode()  # "View on site"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_changelist_row_checkboxes_are_djangos_own(publisher_client, language):
    """The rows' checkboxes (written in Python, see RecordAdmin.action_checkbox) are what Django's admin writes."""
    from django.contrib.admin import ModelAdmin
    from django.utils import translation

    from partners.models import Partner

    partner = FACTORIES[Partner](name='Hội "Hữu nghị" <Việt – Nhật> & bạn bè')
    model_admin = admin.site._registry[Partner]
    with translation.override(language):
        ours, djangos = model_admin.action_checkbox(partner), ModelAdmin.action_checkbox(model_admin, partner)
    assert ours == djangos
    prefix = "/en" if language == "en" else ""
    page = publisher_client.get(prefix + admin_url(Partner, "changelist"))
    assert djangos in page.content.decode()
