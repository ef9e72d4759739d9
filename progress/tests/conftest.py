"""The people of the seed agency that the progress tests (progress, parts, races,
limits, evidence) report and review as. A module that needs other people defines
its own fixture of the same name."""

import pytest

from organizations.models import Membership
from testing.factories import member
from testing.helpers import OFFICE


@pytest.fixture
def org(seed):
    return seed.organization


@pytest.fixture
def staff(org):
    return member(org, Membership.Role.STAFF, "somchai", [OFFICE])


@pytest.fixture
def coordinator(org):
    return member(org, Membership.Role.COORDINATOR, "coord")
