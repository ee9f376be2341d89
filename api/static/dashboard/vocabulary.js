// The registry's vocabulary, as the API serves it (`vocabulary`, from loaders/data/vocabulary.json):
// loaded once before the first render, so every kind, status, level, role, indicator and
// coverage column is labelled from the one definition, never from a copy here.
import { gql } from "./gql.js";

export const VOCABULARY = `query Vocabulary { vocabulary {
  organizationKinds { ...T } organizationStatuses { ...T } recognitionKinds { ...T }
  levels { ...T } membershipRoles { ...T } standardStatuses { ...T }
  indicators { key zh en unit countable }
  coverageColumns { key zh en list recognitions }
} }
fragment T on Term { key zh en phraseZh phraseEn }`;

let sections = {}; // section (organizationKinds, ...) -> Map(key -> term)
let columns = [];

const camel = (key) => key.replace(/_(\w)/g, (_, c) => c.toUpperCase());

export async function loadVocabulary() {
  const { vocabulary } = await gql(VOCABULARY);
  sections = Object.fromEntries(
    Object.entries(vocabulary).map(([section, terms]) => [section, new Map(terms.map((x) => [x.key, x]))]),
  );
  // a column's count is the CoverageRow field named by its key, in camelCase
  columns = vocabulary.coverageColumns.map((c) => ({ ...c, field: camel(c.key) }));
}

// The term of a section by its key, or undefined for a key the vocabulary does not have.
export const term = (section, key) => sections[section]?.get(key);

// The coverage matrix's columns in order: key, labels, CoverageRow field, and how to list a cell.
export const coverageColumns = () => columns;

// The keys of a section, in the vocabulary's order.
export const keysOf = (section) => [...(sections[section]?.keys() || [])];
