"""The fonts handouts.toml may name: an installed family (fontconfig's list) or a font file
whose licence allows embedding it in a PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import cache


def embedding_refused(data: bytes) -> str | None:
    """Why a font file may not be embedded in a PDF (its OS/2 fsType says "restricted
    licence embedding"), or None; a file fontTools cannot read is left to the PDF engine."""
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(data), lazy=True)
        fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    except Exception:  # a font fontTools cannot read (or no brotli for WOFF2)
        return None
    if fs_type & 0x000F == 0x0002:
        return ("its licence forbids embedding it in documents: choose a free font (SIL Open "
                "Font License, Apache…), e.g. from fonts.google.com")
    return None


@cache
def installed_families() -> dict[str, str] | None:
    """Installed font families by casefolded name, from fontconfig; None when fc-list is
    missing (the PDF engine then falls back, and says so with --strict)."""
    if not shutil.which("fc-list"):
        return None
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                                timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip().casefold(): name.strip() for line in listed.splitlines()
            for name in line.split(",") if name.strip()}
