// Planning many performances at once: a weekly pattern over a date range, a CSV import, and the
// calendar feed to subscribe to. Every time here is the venue's.

import { api } from "../api.js";
import { field, openDialog } from "../dialogs.js";
import {
  formatDateTime,
  h,
  localDayKey,
  localTimeZone,
  parseUtc,
  tagChip,
  viewerTimeText,
} from "../dom.js";
import { state, tagsByIds } from "../store.js";
import { toast } from "../toast.js";
import { revisionSelect, tagPicker } from "./pickers.js";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAY_NAMES = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

let slotCounter = 0;

// One weekly time: a time of day and the days of the week it plays (ISO: Monday 1).
function slotRow(time, days, onChange) {
  slotCounter += 1;
  const id = `slot-${slotCounter}`;
  const timeInput = h("input", {
    type: "time",
    id: `${id}-time`,
    name: "slot_time",
    value: time,
    required: true,
  });
  const boxes = WEEKDAYS.map((short, i) =>
    h(
      "label.day-option",
      h("input", {
        type: "checkbox",
        name: "slot_day",
        value: String(i + 1),
        checked: days.includes(i + 1),
        "aria-label": WEEKDAY_NAMES[i],
      }),
      h("span", { "aria-hidden": "true" }, short),
    ),
  );
  const remove = h(
    "button.icon-btn.slot-remove",
    { type: "button", "aria-label": "Remove this time" },
    "×",
  );
  const row = h(
    "fieldset.slot",
    { dataset: { slot: "" } },
    h("legend.sr-only", `Weekly time ${slotCounter}`),
    h("div.slot-time", h("label", { for: `${id}-time` }, "Time"), timeInput),
    h("div.slot-days", { role: "group", "aria-label": "Days of the week" }, boxes),
    remove,
  );
  remove.addEventListener("click", () => {
    row.remove();
    onChange();
  });
  return row;
}

function readSlots(container) {
  const slots = [];
  for (const row of container.querySelectorAll("[data-slot]")) {
    const time = row.querySelector("input[name=slot_time]").value;
    const days = [...row.querySelectorAll("input[name=slot_day]:checked")].map((b) =>
      Number(b.value),
    );
    if (!time) throw new Error("Give each weekly time a time of day (HH:MM).");
    if (!days.length) throw new Error(`Choose at least one day for the ${time} performances.`);
    for (const weekday of days) slots.push({ weekday, time: time.slice(0, 5) });
  }
  if (!slots.length) throw new Error("Add at least one weekly time.");
  return slots;
}

export function parseDates(text) {
  const dates = [];
  for (const word of text.split(/[\s,;]+/).filter(Boolean)) {
    if (!ISO_DATE.test(word))
      throw new Error(`“${word}” is not a date: write each as YYYY-MM-DD, e.g. 2026-12-25.`);
    dates.push(word);
  }
  return dates;
}

// The performances a dry run answered, as a list to read before making them.
function previewList(sessions, tagIds) {
  const tags = tagsByIds(tagIds);
  return [
    h(
      "p.preview-count",
      h("strong", `${sessions.length} performance${sessions.length === 1 ? "" : "s"}`),
      tags.length ? [" tagged ", h("span.chips", tags.map(tagChip))] : null,
    ),
    h(
      "ol.preview-list",
      // Scrolls when long: reachable by keyboard too.
      { "aria-label": "Performances to create", tabindex: "0" },
      sessions.map((s) => {
        const when = parseUtc(s.scheduled_date_time);
        const viewer = viewerTimeText(when);
        return h(
          "li",
          { dataset: { when: s.scheduled_date_time } },
          formatDateTime(when),
          viewer ? h("span.muted", ` · ${viewer} your time`) : null,
        );
      }),
    ),
  ];
}

function defaultRange() {
  const today = localDayKey(new Date());
  const show = state.show ?? {};
  const from = show.start_date && show.start_date > today ? show.start_date : today;
  const to = show.end_date && show.end_date >= from ? show.end_date : from;
  return { from, to };
}

export function planRunDialog(refresh) {
  const range = defaultRange();
  const from = h("input", { type: "date", name: "from", value: range.from, required: true });
  const to = h("input", { type: "date", name: "to", value: range.to, required: true });
  const slots = h("div.slots");
  const except = h("input", {
    type: "text",
    name: "except_dates",
    autocomplete: "off",
    placeholder: "2026-12-24, 2026-12-25",
  });
  const tags = tagPicker([]);
  const revision = revisionSelect(state.currentRevision);
  const preview = h("div.plan-preview", { "aria-live": "polite" });
  let previewed = null;

  const submitButton = () => preview.closest("form")?.querySelector("button[value=submit]");
  const stale = () => {
    if (!previewed) return;
    previewed = null;
    preview.replaceChildren(h("p.muted", "Changed: preview again before creating."));
    const button = submitButton();
    if (button) button.textContent = "Preview";
  };
  slots.append(slotRow("19:30", [1, 2, 3, 4, 5, 6], stale));
  const addSlot = h("button.btn.btn-secondary.btn-sm", { type: "button" }, "+ Add a time");
  addSlot.addEventListener("click", () => {
    // The usual second time: the Wednesday and Saturday matinee.
    const row = slotRow("14:30", [3, 6], stale);
    slots.append(row);
    stale();
    row.querySelector("input").focus();
  });

  const body = () => {
    if (!from.value || !to.value) throw new Error("Give the first and last dates of the run.");
    const tagIds = [...tags.querySelectorAll("input[name=tag_ids]:checked")].map((i) =>
      Number(i.value),
    );
    const data = { from: from.value, to: to.value, slots: readSlots(slots), tag_ids: tagIds };
    const dates = parseDates(except.value);
    if (dates.length) data.except_dates = dates;
    if (revision.value) data.script_revision_id = Number(revision.value);
    return data;
  };

  const form = [
    h("div.field-row", field("First date", from), field("Last date", to)),
    h(
      "fieldset.field.slots-field",
      h("legend", "Performances each week"),
      h("p.hint", `Times at the venue (${localTimeZone()}).`),
      slots,
      addSlot,
    ),
    field(
      "Dark days (no performance)",
      except,
      "Dates between the first and last to skip, as YYYY-MM-DD, separated by commas.",
    ),
    h("fieldset.field", h("legend", "Tags for every performance"), tags),
    field("Script revision", revision),
    preview,
  ];

  openDialog({
    title: "Plan a run",
    name: "plan-run",
    size: "wide",
    body: form,
    submitLabel: "Preview",
    onSubmit: async (formEl) => {
      const data = body();
      const key = JSON.stringify(data);
      if (!previewed || previewed !== key) {
        const answer = await api.post("/show/sessions/schedule/series", { ...data, dry_run: true });
        const sessions = answer.sessions ?? [];
        if (!sessions.length)
          throw new Error("This pattern makes no performance: check the dates and days.");
        preview.replaceChildren(...previewList(sessions, data.tag_ids));
        previewed = key;
        const button = formEl.querySelector("button[value=submit]");
        button.textContent = `Create ${sessions.length} performance${sessions.length === 1 ? "" : "s"}`;
        button.focus();
        return false;
      }
      const answer = await api.post("/show/sessions/schedule/series", data);
      toast(answer.message || `${answer.sessions?.length ?? 0} performances scheduled`);
      await refresh();
      return undefined;
    },
  });
  for (const input of [from, to, except, revision]) input.addEventListener("change", stale);
  slots.addEventListener("change", stale);
  tags.addEventListener("change", stale);
}

// --- CSV import ---------------------------------------------------------------------------------

export function importCsvDialog(refresh) {
  const file = h("input", { type: "file", name: "file", accept: ".csv,text/csv,text/plain" });
  const text = h("textarea", {
    name: "csv",
    rows: 6,
    spellcheck: false,
    placeholder: "date,time,tags\n2027-01-05,19:30,Preview\n2027-01-06,14:30,",
  });
  const preview = h("div.plan-preview", { "aria-live": "polite" });
  let checked = null;
  const reset = () => {
    if (checked === null) return;
    checked = null;
    preview.replaceChildren();
    const button = preview.closest("form")?.querySelector("button[value=submit]");
    if (button) button.textContent = "Check";
  };
  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    text.value = await chosen.text();
    reset();
  });
  text.addEventListener("input", reset);

  openDialog({
    title: "Import performances from CSV",
    name: "import-csv",
    size: "wide",
    body: [
      h(
        "p.hint",
        "One performance a line: date,time,tags — the date as YYYY-MM-DD, the time as HH:MM at the venue (",
        localTimeZone(),
        "), tag names separated by “;”. A first line date,time,tags is skipped.",
      ),
      field("CSV file", file),
      field("Or paste the lines", text),
      preview,
    ],
    submitLabel: "Check",
    onSubmit: async (formEl) => {
      const csv = text.value;
      if (!csv.trim()) throw new Error("Choose a CSV file or paste its lines first.");
      const button = formEl.querySelector("button[value=submit]");
      const post = (dryRun) =>
        api.post(`/show/sessions/import${dryRun ? "?dry_run=true" : ""}`, csv, {
          contentType: "text/csv",
        });
      if (checked !== csv) {
        let answer;
        try {
          answer = await post(true);
        } catch (error) {
          const errors = error.data?.errors;
          if (!Array.isArray(errors)) throw error;
          preview.replaceChildren(
            h(
              "p.error-plain",
              `Nothing imported: ${error.message}. Correct these and check again.`,
            ),
            h(
              "ul.line-errors",
              errors.map((e) =>
                h("li", { dataset: { line: e.line } }, h("strong", `Line ${e.line}: `), e.message),
              ),
            ),
          );
          return false;
        }
        const sessions = answer.sessions ?? [];
        preview.replaceChildren(...previewList(sessions, []));
        checked = csv;
        button.textContent = `Import ${sessions.length} performance${sessions.length === 1 ? "" : "s"}`;
        button.focus();
        return false;
      }
      const answer = await post(false);
      toast(answer.message || "Performances imported");
      await refresh();
      return undefined;
    },
  });
}

// --- the calendar feed --------------------------------------------------------------------------

export function feedUrl() {
  return `${window.location.origin}/api/v1/show/sessions.ics`;
}

export function subscribeDialog() {
  const url = h("input", { type: "text", name: "feed_url", readonly: true, value: feedUrl() });
  const copy = h("button.btn.btn-secondary", { type: "button" }, "Copy address");
  copy.addEventListener("click", async () => {
    url.select();
    try {
      await navigator.clipboard.writeText(url.value);
      toast("Address copied");
    } catch {
      toast("Select the address and copy it", "info");
    }
  });
  openDialog({
    title: "Subscribe to the performances",
    name: "subscribe",
    body: [
      field("Calendar address", url),
      copy,
      h(
        "p.hint.howto",
        "Add it to your calendar app as a subscription by URL (Google Calendar: Other calendars → From URL; Apple Calendar: File → New Calendar Subscription; Outlook: Add calendar → Subscribe from web); it follows every change, in the venue's time.",
      ),
    ],
    cancelLabel: "Close",
  });
}
