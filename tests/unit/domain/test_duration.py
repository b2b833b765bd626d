import pytest

from steerco.domain import Duration, Lag, TimeUnit, ValidationError, WorkTime


@pytest.mark.parametrize(
    ("text", "minutes", "unit", "elapsed"),
    [
        ("5d", 2400, TimeUnit.DAY, False),
        ("4h", 240, TimeUnit.HOUR, False),
        ("30m", 30, TimeUnit.MINUTE, False),
        ("2w", 4800, TimeUnit.WEEK, False),
        ("1mo", 9600, TimeUnit.MONTH, False),
        ("2ed", 2880, TimeUnit.DAY, True),
        ("1.5d", 720, TimeUnit.DAY, False),
        (" 3 D ", 1440, TimeUnit.DAY, False),
    ],
)
def test_parse_duration(text, minutes, unit, elapsed):
    d = Duration.parse(text)
    assert (d.minutes, d.unit, d.elapsed) == (minutes, unit, elapsed)


def test_duration_uses_the_projects_hours_per_day():
    assert Duration.parse("1d", WorkTime(minutes_per_day=420)).minutes == 420


@pytest.mark.parametrize("bad", ["", "5", "five days", "-1d", "5x", "50%"])
def test_bad_durations_are_named(bad):
    with pytest.raises(ValidationError, match="duration"):
        Duration.parse(bad)


def test_duration_formats_back():
    assert Duration.parse("2ed").format() == "2ed"
    assert Duration.parse("36h").format() == "36h"
    assert Duration(720).format() == "1.5d"


def test_lags_may_be_negative_elapsed_or_percent():
    assert Lag.parse("-2d").minutes == -960
    assert Lag.parse("3ed") == Lag(3 * 1440, TimeUnit.DAY, True)
    pct = Lag.parse("50%")
    assert pct.percent == 50 and pct.unit is TimeUnit.PERCENT
    assert Lag.parse("").is_zero
    assert Lag.parse("-2d").format() == "-2d"


def test_percent_lag_needs_a_percentage():
    with pytest.raises(ValidationError):
        Lag(0, TimeUnit.PERCENT)
