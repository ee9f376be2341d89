// Technologies of the plan against who covers them; a cell opens the list behind its number.
import { useState } from "preact/hooks";
import { Heatmap } from "../charts.js";
import { gql, useQuery } from "../gql.js";
import { html } from "../html.js";
import { useT } from "../i18n.js";
import { href } from "../route.js";
import { ErrorBox, ExportButtons, Loaded } from "../ui.js";
import { coverageColumns } from "../vocabulary.js";

// A count for each of the vocabulary's coverage columns (named by the column's field).
export const coverageQuery = () => `query Coverage($asOf: Date, $area: String) {
  coverage(asOf: $asOf, area: $area) {
    technology { id nameZh nameEn }
    narrowerTerms { id nameZh nameEn }
    ${coverageColumns().map((c) => c.field).join(" ")} gaps
  }
}`;

const PAGE = 50; // a cell's list shows this many at a time; "more" asks for the next page

const title = (tr, node) => (tr.lang === "en" ? node.titleEn || node.titleZh : node.titleZh || node.titleEn) || "";

// How to list the items behind a count (a column's list): each item, what to say beside
// it, and the fields its download carries (headings by column path).
const LISTS = {
  consortia: {
    query: `query Cell($technology: String, $asOf: Date, $area: String, $first: Int!, $after: String) {
      consortia(technology: $technology, asOf: $asOf, area: $area, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id key name level } } } }`,
    exportQuery: `query CellExport($technology: String, $asOf: Date, $area: String, $first: Int!, $after: String) {
      consortia(technology: $technology, asOf: $asOf, area: $area, first: $first, after: $after) {
        edges { node { name level establishedOn members { name role } } } } }`,
    headings: (tr) => ({ name: tr.t("org.names"), level: tr.t("rec.level"), establishedOn: tr.t("cons.established"), "members.name": tr.t("cons.members"), "members.role": tr.t("role") }),
    labels: { level: "levels", "members.role": "membership_roles" },
    item: (tr, node, filters) => html`<a href=${href("consortium", node.key, filters)}>${node.name}</a>`,
    detail: (tr, node) => node.level && tr.level(node.level),
  },
  groupStandards: {
    query: `query Cell($technology: String, $asOf: Date, $first: Int!, $after: String) {
      groupStandards(technology: $technology, asOf: $asOf, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id code titleZh titleEn status } } } }`,
    exportQuery: `query CellExport($technology: String, $asOf: Date, $first: Int!, $after: String) {
      groupStandards(technology: $technology, asOf: $asOf, first: $first, after: $after) {
        edges { node { code titleZh titleEn status publishedOn issuer drafters } } } }`,
    headings: (tr) => ({ code: tr.t("code"), titleZh: tr.t("titleText"), titleEn: "Title", status: tr.t("status"), publishedOn: tr.t("std.published"), issuer: tr.t("std.issuer"), drafters: tr.t("std.drafters") }),
    labels: { status: "standard_statuses" },
    item: (tr, node, filters) => html`<a href=${href("standard", node.code, filters)}><span class="mono">${node.code}</span> ${title(tr, node)}</a>`,
    detail: (tr, node) => node.status && tr.standardStatus(node.status),
  },
  organizations: {
    query: `query Cell($technology: String, $asOf: Date, $area: String, $recognitions: [String!], $first: Int!, $after: String) {
      organizations(technology: $technology, asOf: $asOf, area: $area, recognitions: $recognitions, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id key name kind } } } }`,
    exportQuery: `query CellExport($technology: String, $asOf: Date, $area: String, $recognitions: [String!], $first: Int!, $after: String) {
      organizations(technology: $technology, asOf: $asOf, area: $area, recognitions: $recognitions, first: $first, after: $after) {
        edges { node { name nameEn uscc kind areas { nameZh } } } } }`,
    headings: (tr) => ({ name: tr.t("org.nameZh"), nameEn: tr.t("org.nameEn"), uscc: tr.t("org.uscc"), kind: tr.t("org.kind"), "areas.nameZh": tr.t("org.areas") }),
    labels: { kind: "organization_kinds" },
    item: (tr, node, filters) => html`<a href=${href("org", node.key, filters)}>${node.name}</a>`,
    detail: (tr, node) => node.kind && tr.orgKind(node.kind),
  },
};

function CellList({ cell, filters, onClose }) {
  const tr = useT();
  const column = coverageColumns()[cell.x];
  const list = LISTS[column.list];
  const variables = { technology: cell.tech.id, asOf: filters.asOf };
  if (column.list !== "groupStandards") variables.area = filters.area || null;
  if (column.recognitions.length) variables.recognitions = column.recognitions;
  const state = useQuery(list.query, { ...variables, first: PAGE });
  // the pages asked for after the first, appended as they arrive
  const [more, setMore] = useState({ edges: [], pageInfo: null, busy: false, error: null });
  const next = async (pageInfo) => {
    setMore((m) => ({ ...m, busy: true, error: null }));
    try {
      const data = await gql(list.query, { ...variables, first: PAGE, after: pageInfo.endCursor });
      const page = data[column.list];
      setMore((m) => ({ edges: [...m.edges, ...page.edges], pageInfo: page.pageInfo, busy: false, error: null }));
    } catch (error) {
      setMore((m) => ({ ...m, busy: false, error }));
    }
  };
  const heading = tr.t("coverage.list", { kind: tr.column(column.key), tech: tr.name(cell.tech), n: tr.number(cell.value) });
  const request = () => ({
    query: list.exportQuery,
    variables,
    title: `${tr.column(column.key)} ${tr.name(cell.tech)} ${filters.asOf}${filters.area ? " " + filters.area : ""}`,
    headings: list.headings(tr),
    labels: list.labels,
  });
  return html`<section class="cell-list" aria-live="polite" data-cell=${`${cell.tech.id}:${column.key}`}>
    <header>
      <h2>${heading}</h2>
      <button type="button" onClick=${onClose}>${tr.t("close")}</button>
    </header>
    <${Loaded} state=${state}>${(data) => {
      const first = data[column.list];
      const edges = [...first.edges, ...more.edges];
      const pageInfo = more.pageInfo || first.pageInfo;
      return html`<${ExportButtons} request=${request} />
        <ul>${edges.map(({ node }) => {
          const detail = list.detail(tr, node);
          return html`<li>${list.item(tr, node, filters)}${detail ? html` <span class="sub">${detail}</span>` : null}</li>`;
        })}</ul>
        <p class="sub" data-total=${first.totalCount} data-shown=${edges.length}>
          ${tr.t("coverage.shown", { shown: tr.number(edges.length), n: tr.number(first.totalCount) })}
          ${pageInfo.hasNextPage ? html` <button type="button" class="more" disabled=${more.busy}
            onClick=${() => next(pageInfo)}>${tr.t("more")}</button>` : null}</p>
        ${more.error ? html`<${ErrorBox} error=${more.error} />` : null}`;
    }}<//>
  </section>`;
}

// The matrix's download: the coverage query itself, every technology of the plan, named in
// the page's language.
const COVERAGE_EXPORT_EN = () => `query CoverageExport($asOf: Date, $area: String) { coverage(asOf: $asOf, area: $area) {
  technology { nameEn } narrowerTerms { nameEn } ${coverageColumns().map((c) => c.field).join(" ")} gaps } }`;
const COVERAGE_EXPORT_ZH = () => `query CoverageExport($asOf: Date, $area: String) { coverage(asOf: $asOf, area: $area) {
  technology { nameZh } narrowerTerms { nameZh } ${coverageColumns().map((c) => c.field).join(" ")} gaps } }`;

export function coverageExport(tr, filters) {
  const columns = coverageColumns();
  const name = tr.lang === "en" ? "nameEn" : "nameZh";
  return {
    query: tr.lang === "en" ? COVERAGE_EXPORT_EN() : COVERAGE_EXPORT_ZH(),
    variables: { asOf: filters.asOf, area: filters.area || null },
    title: `${tr.t("coverage.title")} ${filters.asOf}${filters.area ? " " + filters.area : ""}`,
    headings: {
      [`technology.${name}`]: tr.t("technology"),
      [`narrowerTerms.${name}`]: tr.t("narrower"),
      ...Object.fromEntries(columns.map((c) => [c.field, tr.column(c.key)])),
      gaps: tr.t("gaps"),
    },
    labels: { gaps: "coverage_columns" },
  };
}

export function CoveragePage({ filters }) {
  const tr = useT();
  const columns = coverageColumns();
  const state = useQuery(coverageQuery(), { asOf: filters.asOf, area: filters.area || null });
  const [cell, setCell] = useState(null);
  const open = (rows, y, x) => setCell({ tech: rows[y].technology, x, value: rows[y][columns[x].field] });
  return html`<section aria-labelledby="coverage-title">
    <h1 id="coverage-title">${tr.t("coverage.title")}</h1>
    <p class="hint">${tr.t("coverage.hint")}</p>
    <${Loaded} state=${state}>${(data) => html`
      <${ExportButtons} request=${() => coverageExport(tr, filters)} />
      <${Heatmap}
        rows=${data.coverage.map((r) => tr.name(r.technology))}
        columns=${columns.map((c) => tr.column(c.key))}
        values=${data.coverage.map((r) => columns.map((c) => r[c.field]))}
        onCell=${(y, x) => open(data.coverage, y, x)}
        label=${tr.t("coverage.title")} />
      ${cell && html`<${CellList} key=${`${cell.tech.id}:${cell.x}:${filters.asOf}:${filters.area}`} cell=${cell} filters=${filters} onClose=${() => setCell(null)} />`}
      <div class="scroll"><table class="coverage">
        <thead><tr><th scope="col">${tr.t("technology")}</th>
          ${columns.map((c) => html`<th scope="col">${tr.column(c.key)}</th>`)}</tr></thead>
        <tbody>${data.coverage.map((r, y) => html`<tr data-tech=${r.technology.id}>
          <th scope="row">${tr.name(r.technology)}
            ${r.narrowerTerms.length ? html`<div class="sub">${tr.t("narrower")}${tr.t("colon")}${tr.join(r.narrowerTerms.map(tr.name))}</div>` : null}</th>
          ${columns.map((c, x) => html`<td class=${r[c.field] === 0 ? "gap" : ""}>
            <button type="button" class="cell" data-kind=${c.key} data-count=${r[c.field]}
              aria-label=${`${tr.name(r.technology)} · ${tr.column(c.key)}: ${r[c.field]}`}
              onClick=${() => open(data.coverage, y, x)}>${tr.number(r[c.field])}</button></td>`)}
        </tr>`)}</tbody>
      </table></div>`}<//>
  </section>`;
}
