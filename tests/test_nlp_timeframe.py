"""The document's own time frame dates every figure: its date, its plan period, the year a
paragraph or clause sets, deadlines before or after the figures, base years (sentences
written for these tests, in both languages)."""

from datetime import date

import pytest

from nlp.quantities import extract_quantities
from nlp.timeframe import deadlines, document_date, period_end


def years(text: str, published: date | None = None) -> list[tuple[str, str, int | None]]:
    return [(q.evidence, q.kind, q.year) for q in extract_quantities(text, published)]


@pytest.mark.parametrize(
    ("head", "day"),
    [
        ("某市科技局\n2021年3月8日\n正文", date(2021, 3, 8)),
        ("发布时间:2019-07-02 09:15\n正文", date(2019, 7, 2)),
        ("HEFEI, Sept. 3, 2022 /Wire/ -- The city", date(2022, 9, 3)),
        ("TIANJIN, (Agency - 7th Mar, 2021) The port", date(2021, 3, 7)),
        ("NANJING, June 5 -- A month and a day, no year", None),
    ],
)
def test_the_document_date_is_read_from_its_head(head: str, day: date | None) -> None:
    assert document_date(head) == day


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("“十三五”期间，全省新增", 2020),
        ("During the 14th Five-Year Plan period, the county", 2025),
        ("某县产业提升行动方案(2024—2026年)", 2026),
        ("in 2021-25 the zones", 2025),
        ("no period here", None),
    ],
)
def test_a_plan_period_ends_in_a_year(text: str, end: int | None) -> None:
    assert period_end(text) == end


def test_a_period_review_dates_its_figures_by_the_period_end() -> None:
    assert years("“十三五”期间，全市新增孵化器45家，众创空间60个。") == [
        ("45家", "actual", 2020),
        ("60个", "actual", 2020),
    ]
    assert years("During the 13th Five-Year Plan period, the city built 12 industrial parks.") == [
        ("12 industrial parks", "actual", 2020)
    ]


def test_an_opening_as_of_the_end_of_a_year_dates_the_figures() -> None:
    assert years("截至2022年底，全县共有规上企业310家。") == [("310家", "actual", 2022)]
    assert years("By the end of 2022, the county had 310 enterprises.") == [
        ("310 enterprises", "actual", 2022)
    ]


def test_relative_years_take_the_document_date_and_stay_unknown_without_one() -> None:
    text = "今年前三季度，全区新增企业120家；去年同期为90家。"
    assert years(text, date(2021, 10, 20)) == [("120家", "actual", 2021), ("90家", "actual", 2020)]
    assert years(text) == [("120家", "actual", None), ("90家", "actual", None)]
    dated = "某区融媒体中心 2022-08-01\n\n目前，园区已入驻企业85家。"
    assert years(dated) == [("85家", "actual", 2022)]  # the date written at its top


def test_a_deadline_after_the_figures_governs_them() -> None:
    assert years("新建中试基地8个、概念验证中心12家，到2026年全部投入运营。") == [
        ("8个", "target", 2026),
        ("12家", "target", 2026),
    ]


def test_each_clause_takes_its_own_nearest_deadline() -> None:
    assert years("到2025年，储能装机达到300万千瓦，到2028年达到500万千瓦。") == [
        ("300万千瓦", "target", 2025),
        ("500万千瓦", "target", 2028),
    ]


def test_a_deadline_opening_a_list_governs_each_item_after_semicolons() -> None:
    assert years("到2026年，孵化器超过60家；众创空间超过80个；技术经纪人达到500人。") == [
        ("60家", "target", 2026),
        ("80个", "target", 2026),
        ("500人", "target", 2026),
    ]


def test_a_base_year_is_never_the_figures_year() -> None:
    assert years("到2025年，单位产值能耗比2020年下降15%。") == [("15%", "target", 2025)]
    assert years("2023年，全县工业增加值较上年增长6.2%。") == [("6.2%", "actual", 2023)]
    got = years("The county's water use in 2023 fell by 9 percent compared with 2019.")
    assert got == [("9 percent", "actual", 2023)]


def test_english_parallel_clauses_each_take_the_year_after_them() -> None:
    text = "The share will reach 20 percent in 2024 and 28 percent in 2027."
    assert years(text) == [("20 percent", "target", 2024), ("28 percent", "target", 2027)]


def test_a_point_in_a_past_series_is_not_a_deadline() -> None:
    text = "全市科技型企业从2018年的900家增长到2021年的2400家。"
    assert years(text) == [("900家", "actual", 2018), ("2400家", "actual", 2021)]
    assert deadlines("到2021年的2400家", None) == []
    assert deadlines("到2020年达到", 2022) == []  # before the document's own year


def test_a_year_stated_in_a_sentence_dates_the_next_one_in_its_paragraph() -> None:
    text = "全县规上企业从2019年的80家增至2022年的150家。工业产值实现42亿元，同比增长7%。"
    assert [y for _, _, y in years(text)] == [2019, 2022, 2022, 2022]


def test_a_plan_named_at_the_top_dates_targets_without_a_deadline() -> None:
    text = (
        "Our county's plan for 2023-27\n\nThe county will add 40 incubators.\n\n"
        "Output is expected to exceed 9 billion yuan."
    )
    assert years(text) == [("40 incubators", "target", 2027), ("9 billion yuan", "target", 2027)]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("某省科技动态\n\n21.03.2024  09:15\n\n正文", date(2024, 3, 21)),  # day first
        ("Provincial bulletin\n21/03/2024\nThe bureau", date(2024, 3, 21)),
        ("Provincial bulletin\n03/21/2024\nThe bureau", date(2024, 3, 21)),  # month first
        ("某县要闻 2024/03/21\n正文", date(2024, 3, 21)),
        ("各有关单位：\n现将名单公示如下。\n某市科学技术局\n2024年3月21日", date(2024, 3, 21)),
        ("各有关单位：现将名单公示如下。某市工业和信息化局2024年3月21日。", date(2024, 3, 21)),
        # a date in the middle of the body, not under a signature, is not the document's
        ("某市新闻\n正文很长。" + "内容。" * 200 + "于2024年3月21日召开会议。其后另有安排。", None),
        ("version 1.2.3 of the tool", None),
    ],
)
def test_a_dateline_day_first_or_a_signature_date_is_the_documents(
    text: str, day: date | None
) -> None:
    assert document_date(text) == day


def test_a_notice_reports_on_the_year_its_title_names_else_its_own_date() -> None:
    notice = (
        "关于公布某省科技企业孵化器2022年度考核结果的通知\n"
        "发布时间：2023-04-10\n各市科技局：\n现将考核结果公布如下。\n"
        "优秀等次孵化器35家，合格等次孵化器120家。"
    )
    assert years(notice) == [("35家", "actual", 2022), ("120家", "actual", 2022)]
    signed = (
        "各有关单位：\n经评审，现将某市拟认定的36家新型研发机构予以公示。\n"
        "某市科学技术局\n2024年5月6日"
    )
    assert years(signed) == [("36家", "actual", 2024)]  # proposed (拟认定): reported, not a goal
    # a report that is not a notice gets no year from its date without a present-state word
    assert years("某区要闻 2024-05-06\n\n该区共认定新型研发机构36家。") == [
        ("36家", "actual", None)
    ]


def test_an_amount_is_never_read_as_a_year() -> None:
    text = "发布时间：2023-04-10\n\n对年销售收入2000万元以上的企业，该区认定研发中心15家。"
    assert ("15家", "actual", None) in years(text)
    assert all(y != 2000 for _, _, y in years(text))


def test_a_multiple_of_last_years_figure_is_of_this_year() -> None:
    text = "发布时间：2023-07-20\n今年上半年，全市技术合同登记3200项，是上年同期的1.4倍。"
    assert years(text) == [("3200项", "actual", 2023), ("1.4倍", "actual", 2023)]


def test_a_plan_period_under_review_inside_a_sentence_dates_the_figures_after_it() -> None:
    text = "该市依托高校资源，“十三五”期间实现科技服务业快速发展，技术合同成交额年均增长21%，新增众创空间40个。"
    assert years(text) == [("21%", "actual", 2020), ("40个", "actual", 2020)]
    english = (
        "Relying on its universities, the county grew fast during the 12th Five-Year Plan "
        "period, and its patents rose by 18 percent."
    )
    assert [y for _, _, y in years(english)] == [2015]
    # a period still running at the document's date is not one under review: no year from it
    running = "发布时间：2022-03-01\n\n该市科技服务业“十四五”期间新增孵化器30家。"
    assert years(running) == [("30家", "actual", None)]


def test_requirements_and_month_deadlines_state_goals() -> None:
    required = (
        "发布时间：2019-05-06\n\n《方案》明确要求年内市区集中供热率达到85%以上，县城达到60%以上。"
    )
    assert years(required) == [("85%", "target", 2019), ("60%", "target", 2019)]
    # 按照…要求 is a rule followed, not a requirement set
    followed = "发布时间：2019-05-06\n\n按照省里要求，全市去年完成改造1.2万户。"
    assert years(followed) == [("1.2万户", "actual", 2018)]
    months = (
        "发布时间：2019-05-06\n\n《方案》明确，2019年10月前，完成老旧小区改造1.2万户；"
        "2019年11月—2020年10月，完成改造2.5万户。"
    )
    assert years(months) == [("1.2万户", "target", 2019), ("2.5万户", "target", 2020)]
    # a duration is not a deadline
    assert deadlines("三年内建成孵化器5个", 2019) == []


def test_a_directive_word_under_a_reported_stretch_of_time_reports() -> None:
    text = "今年1月至5月，园区新增转化企业120家，是去年同期的1.8倍；培育科技型中小企业900家，新增规上企业60家。"
    assert [k for _, k, _ in years(text)] == ["actual"] * 4
    # without a reported time a directive opening still states a goal (a work report's voice)
    assert [k for _, k, _ in years("培育科技型中小企业900家，新增规上企业60家。")] == ["target"] * 2


def test_an_illustration_and_an_amount_built_on_take_no_year() -> None:
    text = (
        "2019年供暖季，该技术覆盖建筑120万平方米。\n\n以一个采暖季为例，新技术可替代标准煤1.5万吨。"
    )
    assert years(text) == [("120万平方米", "actual", 2019), ("1.5万吨", "actual", None)]
    built_on = "今年3月，该企业在前期投资120亿元的基础上追加投资80亿元。"
    assert [(e, y) for e, _, y in years(built_on, date(2024, 5, 1))] == [
        ("120亿元", None),
        ("80亿元", 2024),
    ]
