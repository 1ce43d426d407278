// First run (create the admin) and sign-in.

import { api, setToken } from "../api.js";
import { field } from "../dialogs.js";
import { h } from "../dom.js";

function authCard({ title, intro, fields, submitLabel, notice, onSubmit }) {
  const alertBox = h("div.alert.alert-error", { role: "alert", hidden: true });
  const noticeBox = notice ? h("div.alert.alert-info", { role: "status" }, notice) : null;
  const submit = h("button.btn.btn-primary.btn-block", { type: "submit" }, submitLabel);
  const form = h("form.auth-form", { novalidate: true }, noticeBox, alertBox, fields, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    alertBox.hidden = true;
    submit.disabled = true;
    try {
      await onSubmit(form);
    } catch (error) {
      alertBox.textContent = error?.message || String(error);
      alertBox.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  return h(
    "section.card.auth-card",
    h("div.auth-brand", h("img", { src: "/static/favicon.svg", alt: "", width: 40, height: 40 })),
    h("h1", title),
    h("p.muted", intro),
    form,
  );
}

async function logIn(username, password, live) {
  const body = { username, password };
  if (live.uuid) body.session_id = live.uuid;
  const answer = await api.post("/auth/login", body, { auth: false });
  setToken(answer.access_token);
  live.authenticate();
}

export function renderFirstRun(root, { live, onSignedIn }) {
  const username = h("input", { name: "username", autocomplete: "username" });
  const password = h("input", { name: "password", type: "password", autocomplete: "new-password" });
  const confirm = h("input", { name: "confirm", type: "password", autocomplete: "new-password" });
  root.append(
    authCard({
      title: "Welcome to DigiScript",
      intro: "No one has signed up yet. Create the administrator account to get started.",
      fields: [
        field("Username", username),
        field("Password", password, "At least 6 characters."),
        field("Confirm password", confirm),
      ],
      submitLabel: "Create admin",
      onSubmit: async () => {
        if (password.value !== confirm.value) throw new Error("The two passwords do not match");
        await api.post(
          "/auth/create",
          { username: username.value, password: password.value, is_admin: true },
          { auth: false },
        );
        await logIn(username.value, password.value, live);
        await onSignedIn();
      },
    }),
  );
  username.focus();
}

export function renderLogin(root, { live, notice, onSignedIn }) {
  const username = h("input", { name: "username", autocomplete: "username" });
  const password = h("input", {
    name: "password",
    type: "password",
    autocomplete: "current-password",
  });
  root.append(
    authCard({
      title: "Sign in",
      intro: "Sign in to plan and run the performances of the loaded show.",
      notice,
      fields: [field("Username", username), field("Password", password)],
      submitLabel: "Sign in",
      onSubmit: async () => {
        await logIn(username.value, password.value, live);
        await onSignedIn();
      },
    }),
  );
  username.focus();
}
