// Calls to the server's JSON API. Every failure becomes an ApiError carrying the server's message.

const TOKEN_KEY = "digiscript.token";
const BASE = "/api/v1";

export class ApiError extends Error {
  constructor(message, status, data = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    // The whole answer, for refusals that carry more than a message (an import's bad lines).
    this.data = data;
  }
}

export function getToken() {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token) {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

// Called when a request made with a token is refused as unauthenticated (expired or revoked).
let onUnauthorized = () => {};
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

export async function request(method, path, body, { auth = true, contentType = null } = {}) {
  const headers = {};
  const token = auth ? getToken() : null;
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, cache: "no-store" };
  if (body !== undefined && contentType) {
    // Sent as it is (a CSV file).
    headers["Content-Type"] = contentType;
    init.body = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    // Paths are under /api/v1 unless given in full (/api/v2/users).
    response = await fetch(path.startsWith("/api/") ? path : BASE + path, init);
  } catch {
    throw new ApiError("Cannot reach the server. Check the connection and try again.", 0);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const message =
      data && typeof data.message === "string"
        ? data.message
        : `The server answered ${response.status} ${response.statusText}`.trim();
    const error = new ApiError(message, response.status, data);
    if (response.status === 401 && token) onUnauthorized(error);
    throw error;
  }
  return data ?? {};
}

export const api = {
  get: (path, options) => request("GET", path, undefined, options),
  post: (path, body = {}, options) => request("POST", path, body, options),
  patch: (path, body = {}, options) => request("PATCH", path, body, options),
  put: (path, body = {}, options) => request("PUT", path, body, options),
  delete: (path, options) => request("DELETE", path, undefined, options),
};
