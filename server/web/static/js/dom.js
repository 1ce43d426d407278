// Small helpers for building the page: elements, badges, tag chips and local-time formatting.

// h("button.btn.btn-primary", {onclick}, "Save") -> <button class="btn btn-primary">Save</button>
export function h(spec, attrs = {}, ...children) {
  if (
    attrs === null ||
    typeof attrs !== "object" ||
    attrs instanceof Node ||
    Array.isArray(attrs)
  ) {
    children.unshift(attrs);
    attrs = {};
  }
  const [tag, ...classes] = spec.split(".");
  const el = document.createElement(tag || "div");
  if (classes.length) el.className = classes.join(" ");
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      el.className = [el.className, value].filter(Boolean).join(" ");
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key === "style") {
      Object.assign(el.style, value);
    } else if (key in el && typeof value !== "string") {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : value);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// --- time ---------------------------------------------------------------------------------------

// The API writes UTC without an offset; without the "Z" a browser would read it as local time.
export function parseUtc(value) {
  if (!value) return null;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
}

const dateFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
});
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const timeSecondsFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const dayFormat = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
});

export const formatDate = (date) => dateFormat.format(date);
export const formatTime = (date) => timeFormat.format(date);
export const formatTimeSeconds = (date) => timeSecondsFormat.format(date);
export const formatDateTime = (date) => `${formatDate(date)} · ${formatTime(date)}`;

// "2026-12-01" (a calendar date, no time zone) -> "1 Dec 2026"
export function formatDay(isoDate) {
  if (!isoDate) return "";
  const [y, m, d] = isoDate.split("-").map(Number);
  return dayFormat.format(new Date(y, m - 1, d));
}

export function localTimeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "local time";
}

const pad = (n) => String(n).padStart(2, "0");

// A Date -> the "YYYY-MM-DDTHH:MM" a datetime-local input shows, in the browser's time zone.
export function toLocalInputValue(date) {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

// A datetime-local value is the browser's local time; the API wants an instant.
export function localInputToUtcIso(value) {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || seconds < 0) return "—";
  const s = Math.round(seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (hours) return `${hours} h ${pad(minutes)} min ${pad(rest)} s`;
  if (minutes) return `${minutes} min ${pad(rest)} s`;
  return `${rest} s`;
}

// --- badges and chips ---------------------------------------------------------------------------

export const STATUS_LABELS = {
  scheduled: "Scheduled",
  next_up: "Next Up",
  in_progress: "In Progress",
  complete: "Complete",
  overdue: "Overdue",
};

export function statusBadge(status) {
  return h(
    `span.badge.badge-${status.replace("_", "-")}`,
    { dataset: { status } },
    status === "in_progress" ? h("span.pulse", { "aria-hidden": "true" }) : null,
    STATUS_LABELS[status] ?? status,
  );
}

function hexToRgb(colour) {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour?.trim() ?? "");
  if (!match) return null;
  let hex = match[1];
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join("");
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function luminance(rgb) {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// White or black, whichever contrasts more with the tag's colour (WCAG relative luminance):
// the better of the two is always at least 4.58:1.
export function readableTextOn(rgb) {
  const l = luminance(rgb);
  const onWhite = 1.05 / (l + 0.05);
  const onBlack = (l + 0.05) / 0.05;
  return onWhite >= onBlack ? "#ffffff" : "#000000";
}

export function tagChip(tag) {
  const chip = h("span.chip", { title: tag.tag, dataset: { tagId: tag.id } }, tag.tag);
  const rgb = hexToRgb(tag.colour);
  if (rgb) {
    chip.style.backgroundColor = `rgb(${rgb.join(",")})`;
    chip.style.color = readableTextOn(rgb);
  }
  return chip;
}

export function normaliseColour(colour) {
  const rgb = hexToRgb(colour);
  return rgb ? `#${rgb.map((v) => v.toString(16).padStart(2, "0")).join("")}` : "#6b7280";
}

// A running clock: 0:07:05, 2:31:40.
export function formatClock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

// A gap between two moments in words: "4 days 2 h", "5 h 10 min", "25 min".
export function formatGap(ms) {
  const minutes = Math.round(Math.abs(ms) / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [];
  if (days) parts.push(`${days} day${days === 1 ? "" : "s"}`);
  if (hours) parts.push(`${hours} h`);
  if (!days && rest) parts.push(`${rest} min`);
  return parts.join(" ") || "less than a minute";
}

// The calendar date of an instant in the browser's time zone, "YYYY-MM-DD".
export function localDayKey(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
