#!/usr/bin/env bash
# Builds DigiScript's Vue client (client-v3) for the end-to-end run against this server.
#
#   clients/digiscript-v3/build.sh [SRC [OUT]]
#
# SRC (default $DIGISCRIPT_SRC, else ../shared/digiscript beside the repository) holds client-v3/
# and docs/; it is only read. Both are copied side by side into OUT (default build/digiscript),
# where the client's dependencies are installed and the client is built into OUT/dist.
#
# Between runs, node_modules is kept while package-lock.json (and the Node version) stays the
# same, and the build is kept while the sources and this script stay the same: a second run with
# nothing changed does neither `npm ci` nor the build.
#
# Works on Node 20: the client's prebuild step needs `node --strip-types` (Node >= 22.6), so its
# two halves are done here instead (copy the docs, then transpile the doc-manifest script with
# the client's own TypeScript and run it). Browsers are never downloaded.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
src=${1:-${DIGISCRIPT_SRC:-$repo/../shared/digiscript}}
out=${2:-${DIGISCRIPT_BUILD:-$repo/build/digiscript}}

if [ ! -f "$src/client-v3/package-lock.json" ] || [ ! -d "$src/docs" ]; then
    echo "build.sh: $src must hold client-v3/ (with package-lock.json) and docs/" >&2
    exit 2
fi
src=$(cd "$src" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
client=$out/client-v3

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# What the build depends on: every source file (by content and path) and this script.
source_hash() {
    (
        cd "$src"
        find client-v3 docs \( -name node_modules -o -name dist -o -name playwright-report \
            -o -name test-results -o -name junit \) -prune -o -type f -print0 |
            LC_ALL=C sort -z | xargs -0 sha256sum
        sha256sum <"$here/build.sh"
    ) | sha256sum | cut -d' ' -f1
}
# What node_modules depends on: the lock file and the Node that runs the install scripts.
lock_hash() {
    { sha256sum <"$src/client-v3/package-lock.json"; node --version; } | sha256sum | cut -d' ' -f1
}

want_build=$(source_hash)
want_modules=$(lock_hash)
have_build=$(cat "$out/.build-hash" 2>/dev/null || true)
have_modules=$(cat "$client/node_modules/.lock-hash" 2>/dev/null || true)

if [ "$want_build" = "$have_build" ] && [ "$want_modules" = "$have_modules" ] &&
    [ -f "$out/dist/index.html" ]; then
    echo "DigiScript client: sources and package-lock.json unchanged, npm ci and build skipped ($out/dist)"
    exit 0
fi
rm -f "$out/.build-hash"

# A fresh copy of the sources, keeping only the installed dependencies from the last run.
start=$(now)
mkdir -p "$client"
find "$client" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
rm -rf "$out/docs"
tar -C "$src/client-v3" --exclude=./node_modules --exclude=./dist --exclude=./playwright-report \
    --exclude=./test-results --exclude=./junit -cf - . | tar -C "$client" --no-same-owner -xf -
cp -R "$src/docs" "$out/docs"
chmod -R u+w "$client" "$out/docs" 2>/dev/null || true
echo "DigiScript client: sources copied from $src ($(took "$start"))"

cd "$client"
if [ "$want_modules" = "$have_modules" ]; then
    echo "DigiScript client: package-lock.json unchanged, npm ci skipped"
else
    start=$(now)
    echo "DigiScript client: npm ci (package-lock.json changed or first run)"
    rm -rf node_modules
    # The package asks for Node 24 and npm 11; it builds and runs on Node 20 all the same.
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --engine-strict=false --no-audit --no-fund \
        --loglevel=error
    echo "$want_modules" >node_modules/.lock-hash
    echo "DigiScript client: npm ci took $(took "$start")"
fi

start=$(now)
# The prebuild step, without `node --strip-types`.
bash scripts/copy-docs.sh
node -e '
const fs = require("fs");
const ts = require("./node_modules/typescript");
const source = fs.readFileSync("scripts/generate-doc-manifest.ts", "utf8");
const { outputText } = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
});
fs.writeFileSync("scripts/generate-doc-manifest.mjs", outputText);
'
node scripts/generate-doc-manifest.mjs
rm -rf "$out/dist"
npx --no-install vite build --logLevel warn --outDir "$out/dist" --emptyOutDir
echo "$want_build" >"$out/.build-hash"
echo "DigiScript client: built into $out/dist in $(took "$start")"
