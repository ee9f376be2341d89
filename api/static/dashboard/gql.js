// The dashboard's only way to the data: POST /graphql.
import { useEffect, useRef, useState } from "preact/hooks";

export class ApiError extends Error {}

// A bureau key the user gave on the review page, for this tab only (sent with every request).
const KEY = "innograph.key";
export const apiKey = () => window.sessionStorage.getItem(KEY) || "";
export const setApiKey = (token) =>
  token ? window.sessionStorage.setItem(KEY, token.trim()) : window.sessionStorage.removeItem(KEY);

export async function gql(query, variables = {}, signal = undefined) {
  let response;
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (apiKey()) headers.Authorization = `Bearer ${apiKey()}`;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(`network: ${e.message}`);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`HTTP ${response.status} ${response.statusText}`);
  }
  if (body.errors && body.errors.length) {
    throw new ApiError(body.errors.map((e) => e.message).join("; "));
  }
  if (!response.ok) throw new ApiError(`HTTP ${response.status}`);
  return body.data;
}

// {data, error, loading} for a query; a newer request aborts the older one.
export function useQuery(query, variables, skip = false) {
  const key = JSON.stringify(variables);
  const [state, setState] = useState({ data: null, error: null, loading: !skip });
  useEffect(() => {
    if (skip) {
      setState({ data: null, error: null, loading: false });
      return undefined;
    }
    const controller = new AbortController();
    setState((s) => ({ data: s.data, error: null, loading: true }));
    // an answer that arrives after a newer request began is dropped: aborting stops only a
    // fetch still in flight, not one whose body was already read
    gql(query, variables, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: null, loading: false });
      },
      (error) => {
        if (error.name !== "AbortError" && !controller.signal.aborted) {
          setState({ data: null, error, loading: false });
        }
      },
    );
    return () => controller.abort();
  }, [query, key, skip]);
  return state;
}

// Search as the user types: asked 150 ms after the last keystroke, each newer text aborting
// the older request. onData gets the answer (null when there is nothing to ask: empty text,
// or skip); the hook returns the last error.
export function useTypedSearch(query, text, onData, skip = false) {
  const [error, setError] = useState(null);
  const controller = useRef(null);
  const handler = useRef(onData);
  handler.current = onData; // the latest closure, without re-running the effect
  useEffect(() => {
    if (skip || !text.trim()) {
      handler.current(null);
      return undefined;
    }
    const timer = setTimeout(() => {
      controller.current?.abort();
      controller.current = new AbortController();
      gql(query, { text }, controller.current.signal).then(
        (data) => {
          handler.current(data);
          setError(null);
        },
        (e) => e.name !== "AbortError" && setError(e),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [query, text, skip]);
  return error;
}
