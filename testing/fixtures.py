"""The people and rounds of the seed agency that tests of every app use, registered
for the whole suite by the root conftest.py (pytest_plugins). A module that needs
someone else asks testing.factories.member for them under another name."""

import pytest

from measures.models import Round
from organizations.models import Membership
from testing import helpers
from testing.factories import member
from testing.helpers import OFFICE


@pytest.fixture
def org(seed):
    """อบจ.อุบลราชธานี of the seed."""
    return seed.organization


@pytest.fixture
def staff(org):
    """somchai, staff of สำนักปลัด (measure 2 is that division's alone)."""
    return member(org, Membership.Role.STAFF, "somchai", [OFFICE])


@pytest.fixture
def measure(org):
    """The seed agency's measure 2, สำนักปลัด's alone: the staff member's."""
    return helpers.measure(org)


@pytest.fixture
def coordinator(org):
    """coord, the seed agency's coordinator."""
    return member(org, Membership.Role.COORDINATOR, "coord")


@pytest.fixture
def coordinator_client(client, coordinator):
    """The test client, signed in as the coordinator."""
    client.force_login(coordinator)
    return client


@pytest.fixture
def six(seed):
    """The seed's six-month round (FY 2566)."""
    return Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
