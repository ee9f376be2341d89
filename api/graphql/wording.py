"""Why a partner is suggested, in English and Chinese: the reason texts and the words for
the kinds of recognition."""

from __future__ import annotations

from typing import Any

__all__ = ["KIND_WORDS", "KIND_WORDS_ZH", "REASON_TEXT", "REASON_TEXT_ZH", "reason_text"]


REASON_TEXT = {
    "consortium": "both are members of the innovation consortium {via}",
    "standard": "both drafted the group standard {via}",
    "technology": "both work on {via}",
    "complementary": "works on the neighbouring technology {via}",
    "area": "located in the same new city ({via})",
    "recognition": "is currently recognised as {via}",
}

REASON_TEXT_ZH = {
    "consortium": "同为创新联合体“{via}”成员",
    "standard": "共同起草团体标准 {via}",
    "technology": "都从事{via}",
    "complementary": "从事相邻技术{via}",
    "area": "位于同一新城（{via}）",
    "recognition": "当前为{via}",
}

KIND_WORDS_ZH = {
    "national_hightech": "国家高新技术企业",
    "new_rd_institution": "新型研发机构",
    "enterprise_tech_centre": "企业技术中心",
    "enterprise_rd_centre": "企业研发中心",
    "engineering_research_centre": "工程研究中心",
    "tech_innovation_demo": "技术创新示范企业",
    "specialized_sme": "专精特新中小企业",
}

# Recognition kinds in words a firm uses.
KIND_WORDS = {
    "national_hightech": "a national high-tech enterprise",
    "new_rd_institution": "a new R&D institution",
    "enterprise_tech_centre": "an enterprise technology centre",
    "enterprise_rd_centre": "an enterprise R&D centre",
    "engineering_research_centre": "an engineering research centre",
    "tech_innovation_demo": "a technology innovation demonstration enterprise",
    "specialized_sme": "a specialised and innovative SME (专精特新)",
}


def reason_text(why: dict[str, Any], texts: dict[str, str], kinds: dict[str, str]) -> str:
    """One reason (its kind and what it goes via) in ``texts``; a recognition kind in ``kinds``."""
    via = str(why["via"])
    return texts[why["kind"]].format(
        via=kinds.get(via, via) if why["kind"] == "recognition" else via
    )
