"""Where evidence files and published PDFs are kept: Django's default storage.

Local disk (MEDIA_ROOT) unless a bucket is named; then S3-compatible object storage
through django-storages, which several app servers share. Everything that reads,
writes or deletes these files goes through the storage API (FieldFile.open,
FieldFile.save, Storage.delete), never through paths, so both work alike.

Objects stay private: no ACL is sent unless AWS_DEFAULT_ACL asks for a private one,
so the bucket's own default (private) applies, and the portal's views stream each
file after their access check. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the
machine's AWS role) are read by django-storages and boto3 themselves, so the keys
never sit in settings.
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

PRIVATE_ACLS = (None, "private", "bucket-owner-full-control")


def _text(environ: Mapping[str, str], name: str) -> str | None:
    return environ.get(name, "").strip() or None


def _number(environ: Mapping[str, str], name: str, default: int) -> int:
    value = _text(environ, name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def default_file_storage(environ: Mapping[str, str]) -> dict:
    """STORAGES["default"] from the environment."""
    bucket = _text(environ, "ITA_S3_BUCKET") or _text(environ, "AWS_STORAGE_BUCKET_NAME")
    if bucket is None:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}

    from botocore.config import Config

    acl = _text(environ, "AWS_DEFAULT_ACL")
    if acl not in PRIVATE_ACLS:
        raise ImproperlyConfigured(
            "AWS_DEFAULT_ACL must be empty, private or bucket-owner-full-control: "
            "evidence files must never be readable from the bucket without the portal."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": _text(environ, "AWS_S3_ENDPOINT_URL"),
            "region_name": _text(environ, "AWS_S3_REGION_NAME"),
            # A folder inside the bucket, e.g. when one bucket serves several portals.
            "location": (_text(environ, "AWS_LOCATION") or "").strip("/"),
            "default_acl": acl,
            # A URL to an object, if anything asks for one (the admin's file link), is
            # signed and short-lived; the portal itself streams files through its views.
            "querystring_auth": True,
            "querystring_expire": _number(environ, "AWS_QUERYSTRING_EXPIRE", 300),
            # Like the local folder: a name already taken gets a new one, never overwritten.
            "file_overwrite": False,
            # A file being served is held in memory up to this size, then in a temporary file.
            "max_memory_size": _number(environ, "AWS_S3_MAX_MEMORY_SIZE", 2 * 1024 * 1024),
            # A storage that does not answer fails the request in seconds, not minutes.
            "client_config": Config(
                s3={"addressing_style": _text(environ, "AWS_S3_ADDRESSING_STYLE")},
                connect_timeout=_number(environ, "AWS_S3_CONNECT_TIMEOUT", 5),
                read_timeout=_number(environ, "AWS_S3_READ_TIMEOUT", 30),
                retries={
                    "max_attempts": _number(environ, "AWS_S3_MAX_ATTEMPTS", 3),
                    "mode": "standard",
                },
            ),
        },
    }
