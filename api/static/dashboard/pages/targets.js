// The landing page: one row per target of the plan, with the actual value as of the date.
import { useEffect } from "preact/hooks";
import { Sparkline } from "../charts.js";
import { useQuery } from "../gql.js";
import { html } from "../html.js";
import { useT } from "../i18n.js";
import { href } from "../route.js";
import { ExportButtons, Loaded, ProgressBar, StatusBadge } from "../ui.js";

export const LEDGER = `query Ledger($asOf: Date, $area: String) {
  ledger(asOf: $asOf, area: $area) {
    targetId indicator indicatorKey countable comparator target unit deadline scope
    actual progress status atRisk projected projectedFrom figureSource figureAsOf figureStale evidence judgedOn atDeadline dataUntil
    scopeArea area contribution
    trend { day value }
    document { id title url }
  }
  areas { id nameZh nameEn }
}`;

const COMPARATORS = { ">=": "≥", "<=": "≤", "~": "≈", ">": ">", "<": "<", "=": "=" };

// Counts carry no unit word; shares keep their %.
const unitText = (unit) => (unit === "%" ? "%" : unit && unit !== "count" ? ` ${unit}` : "");

export function targetText(tr, row) {
  return `${COMPARATORS[row.comparator] ?? row.comparator} ${tr.number(row.target)}${unitText(row.unit)}`;
}

// A reported value says how old it is: the figure's date, and a warning when it is from a
// year before the as-of date.
function figureNote(tr, r) {
  if (r.countable || !r.figureAsOf) return null;
  const shown = r.document && r.figureSource ? `${r.figureSource} · ` : "";
  return html`<div class="sub figure" data-figure-as-of=${r.figureAsOf} data-stale=${String(!!r.figureStale)}>
    ${shown}${tr.t("figure.of", { date: tr.date(r.figureAsOf) })}${r.figureStale
      ? html` · <strong class="stale">${tr.t("figure.stale", { year: r.figureAsOf.slice(0, 4) })}</strong>`
      : null}</div>`;
}


const withUnit = (tr, row, value) => `${tr.number(value)}${row.unit === "%" && value !== null ? "%" : ""}`;

// Under the status, in words: a passed deadline's value on it, or whose target a
// contribution counts toward.
function statusNote(tr, row, areaName) {
  if (row.contribution) {
    return tr.t("targets.contribution", { area: areaName(row.area), scope: areaName(row.scopeArea) });
  }
  if (row.atDeadline !== null && row.atDeadline !== undefined) {
    return tr.t("targets.onDeadline", { date: tr.date(row.judgedOn), value: withUnit(tr, row, row.atDeadline) });
  }
  return null;
}

// The ledger's download: its own query, numbers as numbers, the comparator and the unit in
// columns of their own, the status in the page's words.
export function ledgerExport(tr, filters) {
  const statuses = ["met", "on_track", "behind", "no_data", "missed", "contribution"];
  return {
    query: `query Ledger($asOf: Date, $area: String) { ledger(asOf: $asOf, area: $area) {
      indicatorKey indicator comparator target unit deadline actual progress status area figureSource document { title } } }`,
    variables: { asOf: filters.asOf, area: filters.area || null },
    title: `${tr.t("targets.title")} ${filters.asOf}${filters.area ? " " + filters.area : ""}`,
    headings: {
      indicatorKey: tr.t("indicator"), indicator: tr.t("col.wording"), comparator: tr.t("col.comparator"),
      target: tr.t("target"), unit: tr.t("col.unit"), deadline: tr.t("deadline"), actual: tr.t("actual"),
      progress: tr.t("progress"), status: tr.t("status"), area: tr.t("area"), figureSource: tr.t("source"),
      "document.title": tr.t("doc.title"),
    },
    labels: { indicatorKey: "indicators" },
    values: {
      comparator: COMPARATORS,
      status: Object.fromEntries(statuses.map((k) => [k, tr.status(k)])),
      unit: { count: tr.t("unit.count") },
    },
  };
}

export function TargetsPage({ filters }) {
  const tr = useT();
  const state = useQuery(LEDGER, { asOf: filters.asOf, area: filters.area || null });
  useEffect(() => {
    // the browser test reads this: first time the table was on screen and usable
    if (state.data && !window.__innographReady) {
      window.__innographReady = performance.now();
      document.body.dataset.ready = "true";
    }
  }, [state.data]);
  const areaName = (id) => tr.name((state.data?.areas || []).find((a) => a.id === id)) || id;
  // the lists' last day, when the as-of date is after it (counted values are then unknown)
  const after = (rows) => {
    const until = rows.map((r) => r.dataUntil).find(Boolean);
    return until && filters.asOf > until ? until : null;
  };
  return html`<section aria-labelledby="targets-title">
    <h1 id="targets-title">${tr.t("targets.title")}</h1>
    <${Loaded} state=${state}>${(data) =>
      data.ledger.length === 0
        ? html`<p>${tr.t("targets.none")}</p>`
        : html`
      ${after(data.ledger) && html`<p class="note" data-after-data=${after(data.ledger)}>${tr.t("targets.afterData", { date: tr.date(after(data.ledger)) })}</p>`}
      <${ExportButtons} request=${() => ledgerExport(tr, filters)} />
      <div class="scroll"><table class="ledger">
        <thead><tr>
          <th scope="col">${tr.t("indicator")}</th><th scope="col">${tr.t("target")}</th>
          <th scope="col">${tr.t("deadline")}</th><th scope="col">${tr.t("actual")}</th>
          <th scope="col">${tr.t("progress")}</th><th scope="col">${tr.t("status")}</th>
          <th scope="col">${tr.t("trend")}</th><th scope="col">${tr.t("source")}</th>
        </tr></thead>
        <tbody>${data.ledger.map(
          (r) => html`<tr data-target=${r.targetId} data-indicator=${r.indicatorKey || ""}>
            <th scope="row">${tr.indicator(r)}
              <div class="sub">${r.countable ? tr.t("counted") : tr.t("reported")}</div></th>
            <td class="num">${targetText(tr, r)}</td>
            <td class="num">${r.deadline ?? "–"}</td>
            <td class="num" data-actual=${r.actual ?? ""}>${withUnit(tr, r, r.actual)}</td>
            <td><${ProgressBar} value=${r.progress} label=${`${tr.t("progress")} ${tr.indicator(r)}`} /></td>
            <td><${StatusBadge} status=${r.status} />${statusNote(tr, r, areaName) && html`<div class="sub" data-judged=${r.judgedOn}>${statusNote(tr, r, areaName)}</div>`}
              ${r.atRisk ? html`<div class="sub at-risk" data-at-risk=${r.atRisk}><a href=${href("renewals", null, filters)}>${tr.t("targets.atRisk", { n: tr.number(r.atRisk) })}</a></div>` : null}</td>
            <td><${Sparkline} points=${r.trend} label=${`${tr.t("trend")} ${tr.indicator(r)}`} format=${tr.number} /></td>
            <td>${r.document
              ? html`<a href=${href("document", r.document.id, filters)}>${r.document.title || r.document.id}</a>`
              : r.figureSource || "–"}${figureNote(tr, r)}</td>
          </tr>`,
        )}</tbody>
      </table></div>`}
    <//>
  </section>`;
}
