// Modal dialogs on <dialog>: forms and confirmations whose errors stay visible inside the dialog.

import { h } from "./dom.js";

let nextId = 1;

/**
 * Open a modal. `onSubmit(form)` runs on submit; if it throws, its message is shown in the
 * dialog and the dialog stays open, otherwise the dialog closes. Resolves true once submitted.
 */
export function openDialog({
  title,
  header = null,
  body = null,
  submitLabel = null,
  submitClass = "btn-primary",
  cancelLabel = "Cancel",
  onSubmit = null,
  size = "",
  name = "",
}) {
  const titleId = `dialog-title-${nextId++}`;
  const alertBox = h("div.alert.alert-error", { role: "alert", hidden: true });
  const submit = submitLabel
    ? h(`button.btn.${submitClass}`, { type: "submit", value: "submit" }, submitLabel)
    : null;
  const cancel = h("button.btn.btn-secondary", { type: "button" }, cancelLabel);
  const closeX = h("button.icon-btn", { type: "button", "aria-label": "Close dialog" }, "×");
  const form = h(
    "form.modal-form",
    { novalidate: true, method: "dialog" },
    h(
      "header.modal-header",
      h("div.modal-heading", h("h2", { id: titleId }, title), header),
      closeX,
    ),
    h("div.modal-body", alertBox, body),
    h("footer.modal-footer", cancel, submit),
  );
  const dialog = h(
    `dialog.modal${size ? `.modal-${size}` : ""}`,
    { "aria-labelledby": titleId, dataset: { dialog: name } },
    form,
  );

  let busy = false;
  let submitted = false;
  const setBusy = (value) => {
    busy = value;
    for (const button of form.querySelectorAll("button")) button.disabled = value;
    dialog.toggleAttribute("aria-busy", value);
  };

  return new Promise((resolve) => {
    const close = () => {
      if (dialog.open) dialog.close();
    };
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(submitted);
    });
    dialog.addEventListener("cancel", (event) => {
      if (busy) event.preventDefault();
    });
    cancel.addEventListener("click", close);
    closeX.addEventListener("click", close);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (busy || !onSubmit) return;
      alertBox.hidden = true;
      setBusy(true);
      try {
        await onSubmit(form);
        submitted = true;
        setBusy(false);
        close();
      } catch (error) {
        setBusy(false);
        alertBox.textContent = error?.message || String(error);
        alertBox.hidden = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    const first = form.querySelector(
      ".modal-body input:not([type=hidden]), .modal-body select, .modal-body textarea",
    );
    (first ?? submit ?? cancel).focus();
  });
}

export function confirmDialog({
  title,
  header = null,
  message,
  confirmLabel,
  danger = false,
  action,
  name = "",
}) {
  return openDialog({
    title,
    header,
    body: typeof message === "string" ? h("p", message) : message,
    submitLabel: confirmLabel,
    submitClass: danger ? "btn-danger" : "btn-primary",
    onSubmit: action,
    name,
  });
}

export function field(label, control, hint = null) {
  const id = control.id || `field-${nextId++}`;
  control.id = id;
  return h("div.field", h("label", { for: id }, label), control, hint ? h("p.hint", hint) : null);
}
