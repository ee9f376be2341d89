// Small shared pieces: spinner, error box, status badge, progress bar, export buttons.
import { useState } from "preact/hooks";
import { html } from "./html.js";
import { useT } from "./i18n.js";

export function Spinner({ label }) {
  const tr = useT();
  return html`<div class="spinner" role="status" aria-live="polite">
    <span class="spin" aria-hidden="true"></span>${label || tr.t("loading")}
  </div>`;
}

export function ErrorBox({ error, onRetry }) {
  const tr = useT();
  return html`<div class="error" role="alert">
    <strong>${tr.t("error")}:</strong> ${error.message || String(error)}
    ${onRetry && html` <button type="button" onClick=${onRetry}>${tr.t("retry")}</button>`}
  </div>`;
}

// The usual frame of a view: a spinner while loading, the error in words, else the content.
export function Loaded({ state, children }) {
  if (state.error) return html`<${ErrorBox} error=${state.error} />`;
  if (!state.data) return html`<${Spinner} />`;
  return html`${state.loading ? html`<${Spinner} />` : null}${children(state.data)}`;
}

export function StatusBadge({ status }) {
  const tr = useT();
  return html`<span class=${`badge status-${status}`}>${tr.status(status)}</span>`;
}

export function ProgressBar({ value, label }) {
  const pct = value === null || value === undefined ? null : Math.max(0, Math.min(1, value)) * 100;
  return html`<div class="progress" role="progressbar" aria-label=${label}
      aria-valuemin="0" aria-valuemax="100" aria-valuenow=${pct === null ? undefined : Math.round(pct)}>
    <div class="bar" style=${`width:${pct ?? 0}%`}></div>
    <span class="pct">${pct === null ? "–" : `${Math.round(pct)}%`}</span>
  </div>`;
}

// A download: the page's own query goes to the server, which walks every page of its list
// and sends the whole of it as a file ({query, variables, title, headings, labels, values};
// the language is added here). The older form posts a table as shown ({title, columns, rows}).
export async function download(format, body, lang) {
  const response = await fetch(`/export/${format}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body.query ? { lang, ...body } : body),
  });
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}));
    throw new Error(answer.error || `HTTP ${response.status}`);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `${body.title}.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Download buttons for a list: `request` returns the body to post (see download).
export function ExportButtons({ request, table, formats = ["csv", "xlsx"] }) {
  const tr = useT();
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const run = async (format) => {
    setBusy(true);
    setError(null);
    try {
      await download(format, request ? request() : table(), tr.lang);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return html`<div class="exports">
    ${formats.map(
      (f) => html`<button type="button" disabled=${busy} data-export=${f} onClick=${() => run(f)}>
        ${tr.t("download")} ${f.toUpperCase()}</button>`,
    )}
    ${error && html`<span class="error" role="alert">${tr.t("export.failed")}: ${error.message}</span>`}
  </div>`;
}
