// The admin's Users page: everyone who can sign in, with their role on the loaded show —
// create, delete, reset a password (the temporary one is shown once), change roles.

import { api } from "../api.js";
import { confirmDialog, field, openDialog } from "../dialogs.js";
import { formatDateTime, h, parseUtc } from "../dom.js";
import { ROLE, state } from "../store.js";
import { toast } from "../toast.js";

const ROLE_NAMES = [
  [ROLE.READ, "Read"],
  [ROLE.WRITE, "Write"],
  [ROLE.EXECUTE, "Execute"],
];

// What the page last read: the users and each one's mask on the loaded show.
const data = { users: null, masks: new Map(), loading: null, error: null, stale: true };

// The next drawing reads the list again (a notice said users or roles changed, or the page was
// opened anew).
export function markUsersStale() {
  data.stale = true;
}

async function load(redraw) {
  if (data.loading) return data.loading;
  data.loading = (async () => {
    try {
      const answer = await api.get("/auth/users");
      const users = answer.users ?? [];
      const masks = new Map();
      if (state.settings?.current_show) {
        await Promise.all(
          users
            .filter((u) => !u.is_admin)
            .map(async (u) => {
              const objects = await api.get(
                `/rbac/user/objects?resource=shows&user=${encodeURIComponent(u.id)}`,
              );
              const entry = objects.objects?.[0];
              masks.set(u.id, Array.isArray(entry) ? Number(entry[1]) : 0);
            }),
        );
      }
      Object.assign(data, { users, masks, error: null });
    } catch (error) {
      data.error = error;
    } finally {
      data.loading = null;
    }
    redraw();
  })();
  return data.loading;
}

function roleSummary(user) {
  if (user.is_admin) return "Every role (admin)";
  const mask = data.masks.get(user.id) ?? 0;
  const names = ROLE_NAMES.filter(([bit]) => mask & bit).map(([, name]) => name);
  return names.length ? names.join(" · ") : "None";
}

export function renderUsersPage(root, ctx) {
  const reload = async () => {
    await load(ctx.redraw);
  };
  // The last answer shows while a fresh one is read.
  if (data.stale && !data.loading) {
    data.stale = false;
    load(ctx.redraw);
  }

  const add = h(
    "button.btn.btn-primary",
    { type: "button", dataset: { write: "", focusKey: "new-user" } },
    "+ New User",
  );
  add.addEventListener("click", () => createUserDialog(reload));
  const show = state.show;
  root.append(
    h(
      "div.page-head",
      h(
        "div",
        h("h1", "Users"),
        h(
          "p.muted",
          show
            ? `Roles are per show; these are the roles on ${show.name}, the loaded show.`
            : "Roles are per show; load a show to grant them.",
        ),
      ),
      h("div.page-actions", add),
    ),
  );
  if (!data.users) {
    root.append(
      h(
        "section.panel",
        h("div.empty", h("p.muted", data.error ? data.error.message : "Loading users…")),
      ),
    );
    return;
  }
  const me = state.user?.id;
  const rows = data.users.map((user) => {
    const rowKey = `user-${user.id}`;
    const button = (label, cls, onClick) => {
      const b = h(
        `button.btn.btn-sm.${cls}`,
        {
          type: "button",
          dataset: {
            write: "",
            focusKey: `${rowKey}-${label.toLowerCase().replace(/\s+/g, "-")}`,
            focusRow: rowKey,
          },
        },
        label,
      );
      b.addEventListener("click", onClick);
      return b;
    };
    const actions = [];
    if (!user.is_admin && show)
      actions.push(button("Roles", "btn-secondary", () => rolesDialog(user, reload)));
    if (user.id !== me) {
      actions.push(button("Reset password", "btn-secondary", () => resetDialog(user, reload)));
      actions.push(button("Delete", "btn-danger-quiet", () => deleteDialog(user, reload)));
    }
    const lastLogin = parseUtc(user.last_login);
    return h(
      "tr",
      { dataset: { userId: user.id, focusKey: rowKey } },
      h(
        "td",
        { dataset: { label: "User" } },
        h("strong.username", user.username),
        user.is_admin ? h("span.badge.badge-scheduled.admin-badge", "Admin") : null,
        user.id === me ? h("span.muted", " (you)") : null,
      ),
      h("td.user-roles", { dataset: { label: "Roles" } }, roleSummary(user)),
      h("td.hide-narrow", lastLogin ? formatDateTime(lastLogin) : "Never"),
      h("td.actions-cell", actions.length ? h("div.row-actions", actions) : h("span.muted", "—")),
    );
  });
  root.append(
    h(
      "section.panel",
      h(
        "div.panel-head",
        h("span", `${data.users.length} user${data.users.length === 1 ? "" : "s"}`),
      ),
      h(
        "div.table-wrap",
        h(
          "table.table.users-table",
          h(
            "thead",
            h(
              "tr",
              h("th", { scope: "col" }, "User"),
              h("th", { scope: "col" }, show ? `Roles on ${show.name}` : "Roles"),
              h("th.hide-narrow", { scope: "col" }, "Last sign-in"),
              h("th.actions-col", { scope: "col" }, "Actions"),
            ),
          ),
          h("tbody", rows),
        ),
      ),
    ),
  );
}

function createUserDialog(reload) {
  const username = h("input", { name: "username", autocomplete: "off" });
  const password = h("input", { name: "password", type: "password", autocomplete: "new-password" });
  const admin = h("input", { type: "checkbox", name: "is_admin" });
  openDialog({
    title: "New user",
    name: "new-user",
    size: "narrow",
    body: [
      field("Username", username),
      field("Password", password, "At least 6 characters. They can change it later."),
      h("label.check", admin, h("span", "Admin (every role on every show)")),
    ],
    submitLabel: "Create user",
    onSubmit: async () => {
      const answer = await api.post("/auth/create", {
        username: username.value,
        password: password.value,
        is_admin: admin.checked,
      });
      toast(answer.message);
      await reload();
    },
  });
}

function rolesDialog(user, reload) {
  const show = state.show;
  const mask = data.masks.get(user.id) ?? 0;
  const boxes = ROLE_NAMES.map(([bit, name]) =>
    h(
      "label.check",
      h("input", {
        type: "checkbox",
        name: "role",
        value: String(bit),
        checked: (mask & bit) !== 0,
      }),
      h("span", name),
    ),
  );
  openDialog({
    title: `Roles of ${user.username}`,
    name: "user-roles",
    size: "narrow",
    header: h("div.modal-meta", h("span.muted", `On ${show.name}`)),
    body: h(
      "fieldset.field.role-boxes",
      h("legend", "Roles"),
      boxes,
      h("p.hint", "Read sees the show; Write edits tags and revisions; Execute runs sessions."),
    ),
    submitLabel: "Save roles",
    onSubmit: async (form) => {
      let wanted = 0;
      for (const input of form.querySelectorAll("input[name=role]:checked"))
        wanted |= Number(input.value);
      const grant = wanted & ~mask;
      const revoke = mask & ~wanted;
      const target = { resource: "shows", object: { id: show.id }, user: user.id };
      if (grant) await api.post("/rbac/user/roles/grant", { ...target, role: grant });
      if (revoke) await api.post("/rbac/user/roles/revoke", { ...target, role: revoke });
      toast(
        grant || revoke ? `Roles of ${user.username} saved` : "Nothing changed",
        grant || revoke ? "success" : "info",
      );
      await reload();
    },
  });
}

function resetDialog(user, reload) {
  confirmDialog({
    title: "Reset this password?",
    name: "reset-password",
    header: h("div.modal-meta", h("strong", user.username)),
    message: `${user.username} gets a temporary password, to change at their next sign-in; they are signed out everywhere.`,
    confirmLabel: "Reset password",
    danger: true,
    action: async () => {
      const answer = await api.post("/auth/reset-password", { user_id: user.id });
      await reload();
      // Shown once, here: the server keeps only its hash.
      showTemporaryPassword(user, answer.temporary_password);
    },
  });
}

function showTemporaryPassword(user, password) {
  const value = h("input.temp-password", {
    readonly: true,
    value: password,
    name: "temporary_password",
  });
  const copy = h("button.btn.btn-secondary.btn-sm", { type: "button" }, "Copy");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(password);
      toast("Copied");
    } catch {
      value.select();
    }
  });
  openDialog({
    title: "Temporary password",
    name: "temporary-password",
    size: "narrow",
    header: h("div.modal-meta", h("strong", user.username)),
    body: [
      field("Temporary password", value),
      h("div.copy-row", copy),
      h("p.hint", "Shown only now. Give it to them privately; they choose a new one at sign-in."),
    ],
    cancelLabel: "Done",
  });
}

function deleteDialog(user, reload) {
  confirmDialog({
    title: "Delete this user?",
    name: "delete-user",
    header: h("div.modal-meta", h("strong", user.username)),
    message: "Their roles and settings go with them. This cannot be undone.",
    confirmLabel: "Delete user",
    danger: true,
    action: async () => {
      const answer = await api.delete(`/api/v2/users?id=${encodeURIComponent(user.id)}`);
      toast(answer.message);
      await reload();
    },
  });
}
