"""Private file storage: evidence documents and report files, never served by URL."""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """Callable for FileField(storage=...), so tests and deployments can swap the backend."""
    return storages["private"]
