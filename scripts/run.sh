#!/usr/bin/env bash
# Builds Hotline and starts it on the embedded SQLite database with demo data.
# Usage: scripts/run.sh            (then open http://localhost:8080/console/)
# Environment: HOTLINE_PORT (8080), HOTLINE_DB (data/hotline-demo.db),
#              HOTLINE_ADMIN_PASSWORD (admin-pass-1), HOTLINE_TELEPHONY_KEY (demo-telephony-key)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DHOTLINE_BUILD_TESTS=OFF -DHOTLINE_BUILD_BENCH=OFF >/dev/null
cmake --build build --target hotline -j"$(nproc)"

mkdir -p data
port="${HOTLINE_PORT:-8080}"
db="${HOTLINE_DB:-data/hotline-demo.db}"
config="data/demo-config.json"
cat > "$config" <<JSON
{ "server": { "port": $port }, "db": { "path": "$db" } }
JSON
export HOTLINE_ADMIN_PASSWORD="${HOTLINE_ADMIN_PASSWORD:-admin-pass-1}"
export HOTLINE_TELEPHONY_KEY="${HOTLINE_TELEPHONY_KEY:-demo-telephony-key}"
echo "Hotline: http://localhost:$port/console/ (agents)  http://localhost:$port/dashboard/ (supervisors)"
echo "Admin login: admin / $HOTLINE_ADMIN_PASSWORD   Gateway key: $HOTLINE_TELEPHONY_KEY"
exec build/src/app/hotline serve --config "$config" --demo
