"""What each kind of partner reason claims, as a Cypher pattern that must hold on $d.

Written from the issue's wording (13.2), independently of the reads that give the reasons;
$me asks, $p is suggested, $via is the reason's viaId."""

from __future__ import annotations

__all__ = ["HOLDS_ON"]

HOLDS_ON = {
    "consortium": "MATCH (me:Organization {id: $me})-[a:MEMBER_OF]->(c:Consortium {id: $via})"
    "<-[b:MEMBER_OF]-(p:Organization {id: $p}) WHERE all(m IN [a, b] WHERE "
    "coalesce(m.since <= $d, true) AND coalesce(m.until >= $d, true)) "
    "AND coalesce(c.established_on <= $d, true) RETURN count(*) > 0 AS ok",
    "standard": "MATCH (:Organization {id: $me})-[:DRAFTED]->(s:GroupStandard {code: $via})"
    "<-[:DRAFTED]-(:Organization {id: $p}) WHERE coalesce(s.published_on <= $d, true) "
    "AND coalesce(s.abolished_on > $d, true) AND coalesce(s.status, '') <> '废止' "
    "RETURN count(*) > 0 AS ok",
    "recognition": "MATCH (:Organization {id: $p})-[:HOLDS]->(r:Recognition {kind: $via}) "
    "WHERE r.valid_from <= $d AND coalesce(r.valid_to >= $d, true) RETURN count(*) > 0 AS ok",
    "technology": "MATCH (:Organization {id: $me})-[:WORKS_ON]->(:Technology {id: $via})"
    "<-[:WORKS_ON]-(:Organization {id: $p}) RETURN count(*) > 0 AS ok",
    "area": "MATCH (:Organization {id: $me})-[:LOCATED_IN]->(:Area {id: $via})"
    "<-[:LOCATED_IN]-(:Organization {id: $p}) RETURN count(*) > 0 AS ok",
    "complementary": "MATCH (:Organization {id: $p})-[:WORKS_ON]->(:Technology {id: $via}) "
    "RETURN count(*) > 0 AS ok",
}
