"""A document's title from the document, not a site's banner (issue 15), on texts written
for each rule."""

from nlp.document import title_of


def test_a_site_banner_and_navigation_are_not_the_title() -> None:
    text = (
        "China Green Finance Platform\nHome | News | Policy\n\n"
        "Hubei sets out plan to double high-tech firms by 2027\n\n"
        "WUHAN, May 3 (Xinhua) -- Hubei will double its number of high-tech firms."
    )
    assert title_of(text, "f.txt") == "Hubei sets out plan to double high-tech firms by 2027"


def test_a_chinese_notice_title_wins_over_a_site_name_and_meta_lines() -> None:
    text = (
        "湖北省科技厅门户网\n首页 > 通知公告\n发布时间：2024-05-06\n"
        "湖北省人民政府办公厅关于印发湖北省科技创新三年行动方案的通知\n\n各市、州人民政府："
    )
    assert title_of(text, "f.txt") == "湖北省人民政府办公厅关于印发湖北省科技创新三年行动方案的通知"
    assert title_of("来源：某某日报\n\n杭州市数字经济发展规划（2024—2027年）\n\n正文", "g") == (
        "杭州市数字经济发展规划（2024—2027年）"
    )


def test_without_a_title_shape_the_first_content_line_else_the_file_name() -> None:
    assert title_of("绿色发展取得新进展\n正文第一段。", "f.txt") == "绿色发展取得新进展"
    assert title_of("\n\n", "f.txt") == "f.txt"
