import factory
from django.contrib.auth import get_user_model

from catalogue import models as catalogue
from measures import models as measure_models
from organizations import models as organizations
from organizations.services import add_member
from progress import models as progress


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-1234")


def member(organization, role, username, divisions=(), **fields):
    """A user of this name (first name too, as the pages show people, unless `fields`
    give another first_name; last_name and password too) whom the organization made a
    member in `role`, of its divisions of these names."""
    user = UserFactory(username=username, **{"first_name": username, **fields})
    add_member(
        member=user,
        organization=organization,
        role=role,
        divisions=list(
            organizations.Division.objects.filter(organization=organization, name__in=divisions)
        ),
    )
    return user


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = organizations.Organization

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"องค์การบริหารส่วนตำบลทดสอบ {n}")
    location = "อำเภอเมือง จังหวัดทดสอบ"


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = organizations.Division

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"กองทดสอบ {n}")


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue.FiscalYear
        django_get_or_create = ["year"]

    year = 2566


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue.AssessmentTool
        django_get_or_create = ["fiscal_year", "code"]

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    code = "IIT"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue.Indicator
        django_get_or_create = ["tool", "number"]

    tool = factory.SubFactory(ToolFactory)
    number = "1"
    name = "การปฏิบัติหน้าที่"


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = measure_models.Round
        django_get_or_create = ["organization", "fiscal_year", "kind"]

    organization = factory.SubFactory(OrganizationFactory)
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    kind = measure_models.Round.Kind.SIX_MONTHS


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = measure_models.Measure

    organization = factory.SubFactory(OrganizationFactory)
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    indicator = factory.SubFactory(
        IndicatorFactory, tool__fiscal_year=factory.SelfAttribute("...fiscal_year")
    )
    monitoring = "1. เจ้าหน้าที่ผู้รับผิดชอบรายงานผลการดำเนินการให้ผู้บริหารทราบ"
    order = factory.Sequence(lambda n: n + 1)


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = measure_models.Step

    measure = factory.SubFactory(MeasureFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "จัดทำแนวทางปฏิบัติและเผยแพร่บนเว็บไซต์ของหน่วยงาน"


class ProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = progress.Progress

    measure = factory.SubFactory(MeasureFactory)
    round = factory.SubFactory(
        RoundFactory,
        organization=factory.SelfAttribute("..measure.organization"),
        fiscal_year=factory.SelfAttribute("..measure.fiscal_year"),
    )
