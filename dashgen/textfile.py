"""Reading a text file the user wrote (dashgen.yaml, metrics.yaml, alert scenarios) as UTF-8.

A file that is not UTF-8 is the user's to fix, so it is a one-line DashgenError naming the file, the line and
the byte, never a UnicodeDecodeError. A UTF-8 byte order mark is dropped (editors on Windows write one); a
UTF-16 or UTF-32 one is named, as "save it as UTF-8" is then the whole fix.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from dashgen.errors import DashgenError

_WIDE_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)


def read_user_text(path: Path, shown: str) -> str:
    """The file's text; OSError (a missing file included) is left to the caller, which knows what it means."""
    return decode_user_text(path.read_bytes(), shown)


def decode_user_text(data: bytes, shown: str) -> str:
    """UTF-8 bytes -> text without a leading byte order mark; anything else is a DashgenError naming `shown`."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            raise DashgenError(f"starts with a {name} byte order mark: save the file as UTF-8", where=f"{shown}:1")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DashgenError(f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} ({exc.reason}); "
                           "save the file as UTF-8", where=f"{shown}:{line}") from None
