// Where the user is, kept in the URL hash so every view can be linked and reloaded:
// #/page/key?asOf=2025-12-31&area=fengdong
import { useEffect, useState } from "preact/hooks";

export function parseHash(hash) {
  const [path, query = ""] = hash.replace(/^#\/?/, "").split("?");
  const [page = "targets", ...rest] = path.split("/");
  const params = Object.fromEntries(new URLSearchParams(query));
  return { page: page || "targets", key: rest.length ? decodeURIComponent(rest.join("/")) : null, params };
}

export function href(page, key = null, params = {}) {
  const query = new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== ""),
  ).toString();
  return `#/${page}${key ? "/" + encodeURIComponent(key) : ""}${query ? "?" + query : ""}`;
}

export function useRoute() {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

export function navigate(page, key, params) {
  window.location.hash = href(page, key, params);
}

// Global ids are base64 of "Type:key" (UTF-8), as the API's node(id:) takes them.
export const globalId = (type, key) => btoa(String.fromCharCode(...new TextEncoder().encode(`${type}:${key}`)));
