"""What each role sees on the web app's pages, without JavaScript (plain HTTP like a text browser).

The tiny org (tests/service/orgdata.py): Ada Analyst (E001) holds every requirement of Senior
Data Analyst at its level, so that promotion is hers and ready now; Bo Builder (E002) is E002.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from orgdata import PROTECTED, PROTECTED_VALUES
from svc_harness import Svc
from web_helpers import form_csrf

from engine.models import Transition


@pytest.fixture(scope="module", autouse=True)
def observed_moves(web: Svc) -> None:
    """Moves colleagues made: 3 analysts promoted on the ladder, 2 off it to data engineering."""
    web.engine.upsert([
        *(Transition(from_role_id="data-analyst", to_role_id="senior-data-analyst", date=dt.date(2024, 1, 1 + i))
          for i in range(3)),
        *(Transition(from_role_id="data-analyst", to_role_id="data-engineer", date=dt.date(2024, 2, 1 + i))
          for i in range(2)),
    ])


def text(html: str) -> str:
    """Visible text, roughly: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_employee_page_shows_next_roles_with_move_readiness_and_why(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    page = browser_for("employee").get("/app/me")
    assert page.status_code == 200
    expected = web.engine.recommend("E001", limit=8, direction="up").items
    titles = re.findall(r'<li class="rec[^"]*" data-role="([^"]+)"', page.text)
    assert titles == [r.role_id for r in expected]
    top = expected[0]
    assert top.title == "Senior Data Analyst" and top.readiness == "ready_now"  # by construction
    body = text(page.text)
    assert "Ada Analyst" in body and "Data Analyst · Data · level 1" in body
    first_card = text(page.text.split('data-role="senior-data-analyst"', 1)[1].split("</li>", 1)[0])
    assert "Promotion" in first_card and "Ready now" in first_card and "You cover 100%" in first_card
    assert top.why.split(":")[0] in first_card


def test_directions_are_plain_links_that_change_the_list(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    client = browser_for("employee")
    page = client.get("/app/me")
    assert 'href="/app/me?direction=lateral' in page.text and 'href="/app/me?direction=any' in page.text
    lateral = client.get("/app/me?direction=lateral")
    assert lateral.status_code == 200
    want = [r.role_id for r in web.engine.recommend("E001", limit=8, direction="lateral").items]
    assert re.findall(r'<li class="rec[^"]*" data-role="([^"]+)"', lateral.text) == want
    assert client.get("/app/me?direction=sideways").status_code == 422


def test_a_chosen_role_lists_gaps_with_levels_and_learning_items(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    page = browser_for("employee").get("/app/me?role=data-scientist")
    assert page.status_code == 200
    plan = web.engine.learning("E001", "data-scientist")
    detail = page.text.split('id="role-detail"', 1)[1].split("</section>", 1)[0]
    assert "Data Scientist: what it takes" in text(detail)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">([^<]+)</th>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>", detail)
    assert [(n, h.strip(), w.strip()) for n, h, w in rows] == [
        (g.name, f"{g.have} {['none', 'aware', 'basic', 'intermediate', 'advanced', 'expert'][g.have]}",
         f"{g.need} {['none', 'aware', 'basic', 'intermediate', 'advanced', 'expert'][g.need]}") for g in plan.gaps]
    # Python 0 -> 3 is closed by nothing in the catalogue below level 4 except Advanced Python (24 h, course);
    # Statistics and ML by "Statistics for ML" (30 h).
    assert "Statistics for ML" in detail and "30 h, course" in detail
    assert "Advanced Python" in detail and "24 h, course" in detail


def test_route_to_a_target_and_the_career_map(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    page = browser_for("employee").get("/app/me?target=senior-data-analyst")
    assert page.status_code == 200
    section = page.text.split('id="route"', 1)[1].split("</section>", 1)[0]
    best = web.engine.routes("E001", "senior-data-analyst", alternatives=2).best
    assert best.role_ids == ["data-analyst", "senior-data-analyst"]
    assert "Cheapest route to Senior Data Analyst" in text(section)
    svg = section[section.index("<svg"):section.index("</svg>") + 6]
    roles = set(re.findall(r'<g class="[^"]*" data-role="([^"]+)"', svg))
    assert {"data-analyst", "senior-data-analyst", "data-engineer", "data-scientist"} <= roles
    assert "software-engineer" not in roles  # another family, not on the route
    assert re.search(r'class="role route current" data-role="data-analyst"', svg)
    assert re.search(r'class="role route" data-role="senior-data-analyst"', svg)
    assert "×3" in svg and "×2" in svg  # the observed moves, with how many people made them
    assert "You are here" in svg and "Target" in svg
    assert '<option value="senior-data-analyst" selected>' in section


def test_preferences_form_saves_through_the_engine_and_keeps_protected_attributes(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    client = browser_for("employee")
    page = client.get("/app/me")
    form = {"csrf": form_csrf(page.text), "interests": "machine learning and mentoring",
            "families": ["data", "engineering"], "management": "no"}
    r = client.post("/app/me/preferences", data=form)
    assert r.status_code == 303 and r.headers["location"].startswith("/app/me?saved=1")
    emp = web.engine.store.get_employee("E001")
    assert emp.interests == "machine learning and mentoring"
    assert emp.mobility.open_to_move is False  # the box was not ticked
    assert emp.mobility.families == ["data", "engineering"] and emp.mobility.management is False
    assert web.engine.store.get_protected("E001").model_dump() == PROTECTED["E001"]
    after = client.get("/app/me?saved=1")
    assert "Saved." in after.text and "machine learning and mentoring" in after.text
    assert re.search(r'id="mgmt-no" name="management" value="no" checked', after.text)


def test_preferences_without_the_csrf_token_change_nothing(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    client = browser_for("employee")
    before = web.engine.store.get_employee("E001")
    for csrf in ("", "forged"):
        r = client.post("/app/me/preferences", data={"csrf": csrf, "interests": "hijacked"})
        assert r.status_code == 403
    page = client.get("/app/me")
    r = client.post("/app/me/preferences", data={"csrf": form_csrf(page.text), "interests": "x"},
                    headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    r = client.post("/app/me/preferences", data={"csrf": form_csrf(page.text), "families": ["astrology"]})
    assert r.status_code == 422 and "unknown job families: astrology" in r.text
    assert web.engine.store.get_employee("E001") == before


@pytest.mark.parametrize(("who", "path", "status"), [
    ("employee", "/app/employees/E002", 403),  # another employee's page
    ("employee", "/app/roles/data-engineer", 403),  # shortlists are not for employees
    ("employee", "/app/analytics", 403),
    ("employee", "/app/audit", 403),
    ("recruiter", "/app/employees/E001", 403),  # recruiters see shortlists, not career pages
    ("recruiter", "/app/analytics", 403),
    ("hr", "/app/audit", 403),  # hr runs the programme but never sees the audit
    ("auditor", "/app/roles/data-engineer", 403),
    ("hr", "/app/employees/E002", 200),
    ("hr", "/app/analytics", 200),
    ("admin", "/app/audit", 200),
    ("auditor", "/app/audit", 200),
    ("recruiter", "/app/roles/no-such-role", 404),
    ("hr", "/app/employees/E999", 404),
])
def test_what_each_role_may_open_follows_the_api_permissions(browser_for, who: str, path: str, status: int) -> None:  # type: ignore[no-untyped-def]
    r = browser_for(who).get(path)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("text/html")
    if status == 403:
        assert "Not allowed" in r.text


def test_employee_key_opening_its_own_id_goes_to_my_career(browser_for) -> None:  # type: ignore[no-untyped-def]
    r = browser_for("employee").get("/app/employees/E001")
    assert r.status_code == 303 and r.headers["location"].startswith("/app/me")


def test_menu_shows_only_what_the_key_may_open(browser_for) -> None:  # type: ignore[no-untyped-def]
    def menu(who: str) -> list[str]:
        page = browser_for(who).get("/app/").headers["location"]
        html = browser_for(who).get(page).text
        nav = html.split('aria-label="Sections"', 1)[1].split("</nav>", 1)[0]
        return re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', nav)

    assert menu("employee") == ["My career"]
    assert menu("recruiter") == ["Roles"]
    assert menu("hr") == ["Roles", "People", "Analytics"]
    assert menu("admin") == ["Roles", "People", "Analytics", "Audit"]
    assert menu("auditor") == ["Audit"]


def test_hr_sees_an_employee_page_read_only(browser_for) -> None:  # type: ignore[no-untyped-def]
    page = browser_for("hr").get("/app/employees/E002")
    assert page.status_code == 200 and "Bo Builder" in page.text
    assert 'action="/app/me/preferences"' not in page.text and "Only Bo Builder can change these" in page.text
    assert browser_for("hr").post("/app/me/preferences", data={"csrf": "x"}).status_code == 403


def test_recruiter_shortlist_shows_readiness_coverage_move_and_reasons(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    page = browser_for("recruiter").get("/app/roles/senior-data-engineer")
    assert page.status_code == 200
    expected = web.engine.candidates("senior-data-engineer", limit=20).items
    rows = re.findall(r'<tr data-employee="([^"]+)">(.*?)</tr>', page.text, flags=re.S)
    assert [e for e, _ in rows] == [c.employee_id for c in expected]
    first = text(rows[0][1])
    c = expected[0]
    for piece in (c.display_name, f"{c.coverage * 100:.0f}%", c.why):
        assert piece in first
    assert {"ready_soon": "Ready soon", "ready_now": "Ready now", "stretch": "Stretch",
            "long_term": "Long term"}[c.readiness] in first
    assert "Apache Spark 4 advanced" in text(page.text)  # what the role needs
    assert "E005" not in [e for e, _ in rows]  # the incumbent is not a candidate for their own role


def test_shortlist_filters_by_readiness_and_move(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    client = browser_for("recruiter")
    everyone = web.engine.candidates("data-engineer", limit=100, include_step_down=True).items
    moves = {c.move for c in everyone}
    assert {"promotion", "step_down"} <= moves  # the org has both kinds for this role
    page = client.get("/app/roles/data-engineer")
    shown = re.findall(r'<tr data-employee="([^"]+)">', page.text)
    assert shown and all(c.move != "step_down" for c in everyone if c.employee_id in shown)  # not unless asked
    page = client.get("/app/roles/data-engineer?move=step_down")
    shown = re.findall(r'<tr data-employee="([^"]+)">', page.text)
    assert shown == [c.employee_id for c in everyone if c.move == "step_down"]
    assert re.search(r'id="move-step_down" name="move" value="step_down" checked', page.text)
    page = client.get("/app/roles/senior-data-engineer?min_readiness=ready_now")
    want = [c.employee_id for c in web.engine.candidates("senior-data-engineer", min_readiness="ready_now").items]
    assert re.findall(r'<tr data-employee="([^"]+)">', page.text) == want
    nonsense = client.get("/app/roles/senior-data-engineer?min_readiness=soonish&limit=lots&move=teleport")
    assert nonsense.status_code == 200  # odd filters fall back to the defaults


def test_role_picker_searches_titles_and_open_roles(browser_for) -> None:  # type: ignore[no-untyped-def]
    client = browser_for("recruiter")
    all_roles = client.get("/app/roles")
    assert "7 of 7 roles" in text(all_roles.text)
    page = client.get("/app/roles?q=senior")
    assert re.findall(r'href="/app/roles/([^"]+)"', page.text) == ["senior-data-analyst", "senior-data-engineer"]
    page = client.get("/app/roles?open=1")
    assert set(re.findall(r'href="/app/roles/([^"]+)"', page.text)) == {"senior-data-analyst", "senior-data-engineer"}


def test_people_search_finds_by_name_id_and_role(browser_for) -> None:  # type: ignore[no-untyped-def]
    client = browser_for("hr")
    assert re.findall(r'href="/app/employees/([^"]+)"', client.get("/app/people?q=ada").text) == ["E001"]
    assert re.findall(r'href="/app/employees/([^"]+)"', client.get("/app/people?q=e002").text) == ["E002"]
    by_role = re.findall(r'href="/app/employees/([^"]+)"', client.get("/app/people?q=data analyst").text)
    assert sorted(by_role) == ["E001", "E006"]


def test_analytics_shows_figures_deserts_and_a_family_map(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    page = browser_for("hr").get("/app/analytics?family=data")
    assert page.status_code == 200
    body = text(page.text)
    assert "People 6" in body and "Open positions 3" in body and "Moves on record 5" in body
    deserts = web.engine.bottlenecks()
    for b in deserts:
        assert f'href="/app/roles/{b.id}"' in page.text
    assert len(re.findall(r'<div class="chart"><svg', page.text)) == 3  # headcount, open positions, moves
    assert '<figure class="chart wide" aria-label="Mobility charts"><svg' in page.text  # the programme's
    ids = re.findall(r'\sid="([^"]+)"', page.text)
    assert len(ids) == len(set(ids))  # each chart's title and description keep ids of their own
    fmap = page.text.split('id="family-map"', 1)[1]
    assert 'data-role="data-eng-manager"' in fmap and 'data-role="software-engineer"' not in fmap


def test_audit_page_shows_only_aggregate_coverage(browser_for) -> None:  # type: ignore[no-untyped-def]
    page = browser_for("auditor").get("/app/audit")
    body = text(page.text)
    assert "Of 6 employees" in body
    assert "Sex 3 50%" in body  # three of six have protected attributes on record
    assert not any(v in page.text for v in PROTECTED_VALUES)


def test_no_page_shows_a_protected_attribute(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    pages = [("employee", "/app/me?direction=any"), ("hr", "/app/employees/E002"), ("hr", "/app/people?q=e"),
             ("recruiter", "/app/roles/senior-data-engineer?limit=100"), ("hr", "/app/analytics"),
             ("admin", "/app/roles/data-scientist")]
    for who, path in pages:
        html = browser_for(who).get(path).text
        assert not any(v in html for v in PROTECTED_VALUES), path


def test_pages_are_self_contained_with_a_strict_csp(browser_for) -> None:  # type: ignore[no-untyped-def]
    pages = [("employee", "/app/me"), ("recruiter", "/app/roles/senior-data-engineer"), ("recruiter", "/app/roles"),
             ("hr", "/app/analytics"), ("hr", "/app/people?q=a"), ("auditor", "/app/audit"), ("employee", "/app/audit")]
    for who, path in pages:
        r = browser_for(who).get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe" not in csp and "frame-ancestors 'none'" in csp
        assert r.headers["cache-control"] == "no-store" and r.headers["x-content-type-options"] == "nosniff"
        html = r.text
        # No script, style or font from elsewhere: nothing but the SVG namespace names another host.
        assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) <= {"http://www.w3.org/2000/svg"}, path
        assert all(src.startswith("/app/static/") for src in re.findall(r'<script[^>]* src="([^"]+)"', html))
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
        assert not re.search(r"<style|\sstyle=\"|\son[a-z]+=\"", html), "inline style or handler"
        assert re.search(r'<html lang="en">', html) and '<a class="skip" href="#main">' in html
    assert browser_for("employee").get("/app/me").headers["server-timing"].startswith("app;dur=")


def test_every_form_field_has_a_label(browser_for) -> None:  # type: ignore[no-untyped-def]
    for who, path in [("employee", "/app/me"), ("recruiter", "/app/roles/senior-data-engineer"),
                      ("hr", "/app/analytics"), ("recruiter", "/app/roles"), ("hr", "/app/people")]:
        html = browser_for(who).get(path).text
        ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"', html)
        fields = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*>', html)
        assert len(ids) == len(fields), path  # every visible field has an id ...
        for i in ids:
            assert f'for="{i}"' in html, (path, i)  # ... and a label for it


def test_without_indexes_pages_say_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from svc_harness import make_svc
    from web_helpers import sign_in

    with make_svc(tmp_path, load=False) as s:
        client = sign_in(s.app, s.tokens["employee"])
        r = client.get("/app/me")
        assert r.status_code == 503 and "skillgraph index" in r.text


def test_targets_without_a_route_and_people_without_a_role_get_a_plain_answer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from svc_harness import make_svc
    from web_helpers import sign_in

    from engine.models import Employee
    from service.keys import KeyStore

    with make_svc(tmp_path) as s:
        client = sign_in(s.app, s.tokens["employee"])
        for target, says in (("software-engineer", "No route from Data Analyst to Software Engineer yet"),
                             ("data-analyst", "Data Analyst is your current role"),
                             ("no-such-role", "There is no role 'no-such-role'")):
            page = client.get(f"/app/me?target={target}")
            assert page.status_code == 200 and says in text(page.text), target
            assert "Cheapest route" not in page.text
        s.engine.upsert([Employee(id="E100", display_name="Nova Newhire", skills=[{"skill_id": "sql", "level": 3}])])
        _, token = KeyStore(s.engine.store).create("employee", employee_id="E100")
        page = sign_in(s.app, token).get("/app/me")
        assert page.status_code == 200 and "No current role on record" in page.text
        assert "A route needs a current role" in page.text and "<svg" not in page.text
        assert re.findall(r'<li class="rec[^"]*" data-role="', page.text)  # still gets next roles
