"""Places, technologies and organisations beyond the registry, each rule on a sentence
written for it (spaCy blank pipelines, seed gazetteer only)."""

import json
import re
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.entities import Pipelines
from nlp.gazetteer import Gazetteer
from nlp.places import CountyAliases, county_aliases


@pytest.fixture(scope="module")
def pipes() -> Pipelines:
    return Pipelines(Gazetteer())


def found(pipes: Pipelines, text: str) -> list[tuple[str, str]]:
    return [(m.label, m.text) for m in pipes.mentions(text)]


def test_every_division_of_china_is_in_the_data_from_jionlp() -> None:
    text = resources.files("nlp").joinpath("data", "china_areas.jsonl").read_text("utf-8")
    rows = [json.loads(line) for line in text.splitlines()]
    names = {r["pattern"] for r in rows}
    assert len([r for r in rows if r["level"] == "province" and r["kind"] == "name"]) == 34
    assert {"永寿县", "泾阳", "Xianyang", "Yan'an", "Yan\u2019an", "Shaanxi"} <= names
    assert len([r for r in rows if r["level"] == "county" and r["kind"] == "name"]) > 2800


def test_county_full_names_and_prefectures_are_places(pipes: Pipelines) -> None:
    assert found(pipes, "永寿县与淳化县签署协议。") == [("AREA", "永寿县"), ("AREA", "淳化县")]
    assert ("AREA", "Xianyang") in found(pipes, "A new plant opened in Xianyang last week.")


def test_a_bare_county_name_is_a_place_only_in_a_list_or_after_its_city(pipes: Pipelines) -> None:
    assert found(pipes, "宝鸡凤翔、岐山两地新建园区。") == [
        ("AREA", "宝鸡"),
        ("AREA", "凤翔"),
        ("AREA", "岐山"),
    ]
    assert found(pipes, "他从小习练武功。") == []  # 武功 the county, or kung fu: a word here


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("企业入驻渭河智能装备产业园后", "渭河智能装备产业园"),
        ("打造秦岭数字经济聚集区", "秦岭数字经济聚集区"),
        ("建设汉江生态岛", "汉江生态岛"),
    ],
)
def test_named_parks_clusters_and_sites_by_their_suffix(
    pipes: Pipelines, text: str, site: str
) -> None:
    assert ("AREA", site) in found(pipes, text)


def test_a_kind_of_zone_or_centre_is_no_name(pipes: Pipelines) -> None:
    text = (
        "全市新增省级高新技术产业开发区2家、国家级企业技术中心3家、重点实验室5家，高新区营收增长。"
    )
    assert [m for m in found(pipes, text) if m[0] in ("AREA", "ORG")] == []


@pytest.mark.parametrize("body", ["省政府", "市发展改革委", "县科技局", "市人民政府"])
def test_short_names_of_government_bodies_are_organisations(pipes: Pipelines, body: str) -> None:
    assert ("ORG", body) in found(pipes, f"经{body}研究同意，方案印发。")


def test_customs_tax_bureaus_and_media_by_suffix(pipes: Pipelines) -> None:
    got = found(pipes, "据榆林日报报道，西安海关与陕西省税务局联合发文。")
    assert ("ORG", "榆林日报") in got and ("ORG", "西安海关") in got
    assert ("ORG", "陕西省税务局") in got


@pytest.mark.parametrize(
    ("text", "tech"),
    [
        ("该园区重点发展集成电路和人工智能。", "集成电路"),
        ("企业攻关钙钛矿叠层电池。", "钙钛矿"),
        ("抽水蓄能电站开工。", "抽水蓄能"),
        ("The county backs graphene and quantum computing start-ups.", "quantum computing"),
    ],
)
def test_technology_fields_from_the_official_classifications(
    pipes: Pipelines, text: str, tech: str
) -> None:
    assert ("TECH", tech) in found(pipes, text)


def test_a_technology_field_names_the_plan_technology_it_falls_under() -> None:
    text = resources.files("nlp").joinpath("data", "tech_fields.jsonl").read_text("utf-8")
    rows = {r["zh"]: r for r in map(json.loads, text.splitlines())}
    assert rows["单晶硅片"]["broader"] == "pv" and rows["抽水蓄能"]["broader"] == "energy-storage"
    from loaders.taxonomy import seed_technologies

    ids = {t.id for t in seed_technologies()}
    assert {r["broader"] for r in rows.values() if r["broader"]} <= ids


def test_directional_regions_and_energy_technology_words(  # issue 15 round 4
) -> None:
    from nlp.entities import Pipelines
    from nlp.gazetteer import Gazetteer

    found = [
        (m.label, m.text)
        for m in Pipelines(Gazetteer()).mentions(
            "电力送往华中、华东和西南地区，园区推广热电联产和生物质供暖。"
        )
    ]
    assert ("AREA", "华中") in found and ("AREA", "华东") in found
    assert ("AREA", "西南地区") in found
    assert ("TECH", "热电联产") in found and ("TECH", "生物质") in found


def test_rivers_lakes_abbreviation_regions_and_power_stations() -> None:
    from nlp.entities import Pipelines
    from nlp.gazetteer import Gazetteer

    found = [
        (m.label, m.text)
        for m in Pipelines(Gazetteer()).mentions(
            "电站位于金沙江畔，电力送往京津冀，渭河两岸和洞庭湖周边也在建设。"
            "我国第三座千万千瓦级水电站白鹤滩水电站开工。"
        )
    ]
    areas = [t for label, t in found if label == "AREA"]
    assert "金沙江畔" in areas  # one token: the name 金沙江 is the whole of the span but 畔
    assert {"京津冀", "渭河", "洞庭湖", "白鹤滩水电站"} <= set(areas)
    # a capacity class and an ordinal are no part of the station's name
    assert not any("千瓦级" in t or "第三座" in t for t in areas)
    # ordinary words made of abbreviation characters or ending in 山, 河 are no places
    plain = [m.text for m in Pipelines(Gazetteer()).mentions("新港口开工，黑色金属和找靠山。")]
    assert not any(t in plain for t in ("新港", "靠山"))


def test_english_directional_regions_and_municipalities() -> None:
    from nlp.entities import Pipelines
    from nlp.gazetteer import Gazetteer

    text = (
        "Tianjin Municipality in north China and Yunnan in southwest China lead, "
        "ahead of central China and the China Hubei Province office."
    )
    areas = [m.text for m in Pipelines(Gazetteer()).mentions(text) if m.label == "AREA"]
    assert {"Tianjin Municipality", "north China", "southwest China", "central China"} <= set(areas)
    assert "Hubei Province" in areas and "China Hubei Province" not in areas


def test_a_site_described_in_common_words_is_no_name() -> None:
    from nlp.entities import Pipelines
    from nlp.gazetteer import Gazetteer

    pipes = Pipelines(Gazetteer())
    areas = [
        m.text
        for m in pipes.mentions("该省将建成全国重要的先进装备生产基地。")
        if m.label == "AREA"
    ]
    assert areas == []
    named = [m.text for m in pipes.mentions("项目落户沣东科技产业园。") if m.label == "AREA"]
    assert named == ["沣东科技产业园"]


def test_residential_compounds_roads_and_islands_are_places() -> None:  # issue 15 round 5
    pipes = Pipelines(Gazetteer())
    text = "项目解决雁塔区光明大道、锦湖苑小区供暖问题，并为周边翠湖心岛等小区补充热源。"
    got = found(pipes, text)
    assert ("AREA", "雁塔区") in got  # the district stays its own place
    assert ("AREA", "光明大道") in got  # a common word, anchored by the district before them
    assert ("AREA", "锦湖苑小区") in got
    assert ("AREA", "翠湖心岛") in got  # not 周边…: a locative word is no part of a name
    assert ("AREA", "金桥公寓") in found(pipes, "住在金桥公寓的居民")
    # kinds of compound and figurative roads are descriptions
    assert found(pipes, "推进老旧小区改造和居民小区、智慧小区建设，走上发展的康庄大道。") == []


def test_a_county_named_by_a_common_noun_is_not_read_in_running_text() -> None:
    # 城区, 郊区, 矿区 are counties (长治市城区, …) but in a text they mean "the urban area"
    pipes = Pipelines(Gazetteer())
    assert found(pipes, "年内市城区清洁取暖率达到90%，郊区达到60%。") == []


def test_a_place_ending_in_an_address_suffix_is_that_place_only() -> None:
    pipes = Pipelines(Gazetteer())
    assert found(pipes, "对比青岛的数据，民族品牌青岛啤酒") == [("AREA", "青岛"), ("AREA", "青岛")]


@pytest.mark.parametrize(  # issue 15 round 5: fields of the two classifications
    ("text", "tech"),
    [
        ("重点发展新一代信息技术和高端装备。", "新一代信息技术"),  # SEI2018 1
        ("园区聚集新型电子元器件企业。", "新型电子元器件"),  # HTF2016 一
        ("突破轨道交通装备和海洋工程装备关键技术。", "海洋工程装备"),  # SEI2018 2
        ("开发高分子材料与生物医用材料。", "生物医用材料"),  # HTF2016 四
        ("布局虚拟现实、增强现实等数字创意技术。", "虚拟现实"),  # SEI2018 8
    ],
)
def test_fields_of_the_high_tech_and_emerging_industry_classifications(
    pipes: Pipelines, text: str, tech: str
) -> None:
    assert ("TECH", tech) in found(pipes, text)


def test_umbrellas_and_systems_of_the_classifications_are_no_technology(pipes: Pipelines) -> None:
    text = "加快构建新型电力系统，发展节能环保和资源循环利用，培育新材料、新能源产业。"
    assert [m for m in found(pipes, text) if m[0] == "TECH"] == []


def test_a_technology_runs_over_how_it_is_applied(pipes: Pipelines) -> None:
    assert ("TECH", "太阳能集中供热") in found(pipes, "推进全县太阳能集中供热改造。")
    assert ("TECH", "生物质能利用技术") in found(pipes, "推广生物质能利用技术。")


def test_english_names_with_a_typographic_apostrophe_and_zones(pipes: Pipelines) -> None:
    text = "Yan’an University and the Yan’an Hi-tech Industrial Park met in Yan’an City."
    assert found(pipes, text) == [
        ("ORG", "Yan’an University"),
        ("AREA", "Yan’an Hi-tech Industrial Park"),
        ("AREA", "Yan’an City"),
    ]
    assert found(pipes, "The Park is open. In the Zone, firms grew.") == []


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_alias_scan_finds_what_a_longest_first_alternation_finds(data: st.DataObject) -> None:
    """CountyAliases.find (a trie walked from each candidate first character) against the
    regex alternation it replaced, on text built of aliases, their pieces and other words."""
    aliases = CountyAliases()
    names = sorted(county_aliases())
    pieces = st.sampled_from(names) | st.sampled_from([n[:-1] for n in names if len(n) > 2])
    words = st.lists(
        pieces | st.sampled_from(["、", "和", "县", "开发区", "a b", "\n"]), max_size=12
    )
    text = "".join(data.draw(words))
    alternation = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
    assert aliases.find(text) == [m.span() for m in alternation.finditer(text)]
