"""Draws the app icons (a white speech bubble on the primary colour) as PNGs.

Only the standard library: a tiny PNG encoder with zlib, so no image package is needed.
Run: python3 pwa/icons/make_icons.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

PRIMARY = (0x15, 0x42, 0x73)
WHITE = (0xFF, 0xFF, 0xFF)
HERE = Path(__file__).resolve().parent


def png(width: int, height: int, pixels: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + row for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def inside_rounded_rect(
    x: float, y: float, x0: float, y0: float, x1: float, y1: float, r: float
) -> bool:
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def inside_tail(x: float, y: float, s: float, scale: float) -> bool:
    # A triangle below the bubble's lower left part: (0.30,0.62) (0.46,0.62) (0.30,0.80) of the mark box.
    ax, ay, bx, by, cx, cy = 0.30, 0.62, 0.46, 0.62, 0.30, 0.80
    px, py = x / s, y / s
    px, py = 0.5 + (px - 0.5) / scale, 0.5 + (py - 0.5) / scale
    d = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy)
    a = ((by - cy) * (px - cx) + (cx - bx) * (py - cy)) / d
    b = ((cy - ay) * (px - cx) + (ax - cx) * (py - cy)) / d
    return a >= 0 and b >= 0 and a + b <= 1


def draw(size: int, *, maskable: bool) -> bytes:
    # Maskable icons keep the mark inside the central 80% safe zone and fill the whole square.
    scale = 0.72 if maskable else 1.0
    corner = 0 if maskable else size * 0.18
    rows = []
    samples = 3  # supersampling for smooth edges
    for py in range(size):
        row = bytearray()
        for px in range(size):
            white = 0
            bg = 0
            for sy in range(samples):
                for sx in range(samples):
                    x = px + (sx + 0.5) / samples
                    y = py + (sy + 0.5) / samples
                    if maskable or inside_rounded_rect(x, y, 0, 0, size, size, corner):
                        bg += 1
                    ux, uy = 0.5 + (x / size - 0.5) / scale, 0.5 + (y / size - 0.5) / scale
                    if inside_rounded_rect(ux, uy, 0.18, 0.22, 0.82, 0.64, 0.08) or inside_tail(
                        x, y, size, scale
                    ):
                        white += 1
            n = samples * samples
            for c in range(3):
                fg = (WHITE[c] * white + PRIMARY[c] * (n - white)) / n
                # Outside the rounded square: white background (PNG without alpha keeps this simple).
                value = (fg * bg + 255 * (n - bg)) / n
                row.append(round(value))
        rows.append(bytes(row))
    return png(size, size, rows)


if __name__ == "__main__":
    (HERE / "icon-192.png").write_bytes(draw(192, maskable=False))
    (HERE / "icon-512.png").write_bytes(draw(512, maskable=False))
    (HERE / "icon-maskable-512.png").write_bytes(draw(512, maskable=True))
