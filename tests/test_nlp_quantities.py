"""Quantity extraction on hand-built texts, and the plan's own nine targets."""

from pathlib import Path

import pytest

from loaders.demo import demo_plan
from nlp.indicators import indicator_key
from nlp.quantities import extract_quantities


def one(text: str) -> dict[str, object]:
    (q,) = extract_quantities(text)
    return q.as_dict()


def test_chinese_target_with_magnitude_and_comparator() -> None:
    q = one("到2027年,全市高新技术企业数量力争达到1.2万家以上。")
    assert (q["value"], q["unit"], q["comparator"], q["year"], q["kind"]) == (
        12000.0,
        "count",
        ">=",
        2027,
        "target",
    )
    assert q["evidence"] == "1.2万家"


def test_chinese_actual_with_more_and_implicit_yuan() -> None:
    qs = [
        q.as_dict() for q in extract_quantities("去年全区技术合同成交额达520多亿元,同比增长12.5%。")
    ]
    assert [(q["value"], q["unit"], q["comparator"], q["kind"]) for q in qs] == [
        (52000000000.0, "CNY", ">", "actual"),
        (12.5, "%", "=", "actual"),
    ]


def test_english_counts_run_to_the_counted_noun_and_skip_years() -> None:
    qs = extract_quantities(
        "In 2023, the district had 312 high-tech enterprises and ten industrial parks."
    )
    assert [(q.evidence, q.value, q.unit, q.year, q.kind) for q in qs] == [
        ("312 high-tech enterprises", 312.0, "count", 2023, "actual"),
        ("ten industrial parks", 10.0, "count", 2023, "actual"),
    ]


def test_english_magnitudes_and_units() -> None:
    qs = extract_quantities(
        "The park plans a 3.5-billion-yuan project with 20GW of capacity, about 40 percent of output."
    )
    assert [(q.value, q.unit) for q in qs] == [
        (3500000000.0, "CNY"),
        (20000000000.0, "W"),
        (40.0, "%"),
    ]
    assert [q.comparator for q in qs][-1] == "~"


def test_not_quantities_dates_ordinals_idioms() -> None:
    assert extract_quantities("2022年12月22日,第19批名单公布,推进三项改革。") == []


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("the number of national high-tech enterprises", "national_hightech_enterprises"),
        (
            "proportion of industrial enterprises above designated size with R & D activities",
            "rd_activity_share",
        ),
        ("非化石能源消费比重", "non_fossil_share"),
        ("innovation consortiums at or above the municipal level", "innovation_consortia"),
        ("gross industrial output", None),
    ],
)
def test_indicator_keys(phrase: str, key: str | None) -> None:
    assert indicator_key(phrase) == key


PLAN_TARGETS = [
    (16.0, "%", "~", 2025, "non_fossil_share"),
    (20.0, "%", "~", 2030, "non_fossil_share"),
    (50.0, "%", ">", 2030, "rd_activity_share"),
    (3500.0, "count", ">=", 2025, "national_hightech_enterprises"),
    (25.0, "count", ">=", 2025, "new_rd_institutions"),
    (25.0, "count", ">=", 2025, "innovation_consortia"),
    (30.0, "count", ">", 2025, "enterprise_rd_centres"),
    (80.0, "%", ">", 2030, "green_schools_hospitals_share"),
    (10.0, "count", ">", 2030, "waste_free_cells"),
]


def _targets(text: str) -> list[tuple[float, str, str, int | None, str | None]]:
    qs = extract_quantities(text)
    assert all(q.kind == "target" for q in qs)
    assert all(text[q.start : q.end] == q.evidence for q in qs)
    return [
        (q.value, q.unit, q.comparator, q.year, indicator_key(q.indicator + " " + q.evidence))
        for q in qs
    ]


def test_the_demo_plan_gives_all_nine_targets_in_english() -> None:
    assert _targets(demo_plan("en").read_text(encoding="utf-8")) == PLAN_TARGETS


def test_the_demo_plan_in_chinese_gives_the_same_nine_targets() -> None:
    got = _targets(demo_plan("zh").read_text(encoding="utf-8"))
    # 以上 ("N or more") is the Chinese way to write the English "more than N"
    assert [(v, u, y, k) for v, u, _, y, k in got] == [
        (v, u, y, k) for v, u, _, y, k in PLAN_TARGETS
    ]
    assert [c for _, _, c, _, _ in got] == ["~", "~", ">", ">=", ">=", ">=", ">=", ">=", ">="]


def test_the_plan_news_gives_all_nine_targets(shared: Path) -> None:
    text = (shared / "data" / "seed" / "xixian-carbon-peak-plan-news.en.txt").read_text(
        encoding="utf-8"
    )
    qs = extract_quantities(text)
    assert all(q.kind == "target" for q in qs)
    got = [
        (q.value, q.unit, q.comparator, q.year, indicator_key(q.indicator + " " + q.evidence))
        for q in qs
    ]
    assert got == PLAN_TARGETS
    assert all(text[q.start : q.end] == q.evidence for q in qs)


def test_a_reference_year_opening_a_text_dates_the_figures_after_it() -> None:
    text = (
        "In 2021, the district added 120 high-tech enterprises. Output grew by 15 percent.\n\n"
        "Meanwhile, 8 research institutes opened.\n\n"
        "Behind the figures is steady work by the district.\n\n"
        "The park now hosts 30 laboratories.\n\n"
        "In 2023, it added 40 incubators. In March this year, 6 consortia were formed."
    )
    years = [(q.evidence, q.year, q.kind) for q in extract_quantities(text)]
    assert years == [
        ("120 high-tech enterprises", 2021, "actual"),
        ("15 percent", 2021, "actual"),
        ("8 research institutes", 2021, "actual"),  # the run of figures goes on
        ("30 laboratories", None, "actual"),  # a paragraph without figures ended it
        ("40 incubators", 2023, "actual"),
        ("6 consortia", None, "actual"),  # "this year": the text fixes no year
    ]


def test_a_goal_inside_a_report_is_a_target_with_its_own_deadline() -> None:
    qs = extract_quantities(
        "企业数量从2019年的3000家增长到去年的9000家，提前完成“十四五”末达到8000家的目标。"
    )
    assert [(q.evidence, q.kind, q.year) for q in qs] == [
        ("3000家", "actual", 2019),
        ("9000家", "actual", None),
        ("8000家", "target", 2025),
    ]


def test_more_units_and_count_nouns_as_data() -> None:
    qs = extract_quantities(
        "The depot will store 3,200 kg of hydrogen and serve 45 fuel-cell buses, "
        "backed by a 2.5-billion-yuan ($0.35 billion) fund."
    )
    assert [(q.evidence, q.value, q.unit) for q in qs] == [
        ("3,200 kg", 3.2, "t"),
        ("45 fuel-cell buses", 45.0, "count"),
        ("2.5-billion-yuan", 2500000000.0, "CNY"),
        ("$0.35 billion", 350000000.0, "USD"),
    ]
    (q,) = extract_quantities("到2030年，全县光伏装机达到120万千瓦。")
    assert (q.value, q.unit) == (1200000000.0, "W")


@pytest.mark.parametrize("word", ["surpass", "surpassed", "topped", "exceeded"])
def test_english_comparator_verbs(word: str) -> None:
    (q,) = extract_quantities(f"Exports {word} 40 billion yuan last year.")
    assert q.comparator == ">"


def test_a_revenue_threshold_defining_a_class_is_no_amount() -> None:
    qs = extract_quantities(
        "Profits of firms with annual revenue of 20 million yuan and above grew 6 percent."
    )
    assert [q.evidence for q in qs] == ["6 percent"]


def test_a_planned_capacity_or_investment_is_a_target_in_a_report() -> None:
    qs = extract_quantities("上月，总投资60亿元的储能电池项目开工，年产8GW电芯；园区已有企业42家。")
    assert [(q.evidence, q.kind) for q in qs] == [
        ("60亿元", "target"),
        ("8GW", "target"),
        ("42家", "actual"),
    ]


def test_a_proposed_designation_reports_a_decision_and_planned_for_is_a_goal() -> None:
    (q,) = extract_quantities("拟定甲公司技术中心等12家技术中心为2024年国家企业技术中心。")
    assert (q.kind, q.comparator) == ("actual", "=")
    (r,) = extract_quantities("该项目拟定于2026年建成，年产能10万吨。")
    assert (r.kind, r.year) == ("target", 2026)
    (p,) = extract_quantities("拟定建设研发中心20个。")  # 拟定 without 为: a plan
    assert p.kind == "target"


def test_a_goal_word_inside_a_name_states_no_goal() -> None:
    found = extract_quantities("近日，“春苗计划”交流会在新区举办，20余家企业参会。")
    assert [(q.value, q.kind) for q in found] == [(20.0, "actual")]
    found = extract_quantities("近日，丰泽・春苗计划交流会在新区举办，20余家企业参会。")
    assert [(q.value, q.kind) for q in found] == [(20.0, "actual")]
    # outside the name the same word still sets a goal, and quoted speech is no name
    (q,) = extract_quantities("新区计划引进企业20家。")
    assert q.kind == "target"
    (r,) = extract_quantities("省长说，“我们将培育企业500家”。")
    assert r.kind == "target"


def test_plan_lists_stay_goals_without_a_goal_word_before_the_figure() -> None:
    found = extract_quantities("年内新增高新技术企业300家，力争新增规上企业50家。")
    assert [(q.value, q.kind) for q in found] == [(300.0, "target"), (50.0, "target")]
    (q,) = extract_quantities("重点支持企业100家，目标是打造产业集群。")
    assert q.kind == "target"


def test_a_policy_document_setting_out_figures_states_goals() -> None:
    (q,) = extract_quantities("意见提出，2025年全省清洁能源消费量达到2亿吨标煤以上。")
    assert (q.kind, q.year, q.comparator) == ("target", 2025, ">=")
    (r,) = extract_quantities("《方案》提出，2026年全市新增充电桩5000个。")
    assert (r.kind, r.year) == ("target", 2026)
    # what it proposed, or since it did, reports
    (a,) = extract_quantities("该意见提出以来，全省高新技术企业达到1000家。")
    (b,) = extract_quantities("根据《实施意见》提出的要求，去年高新技术企业达到1000家。")
    assert (a.kind, b.kind) == ("actual", "actual")


@pytest.mark.parametrize("verb", ["intends to", "seeks to", "pledged to", "vows to", "is set to"])
def test_english_verbs_of_intent_state_goals(verb: str) -> None:
    (q,) = extract_quantities(f"The province {verb} cut its coal use by 10%.")
    assert q.kind == "target"
    (r,) = extract_quantities("The province cut its coal use by 10%.")
    assert r.kind == "actual"


def test_an_english_year_in_the_clause_before_a_figure_is_its_year() -> None:
    (q,) = extract_quantities("The province intends to cut its coal use in 2027 by 10% from 2020.")
    assert (q.kind, q.year) == ("target", 2027)
    (r,) = extract_quantities("In 2023, the city's R&D spending rose by 8%.")
    assert (r.kind, r.year) == ("actual", 2023)
    # the date of an event the clause names is not the figure's
    (p,) = extract_quantities("The company founded in 2015 plans to invest 5 billion yuan.")
    assert p.year is None
