// Notices in the corner: successes fade away, errors stay until dismissed so none goes unseen.

import { h } from "./dom.js";

function container() {
  return document.getElementById("toasts");
}

export function toast(message, kind = "success") {
  // The same error again (say, the server still unreachable a minute later) is not stacked.
  for (const shown of container().querySelectorAll(`.toast-${kind} .toast-text`)) {
    if (shown.textContent === message) return shown.parentElement;
  }
  const close = h("button.icon-btn", { type: "button", "aria-label": "Dismiss" }, "×");
  const item = h(
    `div.toast.toast-${kind}`,
    { role: kind === "error" ? "alert" : "status" },
    h("span.toast-text", message),
    close,
  );
  close.addEventListener("click", () => item.remove());
  container().append(item);
  if (kind !== "error") setTimeout(() => item.remove(), 4000);
  return item;
}

export function showError(error) {
  return toast(error?.message || String(error), "error");
}
