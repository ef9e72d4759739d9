"""The files the portal keeps in Django's default storage (evidence, published PDFs,
drafts), read through the storage API only, so that the folder MEDIA_ROOT and an S3
bucket (ita_portal/file_storage.py) are walked alike.

Which rows own which files is read from the models themselves: every FileField of
every installed model (operations imports no product app; apps.get_models() names
them all).
"""

import hashlib
from collections.abc import Iterator

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models

CHUNK = 1024 * 1024


def walk(folder: str = "") -> Iterator[str]:
    """Every file under `folder` of the default storage, by its storage name."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        yield f"{prefix}{name}"
    for sub in sorted(folders):
        yield from walk(f"{prefix}{sub}")


def sha256_of(stream) -> tuple[str, int]:
    """(SHA-256 hex, size) of an open binary file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def file_fields() -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every FileField of the installed models (the history
    models keep a copy of the name as text: they own no file)."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def owned_names() -> set[str]:
    """Every storage name some row's FileField holds."""
    owned: set[str] = set()
    for model, name in file_fields():
        owned.update(
            model._base_manager.exclude(**{name: ""}).values_list(name, flat=True).distinct()
        )
    owned.discard(None)
    return owned
