"""Cast changes tonight (GET /api/v1/show/sessions/{id}/casting/changes) and the printable cast
sheet (GET /api/v1/show/sessions/{id}/cast-sheet, HTML or ?format=csv): the diff from the
principals with names, who plays each character with covers marked, the performance's date and
time in the venue's zone, its tags and warnings; names escaped, CSV cells never formulas."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.casting.helpers import add_cast, add_character, set_pool
from tests.planning.helpers import set_zone


async def company(admin):
    """Ada plays Hamlet (Sam covers), Sam plays Horatio (Kit covers), nobody plays the Ghost."""
    ada, sam, kit = [await add_cast(admin, n) for n in ("Ada", "Sam", "Kit")]
    hamlet = await add_character(admin, "Hamlet", ada)
    horatio = await add_character(admin, "Horatio", sam)
    ghost = await add_character(admin, "Ghost")
    await set_pool(admin, hamlet, [ada, sam])
    await set_pool(admin, horatio, [sam, kit])
    return ada, sam, kit, hamlet, horatio, ghost


async def recast(admin, session: int, cells: dict[int, int | None]) -> None:
    body = {"casting": {str(c): m for c, m in cells.items()}}
    r = await admin.patch(f"/show/sessions/{session}/casting", body)
    assert r.code == 200, r


def changes_path(session: int) -> str:
    return f"/show/sessions/{session}/casting/changes"


def sheet_path(session: int, query: str = "") -> str:
    return f"/show/sessions/{session}/cast-sheet{query}"


def text_of(html: str) -> str:
    """The page's visible text (its body), tags dropped and spaces folded."""
    body = html.split("<body>", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


# -- cast changes tonight ---------------------------------------------------------------------


@pytest.mark.gen_test
async def test_changes_list_who_is_on_for_whom_with_the_warnings(admin, show):
    ada, sam, kit, hamlet, horatio, ghost = await company(admin)
    session = await admin.schedule("2026-12-10T19:30:00")
    r = await admin.get(changes_path(session))
    assert r.code == 200, r
    # As the principals: no changes; the unplayed Ghost is a warning, not a change.
    assert r.json["session_id"] == session
    assert r.json["changes"] == []
    assert [w["kind"] for w in r.json["warnings"]] == ["nobody_available"]

    await recast(admin, session, {hamlet: sam, horatio: kit})
    r = await admin.get(changes_path(session))
    assert r.json["changes"] == [
        {
            "character_id": hamlet,
            "character": "Hamlet",
            "principal_cast_id": ada,
            "principal": "Ada Lane",
            "cast_id": sam,
            "cast": "Sam Lane",
        },
        {
            "character_id": horatio,
            "character": "Horatio",
            "principal_cast_id": sam,
            "principal": "Sam Lane",
            "cast_id": kit,
            "cast": "Kit Lane",
        },
    ]
    casting = await admin.get(f"/show/sessions/{session}/casting")
    assert r.json["warnings"] == casting.json["warnings"]

    # A principal replaced by nobody is a change too.
    await recast(admin, session, {hamlet: None})
    [change, _] = (await admin.get(changes_path(session))).json["changes"]
    assert (change["character_id"], change["cast_id"], change["cast"]) == (hamlet, None, None)


@pytest.mark.gen_test
async def test_changes_follow_the_casting_and_are_cached_until_it_changes(admin, show):
    ada, sam, kit, hamlet, horatio, ghost = await company(admin)
    session = await admin.schedule("2026-12-10T19:30:00")
    first = await admin.get(changes_path(session))
    etag = first.headers["Etag"]
    again = await admin.get(changes_path(session), headers={"If-None-Match": etag})
    assert again.code == 304
    await recast(admin, session, {hamlet: sam})
    fresh = await admin.get(changes_path(session), headers={"If-None-Match": etag})
    assert fresh.code == 200
    assert [c["character_id"] for c in fresh.json["changes"]] == [hamlet]


# -- the cast sheet ---------------------------------------------------------------------------


@pytest.mark.gen_test
async def test_the_sheet_is_a_printable_page_of_tonights_cast(admin, show):
    await set_zone(admin, "America/New_York")
    ada, sam, kit, hamlet, horatio, ghost = await company(admin)
    press = await admin.create_tag("Press Night")
    session = await admin.schedule("2026-12-10T19:30:00", tag_ids=[press])
    await recast(admin, session, {horatio: kit})

    r = await admin.get(sheet_path(session))
    assert r.code == 200, r
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    page = r.body.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert "@media print" in page
    text = text_of(page)
    assert "Hamlet" in text
    # 19:30 UTC is 14:30 at a New York venue in December.
    assert "Thursday 10 December 2026, 14:30 (EST, America/New_York)" in text
    assert "Press Night" in text
    assert "Performance 1" in text
    # The changes come first, then the warnings, then every character with its performer.
    changes = text.index("Cast changes tonight")
    warnings = text.index("Warnings")
    table = text.index("Character Played by")
    assert changes < warnings < table
    assert "Horatio: Kit Lane replacing Sam Lane" in text[changes:warnings]
    assert "Nobody is available to play Ghost" in text[warnings:table]
    rows = text[table:]
    assert "Hamlet Ada Lane Horatio Kit Lane cover Ghost Nobody available" in rows
    assert re.search(r'<tr class="cover"><td>Horatio</td><td>Kit Lane<span', page)


@pytest.mark.gen_test
async def test_a_sheet_without_changes_says_so(admin, show):
    ada = await add_cast(admin, "Ada")
    await add_character(admin, "Hamlet", ada)
    session = await admin.schedule("2026-12-10T19:30:00")
    text = text_of((await admin.get(sheet_path(session))).body.decode())
    assert "None: every character is played by its principal." in text
    assert "Warnings" not in text
    assert "cover" not in text


@pytest.mark.gen_test
async def test_every_name_on_the_sheet_is_escaped(admin, show):
    r = await admin.post("/show/cast", {"firstName": "<script>x()</script>", "lastName": "&Co"})
    evil = int(r.json["id"])
    ada = await add_cast(admin, "Ada")
    hamlet = await add_character(admin, 'Ham"let <b>', ada)
    await set_pool(admin, hamlet, [ada, evil])
    tag = await admin.create_tag("<i>Gala</i>")
    session = await admin.schedule("2026-12-10T19:30:00", tag_ids=[tag])
    await recast(admin, session, {hamlet: evil})
    page = (await admin.get(sheet_path(session))).body.decode()
    assert "<script>" not in page
    assert "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt; &amp;Co" in page
    assert "Ham&quot;let &lt;b&gt;" in page
    assert "&lt;i&gt;Gala&lt;/i&gt;" in page


@pytest.mark.gen_test
async def test_the_csv_sheet_parses_back_with_formula_safe_cells(admin, show):
    ada, sam, kit, hamlet, horatio, ghost = await company(admin)
    r = await admin.post("/show/cast", {"firstName": "=HYPERLINK(1)", "lastName": "Lane"})
    formula = int(r.json["id"])
    plus = await add_character(admin, "+Chorus", formula)
    session = await admin.schedule("2026-12-10T19:30:00")
    await recast(admin, session, {hamlet: sam})

    r = await admin.get(sheet_path(session, "?format=csv"))
    assert r.code == 200, r
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="cast-sheet-{session}.csv"' in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"))))
    assert rows == [
        ["character", "performer", "principal", "is_cover"],
        ["Hamlet", "Sam Lane", "Ada Lane", "true"],
        ["Horatio", "Sam Lane", "Sam Lane", "false"],
        ["Ghost", "", "", "false"],
        ["'+Chorus", "'=HYPERLINK(1) Lane", "'=HYPERLINK(1) Lane", "false"],
    ]
    assert plus > ghost


@pytest.mark.gen_test
async def test_an_ad_hoc_session_shows_when_it_started(admin, show, client):
    await set_zone(admin, "Europe/Paris")
    ada = await add_cast(admin, "Ada")
    await add_character(admin, "Hamlet", ada)
    assert (await admin.start(client)).code == 200
    session = (await admin.sessions())["current_session"]["id"]
    page = (await admin.get(sheet_path(session))).body.decode()
    assert re.search(r"\d{2}:\d{2} \(CET, Europe/Paris\)", text_of(page)), text_of(page)
    assert (await admin.get(changes_path(session))).json["changes"] == []


# -- who may read, and refusals ---------------------------------------------------------------


@pytest.mark.gen_test
async def test_anyone_may_read_but_a_bad_token_is_refused(admin, show):
    await company(admin)
    session = await admin.schedule("2026-12-10T19:30:00")
    for path in (changes_path(session), sheet_path(session), sheet_path(session, "?format=csv")):
        assert (await admin.get(path, token="")).code == 200, path
        r = await admin.get(path, token="not-a-token")
        assert r.code == 401, path


@pytest.mark.gen_test
async def test_unknown_and_other_shows_sessions_are_404_and_a_bad_format_400(admin, show):
    session = await admin.schedule("2026-12-10T19:30:00")
    await admin.create_show("Macbeth")
    other = await admin.schedule("2026-12-11T19:30:00")
    await admin.load_show(show)
    for missing in (other, 999999, "x1"):
        for path in (
            changes_path(missing),
            sheet_path(missing),
            sheet_path(missing, "?format=csv"),
        ):
            r = await admin.get(path)
            assert (r.code, r.json) == (404, {"message": "404 session not found"}), path
    for query in ("?format=pdf", "?format=", "?format=CSV"):
        r = await admin.get(sheet_path(session, query))
        assert (r.code, r.json) == (400, {"message": "format must be html or csv"}), query


@pytest.mark.gen_test
async def test_the_document_declares_both_kinds_of_sheet(admin):
    r = await admin.get("/api/v1/openapi.json")
    operation = r.json["paths"]["/api/v1/show/sessions/{id}/cast-sheet"]["get"]
    assert sorted(operation["responses"]["200"]["content"]) == ["text/csv", "text/html"]
    [format_] = [p for p in operation["parameters"] if p["name"] == "format"]
    assert format_["schema"]["enum"] == ["html", "csv"]
