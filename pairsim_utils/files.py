"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path`` (atomic on POSIX).

    Args:
        path: The file to write; its folder must exist.
        data: The whole content.
    """
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` atomically (see :func:`write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as indented JSON, atomically (see :func:`write_bytes_atomic`)."""
    write_text_atomic(path, json.dumps(data, indent=2) + "\n")
