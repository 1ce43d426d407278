// The Sessions tab: schedule, edit, delete, start and stop performances, and read their logs.

import { api } from "../api.js";
import { confirmDialog, field, openDialog } from "../dialogs.js";
import {
  formatDate,
  formatDateTime,
  formatDay,
  formatDayLabel,
  formatClock,
  formatDuration,
  formatGap,
  formatTime,
  formatTimeSeconds,
  h,
  localDayKey,
  localInputToUtcIso,
  localTimeZone,
  parseUtc,
  statusBadge,
  tagChip,
  toLocalInputValue,
  viewerTimeText,
  zoneAbbreviation,
  getViewerZone,
  viewerDiffers,
} from "../dom.js";
import { planRunDialog, importCsvDialog, subscribeDialog } from "./planning.js";
import { revisionSelect, tagPicker } from "./pickers.js";
import { castChangesBox } from "./casting.js";
import {
  can,
  revisionDescription,
  revisionLabel,
  revisionTitle,
  state,
  tagsByIds,
} from "../store.js";
import { showError, toast } from "../toast.js";

// Starting this far from the planned time is probably the wrong row: ask first.
const FAR_FROM_PLAN_MS = 3 * 60 * 60 * 1000;

const NOT_STARTED = new Set(["scheduled", "next_up", "overdue"]);

// When a session happens: its planned time, or for an ad-hoc one the moment it started.
function whenOf(session) {
  return parseUtc(session.scheduled_date_time ?? session.start_date_time);
}

function whenText(session) {
  const when = whenOf(session);
  if (!when) return "—";
  const viewer = viewerTimeText(when);
  return viewer ? `${formatDateTime(when)} (${viewer} your time)` : formatDateTime(when);
}

const PREVIEW_TAG = /preview/i;

// Previews counted on their own ("Preview 2"): a performance whose first tag reads as one.
function previewNumbers() {
  const numbers = new Map();
  const counted = state.sessions
    .filter((s) => s.performance_number)
    .sort((a, b) => a.performance_number - b.performance_number);
  for (const s of counted) {
    if (PREVIEW_TAG.test(s.tags?.[0]?.tag ?? "")) numbers.set(s.id, numbers.size + 1);
  }
  return numbers;
}

// "Preview 2" or "#12" (the performance's number over the run; none for a cancelled one).
function numberBadge(session, previews) {
  const n = session.performance_number;
  if (!n) return null;
  const preview = previews.get(session.id);
  return h(
    "div.perf-number",
    { title: `Performance ${n}` },
    preview ? `Preview ${preview}` : [h("span.sr-only", "Performance "), `#${n}`],
  );
}

function tagList(tags) {
  return tags?.length ? h("span.chips", tags.map(tagChip)) : h("span.muted", "No tags");
}

// Date, time and tags: what tells one performance from another in a dialog's header.
function sessionHeader(session) {
  return h(
    "div.modal-meta",
    h("span.meta-when", whenText(session)),
    session.scheduled_date_time ? null : h("span.muted", "Ad-hoc"),
    tagList(session.tags),
  );
}

export function sessionActions({ refresh, live }) {
  if (!can.execute()) return [];
  const someoneLive = Boolean(state.currentSession);
  const adHoc = h(
    "button.btn.btn-secondary",
    {
      type: "button",
      disabled: someoneLive,
      title: someoneLive ? "A session is already in progress" : null,
      dataset: { write: "", focusKey: "ad-hoc" },
    },
    "Start Ad-hoc Session",
  );
  adHoc.addEventListener("click", () => startAdHoc({ refresh, live }));
  const schedule = h(
    "button.btn.btn-primary",
    { type: "button", dataset: { write: "", focusKey: "schedule" } },
    "+ Schedule Session",
  );
  schedule.addEventListener("click", () => sessionDialog(null, refresh));
  const plan = h(
    "button.btn.btn-primary",
    { type: "button", dataset: { write: "", focusKey: "plan-run" } },
    "Plan a run",
  );
  plan.addEventListener("click", () => planRunDialog(refresh));
  return [adHoc, schedule, plan];
}

// --- what the list remembers between redraws ----------------------------------------------------

// Filters, which month groups were opened or closed by hand, and the calendar's month. The page
// redraws on every change notice; none of this is lost then.
const ui = {
  month: "",
  tag: "",
  status: "",
  open: new Map(),
  calendarMonth: null,
};

const STATUS_FILTERS = [
  ["", "Any status"],
  ["upcoming", "Upcoming"],
  ["overdue", "Overdue"],
  ["in_progress", "In progress"],
  ["complete", "Complete"],
  ["cancelled", "Cancelled"],
];

function matchesStatus(session, filter) {
  if (!filter) return true;
  if (filter === "upcoming") return session.status === "scheduled" || session.status === "next_up";
  return session.status === filter;
}

const monthFormat = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric" });
const shortMonthFormat = new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric" });
const dayLabelFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
});

function monthName(monthKey, format = monthFormat) {
  const [y, m] = monthKey.split("-").map(Number);
  return format.format(new Date(y, m - 1, 1));
}

// Every session with where it sits: its local day and month, and whether it is behind us.
function placed() {
  const today = localDayKey(new Date());
  return state.sessions.map((session) => {
    const when = whenOf(session);
    const day = when ? localDayKey(when) : today;
    const past = day < today && session.status !== "in_progress";
    return { session, when, day, month: day.slice(0, 7), past };
  });
}

// The one performance the panel at the top offers: the live one, else one due today that was
// missed, else the next up.
function tonightSession() {
  if (state.currentSession) return state.currentSession;
  const today = localDayKey(new Date());
  const dueToday = state.sessions.find((s) => {
    const when = whenOf(s);
    return s.status === "overdue" && s.scheduled_date_time && when && localDayKey(when) === today;
  });
  return dueToday ?? state.sessions.find((s) => s.status === "next_up") ?? null;
}

// --- the panel at the top -----------------------------------------------------------------------

function tonightPanel(ctx, executor) {
  const session = tonightSession();
  const live = Boolean(state.currentSession);
  const today = localDayKey(new Date());
  const when = session ? whenOf(session) : null;
  const title = live ? "Live now" : when && localDayKey(when) === today ? "Tonight" : "Next up";
  let action = null;
  if (executor && session) {
    if (live) {
      action = h(
        "button.btn.btn-danger.btn-lg",
        { type: "button", dataset: { write: "", focusKey: "tonight-stop" } },
        "Stop",
      );
      action.addEventListener("click", () => stopSession(session, ctx.refresh));
    } else {
      action = h(
        "button.btn.btn-success.btn-lg",
        { type: "button", dataset: { write: "", focusKey: "tonight-start" } },
        "Start",
      );
      action.addEventListener("click", () => startScheduled(session, ctx));
    }
  }
  let details;
  if (!session) {
    details = h(
      "p.tonight-empty",
      executor
        ? "Nothing is scheduled. Plan a performance with + Schedule Session."
        : "Nothing is scheduled.",
    );
  } else if (live) {
    const started = parseUtc(session.start_date_time);
    details = h(
      "div.tonight-details",
      h(
        "p.tonight-when",
        session.scheduled_date_time ? whenText(session) : "Ad-hoc",
        " · ",
        revisionLabel(session.script_revision_id),
      ),
      h(
        "p.tonight-clock",
        `Started ${started ? formatTime(started) : "—"} · running `,
        runClock(started),
      ),
      tagList(session.tags),
    );
  } else {
    const gap = when ? when - Date.now() : 0;
    details = h(
      "div.tonight-details",
      h(
        "p.tonight-when",
        h("strong", when ? whenText(session) : "—"),
        " · ",
        revisionLabel(session.script_revision_id),
      ),
      h(
        "p.tonight-relative",
        statusBadge(session.status),
        " ",
        gap >= 0 ? `in ${formatGap(gap)}` : `${formatGap(gap)} ago`,
      ),
      tagList(session.tags),
    );
  }
  return h(
    `section.tonight${live ? ".live-banner" : ""}`,
    {
      "aria-labelledby": "tonight-title",
      dataset: session ? { sessionId: session.id } : {},
    },
    live ? h("span.pulse", { "aria-hidden": "true" }) : null,
    h("div.tonight-main", h("h2", { id: "tonight-title" }, title), details),
    action,
  );
}

// A clock counting up from `since`, kept current by the ticker below.
function runClock(since) {
  if (!since) return h("span.run-clock", "—");
  return h(
    "span.run-clock",
    { dataset: { since: String(since.getTime()) }, role: "timer", "aria-live": "off" },
    formatClock((Date.now() - since.getTime()) / 1000),
  );
}

setInterval(() => {
  for (const clock of document.querySelectorAll(".run-clock[data-since]")) {
    clock.textContent = formatClock((Date.now() - Number(clock.dataset.since)) / 1000);
  }
}, 1000);

// --- filters and calendar -----------------------------------------------------------------------

function select(label, name, options, value, onChange) {
  const control = h(
    "select",
    { name, id: `filter-${name}`, dataset: { focusKey: `filter-${name}` } },
    options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)),
  );
  control.addEventListener("change", () => onChange(control.value));
  return h("div.filter", h("label", { for: `filter-${name}` }, label), control);
}

function toolbar(items, ctx) {
  const counts = new Map();
  for (const item of items) counts.set(item.month, (counts.get(item.month) ?? 0) + 1);
  const months = [["", "All months"]].concat(
    [...counts].map(([m, n]) => [m, `${monthName(m, shortMonthFormat)} (${n})`]),
  );
  const tags = [["", "Any tag"]].concat(state.tags.map((t) => [String(t.id), t.tag]));
  const redraw = () => ctx.redraw();
  const today = h(
    "button.btn.btn-secondary.btn-sm",
    { type: "button", dataset: { focusKey: "jump-today" } },
    "Today",
  );
  today.addEventListener("click", () => jumpToDay(localDayKey(new Date()), ctx));
  const filtered = ui.month || ui.tag || ui.status;
  let reset = null;
  if (filtered) {
    reset = h(
      "button.btn.btn-secondary.btn-sm",
      { type: "button", dataset: { focusKey: "clear-filters" } },
      "Clear filters",
    );
    reset.addEventListener("click", () => {
      Object.assign(ui, { month: "", tag: "", status: "" });
      redraw();
    });
  }
  return h(
    "div.toolbar",
    { role: "search", "aria-label": "Filter sessions" },
    select("Month", "month", months, ui.month, (v) => {
      ui.month = v;
      redraw();
    }),
    select("Tag", "tag", tags, ui.tag, (v) => {
      ui.tag = v;
      redraw();
    }),
    select("Status", "status", STATUS_FILTERS, ui.status, (v) => {
      ui.status = v;
      redraw();
    }),
    h("div.toolbar-buttons", today, reset),
  );
}

function runMonths(items) {
  const keys = new Set(items.map((i) => i.month));
  const show = state.show;
  if (show?.start_date && show?.end_date) {
    let [y, m] = show.start_date.split("-").map(Number);
    const last = show.end_date.slice(0, 7);
    for (let guard = 0; guard < 60; guard += 1) {
      const key = `${y}-${String(m).padStart(2, "0")}`;
      keys.add(key);
      if (key >= last) break;
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
  }
  return [...keys].sort();
}

function calendar(items, ctx) {
  const months = runMonths(items);
  if (!months.length) return null;
  const thisMonth = localDayKey(new Date()).slice(0, 7);
  if (!ui.calendarMonth || !months.includes(ui.calendarMonth)) {
    // This month when the run is on; else the month of what comes next (or came last).
    const next = tonightSession();
    const nextWhen = next ? whenOf(next) : null;
    ui.calendarMonth = months.includes(thisMonth)
      ? thisMonth
      : nextWhen
        ? localDayKey(nextWhen).slice(0, 7)
        : (items.at(-1)?.month ?? months[0]);
  }
  const month = ui.calendarMonth;
  const index = months.indexOf(month);
  const byDay = new Map();
  for (const item of items) {
    if (item.month !== month) continue;
    const list = byDay.get(item.day) ?? [];
    list.push(item.session);
    byDay.set(item.day, list);
  }
  const [y, m] = month.split("-").map(Number);
  const first = new Date(y, m - 1, 1);
  const daysInMonth = new Date(y, m, 0).getDate();
  const lead = (first.getDay() + 6) % 7; // Monday first
  const today = localDayKey(new Date());
  const cells = [];
  for (let i = 0; i < lead; i += 1)
    cells.push(h("span.cal-cell.cal-blank", { "aria-hidden": "true" }));
  for (let d = 1; d <= daysInMonth; d += 1) {
    const key = `${month}-${String(d).padStart(2, "0")}`;
    const sessions = byDay.get(key) ?? [];
    const label = dayLabelFormat.format(new Date(y, m - 1, d));
    const isToday = key === today;
    if (!sessions.length) {
      cells.push(
        h(
          `span.cal-cell${isToday ? ".cal-today" : ""}`,
          { "aria-current": isToday ? "date" : null },
          String(d),
        ),
      );
      continue;
    }
    const kinds = new Set(sessions.map((s) => s.status));
    const tone = kinds.has("in_progress")
      ? "live"
      : kinds.has("overdue")
        ? "overdue"
        : [...kinds].every((k) => k === "cancelled")
          ? "cancelled"
          : [...kinds].every((k) => k === "complete" || k === "cancelled")
            ? "done"
            : "planned";
    const n = sessions.length;
    const button = h(
      `button.cal-cell.cal-day.cal-${tone}${isToday ? ".cal-today" : ""}`,
      {
        type: "button",
        "aria-current": isToday ? "date" : null,
        dataset: { day: key, focusKey: `cal-${key}` },
      },
      h("span.cal-num", String(d)),
      h("span.sr-only", ` (${label}):`),
      h("span.cal-badge", String(n), h("span.sr-only", ` performance${n === 1 ? "" : "s"}`)),
    );
    button.addEventListener("click", () => jumpToDay(key, ctx));
    cells.push(button);
  }
  const step = (delta, text, label) => {
    const target = months[index + delta];
    const b = h(
      "button.icon-btn.cal-step",
      {
        type: "button",
        "aria-label": label,
        disabled: !target,
        dataset: { focusKey: `cal-step-${delta}` },
      },
      text,
    );
    b.addEventListener("click", () => {
      ui.calendarMonth = target;
      ctx.redraw();
    });
    return b;
  };
  return h(
    "section.calendar",
    { "aria-labelledby": "calendar-title" },
    h(
      "div.cal-head",
      step(-1, "‹", "Previous month"),
      h("h2.cal-title", { id: "calendar-title" }, monthName(month)),
      step(1, "›", "Next month"),
    ),
    h(
      "div.cal-grid",
      ["M", "T", "W", "T", "F", "S", "S"].map((d) =>
        h("span.cal-weekday", { "aria-hidden": "true" }, d),
      ),
      cells,
    ),
  );
}

// Opens the day's month, draws, then brings its first performance (or the next one after it)
// into view with focus on its row.
function jumpToDay(day, ctx) {
  const items = placed();
  const target = items.find((i) => i.day >= day) ?? items[items.length - 1];
  if (!target) return;
  Object.assign(ui, { month: "", tag: "", status: "" });
  ui.open.set(groupKey(target), true);
  ui.calendarMonth = target.month;
  ctx.redraw();
  const row = document.querySelector(`tr[data-session-id="${target.session.id}"]`);
  if (row) {
    row.tabIndex = -1;
    row.scrollIntoView({ block: "center" });
    row.focus({ preventScroll: true });
  }
}

// --- the list -----------------------------------------------------------------------------------

function groupKey(item) {
  return `${item.month}:${item.past ? "past" : "ahead"}`;
}

export function renderSessionsPanel(root, ctx) {
  const executor = can.execute();
  const items = placed();
  ctx = { ...ctx, previews: previewNumbers() };
  const filtered = Boolean(ui.month || ui.tag || ui.status);
  const shown = items.filter(
    (i) =>
      (!ui.month || i.month === ui.month) &&
      (!ui.tag || (i.session.tags ?? []).some((t) => String(t.id) === ui.tag)) &&
      matchesStatus(i.session, ui.status),
  );

  // Month groups: past performances fold into their month; the current and next months ahead
  // are open, later ones folded (a year's run stays a page long).
  const groups = [];
  for (const item of shown) {
    const key = groupKey(item);
    if (groups.at(-1)?.key !== key)
      groups.push({ key, month: item.month, past: item.past, items: [] });
    groups.at(-1).items.push(item);
  }
  let aheadSeen = 0;
  for (const group of groups) {
    const byDefault = filtered || (!group.past && aheadSeen < 2);
    if (!group.past) aheadSeen += 1;
    group.open = ui.open.get(group.key) ?? byDefault;
  }

  const firstAhead = shown.find((i) => !i.past)?.session.id;
  const bodies = groups.map((group) => {
    const n = group.items.length;
    const toggle = h(
      "button.group-toggle",
      {
        type: "button",
        "aria-expanded": String(group.open),
        dataset: { focusKey: `group-${group.key}` },
      },
      h("span.group-caret", { "aria-hidden": "true" }, group.open ? "▾" : "▸"),
      h("span.group-name", monthName(group.month) + (group.past ? " · earlier" : "")),
      h("span.group-count", `${n} performance${n === 1 ? "" : "s"}`),
    );
    toggle.addEventListener("click", () => {
      ui.open.set(group.key, !group.open);
      ctx.redraw();
    });
    return h(
      "tbody.month-group",
      { dataset: { month: group.month, past: String(group.past), open: String(group.open) } },
      h("tr.group-row", h("th", { colspan: "6", scope: "rowgroup" }, toggle)),
      group.open
        ? group.items.map((item) =>
            sessionRow(item.session, executor, ctx, item.session.id === firstAhead),
          )
        : null,
    );
  });

  const count = state.sessions.length;
  const countText = filtered
    ? `${shown.length} of ${count} session${count === 1 ? "" : "s"}`
    : `${count} session${count === 1 ? "" : "s"}`;
  root.append(
    h("div.sessions-top", tonightPanel(ctx, executor), count ? calendar(items, ctx) : null),
    h(
      "section.panel.sessions-list",
      { role: "tabpanel", "aria-labelledby": "tab-sessions" },
      h(
        "div.panel-head",
        h("span.session-count", countText),
        h(
          "span.muted.zone-note",
          viewerDiffers()
            ? `Times at the venue (${localTimeZone()}); yours (${getViewerZone()}) second`
            : `Times in ${localTimeZone()}`,
        ),
        listLinks(ctx),
      ),
      count ? toolbar(items, ctx) : null,
      shown.length
        ? h(
            "div.table-wrap",
            h(
              "table.table.sessions-table",
              h(
                "thead",
                h(
                  "tr",
                  h("th.col-when", { scope: "col" }, "Date · Time"),
                  h("th.col-tags", { scope: "col" }, "Tags"),
                  h("th.col-rev", { scope: "col" }, "Revision"),
                  h("th.col-status", { scope: "col" }, "Status"),
                  h("th.col-actual", { scope: "col" }, "Ran"),
                  h("th.actions-col", { scope: "col" }, "Actions"),
                ),
              ),
              bodies,
            ),
          )
        : count
          ? h(
              "div.empty",
              h("h2", "No session matches"),
              h("p.muted", "Clear the filters to see them all."),
            )
          : h(
              "div.empty",
              h("h2", "No sessions yet"),
              h(
                "p.muted",
                executor
                  ? "Plan the first performance with + Schedule Session, or start one now."
                  : "Performances appear here once a stage manager schedules them.",
              ),
            ),
    ),
  );
}

// Import, export and the calendar feed, above the list.
function listLinks(ctx) {
  const items = [];
  if (can.execute()) {
    const importButton = h(
      "button.btn.btn-secondary.btn-sm",
      { type: "button", dataset: { write: "", focusKey: "import-csv" } },
      "Import CSV",
    );
    importButton.addEventListener("click", () => importCsvDialog(ctx.refresh));
    items.push(importButton);
  }
  items.push(
    h(
      "a.btn.btn-secondary.btn-sm",
      { href: "/api/v1/show/sessions.csv", download: "sessions.csv" },
      "Export CSV",
    ),
  );
  const subscribe = h(
    "button.btn.btn-secondary.btn-sm",
    { type: "button", dataset: { focusKey: "subscribe" } },
    "Subscribe",
  );
  subscribe.addEventListener("click", () => subscribeDialog());
  items.push(subscribe);
  return h("div.list-links", items);
}

// What actually happened: started and ended (with the date when not the planned day), run time.
function actualCell(session) {
  const started = parseUtc(session.start_date_time);
  if (!started) return h("span.muted", "—");
  const planned = parseUtc(session.scheduled_date_time);
  const otherDay = !planned || localDayKey(planned) !== localDayKey(started);
  const startText = otherDay
    ? `${formatDayLabel(started)} ${formatTime(started)}`
    : formatTime(started);
  const ended = parseUtc(session.end_date_time);
  if (!ended) {
    return h(
      "div.actual",
      h("span.actual-times", `${startText} –`),
      h("span.actual-run", "running ", runClock(started)),
    );
  }
  return h(
    "div.actual",
    h("span.actual-times", `${startText} – ${formatTime(ended)}`),
    h("span.actual-run", formatDuration((ended - started) / 1000)),
  );
}

function sessionRow(session, executor, ctx, anchor) {
  const when = whenOf(session);
  const rowKey = `row-${session.id}`;
  const sub = session.scheduled_date_time ? null : "Ad-hoc";

  const buttons = [];
  const button = (label, cls, onClick, extra = {}) => {
    const b = h(
      `button.btn.btn-sm.${cls}`,
      {
        type: "button",
        ...extra,
        dataset: {
          focusKey: `s${session.id}-${label.toLowerCase().replace(/\s+/g, "-")}`,
          focusRow: rowKey,
          ...(extra.dataset ?? {}),
        },
      },
      label,
    );
    b.addEventListener("click", onClick);
    buttons.push(b);
  };
  const write = { dataset: { write: "" } };
  if (executor && NOT_STARTED.has(session.status)) {
    button("Edit", "btn-secondary", () => sessionDialog(session, ctx.refresh), write);
    button("Delete", "btn-danger-quiet", () => deleteSession(session, ctx.refresh), write);
    const busy = Boolean(state.currentSession);
    button("Start", "btn-success", () => startScheduled(session, ctx), {
      disabled: busy,
      title: busy ? "Another session is in progress" : null,
      ...write,
    });
  }
  if (executor && session.status === "in_progress") {
    button("Stop", "btn-danger", () => stopSession(session, ctx.refresh), write);
  }
  if (executor && session.status === "cancelled") {
    button("Reinstate", "btn-secondary", () => reinstateSession(session, ctx.refresh), write);
    button("Delete", "btn-danger-quiet", () => deleteSession(session, ctx.refresh), write);
  }
  if (executor && (NOT_STARTED.has(session.status) || session.status === "cancelled")) {
    button("More", "btn-secondary", () => moreActions(session, ctx.refresh), {
      "aria-label": "More actions",
      "aria-haspopup": "dialog",
    });
  }
  if (session.status === "complete") {
    button("View Log", "btn-secondary", () => viewLog(session));
  }

  const cancelled = session.status === "cancelled";
  const viewer = when ? viewerTimeText(when) : "";
  return h(
    "tr",
    {
      id: anchor ? "today" : null,
      dataset: { sessionId: session.id, status: session.status, focusKey: rowKey },
      class: session.status === "in_progress" ? "row-live" : cancelled ? "row-cancelled" : null,
    },
    h(
      "td.col-when",
      { dataset: { label: "When" } },
      when
        ? h(
            "div.when",
            h("span.when-date", formatDate(when)),
            h("span.when-sep", { "aria-hidden": "true" }, " · "),
            h("span.when-time", formatTime(when)),
            " ",
            h("span.when-zone", zoneAbbreviation(when)),
          )
        : "—",
      viewer ? h("div.when-viewer", `${viewer} your time`) : null,
      numberBadge(session, ctx.previews ?? new Map()),
      sub ? h("div.sub", sub) : null,
      cancelled
        ? h(
            "div.cancel-reason",
            session.cancel_reason ? `Cancelled: ${session.cancel_reason}` : "Cancelled",
          )
        : null,
      // Narrow screens fold the Revision column in here.
      h("div.when-rev", revisionLabel(session.script_revision_id)),
    ),
    h("td.col-tags", { dataset: { label: "Tags" } }, tagList(session.tags)),
    h(
      "td.col-rev",
      { dataset: { label: "Revision" } },
      h(
        "span",
        { title: revisionTitle(session.script_revision_id) },
        revisionLabel(session.script_revision_id),
      ),
    ),
    h("td.col-status", { dataset: { label: "Status" } }, statusBadge(session.status)),
    h("td.col-actual", { dataset: { label: "Ran" } }, actualCell(session)),
    h("td.actions-cell", buttons.length ? h("div.row-actions", buttons) : h("span.muted", "—")),
  );
}

// --- schedule and edit --------------------------------------------------------------------------

// Tomorrow at half past seven at the venue: the usual curtain-up. A "YYYY-MM-DDTHH:MM" value.
function defaultStart() {
  const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000);
  return `${localDayKey(tomorrow)}T19:30`;
}

// A venue date and time plus whole days, as a datetime-local value (the wall time kept).
export function shiftWallValue(value, days) {
  const [date, time] = value.split("T");
  const [y, m, d] = date.split("-").map(Number);
  const moved = new Date(Date.UTC(y, m - 1, d + days));
  return `${moved.toISOString().slice(0, 10)}T${time}`;
}

// Under a venue date/time input: what it is on the viewer's clock, or why it cannot be used.
export function wallTimeNote(input) {
  const note = h("p.hint.wall-note", { "aria-live": "polite" });
  const update = () => {
    note.classList.remove("wall-error");
    if (!input.value) {
      note.textContent = "";
      return;
    }
    try {
      const iso = localInputToUtcIso(input.value);
      const viewer = viewerTimeText(parseUtc(iso));
      note.textContent = viewer ? `${viewer} your time (${getViewerZone()}).` : "";
    } catch (error) {
      note.textContent = error.message;
      note.classList.add("wall-error");
    }
  };
  input.addEventListener("input", update);
  input.addEventListener("change", update);
  update();
  return note;
}

function sessionDialog(session, refresh, { value = null, tagIds = null } = {}) {
  const editing = Boolean(session);
  const initialWhen = editing ? parseUtc(session.scheduled_date_time) : null;
  const initialValue = editing
    ? initialWhen
      ? toLocalInputValue(initialWhen)
      : ""
    : (value ?? defaultStart());
  const initialTags = editing ? session.tags.map((t) => t.id) : (tagIds ?? []);
  const initialRevision = editing ? session.script_revision_id : state.currentRevision;

  const when = h("input", {
    type: "datetime-local",
    name: "scheduled_date_time",
    value: initialValue,
  });
  const tags = tagPicker(initialTags);
  const revision = revisionSelect(initialRevision);
  const tagsField = h("fieldset.field", h("legend", "Tags"), tags);
  const chosenTags = (form) =>
    [...form.querySelectorAll("input[name=tag_ids]:checked")].map((i) => Number(i.value));

  const addAnother = editing
    ? null
    : h("button.btn.btn-secondary", { type: "submit", value: "another" }, "Save and add another");

  const dialogDone = openDialog({
    title: editing ? "Edit session" : "Schedule session",
    name: editing ? "edit-session" : "schedule-session",
    header: editing ? sessionHeader(session) : null,
    body: [
      field("Date and time", when, `At the venue (${localTimeZone()}).`),
      wallTimeNote(when),
      tagsField,
      field("Script revision", revision),
    ],
    extraButtons: addAnother ? [addAnother] : [],
    submitLabel: editing ? "Save changes" : "Schedule session",
    onSubmit: async (form, submitter) => {
      const again = submitter?.value === "another";
      const tagIds = chosenTags(form);
      const revisionId = revision.value ? Number(revision.value) : null;
      if (!editing) {
        const body = { scheduled_date_time: localInputToUtcIso(when.value), tag_ids: tagIds };
        if (revisionId !== null) body.script_revision_id = revisionId;
        const answer = await api.post("/show/sessions/schedule", body);
        toast(answer.message);
        await refresh();
        if (again) {
          // The next one: same time and tags, the day after; the dialog stays open.
          when.value = shiftWallValue(when.value, 1);
          when.dispatchEvent(new Event("change"));
          when.focus();
          return false;
        }
        return undefined;
      }
      // Only what changed, so the session's log records real changes.
      const body = {};
      if (when.value !== initialValue)
        body.scheduled_date_time = localInputToUtcIso(when.value) ?? "";
      if (revisionId !== null && revisionId !== initialRevision)
        body.script_revision_id = revisionId;
      const sameTags =
        tagIds.length === initialTags.length && tagIds.every((id) => initialTags.includes(id));
      if (!sameTags) body.tag_ids = tagIds;
      if (!Object.keys(body).length) {
        toast("Nothing changed", "info");
        return undefined;
      }
      const answer = await api.patch(`/show/sessions/${session.id}`, body);
      toast(answer.message);
      await refresh();
      return undefined;
    },
  });
  return dialogDone;
}

// --- more: duplicate, cancel, reinstate ---------------------------------------------------------

function moreActions(session, refresh) {
  const when = parseUtc(session.scheduled_date_time);
  const value = when ? toLocalInputValue(when) : null;
  const choices = [];
  const choice = (label, onClick, cls = "btn-secondary") => {
    const b = h(`button.btn.${cls}.menu-choice`, { type: "button" }, label);
    b.addEventListener("click", () => {
      b.closest("dialog")?.close();
      onClick();
    });
    choices.push(b);
  };
  if (value) {
    const dayText = (v) => formatDay(v.slice(0, 10));
    const nextDay = shiftWallValue(value, 1);
    const nextWeek = shiftWallValue(value, 7);
    choice(`Duplicate to the next day (${dayText(nextDay)})`, () =>
      duplicate(session, nextDay, refresh),
    );
    choice(`Duplicate to the next week (${dayText(nextWeek)})`, () =>
      duplicate(session, nextWeek, refresh),
    );
  }
  if (NOT_STARTED.has(session.status)) {
    choice("Cancel this performance…", () => cancelSession(session, refresh), "btn-danger-quiet");
  }
  openDialog({
    title: "More actions",
    name: "session-more",
    header: sessionHeader(session),
    body: h("div.menu-choices", choices),
    cancelLabel: "Close",
  });
}

async function duplicate(session, value, refresh) {
  try {
    const body = {
      scheduled_date_time: localInputToUtcIso(value),
      tag_ids: (session.tags ?? []).map((t) => t.id),
    };
    if (session.script_revision_id) body.script_revision_id = session.script_revision_id;
    const answer = await api.post("/show/sessions/schedule", body);
    toast(answer.message || "Performance duplicated");
    await refresh();
  } catch (error) {
    showError(error);
  }
}

function cancelSession(session, refresh) {
  const reason = h("input", { name: "reason", autocomplete: "off", maxlength: "200" });
  openDialog({
    title: "Cancel this performance?",
    name: "cancel-session",
    header: sessionHeader(session),
    body: [
      h(
        "p",
        "It stays in the list, greyed, with the reason; it is never next up and cannot be started until it is reinstated.",
      ),
      field("Reason", reason, "Shown on its row, e.g. “Heating failure”."),
    ],
    submitLabel: "Cancel performance",
    submitClass: "btn-danger",
    cancelLabel: "Keep it",
    // A slip of Enter must not cancel a performance.
    focusCancel: true,
    returnFocusTo: `row-${session.id}`,
    onSubmit: async () => {
      const answer = await api.post(`/show/sessions/${session.id}/cancel`, {
        reason: reason.value.trim(),
      });
      toast(answer.message || "Performance cancelled");
      await refresh();
    },
  });
}

function reinstateSession(session, refresh) {
  confirmDialog({
    title: "Reinstate this performance?",
    name: "reinstate-session",
    header: sessionHeader(session),
    message: "It is scheduled again at its time, with its tags and revision.",
    confirmLabel: "Reinstate",
    action: async () => {
      const answer = await api.post(`/show/sessions/${session.id}/reinstate`);
      toast(answer.message || "Performance reinstated");
      await refresh();
    },
  });
}

// --- delete, start, stop ------------------------------------------------------------------------

function deleteSession(session, refresh) {
  confirmDialog({
    title: "Delete this session?",
    name: "delete-session",
    header: sessionHeader(session),
    message: "The session and its log are deleted. This cannot be undone.",
    confirmLabel: "Delete session",
    danger: true,
    action: async () => {
      const answer = await api.delete(`/show/sessions/${session.id}`);
      toast(answer.message);
      await refresh();
    },
  });
}

function requireLiveId(live) {
  if (!live.uuid) {
    throw new Error("Not connected to the server's live channel yet. Wait a moment and try again.");
  }
  return live.uuid;
}

function startScheduled(session, { refresh, live }) {
  const planned = parseUtc(session.scheduled_date_time);
  const gap = planned ? Date.now() - planned.getTime() : 0;
  const far = Math.abs(gap) > FAR_FROM_PLAN_MS;
  confirmDialog({
    title: far ? "Start this session now?" : "Start this session?",
    name: "start-session",
    header: sessionHeader(session),
    message: h(
      "div.confirm-text",
      far
        ? h(
            "p.warn",
            { dataset: { gapMinutes: String(Math.round(gap / 60000)) } },
            h("strong", "Not its time: "),
            `it is planned for ${whenText(session)}, `,
            h("strong.gap", gap < 0 ? `${formatGap(gap)} from now` : `${formatGap(gap)} ago`),
            ". Check that this is the right performance.",
          )
        : null,
      h(
        "p",
        "It goes live now, on ",
        h("strong", revisionLabel(session.script_revision_id)),
        revisionDescription(session.script_revision_id)
          ? ` — ${revisionDescription(session.script_revision_id)}`
          : "",
        ".",
      ),
      h("p.muted", `This browser leads the session for ${state.show?.name ?? "the show"}.`),
      castChangesBox(session.id),
    ),
    confirmLabel: far ? "Start anyway" : "Start session",
    action: async () => {
      const answer = await api.post("/show/sessions/start", {
        session_id: requireLiveId(live),
        show_session_id: session.id,
      });
      toast(answer.message);
      await refresh();
    },
  });
}

function startAdHoc({ refresh, live }) {
  confirmDialog({
    title: "Start an ad-hoc session?",
    name: "start-ad-hoc",
    header: h(
      "div.modal-meta",
      h("span.meta-when", `Now · ${formatDateTime(new Date())}`),
      h("span.muted", "No tags"),
    ),
    message: h(
      "div.confirm-text",
      h(
        "p",
        `A new session starts now on the current script revision (${revisionLabel(state.currentRevision)}).`,
      ),
      h("p.muted", "Use this when the performance was not scheduled."),
    ),
    confirmLabel: "Start session",
    action: async () => {
      const answer = await api.post("/show/sessions/start", { session_id: requireLiveId(live) });
      toast(answer.message);
      await refresh();
    },
  });
}

function stopSession(session, refresh) {
  confirmDialog({
    title: "Stop the live session?",
    name: "stop-session",
    header: sessionHeader(session),
    message: "The session ends now and moves to Complete.",
    confirmLabel: "Stop session",
    danger: true,
    action: async () => {
      const answer = await api.post("/show/sessions/stop");
      toast(answer.message);
      await refresh();
    },
  });
}

// --- the log ------------------------------------------------------------------------------------

const EVENT_LABELS = {
  scheduled: "Scheduled",
  updated: "Updated",
  started: "Started",
  stopped: "Stopped",
  tags_assigned: "Tags assigned",
};

function tagNames(ids) {
  if (!ids?.length) return "none";
  return ids.map((id) => tagsByIds([id])[0]?.tag ?? `#${id}`).join(", ");
}

function timeOrDash(value) {
  const date = parseUtc(value);
  return date ? formatDateTime(date) : "—";
}

function describe(event) {
  const d = event.details ?? {};
  switch (event.kind) {
    case "scheduled":
      return `For ${timeOrDash(d.scheduled_date_time)} · ${revisionLabel(d.script_revision_id)} · tags: ${tagNames(d.tag_ids)}`;
    case "updated": {
      const parts = [];
      if (d.scheduled_date_time)
        parts.push(
          `time ${timeOrDash(d.scheduled_date_time.old)} → ${timeOrDash(d.scheduled_date_time.new)}`,
        );
      if (d.script_revision_id)
        parts.push(
          `revision ${revisionLabel(d.script_revision_id.old)} → ${revisionLabel(d.script_revision_id.new)}`,
        );
      if (d.tag_ids) parts.push(`tags ${tagNames(d.tag_ids.old)} → ${tagNames(d.tag_ids.new)}`);
      return parts.join(" · ");
    }
    case "started":
      return d.ad_hoc ? "Ad-hoc start" : "Scheduled session started";
    case "stopped":
      return `Run time ${formatDuration(d.run_time_seconds)}`;
    case "tags_assigned":
      return `Tags ${tagNames(d.old)} → ${tagNames(d.new)}`;
    default:
      return "";
  }
}

// A date over its time to the second, for the log's summary.
function moment(date) {
  if (!date) return "—";
  return [
    h("span.nowrap", formatDay(toLocalIsoDate(date))),
    h("span.moment-time", formatTimeSeconds(date)),
  ];
}

function toLocalIsoDate(date) {
  return toLocalInputValue(date).slice(0, 10);
}

async function viewLog(session) {
  let data;
  try {
    data = await api.get(`/show/sessions/${session.id}/log`);
  } catch (error) {
    showError(error);
    return;
  }
  const current = data.session ?? session;
  const started = parseUtc(current.start_date_time);
  const ended = parseUtc(current.end_date_time);
  const runTime = started && ended ? formatDuration((ended - started) / 1000) : "—";
  const summary = h(
    "dl.summary",
    h("div", h("dt", "Status"), h("dd", statusBadge(current.status))),
    h("div", h("dt", "Revision"), h("dd", revisionLabel(current.script_revision_id))),
    h("div", h("dt", "Started"), h("dd", moment(started))),
    h("div", h("dt", "Ended"), h("dd", moment(ended))),
    h("div", h("dt", "Run time"), h("dd.run-time", runTime)),
  );
  const events = (data.events ?? []).map((event) => {
    const at = parseUtc(event.at);
    return h(
      "li.event",
      { dataset: { kind: event.kind } },
      h("span.event-dot", { "aria-hidden": "true" }),
      h(
        "div.event-body",
        h(
          "div.event-line",
          h("strong.event-kind", EVENT_LABELS[event.kind] ?? event.kind),
          h("span.muted", ` · ${at ? `${formatDate(at)} ${formatTimeSeconds(at)}` : ""}`),
          event.username ? h("span.muted", ` · ${event.username}`) : null,
        ),
        h("div.event-details", describe(event)),
      ),
    );
  });
  openDialog({
    title: "Session log",
    name: "session-log",
    size: "wide",
    header: sessionHeader(current),
    body: [
      summary,
      h("h3.section-title", "Events"),
      events.length ? h("ol.timeline", events) : h("p.muted", "No events."),
    ],
    cancelLabel: "Close",
  });
}
