"""The 77 provinces. A data migration (0006_provinces) loads them into every
database; `ensure_provinces` puts them back where a test that flushes the database
(pytest-django's transactional tests) has removed them. One list: the migration's."""

from importlib import import_module

from organizations.models import Province

PROVINCES: list[tuple[str, str]] = import_module("measures.migrations.0006_provinces").PROVINCES


def ensure_provinces() -> None:
    """Every province is there: one query when they are, two when some are missing."""
    if Province.objects.count() < len(PROVINCES):
        Province.objects.bulk_create(
            [Province(code=code, name=name) for code, name in PROVINCES], ignore_conflicts=True
        )


def province(name: str) -> Province:
    """The province of this Thai name (e.g. "อุบลราชธานี")."""
    ensure_provinces()
    return Province.objects.get(name=name)
