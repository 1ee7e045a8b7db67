"""The instance folder holds the database, the secret key and the PDF cache: nobody but the app's
own user may read any of it. Folders are made mode 0700 and files 0600, whatever the umask; a
folder or file that exists already is brought to that mode."""

import os
import threading
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path):
    """Make `path` (and its missing parents) a folder only its owner can use. Returns it."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o777 != DIR_MODE:
        os.chmod(path, DIR_MODE)
    return path


def private_file(path):
    """Make sure the file `path` exists and only its owner can read or write it."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(fd)
    if path.stat().st_mode & 0o777 != FILE_MODE:
        os.chmod(path, FILE_MODE)
    return path


def write_private(path, data):
    """Write `data` (bytes) to `path` as a whole: to a private temporary file beside it, then
    renamed into place, so no reader ever sees half a file."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def secure_instance(app):
    """The instance folder 0700; a SQLite database in it (and its WAL files) 0600, made before
    SQLite makes it with the umask's mode."""
    private_dir(app.instance_path)
    url = app.config.get("DATABASE_URL") or ""
    if url.startswith("sqlite:///") and ":memory:" not in url:
        database = Path(url.removeprefix("sqlite:///").split("?")[0])
        if database.parent.is_dir():
            private_file(database)
            for suffix in ("-wal", "-shm"):
                journal = Path(f"{database}{suffix}")
                if journal.exists():
                    os.chmod(journal, FILE_MODE)
