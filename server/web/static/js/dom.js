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

// Times are shown and taken in the venue's time zone (the show's `time_zone`), labelled, with
// the viewer's own time second where it differs. Without a show, the browser's zone.
const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
let venueZone = viewerZone;
let formats = null;

function makeFormats(zone) {
  const f = (options) => new Intl.DateTimeFormat(undefined, { ...options, timeZone: zone });
  return {
    date: f({ weekday: "short", day: "numeric", month: "short", year: "numeric" }),
    time: f({ hour: "2-digit", minute: "2-digit" }),
    timeSeconds: f({ hour: "2-digit", minute: "2-digit", second: "2-digit" }),
    dayLabel: f({ weekday: "short", day: "numeric", month: "short" }),
    parts: new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }),
  };
}

/** Sets the zone every time on the page is shown and taken in (an IANA name; null: the
 * browser's own). Answers whether it changed. */
export function setVenueZone(name) {
  const zone = name && isZoneName(name) ? name : viewerZone;
  if (formats && zone === venueZone) return false;
  venueZone = zone;
  formats = makeFormats(zone);
  return true;
}
setVenueZone(null);

export function isZoneName(name) {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const getVenueZone = () => venueZone;
export const getViewerZone = () => viewerZone;
/** Whether the viewer's clock differs from the venue's (then their time is shown second). */
export const viewerDiffers = () => venueZone !== viewerZone;

export const formatDate = (date) => formats.date.format(date);
export const formatTime = (date) => formats.time.format(date);
export const formatTimeSeconds = (date) => formats.timeSeconds.format(date);
export const formatDayLabel = (date) => formats.dayLabel.format(date);

const abbreviations = new Map();
// "GMT", "BST", "CET", "EST": the zone's short name at that moment, as people write it.
export function zoneAbbreviation(date, zone = venueZone) {
  const name = (locale) =>
    new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" })
      .formatToParts(date)
      .find((p) => p.type === "timeZoneName")?.value ?? "";
  const key = `${zone}|${Math.floor(date.getTime() / 3_600_000)}`;
  if (abbreviations.has(key)) return abbreviations.get(key);
  let label = name(undefined);
  if (/^(GMT|UTC)[+-]/.test(label)) {
    const other = name("en-US");
    if (!/^(GMT|UTC)[+-]/.test(other)) label = other;
  }
  abbreviations.set(key, label);
  return label;
}

// "19:30 GMT"
export const formatTimeZoned = (date) => `${formatTime(date)} ${zoneAbbreviation(date)}`;
export const formatDateTime = (date) => `${formatDate(date)} · ${formatTimeZoned(date)}`;

const viewerTime = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const viewerDay = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
});
/** The same moment on the viewer's own clock ("14:30 EST", with the day when it is another
 * day there), or "" when the viewer is in the venue's zone. */
export function viewerTimeText(date) {
  if (!date || !viewerDiffers()) return "";
  const sameDay = localDayKey(date) === dayKeyIn(date, viewerZone);
  const time = `${viewerTime.format(date)} ${zoneAbbreviation(date, viewerZone)}`;
  return sameDay ? time : `${viewerDay.format(date)} ${time}`;
}

// "2026-12-01" (a calendar date, no time zone) -> "1 Dec 2026"
const dayFormat = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
});
export function formatDay(isoDate) {
  if (!isoDate) return "";
  const [y, m, d] = isoDate.split("-").map(Number);
  return dayFormat.format(new Date(y, m - 1, d));
}

/** The zone times are shown in (the venue's). */
export function localTimeZone() {
  return venueZone;
}

const pad = (n) => String(n).padStart(2, "0");

function wallParts(date, zone) {
  const fmt = zone === venueZone ? formats.parts : makeFormats(zone).parts;
  const out = {};
  for (const part of fmt.formatToParts(date)) out[part.type] = part.value;
  return out;
}

function dayKeyIn(date, zone) {
  const p = wallParts(date, zone);
  return `${p.year}-${p.month}-${p.day}`;
}

// The zone's offset from UTC at an instant, in milliseconds.
function offsetAt(ms, zone) {
  const p = wallParts(new Date(ms), zone);
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

// A Date -> the "YYYY-MM-DDTHH:MM" a datetime-local input shows, in the venue's zone.
export function toLocalInputValue(date) {
  const p = wallParts(date, venueZone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

export class WallTimeError extends Error {}

/**
 * The instants a venue wall time ("YYYY-MM-DDTHH:MM") names: none when a clock change skips
 * it, two when one repeats it. Found by trying the offsets in force around it.
 */
export function wallTimeInstants(value, zone = venueZone) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value ?? "");
  if (!match) return null;
  const [y, mo, d, hh, mi] = match.slice(1).map(Number);
  const wall = Date.UTC(y, mo - 1, d, hh, mi);
  const found = new Set();
  for (const probe of [wall - 86_400_000, wall, wall + 86_400_000]) {
    const candidate = wall - offsetAt(probe, zone);
    if (offsetAt(candidate, zone) === wall - candidate) found.add(candidate);
  }
  return [...found].sort((a, b) => a - b).map((ms) => new Date(ms));
}

/** A venue wall time -> the UTC instant the API wants; a time a clock change skips or repeats
 * is refused in words, never moved. */
export function localInputToUtcIso(value) {
  if (!value) return undefined;
  const instants = wallTimeInstants(value);
  if (instants === null) throw new WallTimeError("Enter a date and a time.");
  const [date, time] = value.split("T");
  const when = `${time.slice(0, 5)} on ${formatDay(date)}`;
  if (!instants.length)
    throw new WallTimeError(
      `${when} does not exist in ${venueZone}: the clocks go forward then. Choose another time.`,
    );
  if (instants.length > 1)
    throw new WallTimeError(
      `${when} happens twice in ${venueZone}: the clocks go back then. Choose another time.`,
    );
  return instants[0].toISOString().replace(/\.\d{3}Z$/, "Z");
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
  cancelled: "Cancelled",
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

// The calendar date of an instant at the venue, "YYYY-MM-DD".
export function localDayKey(date) {
  return dayKeyIn(date, venueZone);
}
