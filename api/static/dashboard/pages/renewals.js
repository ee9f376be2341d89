// The bureau's renewal work: the expiry calendar of the next twelve months, who lapses
// (paged, downloadable) and how the count of holders moved, year by year or by quarter.
import { useState } from "preact/hooks";
import { FlowsChart } from "../charts.js";
import { gql, useQuery } from "../gql.js";
import { html } from "../html.js";
import { useT } from "../i18n.js";
import { href } from "../route.js";
import { ErrorBox, ExportButtons, Loaded } from "../ui.js";
import { keysOf } from "../vocabulary.js";

const MONTHS = 12;
const PAGE = 50;
const DEFAULT_KIND = "national_hightech";

// one count per month ahead: expiring within n months, for n = 1..12 (one request)
const CALENDAR = `query Calendar($asOf: Date, $area: String, $kind: String) {
  m1: expiring(within: 1, asOf: $asOf, area: $area, kind: $kind, first: 1) { totalCount }
  m2: expiring(within: 2, asOf: $asOf, area: $area, kind: $kind, first: 1) { totalCount }
  m3: expiring(within: 3, asOf: $asOf, area: $area, kind: $kind, first: 1) { totalCount }
  m4: expiring(within: 4, asOf: $asOf, area: $area, kind: $kind, first: 1) { totalCount }
  m5: expiring(within: 5, asOf: $asOf, area: $area, kind: $kind, first: 1) { totalCount }
  m6: expiring(within: 6, asOf: $asOf, area: $area, kind: $kind, first: 1) { totalCount }
  m7: expiring(within: 7, asOf: $asOf, area: $area, kind: $kind, first: 1) { totalCount }
  m8: expiring(within: 8, asOf: $asOf, area: $area, kind: $kind, first: 1) { totalCount }
  m9: expiring(within: 9, asOf: $asOf, area: $area, kind: $kind, first: 1) { totalCount }
  m10: expiring(within: 10, asOf: $asOf, area: $area, kind: $kind, first: 1) { totalCount }
  m11: expiring(within: 11, asOf: $asOf, area: $area, kind: $kind, first: 1) { totalCount }
  m12: expiring(within: 12, asOf: $asOf, area: $area, kind: $kind, first: 1) { totalCount }
}`;

// the list, and its download (the same query: every row of it, whole)
const EXPIRING = `query Expiring($within: Int!, $asOf: Date, $area: String, $kind: String, $first: Int!, $after: String) {
  expiring(within: $within, asOf: $asOf, area: $area, kind: $kind, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { validTo organization { key name uscc } recognition { kind level certNo validFrom } } } } }`;

const FLOWS = `query Flows($from: Date!, $to: Date!, $area: String, $kind: String, $by: FlowPeriod!) {
  flows(from: $from, to: $to, area: $area, kind: $kind, by: $by) { period start end new renewed lapsed net } }`;

const yearsBefore = (iso, years) => `${Number(iso.slice(0, 4)) - years}${iso.slice(4)}`;

function addMonths(iso, n) {
  const [y, m, d] = iso.split("-").map(Number);
  const month = m - 1 + n;
  const year = y + Math.floor(month / 12);
  const last = new Date(Date.UTC(year, (month % 12) + 1, 0)).getUTCDate();
  return `${year}-${String((month % 12) + 1).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

function Calendar({ data, asOf, within, onPick }) {
  const tr = useT();
  const totals = Array.from({ length: MONTHS }, (_, i) => data[`m${i + 1}`].totalCount);
  return html`<ol class="calendar" aria-label=${tr.t("renewals.calendar")}>
    ${totals.map((t, i) => {
      const n = t - (i ? totals[i - 1] : 0);
      const end = addMonths(asOf, i + 1);
      return html`<li><button type="button" data-month=${i + 1} data-count=${n}
          aria-pressed=${String(within === i + 1)} class=${n ? "" : "none"} onClick=${() => onPick(i + 1)}
          aria-label=${tr.t("renewals.monthLabel", { date: tr.date(end), n })}>
        <span class="month">${tr.month(end)}</span><strong>${tr.number(n)}</strong></button></li>`;
    })}
  </ol>`;
}

function ExpiringList({ filters, kind, within }) {
  const tr = useT();
  const variables = { within, asOf: filters.asOf, area: filters.area || null, kind };
  const state = useQuery(EXPIRING, { ...variables, first: PAGE });
  const [more, setMore] = useState({ edges: [], pageInfo: null, busy: false, error: null });
  const next = async (pageInfo) => {
    setMore((m) => ({ ...m, busy: true }));
    try {
      const page = (await gql(EXPIRING, { ...variables, first: PAGE, after: pageInfo.endCursor })).expiring;
      setMore((m) => ({ edges: [...m.edges, ...page.edges], pageInfo: page.pageInfo, busy: false, error: null }));
    } catch (error) {
      setMore((m) => ({ ...m, busy: false, error }));
    }
  };
  const request = () => ({
    query: EXPIRING,
    variables,
    title: `${tr.t("renewals.expiring")} ${tr.recognition(kind)} ${filters.asOf} +${within}`,
    headings: {
      validTo: tr.t("renewals.validTo"), "organization.key": tr.t("org.ids"), "organization.name": tr.t("org.names"),
      "organization.uscc": tr.t("org.uscc"), "recognition.kind": tr.t("rec.kind"), "recognition.level": tr.t("rec.level"),
      "recognition.certNo": tr.t("rec.cert"), "recognition.validFrom": tr.t("renewals.validFrom"),
    },
    labels: { "recognition.kind": "recognition_kinds", "recognition.level": "levels" },
  });
  return html`<${Loaded} state=${state}>${(data) => {
    const first = data.expiring;
    const edges = [...first.edges, ...more.edges];
    const pageInfo = more.pageInfo || first.pageInfo;
    return html`<h2>${tr.t("renewals.listTitle", { n: tr.number(first.totalCount), months: within })}</h2>
      <${ExportButtons} request=${request} formats=${["csv", "xlsx", "jsonl"]} />
      <div class="scroll tall"><table class="expiring" data-total=${first.totalCount}>
        <thead><tr><th scope="col">${tr.t("renewals.validTo")}</th><th scope="col">${tr.t("org.names")}</th>
          <th scope="col">${tr.t("rec.cert")}</th><th scope="col">${tr.t("rec.level")}</th></tr></thead>
        <tbody>${edges.map(({ node }) => html`<tr data-org=${node.organization.key}>
          <td class="num">${tr.date(node.validTo)}</td>
          <td><a href=${href("org", node.organization.key, filters)}>${node.organization.name}</a></td>
          <td class="mono">${node.recognition.certNo || "–"}</td><td>${tr.level(node.recognition.level)}</td></tr>`)}</tbody>
      </table></div>
      <p class="sub" data-shown=${edges.length}>${tr.t("coverage.shown", { shown: tr.number(edges.length), n: tr.number(first.totalCount) })}
        ${pageInfo.hasNextPage ? html` <button type="button" class="more" disabled=${more.busy} onClick=${() => next(pageInfo)}>${tr.t("more")}</button>` : null}</p>
      ${more.error ? html`<${ErrorBox} error=${more.error} />` : null}`;
  }}<//>`;
}

function Flows({ filters, kind }) {
  const tr = useT();
  const [by, setBy] = useState("YEAR");
  const variables = { from: yearsBefore(filters.asOf, 5), to: filters.asOf, area: filters.area || null, kind, by };
  const state = useQuery(FLOWS, variables);
  const names = { new: tr.t("flows.new"), renewed: tr.t("flows.renewed"), lapsed: tr.t("flows.lapsed"), net: tr.t("flows.net") };
  const request = () => ({
    query: FLOWS,
    variables,
    title: `${tr.t("flows.title")} ${tr.recognition(kind)} ${variables.from} ${variables.to}`,
    headings: { period: tr.t("flows.period"), start: tr.t("flows.start"), end: tr.t("flows.end"), ...names },
  });
  return html`<section aria-labelledby="flows-title">
    <h2 id="flows-title">${tr.t("flows.title")}</h2>
    <label>${tr.t("flows.by")} <select name="by" value=${by} onChange=${(e) => setBy(e.currentTarget.value)}>
      <option value="YEAR">${tr.t("flows.year")}</option><option value="QUARTER">${tr.t("flows.quarter")}</option></select></label>
    <${Loaded} state=${state}>${(data) => html`
      <${ExportButtons} request=${request} />
      <${FlowsChart} rows=${data.flows} names=${names} label=${tr.t("flows.title")} />
      <div class="scroll"><table class="flows">
        <thead><tr><th scope="col">${tr.t("flows.period")}</th>${Object.values(names).map((n) => html`<th scope="col">${n}</th>`)}</tr></thead>
        <tbody>${data.flows.map((r) => html`<tr data-period=${r.period}><th scope="row">${r.period}</th>
          <td class="num">${tr.number(r.new)}</td><td class="num">${tr.number(r.renewed)}</td>
          <td class="num">${tr.number(r.lapsed)}</td><td class="num" data-net=${r.net}>${r.net > 0 ? "+" : ""}${tr.number(r.net)}</td></tr>`)}</tbody>
      </table></div>`}<//>
  </section>`;
}

export function RenewalsPage({ filters, kind: asked }) {
  const tr = useT();
  const kinds = keysOf("recognitionKinds");
  const [kind, setKind] = useState(asked && kinds.includes(asked) ? asked : DEFAULT_KIND);
  const [within, setWithin] = useState(MONTHS);
  const calendar = useQuery(CALENDAR, { asOf: filters.asOf, area: filters.area || null, kind });
  return html`<section aria-labelledby="renewals-title">
    <h1 id="renewals-title">${tr.t("renewals.title")}</h1>
    <p class="hint">${tr.t("renewals.hint")}</p>
    <label>${tr.t("rec.kind")} <select name="kind" value=${kind} onChange=${(e) => setKind(e.currentTarget.value)}>
      ${kinds.map((k) => html`<option value=${k}>${tr.recognition(k)}</option>`)}</select></label>
    <h2>${tr.t("renewals.calendar")}</h2>
    <${Loaded} state=${calendar}>${(data) => html`<${Calendar} data=${data} asOf=${filters.asOf} within=${within} onPick=${setWithin} />`}<//>
    <${ExpiringList} key=${`${kind}:${within}:${filters.asOf}:${filters.area}`} filters=${filters} kind=${kind} within=${within} />
    <${Flows} filters=${filters} kind=${kind} />
  </section>`;
}
