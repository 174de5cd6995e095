#!/usr/bin/env bash
# HTTP benchmark of the real server with wrk: GET /healthz, an authenticated write
# (POST /api/v1/units), and work-order creation (POST /api/v1/tickets), each at 1 and 64
# connections, 3 runs of 10 s; prints the median requests/s and latency of each.
# Usage: bench/http/run.sh [path/to/hotline]     (default build/src/app/hotline)
set -euo pipefail
cd "$(dirname "$0")/../.."
exe="${1:-build/src/app/hotline}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
cat > "$tmp/config.json" <<JSON
{"server": {"address": "127.0.0.1", "port": 0, "threads": 2, "workers": 32},
 "db": {"path": "$tmp/bench.db"}, "log": {"level": "warn"}}
JSON
HOTLINE_ADMIN_PASSWORD=bench-admin-1 "$exe" serve --config "$tmp/config.json" > "$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 200); do grep -q "listening on" "$tmp/log" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$tmp/log" | head -1 | sed 's/.*://')
base="http://127.0.0.1:$port"
token=$(curl -s "$base/api/v1/auth/login" -d '{"username":"admin","password":"bench-admin-1"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
agent_pw=bench-agent-1
curl -s "$base/api/v1/users" -H "Authorization: Bearer $token" \
     -d "{\"username\":\"bench_agent\",\"password\":\"$agent_pw\",\"role\":\"agent\"}" >/dev/null
agent=$(curl -s "$base/api/v1/auth/login" -d "{\"username\":\"bench_agent\",\"password\":\"$agent_pw\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
echo '{"name":"压测医院","kind":"hospital"}' > "$tmp/unit.json"
echo '{"type":"consult","caller":{"phone":"13800138000"},"subject":"压测","description":"孩子发烧怎么办"}' > "$tmp/ticket.json"

run() {  # name, connections, wrk args…
  local name=$1 conns=$2; shift 2
  local results=()
  for i in 1 2 3; do
    out=$(wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${BENCH_SECONDS:-10}s" --latency "$@" 2>&1)
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    # A rate of refused requests measures nothing: say so loudly.
    bad=$(echo "$out" | awk '/Non-2xx or 3xx responses/ {print $NF}')
    [ -z "$bad" ] || echo "WARNING: $name c=$conns run $i: $bad non-2xx answers" >&2
    results+=("$rps $p50 $p99")
  done
  printf '%s\n' "${results[@]}" | sort -n | sed -n 2p | {
    read -r rps p50 p99
    printf '%-34s c=%-3s median of 3: %10s req/s  p50 %8s  p99 %8s\n' "$name" "$conns" "$rps" "$p50" "$p99"
  }
}
echo "hotline HTTP benchmark ($(nproc) cores, $(date -u +%F))"
for c in 1 64; do run "GET /healthz" "$c" "$base/healthz"; done
for c in 1 64; do
  TOKEN=$token BODY_PATH=$tmp/unit.json run "POST /api/v1/units (auth write)" "$c" -s bench/http/post.lua "$base/api/v1/units"
done
if curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/tickets" -H "Authorization: Bearer $agent" | grep -q 200; then
  for c in 1 64; do
    TOKEN=$agent BODY_PATH=$tmp/ticket.json run "POST /api/v1/tickets" "$c" -s bench/http/post.lua "$base/api/v1/tickets"
  done
fi
