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


def test_numbers_of_a_dateline_or_clock_time_are_no_figures() -> None:
    text = "全区专利总数达860件\n发布时间:2024-05-06 09:30 来源:区融媒体中心\n"
    assert [q.evidence for q in extract_quantities(text)] == ["860件"]
    assert rows("截至16.03.2022 18:45,数量为57。") == [("57", 57.0, "count")]


def test_headline_and_bulleted_deck_lines_report_the_news_of_the_dateline() -> None:
    text = (
        "本区新建实验室12个\n\n2024-05-06 10:00:00 来源:区报\n\n"
        "● 市级实验室7个\n\n"
        "记者从区科技局了解到,一批实验室建设顺利推进,各类平台运行良好,其中企业牵头建设的研发平台超过40个,"
        "覆盖装备、材料、医药等多个领域。"
    )
    assert [(q.evidence, q.year) for q in extract_quantities(text)] == [
        ("12个", 2024),
        ("7个", 2024),
        ("40个", None),  # a body sentence with no time of its own
    ]


def test_news_of_the_day_and_dates_without_a_year_take_the_documents_year() -> None:
    text = (
        "发布时间:2021-09-30\n\n(通讯员 李明)9月28日,市工信局公布第三批名单,新增专精特新企业26家。"
        "至此,全市专精特新企业达到118家。此前,全市已累计培育创新型企业400余家。"
        "日前,又有9家企业通过评审。"
    )
    assert [(q.evidence, q.year) for q in extract_quantities(text)] == [
        ("26家", 2021),
        ("118家", 2021),
        ("400余家", None),  # 此前: a time the text does not date
        ("9家", 2021),
    ]
    (q,) = extract_quantities("9月28日,全市新增企业26家。")  # no document date: no year
    assert q.year is None


def _bounds(text: str) -> list[tuple[str, str, str, int | None]]:
    return [(q.evidence, q.comparator, q.kind, q.year) for q in extract_quantities(text)]


def test_a_range_gives_its_lower_bound_at_least_and_its_upper_bound_at_most() -> None:
    assert _bounds("到2030年，单位产值能耗比2020年下降20%-25%。") == [
        ("20%", ">=", "target", 2030),
        ("25%", "<=", "target", 2030),
    ]
    assert _bounds("The city aims to cut emissions by 30% to 35% by 2030.") == [
        ("30%", ">=", "target", 2030),
        ("35%", "<=", "target", 2030),
    ]
    # a change from one figure to another is no range
    assert _bounds("In 2023, its share rose from 12% to 15%.") == [
        ("12%", "=", "actual", 2023),
        ("15%", "=", "actual", 2023),
    ]


def test_a_currency_conversion_takes_the_comparator_of_the_amount_it_restates() -> None:
    assert _bounds("Investment will exceed 70 billion yuan ($9.8 billion) by 2027.") == [
        ("70 billion yuan", ">", "target", 2027),
        ("$9.8 billion", ">", "target", 2027),
    ]


def test_a_deadline_heading_governs_the_list_of_figures_under_it() -> None:
    for text in (
        "到2025年：全市高新技术企业达到3000家；研发投入强度达到3%；技术合同成交额突破500亿元。",
        "主要目标：到2025年，\n1. 新增省级以上研发平台50个；\n2. 完成企业数字化改造300家；\n3. 培育创新联合体20个。",
        "到2025年的发展目标: 可再生能源装机达到1亿千瓦; 非化石能源消费比重达到25%左右;",
        "By 2025: the share of clean power will reach 50%; 200 charging stations will be built.",
        "Targets for 2025: the share of clean power at 50%; 200 charging stations in service.",
    ):
        qs = extract_quantities(text)
        assert len(qs) >= 2 and all((q.kind, q.year) == ("target", 2025) for q in qs), text


def test_a_report_under_a_deadline_heading_stays_a_report() -> None:
    qs = extract_quantities("到2025年：企业达到3000家；目前已有企业1800家。")
    assert [(q.evidence, q.kind) for q in qs] == [("3000家", "target"), ("1800家", "actual")]


def test_a_work_report_goal_without_a_deadline_is_a_target_with_no_year() -> None:
    assert _bounds("主任:加快产业升级,单位产值能耗降低12%、用水量降低10%。") == [
        ("12%", ">=", "target", None),
        ("10%", ">=", "target", None),
    ]
    text = (
        "推动绿色转型 能耗降低10%\n2022-03-05 10:00\n\n全面推进乡村振兴,农村自来水普及率达到90%。"
    )
    assert _bounds(text) == [("10%", ">=", "target", None), ("90%", ">=", "target", None)]


def test_a_directive_in_a_report_of_what_was_done_stays_a_report() -> None:
    assert _bounds("去年,全市推进产业升级,单位产值能耗降低12%。") == [("12%", "=", "actual", None)]
    assert _bounds("培育形成了5个产业集群。") == [("5个", "=", "actual", None)]
    assert _bounds("2023年,全区加快产业升级,新增企业40家。") == [("40家", "=", "actual", 2023)]


def test_a_year_anywhere_in_the_figures_clause_dates_it() -> None:
    assert _bounds(
        "Clean power is expected to supply about 30 percent of the electricity used by "
        "the province's factories in 2027, officials said."
    ) == [("30 percent", "~", "target", 2027)]
    assert _bounds("到2026年，储能装机达到500万千瓦，2035年达到1200万千瓦。") == [
        ("500万千瓦", ">=", "target", 2026),
        ("1200万千瓦", ">=", "target", 2035),
    ]
    assert _bounds("绿电消费比重2026年力争达到35%左右,2035年达到50%左右。") == [
        ("35%", "~", "target", 2026),
        ("50%", "~", "target", 2035),
    ]
    # a base year in the clause is not the deadline; another number ends the look-ahead
    assert _bounds("The city will cut water use by 8 percent from 2021 levels.") == [
        ("8 percent", ">=", "target", None)
    ]


def test_a_bare_lower_bound_takes_the_unit_and_magnitude_of_its_upper_bound() -> None:
    assert [
        (q.evidence, q.value, q.unit, q.comparator)
        for q in extract_quantities("到2027年，全县新建储能电站3至5座，新增投资2-3亿元。")
    ] == [
        ("3", 3.0, "count", ">="),
        ("5座", 5.0, "count", "<="),
        ("2", 200000000.0, "CNY", ">="),
        ("3亿元", 300000000.0, "CNY", "<="),
    ]
    assert _bounds("The ratio will rise to 25 to 30 percent by 2030.") == [
        ("25", ">=", "target", 2030),
        ("30 percent", "<=", "target", 2030),
    ]
    # a change from one figure to another, and a span of years, are no ranges
    assert rows("The share rose from 25 to 30 percent last year.") == [("30 percent", 30.0, "%")]
    assert rows("规划期为2021-2025年，共新增企业80家。") == [("80家", 80.0, "count")]


def test_where_a_change_starts_is_a_report_not_the_goal() -> None:
    assert _bounds(
        "We expect sales of 5 billion yuan in 2026, up from 3.2 billion yuan in 2024."
    ) == [
        ("5 billion yuan", ">=", "target", 2026),
        ("3.2 billion yuan", "=", "actual", 2024),
    ]
    # the deadline dates the goal, not the starting point
    assert _bounds("到2026年，孵化器从40家增加到65家。") == [
        ("40家", "=", "actual", None),
        ("65家", ">=", "target", 2026),
    ]
    # a point in a series keeps its year
    assert _bounds("企业从2020年的900家增长到2023年的2400家。") == [
        ("900家", "=", "actual", 2020),
        ("2400家", "=", "actual", 2023),
    ]


def test_a_span_of_years_is_no_deadline() -> None:
    assert _bounds("2020年至2022年，全区共引进项目140个。") == [("140个", "=", "actual", 2022)]


def test_a_plan_period_still_to_come_states_goals_one_past_reports() -> None:
    plan = "发布时间：2021-03-01\n\n“十四五”期间，全区新增高新技术企业500家以上。"
    review = "发布时间：2026-01-05\n\n“十四五”期间，全区新增高新技术企业520家。"
    assert _bounds(plan) == [("500家", ">=", "target", 2025)]
    assert _bounds(review) == [("520家", "=", "actual", 2025)]


def test_part_of_a_year_after_the_figure_and_a_total_without_a_unit() -> None:
    assert _bounds(
        "Hubei added 3,500 high-tech firms in the first half of 2024, bringing the total to 28,000."
    ) == [("3,500 high-tech firms", "=", "actual", 2024), ("28,000", "=", "actual", 2024)]
    # 'than in 2021' is the base of the change, not its year
    assert _bounds("The city is home to 900 laboratories, 25 percent more than in 2021.") == [
        ("900 laboratories", "=", "actual", None),
        ("25 percent", "=", "actual", None),
    ]


def test_power_and_energy_written_out_in_english_and_as_symbols() -> None:
    assert rows(
        "The 150-megawatt wind farm adds 2.1 million kilowatts to the grid and "
        "will supply 4.2 billion kilowatt-hours a year."
    ) == [
        ("150-megawatt", 150000000.0, "W"),
        ("2.1 million kilowatts", 2100000000.0, "W"),
        ("4.2 billion kilowatt-hours", 4200000000000.0, "Wh"),
    ]
    assert rows("新建储能电站装机200MW、容量400MWh,配套20兆瓦时。") == [
        ("200MW", 200000000.0, "W"),
        ("400MWh", 400000000.0, "Wh"),
        ("20兆瓦时", 20000000.0, "Wh"),
    ]


def test_by_the_end_of_a_year_after_the_figure_dates_it() -> None:
    assert _bounds(
        "SHANGHAI, March 2, 2025 -- The city had 3,100 charging stations by the end of 2024."
    ) == [("3,100 charging stations", "=", "actual", 2024)]


def test_a_goal_in_a_sentence_opened_by_a_year_or_this_year_takes_that_year() -> None:
    dated = "发布时间：2025-02-10\n\n"
    assert _bounds(dated + "今年，全区将新增科技型企业500家。") == [("500家", ">=", "target", 2025)]
    assert _bounds(dated + "2025年，全区力争新增科技型企业500家。") == [
        ("500家", ">=", "target", 2025)
    ]
    # a report's year does not carry over to a later goal with no deadline
    assert _bounds("2024年，全区新增企业260家。下一步，将力争新增企业400家。") == [
        ("260家", "=", "actual", 2024),
        ("400家", ">=", "target", None),
    ]


def test_a_heading_of_goals_makes_targets_of_the_list_under_it() -> None:
    text = (
        "发布时间：2025-03-01\n\n今年的主要预期目标是：地区生产总值增长5.5%左右；"
        "新增就业8万人以上；研发投入强度2.6%。"
    )
    assert _bounds(text) == [
        ("5.5%", "~", "target", 2025),
        ("8万人", ">=", "target", 2025),
        ("2.6%", ">=", "target", 2025),
    ]


def test_an_expected_completion_year_is_a_deadline() -> None:
    assert _bounds("2023年，主体工程封顶，预计2024年底建成，建成后可为30万平方米建筑供热。") == [
        ("30万平方米", ">=", "target", 2024)
    ]


def test_an_english_sentence_that_reports_and_sets_a_goal_reads_each_figure_by_its_cue() -> None:
    assert _bounds(
        "The share was 38 percent in 2023 and is expected to exceed 50 percent by 2028."
    ) == [("38 percent", "=", "actual", 2023), ("50 percent", ">", "target", 2028)]
    assert _bounds("The county, which has 14 parks, will build 6 more parks by 2027.") == [
        ("14 parks", "=", "actual", None),
        ("6 more parks", ">=", "target", 2027),
    ]
    assert rows("The two cities signed 9 agreements and 4 contracts.") == [
        ("9 agreements", 9.0, "count"),
        ("4 contracts", 4.0, "count"),
    ]


def test_a_chinese_figure_dated_in_its_own_clause_before_any_goal_word_is_a_report() -> None:
    assert _bounds("该比重2021年达到41%，预计2026年超过55%。") == [
        ("41%", "=", "actual", 2021),
        ("55%", ">", "target", 2026),
    ]
    # a deadline after the figures still governs them
    assert _bounds("全区新增科技企业达到300家、研发平台60个，到2027年。") == [
        ("300家", ">=", "target", 2027),
        ("60个", ">=", "target", 2027),
    ]


def test_a_goal_named_as_such_in_english_is_a_target() -> None:
    assert _bounds("The county has set a goal of 900 high-tech enterprises by 2027.") == [
        ("900 high-tech enterprises", ">=", "target", 2027)
    ]
    assert rows("The county had 120 labs.") == [("120 labs", 120.0, "count")]


def test_count_classifiers_for_events_people_sites_and_vessels() -> None:
    assert rows(
        "全年举办对接会45场,引进专家120名、院士3位,钻成地热井6眼,出让矿权2宗,"
        "建成服务站点18处,新增货轮4艘、无人机30架。"
    ) == [
        ("45场", 45.0, "count"),
        ("120名", 120.0, "count"),
        ("3位", 3.0, "count"),
        ("6眼", 6.0, "count"),
        ("2宗", 2.0, "count"),
        ("18处", 18.0, "count"),
        ("4艘", 4.0, "count"),
        ("30架", 30.0, "count"),
    ]
    assert rows("该企业排名第9位,位列前10名。") == []  # ranks, not counts


def test_capacity_classes_durations_and_criteria_are_not_figures() -> None:
    assert rows("该站是第二座百万千瓦级水电站,装机容量达到120万千瓦。") == [
        ("120万千瓦", 1200000000.0, "W")
    ]
    assert rows("公示期为15个工作日,共有企业320家参加。") == [("320家", 320.0, "count")]
    assert rows("因研发人员低于80人、研发经费低于800万元等原因,12家中心评为不合格。") == [
        ("12家", 12.0, "count")
    ]
    assert rows("申报企业的研发投入须不低于500万元。") == []
    # a goal stated with the same comparator words stays a figure
    assert rows("到2025年,单位GDP能耗低于0.4吨标准煤,研发人员不少于3万人。") == [
        ("0.4吨", 0.4, "t"),
        ("3万人", 30000.0, "count"),
    ]


def comparators(text: str) -> list[tuple[str, str]]:
    return [(q.evidence, q.comparator) for q in extract_quantities(text)]


def test_chinese_comparator_words_nearly_not_below_not_above_within() -> None:
    assert comparators("电站建成后，每年可发电近200亿千瓦时。") == [("200亿千瓦时", "~")]
    assert comparators(
        "到2025年，研发经费投入强度不低于3%，单位产值能耗不超过0.5吨，排放控制在10万吨以内。"
    ) == [("3%", ">="), ("0.5吨", "<="), ("10万吨", "<=")]
    assert comparators("去年全市失业率低于4%，新增企业逾300家。") == [("4%", "<"), ("300家", ">")]
