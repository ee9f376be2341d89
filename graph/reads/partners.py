"""Partner suggestions for an organisation: bounded candidates, then scored evidence.

Two steps, so that the work is bounded at any registry size:

1. **Candidates**, strongest ties first: the co-members of its consortia, the co-drafters of
   its standards, the organisations working on its technologies, on a neighbouring one (a
   narrower term of the same broader one) and, when asked, on the technology of the
   question. Each source gives at most :data:`PARTNER_FAN` candidates, so a technology that
   200,000 firms work on costs no more than one that 300 do.
2. **Evidence** for each candidate, read from the candidate's own few edges (a pattern with
   both ends bound), including a broad technology that did not bring it in.

A piece of evidence weighs ``base × specificity × recency``:

- ``base`` (:data:`PARTNER_WEIGHTS`): a consortium in common or a standard drafted together
  3, a shared technology 2, a neighbouring one 1, the same area 1, a recognition held 0.5;
- ``specificity`` = 1 / (1 + log10(n)), n the organisations that share it (the consortium's
  members, the standard's drafters, the technology's or the area's organisations): a tie
  shared by few says more than one shared by thousands;
- ``recency`` = 0.5 + 0.5 × 2^(−years / :data:`HALF_LIFE_YEARS`) since the consortium was
  formed, the standard published or the candidate's recognition began (an unknown date
  counts as old); 1 for technologies and areas, which carry no date.

The score is the sum. Ties are broken by the number of distinct kinds of evidence, then by
name and key, so that an answer is the same on every call.
"""

from __future__ import annotations

from datetime import date

from graph.cypher import Query
from graph.merges import root_of
from graph.predicates import TECHNOLOGY_DEPTH, in_force, member_on, not_merged, under_technology

__all__ = ["HALF_LIFE_YEARS", "PARTNER_FAN", "PARTNER_WEIGHTS", "partners"]

PARTNER_WEIGHTS = {
    "consortium": 3.0,
    "standard": 3.0,
    "technology": 2.0,
    "complementary": 1.0,
    "area": 1.0,
    "recognition": 0.5,
}
# At most this many candidates per consortium, standard or technology (the demo's largest
# technology has about 350 organisations, so the cap changes nothing there).
PARTNER_FAN = 500
HALF_LIFE_YEARS = 5.0

_FORMED = "(c.established_on IS NULL OR c.established_on <= $as_of)"


def _fan(source: str, rel: str, why: str, extra: str = "") -> str:
    """At most $fan organisations (not ``me``, not merged) reaching ``source`` by ``rel``,
    each with the evidence map ``why``."""
    # the evidence map is built once per source, not once per candidate it brings in
    return (
        f"WITH me, {source}, {why} AS why "
        f"CALL ({source}, me) {{ MATCH ({source})<-[e:{rel}]-(p:Organization) "
        f"WHERE p <> me AND {not_merged('p')}{extra} RETURN p LIMIT $fan }} "
        "RETURN p, why "
    )


def _shared_by(node: str, rel: str) -> str:
    """How many organisations reach ``node`` by ``rel`` (a degree: no walk)."""
    return f"COUNT {{ ({node})<-[:{rel}]-() }}"


def _tech_why(kind: str, t: str, under: str | None = None) -> str:
    extra = f", under_zh: {under}.name_zh, under_en: {under}.name_en" if under else ""
    return (
        f"{{kind: '{kind}', via_id: {t}.id, via_zh: {t}.name_zh, via_en: {t}.name_en{extra}, "
        f"shared_by: {_shared_by(t, 'WORKS_ON')}, since: null}}"
    )


_NEIGHBOURS = (
    "MATCH (me)-[:WORKS_ON]->(:Technology)-[:BROADER]->(b:Technology)<-[:BROADER]-(t:Technology) "
    "WHERE NOT EXISTS { (me)-[:WORKS_ON]->(t) } "
)


# A consortium without an English name is named in English by what it focuses on; a
# standard without an English title by its code alone (never a Chinese name in English text).
_CONSORTIUM_EN = (
    "coalesce(c.name_en, CASE WHEN EXISTS { (c)-[:FOCUSES_ON]->(:Technology) } THEN "
    "'the innovation consortium on ' + reduce(acc = '', x IN "
    "[(c)-[:FOCUSES_ON]->(f:Technology) | f.name_en] | acc + CASE WHEN acc = '' THEN '' "
    "ELSE ' and ' END + x) END, c.name)"
)


def _walks() -> str:
    """The candidates of ``me`` with the evidence that brought each in: one capped walk per
    consortium, standard, technology, neighbouring technology, and the question's technology
    (candidates only: its evidence, if any, is found as the others' is)."""
    consortium = (
        f"{{kind: 'consortium', via_id: c.id, via_zh: c.name, via_en: {_CONSORTIUM_EN}, "
        f"shared_by: {_shared_by('c', 'MEMBER_OF')}, since: c.established_on}}"
    )
    standard = (
        "{kind: 'standard', via_id: s.code, via_zh: trim(s.code + ' ' + coalesce(s.title_zh, '')), "
        "via_en: trim(s.code + ' ' + coalesce(s.title_en, '')), "
        f"shared_by: {_shared_by('s', 'DRAFTED')}, since: s.published_on}}"
    )
    return (
        "CALL (me) { "
        f"  MATCH (me)-[m:MEMBER_OF]->(c:Consortium) WHERE {member_on('m')} AND {_FORMED} "
        f"  {_fan('c', 'MEMBER_OF', consortium, ' AND ' + member_on('e'))}"
        "  UNION ALL "
        f"  MATCH (me)-[:DRAFTED]->(s:GroupStandard) WHERE {in_force('s')} "
        f"  {_fan('s', 'DRAFTED', standard)}"
        "  UNION ALL "
        f"  MATCH (me)-[:WORKS_ON]->(t:Technology) {_fan('t', 'WORKS_ON', _tech_why('technology', 't'))}"
        "  UNION ALL "
        f"  {_NEIGHBOURS}{_fan('t', 'WORKS_ON', _tech_why('complementary', 't', 'b'))}"
        "  UNION ALL "
        f"  MATCH (t:Technology)-[:BROADER*0..{TECHNOLOGY_DEPTH}]->(:Technology {{id: $technology}}) "
        f"  {_fan('t', 'WORKS_ON', 'null')}"
        "} "
    )


def _broad() -> str:
    """``me``'s technologies and neighbouring ones with more organisations than $fan (a
    capped walk may have left out a candidate that shares them), and ``me``'s areas."""
    return (
        "WITH me, "
        f"  [(me)-[:WORKS_ON]->(t:Technology) WHERE {_shared_by('t', 'WORKS_ON')} > $fan "
        f"   | {{t: t, why: {_tech_why('technology', 't')}}}] "
        f"  + COLLECT {{ {_NEIGHBOURS} AND {_shared_by('t', 'WORKS_ON')} > $fan "
        f"   RETURN DISTINCT {{t: t, why: {_tech_why('complementary', 't', 'b')}}} }} AS broad, "
        "  [(me)-[:LOCATED_IN]->(a:Area) | {a: a, why: {kind: 'area', via_id: a.id, "
        f"   via_zh: a.name_zh, via_en: a.name_en, shared_by: {_shared_by('a', 'LOCATED_IN')}, "
        "   since: null}}] AS areas "
    )


def _held() -> str:
    """The recognition kinds ``p`` holds on the date, each with its latest start."""
    return (
        "CALL (p) { "
        "  OPTIONAL MATCH (p)-[:HOLDS]->(r:Recognition) "
        "  WHERE r.valid_from <= $as_of AND (r.valid_to IS NULL OR r.valid_to >= $as_of) "
        "  WITH r.kind AS kind, max(r.valid_from) AS since WHERE kind IS NOT NULL "
        "  RETURN collect({kind: 'recognition', via_id: kind, via_zh: kind, via_en: kind, "
        "    shared_by: null, since: since}) AS held } "
    )


def _weight(why: str) -> str:
    """``base × specificity × recency`` of one evidence map (see the module's docstring)."""
    n = f"toFloat(CASE WHEN {why}.shared_by IS NULL OR {why}.shared_by < 1 THEN 1 ELSE {why}.shared_by END)"
    years = (
        f"CASE WHEN {why}.since IS NULL THEN 1000.0 "
        f"ELSE duration.inDays({why}.since, $as_of).days / 365.25 END"
    )
    recency = (
        f"CASE WHEN {why}.kind IN ['consortium', 'standard', 'recognition'] "
        f"THEN 0.5 + 0.5 * 2.0 ^ (-({years}) / $half_life) ELSE 1.0 END"
    )
    return f"$weights[{why}.kind] * (1.0 / (1.0 + log10({n}))) * ({recency})"


def partners(*, id: str, technology: str | None, first: int, as_of: date) -> Query:
    """Ranked partner suggestions for organisation $id as of a date, each with its evidence
    (kind, what it goes via in both languages, how many share it, its weight), restricted to
    $technology (with its narrower terms) when given. See the module's docstring."""
    on_topic = (
        "$technology IS NULL OR EXISTS { "
        "(p)-[:WORKS_ON|MEMBER_OF|DRAFTED]->()-[:WORKS_ON|FOCUSES_ON|COVERS|BROADER*0.."
        f"{TECHNOLOGY_DEPTH}]->(:Technology {{id: $technology}}) }} "
        f"OR {under_technology('p', 'WORKS_ON')}"
    )
    return (
        # a merged entry asks as the organisation it stands as
        f"MATCH (asked:Organization {{id: $id}}) WITH {root_of('asked')} AS me "
        f"{_broad()}"
        # grouped by candidate alone (not by the lists carried beside it)
        f"CALL (me) {{ {_walks()}RETURN p, collect(DISTINCT why) AS found }} "
        "WITH me, broad, areas, p, found "
        f"WHERE {on_topic} "
        f"{_held()}"
        # the candidate's own technologies and areas read once, not once per broad one
        "WITH p, found, broad, areas, held, [(p)-[:WORKS_ON]->(x) | x] AS works, "
        "  [(p)-[:LOCATED_IN]->(y) | y] AS located "
        "WITH p, found "
        "  + [b IN broad WHERE NOT b.why IN found AND b.t IN works | b.why] "
        "  + [x IN areas WHERE x.a IN located | x.why] "
        "  + held AS whys "
        # every candidate scored; the reasons spelled out for the ones returned only
        f"WITH p, whys, [w IN whys | round({_weight('w')}, 3)] AS weights "
        "WITH p, whys, weights, round(reduce(s = 0.0, x IN weights | s + x), 3) AS score, "
        "  size(reduce(ks = [], w IN whys | CASE WHEN w.kind IN ks THEN ks ELSE ks + w.kind END)) AS kinds "
        "ORDER BY score DESC, kinds DESC, p.name, p.id LIMIT $first "
        "UNWIND range(0, size(whys) - 1) AS k "
        "WITH p, score, kinds, whys[k] AS w, weights[k] AS weight "
        "WITH p, score, kinds, w {.*, weight: weight} AS why "
        "ORDER BY why.weight DESC, why.kind, why.via_id "
        "WITH p, score, kinds, collect(why) AS reasons "
        "RETURN p {.id, .name, .name_en, .kind, .uscc} AS partner, score, reasons "
        "ORDER BY score DESC, kinds DESC, p.name, p.id",
        {
            "id": id,
            "technology": technology,
            "first": first,
            "as_of": as_of,
            "fan": PARTNER_FAN,
            "weights": PARTNER_WEIGHTS,
            "half_life": HALF_LIFE_YEARS,
        },
    )
