// @neo4j/graphql on graphql-yoga over the same Neo4j as innograph: the reference bench/api
// measures requests/s against. Type definitions mirror innograph's registry (same labels,
// relationship types and properties). Usage: node server.mjs PORT (NEO4J_URI, NEO4J_USER,
// NEO4J_PASSWORD in the environment).
import { createServer } from "node:http";
import { Neo4jGraphQL } from "@neo4j/graphql";
import { createYoga } from "graphql-yoga";
import neo4j from "neo4j-driver";

const typeDefs = /* GraphQL */ `
  type Organization @node {
    id: ID!
    name: String
    nameEn: String @alias(property: "name_en")
    uscc: String
    kind: String
    recognitions: [Recognition!]! @relationship(type: "HOLDS", direction: OUT)
    areas: [Area!]! @relationship(type: "LOCATED_IN", direction: OUT)
    technologies: [Technology!]! @relationship(type: "WORKS_ON", direction: OUT)
    consortia: [Consortium!]! @relationship(type: "MEMBER_OF", direction: OUT, properties: "Membership")
  }
  type Membership @relationshipProperties {
    role: String
  }
  type Recognition @node {
    id: ID!
    kind: String
    level: String
    validFrom: Date @alias(property: "valid_from")
    validTo: Date @alias(property: "valid_to")
  }
  type Area @node {
    id: ID!
    nameZh: String @alias(property: "name_zh")
    nameEn: String @alias(property: "name_en")
  }
  type Technology @node {
    id: ID!
    nameZh: String @alias(property: "name_zh")
    nameEn: String @alias(property: "name_en")
  }
  type Consortium @node {
    id: ID!
    name: String
    level: String
    members: [Organization!]! @relationship(type: "MEMBER_OF", direction: IN, properties: "Membership")
  }
`;

const driver = neo4j.driver(
  process.env.NEO4J_URI,
  neo4j.auth.basic(process.env.NEO4J_USER || "neo4j", process.env.NEO4J_PASSWORD),
);
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const yoga = createYoga({ schema, graphqlEndpoint: "/graphql", logging: false, maskedErrors: false });
const port = Number(process.argv[2] || 4000);
createServer(yoga).listen(port, "127.0.0.1", () => console.log(`ready on ${port}`));
