// A firm finds its name (typeahead, zh/en, aliases, former names) and gets ranked partners
// with the reasons in words and a graph of the evidence paths.
import { useRef, useState } from "preact/hooks";
import { EvidenceGraph } from "../charts.js";
import { useQuery, useTypedSearch } from "../gql.js";
import { html } from "../html.js";
import { useT } from "../i18n.js";
import { href, navigate } from "../route.js";
import { ErrorBox, Loaded } from "../ui.js";

const SEARCH = `query Search($text: String!) { search(text: $text, first: 10) { type key label detail } }`;

export const PARTNERS = `query Partners($org: String!, $technology: String, $asOf: Date) {
  organization(id: $org, asOf: $asOf) { key name nameZh nameEn }
  partners(organization: $org, technology: $technology, asOf: $asOf, first: 10) {
    key name nameEn kind score reasons { kind viaId viaZh viaEn weight text textZh }
  }
}`;

const TECHNOLOGIES = `{ technologies(first: 100) { edges { node { key nameZh nameEn inPlan } } } }`;

function Typeahead({ onPick }) {
  const tr = useT();
  const [text, setText] = useState("");
  const [hits, setHits] = useState([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const picked = useRef(null);
  // its own label, once picked, needs no new search
  const error = useTypedSearch(
    SEARCH,
    text,
    (data) => {
      if (!data) {
        setHits([]);
        return;
      }
      setHits(data.search.filter((h) => h.type === "Organization"));
      setActive(-1);
      setOpen(true);
    },
    text === picked.current,
  );
  const pick = (hit) => {
    picked.current = hit.label; // its own label needs no new search
    setOpen(false);
    setText(hit.label);
    onPick(hit);
  };
  const onKey = (e) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(hits.length - 1, a + 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === "Enter" && open && hits.length) {
      e.preventDefault();
      pick(hits[Math.max(0, active)]);
    } else if (e.key === "Escape") {
      setOpen(false);
    }
  };
  return html`<div class="typeahead">
    <label for="org-search">${tr.t("partners.search")}</label>
    <input id="org-search" type="search" role="combobox" autocomplete="off"
      aria-autocomplete="list" aria-expanded=${open && hits.length > 0} aria-controls="org-hits"
      aria-activedescendant=${active >= 0 ? `hit-${active}` : undefined}
      placeholder=${tr.t("partners.placeholder")} value=${text}
      onInput=${(e) => setText(e.currentTarget.value)} onKeyDown=${onKey} />
    ${error && html`<${ErrorBox} error=${error} />`}
    ${open && text.trim() && html`<ul id="org-hits" role="listbox" aria-label=${tr.t("partners.search")}>
      ${hits.length === 0 ? html`<li class="sub">${tr.t("partners.noHits")}</li>` : null}
      ${hits.map((h, i) => html`<li id=${`hit-${i}`} role="option" aria-selected=${i === active}
          class=${i === active ? "active" : ""} data-key=${h.key}
          onMouseDown=${(e) => { e.preventDefault(); pick(h); }}>
        ${h.label} ${h.detail ? html`<span class="sub">${tr.orgKind(h.detail)}</span>` : null}</li>`)}
    </ul>`}
  </div>`;
}

const partnerName = (p, tr) => (tr.lang === "en" && p.nameEn) || p.name;

function graphElements(me, partners, tr) {
  const nodes = new Map([["me", { data: { id: "me", label: tr.lang === "en" ? me.nameEn || me.name : me.name, kind: "me" } }]]);
  const edges = new Map();
  const edge = (source, target) => edges.set(`${source}>${target}`, { data: { id: `${source}>${target}`, source, target } });
  for (const p of partners) {
    const pid = `p:${p.key}`;
    nodes.set(pid, { data: { id: pid, label: partnerName(p, tr), kind: "partner", key: p.key } });
    for (const r of p.reasons) {
      if (r.kind === "recognition") continue;
      const vid = `${r.kind === "complementary" ? "technology" : r.kind}:${r.viaId}`;
      if (!nodes.has(vid)) nodes.set(vid, { data: { id: vid, label: tr.lang === "zh" ? r.viaZh : r.viaEn, kind: r.kind } });
      if (r.kind !== "complementary") edge("me", vid);
      edge(vid, pid);
    }
  }
  return [...nodes.values(), ...edges.values()];
}

function Suggestions({ orgKey, filters, technology }) {
  const tr = useT();
  const state = useQuery(PARTNERS, { org: orgKey, technology: technology || null, asOf: filters.asOf });
  return html`<${Loaded} state=${state}>${(data) => {
    if (!data.organization) return html`<${ErrorBox} error=${new Error(tr.t("org.notFound", { key: orgKey }))} />`;
    const me = data.organization;
    return html`<h2>${tr.t("partners.for", { name: tr.lang === "en" ? me.nameEn || me.name : me.name })}</h2>
      ${data.partners.length === 0 ? html`<p>${tr.t("partners.none")}</p>` : html`
      <ol class="partners">${data.partners.map((p) => html`<li data-partner=${p.key}>
        <a href=${href("org", p.key, filters)}>${partnerName(p, tr)}</a>${p.kind ? html` <span class="sub">${tr.orgKind(p.kind)}</span>` : null}
        <span class="score">${tr.t("score")} ${tr.number(p.score)}</span>
        <ul class="reasons">${p.reasons.map((r) => html`<li data-reason=${r.kind} data-weight=${r.weight}><span class="why">${tr.lang === "zh" ? r.textZh : r.text}</span> <span class="sub weight">+${tr.number(r.weight)}</span></li>`)}</ul>
      </li>`)}</ol>
      <h2>${tr.t("partners.graph")}</h2>
      <${EvidenceGraph} elements=${graphElements(me, data.partners, tr)} label=${tr.t("partners.graph")}
        onNode=${(d) => d.kind === "partner" && navigate("org", d.key, filters)} />`}`;
  }}<//>`;
}

export function PartnersPage({ orgKey, filters }) {
  const tr = useT();
  const techs = useQuery(TECHNOLOGIES, {});
  const technology = filters.technology || "";
  const setTechnology = (value) => navigate("partners", orgKey, { ...filters, technology: value });
  return html`<section aria-labelledby="partners-title">
    <h1 id="partners-title">${tr.t("partners.title")}</h1>
    <div class="controls">
      <${Typeahead} onPick=${(hit) => navigate("partners", hit.key, filters)} />
      <label>${tr.t("partners.technology")}
        <select value=${technology} onChange=${(e) => setTechnology(e.currentTarget.value)}>
          <option value="">${tr.t("partners.anyTech")}</option>
          ${(techs.data?.technologies.edges || []).map(({ node }) => html`<option value=${node.key}>${tr.name(node)}</option>`)}
        </select></label>
    </div>
    ${orgKey && html`<${Suggestions} orgKey=${orgKey} filters=${filters} technology=${technology} />`}
  </section>`;
}
