"""Indicator phrases (the short noun phrase of what is counted), their ledger key, and the
scope a sentence names (issue 15), each rule on a sentence written for it."""

import pytest

from nlp.entities import Pipelines
from nlp.gazetteer import Gazetteer
from nlp.phrases import en_phrase, zh_phrase, zh_subject
from nlp.quantities import extract_quantities, with_scopes


@pytest.fixture(scope="module")
def pipes() -> Pipelines:
    return Pipelines(Gazetteer())


def test_zh_phrase_drops_reporting_verbs_places_and_comparators() -> None:
    assert zh_phrase("全市累计培育规上高新技术企业") == "规上高新技术企业"
    assert zh_phrase("江西省技术合同成交额突破") == "技术合同成交额"
    assert zh_phrase("可再生能源消费比重提高至") == "可再生能源消费比重"
    assert zh_phrase("全省拥有各类研发机构") == "研发机构"
    assert zh_phrase("全省高新园区的高新技术产业增加值") == "高新技术产业增加值"
    assert zh_phrase("规上工业实现增加值") == "规上工业增加值"
    # a share of a whole keeps both sides
    assert zh_phrase("企业研发经费占全社会研发经费比重保持在") == "企业研发经费占全社会研发经费比重"
    # a verb alone names nothing
    assert zh_phrase("完成") == ""
    assert zh_phrase("同比增长") == ""


def test_zh_capacity_counts_what_is_made() -> None:
    assert zh_phrase("项目年产", "单晶硅片及年产20GW电池") == "单晶硅片"


def test_en_phrase_is_the_subject_or_the_changed_quantity() -> None:
    assert en_phrase("the number of new R&D institutions in the county rose to") == (
        "new R&D institutions"
    )
    assert en_phrase("It added that the proportion of green buildings will reach") == (
        "proportion of green buildings"
    )
    assert en_phrase("the plan aims to cut sulfur dioxide emissions by") == (
        "sulfur dioxide emissions"
    )
    assert en_phrase("the plant can produce", " of liquid hydrogen a day") == "liquid hydrogen"
    assert en_phrase("accounting for") == ""


def test_a_figure_whose_clause_names_nothing_measures_the_one_before() -> None:
    text = "2023年，全省专利授权量达到5万件，同比增长12%。"
    found = [(q.indicator, q.value) for q in extract_quantities(text)]
    assert found == [("专利授权量", 50000.0), ("专利授权量", 12.0)]
    en = "In 2023 the output of the new materials industry was 30 billion yuan, accounting for 8 percent."
    assert [q.indicator for q in extract_quantities(en)] == [
        "output of the new materials industry",
        "output of the new materials industry",
    ]


def test_indicator_key_comes_from_the_ledger_vocabulary() -> None:
    (q,) = extract_quantities("到2026年，全市高新技术企业达到3000家。")
    assert (q.indicator, q.indicator_key) == ("高新技术企业", "national_hightech_enterprises")
    (r,) = extract_quantities("到2026年，非化石能源消费比重提高到25%。")
    assert r.indicator_key == "non_fossil_share"
    (s,) = extract_quantities("到2026年，全市技术合同成交额达到300亿元。")
    assert s.indicator_key is None  # not an indicator of the ledger


def test_scope_is_the_area_or_organisation_the_sentence_names(pipes: Pipelines) -> None:
    text = (
        "湖南省科技厅发布消息。\n\n到2025年，长沙市高新技术企业达到8000家。"
        "全市科技型中小企业达到1万家。\n\n锦浪电气年产10万台逆变器。"
    )
    quantities = with_scopes(text, extract_quantities(text), list(pipes.mentions(text)))
    assert [(q.value, q.scope) for q in quantities] == [
        (8000.0, "长沙市"),  # named in its sentence
        (10000.0, "长沙市"),  # 全市: the place named before
        (100000.0, "锦浪电气"),  # an organisation its sentence names
    ]


def test_new_ones_stay_in_the_phrase() -> None:
    # a target of new ones counts from the document's date on (graph/extracts.py)
    (q,) = extract_quantities("到2025年，全区新增国家高新技术企业20家以上。")
    assert q.indicator == "新增国家高新技术企业"


def test_zh_the_base_of_a_change_is_no_part_of_the_phrase() -> None:
    text = "到2030年，单位工业增加值用水量比2015年下降30%。全县规上企业营收20亿元，较上年同期增长9%，是去年全年的1.2倍。"
    found = [(q.indicator, q.value) for q in extract_quantities(text)]
    assert found == [
        ("单位工业增加值用水量", 30.0),
        ("规上企业营收", 2e9),
        ("规上企业营收", 9.0),
        ("规上企业营收", 1.2),
    ]


def test_zh_a_count_written_before_its_noun_counts_that_noun() -> None:
    assert zh_phrase("全县建成", "省级众创空间，") == "省级众创空间"
    assert zh_phrase("集聚了全市", "的专精特新企业和") == "专精特新企业"
    assert zh_phrase("设立", "“科创贷”风险补偿资金") == "“科创贷”风险补偿资金"
    assert zh_phrase("全区新增", "市级创新联合体。") == "新增市级创新联合体"
    assert zh_phrase("公布", "湖南省专精特新企业认定名单，") == "湖南省专精特新企业"
    # what a goal or a basis names is named before the figure
    assert zh_phrase("提前达到", "的目标") == ""
    assert zh_phrase("已投资", "的基础上") == "投资"
    # a measure of the noun after it, a name after an amount
    assert zh_phrase("打了", "直径30厘米的观测井") == ""
    assert zh_phrase("总投资", "的宁德时代基地") == "总投资"


def test_zh_a_verbal_noun_ends_the_phrase_a_comparator_does_not() -> None:
    assert zh_phrase("全省发明专利授权") == "发明专利授权"
    assert zh_phrase("全市研发经费投入达到") == "研发经费投入"
    assert zh_phrase("完成农村清洁取暖改造") == "农村清洁取暖改造"
    assert zh_phrase("可再生能源消费占比") == "可再生能源消费占比"
    assert zh_phrase("全县拥有") == ""


def test_figures_stated_respectively_measure_one_member_each() -> None:
    (a, b) = extract_quantities("今年，全市专精特新企业、瞪羚企业数量分别增长20%和15%。")
    assert (a.indicator, b.indicator) == ("专精特新企业数量", "瞪羚企业数量")
    (c, d) = extract_quantities("到2030年，单位地区生产总值用水量和建设用地面积分别下降20%、10%。")
    assert (c.indicator, d.indicator) == ("单位地区生产总值用水量", "单位地区生产总值建设用地面积")
    en = "In 2023 the output of lithium batteries, wind turbines and heat pumps rose 12 percent, 8 percent and 5 percent respectively."
    assert [q.indicator for q in extract_quantities(en)] == [
        "output of lithium batteries",
        "output of wind turbines",
        "output of heat pumps",
    ]


def test_a_share_after_a_figure_is_the_share_of_what_it_measures() -> None:
    text = "到2027年，全市数字经济核心产业增加值达到900亿元，占地区生产总值的比重达到12%。"
    assert [q.indicator for q in extract_quantities(text)] == [
        "数字经济核心产业增加值",
        "数字经济核心产业增加值占地区生产总值的比重",
    ]


def test_en_a_goal_verb_names_its_object_and_a_restated_amount_its_figure() -> None:
    en = (
        "By 2030 the county will raise the share of electric buses in public transport to 60% "
        "and expand the wetland area by 200 hectares and the forest cover by 3 percent."
    )
    assert [q.indicator for q in extract_quantities(en)] == [
        "share of electric buses in public transport",
        "wetland area",
        "forest cover",
    ]
    en2 = "Its export value in 2022 came to 7.2 billion yuan (about 1 billion U.S. dollars)."
    assert [q.indicator for q in extract_quantities(en2)] == ["export value", "export value"]


def test_members_of_what_is_counted_are_not_its_scope(pipes: Pipelines) -> None:
    text = (
        "四川省发布消息。\n\n近日，绵阳、德阳、乐山3家园区获批省级高新区。"
        "宁德时代新能源科技股份有限公司等15家企业入选。"
    )
    quantities = with_scopes(text, extract_quantities(text), list(pipes.mentions(text)))
    assert [(q.value, q.scope) for q in quantities] == [(3.0, "四川省"), (15.0, "四川省")]


def test_a_general_reference_takes_the_place_of_its_level_in_its_paragraph(
    pipes: Pipelines,
) -> None:
    text = (
        "湖南省长沙市发布消息。\n\n2024年，全省专利授权量达到8万件，其中发明专利2万件。\n\n"
        "长沙市发布数据，全市科技型中小企业达到1万家。"
    )
    quantities = with_scopes(text, extract_quantities(text), list(pipes.mentions(text)))
    assert [(q.value, q.scope) for q in quantities] == [
        (80000.0, None),  # 全省 governs its sentence: no province named in its paragraph
        (20000.0, None),
        (10000.0, "长沙市"),  # 全市: the city its paragraph named
    ]


def test_en_a_goal_verb_a_possessor_and_a_dateline_are_no_part_of_the_phrase() -> None:
    assert en_phrase("The country targets coal consumption to fall") == "coal consumption"
    assert en_phrase("The city's annual software revenue topped") == "annual software revenue"
    assert en_phrase("Hunan’s share of wind power in 2022 reached") == "share of wind power"
    assert en_phrase("(ABC News - 3rd May, 2024) The number of patents has exceeded") == "patents"
    # the added value: an adjective after an article; "ratio to X": a preposition
    assert en_phrase("the growth rate of the added value of services is expected to") == (
        "growth rate of the added value of services"
    )
    assert en_phrase("its contribution ratio to economic growth last year reached") == (
        "contribution ratio to economic growth"
    )


def test_en_what_an_output_makes_and_the_whole_of_a_share() -> None:
    assert en_phrase("a plant with an annual output of", " lithium battery cells and 5GW") == (
        "lithium battery cells"
    )
    assert en_phrase("", " battery project is the largest") == "battery project"
    en = "By 2030, solar power will reach 30% of the total power supply."
    assert [q.indicator for q in extract_quantities(en)] == ["solar power"]
    en2 = "By 2027, the county will set up 12 engineering centres at or above the provincial level."
    assert [q.indicator for q in extract_quantities(en2)] == [
        "engineering centres at or above the provincial level"
    ]


def test_en_a_place_that_locates_another_or_partners_it_is_not_the_scope(
    pipes: Pipelines,
) -> None:
    text = (
        "Changsha, capital of central China's Hunan Province, issued a plan.\n\n"
        "By 2026, the city's digital economy will exceed 600 billion yuan.\n\n"
        "Guizhou Province in southwest China has worked with Yunnan Province on a power grid. "
        "By 2025 the grid will carry 20 billion kWh."
    )
    quantities = with_scopes(text, extract_quantities(text), list(pipes.mentions(text)))
    assert [q.scope for q in quantities] == ["Changsha", "Guizhou Province"]


def test_zh_a_clause_naming_nothing_takes_the_subject_of_the_clause_before_it() -> None:
    text = "近年来，全省专精特新企业数量不断增长，从2020年的300家增长到了去年的900家，是原来的3倍。"
    assert [q.indicator for q in extract_quantities(text)] == ["专精特新企业数量"] * 3
    # a place where something stands is no subject; verbs and times alone name nothing
    assert zh_subject("在高新区创业大街") == ""
    assert zh_phrase("增长到了去年的") == ""
    assert zh_phrase("研发经费占营业收入的比重平均达到") == "研发经费占营业收入的比重"
    assert zh_phrase("可为", "厂房供热、供冷") == "厂房"


def test_an_organisation_named_in_the_figures_clause_is_its_scope(pipes: Pipelines) -> None:
    # the figure's own clause names who it belongs to: nearer than an area of the sentence
    text = "2024年，长沙市科技型企业稳步发展，锦浪电气营收增长20%，全年新增专利30件。"
    quantities = with_scopes(text, extract_quantities(text), list(pipes.mentions(text)))
    assert [(q.value, q.scope) for q in quantities] == [(20.0, "锦浪电气"), (30.0, "长沙市")]
