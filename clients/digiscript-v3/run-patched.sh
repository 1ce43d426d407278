#!/usr/bin/env bash
# Runs DigiScript's end-to-end specs against this server with the client built with scheduling
# (`make test-client-patched`): spec 12 is the updated one (e2e/12-show-config-sessions.spec.ts),
# the others are DigiScript's own, and the run is run.sh's (same SPECS, same left-out test).
#
#   SPECS="01 02 12" DIGISCRIPT_SRC=../shared/digiscript clients/digiscript-v3/run-patched.sh
#
# When DIGISCRIPT_SRC is absent this says so and succeeds, unless CI=true. The build is kept in
# build/digiscript-patched, the server's log of the run in build/digiscript-patched/server.log.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
src=${DIGISCRIPT_SRC:-$repo/../shared/digiscript}
out=$repo/build/digiscript-patched
unpatched=${DIGISCRIPT_UNPATCHED_BUILD:-$repo/build/digiscript}

if [ ! -d "$src/client-v3" ]; then
    if [ "${CI:-}" = true ]; then
        echo "DigiScript client tests: no DigiScript client at $src (set DIGISCRIPT_SRC) (required when CI=true)" >&2
        exit 1
    fi
    echo "DigiScript client tests skipped: no DigiScript client at $src (set DIGISCRIPT_SRC)"
    exit 0
fi
src=$(cd "$src" && pwd)

# The unpatched run's lock: both runs need port 8888, and this build links its node_modules.
mkdir -p "$(dirname "$unpatched")"
exec 8>"$unpatched.lock"
if ! flock -n 8; then
    echo "Another DigiScript client run holds $unpatched.lock: waiting for it"
    flock 8
fi

start=$(date +%s.%N)
DIGISCRIPT_LOCK_HELD=1 "$here/build-patched.sh" "$src" "$out"
echo "DigiScript client with scheduling ready in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')"

# run.sh finds the build current (same sources) and runs the specs of the patched copy.
DIGISCRIPT_SRC=$out-src DIGISCRIPT_BUILD=$out "$here/run.sh"
