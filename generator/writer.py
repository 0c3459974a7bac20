"""Write results so that a failure never leaves a half-written or lost file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def prepare_folder(folder: Path) -> None:
    """Create an output folder, or say in plain words why it cannot be used."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{folder}: a file has this name; the output needs a folder here: "
                          "choose another one with -o") from None
    except OSError as error:
        raise OutputError(f"{folder}: the output folder cannot be created "
                          f"({error.strerror}): choose another one with -o") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{folder}: the output folder is not writable: choose another one "
                          "with -o, or change its permissions")


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file beside `target`, then rename it into place in one step."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                             dir=target.parent)
    except OSError as error:
        raise OutputError(f"{target.parent}: cannot write here ({error.strerror}): choose "
                          "another output folder with -o") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(f"{target}: could not be written ({error.strerror}); the "
                              "earlier file, if any, is untouched") from None
        raise
