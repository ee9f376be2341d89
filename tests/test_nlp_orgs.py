"""Organisations by class of error (issue 15), each rule on a sentence written for it:
kinds written as classes are no names, bodies' short names and media are, coordinated lists
give no fragments, a firm's trade name + industry word is a firm and its trade name alone
names it later, wires in English datelines, English names of government bodies."""

import pytest

from nlp.entities import Pipelines
from nlp.firms import is_trade_name
from nlp.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def pipes() -> Pipelines:
    return Pipelines(Gazetteer())


def orgs(pipes: Pipelines, text: str) -> list[str]:
    return [m.text for m in pipes.mentions(text) if m.label == "ORG"]


def test_a_name_does_not_run_over_prepositions_adverbs_or_pronouns(pipes: Pipelines) -> None:
    assert orgs(pipes, "记者昨日自省发展改革委获悉，项目已获批。") == ["省发展改革委"]
    assert orgs(pipes, "方案已经市政府同意，现印发给你们。") == ["市政府"]
    assert orgs(pipes, "随着宁夏宝丰能源集团有限公司投产，产能翻番。") == [
        "宁夏宝丰能源集团有限公司"
    ]
    # 用 inside a name is not the preposition
    assert orgs(pipes, "他们组建了甘肃省高温合金防护用涂层材料创新联合体。") == [
        "甘肃省高温合金防护用涂层材料创新联合体"
    ]


def test_a_kind_an_area_has_many_of_is_a_class_not_a_name(pipes: Pipelines) -> None:
    assert orgs(pipes, "入选2024年度浙江省创新联合体名单的共10家。") == []
    assert orgs(pipes, "鼓励高校牵头组建攻关型创新联合体。") == []
    assert orgs(pipes, "全市新增湖北省重点实验室3家。") == []
    # a named one is a name
    assert orgs(pipes, "成立了湖北省光谷激光技术创新中心。") == ["湖北省光谷激光技术创新中心"]


def test_bodies_governed_by_each_in_a_list_are_no_fragment(pipes: Pipelines) -> None:
    assert orgs(pipes, "各市、县人民政府，省政府各部门：") == ["省政府"]
    assert orgs(pipes, "各县政府要抓好落实。") == []
    assert orgs(pipes, "经县人民政府研究决定。") == ["县人民政府"]


def test_government_general_offices_and_news_sites_are_organisations(pipes: Pipelines) -> None:
    assert orgs(pipes, "湖南省人民政府办公厅关于印发方案的通知") == ["湖南省人民政府办公厅"]
    assert orgs(pipes, "辽沈晚报-华商网讯(记者 李明)今天上午") == ["辽沈晚报", "华商网"]


def test_trade_name_and_industry_word_is_a_firm(pipes: Pipelines) -> None:
    assert orgs(pipes, "由总部在宁波的锦浪电气牵头，联合多家高校。") == ["锦浪电气"]
    assert orgs(pipes, "在园区的华曜重工车间里，一台设备正在下线。") == ["华曜重工"]
    # ordinary words before an industry word are no trade name
    assert orgs(pipes, "结构金属和新能源汽车产量增长，重工业回暖。") == []
    assert is_trade_name("锦浪") and not is_trade_name("结构") and not is_trade_name("陕西")


def test_a_site_name_stops_at_the_firm_before_it(pipes: Pipelines) -> None:
    found = [(m.label, m.text) for m in pipes.mentions("在华曜重工南岭基地，产品下线。")]
    assert found == [("ORG", "华曜重工"), ("AREA", "南岭基地")]


def test_a_trade_name_alone_names_the_firm_the_document_introduced(pipes: Pipelines) -> None:
    text = "锦浪电气年产10万台逆变器项目开工。\n\n一年后，锦浪自主研发的新品上市。"
    assert orgs(pipes, text) == ["锦浪电气", "锦浪"]
    en = (
        "Sungrow Power Supply Co., Ltd. opened a plant.\n\n"
        "Following Sungrow's investment, jobs grew."
    )
    assert orgs(pipes, en) == ["Sungrow Power Supply Co., Ltd.", "Sungrow"]
    # a place is never a trade name
    assert orgs(pipes, "Henan Pinggao Electric Co., Ltd. grew. Henan output rose.") == [
        "Henan Pinggao Electric Co., Ltd."
    ]
    # without the full name first, a trade name alone is no mention
    assert orgs(pipes, "锦浪自主研发的新品上市。") == []


def test_wires_of_an_english_dateline_are_organisations(pipes: Pipelines) -> None:
    assert orgs(pipes, "CHENGDU, May 2, 2024 /Xinhua=KYODO JBN/-- Sichuan said.") == [
        "Xinhua",
        "KYODO JBN",
    ]
    assert orgs(pipes, "HANGZHOU, June 3 (Xinhua) -- Zhejiang will build more.") == ["Xinhua"]
    assert orgs(pipes, "WUHAN, March 1, 2024 /PRNewswire/ -- Hubei has 30,000.") == ["PRNewswire"]


def test_english_government_bodies_in_lower_case_and_with_and(pipes: Pipelines) -> None:
    assert orgs(pipes, "Figures from the Hubei provincial bureau of statistics on Monday.") == [
        "Hubei provincial bureau of statistics"
    ]
    assert orgs(
        pipes, "It registered with the municipal department of science and technology."
    ) == ["municipal department of science and technology"]
    assert orgs(pipes, "The Henan Provincial Development and Reform Commission said so.") == [
        "Henan Provincial Development and Reform Commission"
    ]


def test_no_name_runs_over_a_directive_verb_an_ordinal_or_a_tier(pipes: Pipelines) -> None:
    assert orgs(pipes, "认定第五批市级工程技术中心20家。") == []
    assert orgs(pipes, "区科技局将推进企业技术中心提质增效，发挥企业技术中心作用。") == ["区科技局"]
    assert orgs(pipes, "健全国家、省、市三级技术中心体系。") == []
    assert orgs(pipes, "新城邀请浙江大学共建研究院。") == ["浙江大学"]


def test_schools_and_named_funds_are_organisations_fund_kinds_are_not(pipes: Pipelines) -> None:
    assert orgs(pipes, "沣东实验学校和西安市第一中学参加活动。") == [
        "沣东实验学校",
        "西安市第一中学",
    ]
    assert orgs(pipes, "陕西省科技成果转化引导基金投资了5家企业。") == [
        "陕西省科技成果转化引导基金"
    ]
    assert orgs(pipes, "推动产业基金和天使投资基金落地，鼓励各类学校参与。") == []


def test_a_notice_verb_or_a_level_before_a_class_makes_no_name(pipes: Pipelines) -> None:
    assert orgs(pipes, "省工信厅印发省级企业技术中心管理办法。") == ["省工信厅"]
    assert orgs(pipes, "要充分发挥企业技术中心的引领作用。") == []
    assert orgs(pipes, "请各隶属海关做好服务。") == []
    assert orgs(pipes, "现对部分国家企业技术中心进行复核。") == []
    # the verb is cut off a named one
    assert orgs(pipes, "确认秦岭重工有限公司技术中心为省级中心。") == ["秦岭重工有限公司技术中心"]
    assert orgs(pipes, "现对西北精密仪器研究所等12家单位予以公示。") == ["西北精密仪器研究所"]


def test_an_industry_word_as_a_common_noun_is_no_firm(pipes: Pipelines) -> None:
    assert orgs(pipes, "要深化能源领域改革，优化能源结构。") == []
    assert orgs(pipes, "风电、光伏等新能源装机快速增长。") == []
    assert orgs(pipes, "秦岭能源集团投产。") == ["秦岭能源集团"]


def test_central_government_bodies_are_known(pipes: Pipelines) -> None:
    assert orgs(pipes, "财政部、海关总署、税务总局联合发文，国家能源局随后解读。") == [
        "财政部",
        "海关总署",
        "税务总局",
        "国家能源局",
    ]


def test_branch_and_general_bureaus_are_organisations(pipes: Pipelines) -> None:
    assert orgs(pipes, "材料报市税务局第一稽查分局审核。") == ["市税务局第一稽查分局"]
    assert orgs(pipes, "近期，省药品监督管理局组织抽检。") == ["省药品监督管理局"]


def test_agencies_and_sites_in_an_english_wire_dateline(pipes: Pipelines) -> None:
    text = (
        "WUHAN, (ANI - NewsHub / Asia Wire Service - 3rd Mar, 2023) The city said (A - B) results."
    )
    assert orgs(pipes, text) == ["ANI", "NewsHub", "Asia Wire Service"]
    two = "WUHAN, (Reuters - Market Watch - 3rd Mar, 2023) The city grew."
    assert orgs(pipes, two) == ["Reuters", "Market Watch"]


# issue 15 round 5
def test_a_department_bureau_after_a_place_is_a_body(pipes: Pipelines) -> None:
    text = "宝鸡市水务局、渭南市自然资源局和延安市住房和城乡建设局联合发文，省卫健委参加。"
    assert orgs(pipes, text) == [
        "宝鸡市水务局",
        "渭南市自然资源局",
        "延安市住房和城乡建设局",
        "省卫健委",
    ]
    # 局 ending a common word is no bureau, even after a place
    assert orgs(pipes, "陕西布局氢能产业，形成新格局。") == []


def test_short_names_after_a_verb_and_the_bare_city_bureau(pipes: Pipelines) -> None:
    assert orgs(pipes, "要认真贯彻省委、省政府部署。") == ["省委", "省政府"]
    assert orgs(pipes, "今年年底市局完成4宗采矿权出让。") == ["市局"]
    # a short name still runs over the place or the body before it
    assert orgs(pipes, "中共西安市委、国家税务总局河南省税务局发布通知。") == [
        "中共西安市委",
        "国家税务总局河南省税务局",
    ]


def test_a_firm_with_its_place_in_brackets_or_a_numeral_trade_name(pipes: Pipelines) -> None:
    assert orgs(pipes, "协助华电新能源(甘肃)公司办理手续。") == ["华电新能源(甘肃)公司"]
    assert orgs(pipes, "国家数据（贵阳）中心已投用。") == ["国家数据（贵阳）中心"]
    assert orgs(pipes, "由十一冶建设有限公司承建。") == ["十一冶建设有限公司"]


def test_news_programmes_and_broadcasters_are_media(pipes: Pipelines) -> None:
    assert orgs(pipes, "据《河南新闻联播》报道") == ["河南新闻联播"]
    assert orgs(pipes, "来源：中央广播电视总台央视新闻") == ["中央广播电视总台央视新闻"]


def test_a_list_of_institution_kinds_after_a_level_names_none(pipes: Pipelines) -> None:
    text = "建设省级工程研究中心、工程技术研究中心及分中心和“三个中心”。"
    assert orgs(pipes, text) == []


def test_central_state_owned_enterprises_by_their_short_names(pipes: Pipelines) -> None:
    # the press names central SOEs (国资委's list) by short names; 中国 is no place inside them
    text = "中国石化与中国海油、国家电投在陕合作，中石油提供气源。"
    assert orgs(pipes, text) == ["中国石化", "中国海油", "国家电投", "中石油"]
    assert ("AREA", "中国") not in [(m.label, m.text) for m in pipes.mentions(text)]
