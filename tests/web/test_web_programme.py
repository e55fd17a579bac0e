"""The programme and the audit on the web pages, without JavaScript (plain HTTP, as a text browser).

Over the tiny org with the programme records of programme_org.py: mentors and opportunities on
a career page, the succession slate under a critical role's shortlist, the programme figures on
analytics, and the audit page (admin and auditor only; groups never small enough to name a person).
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from orgdata import PROTECTED_VALUES
from programme_org import CRITICAL, MENTOR, add_programme
from svc_harness import Svc


@pytest.fixture(scope="module", autouse=True)
def programme(web: Svc) -> None:
    add_programme(web.engine)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def section(html: str, id_: str) -> str:
    return html.split(f'id="{id_}"', 1)[1].split("</section>", 1)[0]


def test_career_page_lists_mentors_for_the_chosen_role_with_their_places(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    page = browser_for("employee").get("/app/me?role=data-scientist")
    assert page.status_code == 200
    want = web.engine.programme.mentors("E001", "data-scientist", limit=5)
    mentors = section(page.text, "mentors")
    assert re.findall(r'data-employee="([^"]+)"', mentors) == [m.employee_id for m in want.items]
    first = text(mentors.split("</li>\n    \n", 1)[0])
    assert "Mentors for Data Scientist" in text(mentors)
    assert MENTOR in first and "Data Scientist · platform" in first
    assert "Can help with 3 of your 3 gap skills" in first and "2 of 2 mentoring places free" in first
    assert "Machine Learning 3 intermediate (you need 3)" in first


def test_career_page_lists_open_opportunities_that_close_gaps(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    page = browser_for("employee").get("/app/me?role=data-scientist")
    want = web.engine.programme.opportunities("E001", "data-scientist", limit=5).items
    opps = section(page.text, "opportunities")
    assert re.findall(r'data-opportunity="([^"]+)"', opps) == [o.opportunity_id for o in want]
    row = text(opps.split('data-opportunity="gig-python"', 1)[1].split("</tr>", 1)[0])
    assert "Python for analysts clinic" in row and "Gig" in row and "16 h" in row and "Python 0→2" in row
    assert "Churn model pilot" in text(opps) and "Stretch project" in text(opps)


def test_empty_states_say_why_in_plain_words(browser_for) -> None:  # type: ignore[no-untyped-def]
    page = browser_for("employee").get("/app/me")  # top next role: Senior Data Analyst, every skill met
    assert "No mentors to suggest: you already meet every skill Senior Data Analyst needs." in text(
        section(page.text, "mentors"))
    opps = text(section(page.text, "opportunities"))
    assert "No open gig, stretch project or rotation closes your gaps for Senior Data Analyst" in opps
    assert "Senior Data Analyst 1 open · ready now" in opps  # its open position, among the next roles


def test_hr_sees_the_succession_slate_under_a_critical_roles_shortlist(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    page = browser_for("hr").get(f"/app/roles/{CRITICAL}")
    assert page.status_code == 200
    slate = web.engine.programme.succession(CRITICAL, limit=5)
    succ = section(page.text, "succession")
    listed = [c.employee_id for b in (slate.ready_now, slate.ready_1y, slate.ready_2y) for c in b]
    assert listed and re.findall(r'data-employee="([^"]+)"', succ) == listed
    body = text(succ)
    assert "Senior Data Engineer is a critical role." in body and f"Bench strength {slate.bench_strength}" in body
    assert "1 person holds the role today" in body and "At risk: no one is ready" not in body
    bo = text(succ.split('data-employee="E002"', 1)[1].split("</tr>", 1)[0])
    assert "Bo Builder Natural successor" in bo and "Ready soon" in body
    assert f"Ready within a year ({len(slate.ready_1y)})" in body
    assert f"Ready within two years ({len(slate.ready_2y)})" in body
    assert page.text.index('id="shortlist"') < page.text.index('id="succession"')  # under the shortlist


def test_recruiters_get_the_shortlist_and_a_note_and_plain_roles_say_they_are_not_critical(browser_for) -> None:  # type: ignore[no-untyped-def]
    client = browser_for("recruiter")
    succ = text(section(client.get(f"/app/roles/{CRITICAL}").text, "succession"))
    assert "is a critical role" in succ and "HR and admin keys see it here" in succ and "Bo Builder" not in succ
    for who in ("recruiter", "hr"):
        plain = text(section(browser_for(who).get("/app/roles/data-engineer").text, "succession"))
        assert "Data Engineer is not a critical role" in plain


def test_shortlist_filters_still_apply_on_a_critical_role(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    page = browser_for("hr").get(f"/app/roles/{CRITICAL}?min_readiness=ready_soon&move=promotion&move=lateral")
    want = [c.employee_id for c in web.engine.candidates(CRITICAL, limit=100, min_readiness="ready_soon").items
            if c.move in ("promotion", "lateral")][:20]
    shortlist = section(page.text, "shortlist")
    assert re.findall(r'<tr data-employee="([^"]+)"', shortlist) == want
    assert 'value="ready_soon" selected' in shortlist
    assert 'id="move-lateral" name="move" value="lateral" checked' in shortlist
    assert 'data-employee="' in section(page.text, "succession")  # the slate is not filtered


def test_analytics_shows_the_programme_figures(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    client = browser_for("hr")
    page = client.get("/app/analytics")
    prog = text(section(page.text, "programme"))
    assert "Programme figures, 2024-06-30 to 2025-06-30" in prog
    assert "Internal fill rate 75%" in prog and "of the 4 openings closed in the window, 3 went to someone" in prog
    assert "Promotion rate 0%" in prog and "Talent hoarding" in prog and "Bottlenecks" in prog
    assert "Data 5 0 0% 0 75% (3 of 4)" in prog  # the data family (Di Engineer is in engineering)
    by_team = text(section(client.get("/app/analytics?by=team").text, "programme"))
    assert "By team" in by_team and "Platform" not in by_team and "platform 4" in by_team
    assert "By job family" in text(section(client.get("/app/analytics?by=nonsense").text, "programme"))
    assert "People 6" in text(page.text)  # the figures of today are still there


def test_audit_is_for_admin_and_auditor_keys_only(browser_for) -> None:  # type: ignore[no-untyped-def]
    for who, status in (("admin", 200), ("auditor", 200), ("hr", 403), ("recruiter", 403), ("employee", 403)):
        page = browser_for(who).get("/app/audit")
        assert page.status_code == status, who
        assert ("Impact audit" in page.text) == (status == 200), who
    assert "needs the “audit” permission" in text(browser_for("hr").get("/app/audit").text)


def test_audit_shows_impact_rates_recent_decisions_and_overrides(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    browser_for("employee").get("/app/me")  # logged: next roles for E001 ...
    shown = browser_for("recruiter").get(f"/app/roles/{CRITICAL}")  # ... and a shortlist
    first = re.findall(r'<tr data-employee="([^"]+)"', section(shown.text, "shortlist"))[0]
    web.engine.audit.record_override(CRITICAL, action="remove", employee_id=first, reason="on secondment until May")
    page = browser_for("auditor").get("/app/audit")
    impact = text(section(page.text, "impact"))
    assert "Shortlists (" in impact and "Next-role recommendations (" in impact
    # Three people with protected attributes, each in a group of one: summed, never named.
    assert "groups of fewer than 5 people" in impact and "Not shown one by one" in impact
    rows = re.findall(r'<tr data-decision="(\d+)">', page.text)
    assert rows == sorted(rows, key=int, reverse=True) and len(rows) <= 20
    newest = text(section(page.text, "decisions").split("</tr>", 2)[1])
    assert "Shortlist for a role" in newest and "Senior Data Engineer" in newest and "recruiter key" in newest
    assert "GET /app/roles/{role_id}" in newest  # web pages name their key and page in the log
    assert "Next roles for a person" in text(section(page.text, "decisions"))
    overrides = text(section(page.text, "overrides"))
    assert "Removed" in overrides and "on secondment until May" in overrides and first in overrides
    assert "Of 6 employees" in text(page.text)


def test_new_sections_never_show_a_protected_attribute(browser_for) -> None:  # type: ignore[no-untyped-def]
    for who, path in (("employee", "/app/me?role=data-scientist"), ("hr", f"/app/roles/{CRITICAL}"),
                      ("hr", "/app/analytics?by=manager"), ("admin", "/app/audit"),
                      ("auditor", "/app/audit?category=race_ethnicity"),
                      ("auditor", "/app/audit?category=intersectional")):
        html = browser_for(who).get(path).text
        assert not any(v in html for v in PROTECTED_VALUES), path


def test_new_pages_keep_ids_unique_and_every_field_labelled(browser_for) -> None:  # type: ignore[no-untyped-def]
    for who, path in (("employee", "/app/me?role=data-scientist"), ("hr", f"/app/roles/{CRITICAL}"),
                      ("hr", "/app/analytics"), ("auditor", "/app/audit")):
        html = browser_for(who).get(path).text
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), (path, sorted(i for i in ids if ids.count(i) > 1))
        for i in re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"', html):
            assert f'for="{i}"' in html, (path, i)
        for ref in re.findall(r'aria-labelledby="([^"]+)"', html):
            assert all(r in ids for r in ref.split()), (path, ref)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=\"", html), path


def test_each_view_of_the_audit_is_logged_as_an_aggregate_read(web: Svc, browser_for) -> None:  # type: ignore[no-untyped-def]
    before = len(web.engine.audit.protected_reads(limit=1000)[0])
    assert browser_for("auditor").get("/app/audit?category=race_ethnicity").status_code == 200
    new = web.engine.audit.protected_reads(limit=1000)[0][before:]
    assert [r["purpose"] for r in new] == ["impact shortlist race_ethnicity", "impact recommendation race_ethnicity"]
    assert all(r["employee_id"] is None and r["actor_role"] == "auditor" and r["endpoint"] == "GET /app/audit"
               for r in new)
