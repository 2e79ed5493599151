"""A tiny PNG reader for the browser tests (8-bit RGB or RGBA, not interlaced: what Chromium writes): size and
the set of distinct colours, in pure Python (zlib), so the tests need no imaging library."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    colours: int  # distinct pixel values


def read_png(data: bytes) -> Picture:
    assert data.startswith(SIGNATURE), "not a PNG"
    at, idat, header = len(SIGNATURE), bytearray(), None
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        at += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    assert header is not None, "no IHDR"
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, f"unsupported PNG {header}"
    size = 3 if colour_type == 2 else 4
    raw = zlib.decompress(bytes(idat))
    stride = width * size
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        _unfilter(kind, line, previous, size)
        colours.update(bytes(line[i:i + size]) for i in range(0, stride, size * 2))  # every other pixel
        previous = line
    return Picture(width, height, len(colours))


def _unfilter(kind: int, line: bytearray, previous: bytearray, size: int) -> None:
    if kind == 0:
        return
    for i in range(len(line)):
        left = line[i - size] if i >= size else 0
        up = previous[i]
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 2:
            line[i] = (line[i] + up) & 255
        elif kind == 3:
            line[i] = (line[i] + ((left + up) >> 1)) & 255
        elif kind == 4:
            corner = previous[i - size] if i >= size else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        else:
            raise AssertionError(f"bad PNG filter {kind}")
