// The server's refusals in plain words. The server's own text is kept beside them, so nothing
// it said is lost (support can search for it), but the first thing read is a sentence.

const KNOWN = [
  [
    /session already started/i,
    "This performance has already started, so it cannot be changed now.",
  ],
  [
    /session already active|current session in progress/i,
    "A performance is running: stop it first.",
  ],
  [/no active session/i, "No performance is running any more."],
  [/session already cancelled/i, "This performance is already cancelled."],
  [/session not cancelled/i, "This performance is not cancelled (any more): nothing to reinstate."],
  [/session cancelled/i, "This performance is cancelled: reinstate it before starting it."],
  [/session not found/i, "This performance no longer exists: someone may have deleted it."],
  [
    /scheduled sessions?/i,
    "Scheduled performances still use this revision: move them to another revision first.",
  ],
  [/first script revision/i, "The first revision of a script is kept: it cannot be deleted."],
  [
    /unable to find session given session_id/i,
    "This page lost its live connection. Wait for “Connected”, then try again.",
  ],
  [/invalid username\/password/i, "That username and password do not match."],
  [/username already taken/i, "That username is already taken."],
  [/password must be at least/i, "The password is too short: use at least 6 characters."],
  [/only admin/i, "There must always be at least one admin."],
  [/currently authenticated user|yourself/i, "You cannot do this to your own account."],
];

const BY_STATUS = {
  400: "The server could not accept this.",
  401: "Your sign-in has expired. Please sign in again.",
  403: "Your role on this show does not allow this.",
  404: "This no longer exists: someone may have deleted it a moment ago.",
  409: "This changed elsewhere in the meantime, so it was not done.",
  429: "Too many attempts. Wait a little, then try again.",
};

/** {plain, server}: a sentence for people, and the server's text as it was sent ("" when the
 * sentence already is the server's text or the page's own). */
export function explain(error) {
  const text = error?.message || String(error ?? "");
  const status = error?.status;
  // Not from the server: the page's own wording (no connection, a check made here).
  if (!status) return { plain: text || "Something went wrong.", server: "" };
  for (const [pattern, plain] of KNOWN) {
    if (pattern.test(text)) return { plain, server: text };
  }
  // Field checks already read as sentences ("Description missing"): shown as they are.
  if (status === 400 && text && !/^\d{3}\b/.test(text)) return { plain: text, server: "" };
  return { plain: BY_STATUS[status] ?? "The server refused this.", server: text };
}
