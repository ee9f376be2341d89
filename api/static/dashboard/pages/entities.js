// The pages of a consortium, a group standard and a technology: names, never keys, each
// related entity linked to its own page.
import { useQuery } from "../gql.js";
import { html } from "../html.js";
import { useT } from "../i18n.js";
import { globalId, href } from "../route.js";
import { ErrorBox, Loaded } from "../ui.js";
import { coverageColumns, keysOf } from "../vocabulary.js";


const CONSORTIUM = `query Consortium($id: ID!, $asOf: Date) { node(id: $id, asOf: $asOf) { ... on Consortium {
  key name level establishedOn techFields technologyTerms { id nameZh nameEn }
  lead { key name } members { key name role since until } provenance { source row sources } } } }`;

const STANDARD = `query Standard($id: ID!, $asOf: Date) { node(id: $id, asOf: $asOf) { ... on GroupStandard {
  code titleZh titleEn status publishedOn effectiveOn ics issuer draftedBy { key name }
  technologyTerms { id nameZh nameEn } provenance { source row sources } } } }`;

const TECHNOLOGY = `query Technology($id: ID!) { node(id: $id) { ... on Technology {
  key nameZh nameEn aliases inPlan broaderTerms { id nameZh nameEn } narrowerTerms { id nameZh nameEn } provenance { source row sources } } } }`;

// who works on a technology, by organisation kind (the vocabulary's five): a count and the
// first names of each, in one request
const WORKERS = `query Workers($t: String, $asOf: Date, $k0: String, $k1: String, $k2: String, $k3: String, $k4: String) {
  k0: organizations(technology: $t, kind: $k0, asOf: $asOf, first: 8) { totalCount edges { node { key name } } }
  k1: organizations(technology: $t, kind: $k1, asOf: $asOf, first: 8) { totalCount edges { node { key name } } }
  k2: organizations(technology: $t, kind: $k2, asOf: $asOf, first: 8) { totalCount edges { node { key name } } }
  k3: organizations(technology: $t, kind: $k3, asOf: $asOf, first: 8) { totalCount edges { node { key name } } }
  k4: organizations(technology: $t, kind: $k4, asOf: $asOf, first: 8) { totalCount edges { node { key name } } }
}`;

// the technology's coverage on 31 December of the five years before the as-of date's, and on it
const COVERAGE_OVER_TIME = () => `query CoverageOverTime($t: [String!], $d0: Date, $d1: Date, $d2: Date, $d3: Date, $d4: Date, $d5: Date) {
  y0: coverage(asOf: $d0, technologies: $t) { ${coverageColumns().map((c) => c.field).join(" ")} }
  y1: coverage(asOf: $d1, technologies: $t) { ${coverageColumns().map((c) => c.field).join(" ")} }
  y2: coverage(asOf: $d2, technologies: $t) { ${coverageColumns().map((c) => c.field).join(" ")} }
  y3: coverage(asOf: $d3, technologies: $t) { ${coverageColumns().map((c) => c.field).join(" ")} }
  y4: coverage(asOf: $d4, technologies: $t) { ${coverageColumns().map((c) => c.field).join(" ")} }
  y5: coverage(asOf: $d5, technologies: $t) { ${coverageColumns().map((c) => c.field).join(" ")} }
}`;

const techLink = (tr, t, filters) => html`<a href=${href("technology", t.id, filters)}>${tr.name(t)}</a>`;
const orgLink = (o, filters) => html`<a href=${href("org", o.key, filters)}>${o.name}</a>`;
const links = (tr, items, link) => (items.length ? items.map((x, i) => html`${i ? tr.t("sep") : ""}${link(x)}`) : tr.t("none"));

function Prov({ p }) {
  const tr = useT();
  if (!p || !p.source) return null;
  return html`<span class="prov">${tr.t("provenanceOf")}<span translate=${false}>${p.source}${p.row ? ` #${p.row}` : ""}</span></span>`;
}

function Missing({ what, keyText }) {
  const tr = useT();
  return html`<${ErrorBox} error=${new Error(tr.t("entity.notFound", { what: tr.t(what), key: keyText }))} />`;
}

export function ConsortiumPage({ entityKey, filters }) {
  const tr = useT();
  const state = useQuery(CONSORTIUM, { id: globalId("Consortium", entityKey), asOf: filters.asOf });
  return html`<${Loaded} state=${state}>${(data) => {
    const c = data.node;
    if (!c) return html`<${Missing} what="type.Consortium" keyText=${entityKey} />`;
    return html`<article aria-labelledby="entity-title" data-consortium=${c.key}>
      <p class="sub">${tr.t("type.Consortium")}</p>
      <h1 id="entity-title">${c.name}</h1>
      <dl class="facts">
        <dt>${tr.t("rec.level")}</dt><dd>${tr.level(c.level)}</dd>
        <dt>${tr.t("cons.established")}</dt><dd>${tr.date(c.establishedOn)}</dd>
        <dt>${tr.t("cons.lead")}</dt><dd data-lead=${c.lead?.key || ""}>${c.lead ? orgLink(c.lead, filters) : "–"}</dd>
        <dt>${tr.t("org.technologies")}</dt><dd>${links(tr, c.technologyTerms, (t) => techLink(tr, t, filters))}</dd>
        <dt>${tr.t("org.provenance")}</dt><dd><${Prov} p=${c.provenance} /></dd>
      </dl>
      <h2>${tr.t("cons.members")} (${tr.number(c.members.length)})</h2>
      <div class="scroll"><table class="members">
        <thead><tr><th scope="col">${tr.t("org.names")}</th><th scope="col">${tr.t("role")}</th>
          <th scope="col">${tr.t("since")}</th><th scope="col">${tr.t("until")}</th></tr></thead>
        <tbody>${c.members.map((m) => html`<tr data-member=${m.key}><td>${orgLink(m, filters)}</td><td>${tr.role(m.role)}</td>
          <td>${tr.date(m.since)}</td><td>${tr.date(m.until)}</td></tr>`)}</tbody>
      </table></div>
    </article>`;
  }}<//>`;
}

export function StandardPage({ entityKey, filters }) {
  const tr = useT();
  const state = useQuery(STANDARD, { id: globalId("GroupStandard", entityKey), asOf: filters.asOf });
  return html`<${Loaded} state=${state}>${(data) => {
    const s = data.node;
    if (!s) return html`<${Missing} what="type.GroupStandard" keyText=${entityKey} />`;
    const title = (tr.lang === "en" ? s.titleEn || s.titleZh : s.titleZh || s.titleEn) || "";
    return html`<article aria-labelledby="entity-title" data-standard=${s.code}>
      <p class="sub">${tr.t("type.GroupStandard")} · <span class="mono">${s.code}</span></p>
      <h1 id="entity-title">${title}</h1>
      <dl class="facts">
        <dt>${tr.t("status")}</dt><dd>${tr.standardStatus(s.status)}</dd>
        <dt>${tr.t("std.issuer")}</dt><dd>${s.issuer || "–"}</dd>
        <dt>${tr.t("std.published")}</dt><dd>${tr.date(s.publishedOn)}</dd>
        <dt>${tr.t("std.effective")}</dt><dd>${tr.date(s.effectiveOn)}</dd>
        <dt>${tr.t("std.drafters")}</dt><dd data-drafters=${s.draftedBy.length}>${links(tr, s.draftedBy, (o) => orgLink(o, filters))}</dd>
        <dt>${tr.t("org.technologies")}</dt><dd>${links(tr, s.technologyTerms, (t) => techLink(tr, t, filters))}</dd>
        <dt>${tr.t("org.provenance")}</dt><dd><${Prov} p=${s.provenance} /></dd>
      </dl>
    </article>`;
  }}<//>`;
}

function Workers({ tech, filters }) {
  const tr = useT();
  const kinds = keysOf("organizationKinds").slice(0, 5);
  const state = useQuery(WORKERS, { t: tech, asOf: filters.asOf, ...Object.fromEntries(kinds.map((k, i) => [`k${i}`, k])) });
  return html`<${Loaded} state=${state}>${(data) => html`<div class="scroll"><table class="workers">
    <thead><tr><th scope="col">${tr.t("org.kind")}</th><th scope="col">${tr.t("tech.count")}</th><th scope="col">${tr.t("tech.some")}</th></tr></thead>
    <tbody>${kinds.map((k, i) => {
      const page = data[`k${i}`];
      return html`<tr data-kind=${k}><th scope="row">${tr.orgKind(k)}</th><td class="num" data-count=${page.totalCount}>${tr.number(page.totalCount)}</td>
        <td>${links(tr, page.edges.map((e) => e.node), (o) => orgLink(o, filters))}</td></tr>`;
    })}</tbody></table></div>`}<//>`;
}

function CoverageOverTime({ tech, filters }) {
  const tr = useT();
  const year = Number(filters.asOf.slice(0, 4));
  const days = [...Array.from({ length: 5 }, (_, i) => `${year - 5 + i}-12-31`), filters.asOf];
  const state = useQuery(COVERAGE_OVER_TIME(), { t: [tech], ...Object.fromEntries(days.map((d, i) => [`d${i}`, d])) });
  const columns = coverageColumns();
  return html`<${Loaded} state=${state}>${(data) => html`<div class="scroll"><table class="coverage-time">
    <thead><tr><th scope="col">${tr.t("asOf")}</th>${columns.map((c) => html`<th scope="col">${tr.column(c.key)}</th>`)}</tr></thead>
    <tbody>${days.map((d, i) => html`<tr data-day=${d}><th scope="row">${tr.date(d)}</th>
      ${columns.map((c) => html`<td class="num">${tr.number(data[`y${i}`][0]?.[c.field] ?? null)}</td>`)}</tr>`)}</tbody>
  </table></div>`}<//>`;
}

export function TechnologyPage({ entityKey, filters }) {
  const tr = useT();
  const state = useQuery(TECHNOLOGY, { id: globalId("Technology", entityKey) });
  return html`<${Loaded} state=${state}>${(data) => {
    const t = data.node;
    if (!t) return html`<${Missing} what="type.Technology" keyText=${entityKey} />`;
    return html`<article aria-labelledby="entity-title" data-technology=${t.key}>
      <p class="sub">${tr.t("type.Technology")}${t.inPlan ? ` · ${tr.t("tech.inPlan")}` : ""}</p>
      <h1 id="entity-title">${tr.name({ id: t.key, nameZh: t.nameZh, nameEn: t.nameEn })}</h1>
      <dl class="facts">
        <dt>${tr.lang === "en" ? tr.t("org.nameZh") : tr.t("org.nameEn")}</dt><dd>${(tr.lang === "en" ? t.nameZh : t.nameEn) || "–"}</dd>
        <dt>${tr.t("org.aliases")}</dt><dd>${t.aliases.length ? tr.join(t.aliases) : tr.t("none")}</dd>
        <dt>${tr.t("tech.broader")}</dt><dd>${links(tr, t.broaderTerms, (x) => techLink(tr, x, filters))}</dd>
        <dt>${tr.t("narrower")}</dt><dd>${links(tr, t.narrowerTerms, (x) => techLink(tr, x, filters))}</dd>
      </dl>
      <h2>${tr.t("tech.workers")}</h2>
      <${Workers} tech=${t.key} filters=${filters} />
      <h2>${tr.t("tech.overTime")}</h2>
      <${CoverageOverTime} tech=${t.key} filters=${filters} />
    </article>`;
  }}<//>`;
}
