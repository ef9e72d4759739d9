"""The admin's own pages (not a model's): who gets in, and where the others are sent.
Whoever is not in the admin (not staff) is sent to its login page with `next=`; the
admin's logout sends them to the admin's index (which sends them on)."""

from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ita_portal.tests.permission_walk.portal import NEW_PASSWORD, session_ended
from ita_portal.tests.permission_walk.walker import (
    ADMIN_LOGIN,
    ADMIN_USERS,
    ROLES,
    Go,
    Visit,
    Wrote,
)
from ita_portal.tests.permission_walk.world import PASSWORD, World
from measures.models import Measure
from testing.forms import form_data


def admin_only(answer) -> list:
    """`answer` for those in the admin, its login page for everyone else."""
    return [answer if role in ADMIN_USERS else ADMIN_LOGIN for role in ROLES]


def _same_both_ways(name, url, answer) -> list[Visit]:
    """A page that shows whatever the method, and writes nothing."""
    return [
        Visit(name, "get", url, admin_only(answer)),
        Visit(name, "post", url, admin_only(answer), data={}),
    ]


def _get_only(name, url) -> list[Visit]:
    return [
        Visit(name, "get", url, admin_only(200)),
        Visit(name, "post", url, admin_only(405), data={}),
    ]


def admin_site_visits(world: World) -> list[Visit]:
    index = reverse("admin:index")
    measure_type = ContentType.objects.get_for_model(Measure)
    autocomplete = (
        reverse("admin:autocomplete")
        + "?app_label=measures&model_name=measuredivision&field_name=division&term="
        + quote("กอง")
    )
    return [
        *_same_both_ways("admin:index", index, 200),
        *_same_both_ways("admin:app_list", reverse("admin:app_list", args=["measures"]), 200),
        # The admin's "view on site" link: measures have no such page, so nobody is
        # sent anywhere (and the object's existence is not told).
        *_same_both_ways(
            "admin:view_on_site",
            reverse("admin:view_on_site", args=[measure_type.pk, world.measure.pk]),
            404,
        ),
        *_get_only("admin:jsi18n", reverse("admin:jsi18n")),
        # Division search for the responsible-division picker: within the user's
        # organizations only (test_admin_scoping).
        *_get_only("admin:autocomplete", autocomplete),
        *_account_visits(),
    ]


def _account_visits() -> list[Visit]:
    """One's password, signing in and out of the admin."""
    users = get_user_model().objects
    index = reverse("admin:index")
    change = reverse("admin:password_change")
    not_in = [Go(index) if role not in ADMIN_USERS else None for role in ROLES]
    return [
        Visit("admin:password_change", "get", change, admin_only(200)),
        Visit(
            "admin:password_change",
            "post",
            change,
            admin_only(Wrote(Go(reverse("admin:password_change_done")))),
            data={
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
            done=lambda seen: (
                seen.user is not None and users.get(pk=seen.user.pk).check_password(NEW_PASSWORD)
            ),
        ),
        *_get_only("admin:password_change_done", reverse("admin:password_change_done")),
        # The admin's login page: shown to whoever is not yet in the admin; its form
        # signs in whoever it names ("signin-admin", staff, whom nobody else uses).
        Visit(
            "admin:login",
            "get",
            reverse("admin:login"),
            [Go(index) if role in ADMIN_USERS else 200 for role in ROLES],
        ),
        Visit(
            "admin:login",
            "post",
            reverse("admin:login"),
            [Wrote(Go(index))] * len(ROLES),
            data=lambda w: {
                **form_data(w.page("anonymous", reverse("admin:login")), form_id="login-form"),
                "username": "signin-admin",
                "password": PASSWORD,
            },
            done=lambda seen: users.filter(
                username="signin-admin", last_login__isnull=False
            ).exists(),
        ),
        # Logging out of the admin: a POST, which lands on the portal's login page;
        # whoever is not in the admin is sent to its index.
        Visit("admin:logout", "get", reverse("admin:logout"), [a or 405 for a in not_in]),
        Visit(
            "admin:logout",
            "post",
            reverse("admin:logout"),
            [answer or Wrote(Go(reverse("login"))) for answer in not_in],
            data={},
            done=session_ended,
        ),
    ]
