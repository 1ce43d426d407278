// The stage-manager page: decides what to show (first run, sign-in, shows, sessions, tags),
// keeps the header current and redraws when the live channel reports a change.

import { api, getToken, setToken, setUnauthorizedHandler } from "./api.js";
import { clear, formatDay, h } from "./dom.js";
import { LiveChannel } from "./live.js";
import {
  can,
  loadActs,
  loadCast,
  loadCharacters,
  loadRevisions,
  loadScenes,
  loadShow,
  loadSessions,
  loadSettings,
  loadShowContext,
  loadTags,
  ROLE,
  state,
} from "./store.js";
import { showError, toast } from "./toast.js";
import { renderFirstRun, renderLogin } from "./views/auth.js";
import { markCastingStale, renderCastingPanel } from "./views/casting.js";
import { renderSessionsPanel, sessionActions } from "./views/sessions.js";
import { renderRevisionsPanel, revisionActions } from "./views/revisions.js";
import { renderShowsPage } from "./views/shows.js";
import { renderCastPanel, renderRunningOrderPanel } from "./views/structure.js";
import { renderTagsPanel, tagActions } from "./views/tags.js";
import { markUsersStale, renderUsersPage } from "./views/users.js";

const app = document.getElementById("app");
const topbar = document.getElementById("topbar");
const VIEWS = [
  "sessions",
  "tags",
  "revisions",
  "running-order",
  "cast",
  "casting",
  "shows",
  "users",
];
const SHOW_TABS = new Set(["tags", "revisions", "running-order", "cast", "casting"]);
const ADMIN_VIEWS = new Set(["shows", "users"]);

let ready = false;
let signInNotice = null;

const live = new LiveChannel({
  getToken,
  onMessage: handleNotice,
  onStatus: (status) => {
    const was = state.liveStatus;
    state.liveStatus = status;
    renderLiveStatus();
    // Crossing between connected and not changes what may be pressed: redraw.
    // (Never a sign-in form: that would wipe what is being typed.)
    if (state.user && (was === "open") !== (status === "open")) render();
  },
});

function currentView() {
  const view = location.hash.replace(/^#\/?/, "");
  if (ADMIN_VIEWS.has(view) && !can.admin()) return "sessions";
  if (VIEWS.includes(view)) return view;
  // An admin with nothing loaded has only one useful place to go.
  return can.admin() && !state.settings?.current_show ? "shows" : "sessions";
}

// --- refreshing ---------------------------------------------------------------------------------

// Loads everything the current screen needs. Never throws: a failure is shown as a notice.
// Only the newest call draws, so an older one finishing late cannot undo a sign-in.
let refreshGeneration = 0;
async function refreshAll() {
  const generation = ++refreshGeneration;
  markCastingStale();
  const stale = () => generation !== refreshGeneration;
  try {
    await loadSettings();
    if (stale()) return;
    if (!state.settings.has_admin_user || !getToken()) {
      state.user = null;
    } else {
      const user = await api.get("/auth");
      if (stale()) return;
      if (user && user.id !== undefined) {
        state.user = user;
        await loadShowContext();
        if (stale()) return;
      } else {
        signOutLocally("Your sign-in has expired. Please sign in again.");
      }
    }
  } catch (error) {
    if (stale()) return;
    if (error.status !== 401) showError(error);
  }
  ready = true;
  render();
}

// A few notices often arrive together (a start sends three): refresh once for the lot.
const pending = new Set();
let pendingTimer = null;
function refreshSoon(what) {
  pending.add(what);
  if (pendingTimer) return;
  pendingTimer = setTimeout(async () => {
    const kinds = new Set(pending);
    pending.clear();
    pendingTimer = null;
    try {
      if (!state.user) {
        // Redraw a sign-in form only when it must change (first admin created elsewhere):
        // redrawing would wipe what is being typed.
        const hadAdmin = state.settings?.has_admin_user;
        await loadSettings();
        if (state.settings?.has_admin_user !== hadAdmin && !getToken()) render();
        return;
      }
      if (kinds.has("all")) {
        await refreshAll();
        return;
      }
      if (!state.settings?.current_show) return;
      const jobs = [];
      // The casting tab reads its own lists again when next drawn.
      if (kinds.has("casting") || kinds.has("sessions") || kinds.has("cast")) markCastingStale();
      if (kinds.has("sessions")) jobs.push(loadSessions());
      if (kinds.has("tags")) jobs.push(loadTags());
      if (kinds.has("revisions")) jobs.push(loadRevisions(), loadSessions());
      if (kinds.has("acts")) jobs.push(loadActs(), loadScenes(), loadShow());
      if (kinds.has("cast")) jobs.push(loadCast(), loadCharacters());
      await Promise.all(jobs);
      render();
    } catch (error) {
      if (error.status !== 401) showError(error);
    }
  }, 50);
}

function handleNotice(message) {
  const { OP: op, ACTION: action } = message;
  if (op === "RECONNECTED" || op === "SETTINGS_CHANGED") return refreshSoon("all");
  if (op === "NOOP" && (action === "SHOW_CHANGED" || action === "GET_USERS")) {
    markUsersStale();
    return refreshSoon("all");
  }
  if (op === "NOOP" && (action === "GET_SCRIPT_REVISIONS" || action === "SCRIPT_REVISION_CHANGED"))
    return refreshSoon("revisions");
  if (op === "NOOP" && action === "GET_SHOW_SESSION_DATA") return refreshSoon("sessions");
  if (action === "GET_ACT_LIST" || action === "GET_SCENE_LIST" || action === "GET_SHOW_DETAILS")
    return refreshSoon("acts");
  if (op === "GET_CAST_LIST" || action === "GET_CAST_LIST" || action === "GET_CHARACTER_LIST")
    return refreshSoon("cast");
  if (op === "NOOP" && action === "GET_SESSION_TAGS") return refreshSoon("tags");
  if (op === "NOOP" && action === "GET_SESSION_CASTING") return refreshSoon("casting");
  if (op === "START_SHOW" || op === "STOP_SHOW") return refreshSoon("sessions");
  if (op === "WS_AUTH_ERROR" && state.user) {
    showError(new Error(`The live channel refused this sign-in: ${message.DATA}`));
  }
  return undefined;
}

// After the user's own change: the broadcast will follow, but the page should not wait for it.
async function refreshAfterChange() {
  markCastingStale();
  try {
    await loadSettings();
    await loadShowContext();
  } catch (error) {
    if (error.status !== 401) showError(error);
  }
  render();
}

function signOutLocally(notice) {
  setToken(null);
  Object.assign(state, { user: null, mask: 0, shows: [] });
  signInNotice = notice;
}

setUnauthorizedHandler(() => {
  if (!state.user) return;
  signOutLocally("Your sign-in has expired or was revoked. Please sign in again.");
  render();
});

async function signOut() {
  try {
    const body = live.uuid ? { session_id: live.uuid } : {};
    await api.post("/auth/logout", body);
  } catch (error) {
    // The token is dropped here either way; a server that refused is worth knowing about.
    if (error.status !== 401) showError(error);
  }
  signOutLocally(null);
  toast("Signed out");
  location.hash = "";
  render();
}

// --- drawing ------------------------------------------------------------------------------------

function roleText() {
  if (can.admin()) return "Admin";
  const names = [];
  if (state.mask & ROLE.READ) names.push("Read");
  if (state.mask & ROLE.WRITE) names.push("Write");
  if (state.mask & ROLE.EXECUTE) names.push("Execute");
  if (!names.length) return "No role on this show";
  return names.length === 1 && names[0] === "Read" ? "Read only" : names.join(" · ");
}

// "Connected", not "Live": live is what a running performance is.
const LIVE_LABELS = {
  open: "Connected",
  connecting: "Connecting…",
  closed: "Reconnecting…",
  offline: "Offline",
};

function renderLiveStatus() {
  const indicator = document.getElementById("live-status");
  if (!indicator) return;
  indicator.dataset.state = state.liveStatus;
  indicator.lastChild.textContent = LIVE_LABELS[state.liveStatus] ?? state.liveStatus;
  indicator.title =
    state.liveStatus === "open"
      ? "Changes made elsewhere appear here straight away"
      : "Not connected: changes made elsewhere will appear once the connection is back";
}

function renderHeader(view) {
  const signedIn = Boolean(state.user);
  topbar.hidden = !signedIn;
  if (!signedIn) return;

  const links = [["sessions", "Sessions"]];
  if (can.admin()) links.push(["shows", "Shows"], ["users", "Users"]);
  clear(
    document.getElementById("nav"),
    links.map(([key, label]) =>
      h(
        "a.nav-link",
        {
          href: `#/${key}`,
          "aria-current":
            key === view || (key === "sessions" && SHOW_TABS.has(view)) ? "page" : null,
        },
        label,
      ),
    ),
  );

  const show = state.show;
  clear(
    document.getElementById("show-indicator"),
    show
      ? [
          h("span.show-label", "Loaded show"),
          h("strong.show-name", show.name),
          h("span.show-dates", `${formatDay(show.start_date)} – ${formatDay(show.end_date)}`),
        ]
      : h("span.show-label", "No show loaded"),
  );

  const signOutButton = h("button.btn.btn-ghost.btn-sm", { type: "button" }, "Sign out");
  signOutButton.addEventListener("click", signOut);
  clear(
    document.getElementById("account"),
    h(
      "span.live-status",
      { id: "live-status", role: "status" },
      h("span.live-dot", { "aria-hidden": "true" }),
      h("span"),
    ),
    h(
      "span.user",
      h(
        "span.avatar",
        { "aria-hidden": "true" },
        (state.user.username || "?").slice(0, 1).toUpperCase(),
      ),
      h(
        "span.user-text",
        h("strong.user-name", state.user.username),
        h("span.user-role", roleText()),
      ),
    ),
    signOutButton,
  );
  renderLiveStatus();
}

function noShowLoaded(root) {
  const admin = can.admin();
  let action = null;
  if (admin) {
    action = h("a.btn.btn-primary", { href: "#/shows" }, "Choose a show");
  }
  root.append(
    h(
      "section.panel",
      h(
        "div.empty",
        h("h2", "No show is loaded"),
        h(
          "p.muted",
          admin
            ? "Create or load a show to plan its sessions."
            : "An admin needs to load a show before its sessions can be planned.",
        ),
        action,
      ),
    ),
  );
}

function renderSessionsPage(root, view) {
  const show = state.show;
  if (!state.settings?.current_show || !show) {
    root.append(h("div.page-head", h("div", h("h1", "Sessions"))));
    noShowLoaded(root);
    return;
  }
  const ctx = { refresh: refreshAfterChange, live, redraw: render };
  const actions =
    view === "tags"
      ? tagActions(ctx)
      : view === "revisions"
        ? revisionActions(ctx)
        : view === "sessions"
          ? sessionActions(ctx)
          : [];
  const tab = (key, label, count) =>
    h(
      "a.tab",
      {
        href: `#/${key}`,
        role: "tab",
        "aria-selected": String(view === key),
        id: `tab-${key}`,
      },
      label,
      h("span.tab-count", String(count)),
    );
  root.append(
    h(
      "div.page-head",
      h(
        "div",
        h("h1", show.name),
        h(
          "p.muted",
          `${formatDay(show.start_date)} – ${formatDay(show.end_date)} · Performances and their tags`,
        ),
      ),
      h("div.page-actions", actions),
    ),
    h(
      "div.tabs",
      { role: "tablist", "aria-label": "Sessions page" },
      tab("sessions", "Sessions", state.sessions.length),
      tab("tags", "Tags", state.tags.length),
      tab("revisions", "Revisions", state.revisions.length),
      state.acts === null ? null : tab("running-order", "Running order", state.acts.length),
      state.characters === null ? null : tab("cast", "Cast", state.characters.length),
      state.characters === null ? null : tab("casting", "Casting", state.characters.length),
    ),
  );
  if (view === "tags") renderTagsPanel(root, ctx);
  else if (view === "revisions") renderRevisionsPanel(root, ctx);
  else if (view === "running-order") renderRunningOrderPanel(root);
  else if (view === "cast") renderCastPanel(root);
  else if (view === "casting") renderCastingPanel(root, ctx);
  else renderSessionsPanel(root, ctx);
}

// While the live channel is down the page may be out of date: say so, and hold back every
// button that would change something (each carries data-write).
function staleBanner() {
  if (state.liveStatus === "open" || state.liveStatus === "connecting") return null;
  const offline = state.liveStatus === "offline";
  return h(
    "div.stale-banner",
    { role: "alert" },
    h("strong", offline ? "Offline." : "Reconnecting…"),
    " What you see may be out of date, and changes are paused until the connection is back.",
  );
}

function holdWrites() {
  if (state.liveStatus === "open") return;
  for (const button of app.querySelectorAll("[data-write]")) {
    button.disabled = true;
    button.title = "Paused while not connected";
  }
}

let lastView = null;
function render() {
  if (!ready) return;
  const view = currentView();
  // Redrawing replaces every element: keep focus on the same control (same data-focus-key).
  const focused = document.activeElement;
  const focusKey = app.contains(focused) ? focused?.dataset?.focusKey : null;
  const scroll = view === lastView ? window.scrollY : 0;
  if (view !== lastView && view === "users") markUsersStale();
  lastView = view;
  draw(view);
  holdWrites();
  if (focusKey) {
    const again = app.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
    if (again) {
      if (!again.matches("button, a, input, select, textarea, [tabindex]")) again.tabIndex = -1;
      again.focus({ preventScroll: true });
    }
  }
  window.scrollTo({ top: scroll });
}

function draw(view) {
  renderHeader(view);
  clear(app);
  app.dataset.view = state.user ? view : "auth";
  if (!state.settings) {
    app.append(
      h(
        "section.card.auth-card",
        h("h1", "Cannot reach the server"),
        h("p.muted", "The stage manager could not load its settings."),
        h("button.btn.btn-primary", { type: "button", onclick: refreshAll }, "Try again"),
      ),
    );
    return;
  }
  const signedIn = async () => {
    signInNotice = null;
    await refreshAll();
  };
  if (!state.settings.has_admin_user) {
    app.dataset.view = "first-run";
    renderFirstRun(app, { live, onSignedIn: signedIn });
    return;
  }
  if (!state.user) {
    app.dataset.view = "login";
    renderLogin(app, { live, notice: signInNotice, onSignedIn: signedIn });
    return;
  }
  const banner = staleBanner();
  if (banner) app.append(banner);
  if (view === "shows") renderShowsPage(app, { refresh: refreshAfterChange });
  else if (view === "users") renderUsersPage(app, { refresh: refreshAfterChange, redraw: render });
  else renderSessionsPage(app, view);
}

window.addEventListener("hashchange", render);

// Statuses move with the clock (Next Up, Overdue); a quiet minutely refresh keeps them true.
setInterval(() => {
  if (state.user && !document.hidden) refreshSoon("sessions");
}, 60000);

live.connect();
refreshAll();
