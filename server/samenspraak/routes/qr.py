"""QR codes of join URLs as SVG or PNG (qrcode package; PNG through pypng, no Pillow)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.pure
import qrcode.image.svg
from litestar import Response


def qr_bytes(url: str, fmt: str) -> bytes:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=10)
    qr.add_data(url)
    buffer = io.BytesIO()
    factory = qrcode.image.svg.SvgPathFillImage if fmt == "svg" else qrcode.image.pure.PyPNGImage
    qr.make_image(image_factory=factory).save(buffer)
    return buffer.getvalue()


def qr_response(url: str, fmt: str) -> Response[bytes]:
    media = "image/svg+xml" if fmt == "svg" else "image/png"
    return Response(qr_bytes(url, fmt), media_type=media, headers={"Cache-Control": "no-store"})


def qr_terminal(url: str) -> str:
    qr = qrcode.QRCode(border=1)
    qr.add_data(url)
    out = io.StringIO()
    qr.print_ascii(out=out, invert=True)
    return out.getvalue()
