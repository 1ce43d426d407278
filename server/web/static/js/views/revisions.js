// The Revisions tab: the loaded show's script revisions — add one, make one current, delete one
// (the server refuses while scheduled performances still use it, and says which).

import { api } from "../api.js";
import { confirmDialog, field, openDialog } from "../dialogs.js";
import { formatDate, h, parseUtc } from "../dom.js";
import { can, state } from "../store.js";
import { showError, toast } from "../toast.js";

export function revisionActions({ refresh }) {
  if (!can.write()) return [];
  const add = h(
    "button.btn.btn-primary",
    { type: "button", dataset: { write: "", focusKey: "new-revision" } },
    "+ New Revision",
  );
  add.addEventListener("click", () => revisionDialog(refresh));
  return [add];
}

function usedBy(revisionId) {
  return state.sessions.filter((s) => s.script_revision_id === revisionId);
}

export function renderRevisionsPanel(root, { refresh }) {
  const writable = can.write();
  const revisions = [...state.revisions].sort((a, b) => b.revision - a.revision);
  const rows = revisions.map((revision) => {
    const current = revision.id === state.currentRevision;
    const rowKey = `rev-${revision.id}`;
    const actions = [];
    if (writable && !current) {
      const set = h(
        "button.btn.btn-secondary.btn-sm",
        {
          type: "button",
          dataset: { write: "", focusKey: `${rowKey}-current`, focusRow: rowKey },
        },
        "Set current",
      );
      set.addEventListener("click", () => setCurrent(revision, set, refresh));
      actions.push(set);
    }
    if (writable && revision.revision !== 1) {
      const remove = h(
        "button.btn.btn-danger-quiet.btn-sm",
        {
          type: "button",
          dataset: { write: "", focusKey: `${rowKey}-delete`, focusRow: rowKey },
        },
        "Delete",
      );
      remove.addEventListener("click", () => deleteRevision(revision, refresh));
      actions.push(remove);
    }
    const parent = state.revisions.find((r) => r.id === revision.previous_revision_id);
    const n = usedBy(revision.id).length;
    return h(
      "tr",
      { dataset: { revisionId: revision.id, focusKey: rowKey } },
      h(
        "td",
        { dataset: { label: "Revision" } },
        h("strong", `Rev ${revision.revision}`),
        current ? h("span.badge.badge-next-up.current-badge", "Current") : null,
      ),
      h("td.rev-description", { dataset: { label: "Description" } }, revision.description),
      h("td.hide-narrow", parent ? `Rev ${parent.revision}` : "—"),
      h("td", { dataset: { label: "Sessions" } }, `${n} session${n === 1 ? "" : "s"}`),
      h("td.hide-narrow", revision.created_at ? formatDate(parseUtc(revision.created_at)) : "—"),
      h("td.actions-cell", actions.length ? h("div.row-actions", actions) : h("span.muted", "—")),
    );
  });
  root.append(
    h(
      "section.panel",
      { role: "tabpanel", "aria-labelledby": "tab-revisions" },
      h(
        "div.panel-head",
        h("span", `${revisions.length} revision${revisions.length === 1 ? "" : "s"}`),
        writable
          ? h("span.muted", "New performances use the current revision.")
          : h("span.muted", "Changing revisions needs the Write role."),
      ),
      h(
        "div.table-wrap",
        h(
          "table.table.revisions-table",
          h(
            "thead",
            h(
              "tr",
              h("th", { scope: "col" }, "Revision"),
              h("th", { scope: "col" }, "Description"),
              h("th.hide-narrow", { scope: "col" }, "Based on"),
              h("th", { scope: "col" }, "Used by"),
              h("th.hide-narrow", { scope: "col" }, "Created"),
              h("th.actions-col", { scope: "col" }, "Actions"),
            ),
          ),
          h("tbody", rows),
        ),
      ),
    ),
  );
}

function revisionDialog(refresh) {
  const description = h("input", { name: "description", autocomplete: "off" });
  const parent = h(
    "select",
    { name: "parent_revision_id" },
    state.revisions.map((r) =>
      h(
        "option",
        { value: String(r.id), selected: r.id === state.currentRevision },
        `Rev ${r.revision} — ${r.description}`,
      ),
    ),
  );
  const current = h("input", { type: "checkbox", name: "set_as_current", checked: true });
  openDialog({
    title: "New script revision",
    name: "new-revision",
    body: [
      field("Description", description, "What changed, e.g. “Cuts after previews”."),
      field("Based on", parent),
      h("label.check", current, h("span", "Make it the current revision")),
    ],
    submitLabel: "Add revision",
    onSubmit: async () => {
      const answer = await api.post("/show/script/revisions", {
        description: description.value,
        parent_revision_id: Number(parent.value),
        set_as_current: current.checked,
      });
      toast(answer.message);
      await refresh();
    },
  });
}

async function setCurrent(revision, button, refresh) {
  button.disabled = true;
  try {
    const answer = await api.post("/show/script/revisions/current", { new_rev_id: revision.id });
    toast(answer.message);
    await refresh();
  } catch (error) {
    showError(error);
    button.disabled = false;
  }
}

function deleteRevision(revision, refresh) {
  const n = usedBy(revision.id).length;
  confirmDialog({
    title: "Delete this revision?",
    name: "delete-revision",
    header: h("div.modal-meta", h("strong", `Rev ${revision.revision}`), revision.description),
    message:
      n > 0
        ? `${n} session${n === 1 ? " uses" : "s use"} it; the server refuses while a scheduled one does.`
        : "No session uses it. This cannot be undone.",
    confirmLabel: "Delete revision",
    danger: true,
    action: async () => {
      const answer = await api.delete(
        `/show/script/revisions?rev_id=${encodeURIComponent(revision.id)}`,
      );
      toast(answer.message);
      await refresh();
    },
  });
}
