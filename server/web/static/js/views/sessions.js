// The Sessions tab: schedule, edit, delete, start and stop performances, and read their logs.

import { api } from "../api.js";
import { confirmDialog, field, openDialog } from "../dialogs.js";
import {
  formatDate,
  formatDateTime,
  formatDay,
  formatDuration,
  formatTime,
  formatTimeSeconds,
  h,
  localInputToUtcIso,
  localTimeZone,
  parseUtc,
  statusBadge,
  tagChip,
  toLocalInputValue,
} from "../dom.js";
import {
  can,
  revisionDescription,
  revisionLabel,
  revisionTitle,
  state,
  tagsByIds,
} from "../store.js";
import { toast } from "../toast.js";

const NOT_STARTED = new Set(["scheduled", "next_up", "overdue"]);

// When a session happens: its planned time, or for an ad-hoc one the moment it started.
function whenOf(session) {
  return parseUtc(session.scheduled_date_time ?? session.start_date_time);
}

function whenText(session) {
  const when = whenOf(session);
  return when ? formatDateTime(when) : "—";
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
    },
    "Start Ad-hoc Session",
  );
  adHoc.addEventListener("click", () => startAdHoc({ refresh, live }));
  const schedule = h("button.btn.btn-primary", { type: "button" }, "+ Schedule Session");
  schedule.addEventListener("click", () => sessionDialog(null, refresh));
  return [adHoc, schedule];
}

export function renderSessionsPanel(root, { refresh, live }) {
  const executor = can.execute();
  const rows = state.sessions.map((session) => sessionRow(session, executor, { refresh, live }));
  const count = state.sessions.length;
  const banner = liveBanner({ refresh, executor });
  if (banner) root.append(banner);
  root.append(
    h(
      "section.panel",
      { role: "tabpanel", "aria-label": "Sessions" },
      h(
        "div.panel-head",
        h("span", `${count} session${count === 1 ? "" : "s"}`),
        h("span.muted", `Times in ${localTimeZone()}`),
      ),
      rows.length
        ? h(
            "div.table-wrap",
            h(
              "table.table.sessions-table",
              h(
                "thead",
                h(
                  "tr",
                  h("th.col-when", "Date · Time"),
                  h("th.col-tags", "Tags"),
                  h("th.col-rev", "Revision"),
                  h("th.col-status", "Status"),
                  h("th.actions-col", "Actions"),
                ),
              ),
              h("tbody", rows),
            ),
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

function liveBanner({ refresh, executor }) {
  const session = state.currentSession;
  if (!session) return null;
  const started = parseUtc(session.start_date_time);
  let stop = null;
  if (executor) {
    stop = h("button.btn.btn-danger.btn-sm", { type: "button" }, "Stop");
    stop.addEventListener("click", () => stopSession(session, refresh));
  }
  return h(
    "div.live-banner",
    { role: "status" },
    h("span.pulse", { "aria-hidden": "true" }),
    h(
      "div.live-text",
      h("strong", "Live now"),
      h(
        "span",
        ` · started ${started ? formatTime(started) : "—"} · ${revisionLabel(session.script_revision_id)}`,
      ),
    ),
    tagList(session.tags),
    stop,
  );
}

function sessionRow(session, executor, ctx) {
  const when = whenOf(session);
  const started = parseUtc(session.start_date_time);
  // The start and end of a finished performance are in its log; the live one's start matters now.
  let sub = null;
  if (!session.scheduled_date_time) sub = "Ad-hoc";
  else if (session.status === "in_progress" && started) sub = `Started ${formatTime(started)}`;

  const buttons = [];
  const button = (label, cls, onClick, extra = {}) => {
    const b = h(`button.btn.btn-sm.${cls}`, { type: "button", ...extra }, label);
    b.addEventListener("click", onClick);
    buttons.push(b);
  };
  if (executor && NOT_STARTED.has(session.status)) {
    button("Edit", "btn-secondary", () => sessionDialog(session, ctx.refresh));
    button("Delete", "btn-danger-quiet", () => deleteSession(session, ctx.refresh));
    const busy = Boolean(state.currentSession);
    button("Start", "btn-success", () => startScheduled(session, ctx), {
      disabled: busy,
      title: busy ? "Another session is in progress" : null,
    });
  }
  if (executor && session.status === "in_progress") {
    button("Stop", "btn-danger", () => stopSession(session, ctx.refresh));
  }
  if (session.status === "complete") {
    button("View Log", "btn-secondary", () => viewLog(session));
  }

  return h(
    "tr",
    {
      dataset: { sessionId: session.id, status: session.status },
      class: session.status === "in_progress" ? "row-live" : null,
    },
    h(
      "td.col-when",
      when
        ? h(
            "div.when",
            h("span.when-date", formatDate(when)),
            h("span.when-sep", { "aria-hidden": "true" }, " · "),
            h("span.when-time", formatTime(when)),
          )
        : "—",
      sub ? h("div.sub", sub) : null,
    ),
    h("td.col-tags", tagList(session.tags)),
    h(
      "td.col-rev",
      h(
        "span",
        { title: revisionTitle(session.script_revision_id) },
        revisionLabel(session.script_revision_id),
      ),
    ),
    h("td.col-status", statusBadge(session.status)),
    h("td.actions-cell", buttons.length ? h("div.row-actions", buttons) : h("span.muted", "—")),
  );
}

// --- schedule and edit --------------------------------------------------------------------------

function defaultStart() {
  // Tomorrow at half past seven: the usual curtain-up.
  const date = new Date();
  date.setDate(date.getDate() + 1);
  date.setHours(19, 30, 0, 0);
  return date;
}

function tagPicker(selectedIds) {
  if (!state.tags.length) {
    return h("p.hint", "This show has no tags yet; add them on the Tags tab.");
  }
  return h(
    "div.tag-picker",
    state.tags.map((tag) =>
      h(
        "label.tag-option",
        h("input", {
          type: "checkbox",
          name: "tag_ids",
          value: String(tag.id),
          checked: selectedIds.includes(tag.id),
        }),
        tagChip(tag),
      ),
    ),
  );
}

function revisionSelect(selectedId) {
  return h(
    "select",
    { name: "script_revision_id" },
    state.revisions.map((revision) =>
      h(
        "option",
        { value: String(revision.id), selected: revision.id === selectedId },
        `Rev ${revision.revision} — ${revision.description}` +
          (revision.id === state.currentRevision ? " (current)" : ""),
      ),
    ),
  );
}

function sessionDialog(session, refresh) {
  const editing = Boolean(session);
  const initialWhen = editing ? parseUtc(session.scheduled_date_time) : defaultStart();
  const initialValue = initialWhen ? toLocalInputValue(initialWhen) : "";
  const initialTags = editing ? session.tags.map((t) => t.id) : [];
  const initialRevision = editing ? session.script_revision_id : state.currentRevision;

  const when = h("input", {
    type: "datetime-local",
    name: "scheduled_date_time",
    value: initialValue,
  });
  const tags = tagPicker(initialTags);
  const revision = revisionSelect(initialRevision);
  const tagsField = h("fieldset.field", h("legend", "Tags"), tags);

  openDialog({
    title: editing ? "Edit session" : "Schedule session",
    name: editing ? "edit-session" : "schedule-session",
    header: editing ? sessionHeader(session) : null,
    body: [
      field("Date and time", when, `Your local time (${localTimeZone()}).`),
      tagsField,
      field("Script revision", revision),
    ],
    submitLabel: editing ? "Save changes" : "Schedule session",
    onSubmit: async (form) => {
      const tagIds = [...form.querySelectorAll("input[name=tag_ids]:checked")].map((i) =>
        Number(i.value),
      );
      const revisionId = revision.value ? Number(revision.value) : null;
      if (!editing) {
        const body = { scheduled_date_time: localInputToUtcIso(when.value), tag_ids: tagIds };
        if (revisionId !== null) body.script_revision_id = revisionId;
        const answer = await api.post("/show/sessions/schedule", body);
        toast(answer.message);
      } else {
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
          return;
        }
        const answer = await api.patch(`/show/sessions/${session.id}`, body);
        toast(answer.message);
      }
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
  confirmDialog({
    title: "Start this session?",
    name: "start-session",
    header: sessionHeader(session),
    message: h(
      "div.confirm-text",
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
    ),
    confirmLabel: "Start session",
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
    toast(error.message, "error");
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
