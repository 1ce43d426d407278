// Notices in the corner: successes fade away, errors stay until dismissed so none goes unseen.

import { h } from "./dom.js";
import { explain } from "./messages.js";

function container() {
  return document.getElementById("toasts");
}

export function toast(message, kind = "success", detail = "") {
  // The same error again (say, the server still unreachable a minute later) is not stacked.
  for (const shown of container().querySelectorAll(`.toast-${kind} .toast-message`)) {
    if (shown.textContent === message) return shown.closest(".toast");
  }
  const close = h("button.icon-btn", { type: "button", "aria-label": "Dismiss" }, "×");
  const item = h(
    `div.toast.toast-${kind}`,
    { role: kind === "error" ? "alert" : "status" },
    h(
      "div.toast-text",
      h("span.toast-message", message),
      detail ? h("span.error-server", "Server: ", h("code", detail)) : null,
    ),
    close,
  );
  close.addEventListener("click", () => item.remove());
  container().append(item);
  if (kind !== "error") setTimeout(() => item.remove(), 4000);
  return item;
}

export function showError(error) {
  const { plain, server } = explain(error);
  return toast(plain, "error", server);
}
