"""An agency's slug cannot be a fixed word of the portal's addresses that stands where
another address takes an agency's slug (/results/import/ beside /results/<slug>/).
The walk goes through every URL pattern of the running portal (ita_portal/urls.py and
every app's), so a new address with such a word fails here until the word is reserved
(organizations/reserved.py)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from organizations import services
from organizations.models import Organization
from organizations.reserved import RESERVED_SLUGS
from testing.forms import form_data

CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def routes(patterns=None, prefix=()) -> list[tuple[str, ...]]:
    """Every pattern's path as its segments; a segment of a regular-expression
    pattern (the admin's few) counts as no fixed word."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern.pattern, RoutePattern):
            own = tuple(s for s in str(pattern.pattern).split("/") if s)
        else:
            own = ("<regex>",)
        if isinstance(pattern, URLResolver):
            found += routes(pattern.url_patterns, prefix + own)
        else:
            found.append(prefix + own)
    return found


def _shape(segment: str) -> tuple[str, str]:
    """("fixed", word), ("converter", its type) or ("mixed", segment)."""
    if "<" not in segment:
        return "fixed", segment
    whole = CONVERTER.fullmatch(segment)
    if whole:
        return "converter", whole.group(1) or "str"
    return "mixed", segment


def _takes_agency(segment: str) -> bool:
    whole = CONVERTER.fullmatch(segment)
    return bool(whole) and (whole.group(1) == "slug" or whole.group(2) in ("slug", "org"))


def words_beside_agency_slugs() -> dict[str, str]:
    """Each fixed word found where another address takes an agency's slug, with the
    address it makes ("import" -> "/results/import/")."""
    every = routes()
    found = {}
    for route in every:
        for at, segment in enumerate(route):
            if not _takes_agency(segment):
                continue
            before = [_shape(s) for s in route[:at]]
            for other in every:
                if len(other) <= at or _shape(other[at])[0] != "fixed":
                    continue
                if [_shape(s) for s in other[:at]] == before:
                    found[other[at]] = "/" + "/".join(other[: at + 1]) + "/"
    return found


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "", "pass-1234")


def test_the_walk_finds_the_words_and_every_one_is_reserved():
    found = words_beside_agency_slugs()
    assert found["import"] == "/results/import/"  # the walk sees what it must
    # The word's address is the fixed page's, not an agency's results page.
    assert resolve("/results/import/").url_name != resolve("/results/ubon-pao/").url_name
    slug_shaped = {
        word: address for word, address in found.items() if re.fullmatch(r"[-\w]+", word)
    }
    missing = {w: a for w, a in slug_shaped.items() if w.lower() not in RESERVED_SLUGS}
    assert missing == {}, f"add to organizations/reserved.py: {missing}"
    for word in found.keys() - slug_shaped.keys():  # no slug can be these anyway
        with pytest.raises(ValidationError):
            validate_slug(word)


@pytest.mark.django_db
@pytest.mark.parametrize("word", sorted(RESERVED_SLUGS))
def test_no_reserved_word_is_accepted_as_a_new_or_changed_slug(root, word):
    validate_slug(word)  # a slug by its shape: refused for being reserved only
    for typed in (word, word.upper()):
        with pytest.raises(ValidationError) as refused:
            services.save_organization(
                user=root, organization=Organization(slug=typed, name="หน่วยงานทดสอบ")
            )
        (message,) = refused.value.message_dict["slug"]
        assert f"ใช้ “{typed}” เป็นชื่อย่อในลิงก์ไม่ได้" in message
        assert RESERVED_SLUGS[word] in message
    assert not Organization.objects.exists()
    agency = services.save_organization(
        user=root, organization=Organization(slug="ban-na", name="อบต.บ้านนา")
    )
    agency.slug = word
    with pytest.raises(ValidationError):
        services.save_organization(user=root, organization=agency)
    assert Organization.objects.get().slug == "ban-na"


@pytest.mark.django_db
def test_an_agency_that_had_the_word_before_still_saves(root):
    # Made before the word was reserved: refusing every later save would lock it.
    agency = Organization.objects.create(slug="import", name="หน่วยงานเดิม")
    agency.name = "หน่วยงานเดิม (แก้ชื่อ)"
    services.save_organization(user=root, organization=agency)
    assert Organization.objects.get().name == "หน่วยงานเดิม (แก้ชื่อ)"


@pytest.mark.django_db
def test_the_admin_names_the_word_beside_the_field_and_keeps_what_was_typed(client, root):
    client.force_login(root)
    url = reverse("admin:organizations_organization_add")
    data = form_data(client.get(url).content.decode(), form_id="organization_form")
    data |= {"slug": "import", "name": "องค์การบริหารส่วนตำบลนำเข้า", "_save": "บันทึก"}
    page = client.post(url, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "ใช้ “import” เป็นชื่อย่อในลิงก์ไม่ได้" in html and "/results/import/" in html
    assert "องค์การบริหารส่วนตำบลนำเข้า" in html
    assert not Organization.objects.exists()
