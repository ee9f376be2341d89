"""Documents written by the tests: the demo plan (loaders/data/plan) as a government web
page (navigation, breadcrumb, sidebar, footer around the article), as a two-page PDF and
as a Word file with headings; and a portal page that holds no article at all."""

from __future__ import annotations

import io
from html import escape

from loaders.demo import demo_plan
from tests.list_fixtures import FONT

PUBLISHED = "2024-03-15"
NAV = [
    "首页",
    "新区概况",
    "政务公开",
    "政策文件",
    "通知公告",
    "政务服务",
    "互动交流",
    "数据开放",
    "专题专栏",
    "English",
]
SIDEBAR = [
    "西咸新区召开科技创新工作推进会",
    "关于开展2024年度高新技术企业认定工作的通知",
    "秦创原创新驱动平台建设三年行动计划发布",
    "新区举办第五届硬科技创新创业大赛",
    "沣东新城获批国家级科技企业孵化器",
    "空港新城临空经济示范区建设取得新进展",
]
FOOTER = (
    "主办单位：陕西省西咸新区管理委员会办公室　承办单位：西咸新区信息中心　"
    "地址：陕西省西咸新区沣东新城统一路　邮编：712000　电话：029-12345678　"
    "网站标识码：6100000000　陕ICP备12345678号-1　陕公网安备 61000002000000号　"
    "版权所有：陕西省西咸新区管理委员会　建议使用1280×768分辨率浏览本网站"
)


def plan_paragraphs() -> list[str]:
    """The zh demo plan: its title, then its paragraphs."""
    text = demo_plan("zh").read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _chrome(body: str, title: str) -> str:
    nav = "".join(f'<li><a href="/c/{i}.html">{escape(n)}</a></li>' for i, n in enumerate(NAV))
    side = "".join(f'<li><a href="/n/{i}.html">{escape(t)}</a></li>' for i, t in enumerate(SIDEBAR))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{escape(title)}_陕西省西咸新区管理委员会</title>
<meta name="PubDate" content="{PUBLISHED} 09:30">
<meta name="ColumnName" content="政策文件">
<script>var _hmt = _hmt || []; (function() {{ var hm = 1; }})();</script>
<style>.nav li {{ float: left; }}</style></head>
<body>
<div class="top"><a href="/">无障碍浏览</a> | <a href="/old">长者模式</a> | <a href="/login">登录</a></div>
<div class="header"><img src="/logo.png" alt="陕西省西咸新区管理委员会"><form><input name="q"><button>搜索</button></form></div>
<ul class="nav">{nav}</ul>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/zcwj">政策文件</a></div>
{body}
<div class="side"><h3>相关新闻</h3><ul>{side}</ul></div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> 【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】</div>
<div class="footer"><p>{FOOTER}</p></div>
</body></html>"""


def plan_page() -> str:
    """The plan as an article inside a government site's page."""
    title, *paragraphs = plan_paragraphs()
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    article = f"""<div class="article">
<h1>{escape(title)}</h1>
<div class="info">发布时间：{PUBLISHED}　来源：西咸新区科技创新和教育体育局　浏览次数：1024　字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
<div class="content">{body}</div>
</div>"""
    return _chrome(article, title)


def portal_page() -> str:
    """A column's index page: navigation and lists of links, no article."""
    links = "".join(
        f'<li><a href="/zcwj/{i}.html">{escape(t)}</a><span>2024-0{1 + i % 9}-1{i % 9}</span></li>'
        for i, t in enumerate(SIDEBAR * 3)
    )
    return _chrome(
        f'<div class="list"><ul>{links}</ul><div class="pages">1 2 3 下一页 尾页</div></div>',
        "政策文件",
    )


def plan_pdf() -> bytes:
    """The plan as a two-page PDF (text layer), its title on page 1."""
    from fpdf import FPDF

    title, *paragraphs = plan_paragraphs()
    pdf = FPDF()
    pdf.add_font("zh", fname=FONT)
    pdf.set_font("zh", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, text=title)
    pdf.ln(4)
    half = len(paragraphs) // 2
    for i, p in enumerate(paragraphs):
        if i == half:
            pdf.add_page()
        pdf.multi_cell(0, 8, text=p)
        pdf.ln(3)
    return bytes(pdf.output())


def plan_docx() -> bytes:
    """The plan as a Word file: its title a Title, a heading before each part."""
    import docx

    title, *paragraphs = plan_paragraphs()
    document = docx.Document()
    document.add_heading(title, level=0)
    for p in paragraphs:
        head, sep, rest = p.partition("。")
        if sep and len(head) <= 6:  # 能源结构。到2025年... : the part's name is its heading
            document.add_heading(head, level=1)
            document.add_paragraph(rest.strip())
        else:
            document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
