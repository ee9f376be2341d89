// Runs graphql-http's GraphQL-over-HTTP server audits against a URL; prints one JSON line
// per audit: {id, name, status, reason}. Used by tests/test_graphql_http_audit.py; lives here so that node resolves web/node_modules.
import { serverAudits } from "graphql-http";

const url = process.argv[2];
const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason ?? null });
}
console.log(JSON.stringify(results));
