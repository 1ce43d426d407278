// Read views of the loaded show's structure: the running order (acts and their scenes, in
// order, with the intervals) and the cast list (who plays whom). They follow the server's
// notices; changing them is done where the script is edited.

import { h } from "../dom.js";
import { state } from "../store.js";

// Follows a chain of "next" links from its head; anything the chain misses (a broken link)
// is kept, after it, in id order. A loop cannot trap it: each item is visited once.
function chain(items, head, nextOf) {
  const byId = new Map(items.map((item) => [item.id, item]));
  const ordered = [];
  const seen = new Set();
  let current = byId.get(head);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    ordered.push(current);
    current = byId.get(nextOf(current));
  }
  const rest = items.filter((item) => !seen.has(item.id)).sort((a, b) => a.id - b.id);
  return ordered.concat(rest);
}

export function runningOrder() {
  const acts = state.acts ?? [];
  const scenes = state.scenes ?? [];
  const firstAct =
    state.show?.first_act_id ?? acts.find((a) => a.previous_act === null)?.id ?? null;
  return chain(acts, firstAct, (a) => a.next_act).map((act) => {
    const own = scenes.filter((s) => s.act === act.id);
    const first = act.first_scene ?? own.find((s) => s.previous_scene === null)?.id ?? null;
    return { act, scenes: chain(own, first, (s) => s.next_scene) };
  });
}

function unavailable(root, what, tabId) {
  root.append(
    h(
      "section.panel",
      { role: "tabpanel", "aria-labelledby": tabId },
      h("div.empty", h("h2", `No ${what} here`), h("p.muted", "This server does not list it.")),
    ),
  );
}

export function renderRunningOrderPanel(root) {
  if (state.acts === null || state.scenes === null) {
    unavailable(root, "running order", "tab-running-order");
    return;
  }
  const order = runningOrder();
  const sceneCount = order.reduce((n, entry) => n + entry.scenes.length, 0);
  root.append(
    h(
      "section.panel",
      { role: "tabpanel", "aria-labelledby": "tab-running-order" },
      h(
        "div.panel-head",
        h(
          "span",
          `${order.length} act${order.length === 1 ? "" : "s"} · ` +
            `${sceneCount} scene${sceneCount === 1 ? "" : "s"}`,
        ),
        h("span.muted", "In performance order"),
      ),
      order.length
        ? h(
            "ol.running-order",
            order.map(({ act, scenes }, index) => [
              h(
                "li.act",
                { dataset: { actId: act.id } },
                h(
                  "h2.act-name",
                  h("span.act-number", `Act ${index + 1}`),
                  act.name && act.name !== `Act ${index + 1}` ? ` · ${act.name}` : "",
                ),
                scenes.length
                  ? h(
                      "ol.scenes",
                      scenes.map((scene) =>
                        h("li.scene", { dataset: { sceneId: scene.id } }, scene.name),
                      ),
                    )
                  : h("p.muted.no-scenes", "No scenes yet"),
              ),
              act.interval_after && index < order.length - 1
                ? h("li.interval", { "aria-label": "Interval" }, h("span", "Interval"))
                : null,
            ]),
          )
        : h(
            "div.empty",
            h("h2", "No acts yet"),
            h("p.muted", "The running order appears here once the show's acts are added."),
          ),
    ),
  );
}

function personName(member) {
  if (!member) return "";
  return [member.first_name, member.last_name].filter(Boolean).join(" ");
}

export function renderCastPanel(root) {
  if (state.characters === null || state.cast === null) {
    unavailable(root, "cast list", "tab-cast");
    return;
  }
  const characters = [...state.characters].sort((a, b) => a.name.localeCompare(b.name));
  const cast = [...state.cast].sort((a, b) => (a.last_name ?? "").localeCompare(b.last_name ?? ""));
  const byId = new Map(cast.map((member) => [member.id, member]));
  const rows = characters.map((character) => {
    const member = character.cast_member ?? byId.get(character.played_by);
    return h(
      "tr",
      { dataset: { characterId: character.id } },
      h("td.character-name", { dataset: { label: "Character" } }, h("strong", character.name)),
      h(
        "td.played-by",
        { dataset: { label: "Played by" } },
        member ? personName(member) : h("span.muted", "Not cast"),
      ),
      h(
        "td.hide-narrow.character-description",
        character.description ? character.description : h("span.muted", "—"),
      ),
    );
  });
  const uncast = cast.filter((m) => !(m.character_list ?? []).length);
  root.append(
    h(
      "section.panel",
      { role: "tabpanel", "aria-labelledby": "tab-cast" },
      h(
        "div.panel-head",
        h(
          "span",
          `${characters.length} character${characters.length === 1 ? "" : "s"} · ` +
            `${cast.length} cast member${cast.length === 1 ? "" : "s"}`,
        ),
        h("span.muted", "Who plays whom"),
      ),
      rows.length
        ? h(
            "div.table-wrap",
            h(
              "table.table.cast-table",
              h(
                "thead",
                h(
                  "tr",
                  h("th", { scope: "col" }, "Character"),
                  h("th", { scope: "col" }, "Played by"),
                  h("th.hide-narrow", { scope: "col" }, "Description"),
                ),
              ),
              h("tbody", rows),
            ),
          )
        : h(
            "div.empty",
            h("h2", "No characters yet"),
            h("p.muted", "The cast list appears here once the show's characters are added."),
          ),
      uncast.length
        ? h(
            "p.uncast",
            h("strong", "Without a part: "),
            uncast.map((m) => personName(m)).join(", "),
          )
        : null,
    ),
  );
}
