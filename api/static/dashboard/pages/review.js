// The bureau's review queue: pairs the loader was unsure were one organisation. Keyboard:
// j / ↓ next pair, k / ↑ previous, s same organisation, d distinct; the reason applies to
// each decision. Reading and deciding need a bureau key (kept for this tab only).
import { useEffect, useRef, useState } from "preact/hooks";
import { apiKey, gql, setApiKey, useQuery } from "../gql.js";
import { html } from "../html.js";
import { useT } from "../i18n.js";
import { href } from "../route.js";
import { ErrorBox, Loaded } from "../ui.js";

const PAGE = 50;
const QUEUE = `query Queue($first: Int!) { reviewQueue(first: $first) {
  totalCount edges { node { id key score evidence source row
    organization { key name uscc kind sources row } candidate { key name uscc kind sources row } } } } }`;
const DECIDE = `mutation Decide($item: String!, $decision: ReviewDecision!, $reason: String!) {
  decideReview(item: $item, decision: $decision, reason: $reason) { changed } }`;

function KeyForm({ onKey }) {
  const tr = useT();
  const [value, setValue] = useState("");
  return html`<form class="key-form" onSubmit=${(e) => { e.preventDefault(); setApiKey(value); onKey(apiKey()); }}>
    <label>${tr.t("review.key")} <input type="password" name="key" autocomplete="off" value=${value}
      onInput=${(e) => setValue(e.currentTarget.value)} /></label>
    <button type="submit">${tr.t("review.useKey")}</button>
    <p class="hint">${tr.t("review.keyHint")}</p>
  </form>`;
}

function Entry({ e, filters, label }) {
  const tr = useT();
  return html`<div class="entry"><h3>${label}</h3>
    <p><a href=${href("org", e.key, filters)}>${e.name}</a></p>
    <dl class="facts">
      <dt>${tr.t("org.uscc")}</dt><dd class="mono">${e.uscc || "–"}</dd>
      <dt>${tr.t("org.kind")}</dt><dd>${tr.orgKind(e.kind)}</dd>
      <dt>${tr.t("source")}</dt><dd><span translate=${false}>${tr.join(e.sources)}</span>${e.row ? ` #${e.row}` : ""}</dd>
    </dl></div>`;
}

function Queue({ data, filters, onDone }) {
  const tr = useT();
  const [items, setItems] = useState(data.reviewQueue.edges.map((x) => x.node));
  const [at, setAt] = useState(0);
  const [reason, setReason] = useState(tr.t("review.defaultReason"));
  const [said, setSaid] = useState(null);
  const [error, setError] = useState(null);
  const refs = useRef([]);
  useEffect(() => refs.current[at]?.focus(), [at, items.length]);
  const decide = async (index, decision) => {
    const item = items[index];
    if (!item || !reason.trim()) return;
    setError(null);
    try {
      await gql(DECIDE, { item: item.key, decision, reason });
      setItems((xs) => xs.filter((x) => x.key !== item.key));
      setAt((i) => Math.min(i, items.length - 2));
      setSaid(tr.t(decision === "SAME" ? "review.merged" : "review.kept", { a: item.organization.name, b: item.candidate.name }));
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  const onKey = (e) => {
    if (e.target.tagName === "INPUT" || e.altKey || e.ctrlKey || e.metaKey) return;
    const k = e.key.toLowerCase();
    if (k === "j" || k === "arrowdown") setAt((i) => Math.min(i + 1, items.length - 1));
    else if (k === "k" || k === "arrowup") setAt((i) => Math.max(i - 1, 0));
    else if (k === "s") decide(at, "SAME");
    else if (k === "d") decide(at, "DISTINCT");
    else return;
    e.preventDefault();
  };
  return html`<div onKeyDown=${onKey}>
    <label class="reason">${tr.t("review.reason")} <input name="reason" value=${reason} required
      onInput=${(e) => setReason(e.currentTarget.value)} /></label>
    <p class="hint">${tr.t("review.keys")}</p>
    <p class="sub" role="status" aria-live="polite" data-left=${items.length}>${said ? `${said} · ` : ""}${tr.t("review.left", { n: tr.number(items.length), total: tr.number(data.reviewQueue.totalCount) })}</p>
    ${error ? html`<${ErrorBox} error=${error} />` : null}
    ${items.length === 0 ? html`<p class="done">${tr.t("review.empty")}</p>` : null}
    <ol class="review">${items.map((item, i) => html`<li key=${item.key} tabindex="0" data-item=${item.key}
        ref=${(el) => { refs.current[i] = el; }} aria-current=${i === at ? "true" : undefined} onFocus=${() => setAt(i)}>
      <p class="score"><strong>${tr.t("review.score", { score: item.score.toFixed(1) })}</strong>${" "}
        <span class="sub">${tr.t("review.thresholds")} · ${tr.t("review.raisedBy", { source: item.source, row: item.row ?? "–" })}</span></p>
      <div class="pair">
        <${Entry} e=${item.organization} filters=${filters} label=${tr.t("review.new")} />
        <${Entry} e=${item.candidate} filters=${filters} label=${tr.t("review.existing")} />
      </div>
      <div class="actions">
        <button type="button" data-decide="SAME" onClick=${() => decide(i, "SAME")}><kbd>S</kbd> ${tr.t("review.same")}</button>
        <button type="button" data-decide="DISTINCT" onClick=${() => decide(i, "DISTINCT")}><kbd>D</kbd> ${tr.t("review.distinct")}</button>
      </div></li>`)}</ol>
  </div>`;
}

export function ReviewPage({ filters }) {
  const tr = useT();
  const [key, setKey] = useState(apiKey());
  const [, setDone] = useState(0);
  const state = useQuery(QUEUE, { first: PAGE }, !key);
  return html`<section aria-labelledby="review-title">
    <h1 id="review-title">${tr.t("review.title")}</h1>
    <p class="hint">${tr.t("review.hint")}</p>
    ${key
      ? html`<p><button type="button" class="link" onClick=${() => { setApiKey(""); setKey(""); }}>${tr.t("review.forgetKey")}</button></p>
        <${Loaded} state=${state}>${(data) => html`<${Queue} data=${data} filters=${filters} onDone=${() => setDone((n) => n + 1)} />`}<//>`
      : html`<${KeyForm} onKey=${setKey} />`}
  </section>`;
}
