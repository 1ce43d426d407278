// The choices a performance is planned with, shared by the schedule and plan-a-run dialogs:
// the show's tags as checkboxes and its script revisions as a select.
import { h, tagChip } from "../dom.js";
import { state } from "../store.js";

export function tagPicker(selectedIds) {
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

export function revisionSelect(selectedId) {
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
