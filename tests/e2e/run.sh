#!/usr/bin/env bash
# Browser tests of the agent console and the wallboard against the real server.
#   bash tests/e2e/run.sh /path/to/hotline        (or HOTLINE_EXE=/path/to/hotline)
# Boots the server on port 0 with a temporary database, waits for its "listening on" line,
# runs tests/e2e/*.test.mjs with node's test runner, stops the server. Exit status: 0 when
# every test passed, 1 when one failed, 77 when Chromium or node is missing (a skip for CTest).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
exe="${1:-${HOTLINE_EXE:-}}"
if [[ -z "$exe" || ! -x "$exe" ]]; then
  echo "usage: run.sh /path/to/hotline (or set HOTLINE_EXE); got '${exe}'" >&2
  exit 2
fi
exe="$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM" ]]; then
  echo "SKIP: no Chromium at $CHROMIUM (apt-get install -y chromium)" >&2
  exit 77
fi
if ! command -v node >/dev/null; then
  echo "SKIP: node is not installed" >&2
  exit 77
fi
if [[ ! -d "$here/node_modules/playwright-core" ]]; then
  echo "installing playwright-core (npm ci) in $here" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed" >&2; exit 1; }
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/hotline-e2e.XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  if [[ "${E2E_KEEP:-}" == "1" ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export HOTLINE_TELEPHONY_KEY="${HOTLINE_TELEPHONY_KEY:-tel-key-e2e}"
cat >"$work/config.json" <<JSON
{"server": {"address": "127.0.0.1", "port": 0, "static_root": "$repo/web"},
 "db": {"path": "$work/hotline.db"},
 "hours": {"open": "00:00", "close": "24:00", "days": [1, 2, 3, 4, 5, 6, 7]},
 "log": {"level": "info"}}
JSON

# From the repository root: --demo reads its starter knowledge base from config/kb/.
(cd "$repo" && exec env HOTLINE_ADMIN_PASSWORD=admin-pass-e2e "$exe" serve --config "$work/config.json" --demo) \
  >"$work/server.log" 2>&1 &
server_pid=$!

url=""
for _ in $(seq 300); do  # up to 30 s
  url="$(grep -o 'listening on http://[0-9.:]*' "$work/server.log" | head -1 | sed 's/listening on //')"
  [[ -n "$url" ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if [[ -z "$url" ]]; then
  echo "the server did not start; its log:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
echo "server: $url (pid $server_pid, log $work/server.log)"

export HOTLINE_URL="$url"
export E2E_SCREENSHOT_DIR="${E2E_SCREENSHOT_DIR:-${TMPDIR:-/tmp}}"
cd "$here"
node --test --test-concurrency=1 --test-reporter=spec ./*.test.mjs
rc=$?
if [[ $rc -ne 0 ]]; then
  echo "--- server log (last 60 lines) ---"
  tail -n 60 "$work/server.log"
fi
exit $rc
