"""Opening a model's admin pages in tests: its list with the queries it ran, and the
answers to the pages that write (add, change, delete) for a read-only admin."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from testing.pages import visible_text


def root_client() -> Client:
    """A client signed in as a new superuser."""
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "", "x"))
    return client


def admin_url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def list_page(client, model, query: str = "") -> tuple[str, int]:
    """The visible text of the model's list (200) and the number of queries it ran."""
    with CaptureQueriesContext(connection) as seen:
        response = client.get(admin_url(model, "changelist") + query)
    return visible_text(response), len(seen)


def writes_refused(client, obj) -> None:
    """Nobody adds, changes or removes the model's rows here: each page that would
    answers 403 (a POST too) and the row stays as it was."""
    model = type(obj)
    before = model._base_manager.filter(pk=obj.pk).values().get()
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "add"), {}).status_code == 403
    assert client.post(admin_url(model, "change", obj.pk), {}).status_code == 403
    assert client.get(admin_url(model, "delete", obj.pk)).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    deleted = client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert deleted.status_code == 200  # no such action: the list again
    assert model._base_manager.filter(pk=obj.pk).values().get() == before


def hidden_from(client, obj) -> None:
    """The row is not told to exist: its pages send to the admin's index."""
    index = reverse("admin:index")
    for view in ("change", "history"):
        response = client.get(admin_url(type(obj), view, obj.pk))
        assert response.status_code == 302 and response.url == index, view
