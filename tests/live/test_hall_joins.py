"""A whole hall behind one NAT address joins within a minute."""

from __future__ import annotations

import asyncio

import httpx

from ..conftest import Server, Staff


async def test_five_thousand_joins_from_one_address_all_succeed(
    live_server: Server, staff: Staff
) -> None:
    session = staff.new_live_session()
    limits = httpx.Limits(max_connections=40)
    async with httpx.AsyncClient(base_url=live_server.url, limits=limits, timeout=30) as client:
        gate = asyncio.Semaphore(40)

        async def one() -> int:
            async with gate:
                return (await client.post("/api/join", json={"code": session["code"]})).status_code

        statuses = await asyncio.gather(*(one() for _ in range(5000)))
    assert statuses.count(201) == 5000
    got = staff.http.get(f"/api/sessions/{session['id']}").json()
    assert got["participants"] == 5000
