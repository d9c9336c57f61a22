"""The two staff roles, as data, and the function that gives them to groups.

* **Editor** records: adds, changes and views every content model, adds and
  removes a record's photos and source links, but neither deletes records or
  vocabulary terms nor publishes.
* **Publisher** reviews and publishes: everything on every content model.

Both handle the facts the extractor suggests for an imported article
(``news.factsuggestion``): Editors accept, edit and dismiss them; Publishers
may also delete them.

Neither role touches users, groups or permissions (``auth``): that stays with
superusers. The data migration ``cantho/migrations/0002_roles.py`` applies
:data:`ROLES`; re-applying makes each group's permissions exactly these again.
A model added later (``news.FactSuggestion``) gets its permissions from the
migration that re-applies the roles after creating it (``0005_roles_suggestions``).
This module imports no models, so migrations can use it with historical models.
"""

from __future__ import annotations

#: Public records (``Record`` subclasses): they have a ``publish`` permission.
RECORDS = (
    "news.article",
    "partners.partner",
    "partners.agreement",
    "events.event",
    "investments.investment",
    "investments.aidproject",
    "cantho.indicator",
)
#: Parts edited inside a record's form: photos and source links.
PARTS = (
    "news.articlephoto",
    "partners.partnersource",
    "partners.agreementsource",
    "events.eventsource",
    "investments.investmentsource",
    "investments.aidprojectsource",
    "cantho.indicatorsource",
)
#: Shared vocabularies records point to.
VOCABULARIES = ("news.category", "cantho.field", "cantho.metric")
#: Facts the extractor found in an article, for an editor to accept, edit or dismiss.
SUGGESTIONS = ("news.factsuggestion",)

#: Group name -> {"app_label.model_name": actions}.
ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "Editor": {
        **dict.fromkeys(RECORDS, ("add", "change", "view")),
        **dict.fromkeys(PARTS, ("add", "change", "delete", "view")),
        **dict.fromkeys(VOCABULARIES, ("add", "change", "view")),
        **dict.fromkeys(SUGGESTIONS, ("add", "change", "view")),
    },
    "Publisher": {
        **dict.fromkeys(RECORDS, ("add", "change", "delete", "view", "publish")),
        **dict.fromkeys(PARTS + VOCABULARIES + SUGGESTIONS, ("add", "change", "delete", "view")),
    },
}


def permission_names(role: str, apps=None) -> set[str]:
    """The role's permissions as ``user.has_perm`` spells them, e.g. ``"partners.change_partner"``.

    With ``apps`` (a migration's historical app registry), only those of the models
    that exist in it.
    """
    names = set()
    for label, actions in ROLES[role].items():
        app_label, model = label.split(".")
        if apps is None or _exists(apps, app_label, model):
            names.update(f"{app_label}.{action}_{model}" for action in actions)
    return names


def _exists(apps, app_label: str, model: str) -> bool:
    try:
        apps.get_model(app_label, model)
    except LookupError:
        return False
    return True


def create_all_permissions(apps, using: str = "default") -> None:
    """Create every model's permissions now, from the migration's app state.

    Django normally creates them after ``migrate`` finishes (post_migrate); a
    roles migration needs them earlier.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Historical app configs have no models module; create_permissions skips those.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = None


def apply_roles(apps, using: str = "default") -> None:
    """Create or update the role groups so that each has exactly its permissions.

    ``apps`` is a migration's historical app registry (or ``django.apps.apps``);
    the permissions must exist already. A missing one raises ``LookupError``,
    unless its model does not exist yet in ``apps`` (an early migration such as
    ``0002_roles`` runs before later models are created): those permissions are
    granted when they exist, else left to the migration that re-applies the roles.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        wanted = permission_names(role)
        found = {
            f"{app_label}.{codename}": pk
            for pk, app_label, codename in Permission.objects.using(using).values_list("pk", "content_type__app_label", "codename")
            if f"{app_label}.{codename}" in wanted
        }
        missing = permission_names(role, apps) - found.keys()
        if missing:
            raise LookupError(f"Permissions missing for the {role} group: {', '.join(sorted(missing))}")
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set(found.values())


def remove_roles(apps, using: str = "default") -> None:
    """Delete the role groups (the reverse of :func:`apply_roles`)."""
    apps.get_model("auth", "Group").objects.using(using).filter(name__in=ROLES).delete()
