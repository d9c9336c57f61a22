"""Who may do what in the admin: every admin URL of every registered model, for every kind of visitor.

The models and their URLs are enumerated from ``admin.site`` (a new model or a new admin
view is covered, or fails here until it gets an expectation). What each role may do is
written down below from the roles' definition (README, cantho/roles.py), independently of
the permissions stored in the database, so a role that got too much fails the matrix:

* Editors view, add and change content, never delete it nor publish it.
* Publishers do everything on content, including publishing.
* Neither role sees users, groups or permissions, nor the login records: superusers only.
* Anonymous visitors and logged-in non-staff users are sent to the login page everywhere.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import URLPattern, resolve, reverse

from cantho.models import Record, Status
from news.models import Article, FactSuggestion
from tests.admin.conftest import role_group

ROLES = ("Editor", "Publisher", "superuser")
ADMIN_ONLY_APPS = {"auth", "axes"}
MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)

#: What each admin view needs, by the end of its URL name: (action, model whose permission counts).
#: None for the model means the admin's own model.
VIEW_NEEDS = {
    "changelist": ("view", None),
    "add": ("add", None),
    "change": ("view", None),
    "delete": ("delete", None),
    "history": ("view", None),
    "simple_history": ("view", None),
    "trash_empty": ("delete", None),
    "password_change": ("change", None),
    "article_import": ("add", None),
    "article_import_create": ("add", None),
    "article_suggestions": ("view", FactSuggestion),
    "article_suggest": ("add", FactSuggestion),
    "article_suggestions_dismiss": ("change", FactSuggestion),
    "factsuggestion_accept": ("change", FactSuggestion),
    "factsuggestion_edit": ("change", FactSuggestion),
    "factsuggestion_dismiss": ("change", FactSuggestion),
}


def role_may(role: str, action: str, model) -> bool:
    """The roles as the README states them (not as stored: this is what the matrix checks)."""
    if role == "superuser":
        return True
    if model._meta.app_label in ADMIN_ONLY_APPS:
        return False
    if role == "Publisher":
        return True
    return action in ("view", "add", "change")  # Editor


def admin_allows(model_admin, superuser, action: str) -> bool:
    """What the model's admin allows at all (to a superuser): e.g. nobody adds login records by hand."""
    request = RequestFactory().get("/")
    request.user = superuser
    check = {
        "view": model_admin.has_view_or_change_permission,
        "add": model_admin.has_add_permission,
        "change": model_admin.has_change_permission,
        "delete": model_admin.has_delete_permission,
    }[action]
    return check(request)


@pytest.fixture
def people(seeded, django_user_model):
    users = {"superuser": django_user_model.objects.create_superuser("root", "root@example.org", "x")}
    for role in ("Editor", "Publisher"):
        users[role] = django_user_model.objects.create_user(role.lower(), password="x", is_staff=True)
        users[role].groups.add(role_group(role))
    users["non-staff"] = django_user_model.objects.create_user("citizen", password="x")
    return users


@pytest.fixture
def objects(people):
    """One object of every registered model (a model without one fails the test: give it one here)."""
    # a failed and a successful login make django-axes' records
    Client().post("/admin/login/", {"username": "nobody", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    people["Editor"].set_password("right-password-42")
    people["Editor"].save()
    Client().post("/admin/login/", {"username": "editor", "password": "right-password-42"}, REMOTE_ADDR="10.9.9.9")
    article = Article.objects.filter(deleted_at__isnull=True).first()
    article.status = Status.DRAFT
    article.save()
    suggestion = FactSuggestion.objects.create(article=article, kind="partner", text="JICA", sentence="JICA hỗ trợ.")
    found = {model: model._default_manager.order_by("pk").first() for model in MODELS}
    found[Group] = Group.objects.get(name="Editor")
    found[Article] = article
    missing = [model._meta.label for model, obj in found.items() if obj is None]
    assert missing == [], "give these models an object in the fixture"
    return found, suggestion


def admin_urls(model, obj, suggestion):
    """(url name, url, method) of every view of the model's admin, with the object's keys filled in."""
    model_admin = admin.site._registry[model]
    for pattern in model_admin.get_urls():
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue  # the bare "<object_id>/" redirect to the change page
        if pattern.pattern.regex.groups and not pattern.pattern.converters:  # simple_history's revision view, positional
            url = reverse(f"admin:{pattern.name}", args=[obj.pk, obj.history.order_by("history_id").first().history_id])
        else:
            keys = {"object_id": obj.pk, "id": obj.pk, "pk": suggestion.article_id if model is Article else obj.pk, "suggestion_pk": suggestion.pk}
            url = reverse(f"admin:{pattern.name}", kwargs={name: keys[name] for name in pattern.pattern.regex.groupindex})
        view_class = getattr(resolve(url).func, "view_class", None)
        method = "post" if view_class is not None and "get" not in view_class.http_method_names else "get"
        yield pattern.name, url, method


def needs(url_name: str, model):
    for suffix, (action, other) in sorted(VIEW_NEEDS.items(), key=lambda item: -len(item[0])):
        if url_name.endswith("_" + suffix):
            return action, other or model
    pytest.fail(f"admin URL {url_name!r} has no expectation in VIEW_NEEDS")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_visitors_without_staff_status_are_sent_to_the_login_page(people, objects, model):
    found, suggestion = objects
    non_staff = Client()
    non_staff.force_login(people["non-staff"])
    for who, client in (("anonymous", Client()), ("non-staff", non_staff)):
        for name, url, method in admin_urls(model, found[model], suggestion):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (who, name)
            assert response["Location"].startswith("/admin/login/?next="), (who, name)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_each_role_gets_exactly_what_it_may(people, objects, model, role):
    found, suggestion = objects
    client = Client()
    client.force_login(people[role])
    model_admin = admin.site._registry[model]
    wrong = []
    for name, url, method in admin_urls(model, found[model], suggestion):
        action, counted = needs(name, model)
        allowed = role_may(role, action, counted) and (counted is not model or admin_allows(model_admin, people["superuser"], action))
        response = getattr(client, method)(url)
        if allowed:
            ok = response.status_code == 200 if method == "get" else response.status_code in (200, 302)
        else:
            ok = response.status_code == 403
        if not ok:
            wrong.append((name, method, "allowed" if allowed else "forbidden", response.status_code))
    assert wrong == []


RECORD_MODELS = [m for m in MODELS if issubclass(m, Record)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda m: m._meta.label)
def test_only_publishers_publish(people, objects, model, role):
    found, _ = objects
    record = found[model]
    model._default_manager.filter(pk=record.pk).update(status=Status.REVIEW, published_at=None, deleted_at=None)
    client = Client()
    client.force_login(people[role])
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    client.post(url, {"action": "publish", "_selected_action": [record.pk], "confirm": "yes"})
    # and the change form, with the status field
    record.refresh_from_db()
    may_publish = role in ("Publisher", "superuser")
    assert (record.status == Status.PUBLISHED) is may_publish
    assert admin.site._registry[model].has_publish_permission(_request(people[role])) is may_publish


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("role", ROLES)
def test_site_pages_and_work_queue(people, objects, role):
    client = Client()
    client.force_login(people[role])
    index = client.get("/admin/")
    assert index.status_code == 200
    assert ('id="work-queue"' in index.content.decode()) is True
    for path in ("/admin/password_change/", "/admin/jsi18n/"):
        assert client.get(path).status_code == 200, path
    apps = {model._meta.app_label for model in MODELS}
    for app in apps:
        visible = any(role_may(role, "view", m) for m in MODELS if m._meta.app_label == app)
        assert client.get(f"/admin/{app}/").status_code == (200 if visible else 404), app
    # the trash of each record model: a Publisher's (an Editor sees the list, but no "empty" button)
    for model in RECORD_MODELS:
        response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + "?trash=yes")
        assert response.status_code == 200
