"""Canvassing over HTTP: rounds, idempotent notes, batches, roles, k-anonymity, export, links."""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
import uuid
from typing import Any

import httpx
import pytest

from ..conftest import Server, Staff, assert_error

TODAY = dt.datetime.now(dt.UTC).date().isoformat()


class Org:
    """An organisation with an organiser, two canvassers and an admin."""

    def __init__(self, server: Server) -> None:
        self.name = f"Gemeente {secrets.token_hex(3)}"
        self.organiser = server.login(org=self.name, role="facilitator")
        self.admin = server.login(org=self.name, role="admin")
        self.canvasser = server.login(org=self.name, role="canvasser", name="Anna Canvas")
        self.other_canvasser = server.login(org=self.name, role="canvasser")

    def new_round(self, **body: Any) -> dict[str, Any]:
        r = self.organiser.http.post(
            "/api/rounds",
            json={"title": "Ronde Noord", "areas": ["Centrum", "Noord", "Zuid"], **body},
        )
        assert r.status_code == 201, r.text
        return dict(r.json())


def a_note(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "area": "Centrum",
        "day": TODAY,
        "part_of_day": "afternoon",
        "outcome": "conversation",
        "topics": ["safety"],
        "concern": 4,
        "trust": 2,
        "us_them": True,
        "us_them_about": ["newcomers"],
        "incident": None,
        "wants_dialogue": "yes",
        "text": None,
    }
    body.update(fields)
    return body


def put(staff: Staff, rid: str, body: dict[str, Any], note_id: str | None = None) -> httpx.Response:
    return staff.http.put(f"/api/rounds/{rid}/notes/{note_id or uuid.uuid4()}", json=body)


@pytest.fixture(scope="module")
def org(live_server: Server) -> Org:
    """One organisation for the module (accounts are made through the CLI: slow); every test
    makes its own round."""
    return Org(live_server)


def test_organiser_creates_a_round_with_the_full_topic_list_and_everyone_of_the_org_sees_it(
    org: Org, live_server: Server
) -> None:
    made = org.new_round(starts_on="2026-01-01", ends_on="2030-12-31")
    assert made["state"] == "open" and made["notes"] == 0 and made["sessions"] == []
    assert "safety" in made["topics"] and len(made["topics"]) == 14
    for who in (org.canvasser, org.admin):
        assert made["id"] in [r["id"] for r in who.http.get("/api/rounds").json()]
        assert who.http.get(f"/api/rounds/{made['id']}").json()["title"] == "Ronde Noord"
    stranger = live_server.login(role="admin")
    assert_error(stranger.http.get(f"/api/rounds/{made['id']}"), 404, "not_found")
    assert made["id"] not in [r["id"] for r in stranger.http.get("/api/rounds").json()]
    assert_error(put(stranger, made["id"], a_note()), 404, "not_found")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"title": "R", "areas": ["Dorpsstraat 12"]}, 422, "invalid_value"),
        ({"title": "R", "areas": ["2511 AB 12"]}, 422, "invalid_value"),
        ({"title": "R", "areas": ["Noord", "NOORD"]}, 422, "invalid_value"),
        ({"title": "R", "areas": []}, 400, "invalid_body"),
        ({"title": "R", "areas": "Noord"}, 400, "invalid_body"),
        (
            {"title": "R", "areas": ["N"], "starts_on": "2026-05-01", "ends_on": "2026-04-01"},
            422,
            "invalid_value",
        ),
        ({"title": "R", "areas": ["N"], "starts_on": "1 mei"}, 422, "invalid_value"),
        ({"title": " ", "areas": ["N"]}, 422, "invalid_value"),
        ({"title": "R", "areas": ["N"], "colour": "red"}, 400, "invalid_body"),
    ],
)
def test_a_bad_round_is_refused_with_a_reason(
    org: Org, body: dict[str, Any], status: int, code: str
) -> None:
    assert_error(org.organiser.http.post("/api/rounds", json=body), status, code)


def test_a_refused_round_says_which_field_and_item(org: Org) -> None:
    r = org.organiser.http.post(
        "/api/rounds", json={"title": "R", "areas": ["Noord", "Dorpsstraat 12"]}
    )
    extra = assert_error(r, 422, "invalid_value")["extra"]
    assert (extra["field"], extra["index"], extra["kind"]) == ("areas", 1, "address")
    assert "Dorpsstraat 12" in extra["reason"]
    rid = org.new_round()["id"]
    bad = put(org.canvasser, rid, a_note(concern=9))
    assert assert_error(bad, 422, "invalid_value")["extra"]["field"] == "concern"


def test_a_street_segment_is_an_area_but_a_house_is_not(org: Org) -> None:
    made = org.new_round(
        areas=["Dorpsstraat 1-40", "Schilderswijk-Oost"], topics=["youth", "Speeltuin"]
    )
    assert made["areas"] == ["Dorpsstraat 1-40", "Schilderswijk-Oost"]
    assert made["topics"] == ["youth", "Speeltuin"]


def test_canvassers_cannot_create_close_edit_summarise_or_export(org: Org) -> None:
    rid = org.new_round()["id"]
    c = org.canvasser.http
    assert_error(c.post("/api/rounds", json={"title": "R", "areas": ["N"]}), 403, "forbidden")
    assert_error(c.post(f"/api/rounds/{rid}/close"), 403, "forbidden")
    assert_error(c.patch(f"/api/rounds/{rid}", json={"title": "X"}), 403, "forbidden")
    assert_error(c.get(f"/api/rounds/{rid}/summary"), 403, "forbidden")
    assert_error(c.get(f"/api/rounds/{rid}/export.csv"), 403, "forbidden")


def test_put_is_idempotent_exactly_as_the_protocol_says(org: Org) -> None:
    rid = org.new_round()["id"]
    nid = str(uuid.uuid4())
    first = put(org.canvasser, rid, a_note(topics=["safety", "youth"]), nid)
    assert first.status_code == 201, first.text
    assert first.json() == {"id": nid, "text": None, "redactions": []}
    again = put(org.canvasser, rid, a_note(topics=["youth", "safety"]), nid)  # a set: same
    assert again.status_code == 200 and again.json()["id"] == nid
    assert_error(put(org.canvasser, rid, a_note(concern=1), nid), 409, "note_conflict")
    assert_error(
        put(org.other_canvasser, rid, a_note(topics=["safety", "youth"]), nid), 409, "note_conflict"
    )
    assert_error(put(org.canvasser, rid, a_note(area="Oost")), 422, "invalid_value")
    assert_error(put(org.canvasser, rid, a_note(concern="high")), 400, "invalid_body")
    assert_error(put(org.canvasser, rid, {"area": "Centrum"}), 400, "invalid_body")
    assert_error(put(org.canvasser, rid, a_note(), "not a uuid!"), 400, "invalid_body")
    assert_error(put(org.canvasser, rid, a_note(id="other"), "mine"), 422, "invalid_value")
    assert_error(put(org.canvasser, rid, a_note(day="2026-13-01")), 422, "invalid_value")
    r = org.canvasser.http.put(
        f"/api/rounds/{rid}/notes/{uuid.uuid4()}",
        content=b"{}",
        headers={"content-type": "text/plain"},
    )
    assert_error(r, 415, "wrong_content_type")
    notes = org.organiser.http.get(f"/api/rounds/{rid}/notes").json()
    assert [n["id"] for n in notes] == [nid]
    assert org.organiser.http.get(f"/api/rounds/{rid}").json()["notes"] == 1


def test_personal_data_is_redacted_before_it_is_stored(org: Org) -> None:
    rid = org.new_round()["id"]
    text = "Mevrouw Jansen (06-12345678, j.jansen@example.nl) woont op Dorpsstraat 12."
    r = put(org.canvasser, rid, a_note(text=text))
    assert r.status_code == 201, r.text
    saved = r.json()
    kinds = [x["kind"] for x in saved["redactions"]]
    assert {"name", "phone", "email", "address"} <= set(kinds)
    for secret in ("Jansen", "12345678", "example.nl", "Dorpsstraat 12"):
        assert secret not in saved["text"]
    assert "[telefoon]" in saved["text"]
    for x in saved["redactions"]:
        assert 0 <= x["start"] < x["end"] <= len(text) and set(x) == {"kind", "start", "end"}
    stored = org.organiser.http.get(f"/api/rounds/{rid}/notes").json()[0]
    exported = org.admin.http.get(f"/api/rounds/{rid}/export.csv", params={"canvasser": "true"})
    for body in (str(stored), exported.text):
        assert "12345678" not in body and "Jansen" not in body


def test_a_batch_where_one_bad_note_never_sinks_the_others(org: Org) -> None:
    rid = org.new_round()["id"]
    good, dup = str(uuid.uuid4()), str(uuid.uuid4())
    r = org.canvasser.http.post(
        f"/api/rounds/{rid}/notes:batch",
        json={
            "notes": [
                {**a_note(), "id": good},
                {**a_note(), "id": dup},
                {**a_note(), "id": dup},  # the same again in one batch: 200
                {**a_note(concern=2), "id": dup},  # other content: 409
                {**a_note(outcome="asleep"), "id": "bad-value"},
                {**a_note(concern="x"), "id": "bad-type"},
                a_note(),  # no id
                "not even an object",
                {**a_note(text="Bel 0612345678"), "id": "with-text"},
            ]
        },
    )
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [(x["id"], x["status"]) for x in results] == [
        (good, 201),
        (dup, 201),
        (dup, 200),
        (dup, 409),
        ("bad-value", 422),
        ("bad-type", 400),
        (None, 400),
        (None, 400),
        ("with-text", 201),
    ]
    assert results[3]["code"] == "note_conflict" and "outcome" in results[4]["detail"]
    assert results[8]["text"] == "Bel [telefoon]" and results[8]["redactions"][0]["kind"] == "phone"
    ids = sorted(n["id"] for n in org.organiser.http.get(f"/api/rounds/{rid}/notes").json())
    assert ids == sorted([good, dup, "with-text"])
    # resending the whole batch (a lost answer) stores nothing twice
    again = org.canvasser.http.post(
        f"/api/rounds/{rid}/notes:batch", json={"notes": [{**a_note(), "id": good}]}
    )
    assert again.json()["results"] == [{"id": good, "status": 200, "text": None, "redactions": []}]
    full = [{**a_note(text="ä" * 280), "id": f"full-{i}"} for i in range(200)]
    big = org.canvasser.http.post(f"/api/rounds/{rid}/notes:batch", json={"notes": full})
    assert len(big.content) > 0 and big.status_code == 200, big.text[:200]
    assert {x["status"] for x in big.json()["results"]} == {201}
    huge = {"notes": [{**a_note(), "id": "x", "pad": "y" * 300_000}]}
    assert_error(
        org.canvasser.http.post(f"/api/rounds/{rid}/notes:batch", json=huge), 413, "too_large"
    )
    assert_error(
        org.canvasser.http.post(f"/api/rounds/{rid}/notes:batch", json={"notes": [{}] * 201}),
        400,
        "invalid_body",
    )
    assert_error(
        org.canvasser.http.post(f"/api/rounds/{rid}/notes:batch", json=[a_note()]),
        400,
        "invalid_body",
    )


def test_a_closed_round_takes_no_new_notes_but_accepts_a_resend(org: Org) -> None:
    rid = org.new_round()["id"]
    nid = str(uuid.uuid4())
    assert put(org.canvasser, rid, a_note(), nid).status_code == 201
    closed = org.organiser.http.post(f"/api/rounds/{rid}/close")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert closed.json()["closed_at"]
    assert org.organiser.http.post(f"/api/rounds/{rid}/close").status_code == 200
    assert put(org.canvasser, rid, a_note(), nid).status_code == 200
    assert_error(put(org.canvasser, rid, a_note()), 409, "round_closed")
    assert_error(
        org.organiser.http.patch(f"/api/rounds/{rid}", json={"title": "X"}), 409, "wrong_state"
    )
    batch = org.canvasser.http.post(
        f"/api/rounds/{rid}/notes:batch", json={"notes": [{**a_note(), "id": "late"}]}
    )
    assert batch.json()["results"][0]["code"] == "round_closed"


def test_a_canvasser_reads_only_their_own_notes_organisers_read_all(org: Org) -> None:
    rid = org.new_round()["id"]
    mine = put(org.canvasser, rid, a_note()).json()["id"]
    theirs = put(org.other_canvasser, rid, a_note(area="Noord")).json()["id"]
    seen = org.canvasser.http.get(f"/api/rounds/{rid}/notes").json()
    assert [n["id"] for n in seen] == [mine] and seen[0]["mine"] is True
    assert org.canvasser.http.get(f"/api/rounds/{rid}").json()["my_notes"] == 1
    everyone = org.organiser.http.get(f"/api/rounds/{rid}/notes").json()
    assert sorted(n["id"] for n in everyone) == sorted([mine, theirs])
    assert not any(n["mine"] for n in everyone)


def test_summary_never_names_an_area_under_k(org: Org) -> None:
    rid = org.new_round()["id"]
    for _ in range(6):
        assert put(org.canvasser, rid, a_note(concern=4)).status_code == 201
    for area in ("Noord", "Noord", "Zuid"):
        assert put(org.canvasser, rid, a_note(area=area, concern=1)).status_code == 201
    summary = org.organiser.http.get(f"/api/rounds/{rid}/summary").json()
    assert summary["k"] == 5 and summary["notes"] == 9
    assert [a["area"] for a in summary["areas"]] == ["Centrum"]
    centrum = summary["areas"][0]
    assert centrum["notes"] == 6 and centrum["concern_mean"] == 4.0
    assert centrum["us_them_share"] == 1.0 and centrum["wants_dialogue"] == 6
    assert summary["other"]["hidden"] is True and summary["other"]["notes"] == 3
    assert summary["other"]["concern_mean"] is None
    assert "Noord" not in str(summary) and "Zuid" not in str(summary)


def test_export_csv_has_the_documented_header_and_names_only_for_an_admin(org: Org) -> None:
    rid = org.new_round()["id"]
    put(org.canvasser, rid, a_note(topics=["safety", "youth"], text='=HYPERLINK("x")'))
    r = org.organiser.http.get(f"/api/rounds/{rid}/export.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == [
        "round_id", "note_id", "area", "day", "part_of_day", "outcome", "topics", "concern",
        "trust", "us_them", "us_them_about", "incident", "wants_dialogue", "text", "redactions",
    ]  # fmt: skip
    assert rows[0]["topics"] == "safety;youth" and rows[0]["text"].startswith("'=")
    assert_error(
        org.organiser.http.get(f"/api/rounds/{rid}/export.csv", params={"canvasser": "true"}),
        403,
        "forbidden",
    )
    named = org.admin.http.get(f"/api/rounds/{rid}/export.csv", params={"canvasser": "true"})
    assert list(csv.DictReader(io.StringIO(named.text)))[0]["canvasser"] == "Anna Canvas"


def test_editing_a_round_keeps_what_notes_use(org: Org) -> None:
    rid = org.new_round(topics=["safety", "youth"])["id"]
    put(org.canvasser, rid, a_note(area="Noord", topics=["youth"]))
    patch = org.organiser.http.patch
    assert_error(patch(f"/api/rounds/{rid}", json={"areas": ["Centrum"]}), 409, "in_use")
    assert_error(patch(f"/api/rounds/{rid}", json={"topics": ["safety"]}), 409, "in_use")
    assert_error(
        patch(f"/api/rounds/{rid}", json={"areas": ["Noord", "Kerkstraat 3"]}), 422, "invalid_value"
    )
    r = patch(f"/api/rounds/{rid}", json={"areas": ["Noord", "Oost"], "title": "Ronde 2"})
    assert r.status_code == 200 and r.json()["areas"] == ["Noord", "Oost"]
    assert r.json()["title"] == "Ronde 2"
    assert_error(patch(f"/api/rounds/{rid}", json={"title": None}), 400, "invalid_body")


def test_a_session_linked_to_an_area_shows_up_in_the_round_with_its_code(org: Org) -> None:
    made = org.new_round()
    rid = made["id"]
    http = org.organiser.http
    r = http.post(
        "/api/sessions",
        json={"title": "Buurtavond Noord", "round_id": rid, "round_area": "Noord", "prompts": []},
    )
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    assert (r.json()["round_id"], r.json()["round_area"]) == (rid, "Noord")
    linked = org.canvasser.http.get(f"/api/rounds/{rid}").json()["sessions"]
    assert linked == [
        {
            "id": sid,
            "title": "Buurtavond Noord",
            "area": "Noord",
            "state": "draft",
            "code": None,
            "join_url": None,
        }
    ]
    assert_error(http.get(f"/api/sessions/{sid}/handout.html"), 409, "wrong_state")
    code = http.post(f"/api/sessions/{sid}/start").json()["code"]
    linked = org.canvasser.http.get(f"/api/rounds/{rid}").json()["sessions"]
    assert linked[0]["code"] == code and linked[0]["join_url"].endswith(f"/j/{code}")
    sheet = http.get(f"/api/sessions/{sid}/handout.html")
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/html")
    assert sheet.text.count('class="card"') == 8 and sheet.text.count("<svg") == 8
    assert code in sheet.text and "<script" not in sheet.text
    assert (
        http.get(f"/api/sessions/{sid}/handout.html", params={"pages": 2}).text.count(
            'class="card"'
        )
        == 16
    )
    assert_error(
        http.get(f"/api/sessions/{sid}/handout.html", params={"pages": 99}), 422, "invalid_value"
    )
    assert_error(org.canvasser.http.get(f"/api/sessions/{sid}/handout.html"), 403, "forbidden")
    # bad links
    for body in (
        {"round_id": rid, "round_area": "Elders"},
        {"round_id": rid},
        {"round_area": "Noord"},
        {"round_id": "nope", "round_area": "Noord"},
    ):
        assert_error(http.post("/api/sessions", json={"title": "S", **body}), 422, "invalid_value")
    unlinked = http.patch(f"/api/sessions/{sid}", json={"round_id": None})
    assert unlinked.status_code == 200 and unlinked.json()["round_area"] is None
    assert org.canvasser.http.get(f"/api/rounds/{rid}").json()["sessions"] == []


def test_a_round_of_another_organisation_cannot_be_linked(org: Org, live_server: Server) -> None:
    rid = org.new_round()["id"]
    stranger = live_server.login(role="facilitator")
    r = stranger.http.post(
        "/api/sessions", json={"title": "S", "round_id": rid, "round_area": "Noord"}
    )
    assert_error(r, 422, "invalid_value")
