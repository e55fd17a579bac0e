"""End to end in Debian's Chromium: sign-in, an employee's page, a recruiter's page, a 403, sign-out,
and the programme: mentors, a succession slate, the programme figures, the audit page.

The app runs under uvicorn over the tiny org (tests/service/orgdata.py) with observed moves and
the programme records of programme_org.py added; every assertion reads what the page shows a
person (text, the map's drawn roles, focus).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_harness import chromium, requested_urls, serve, sign_in
from programme_org import CRITICAL, MENTOR, add_programme
from svc_harness import Svc, make_svc

from engine.charts.career_map import map_roles
from engine.models import Transition
from service.keys import KeyStore

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Svc, str]]:
    with make_svc(tmp_path_factory.mktemp("browser")) as s:
        s.engine.upsert([Transition(from_role_id="data-analyst", to_role_id="senior-data-analyst",
                                    date=dt.date(2024, 1, 1 + i)) for i in range(3)])
        add_programme(s.engine)
        key_id, token = KeyStore(s.engine.store).create("auditor")
        s.tokens["auditor"], s.key_ids["auditor"] = token, key_id
        with serve(s.app) as base:
            yield s, base


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with chromium() as d:
        yield d


def by_css(driver: Any, css: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, css)


def all_css(driver: Any, css: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, css)


def wait_for(driver: Any, check: Any, timeout: float = 10) -> Any:
    """Wait until ``check(driver)`` holds; an element that goes stale as the page changes is retried."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: check(d))


def outside(urls: list[str]) -> list[str]:
    """Network requests that left the machine (chrome://, data: and blob: URLs never do)."""
    return [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
            and urlsplit(u).hostname != "127.0.0.1"]


def console_errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "status of 403" not in e["message"]]


def test_employee_signs_in_and_sees_next_roles_gaps_and_the_map(site: tuple[Svc, str], driver: Any) -> None:
    svc, base = site
    requested_urls(driver)  # drop what came before
    sign_in(driver, base, svc.tokens["employee"])
    wait_for(driver, lambda d: urlsplit(d.current_url).path == "/app/me")
    assert by_css(driver, "h1").text == "Ada Analyst"
    top = svc.engine.recommend("E001", limit=8, direction="up").items[0]
    assert by_css(driver, ".recs li:first-child h3 a").text == top.title == "Senior Data Analyst"
    assert "Ready now" in by_css(driver, ".recs li:first-child").text
    assert by_css(driver, "#role-detail h2").text == f"{top.title}: what it takes"

    # The career map: every role of the route's family drawn, the person's own role marked.
    route = svc.engine.routes("E001", "senior-data-analyst").best.role_ids
    G = svc.engine.state().graph.G
    drawn = {g.get_attribute("data-role") for g in all_css(driver, "#route svg g.role")}
    assert drawn == set(map_roles(G, route=route, current="data-analyst", alternatives=[]))
    here = by_css(driver, '#route svg g.current[data-role="data-analyst"]')
    assert "Data Analyst" in here.text and "You are here" in here.text
    assert by_css(driver, '#route svg g.route[data-role="senior-data-analyst"]').text.endswith("Target")
    assert "×3" in by_css(driver, "#route svg").text
    assert outside(requested_urls(driver)) == []
    assert console_errors(driver) == []  # no CSP violation, no script error


def test_tabs_and_role_choice_work_with_htmx(site: tuple[Svc, str], driver: Any) -> None:
    svc, base = site
    driver.get(f"{base}/app/me")
    by_css(driver, 'nav.tabs a[href^="/app/me?direction=any"]').click()
    wait_for(driver, lambda d: "direction=any" in d.current_url)  # htmx pushed the URL
    wait_for(driver, lambda d: by_css(d, 'nav.tabs a[aria-current="page"]').text == "All moves")
    expected = [r.title for r in svc.engine.recommend("E001", limit=8, direction="any").items]
    assert [a.text for a in all_css(driver, ".recs h3 a")] == expected
    second = all_css(driver, ".recs h3 a")[1]
    title = second.text
    second.click()
    wait_for(driver, lambda d: by_css(d, "#role-detail h2").text == f"{title}: what it takes")
    assert all_css(driver, "#role-detail table tbody tr")  # the gaps, with learning items


def test_choosing_a_target_redraws_the_route_and_the_map(site: tuple[Svc, str], driver: Any) -> None:
    from selenium.webdriver.support.ui import Select

    svc, base = site
    driver.get(f"{base}/app/me")
    Select(by_css(driver, "#target")).select_by_value("data-scientist")
    by_css(driver, "#route form button").click()
    wait_for(driver, lambda d: "target=data-scientist" in d.current_url)
    wait_for(driver, lambda d: "Cheapest route to Data Scientist" in by_css(d, "#route").text)
    best = svc.engine.routes("E001", "data-scientist").best.role_ids
    on_route = [g.get_attribute("data-role") for g in all_css(driver, "#route svg g.route")]
    assert sorted(on_route) == sorted(best)
    assert "Target" in by_css(driver, '#route svg g[data-role="data-scientist"]').text


def test_another_employees_page_is_forbidden_and_sign_out_ends_it(site: tuple[Svc, str], driver: Any) -> None:
    _, base = site
    driver.get(f"{base}/app/employees/E002")
    assert by_css(driver, "h1").text.startswith("Not allowed")
    assert "Bo Builder" not in driver.page_source
    driver.get(f"{base}/app/me")
    by_css(driver, "form.signout button").click()
    wait_for(driver, lambda d: by_css(d, "h1").text == "Sign in")
    driver.get(f"{base}/app/me")
    assert urlsplit(driver.current_url).path == "/app/" and by_css(driver, "h1").text == "Sign in"


def test_recruiter_finds_a_role_and_filters_its_shortlist(site: tuple[Svc, str], driver: Any) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    svc, base = site
    sign_in(driver, base, svc.tokens["recruiter"])
    wait_for(driver, lambda d: urlsplit(d.current_url).path == "/app/roles")
    box = by_css(driver, "#q")
    box.send_keys("engineer", Keys.ENTER)
    wait_for(driver, lambda d: "q=engineer" in d.current_url)
    by_css(driver, 'a[href="/app/roles/senior-data-engineer"]').click()
    wait_for(driver, lambda d: by_css(d, "h1").text == "Senior Data Engineer")
    expected = svc.engine.candidates("senior-data-engineer", limit=20).items
    rows = all_css(driver, "table.shortlist tbody tr")
    assert [r.get_attribute("data-employee") for r in rows] == [c.employee_id for c in expected]
    assert expected[0].display_name in rows[0].text and expected[0].why in rows[0].text
    Select(by_css(driver, "#min_readiness")).select_by_visible_text("Ready now only")
    by_css(driver, 'label[for="move-promotion"]').click()
    by_css(driver, ".filters button").click()
    wait_for(driver, lambda d: "min_readiness=ready_now" in d.current_url)
    want = [c.employee_id for c in svc.engine.candidates("senior-data-engineer", limit=100,
                                                         min_readiness="ready_now").items if c.move == "promotion"]
    shown = [r.get_attribute("data-employee") for r in all_css(driver, "table.shortlist tbody tr")]
    assert shown == want[:20]
    if not want:
        assert "No internal candidate matches" in by_css(driver, "#shortlist").text


def test_keyboard_reaches_the_skip_link_first_with_a_visible_focus(site: tuple[Svc, str], driver: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _, base = site
    driver.get(f"{base}/app/roles")
    ActionChains(driver).send_keys(Keys.TAB).perform()
    focused = driver.switch_to.active_element
    assert focused.text == "Skip to content" and focused.is_displayed()
    assert driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", focused) != "none"
    focused.send_keys(Keys.ENTER)
    assert driver.switch_to.active_element.get_attribute("id") == "main"


def test_api_docs_render_offline(site: tuple[Svc, str], driver: Any) -> None:
    _, base = site
    requested_urls(driver)
    driver.get(f"{base}/docs")
    wait_for(driver, lambda d: "skillgraph" in (all_css(d, ".swagger-ui .info .title") or [None])[0].text
             if all_css(d, ".swagger-ui .info .title") else False, timeout=20)
    assert all_css(driver, ".opblock")  # operations listed
    driver.get(f"{base}/redoc")
    wait_for(driver, lambda d: any("skillgraph" in h.text for h in all_css(d, "h1")), timeout=20)
    assert outside(requested_urls(driver)) == []
    assert console_errors(driver) == []


def test_employee_sees_mentors_for_the_role_they_pick(site: tuple[Svc, str], driver: Any) -> None:
    svc, base = site
    sign_in(driver, base, svc.tokens["employee"])
    wait_for(driver, lambda d: urlsplit(d.current_url).path == "/app/me")
    # Senior Data Analyst (the top next role) needs nothing Ada lacks: no mentor to suggest.
    assert "you already meet every skill Senior Data Analyst needs" in by_css(driver, "#mentors").text
    driver.get(f"{base}/app/me?direction=any")
    next(a for a in all_css(driver, ".recs h3 a") if a.text == "Data Scientist").click()
    wait_for(driver, lambda d: by_css(d, "#mentors h2").text == "Mentors for Data Scientist")
    first = by_css(driver, "#mentors .mentor")
    assert by_css(driver, "#mentors .mentor h3").text == MENTOR
    assert "2 of 2 mentoring places free" in first.text and "Machine Learning" in first.text
    opportunities = [r.text for r in all_css(driver, "#opportunities table tbody tr")]
    assert any("Python for analysts clinic" in r and "Python 0→2" in r for r in opportunities)
    assert console_errors(driver) == []


def test_hr_sees_the_succession_slate_of_a_critical_role(site: tuple[Svc, str], driver: Any) -> None:
    svc, base = site
    sign_in(driver, base, svc.tokens["hr"])
    wait_for(driver, lambda d: urlsplit(d.current_url).path == "/app/roles")
    by_css(driver, f'a[href="/app/roles/{CRITICAL}"]').click()
    wait_for(driver, lambda d: by_css(d, "h1").text == "Senior Data Engineer")
    succession = by_css(driver, "#succession")
    assert "Senior Data Engineer is a critical role." in succession.text
    slate = svc.engine.programme.succession(CRITICAL, limit=5)
    rows = all_css(driver, "#succession table.slate tbody tr")
    assert [r.get_attribute("data-employee") for r in rows] == [
        c.employee_id for b in (slate.ready_now, slate.ready_1y, slate.ready_2y) for c in b]
    bo = by_css(driver, '#succession tr[data-employee="E002"]')
    assert "Bo Builder" in bo.text and "Natural successor" in bo.text and "Ready soon" in bo.text
    driver.get(f"{base}/app/roles/data-engineer")
    assert "Data Engineer is not a critical role" in by_css(driver, "#succession").text


def test_analytics_shows_the_internal_fill_rate(site: tuple[Svc, str], driver: Any) -> None:
    from selenium.webdriver.support.ui import Select

    svc, base = site
    sign_in(driver, base, svc.tokens["hr"])
    wait_for(driver, lambda d: urlsplit(d.current_url).path == "/app/roles")
    by_css(driver, 'nav[aria-label="Sections"] a[href="/app/analytics"]').click()
    wait_for(driver, lambda d: by_css(d, "h1").text == "Mobility analytics")
    figures = {dt_.text: dd.text for dt_, dd in zip(all_css(driver, "#programme dt"), all_css(driver, "#programme dd"),
                                                     strict=True)}
    assert figures["Internal fill rate"] == "75%" and figures["Promotion rate"] == "0%"
    Select(by_css(driver, "#by")).select_by_visible_text("Team")
    by_css(driver, "#programme form button").click()
    wait_for(driver, lambda d: "by=team" in d.current_url)
    wait_for(driver, lambda d: by_css(d, "#programme table.groups caption").text == "By team")
    assert console_errors(driver) == []


def test_audit_page_opens_for_admin_and_auditor_and_is_forbidden_for_hr(site: tuple[Svc, str], driver: Any) -> None:
    svc, base = site
    sign_in(driver, base, svc.tokens["hr"])
    wait_for(driver, lambda d: urlsplit(d.current_url).path == "/app/roles")
    assert "Audit" not in [a.text for a in all_css(driver, 'nav[aria-label="Sections"] a')]
    driver.get(f"{base}/app/audit")
    assert by_css(driver, "h1").text.startswith("Not allowed") and "Impact audit" not in driver.page_source
    for who in ("auditor", "admin"):
        sign_in(driver, base, svc.tokens[who])
        driver.get(f"{base}/app/audit")
        assert by_css(driver, "h1").text == "Audit", who
        assert by_css(driver, "#impact h2").text == "Impact audit"
        assert all_css(driver, "#decisions table.decisions tbody tr"), who  # the pages above were logged
        assert "Of 6 employees" in by_css(driver, "main").text
