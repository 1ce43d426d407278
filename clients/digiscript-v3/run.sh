#!/usr/bin/env bash
# Runs DigiScript's own end-to-end specs against this server, in Chromium (`make test-client`).
#
#   SPECS="01 02 12" DIGISCRIPT_SRC=../shared/digiscript clients/digiscript-v3/run.sh
#
# DIGISCRIPT_SRC (default ../shared/digiscript beside the repository) holds DigiScript's
# client-v3/ and docs/; the specs are run from a copy of it, unmodified (build.sh). SPECS picks
# the spec files by the start of their names ("all": every one). When DIGISCRIPT_SRC is absent
# this says so and succeeds, unless CI=true. The server's log of the run is kept in
# build/digiscript/server.log, Playwright's screenshots and traces of failures next to it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
src=${DIGISCRIPT_SRC:-$repo/../shared/digiscript}
out=${DIGISCRIPT_BUILD:-$repo/build/digiscript}
specs=${SPECS-01 02 03 04 05 06 07 11 12 14}
chromium=${CHROMIUM:-/usr/bin/chromium}

skip() {
    if [ "${CI:-}" = true ]; then
        echo "DigiScript client tests: $1 (required when CI=true)" >&2
        exit 1
    fi
    echo "DigiScript client tests skipped: $1"
    exit 0
}

[ -d "$src/client-v3" ] || skip "no DigiScript client at $src (set DIGISCRIPT_SRC)"
[ -x "$chromium" ] || skip "no Chromium at $chromium (Debian: apt-get install chromium)"
[ -x "$repo/.venv/bin/python" ] || { echo "no $repo/.venv: run make first" >&2; exit 2; }
src=$(cd "$src" && pwd)

# DigiScript's specs expect the server on port 8888 and share one build folder: one run at a
# time on a machine. A second run waits for the first.
mkdir -p "$(dirname "$out")"
exec 9>"$out.lock"
if ! flock -n 9; then
    echo "Another DigiScript client run holds $out.lock: waiting for it"
    flock 9
fi

start=$(date +%s.%N)
"$here/build.sh" "$src" "$out"
out=$(cd "$out" && pwd)
echo "DigiScript client ready in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')"

for spec in $specs; do
    [ "$spec" = all ] && continue
    if ! compgen -G "$out/client-v3/e2e/tests/$spec*.spec.ts" >/dev/null; then
        echo "SPECS: no spec file starts with \"$spec\" in $out/client-v3/e2e/tests" >&2
        exit 2
    fi
done

# The specs keep their snapshot files under fixed names in the temporary folder: give this run
# a folder of its own. The trap stops the server should Playwright end without its teardown.
run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/digiscript-e2e-run.XXXXXX")
cleanup() {
    local pid_file=$run_tmp/digiscript-e2e-this-server.pid
    if [ -f "$pid_file" ]; then
        local pid
        pid=$(cat "$pid_file")
        kill "$pid" 2>/dev/null && sleep 2 && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$run_tmp"
}
trap cleanup EXIT

rm -rf "$out/test-results" "$out/results.json"
cd "$out/client-v3"
start=$(date +%s.%N)
status=0
TMPDIR=$run_tmp \
    DIGISCRIPT_E2E_REPO=$repo \
    DIGISCRIPT_E2E_CLIENT=$out/client-v3 \
    DIGISCRIPT_E2E_DIST=$out/dist \
    DIGISCRIPT_E2E_RESULTS=$out \
    DIGISCRIPT_E2E_SERVER_LOG=$out/server.log \
    DIGISCRIPT_E2E_CHROMIUM=$chromium \
    DIGISCRIPT_E2E_SPECS=$specs \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    npx --no-install playwright test --config "$here/playwright.config.ts" || status=$?
echo "Playwright run took $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }');" \
    "server log: $out/server.log"
exit $status
