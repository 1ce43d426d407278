// What the page knows about the server (settings, user, loaded show, sessions, tags) and the
// calls that refresh it. Views read `state` and call `emit()`'s listeners to redraw.

import { api } from "./api.js";
import { setVenueZone } from "./dom.js";

export const ROLE = { READ: 1, WRITE: 2, EXECUTE: 4 };

export const state = {
  settings: null,
  user: null,
  mask: 0,
  show: null,
  sessions: [],
  currentSession: null,
  tags: [],
  revisions: [],
  currentRevision: null,
  shows: [],
  liveStatus: "connecting",
  // The show's structure: null until read, or when this server has no such list.
  acts: null,
  scenes: null,
  cast: null,
  characters: null,
};

export const can = {
  admin: () => Boolean(state.user?.is_admin),
  write: () => (state.mask & ROLE.WRITE) !== 0,
  execute: () => (state.mask & ROLE.EXECUTE) !== 0,
};

const listeners = new Set();
export function subscribe(listener) {
  listeners.add(listener);
}
export function emit() {
  for (const listener of listeners) listener();
}

// Several notices may arrive at once; only the newest answer of each kind is kept, so a slow
// earlier reply never overwrites a fresher one.
const generations = {};
async function latest(kind, load) {
  const generation = (generations[kind] = (generations[kind] ?? 0) + 1);
  const result = await load();
  return generation === generations[kind] ? result : null;
}

// Not generation-checked: callers act on what they read, and every answer is a fresh read.
export async function loadSettings() {
  state.settings = await api.get("/settings", { auth: false });
  return state.settings;
}

export async function loadRoles() {
  const roles = await latest("roles", () => api.get("/rbac/user/roles"));
  if (!roles) return;
  const entry = roles.roles?.shows?.[0];
  state.mask = state.user?.is_admin ? 7 : entry ? Number(entry[1]) : 0;
}

export async function loadSessions() {
  const data = await latest("sessions", () => api.get("/show/sessions"));
  if (!data) return;
  state.sessions = data.sessions ?? [];
  state.currentSession = data.current_session ?? null;
}

export async function loadTags() {
  const data = await latest("tags", () => api.get("/show/session/tags"));
  if (data) state.tags = data.tags ?? [];
}

export async function loadRevisions() {
  const data = await latest("revisions", () => api.get("/show/script/revisions"));
  if (!data) return;
  state.revisions = data.revisions ?? [];
  state.currentRevision = data.current_revision ?? null;
}

// A list the server may not offer (an older server): null rather than an error.
async function optionalList(kind, path, key) {
  try {
    const data = await latest(kind, () => api.get(path));
    if (data) state[key] = data[key] ?? [];
  } catch (error) {
    if (error.status === 404 || error.status === 405) state[key] = null;
    else throw error;
  }
}

export const loadActs = () => optionalList("acts", "/show/act", "acts");
export const loadScenes = () => optionalList("scenes", "/show/scene", "scenes");
export const loadCast = () => optionalList("cast", "/show/cast", "cast");
export const loadCharacters = () => optionalList("characters", "/show/character", "characters");

export async function loadShow() {
  const show = await latest("show", () => api.get("/show"));
  if (!show) return;
  state.show = show;
  // Every time on the page is the venue's.
  setVenueZone(show.time_zone ?? null);
}

export async function loadShows() {
  if (!can.admin()) {
    state.shows = [];
    return;
  }
  const data = await latest("shows", () => api.get("/shows"));
  if (data) state.shows = data.shows ?? [];
}

// Everything that hangs off the loaded show, fetched side by side.
export async function loadShowContext() {
  await loadRoles();
  const jobs = [loadShows()];
  if (state.settings?.current_show) {
    jobs.push(loadShow(), loadSessions(), loadTags(), loadRevisions());
    jobs.push(loadActs(), loadScenes(), loadCast(), loadCharacters());
  } else {
    setVenueZone(null);
    Object.assign(state, {
      show: null,
      sessions: [],
      currentSession: null,
      tags: [],
      revisions: [],
      currentRevision: null,
      acts: null,
      scenes: null,
      cast: null,
      characters: null,
    });
  }
  await Promise.all(jobs);
}

export function revisionLabel(revisionId) {
  const revision = state.revisions.find((r) => r.id === revisionId);
  return revision ? `Rev ${revision.revision}` : revisionId ? `Rev #${revisionId}` : "—";
}

export function revisionDescription(revisionId) {
  return state.revisions.find((r) => r.id === revisionId)?.description ?? "";
}

export function revisionTitle(revisionId) {
  const revision = state.revisions.find((r) => r.id === revisionId);
  if (!revision) return "";
  const current = revision.id === state.currentRevision ? " (current)" : "";
  return `${revision.description}${current}`;
}

export function tagsByIds(ids) {
  return ids.map((id) => state.tags.find((t) => t.id === id)).filter(Boolean);
}
