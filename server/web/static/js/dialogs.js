// Modal dialogs on <dialog>: forms and confirmations whose errors stay visible inside the dialog.
// A destructive one opens on Cancel; closing one puts focus back where it was (on the same
// button or row when the page was redrawn meanwhile).

import { h } from "./dom.js";
import { explain } from "./messages.js";

let nextId = 1;

/** The error's plain words, and the server's own text on a details line beneath. */
export function errorContent(error) {
  const { plain, server } = explain(error);
  return [
    h("p.error-plain", plain),
    server ? h("p.error-server", "Server: ", h("code", server)) : null,
  ];
}

// Where focus goes back to: the opener if it is still on the page, else the element that took
// its place (same data-focus-key), else its row, else the page's heading.
function focusBack(opener, fallbackKey) {
  const find = (key) =>
    key ? document.querySelector(`[data-focus-key="${CSS.escape(key)}"]`) : null;
  const target =
    (opener?.isConnected ? opener : null) ??
    find(opener?.dataset?.focusKey) ??
    find(opener?.dataset?.focusRow) ??
    find(fallbackKey) ??
    document.querySelector("#app h1");
  if (!target) return;
  if (!target.matches("button, a, input, select, textarea, [tabindex]")) target.tabIndex = -1;
  target.focus();
}

/**
 * Open a modal. `onSubmit(form, submitter)` runs on submit; if it throws, its message is shown
 * in the dialog and the dialog stays open; if it answers false the dialog stays open too;
 * otherwise the dialog closes. Resolves true once submitted.
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
  focusCancel = false,
  returnFocusTo = null,
  extraButtons = [],
}) {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
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
    h("footer.modal-footer", cancel, submit, extraButtons),
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
      focusBack(opener, returnFocusTo);
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
        // false: done, but the dialog stays open (a preview, "save and add another").
        const kept = (await onSubmit(form, event.submitter ?? null)) === false;
        submitted = true;
        setBusy(false);
        if (!kept) close();
      } catch (error) {
        setBusy(false);
        alertBox.replaceChildren(...errorContent(error).filter(Boolean));
        alertBox.hidden = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    const first = form.querySelector(
      ".modal-body input:not([type=hidden]), .modal-body select, .modal-body textarea",
    );
    (focusCancel ? cancel : (first ?? submit ?? cancel)).focus();
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
  returnFocusTo = null,
}) {
  return openDialog({
    title,
    header,
    body: typeof message === "string" ? h("p", message) : message,
    submitLabel: confirmLabel,
    submitClass: danger ? "btn-danger" : "btn-primary",
    onSubmit: action,
    name,
    // A slip of Enter must not destroy anything.
    focusCancel: danger,
    returnFocusTo,
  });
}

export function field(label, control, hint = null) {
  const id = control.id || `field-${nextId++}`;
  control.id = id;
  return h("div.field", h("label", { for: id }, label), control, hint ? h("p.hint", hint) : null);
}
