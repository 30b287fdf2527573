#!/usr/bin/env bash
# Checks the exchange API against a real server:
#
#   bash Tests/API/run.sh [path/to/thads]        (default: .build/debug/thads)
#
# Starts the server on a free loopback port with an empty data directory (SQLite; DATABASE_URL is ignored),
# registers a test system with a fresh P-256 key (`thads exchange-client`), runs the Python client example of
# docs/api.md against it, then schemathesis over /api/v1/openapi.yaml through the signing proxy, with a fixed seed
# and a bounded number of examples. Prints "N passed, N failed" at the end.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${1:-.build/debug/thads}"
case "$binary" in /*) ;; *) binary="$root/$binary" ;; esac
[[ -x "$binary" ]] || { echo "run.sh: no executable at $binary (build first: swift build)" >&2; exit 2; }
python3 -c 'import requests, cryptography, schemathesis' 2>/dev/null \
    || { echo "run.sh: pip install requests cryptography schemathesis" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/thads-api.XXXXXX")"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port="$(free_port)"
proxy_port="$(free_port)"
base_url="http://127.0.0.1:$port"
server_pid=""
proxy_pid=""
stop() {
    for pid in "$proxy_pid" "$server_pid"; do
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    [[ "${KEEP_DATA:-}" == "1" ]] && echo "run.sh: kept $work" || rm -rf "$work"
}
trap stop EXIT

export THADS_DATA_DIR="$work/data"
# Registered before the server starts: two processes writing one SQLite file would meet "database is locked".
openssl ecparam -name prime256v1 -genkey -noout -out "$work/client.key" 2>/dev/null
openssl ec -in "$work/client.key" -pubout -out "$work/client.pub" 2>/dev/null
env -u DATABASE_URL LOG_LEVEL=warning "$binary" exchange-client --id kiem-thu-api --name "Kiểm thử API" \
    --public-key "$work/client.pub" --calls 100000 --reveal-id-numbers </dev/null
env -u DATABASE_URL HOST=127.0.0.1 PORT="$port" PUBLIC_URL="$base_url" LOG_LEVEL=warning \
    "$binary" serve </dev/null >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base_url/readyz" || true)" == "200" ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.2
done


# The example is the python block of docs/api.md, as a reader would copy it.
python3 - "$root/docs/api.md" "$work/thads_client.py" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```python\n(.*?)```", text, re.S)
assert blocks, "docs/api.md has no python block"
open(sys.argv[2], "w", encoding="utf-8").write(blocks[0])
PY
export THADS_URL="$base_url" THADS_CLIENT_ID=kiem-thu-api THADS_KEY_FILE="$work/client.key"
passed=0
failed=0
if (cd "$work" && python3 thads_client.py); then
    passed=$((passed + 1)); echo "run.sh: the docs/api.md client example works"
else
    failed=$((failed + 1)); echo "run.sh: the docs/api.md client example FAILED" >&2
fi

cp "$here/signing_proxy.py" "$work/"
(cd "$work" && exec python3 signing_proxy.py "$proxy_port") >"$work/proxy.log" 2>&1 &
proxy_pid=$!
for _ in $(seq 1 50); do grep -q listening "$work/proxy.log" 2>/dev/null && break; sleep 0.1; done

if schemathesis run "$base_url/api/v1/openapi.yaml" --url "http://127.0.0.1:$proxy_port/api/v1" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --seed 22 --max-examples "${API_MAX_EXAMPLES:-25}" --workers 1 --no-color; then
    passed=$((passed + 1)); echo "run.sh: schemathesis found nothing"
else
    failed=$((failed + 1)); echo "run.sh: schemathesis FAILED" >&2
    tail -20 "$work/server.log" >&2
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
