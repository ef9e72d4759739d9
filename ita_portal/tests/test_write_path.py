"""One write path: a walk over the product code's syntax trees finds every ORM write
(save, create, update, delete, bulk_create, bulk_update, get_or_create,
update_or_create) and fails on any outside the apps' service modules. Admin classes,
views, forms, commands, jobs, signals and demo generators call services instead.

The walk cannot know types, so it names its exceptions: calls on receivers that are
not model rows or querysets (the cache, file storage, sessions, a form's unsaved
instance), each with its reason. A new write elsewhere fails here with its place."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITES = {
    "save",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "bulk_create_with_history",
}
SKIP_PARTS = {"tests", "migrations", "testing", "scripts", ".venv", ".ci", "static", "docs"}


def is_service_module(path: Path) -> bool:
    """services.py, a module of a services/ package, or a service module named for
    its concern (parts_services.py)."""
    return path.name.endswith("services.py") or "services" in path.parts[:-1]


# Receivers whose write methods are not the database's, by the receiver's last name.
NOT_THE_DATABASE = {
    "cache",  # Django's cache (jobs' waiting sheets, the published PDFs' answers)
    "storage",  # file storage (evidence files, PDFs)
    "default_storage",
    "session",
    "digest",  # hashlib
}
# A queryset's update() is written on a queryset; dict.update and set.update are not.
QUERYSET_HINTS = (".objects", ".filter(", ".exclude(", ".all()", "queryset")

# Apps that are not the product: demo data (seed, generators) writes in bulk on
# purpose, as the command's SYSTEM actor, for agencies marked as demo or generated;
# it publishes through reports.services and says what changed (organizations.changes).
NOT_PRODUCT = {"demo"}


def _receiver(node: ast.Call) -> str:
    return ast.unparse(node.func.value) if isinstance(node.func, ast.Attribute) else ""


def _is_write(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute | ast.Name):
        return False
    if isinstance(node.func, ast.Name):
        # A bare name is a service passed around (save(user=...)), but for history's bulk helper.
        return node.func.id == "bulk_create_with_history"
    name = node.func.attr
    if name not in WRITES or any(k.arg == "commit" for k in node.keywords):
        return False  # form.save(commit=False) builds an instance and writes nothing
    receiver = _receiver(node)
    if receiver.split(".")[-1] in NOT_THE_DATABASE:
        return False
    if name == "update":
        return any(hint in receiver for hint in QUERYSET_HINTS)
    # A row's save() and delete() take no positional argument; a file's or image's do.
    return not (name in ("save", "delete") and node.args)


def writes_outside_services() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIP_PARTS & set(relative.parts) or relative.parts[0] in {"manage.py", "conftest.py"}:
            continue
        if relative.parts[0] in NOT_PRODUCT:
            continue
        if is_service_module(relative):
            continue
        tree = ast.parse(path.read_text(), str(relative))
        for node in ast.walk(tree):
            if _is_write(node):
                found.append(f"{relative}:{node.lineno}: {ast.unparse(node)[:100]}")
    return found


def test_every_write_goes_through_a_service():
    assert writes_outside_services() == []


def test_the_walk_finds_a_write_around_the_services(tmp_path):
    """The walk itself can fail: a view that saves a model is found."""
    source = "def view(request, obj):\n    obj.save()\n    Model.objects.filter(pk=1).update(a=1)\n"
    tree = ast.parse(source)
    assert [ast.unparse(n) for n in ast.walk(tree) if _is_write(n)] == [
        "obj.save()",
        "Model.objects.filter(pk=1).update(a=1)",
    ]
