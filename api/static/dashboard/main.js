// The dashboard shell: navigation, language, the as-of date and area filters, and the pages.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { gql, useQuery } from "./gql.js";
import { html } from "./html.js";
import { LANGS, LangContext, initialLang, translator } from "./i18n.js";
import { CoveragePage } from "./pages/coverage.js";
import { DocumentPage } from "./pages/document.js";
import { ConsortiumPage, StandardPage, TechnologyPage } from "./pages/entities.js";
import { OrganizationPage } from "./pages/organization.js";
import { PartnersPage } from "./pages/partners.js";
import { RenewalsPage } from "./pages/renewals.js";
import { ReviewPage } from "./pages/review.js";
import { TargetsPage } from "./pages/targets.js";
import { href, navigate, useRoute } from "./route.js";
import { SiteSearch } from "./search.js";
import { ErrorBox } from "./ui.js";
import { loadVocabulary } from "./vocabulary.js";

const AREAS = `{ areas { id nameZh nameEn kind parent } }`;
const today = () => new Date().toISOString().slice(0, 10);
// The default as-of date: today, or the last day the registry's lists cover when that is
// earlier (a later day has no counted values). Read once at start-up with the vocabulary.
let dataUntil = null;
const loadDataUntil = () => gql("query DataUntil { dataUntil }").then((d) => { dataUntil = d.dataUntil; });
const defaultDate = () => (dataUntil && dataUntil < today() ? dataUntil : today());
const NAV = ["targets", "coverage", "partners", "renewals", "review"];

function Filters({ route, filters }) {
  const tr = translator(filters.lang);
  const areas = useQuery(AREAS, {});
  const set = (change) => navigate(route.page, route.key, { ...route.params, ...change });
  return html`<form class="filters" onSubmit=${(e) => e.preventDefault()}>
    <label>${tr.t("asOf")}
      <input type="date" name="asOf" value=${filters.asOf} max="2100-12-31"
        onChange=${(e) => e.currentTarget.value && set({ asOf: e.currentTarget.value })} /></label>
    <label>${tr.t("area")}
      <select name="area" value=${filters.area} onChange=${(e) => set({ area: e.currentTarget.value })}>
        <option value="">${tr.t("allAreas")}</option>
        ${(areas.data?.areas || []).map((a) => html`<option value=${a.id}>${a.parent ? "— " : ""}${tr.name(a)}</option>`)}
      </select></label>
  </form>`;
}

function App() {
  const route = useRoute();
  const [lang, setLang] = useState(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    window.localStorage.setItem("innograph.lang", lang);
  }, [lang]);
  const tr = translator(lang);
  const filters = { asOf: route.params.asOf || defaultDate(), area: route.params.area || "", technology: route.params.technology || "", lang };
  const keep = { asOf: route.params.asOf, area: route.params.area };
  let page;
  switch (route.page) {
    case "coverage":
      page = html`<${CoveragePage} filters=${filters} />`;
      break;
    case "partners":
      page = html`<${PartnersPage} orgKey=${route.key} filters=${filters} />`;
      break;
    case "org":
      page = html`<${OrganizationPage} orgKey=${route.key} filters=${filters} />`;
      break;
    case "renewals":
      page = html`<${RenewalsPage} filters=${filters} kind=${route.params.kind} />`;
      break;
    case "review":
      page = html`<${ReviewPage} filters=${filters} />`;
      break;
    case "consortium":
      page = html`<${ConsortiumPage} entityKey=${route.key} filters=${filters} />`;
      break;
    case "standard":
      page = html`<${StandardPage} entityKey=${route.key} filters=${filters} />`;
      break;
    case "technology":
      page = html`<${TechnologyPage} entityKey=${route.key} filters=${filters} />`;
      break;
    case "document":
      page = html`<${DocumentPage} docKey=${route.key} filters=${filters} />`;
      break;
    default:
      page = html`<${TargetsPage} filters=${filters} />`;
  }
  useEffect(() => {
    document.title = `${tr.t(`nav.${NAV.includes(route.page) ? route.page : "targets"}`)} · ${tr.t("app")}`;
  }, [route.page, lang]);
  return html`<${LangContext.Provider} value=${lang}>
    <header class="top">
      <a class="brand" href=${href("targets", null, keep)}>${tr.t("app")}</a>
      <nav aria-label=${tr.t("page")}>${NAV.map((p) => html`<a href=${href(p, null, keep)}
        aria-current=${route.page === p ? "page" : undefined}>${tr.t(`nav.${p}`)}</a>`)}</nav>
      <${SiteSearch} keep=${keep} />
      <${Filters} route=${route} filters=${filters} />
      <label class="lang">${tr.t("language")}
        <select name="lang" value=${lang} onChange=${(e) => setLang(e.currentTarget.value)}>
          ${Object.entries(LANGS).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
        </select></label>
    </header>
    <main id="main">${page}</main>
    <footer><a href="/graphql">GraphQL API</a></footer>
  <//>`;
}

// The vocabulary first (one small request, with the lists' last day beside it): every page
// labels its values from it.
const root = document.getElementById("root");
Promise.all([loadVocabulary(), loadDataUntil()]).then(
  () => {
    root.textContent = ""; // the boot message goes; preact would keep it beside the app
    render(html`<${App} />`, root);
  },
  (error) => {
    root.textContent = "";
    render(html`<${LangContext.Provider} value=${initialLang()}>
      <${ErrorBox} error=${error} onRetry=${() => window.location.reload()} /><//>`, root);
  },
);
