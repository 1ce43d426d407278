// The Tags tab: the loaded show's session tags (Preview, Press Night, ...).

import { api } from "../api.js";
import { confirmDialog, field, openDialog } from "../dialogs.js";
import { h, normaliseColour, tagChip } from "../dom.js";
import { can, state } from "../store.js";
import { toast } from "../toast.js";

// The colours a new tag is offered: white text reads on each (4.8:1 or better).
export const PALETTE = [
  "#2563eb",
  "#15803d",
  "#b45309",
  "#dc2626",
  "#7c3aed",
  "#0e7490",
  "#be185d",
];

export function tagActions({ refresh }) {
  if (!can.write()) return [];
  const add = h(
    "button.btn.btn-primary",
    { type: "button", dataset: { write: "", focusKey: "new-tag" } },
    "+ New Tag",
  );
  add.addEventListener("click", () => tagDialog(null, refresh));
  return [add];
}

export function renderTagsPanel(root, { refresh }) {
  const usage = new Map();
  for (const session of state.sessions) {
    for (const tag of session.tags ?? []) usage.set(tag.id, (usage.get(tag.id) ?? 0) + 1);
  }
  const writable = can.write();
  const rows = state.tags.map((tag) => {
    const actions = [];
    if (writable) {
      const rowKey = `tag-${tag.id}`;
      const edit = h(
        "button.btn.btn-secondary.btn-sm",
        { type: "button", dataset: { write: "", focusKey: `${rowKey}-edit`, focusRow: rowKey } },
        "Edit",
      );
      edit.addEventListener("click", () => tagDialog(tag, refresh));
      const remove = h(
        "button.btn.btn-danger-quiet.btn-sm",
        { type: "button", dataset: { write: "", focusKey: `${rowKey}-delete`, focusRow: rowKey } },
        "Delete",
      );
      remove.addEventListener("click", () => deleteTag(tag, usage.get(tag.id) ?? 0, refresh));
      actions.push(edit, remove);
    }
    const colour = normaliseColour(tag.colour);
    const swatch = h("span.swatch", { "aria-hidden": "true" });
    swatch.style.backgroundColor = colour;
    const count = usage.get(tag.id) ?? 0;
    return h(
      "tr",
      { dataset: { tagId: tag.id, focusKey: `tag-${tag.id}` } },
      h("td", tagChip(tag)),
      h("td", h("span.colour-cell", swatch, h("code", tag.colour))),
      h("td.hide-narrow", `${count} session${count === 1 ? "" : "s"}`),
      h("td.actions-cell", actions.length ? h("div.row-actions", actions) : h("span.muted", "—")),
    );
  });

  root.append(
    h(
      "section.panel",
      { role: "tabpanel", "aria-label": "Tags" },
      h(
        "div.panel-head",
        h("span", `${state.tags.length} tag${state.tags.length === 1 ? "" : "s"}`),
        writable ? null : h("span.muted", "You can view tags; changing them needs the Write role."),
      ),
      rows.length
        ? h(
            "div.table-wrap",
            h(
              "table.table.tags-table",
              h(
                "thead",
                h(
                  "tr",
                  h("th", "Tag"),
                  h("th", "Colour"),
                  h("th.hide-narrow", "Used by"),
                  h("th.actions-col", "Actions"),
                ),
              ),
              h("tbody", rows),
            ),
          )
        : h(
            "div.empty",
            h("h2", "No tags yet"),
            h(
              "p.muted",
              writable
                ? "Tags label performances: Preview, Press Night, Matinee… Add one with + New Tag."
                : "Tags label performances: Preview, Press Night, Matinee…",
            ),
          ),
    ),
  );
}

function tagDialog(tag, refresh) {
  const name = h("input", { name: "tag", autocomplete: "off", value: tag?.tag ?? "" });
  const initial = tag ? normaliseColour(tag.colour) : PALETTE[state.tags.length % PALETTE.length];
  const colour = h("input", { name: "colour", type: "color", value: initial });
  const hex = h("code.colour-value", initial);
  const preview = h("span.chip-preview");
  const updatePreview = () => {
    hex.textContent = colour.value;
    preview.replaceChildren(
      tagChip({ id: 0, tag: name.value.trim() || "Tag", colour: colour.value }),
    );
  };
  colour.addEventListener("input", updatePreview);
  name.addEventListener("input", updatePreview);
  updatePreview();
  openDialog({
    title: tag ? "Edit tag" : "New tag",
    name: tag ? "edit-tag" : "new-tag",
    size: "narrow",
    body: [
      field("Name", name),
      h(
        "div.field",
        h("label", { for: "tag-colour" }, "Colour"),
        h("div.colour-picker", Object.assign(colour, { id: "tag-colour" }), hex, preview),
      ),
    ],
    submitLabel: tag ? "Save tag" : "Add tag",
    onSubmit: async () => {
      const body = { tag: name.value, colour: colour.value };
      const answer = tag
        ? await api.patch("/show/session/tags", { id: tag.id, ...body })
        : await api.post("/show/session/tags", body);
      toast(answer.message);
      await refresh();
    },
  });
}

function deleteTag(tag, count, refresh) {
  confirmDialog({
    title: "Delete tag?",
    name: "delete-tag",
    header: h("div.modal-meta", tagChip(tag)),
    message:
      count > 0
        ? `It is taken off ${count} session${count === 1 ? "" : "s"}; the sessions themselves stay.`
        : "No session uses it.",
    confirmLabel: "Delete tag",
    danger: true,
    action: async () => {
      const answer = await api.delete(`/show/session/tags?id=${encodeURIComponent(tag.id)}`);
      toast(answer.message);
      await refresh();
    },
  });
}
