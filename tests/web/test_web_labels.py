"""The words and numbers pages print (durations, levels, percentages)."""

from service.web.labels import hours, level, months, pct, ready_in


def test_durations_read_like_a_person_would_say_them() -> None:
    assert [months(v) for v in (0.2, 0.9, 1.4, 1.6, 6.2, 15)] == [
        "under a month", "about a month", "about a month", "about 2 months", "about 6 months", "about 15 months"]
    assert ready_in(0) == "ready now" and ready_in(6.2) == "ready in about 6 months"


def test_levels_hours_and_shares() -> None:
    assert level(0) == "0 none" and level(3) == "3 intermediate" and level(5) == "5 expert"
    assert hours(107.4) == "107 h" and hours(0) == "0 h" and hours(0.5) == "0.5 h"
    assert pct(0.614) == "61%" and pct(1) == "100%"
