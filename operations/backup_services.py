"""Backups that restore byte for byte: the database and every stored file, with a
manifest of sizes and SHA-256s (manage.py backup_portal, verify_backup, restore_portal;
docs/operations.md).

A backup folder holds:
- database.dump (PostgreSQL: pg_dump's custom format, one snapshot of the whole
  database) or database.sqlite3 (SQLite: its online backup API, a consistent copy
  taken while people work);
- files/<storage name>: every file of the default storage (evidence, published and
  draft PDFs), read through the storage API, so from the folder MEDIA_ROOT or from
  the S3 bucket alike;
- manifest.json, written last (a folder without it is an unfinished backup): the
  database file's and every file's size and SHA-256, and the names rows owned that
  were not in the storage when the files were copied.

The database is copied first, the files after it: a file a row of the copy owns was
already stored when the copy was taken. Files that no row owns are removed only after
a grace period longer than a backup takes (manage.py sweep_orphans), so a file is not
gone by the time the backup reaches it.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from operations.stored_files import owned_names, sha256_of, walk

FORMAT = "ita-portal-backup/1"
MANIFEST = "manifest.json"
FILES = "files"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# /healthz's probe objects (operations/health.py): written and deleted at once, no data.
PROBES = "healthz/"


class BackupError(Exception):
    """What stops a backup or a restore, said in Thai for the operator."""


@dataclass
class Summary:
    files: int
    size: int
    missing: list[str]


def backup(dest: Path) -> Summary:
    """The database, then every stored file, then the manifest, into `dest` (a folder
    that is new or empty)."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"โฟลเดอร์ {dest} มีไฟล์อยู่แล้ว: ใช้โฟลเดอร์ใหม่สำหรับการสำรองแต่ละครั้ง")
    dest.mkdir(parents=True, exist_ok=True)
    database = _dump_database(dest)
    entries = []
    for name in walk():
        if name.startswith(PROBES):
            continue
        target = _inside(dest / FILES, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, open(target, "wb") as copy:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        with open(target, "rb") as copied:
            sha256, size = sha256_of(copied)
        entries.append({"name": name, "size": size, "sha256": sha256})
    copied_names = {entry["name"] for entry in entries}
    missing = sorted(owned_names() - copied_names)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": database,
        "files": entries,
        "missing": missing,
    }
    partial = dest / f"{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    partial.rename(dest / MANIFEST)
    return Summary(len(entries), sum(entry["size"] for entry in entries), missing)


def _dump_database(dest: Path) -> dict:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"ยังสำรองฐานข้อมูลชนิด {vendor} ไม่ได้ (ได้เฉพาะ PostgreSQL และ SQLite)")
    path = dest / DATABASE_FILES[vendor]
    if vendor == "postgresql":
        _run_pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}")
    else:
        if connection.in_atomic_block:  # the copy would wait for its own transaction
            raise BackupError("สำรองฐานข้อมูล SQLite ระหว่างธุรกรรมที่ยังไม่จบไม่ได้")
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    with open(path, "rb") as dumped:
        sha256, size = sha256_of(dumped)
    return {"vendor": vendor, "file": path.name, "size": size, "sha256": sha256}


def _run_pg(program: str, *arguments: str) -> None:
    """pg_dump or pg_restore against the portal's database (its settings, passed in
    libpq's environment variables so that no password shows in a process list)."""
    settings_dict = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", settings_dict.get("HOST")),
        ("PGPORT", settings_dict.get("PORT")),
        ("PGUSER", settings_dict.get("USER")),
        ("PGPASSWORD", settings_dict.get("PASSWORD")),
        ("PGDATABASE", settings_dict.get("NAME")),
        ("PGSSLMODE", settings_dict.get("OPTIONS", {}).get("sslmode")),
        ("PGCONNECT_TIMEOUT", settings_dict.get("OPTIONS", {}).get("connect_timeout")),
    ):
        if value:
            env[variable] = str(value)
    try:
        done = subprocess.run([program, *arguments], env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"ไม่พบโปรแกรม {program} (ติดตั้ง postgresql-client)") from None
    if done.returncode != 0:
        raise BackupError(f"{program} ไม่สำเร็จ: {done.stderr.strip()[-2000:]}")


def _inside(folder: Path, name: str) -> Path:
    """folder/name, refusing a name that would leave the folder (a damaged manifest)."""
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()) or not name:
        raise BackupError(f"ชื่อไฟล์ในรายการไม่ถูกต้อง: {name!r}")
    return target


def read_manifest(dest: Path) -> dict:
    path = Path(dest) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            f"ไม่พบ {MANIFEST} ใน {dest}: การสำรองข้อมูลไม่ครบหรือไม่ใช่โฟลเดอร์สำรอง"
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{MANIFEST} ใน {dest} อ่านไม่ได้ (ไฟล์เสียหาย)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} ใน {dest} ไม่ใช่รูปแบบ {FORMAT}")
    return manifest


def verify(dest: Path) -> tuple[dict, list[str]]:
    """The manifest, and what does not match it (in Thai): every file is read again
    and its size and SHA-256 compared."""
    dest = Path(dest)
    manifest = read_manifest(dest)
    problems = []
    database = manifest["database"]
    entries = [(database["file"], database)] + [
        (f"{FILES}/{entry['name']}", entry) for entry in manifest["files"]
    ]
    for relative, entry in entries:
        try:
            with open(_inside(dest, relative), "rb") as stored:
                sha256, size = sha256_of(stored)
        except (FileNotFoundError, BackupError):
            problems.append(f"ไม่พบไฟล์ {relative}")
            continue
        if (sha256, size) != (entry["sha256"], entry["size"]):
            problems.append(f"ไฟล์ {relative} ไม่ตรงกับรายการ (SHA-256 หรือขนาดต่างกัน)")
    return manifest, problems


def restore(dest: Path, *, force: bool = False) -> Summary:
    """The database and the files of a verified backup, into an empty database and an
    empty storage (or over what is there with force)."""
    dest = Path(dest)
    manifest, problems = verify(dest)
    if problems:
        raise BackupError("การสำรองข้อมูลไม่สมบูรณ์ จึงไม่กู้คืน: " + "; ".join(problems[:10]))
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"สำรองจากฐานข้อมูล {vendor} แต่ระบบนี้ใช้ {connection.vendor}: กู้คืนข้ามชนิดไม่ได้")
    tables = connection.introspection.table_names()
    stored = next(walk(), None)
    if not force and (tables or stored):
        what = "ฐานข้อมูลมีตารางอยู่แล้ว" if tables else f"ที่เก็บไฟล์มีไฟล์อยู่แล้ว ({stored})"
        raise BackupError(f"{what}: กู้คืนได้เฉพาะระบบที่ว่าง หรือสั่งซ้ำด้วย --force เพื่อเขียนทับ")
    _load_database(dest / manifest["database"]["file"], vendor, clean=bool(tables))
    for entry in manifest["files"]:
        _restore_file(dest, entry)
    files = manifest["files"]
    return Summary(len(files), sum(e["size"] for e in files), manifest.get("missing", []))


def _load_database(path: Path, vendor: str, *, clean: bool) -> None:
    if vendor == "postgresql":
        clean_first = ["--clean", "--if-exists"] if clean else []
        database = f"--dbname={connection.settings_dict['NAME']}"
        connection.close()  # nothing of ours holds a lock on what is replaced
        _run_pg("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                "--single-transaction", *clean_first, database, str(path))  # fmt: skip
        return
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_file(dest: Path, entry: dict) -> None:
    name = entry["name"]
    if default_storage.exists(name):
        default_storage.delete(name)  # --force: the backup's file replaces it
    with open(_inside(dest / FILES, name), "rb") as source:
        saved = default_storage.save(name, File(source, name=name))
    if saved != name:
        default_storage.delete(saved)
        raise BackupError(f"ที่เก็บไฟล์บันทึก {name} ไว้ในชื่ออื่น ({saved}) จึงหยุดการกู้คืน")
    with default_storage.open(name, "rb") as written:
        if sha256_of(written) != (entry["sha256"], entry["size"]):
            raise BackupError(f"ไฟล์ {name} ที่กู้คืนไม่ตรงกับรายการ (SHA-256 ต่างกัน)")
