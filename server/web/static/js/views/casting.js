// The Casting tab: who plays each character at the performances to come (one column per
// performance, covers marked, the server's warnings beside them), a cell changed by choosing
// from the character's pool, and each character's pool kept in order (principal first).

import { api } from "../api.js";
import {
  formatDayLabel,
  formatTimeZoned,
  h,
  localDayKey,
  parseUtc,
  statusBadge,
} from "../dom.js";
import { can, state } from "../store.js";
import { showError, toast } from "../toast.js";

// The matrix covers this many days from today; at most this many performances are shown.
const RANGE_DAYS = 365;
const MAX_COLUMNS = 14;
const NOT_STARTED = new Set(["scheduled", "next_up", "overdue"]);
const HIDDEN = new Set(["complete", "cancelled"]);

const WARNING_LABELS = {
  nobody_available: "Nobody available",
  doubling: "Doubling",
  cascade: "Cascade",
};

let data = null; // { pools: Map(character_id -> [cast_id]), matrix }
let stale = true;
let loading = null;
// Pools being edited: character_id -> [cast_id], kept across redraws until saved or undone.
const drafts = new Map();

/** Something casting depends on changed: read it again when the tab is next drawn. */
export function markCastingStale() {
  stale = true;
}

function addDays(isoDate, days) {
  const [y, m, d] = isoDate.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

async function load(redraw) {
  stale = false;
  const from = localDayKey(new Date());
  const to = addDays(from, RANGE_DAYS);
  try {
    const [pools, matrix] = await Promise.all([
      api.get("/show/casting/pools"),
      api.get(`/show/casting?from=${from}&to=${to}`),
    ]);
    data = {
      pools: new Map((pools.pools ?? []).map((p) => [p.character_id, p.cast_ids])),
      matrix,
    };
  } catch (error) {
    if (error.status !== 401) showError(error);
    data = data ?? { error };
  }
  loading = null;
  if (stale) return load(redraw);
  redraw();
  return undefined;
}

function personName(member) {
  if (!member) return "";
  return [member.first_name, member.last_name].filter(Boolean).join(" ");
}

function castName(castId) {
  if (castId === null || castId === undefined) return "Nobody";
  const member = (state.cast ?? []).find((m) => m.id === castId);
  return member ? personName(member) : `Cast member #${castId}`;
}

function characterName(characterId) {
  return (state.characters ?? []).find((c) => c.id === characterId)?.name ?? `#${characterId}`;
}

function sessionWhen(session) {
  const when = parseUtc(session?.scheduled_date_time ?? session?.start_date_time);
  return when ? `${formatDayLabel(when)} · ${formatTimeZoned(when)}` : "—";
}

export function castSheetUrl(sessionId) {
  return `/api/v1/show/sessions/${sessionId}/cast-sheet`;
}

// --- the matrix ---------------------------------------------------------------------------------

async function changeCell(sessionId, characterId, castId, redraw) {
  try {
    await api.patch(`/show/sessions/${sessionId}/casting`, {
      casting: { [characterId]: castId },
    });
    toast(`${characterName(characterId)}: ${castName(castId)}`);
  } catch (error) {
    showError(error);
  }
  stale = true;
  redraw();
}

function cellControl(session, character, cell, pool, redraw) {
  const name = castName(cell?.cast_id ?? null);
  const editable = can.execute() && NOT_STARTED.has(session.status);
  if (!editable) return h("span.cell-name", name);
  const options = [...pool];
  if (cell?.cast_id !== null && cell?.cast_id !== undefined && !options.includes(cell.cast_id))
    options.push(cell.cast_id);
  const select = h(
    "select.cell-select",
    {
      "aria-label": `${character.name}, ${sessionWhen(session)}`,
      dataset: { write: "", focusKey: `cell-${session.id}-${character.id}` },
      onchange: (event) => {
        const value = event.target.value;
        changeCell(session.id, character.id, value === "" ? null : Number(value), redraw);
      },
    },
    cell?.cast_id === null || cell?.cast_id === undefined
      ? h("option", { value: "", selected: true }, "Nobody")
      : null,
    options.map((castId, index) =>
      h(
        "option",
        { value: String(castId), selected: castId === cell?.cast_id },
        index === 0 ? `${castName(castId)} (principal)` : castName(castId),
      ),
    ),
  );
  return select;
}

function renderMatrix(sessions, characters, redraw) {
  const { matrix, pools } = data;
  const cells = new Map(matrix.cells.map((c) => [`${c.session_id}:${c.character_id}`, c]));
  const warnings = matrix.warnings ?? [];
  const warned = new Map();
  for (const w of warnings)
    for (const id of w.character_ids ?? []) {
      const key = `${w.session_id}:${id}`;
      warned.set(key, [...(warned.get(key) ?? []), w]);
    }

  const head = h(
    "tr",
    h("th.matrix-character", { scope: "col" }, "Character"),
    sessions.map((session) =>
      h(
        "th.matrix-session",
        { scope: "col", dataset: { sessionId: session.id } },
        h("span.matrix-date", sessionWhen(session)),
        NOT_STARTED.has(session.status) ? null : statusBadge(session.status),
        h(
          "a.print-link",
          {
            href: castSheetUrl(session.id),
            target: "_blank",
            rel: "noopener",
            "aria-label": `Print cast sheet, ${sessionWhen(session)}`,
          },
          "Print cast sheet",
        ),
      ),
    ),
  );
  const rows = characters.map((character) =>
    h(
      "tr",
      { dataset: { characterId: character.id } },
      h("th.matrix-character", { scope: "row" }, character.name),
      sessions.map((session) => {
        const key = `${session.id}:${character.id}`;
        const cell = cells.get(key);
        const own = warned.get(key) ?? [];
        return h(
          `td.matrix-cell${cell?.is_cover ? ".is-cover" : ""}${own.length ? ".has-warning" : ""}`,
          { dataset: { sessionId: session.id, characterId: character.id } },
          cellControl(session, character, cell, pools.get(character.id) ?? [], redraw),
          cell?.is_cover ? h("span.cover-badge", "Cover") : null,
          own.length
            ? h(
                "span.cell-warning",
                own.map((w) => WARNING_LABELS[w.kind] ?? w.kind).join(", "),
              )
            : null,
        );
      }),
    ),
  );
  const warningRow = h(
    "tr.warnings-row",
    h("th.matrix-character", { scope: "row" }, "Warnings"),
    sessions.map((session) => {
      const own = warnings.filter((w) => w.session_id === session.id);
      return h(
        "td.matrix-warnings",
        { dataset: { sessionId: session.id } },
        own.length
          ? h(
              "ul.warning-list",
              own.map((w) =>
                h("li.casting-warning", { dataset: { kind: w.kind } }, w.message),
              ),
            )
          : h("span.muted", "None"),
      );
    }),
  );
  return h(
    "div.table-wrap.matrix-wrap",
    { tabindex: "0", role: "region", "aria-label": "Casting of the performances to come" },
    h("table.table.casting-matrix", h("thead", head), h("tbody", rows, warningRow)),
  );
}

// --- pools --------------------------------------------------------------------------------------

async function savePool(character, castIds, redraw) {
  try {
    await api.put(`/show/casting/pools/${character.id}`, { cast_ids: castIds });
    drafts.delete(character.id);
    toast(`${character.name}'s pool saved`);
  } catch (error) {
    showError(error);
  }
  stale = true;
  redraw();
}

function renderPool(character, redraw) {
  const saved = data.pools.get(character.id) ?? [];
  const pool = drafts.get(character.id) ?? saved;
  const changed = drafts.has(character.id);
  const editable = can.write();
  const edit = (next) => {
    drafts.set(character.id, next);
    redraw();
  };
  const move = (index, by) => {
    const next = [...pool];
    [next[index], next[index + by]] = [next[index + by], next[index]];
    edit(next);
  };
  const button = (label, aria, key, onclick, disabled = false) =>
    h(
      "button.btn.btn-secondary.btn-sm",
      {
        type: "button",
        "aria-label": aria,
        disabled,
        onclick,
        dataset: { write: "", focusKey: key },
      },
      label,
    );
  const items = pool.map((castId, index) =>
    h(
      "li.pool-member",
      { dataset: { castId } },
      h("span.pool-name", castName(castId)),
      h("span.pool-rank.muted", index === 0 ? "Principal" : `Cover ${index}`),
      editable
        ? h(
            "span.pool-actions",
            button(
              "↑",
              `Move ${castName(castId)} up in ${character.name}'s pool`,
              `pool-${character.id}-up-${castId}`,
              () => move(index, -1),
              index === 0,
            ),
            button(
              "↓",
              `Move ${castName(castId)} down in ${character.name}'s pool`,
              `pool-${character.id}-down-${castId}`,
              () => move(index, 1),
              index === pool.length - 1,
            ),
            button(
              "Remove",
              `Remove ${castName(castId)} from ${character.name}'s pool`,
              `pool-${character.id}-remove-${castId}`,
              () => edit(pool.filter((id) => id !== castId)),
            ),
          )
        : null,
    ),
  );
  const others = (state.cast ?? []).filter((m) => !pool.includes(m.id));
  const adder = h(
    "select.pool-add",
    { "aria-label": `Cast member to add to ${character.name}'s pool` },
    others.map((m) => h("option", { value: String(m.id) }, personName(m))),
  );
  return h(
    "li.pool",
    { dataset: { characterId: character.id } },
    h("h3.pool-character", character.name),
    items.length ? h("ol.pool-members", items) : h("p.muted", "Nobody can play this part"),
    editable
      ? h(
          "div.pool-edit",
          others.length
            ? [
                adder,
                button("Add", `Add to ${character.name}'s pool`, `pool-${character.id}-add`, () =>
                  edit([...pool, Number(adder.value)]),
                ),
              ]
            : null,
          changed
            ? [
                h(
                  "button.btn.btn-primary.btn-sm",
                  {
                    type: "button",
                    dataset: { write: "", focusKey: `pool-${character.id}-save` },
                    onclick: () => savePool(character, pool, redraw),
                  },
                  `Save ${character.name}'s pool`,
                ),
                button("Undo", `Undo changes to ${character.name}'s pool`, `pool-${character.id}-undo`, () => {
                  drafts.delete(character.id);
                  redraw();
                }),
              ]
            : null,
        )
      : null,
  );
}

// --- the panel ----------------------------------------------------------------------------------

export function renderCastingPanel(root, { redraw }) {
  if (stale && !loading) loading = load(redraw);
  const panel = h("section.panel.casting-panel", {
    role: "tabpanel",
    "aria-labelledby": "tab-casting",
  });
  root.append(panel);
  if (!data) {
    panel.append(h("p.muted", { role: "status" }, "Loading the casting…"));
    return;
  }
  if (data.error) {
    panel.append(
      h("div.empty", h("h2", "No casting here"), h("p.muted", "This server does not list it.")),
    );
    return;
  }
  const byId = new Map(state.sessions.map((s) => [s.id, s]));
  const sessions = data.matrix.sessions
    .map((id) => byId.get(id))
    .filter((s) => s && !HIDDEN.has(s.status))
    .slice(0, MAX_COLUMNS);
  const characterById = new Map((state.characters ?? []).map((c) => [c.id, c]));
  const characters = data.matrix.characters
    .map((id) => characterById.get(id) ?? { id, name: `#${id}` })
    .sort((a, b) => a.name.localeCompare(b.name));

  panel.append(
    h(
      "div.panel-head",
      h(
        "span",
        `${sessions.length} performance${sessions.length === 1 ? "" : "s"} to come · ` +
          `${characters.length} character${characters.length === 1 ? "" : "s"}`,
      ),
      h("span.muted", "Covers marked; times at the venue"),
    ),
    !characters.length
      ? h(
          "div.empty",
          h("h2", "No characters yet"),
          h("p.muted", "The casting appears here once the show's characters are added."),
        )
      : !sessions.length
        ? h(
            "div.empty",
            h("h2", "No performances to come"),
            h("p.muted", "Schedule a performance to cast it."),
          )
        : renderMatrix(sessions, characters, redraw),
  );
  if (characters.length) {
    root.append(
      h(
        "section.panel.pools-panel",
        { "aria-labelledby": "pools-heading" },
        h(
          "div.panel-head",
          h("h2.pools-heading", { id: "pools-heading" }, "Pools"),
          h("span.muted", "Who may play each part, the principal first"),
        ),
        h(
          "ul.pools",
          characters.map((c) => renderPool(c, redraw)),
        ),
      ),
    );
  }
}

// --- tonight's changes, for the Start dialog ----------------------------------------------------

/** A box that fills with a session's cast changes (cells whose performer is not the
 * principal), "No cast changes" when there are none. */
export function castChangesBox(sessionId) {
  const box = h(
    "div.cast-changes",
    { "aria-live": "polite" },
    h("p.muted", "Reading tonight's cast…"),
  );
  api
    .get(`/show/sessions/${sessionId}/casting`)
    .then((answer) => {
      const changes = (answer.casting ?? []).filter((c) => c.cast_id !== c.principal_cast_id);
      box.replaceChildren(
        h("h3.cast-changes-title", "Cast changes"),
        changes.length
          ? h(
              "ul.cast-change-list",
              changes.map((c) =>
                h(
                  "li.cast-change",
                  { dataset: { characterId: c.character_id } },
                  h("strong", characterName(c.character_id)),
                  `: ${castName(c.cast_id)} for ${castName(c.principal_cast_id)}`,
                ),
              ),
            )
          : h("p.no-cast-changes", "No cast changes"),
      );
    })
    .catch((error) => {
      box.replaceChildren(h("p.muted", `Tonight's cast could not be read: ${error.message}`));
    });
  return box;
}
