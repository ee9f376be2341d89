// Technologies of the plan against who covers them; a cell opens the list behind its number.
import { useState } from "preact/hooks";
import { Heatmap } from "../charts.js";
import { useQuery } from "../gql.js";
import { html } from "../html.js";
import { useT } from "../i18n.js";
import { href } from "../route.js";
import { ExportButtons, Loaded } from "../ui.js";
import { coverageColumns } from "../vocabulary.js";

// A count for each of the vocabulary's coverage columns (named by the column's field).
export const coverageQuery = () => `query Coverage($asOf: Date, $area: String) {
  coverage(asOf: $asOf, area: $area) {
    technology { id nameZh nameEn }
    narrowerTerms { id nameZh nameEn }
    ${coverageColumns().map((c) => c.field).join(" ")} gaps
  }
}`;

const LIST_SIZE = 50;

const title = (tr, node) => (tr.lang === "en" ? node.titleEn || node.titleZh : node.titleZh || node.titleEn) || "";

// How to list the items behind a count (a column's list): each item, and what to say beside it.
const LISTS = {
  consortia: {
    query: `query Cell($technology: String, $asOf: Date, $area: String, $first: Int!) {
    consortia(technology: $technology, asOf: $asOf, area: $area, first: $first) {
      totalCount edges { node { id key name level } } } }`,
    item: (tr, node) => node.name || node.key,
    detail: (tr, node) => node.level && tr.level(node.level),
  },
  groupStandards: {
    query: `query Cell($technology: String, $asOf: Date, $first: Int!) {
    groupStandards(technology: $technology, asOf: $asOf, first: $first) {
      totalCount edges { node { id code titleZh titleEn status } } } }`,
    item: (tr, node) => html`<span class="mono">${node.code}</span> ${title(tr, node)}`,
    detail: (tr, node) => node.status && tr.standardStatus(node.status),
  },
  organizations: {
    query: `query Cell($technology: String, $asOf: Date, $area: String, $recognitions: [String!], $first: Int!) {
    organizations(technology: $technology, asOf: $asOf, area: $area, recognitions: $recognitions, first: $first) {
      totalCount edges { node { id key name kind } } } }`,
    item: (tr, node, filters) => html`<a href=${href("org", node.key, filters)}>${node.name}</a>`,
    detail: (tr, node) => node.kind && tr.orgKind(node.kind),
  },
};

function CellList({ cell, filters, onClose }) {
  const tr = useT();
  const column = coverageColumns()[cell.x];
  const list = LISTS[column.list];
  const variables = { technology: cell.tech.id, asOf: filters.asOf, first: LIST_SIZE };
  if (column.list !== "groupStandards") variables.area = filters.area || null;
  if (column.recognitions.length) variables.recognitions = column.recognitions;
  const state = useQuery(list.query, variables);
  return html`<section class="cell-list" aria-live="polite" data-cell=${`${cell.tech.id}:${column.key}`}>
    <header>
      <h2>${tr.t("coverage.list", { kind: tr.column(column.key), tech: tr.name(cell.tech), n: tr.number(cell.value) })}</h2>
      <button type="button" onClick=${onClose}>${tr.t("close")}</button>
    </header>
    <${Loaded} state=${state}>${(data) => {
      const page = data[column.list];
      return html`<p class="sub" data-total=${page.totalCount}>
          ${page.totalCount > page.edges.length ? tr.t("coverage.more", { shown: page.edges.length }) : ""}</p>
        <ul>${page.edges.map(({ node }) => {
          const detail = list.detail(tr, node);
          return html`<li>${list.item(tr, node, filters)}${detail ? html` <span class="sub">${detail}</span>` : null}</li>`;
        })}</ul>`;
    }}<//>
  </section>`;
}

export function coverageTable(tr, rows, filters) {
  const columns = coverageColumns();
  return {
    title: `${tr.t("coverage.title")} ${filters.asOf}${filters.area ? " " + filters.area : ""}`,
    columns: [tr.t("technology"), tr.t("narrower"), ...columns.map((c) => tr.column(c.key)), tr.t("gaps")],
    rows: rows.map((r) => [
      tr.name(r.technology),
      tr.join(r.narrowerTerms.map(tr.name)),
      ...columns.map((c) => r[c.field]),
      tr.join(r.gaps.map((g) => tr.column(g))),
    ]),
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
      <${ExportButtons} table=${() => coverageTable(tr, data.coverage, filters)} />
      <${Heatmap}
        rows=${data.coverage.map((r) => tr.name(r.technology))}
        columns=${columns.map((c) => tr.column(c.key))}
        values=${data.coverage.map((r) => columns.map((c) => r[c.field]))}
        onCell=${(y, x) => open(data.coverage, y, x)}
        label=${tr.t("coverage.title")} />
      ${cell && html`<${CellList} key=${`${cell.tech.id}:${cell.x}:${filters.asOf}:${filters.area}`} cell=${cell} filters=${filters} onClose=${() => setCell(null)} />`}
      <table class="coverage">
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
      </table>`}<//>
  </section>`;
}
