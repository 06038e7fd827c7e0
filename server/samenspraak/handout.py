"""A printable A4 sheet of 8 hand-out cards with a live session's QR code, for letterboxes.

Plain HTML (no script), texts from the session language's i18n table, styles in
pwa/css/handout.css (print: 2 × 4 cards per A4 page, cut lines)."""

from __future__ import annotations

import html
import re

from . import i18n
from .routes.qr import qr_bytes

CARDS_PER_PAGE = 8


def _svg(url: str, label: str) -> str:
    svg = qr_bytes(url, "svg").decode()
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(label)}" ', 1)


def sheet(
    *, title: str, neighbourhood: str | None, code: str, join_url: str, lang: str, pages: int = 1
) -> str:
    def t(key: str, **values: str) -> str:
        text = i18n.t(lang, key, key)
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        return html.escape(text)

    qr = _svg(join_url, i18n.t(lang, "handout.qr_alt", "QR").replace("{url}", join_url))
    where = f'<p class="where">{html.escape(neighbourhood)}</p>' if neighbourhood else ""
    card = (
        '<article class="card">'
        f'<p class="invite">{t("handout.invite")}</p>'
        f"<h2>{html.escape(title)}</h2>{where}"
        f'<div class="qr">{qr}</div>'
        f'<p class="how">{t("handout.how")}</p>'
        f'<p class="code">{t("handout.code")} <strong>{html.escape(code)}</strong></p>'
        f'<p class="url">{html.escape(join_url)}</p>'
        f'<p class="anon">{t("handout.anonymous")}</p>'
        "</article>"
    )
    body = "".join(
        f'<section class="page" aria-label="{t("handout.page", n=str(n + 1))}">'
        + card * CARDS_PER_PAGE
        + "</section>"
        for n in range(pages)
    )
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{t('handout.title')} — {html.escape(title)}</title>"
        '<link rel="stylesheet" href="/app/css/tokens.css">'
        '<link rel="stylesheet" href="/app/css/handout.css"></head><body>'
        f'<header class="screen-only"><h1>{t("handout.title")}</h1>'
        f"<p>{t('handout.print_hint')}</p></header>"
        f"<main>{body}</main></body></html>"
    )
