#!/usr/bin/env bash
# Builds DigiScript's client-v3 with scheduling (scheduling.patch) for `serve --client-dir`
# (`make client-patched`).
#
#   clients/digiscript-v3/build-patched.sh [SRC [OUT]]
#
# SRC (default $DIGISCRIPT_SRC, else ../shared/digiscript beside the repository) holds client-v3/
# (0.35.0) and docs/; it is only read. Its copy in OUT-src (default build/digiscript-patched-src)
# gets scheduling.patch and the updated spec e2e/12-show-config-sessions.spec.ts; build.sh then
# installs and builds that copy into OUT (default build/digiscript-patched), leaving OUT/dist.
# The client's own checks run on the patched copy: `npm run typecheck`, `npm run
# lint:eslint-check`, `npm run format:check` and its unit tests (`npm run test:run`).
#
# node_modules comes from the unpatched build (build/digiscript, `make test-client`) as hard
# links when its package-lock.json and Node are the same, else build.sh runs `npm ci`. The
# build and the checks are skipped while the sources, the patch and the scripts stay the same.
#
# The unpatched build's lock (build/digiscript.lock) is held while its node_modules is linked
# from; run-patched.sh holds it for a whole run and says so with DIGISCRIPT_LOCK_HELD=1.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
src=${1:-${DIGISCRIPT_SRC:-$repo/../shared/digiscript}}
out=${2:-$repo/build/digiscript-patched}
unpatched=${DIGISCRIPT_UNPATCHED_BUILD:-$repo/build/digiscript}

if [ ! -f "$src/client-v3/package-lock.json" ] || [ ! -d "$src/docs" ]; then
    echo "build-patched.sh: $src must hold client-v3/ (with package-lock.json) and docs/" >&2
    exit 2
fi
src=$(cd "$src" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
patched_src=$out-src

if [ "${DIGISCRIPT_LOCK_HELD:-}" != 1 ]; then
    mkdir -p "$(dirname "$unpatched")"
    exec 8>"$unpatched.lock"
    if ! flock -n 8; then
        echo "Another DigiScript client run holds $unpatched.lock: waiting for it"
        flock 8
    fi
fi

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# The patched sources: a fresh copy each time (build.sh compares them by content).
start=$(now)
rm -rf "$patched_src"
mkdir -p "$patched_src/client-v3"
tar -C "$src/client-v3" --exclude=./node_modules --exclude=./dist --exclude=./playwright-report \
    --exclude=./test-results --exclude=./junit -cf - . |
    tar -C "$patched_src/client-v3" --no-same-owner -xf -
cp -R "$src/docs" "$patched_src/docs"
chmod -R u+w "$patched_src"
if ! patch -p1 --batch --forward --quiet --no-backup-if-mismatch -d "$patched_src/client-v3" \
    <"$here/scheduling.patch"; then
    echo "build-patched.sh: scheduling.patch does not apply to $src/client-v3 (client-v3 0.35.0 expected)" >&2
    exit 1
fi
cp "$here/e2e/12-show-config-sessions.spec.ts" "$patched_src/client-v3/e2e/tests/"
# build.sh's cache follows its own script; this one and the patch are part of the sources.
cp "$here/build-patched.sh" "$patched_src/client-v3/.build-patched.sh"
echo "DigiScript client with scheduling: sources patched in $patched_src ($(took "$start"))"

# Reuse the unpatched build's node_modules (hard links: nothing is written into it here).
lock_hash() {
    { sha256sum <"$1/package-lock.json"; node --version; } | sha256sum | cut -d' ' -f1
}
want_modules=$(lock_hash "$patched_src/client-v3")
have_modules=$(cat "$out/client-v3/node_modules/.lock-hash" 2>/dev/null || true)
unpatched_modules=$(cat "$unpatched/client-v3/node_modules/.lock-hash" 2>/dev/null || true)
if [ "$have_modules" != "$want_modules" ] && [ "$unpatched_modules" = "$want_modules" ]; then
    start=$(now)
    rm -rf "$out/client-v3/node_modules"
    mkdir -p "$out/client-v3"
    cp -al "$unpatched/client-v3/node_modules" "$out/client-v3/node_modules"
    # Files tools may rewrite in place are copies, never links into the unpatched build.
    rm -rf "$out/client-v3/node_modules/.vite" "$out/client-v3/node_modules/.cache" \
        "$out/client-v3/node_modules/.lock-hash"
    echo "$want_modules" >"$out/client-v3/node_modules/.lock-hash"
    echo "DigiScript client with scheduling: node_modules linked from $unpatched ($(took "$start"))"
fi

"$here/build.sh" "$patched_src" "$out"

# The client's own checks, once per build.
build_hash=$(cat "$out/.build-hash")
if [ "$(cat "$out/.checked-hash" 2>/dev/null || true)" = "$build_hash" ]; then
    echo "DigiScript client with scheduling: typecheck, lint, format and unit tests already passed for this build"
else
    start=$(now)
    cd "$out/client-v3"
    # Prettier loads prettier.config.ts with `node --strip-types` (Node >= 22.6): on older Node,
    # the same settings are written as .prettierrc.json, which Prettier (and ESLint's prettier
    # rule) finds first.
    if ! node --strip-types -e '' 2>/dev/null; then
        node --input-type=module -e '
import fs from "fs";
import { createRequire } from "module";
const ts = createRequire(process.cwd() + "/")("typescript");
const { outputText } = ts.transpileModule(fs.readFileSync("prettier.config.ts", "utf8"), {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
});
const url = "data:text/javascript;base64," + Buffer.from(outputText).toString("base64");
const config = (await import(url)).default;
fs.writeFileSync(".prettierrc.json", JSON.stringify(config, null, 2) + "\n");
'
    fi
    npm run --silent typecheck
    npm run --silent lint:eslint-check
    npm run --silent format:check
    # The client's unit tests, with the patch's own (src/stores/showSessions.test.ts).
    npm run --silent test:run
    echo "$build_hash" >"$out/.checked-hash"
    echo "DigiScript client with scheduling: typecheck, lint, format and unit tests passed ($(took "$start"))"
fi
echo "DigiScript client with scheduling: serve it with --client-dir $out/dist"
