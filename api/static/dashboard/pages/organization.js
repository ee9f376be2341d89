// Everything the registry knows about one organisation, each fact with where it came from.
import { useQuery } from "../gql.js";
import { html } from "../html.js";
import { useT } from "../i18n.js";
import { href } from "../route.js";
import { ErrorBox, Loaded } from "../ui.js";

export const ORGANIZATION = `query Org($key: String!, $asOf: Date) {
  organization(id: $key, asOf: $asOf) {
    key name nameZh nameEn uscc kind status aliases formerNames region synthetic
    formerNamesDated { name until }
    areas { id nameZh nameEn }
    technologies { id nameZh nameEn provenance { source row sources } }
    recognitions { id kind level certNo grantedOn validFrom validTo batch issuer valid
      provenance { source row sources } }
    memberships { role since until current inheritedFrom consortium { id name level } provenance { source row } }
    standards { code titleZh status publishedOn role inForce provenance { source row sources } }
    mergedInto { key name }
    merged { key name uscc }
    provenance { source row sources extractor confidence }
  }
}`;

function Prov({ p }) {
  const tr = useT();
  if (!p || !p.source) return null;
  const src = `${p.source}${p.row !== null && p.row !== undefined ? ` #${p.row}` : ""}`;
  const more = (p.sources || []).filter((s) => s !== p.source);
  // the source's name is an identifier, not a word to translate
  return html`<span class="prov" title=${[p.source, ...more].join("\n")}>${tr.t("provenanceOf")}<span translate=${false}>${src}</span>${more.length ? ` (+${more.length})` : ""}</span>`;
}

// a fact read from a text is not certain; one from a list is (no need to say so)
const confidence = (tr, c) => (c === null || c === undefined || c >= 1 ? "" : ` · ${tr.t("confidence", { pct: Math.round(c * 100) })}`);

// each former name with the day it stopped being the name, where the registry knows it
const formerNames = (o, tr) =>
  (o.formerNamesDated || []).map((f) => (f.until ? tr.t("org.formerUntil", { name: f.name, date: tr.date(f.until) }) : f.name));

const list = (items, tr) => (items && items.length ? tr.join(items) : tr.t("none"));

const JOIN = `query Join($key: String!, $asOf: Date) { consortiaToJoin(organization: $key, asOf: $asOf, first: 5) {
  consortium { id name level } lead { key name } technologies { id nameZh nameEn } members score
  reasons { kind text textZh } } }`;
const DRAFTERS = `query Drafters($key: String!, $asOf: Date) { standardDrafters(organization: $key, asOf: $asOf, perTechnology: 5) {
  technology { id nameZh nameEn } total drafters { organization { key name } standards itself } } }`;

// Consortia on the firm's technologies it is not in, the closest first, with the reasons.
function ToJoin({ orgKey, filters }) {
  const tr = useT();
  const state = useQuery(JOIN, { key: orgKey, asOf: filters.asOf });
  return html`<section aria-labelledby="join-title"><h2 id="join-title">${tr.t("join.title")}</h2>
    <p class="hint">${tr.t("join.hint")}</p>
    <${Loaded} state=${state}>${(data) => data.consortiaToJoin.length === 0 ? html`<p>${tr.t("none")}</p>`
      : html`<ol class="to-join">${data.consortiaToJoin.map((c) => html`<li data-consortium=${c.consortium.id} data-score=${c.score}>
        <a href=${href("consortium", c.consortium.id, filters)}>${c.consortium.name}</a>${" "}
        <span class="sub">${tr.level(c.consortium.level)} · ${tr.t("join.members", { n: tr.number(c.members) })}${c.lead ? ` · ${tr.t("cons.lead")}${tr.t("colon")}${c.lead.name}` : ""} · ${tr.t("score")} ${tr.number(c.score)}</span>
        <ul class="reasons">${c.reasons.map((r) => html`<li data-kind=${r.kind}>${tr.lang === "en" ? r.text : r.textZh}</li>`)}</ul></li>`)}</ol>`}<//>
  </section>`;
}

// Per technology of the firm: who drafted the most standards in force in it.
function Drafters({ orgKey, filters }) {
  const tr = useT();
  const state = useQuery(DRAFTERS, { key: orgKey, asOf: filters.asOf });
  return html`<section aria-labelledby="drafters-title"><h2 id="drafters-title">${tr.t("drafters.title")}</h2>
    <${Loaded} state=${state}>${(data) => html`<dl class="drafters">${data.standardDrafters.map((f) => html`
      <dt><a href=${href("technology", f.technology.id, filters)}>${tr.name(f.technology)}</a></dt>
      <dd data-technology=${f.technology.id}>${f.drafters.length === 0 ? tr.t("drafters.none") : html`<ol>${f.drafters.map((d) => html`<li data-org=${d.organization.key}>
        <a href=${href("org", d.organization.key, filters)}>${d.organization.name}</a>${d.itself ? html` <strong>(${tr.t("drafters.you")})</strong>` : null}${" "}
        <span class="sub">${tr.t("drafters.count", { n: tr.number(d.standards) })}</span></li>`)}</ol>`}</dd>`)}</dl>`}<//>
  </section>`;
}

export function OrganizationPage({ orgKey, filters }) {
  const tr = useT();
  const state = useQuery(ORGANIZATION, { key: orgKey, asOf: filters.asOf });
  return html`<${Loaded} state=${state}>${(data) => {
    const o = data.organization;
    if (!o) return html`<${ErrorBox} error=${new Error(tr.t("org.notFound", { key: orgKey }))} />`;
    return html`<article aria-labelledby="org-title" data-org=${o.key}>
      <h1 id="org-title">${tr.lang === "en" ? o.nameEn || o.name : o.name}</h1>
      ${o.synthetic ? html`<p class="synthetic">${tr.t("org.synthetic")}</p>` : null}
      ${o.mergedInto ? html`<p class="merged" data-merged-into=${o.mergedInto.key}>${tr.t("org.mergedInto")}
        <a href=${href("org", o.mergedInto.key, filters)}>${o.mergedInto.name}</a></p>` : null}
      <p><a href=${href("partners", o.key, filters)}>${tr.t("partners.title")} →</a></p>
      <dl class="facts">
        <dt>${tr.t("org.nameZh")}</dt><dd>${o.nameZh || "–"}</dd>
        <dt>${tr.t("org.nameEn")}</dt><dd>${o.nameEn || "–"}</dd>
        <dt>${tr.t("org.aliases")}</dt><dd>${list(o.aliases, tr)}</dd>
        <dt>${tr.t("org.former")}</dt><dd>${list(formerNames(o, tr), tr)}</dd>
        ${o.merged.length ? html`<dt>${tr.t("org.merged")}</dt><dd data-merged>${o.merged.map((x, i) => html`${i ? tr.t("sep") : ""}<a href=${href("org", x.key, filters)}>${x.name}</a>`)}</dd>` : null}
        <dt>${tr.t("org.uscc")}</dt><dd class="mono">${o.uscc || "–"}</dd>
        <dt>${tr.t("org.kind")}</dt><dd>${tr.orgKind(o.kind)}</dd>
        <dt>${tr.t("org.status")}</dt><dd>${tr.orgStatus(o.status)}</dd>
        <dt>${tr.t("org.areas")}</dt><dd>${list(o.areas.map(tr.name), tr)}</dd>
        <dt>${tr.t("org.technologies")}</dt><dd>${o.technologies.length === 0 ? tr.t("none")
          : o.technologies.map((x) => html`<span class="fact"><a href=${href("technology", x.id, filters)}>${tr.name(x)}</a><${Prov} p=${x.provenance} /></span>`)}</dd>
        <dt>${tr.t("org.provenance")}</dt><dd><${Prov} p=${o.provenance} />
          ${o.provenance.extractor ? html` · ${tr.extractor(o.provenance.extractor)}${confidence(tr, o.provenance.confidence)}` : null}</dd>
      </dl>
      <h2>${tr.t("org.recognitions")}</h2>
      ${o.recognitions.length === 0 ? html`<p>${tr.t("none")}</p>` : html`<div class="scroll"><table class="recognitions">
        <thead><tr><th scope="col">${tr.t("rec.kind")}</th><th scope="col">${tr.t("rec.level")}</th>
          <th scope="col">${tr.t("rec.cert")}</th><th scope="col">${tr.t("rec.granted")}</th>
          <th scope="col">${tr.t("rec.validity")}</th><th scope="col">${tr.t("rec.valid")}</th>
          <th scope="col">${tr.t("org.provenance")}</th></tr></thead>
        <tbody>${o.recognitions.map((r) => html`<tr data-recognition=${r.kind} data-valid=${String(r.valid)}>
          <td>${tr.recognition(r.kind)}</td><td>${tr.level(r.level)}</td><td class="mono">${r.certNo || "–"}</td>
          <td>${tr.date(r.grantedOn)}</td><td>${tr.date(r.validFrom)} – ${tr.date(r.validTo)}</td>
          <td>${r.valid ? tr.t("yes") : tr.t("no")}</td><td><${Prov} p=${r.provenance} /></td></tr>`)}</tbody>
      </table></div>`}
      <h2>${tr.t("org.memberships")}</h2>
      ${o.memberships.length === 0 ? html`<p>${tr.t("none")}</p>` : html`<ul>${o.memberships.map((m) => html`<li data-current=${String(m.current)} class=${m.current ? "" : "ended"}>
        <a href=${href("consortium", m.consortium.id, filters)}>${m.consortium.name}</a> <span class="sub">${tr.level(m.consortium.level)} · ${tr.t("role")}${tr.t("colon")}${tr.role(m.role)}${m.since ? ` · ${tr.t("since")} ${tr.date(m.since)}` : ""}${m.until ? ` · ${tr.t("until")} ${tr.date(m.until)}` : ""}${m.current ? "" : ` · ${tr.t("org.notCurrent")}`}${m.inheritedFrom ? ` · ${tr.t("org.inherited")}` : ""}</span>
        <${Prov} p=${m.provenance} /></li>`)}</ul>`}
      <h2>${tr.t("org.standards")}</h2>
      ${o.standards.length === 0 ? html`<p>${tr.t("none")}</p>` : html`<ul>${o.standards.map((s) => html`<li>
        <a href=${href("standard", s.code, filters)}><span class="mono">${s.code}</span> ${s.titleZh}</a> <span class="sub">${s.status ? `${tr.standardStatus(s.status)} · ` : ""}${tr.date(s.publishedOn)}${s.inForce ? "" : ` · ${tr.t("org.notInForce")}`}</span>
        <${Prov} p=${s.provenance} /></li>`)}</ul>`}
      ${o.technologies.length ? html`<${ToJoin} orgKey=${o.key} filters=${filters} /><${Drafters} orgKey=${o.key} filters=${filters} />` : null}
    </article>`;
  }}<//>`;
}
