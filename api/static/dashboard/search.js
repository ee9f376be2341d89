// The header's search: every kind of entity the API's search finds (organisations by name,
// alias, former name, USCC or certificate number; technologies, consortia, group standards),
// each hit with its type and linked to its page.
import { useState } from "preact/hooks";
import { useTypedSearch } from "./gql.js";
import { html } from "./html.js";
import { useT } from "./i18n.js";
import { href } from "./route.js";
import { ErrorBox } from "./ui.js";

const SEARCH = `query SiteSearch($text: String!) {
  search(text: $text, first: 10) { type key label detail matched }
}`;

// The dashboard's page for each type of hit.
const PAGES = { Organization: "org", Consortium: "consortium", GroupStandard: "standard", Technology: "technology" };

function detail(tr, hit) {
  if (!hit.detail) return null;
  if (hit.type === "Organization") return tr.orgKind(hit.detail);
  if (hit.type === "Consortium") return tr.level(hit.detail);
  if (hit.type === "GroupStandard") return tr.standardStatus(hit.detail);
  return hit.detail;
}

export function SiteSearch({ keep }) {
  const tr = useT();
  const [text, setText] = useState("");
  const [hits, setHits] = useState(null);
  const error = useTypedSearch(SEARCH, text, (data) => setHits(data ? data.search : null));
  const close = () => {
    setText("");
    setHits(null);
  };
  return html`<div class="site-search" onKeyDown=${(e) => e.key === "Escape" && close()}>
    <input id="site-search" type="search" autocomplete="off" aria-label=${tr.t("search.label")}
      aria-controls="site-hits" placeholder=${tr.t("search.placeholder")} value=${text}
      onInput=${(e) => setText(e.currentTarget.value)} />
    ${error && html`<${ErrorBox} error=${error} />`}
    ${hits && html`<ul id="site-hits" aria-label=${tr.t("search.label")}>
      ${hits.length === 0 ? html`<li class="sub">${tr.t("search.none")}</li>` : null}
      ${hits.map((h) => {
        const page = PAGES[h.type];
        const sub = [tr.t(`type.${h.type}`), detail(tr, h), h.matched === "uscc" || h.matched === "certificate" ? tr.t(`matched.${h.matched}`) : null]
          .filter(Boolean).join(" · ");
        return html`<li data-type=${h.type} data-key=${h.key}>
          ${page ? html`<a href=${href(page, h.key, keep)} onClick=${close}>${h.label}</a>` : html`<span>${h.label}</span>`}
          <span class="sub">${sub}</span></li>`;
      })}
    </ul>`}
  </div>`;
}
