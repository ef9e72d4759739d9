"""The people of the seed agency that the progress tests (progress, parts, races,
limits, evidence) report and review as. A module that needs other people defines
its own fixture of the same name."""

import pytest

from measures.models import Membership
from measures.tests.factories import member
from measures.tests.helpers import OFFICE


@pytest.fixture
def org(seed):
    return seed.organization


@pytest.fixture
def staff(org):
    return member(org, Membership.Role.STAFF, "somchai", [OFFICE])


@pytest.fixture
def coordinator(org):
    return member(org, Membership.Role.COORDINATOR, "coord")
