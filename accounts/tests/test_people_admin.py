"""The superuser's user and group pages: permissions listed in Thai, and a user and
a group added, changed and removed through the admin (organizations.services)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from testing.forms import form_data
from testing.pages import visible_text

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.test", "pw-12345"))
    return client


def test_permissions_are_listed_in_thai(superuser_client):
    someone = User.objects.create_user("someone")
    page = superuser_client.get(reverse("admin:auth_user_change", args=[someone.pk]))
    text = visible_text(page)
    assert "Can add" not in text and "Can change" not in text and "Can view" not in text
    assert "| มาตรการ | เพิ่มมาตรการ" in text
    assert "| มาตรการ | ดูมาตรการ" in text
    group_page = visible_text(superuser_client.get(reverse("admin:auth_group_add")))
    assert "Can delete" not in group_page
    assert "ลบมาตรการ" in group_page


def test_user_and_group_saved_through_the_admin(superuser_client):
    added = superuser_client.post(
        reverse("admin:auth_user_add"),
        {"username": "newcomer", "password1": "a-Long-pass-9876", "password2": "a-Long-pass-9876"},
    )
    assert added.status_code == 302, visible_text(added, status=None)
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.check_password("a-Long-pass-9876")

    view_measure = Permission.objects.get(codename="view_measure")
    superuser_client.post(
        reverse("admin:auth_group_add"), {"name": "ผู้อ่าน", "permissions": [view_measure.pk]}
    )
    readers = Group.objects.get(name="ผู้อ่าน")
    assert list(readers.permissions.all()) == [view_measure]

    change_url = reverse("admin:auth_user_change", args=[newcomer.pk])
    data = form_data(superuser_client.get(change_url).content.decode(), "user_form")
    data.update(first_name="สมชาย", groups=[str(readers.pk)])
    changed = superuser_client.post(change_url, data)
    assert changed.status_code == 302, visible_text(changed, status=None)
    newcomer.refresh_from_db()
    assert newcomer.first_name == "สมชาย" and list(newcomer.groups.all()) == [readers]

    superuser_client.post(reverse("admin:auth_user_delete", args=[newcomer.pk]), {"post": "yes"})
    assert not User.objects.filter(username="newcomer").exists()
