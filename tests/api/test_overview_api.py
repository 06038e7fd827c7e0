"""The organisation overview over HTTP: neighbourhoods over time, and one neighbourhood's dilemma
results beside the canvassing signals of the same area (min_group and k-anonymity kept)."""

from __future__ import annotations

import secrets
import string
import uuid
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from ..conftest import Server, Staff, assert_error
from .test_canvass_api import Org, a_note
from .test_resident_api import all_answer, crowd

DILEMMAS: list[dict[str, Any]] = [
    {"kind": "dilemma", "title": "Opening", "left": "Opvang", "right": "Geen opvang", "pair": "p"},
    {"kind": "dilemma", "title": "Weinig", "left": "Links", "right": "Rechts"},
    {
        "kind": "dilemma",
        "title": "Afsluiting",
        "left": "Opvang",
        "right": "Geen opvang",
        "pair": "p",
    },
]


@pytest.fixture(scope="module")
def org(live_server: Server) -> Org:
    return Org(live_server)


def tag() -> str:
    """A unique word without digits (digits after a street name look like a house number)."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))


def overview(staff: Staff) -> dict[str, Any]:
    r = staff.http.get("/api/overview")
    assert r.status_code == 200, r.text
    return dict(r.json())


def hood(staff: Staff, name: str) -> dict[str, Any]:
    r = staff.http.get(f"/api/overview/{quote(name, safe='')}")
    assert r.status_code == 200, r.text
    return dict(r.json())


def find(data: dict[str, Any], key: str) -> dict[str, Any]:
    """The neighbourhood whose name is `key` ignoring case (there is at most one)."""
    found = [n for n in data["neighbourhoods"] if n["name"].casefold() == key.casefold()]
    assert len(found) == 1, [n["name"] for n in data["neighbourhoods"]]
    return dict(found[0])


def session(staff: Staff, title: str, **body: Any) -> dict[str, Any]:
    r = staff.http.post("/api/sessions", json={"title": title, **body})
    assert r.status_code == 201, r.text
    return dict(r.json())


def notes(staff: Staff, rid: str, area: str, n: int, **fields: Any) -> None:
    for _ in range(n):
        r = staff.http.put(
            f"/api/rounds/{rid}/notes/{uuid.uuid4()}", json=a_note(area=area, **fields)
        )
        assert r.status_code == 201, r.text


def test_sessions_are_grouped_by_neighbourhood_ignoring_case_and_spaces(org: Org) -> None:
    name = f"Wijk {tag()} Noord"
    made = [
        session(org.organiser, "Een", neighbourhood=name),
        session(org.organiser, "Twee", neighbourhood=f"  {name.upper()} "),
        session(org.organiser, "Drie", neighbourhood=name.replace(" ", "   ")),
        session(org.organiser, "Vier", neighbourhood=name),
    ]
    lonely = session(org.organiser, "Zonder buurt")
    data = overview(org.admin)
    found = find(data, name)
    assert found["name"] == name  # the most common spelling
    assert [s["id"] for s in found["sessions"]] == [s["id"] for s in made]  # oldest first
    assert found["rounds"] == []
    assert found["first"] == found["last"] == made[0]["created_at"][:10]
    first = found["sessions"][0]
    assert set(first) == {
        "id",
        "title",
        "state",
        "created_at",
        "closed_at",
        "participants",
        "first",
        "last",
    }
    assert (first["title"], first["state"], first["participants"]) == ("Een", "draft", 0)
    assert lonely["id"] in [s["id"] for s in data["unassigned"]["sessions"]]
    assert all(lonely["id"] not in [s["id"] for s in n["sessions"]] for n in data["neighbourhoods"])
    for spelling in (name.lower(), f"  {name.upper()}  ", name.replace(" ", "  ")):
        detail = hood(org.organiser, spelling)
        assert detail["name"] == name
        assert [s["id"] for s in detail["sessions"]] == [s["id"] for s in made]


def test_a_session_linked_to_a_round_area_lands_in_that_area(org: Org) -> None:
    area, other = f"De Akkers {tag()}", f"Centrum {tag()}"
    rnd = org.new_round(areas=[area, other])
    linked = session(org.organiser, "Gekoppeld", round_id=rnd["id"], round_area=area)
    both = session(
        org.organiser, "Beide", neighbourhood=f"Elders {tag()}", round_id=rnd["id"], round_area=area
    )
    data = overview(org.organiser)
    found = find(data, area)
    assert [s["id"] for s in found["sessions"]] == [linked["id"], both["id"]]
    assert [(r["id"], r["area"], r["notes_in_area"]) for r in found["rounds"]] == [
        (rnd["id"], area, None)
    ]
    assert [r["area"] for r in find(data, other)["rounds"]] == [other]
    assert find(data, other)["sessions"] == []
    assert [s["id"] for s in find(data, both["neighbourhood"])["sessions"]] == [both["id"]]
    detail = hood(org.organiser, area.upper())
    assert detail["name"] == area
    assert [s["id"] for s in detail["sessions"]] == [linked["id"], both["id"]]
    assert [(c["round_id"], c["area"]) for c in detail["canvassing"]] == [(rnd["id"], area)]


def test_an_area_with_fewer_than_k_notes_shows_no_figures(org: Org) -> None:
    full, small, empty = f"Vol {tag()}", f"Klein {tag()}", f"Leeg {tag()}"
    rnd = org.new_round(areas=[full, small, empty])
    notes(org.canvasser, rnd["id"], full, 3, concern=4, trust=2, topics=["safety", "housing"])
    notes(org.other_canvasser, rnd["id"], full, 2, concern=2, trust=None, topics=["safety"])
    notes(org.canvasser, rnd["id"], small, 4, concern=5, wants_dialogue="maybe")
    data = overview(org.organiser)
    assert data["k"] == 5
    assert find(data, full)["rounds"][0]["notes_in_area"] == 5
    assert find(data, small)["rounds"][0]["notes_in_area"] is None
    assert find(data, empty)["rounds"][0]["notes_in_area"] is None

    shown = hood(org.organiser, full)["canvassing"]
    assert len(shown) == 1 and "hidden_reason" not in shown[0]
    summary = shown[0]["summary"]
    assert (summary["area"], summary["notes"], summary["concern_mean"]) == (full, 5, 3.2)
    assert summary["trust_mean"] == 2.0 and summary["us_them_share"] == 1.0
    assert summary["topics"]["safety"] == 5 and summary["topics"]["housing"] == 3
    assert summary["wants_dialogue"] == 5
    direct = org.organiser.http.get(f"/api/rounds/{rnd['id']}/summary").json()
    assert summary == next(a for a in direct["areas"] if a["area"] == full)  # the same figures

    for name in (small, empty):
        detail = hood(org.organiser, name)
        assert detail["k"] == 5
        assert detail["canvassing"] == [
            {
                "round_id": rnd["id"],
                "round_title": rnd["title"],
                "state": "open",
                "starts_on": None,
                "ends_on": None,
                "area": name,
                "summary": None,
                "hidden_reason": "fewer_than_k",
            }
        ]


def test_a_dilemma_with_fewer_than_min_group_answers_shows_no_distribution(
    org: Org, live_server: Server
) -> None:
    name = f"Dilemmabuurt {tag()}"
    live = org.organiser.new_live_session(template=None, prompts=DILEMMAS, neighbourhood=name)
    opening, few, closing = (p["id"] for p in live["prompts"])
    people = crowd(live_server, live, 6)
    for pid, values in (
        (opening, [0, 10, 20, 50, 90, 100]),
        (few, [50, 50, 50]),
        (closing, [40, 45, 50, 55, 60, 100]),
    ):
        org.organiser.show(live, {"id": pid})
        all_answer(people[: len(values)], pid, values)
    detail = hood(org.organiser, name)
    assert detail["min_group"] == 5
    [found] = detail["sessions"]
    assert (found["id"], found["state"], found["participants"]) == (live["id"], "live", 6)
    by_id = {d["prompt_id"]: d for d in found["dilemmas"]}
    assert list(by_id) == [opening, few, closing]
    assert by_id[few] == {
        "prompt_id": few,
        "title": "Weinig",
        "left": "Links",
        "right": "Rechts",
        "n": 3,
        "hidden": True,
        "mean": None,
        "middle_share": None,
        "bins": None,
    }
    shown = by_id[closing]
    results = org.organiser.http.get(f"/api/sessions/{live['id']}/results").json()
    tally = next(p["tally"] for p in results["prompts"] if p["prompt_id"] == closing)
    assert (shown["n"], shown["hidden"], shown["bins"]) == (6, False, tally["bins"])
    assert (shown["mean"], shown["middle_share"]) == (tally["mean"], tally["middle_share"])
    assert shown["middle_share"] == round(5 / 6, 4)
    assert shown["before"]["before_prompt_id"] == opening
    assert shown["before"]["overall_before"]["middle_share"] == round(1 / 6, 4)
    assert shown["before"] == tally["before"]
    assert "before" not in by_id[opening]


def test_another_organisations_data_never_appears(org: Org, live_server: Server) -> None:
    name = f"Gedeeld {tag()}"
    mine = session(org.organiser, "Van ons", neighbourhood=name)
    stranger = Org(live_server)
    theirs = session(stranger.organiser, "Van hen", neighbourhood=name)
    their_round = stranger.new_round(areas=[name, f"Alleen van hen {tag()}"])
    notes(stranger.canvasser, their_round["id"], name, 5)
    mine_seen = find(overview(org.organiser), name)
    assert [s["id"] for s in mine_seen["sessions"]] == [mine["id"]]
    assert mine_seen["rounds"] == []
    detail = hood(org.organiser, name)
    assert [s["id"] for s in detail["sessions"]] == [mine["id"]] and detail["canvassing"] == []
    text = org.organiser.http.get("/api/overview").text
    assert theirs["id"] not in text and their_round["id"] not in text
    only_theirs = their_round["areas"][1]
    assert_error(org.organiser.http.get(f"/api/overview/{quote(only_theirs)}"), 404, "not_found")
    assert [s["id"] for s in find(overview(stranger.admin), name)["sessions"]] == [theirs["id"]]


def test_neighbourhoods_are_ordered_by_latest_activity(org: Org) -> None:
    old, new = f"Vroeger {tag()}", f"Nu {tag()}"
    org.new_round(areas=[old], starts_on="2020-03-01", ends_on="2020-03-31")
    session(org.organiser, "Vandaag", neighbourhood=new)
    data = overview(org.organiser)
    names = [n["name"] for n in data["neighbourhoods"]]
    assert names.index(new) < names.index(old)
    past = find(data, old)
    assert (past["first"], past["last"]) == ("2020-03-01", "2020-03-31")
    assert (past["rounds"][0]["first"], past["rounds"][0]["last"]) == ("2020-03-01", "2020-03-31")
    lasts = [n["last"] for n in data["neighbourhoods"]]
    assert lasts == sorted(lasts, reverse=True)


def test_a_canvasser_may_not_see_the_overview(org: Org) -> None:
    name = f"Verboden {tag()}"
    session(org.organiser, "S", neighbourhood=name)
    assert_error(org.canvasser.http.get("/api/overview"), 403, "forbidden")
    assert_error(org.canvasser.http.get(f"/api/overview/{quote(name)}"), 403, "forbidden")


def test_without_login_the_overview_is_401(live_server: Server) -> None:
    assert_error(httpx.get(f"{live_server.url}/api/overview"), 401, "not_authenticated")
    assert_error(httpx.get(f"{live_server.url}/api/overview/Noord"), 401, "not_authenticated")


def test_an_unknown_neighbourhood_is_404(org: Org) -> None:
    assert_error(org.organiser.http.get(f"/api/overview/Nergens{tag()}"), 404, "not_found")


def test_a_name_with_a_slash_is_one_neighbourhood(org: Org) -> None:
    name = f"Noord/Oost {tag()}"
    made = session(org.organiser, "Schuin", neighbourhood=name)
    assert [s["id"] for s in hood(org.organiser, name)["sessions"]] == [made["id"]]


@pytest.mark.parametrize(
    "path",
    [
        "x" * 10_000,
        quote("é" * 3_000),
        "%00",
        "%FF%FE",
        "..%2F..%2Fsessions",
        "%20",
        quote("<script>alert(1)</script>"),
    ],
)
def test_bad_names_are_a_4xx_never_a_5xx(org: Org, path: str) -> None:
    r = org.organiser.http.get(f"/api/overview/{path}")
    assert 400 <= r.status_code < 500, r.text
    assert r.json()["extra"]["code"] in ("not_found", "invalid_body")
