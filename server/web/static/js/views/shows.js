// The admin's show picker: create a show and load it for everyone.

import { api } from "../api.js";
import { field, openDialog } from "../dialogs.js";
import { formatDay, getViewerZone, h, parseUtc, formatDate } from "../dom.js";
import { state } from "../store.js";
import { showError, toast } from "../toast.js";

export function renderShowsPage(root, { refresh }) {
  const newShow = h(
    "button.btn.btn-primary",
    { type: "button", dataset: { write: "", focusKey: "new-show" } },
    "+ New Show",
  );
  newShow.addEventListener("click", () => createShowDialog(refresh));

  const loadedId = state.settings?.current_show ?? null;
  const rows = state.shows.map((show) => {
    const loaded = show.id === loadedId;
    let action = loaded
      ? h("span.badge.badge-next-up", "Loaded")
      : h(
          "button.btn.btn-secondary.btn-sm",
          { type: "button", dataset: { write: "", focusKey: `show-${show.id}-load` } },
          "Load",
        );
    if (!loaded) action.addEventListener("click", () => loadShow(show, action, refresh));
    if (loaded) {
      const edit = h(
        "button.btn.btn-secondary.btn-sm",
        { type: "button", dataset: { write: "", focusKey: `show-${show.id}-edit` } },
        "Edit",
      );
      edit.addEventListener("click", () => editShowDialog(refresh));
      action = h("div.row-actions", action, edit);
    }
    return h(
      "tr",
      { dataset: { showId: show.id } },
      h("td", h("strong", show.name)),
      h("td", `${formatDay(show.start_date)} – ${formatDay(show.end_date)}`),
      h("td.show-zone", show.time_zone ?? "—"),
      h("td.hide-narrow", show.created_at ? formatDate(parseUtc(show.created_at)) : "—"),
      h("td.actions-cell", action),
    );
  });

  root.append(
    h(
      "div.page-head",
      h(
        "div",
        h("h1", "Shows"),
        h("p.muted", "The loaded show is the one everyone plans and runs sessions for."),
      ),
      h("div.page-actions", newShow),
    ),
    h(
      "section.panel",
      rows.length
        ? h(
            "div.table-wrap",
            h(
              "table.table",
              h(
                "thead",
                h(
                  "tr",
                  h("th", "Name"),
                  h("th", "Dates"),
                  h("th", "Time zone"),
                  h("th.hide-narrow", "Created"),
                  h("th.actions-col", "Actions"),
                ),
              ),
              h("tbody", rows),
            ),
          )
        : h(
            "div.empty",
            h("h2", "No shows yet"),
            h("p.muted", "Create the first show with + New Show; it is loaded straight away."),
          ),
    ),
  );
}

async function loadShow(show, button, refresh) {
  button.disabled = true;
  try {
    await api.patch("/settings", { current_show: show.id });
    toast(`${show.name} is now the loaded show`);
    await refresh();
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

function createShowDialog(refresh) {
  const name = h("input", { name: "name", autocomplete: "off" });
  const start = h("input", { name: "start", type: "date" });
  const end = h("input", { name: "end", type: "date" });
  const load = h("input", { name: "load", type: "checkbox", checked: true });
  const zone = zoneInput(getViewerZone());
  openDialog({
    title: "New show",
    name: "new-show",
    body: [
      field("Show name", name),
      h("div.field-row", field("First performance", start), field("Last performance", end)),
      zoneField(zone),
      h("label.check", load, h("span", "Load this show now")),
    ],
    submitLabel: "Create show",
    onSubmit: async () => {
      const answer = await api.post(`/show?load=${load.checked ? "true" : "false"}`, {
        name: name.value,
        start: start.value,
        end: end.value,
        script_mode: 1,
        time_zone: zone.value.trim() || undefined,
      });
      toast(answer.message || "Show created");
      await refresh();
    },
  });
}

// The venue's IANA time zone: typed, with every zone the browser knows offered as you type.
function zoneInput(value) {
  return h("input", {
    name: "time_zone",
    list: "time-zones",
    autocomplete: "off",
    spellcheck: false,
    value: value ?? "",
  });
}

function zoneField(input) {
  const zones =
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return h(
    "div.zone-field",
    field(
      "Venue time zone",
      input,
      "Where the show plays, e.g. Europe/London: every time is shown and planned in it.",
    ),
    h(
      "datalist",
      { id: "time-zones" },
      zones.map((z) => h("option", { value: z })),
    ),
  );
}

function editShowDialog(refresh) {
  const show = state.show;
  if (!show) return;
  const name = h("input", { name: "name", autocomplete: "off", value: show.name });
  const start = h("input", { name: "start", type: "date", value: show.start_date });
  const end = h("input", { name: "end", type: "date", value: show.end_date });
  const zone = zoneInput(show.time_zone);
  openDialog({
    title: "Edit show",
    name: "edit-show",
    body: [
      field("Show name", name),
      h("div.field-row", field("First performance", start), field("Last performance", end)),
      zoneField(zone),
    ],
    submitLabel: "Save changes",
    onSubmit: async () => {
      const answer = await api.patch("/show", {
        name: name.value,
        start_date: start.value,
        end_date: end.value,
        // Sent as it is, so the running order's first act is kept.
        first_act_id: show.first_act_id ?? null,
        time_zone: zone.value.trim() || undefined,
      });
      toast(answer.message || "Show saved");
      await refresh();
    },
  });
}
