"""Target status from a trend: met, on track, behind (pure, no database)."""

from datetime import date

from api.graphql.assess import Point, Status, assess


def trend(*values: float | None) -> list[Point]:
    return [Point(date(2020 + i, 12, 31), v) for i, v in enumerate(values)]


def test_met_when_the_comparator_holds() -> None:
    assert assess(trend(10, 20, 30), ">=", 25, 2025)[0] is Status.MET
    assert assess(trend(10, 20, 30), ">", 30, 2025)[0] is not Status.MET
    assert assess(trend(5, 4, 3), "<=", 3, 2025)[0] is Status.MET
    assert assess(trend(15.7), "~", 16, 2025)[0] is Status.MET  # about 16%: 15.7 is within 2.5%


def test_linear_projection_decides_on_track_or_behind() -> None:
    status, progress, projected = assess(trend(1000, 1500, 2000), ">=", 3500, 2025)
    assert status is Status.ON_TRACK and progress == 2000 / 3500
    assert projected is not None and projected > 3500  # +500 a year for three more years
    assert assess(trend(1000, 1100, 1200), ">=", 3500, 2025)[0] is Status.BEHIND
    assert assess(trend(1000, 1500, 2000), ">=", 3500, 2022)[0] is Status.BEHIND  # deadline passed


def test_no_data_and_single_points() -> None:
    assert assess(trend(None, None), ">=", 10, 2025) == (Status.NO_DATA, None, None)
    assert assess(trend(None, 4), ">=", 10, 2025)[0] is Status.BEHIND
