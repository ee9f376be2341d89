"""Quantity shapes beyond the first dev texts (issue #15, round 3), each on a sentence
written for the test: more units and count classifiers, deadline headings over lists,
ranges, goals without a deadline, dates that are not figures, and years anywhere in the
figure's clause."""

from nlp.quantities import extract_quantities


def rows(text: str) -> list[tuple[str, float, str]]:
    return [(q.evidence, q.value, q.unit) for q in extract_quantities(text)]


def test_areas_volumes_and_energy_units() -> None:
    assert rows("全县新增造林面积1.5万公顷,年输水能力3亿立方米,年发电量8亿千瓦时。") == [
        ("1.5万公顷", 15000.0, "ha"),
        ("3亿立方米", 300000000.0, "m3"),
        ("8亿千瓦时", 800000000000.0, "Wh"),
    ]
    assert rows(
        "The reserve grew by 2,000 hectares and stores 5 million cubic metres of water."
    ) == [
        ("2,000 hectares", 2000.0, "ha"),
        ("5 million cubic metres", 5000000.0, "m3"),
    ]


def test_count_classifiers_for_wells_buildings_vehicles_and_flats() -> None:
    assert rows(
        "园区钻成3孔回灌井、5口取水井,建成厂房12栋、宿舍2幢,投放公交车40辆、公租房600套。"
    ) == [
        ("3孔", 3.0, "count"),
        ("5口", 5.0, "count"),
        ("12栋", 12.0, "count"),
        ("2幢", 2.0, "count"),
        ("40辆", 40.0, "count"),
        ("600套", 600.0, "count"),
    ]


def test_an_english_run_in_a_chinese_sentence_is_read_as_english() -> None:
    text = (
        "全省的目标是: By 2030 the province will plant 12,000 hectares of forest and save "
        "3 million cubic meters of water. 到2030年新增造林1.2万公顷。"
    )
    assert [(q.evidence, q.unit, q.year, q.kind) for q in extract_quantities(text)] == [
        ("12,000 hectares", "ha", 2030, "target"),
        ("3 million cubic meters", "m3", 2030, "target"),
        ("1.2万公顷", "ha", 2030, "target"),
    ]


def test_dotted_abbreviations_end_no_sentence_and_name_a_currency() -> None:
    assert rows("Exports reached 12.5 billion U.S. Dollars last year. Imports fell.") == [
        ("12.5 billion U.S. Dollars", 12500000000.0, "USD")
    ]
