// Technologies of the plan against who covers them; a cell opens the list behind its number.
import { useState } from "preact/hooks";
import { Heatmap } from "../charts.js";
import { useQuery } from "../gql.js";
import { html } from "../html.js";
import { useT } from "../i18n.js";
import { href } from "../route.js";
import { ExportButtons, Loaded } from "../ui.js";

export const COVERAGE = `query Coverage($asOf: Date, $area: String) {
  coverage(asOf: $asOf, area: $area) {
    technology { id nameZh nameEn }
    narrowerTerms { id nameZh nameEn }
    consortia rdInstitutions groupStandards enterpriseRdCentres hightechEnterprises gaps
  }
}`;

// Column -> the field of CoverageRow, and how to list the items behind a count.
// The recognition kinds must match graph/reads.py (RD_CENTRE_KINDS); a browser test checks
// that every list's totalCount equals its cell.
export const KINDS = [
  { key: "consortia", field: "consortia", list: "consortia" },
  { key: "rd_institutions", field: "rdInstitutions", list: "organizations", recognitions: ["new_rd_institution"] },
  { key: "group_standards", field: "groupStandards", list: "groupStandards" },
  { key: "enterprise_rd_centres", field: "enterpriseRdCentres", list: "organizations", recognitions: ["enterprise_tech_centre", "enterprise_rd_centre", "engineering_research_centre"] },
  { key: "hightech_enterprises", field: "hightechEnterprises", list: "organizations", recognitions: ["national_hightech"] },
];

const LIST_SIZE = 50;

const LISTS = {
  consortia: `query Cell($technology: String, $asOf: Date, $area: String, $first: Int!) {
    consortia(technology: $technology, asOf: $asOf, area: $area, first: $first) {
      totalCount edges { node { id key name level } } } }`,
  groupStandards: `query Cell($technology: String, $asOf: Date, $first: Int!) {
    groupStandards(technology: $technology, asOf: $asOf, first: $first) {
      totalCount edges { node { id key: code name: titleZh level: status } } } }`,
  organizations: `query Cell($technology: String, $asOf: Date, $area: String, $recognitions: [String!], $first: Int!) {
    organizations(technology: $technology, asOf: $asOf, area: $area, recognitions: $recognitions, first: $first) {
      totalCount edges { node { id key name level: kind } } } }`,
};

function CellList({ cell, filters, onClose }) {
  const tr = useT();
  const kind = KINDS[cell.x];
  const variables = { technology: cell.tech.id, asOf: filters.asOf, first: LIST_SIZE };
  if (kind.list !== "groupStandards") variables.area = filters.area || null;
  if (kind.recognitions) variables.recognitions = kind.recognitions;
  const state = useQuery(LISTS[kind.list], variables);
  return html`<section class="cell-list" aria-live="polite" data-cell=${`${cell.tech.id}:${kind.key}`}>
    <header>
      <h2>${tr.t("coverage.list", { kind: tr.t(`kind.${kind.key}`), tech: tr.name(cell.tech), n: tr.number(cell.value) })}</h2>
      <button type="button" onClick=${onClose}>${tr.t("close")}</button>
    </header>
    <${Loaded} state=${state}>${(data) => {
      const page = data[kind.list];
      return html`<p class="sub" data-total=${page.totalCount}>
          ${page.totalCount > page.edges.length ? tr.t("coverage.more", { shown: page.edges.length }) : ""}</p>
        <ul>${page.edges.map(({ node }) => html`<li>${kind.list === "organizations"
          ? html`<a href=${href("org", node.key, filters)}>${node.name}</a>`
          : html`<span>${node.key}</span> ${node.name}`} ${node.level ? html`<span class="sub">${node.level}</span>` : null}</li>`)}</ul>`;
    }}<//>
  </section>`;
}

export function coverageTable(tr, rows, filters) {
  return {
    title: `${tr.t("coverage.title")} ${filters.asOf}${filters.area ? " " + filters.area : ""}`,
    columns: [tr.t("technology"), tr.t("narrower"), ...KINDS.map((k) => tr.t(`kind.${k.key}`)), tr.t("gaps")],
    rows: rows.map((r) => [
      tr.name(r.technology),
      r.narrowerTerms.map(tr.name).join(", "),
      ...KINDS.map((k) => r[k.field]),
      r.gaps.map((g) => tr.t(`kind.${g}`)).join(", "),
    ]),
  };
}

export function CoveragePage({ filters }) {
  const tr = useT();
  const state = useQuery(COVERAGE, { asOf: filters.asOf, area: filters.area || null });
  const [cell, setCell] = useState(null);
  const open = (rows, y, x) => setCell({ tech: rows[y].technology, x, value: rows[y][KINDS[x].field] });
  return html`<section aria-labelledby="coverage-title">
    <h1 id="coverage-title">${tr.t("coverage.title")}</h1>
    <p class="hint">${tr.t("coverage.hint")}</p>
    <${Loaded} state=${state}>${(data) => html`
      <${ExportButtons} table=${() => coverageTable(tr, data.coverage, filters)} />
      <${Heatmap}
        rows=${data.coverage.map((r) => tr.name(r.technology))}
        columns=${KINDS.map((k) => tr.t(`kind.${k.key}`))}
        values=${data.coverage.map((r) => KINDS.map((k) => r[k.field]))}
        onCell=${(y, x) => open(data.coverage, y, x)}
        label=${tr.t("coverage.title")} />
      ${cell && html`<${CellList} key=${`${cell.tech.id}:${cell.x}:${filters.asOf}:${filters.area}`} cell=${cell} filters=${filters} onClose=${() => setCell(null)} />`}
      <table class="coverage">
        <thead><tr><th scope="col">${tr.t("technology")}</th>
          ${KINDS.map((k) => html`<th scope="col">${tr.t(`kind.${k.key}`)}</th>`)}</tr></thead>
        <tbody>${data.coverage.map((r, y) => html`<tr data-tech=${r.technology.id}>
          <th scope="row">${tr.name(r.technology)}
            ${r.narrowerTerms.length ? html`<div class="sub">${tr.t("narrower")}: ${r.narrowerTerms.map(tr.name).join(", ")}</div>` : null}</th>
          ${KINDS.map((k, x) => html`<td class=${r[k.field] === 0 ? "gap" : ""}>
            <button type="button" class="cell" data-kind=${k.key} data-count=${r[k.field]}
              aria-label=${`${tr.name(r.technology)} · ${tr.t(`kind.${k.key}`)}: ${r[k.field]}`}
              onClick=${() => open(data.coverage, y, x)}>${tr.number(r[k.field])}</button></td>`)}
        </tr>`)}</tbody>
      </table>`}<//>
  </section>`;
}
