"""A firm's two questions beyond partners: which consortium to join, and who drafts the
standards of its field."""

from __future__ import annotations

from datetime import date

from graph.cypher import Query
from graph.merges import root_of
from graph.predicates import TECHNOLOGY_DEPTH, in_force, member_on, not_merged

__all__ = ["JOIN_WEIGHTS", "consortia_to_join", "standard_drafters"]

# How close a consortium is, per piece of evidence: a technology of the firm it focuses on
# (itself, a broader or a narrower term), a member that drafted a standard with the firm, a
# member of another consortium with it, a member in the same area.
JOIN_WEIGHTS = {"technology": 2.0, "co_drafter": 3.0, "co_member": 2.0, "neighbour": 0.5}


def consortia_to_join(*, id: str, as_of: date, first: int) -> Query:
    """Consortia formed by ``as_of`` on the firm's technologies (or a broader or narrower
    term) that it is not a member of on that day, ranked by the weighted evidence
    (:data:`JOIN_WEIGHTS`); ties by more members, then by key."""
    near = (
        f"(ct = mt OR EXISTS {{ (ct)-[:BROADER*1..{TECHNOLOGY_DEPTH}]->(mt) }} "
        f"OR EXISTS {{ (mt)-[:BROADER*1..{TECHNOLOGY_DEPTH}]->(ct) }})"
    )
    w = JOIN_WEIGHTS
    return (
        f"MATCH (asked:Organization {{id: $id}}) WITH {root_of('asked')} AS me "
        "MATCH (me)-[:WORKS_ON]->(mt:Technology) "
        "MATCH (c:Consortium)-[:FOCUSES_ON]->(ct:Technology) "
        f"WHERE {near} AND (c.established_on IS NULL OR c.established_on <= $as_of) "
        f"AND NOT EXISTS {{ (me)-[m:MEMBER_OF]->(c) WHERE {member_on('m')} }} "
        "WITH me, c, collect(DISTINCT ct {.id, .name_zh, .name_en}) AS shared "
        "CALL (me, c) { "
        f"  OPTIONAL MATCH (p:Organization)-[m:MEMBER_OF]->(c) WHERE {member_on('m')} "
        f"    AND {not_merged('p')} AND p <> me "
        "  RETURN count(DISTINCT p) AS members, "
        "    count(DISTINCT CASE WHEN EXISTS { (me)-[:DRAFTED]->(:GroupStandard)<-[:DRAFTED]-(p) } "
        "      THEN p END) AS co_drafters, "
        "    count(DISTINCT CASE WHEN EXISTS { (me)-[:MEMBER_OF]->(:Consortium)<-[:MEMBER_OF]-(p) } "
        "      THEN p END) AS co_members, "
        "    count(DISTINCT CASE WHEN EXISTS { (me)-[:LOCATED_IN]->(:Area)<-[:LOCATED_IN]-(p) } "
        "      THEN p END) AS neighbours, "
        "    head(collect(CASE WHEN m.role = 'lead' THEN p {.id, .name} END)) AS lead } "
        f"WITH c, shared, members, co_drafters, co_members, neighbours, lead, "
        f"  {w['technology']} * size(shared) + {w['co_drafter']} * co_drafters "
        f"  + {w['co_member']} * co_members + {w['neighbour']} * neighbours AS score "
        "RETURN c {.id, .name, .level} AS consortium, lead, shared, members, co_drafters, "
        "co_members, neighbours, score ORDER BY score DESC, members DESC, c.id LIMIT $first",
        {"id": id, "as_of": as_of, "first": first},
    )


def standard_drafters(*, id: str, as_of: date, per_technology: int) -> Query:
    """Per technology the firm works on: the organisations that drafted the most standards
    in force on ``as_of`` covering it (or a narrower term), with the codes; ties by name."""
    return (
        f"MATCH (asked:Organization {{id: $id}}) WITH {root_of('asked')} AS me "
        "MATCH (me)-[:WORKS_ON]->(t:Technology) "
        "CALL (me, t) { "
        f"  OPTIONAL MATCH (s:GroupStandard)-[:COVERS]->(:Technology)-[:BROADER*0..{TECHNOLOGY_DEPTH}]->(t) "
        f"  WHERE {in_force('s')} "
        f"  OPTIONAL MATCH (o:Organization)-[:DRAFTED]->(s) WHERE {not_merged('o')} "
        "  WITH me, o, collect(DISTINCT s.code) AS codes WHERE o IS NOT NULL "
        "  WITH me, o, codes ORDER BY size(codes) DESC, o.name, o.id "
        "  RETURN count(o) AS total, collect({organization: o {.id, .name, .uscc}, "
        "    standards: size(codes), codes: codes[..5], itself: o = me})[..$per] AS drafters } "
        "RETURN t {.id, .name_zh, .name_en} AS technology, total, drafters ORDER BY t.id",
        {"id": id, "as_of": as_of, "per": per_technology},
    )
