// A source document and the targets read from it, with the sentence each came from.
import { useQuery } from "../gql.js";
import { html } from "../html.js";
import { useT } from "../i18n.js";
import { globalId } from "../route.js";
import { ErrorBox, Loaded } from "../ui.js";
import { LEDGER, targetText } from "./targets.js";

const DOCUMENT = `query Doc($id: ID!) { node(id: $id) { ... on Document { key title url lang sha256 targets
  provenance { source extractor } } } }`;


export function DocumentPage({ docKey, filters }) {
  const tr = useT();
  const doc = useQuery(DOCUMENT, { id: globalId("Document", docKey) });
  const ledger = useQuery(LEDGER, { asOf: filters.asOf, area: filters.area || null });
  return html`<${Loaded} state=${doc}>${(data) => {
    const d = data.node;
    if (!d) return html`<${ErrorBox} error=${new Error(`${tr.t("doc.title")}: ${docKey}?`)} />`;
    const rows = (ledger.data?.ledger || []).filter((r) => r.document && r.document.id === d.key);
    return html`<article aria-labelledby="doc-title" data-doc=${d.key}>
      <h1 id="doc-title">${d.title || d.key}</h1>
      <dl class="facts">
        <dt>${tr.t("doc.title")}</dt><dd>${d.url ? html`<a href=${d.url} rel="noreferrer">${d.url}</a>` : d.key}</dd>
        <dt>${tr.t("doc.sha256")}</dt><dd class="mono">${d.sha256 || "–"}</dd>
        <dt>${tr.t("org.provenance")}</dt><dd>${d.provenance.extractor ? tr.extractor(d.provenance.extractor) : d.provenance.source}</dd>
      </dl>
      <h2>${tr.t("doc.targets")} (${d.targets})</h2>
      <${Loaded} state=${ledger}>${() => html`<ul class="evidence">${rows.map((r) => html`<li>
        <strong>${tr.indicator(r)}</strong>: ${targetText(tr, r)} (${r.deadline ?? "–"})
        <blockquote lang=${d.lang || undefined}>${r.evidence || "–"}</blockquote></li>`)}</ul>`}<//>
    </article>`;
  }}<//>`;
}
