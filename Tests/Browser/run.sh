#!/usr/bin/env bash
# Runs the browser tests against a freshly started THADS server.
#
#   bash Tests/Browser/run.sh [path/to/thads]        (default: .build/debug/thads)
#
# Starts the server on a free loopback port with an empty temporary data directory (SQLite; DATABASE_URL
# is ignored) and a real SMTP server (smtp_sink.py, aiosmtpd) that keeps each message as an .eml file under
# DATA_DIR/mail, where the server itself would write them without SMTP; reads the first admin's one-time password
# from its output, waits for /readyz, runs Tests/Browser/test_*.py with BASE_URL, ADMIN_PASSWORD and
# DATA_DIR set, then stops the server. Screenshots and the server log go to Tests/Browser/screenshots/.
# Extra arguments after the binary are passed to unittest (e.g. -k test_1).
# KEEP_DATA=1 keeps the data directory for inspection.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${1:-.build/debug/thads}"
shift || true
case "$binary" in /*) ;; *) binary="$root/$binary" ;; esac
if [[ ! -x "$binary" ]]; then
    echo "run.sh: no executable at $binary (build first: swift build)" >&2
    exit 2
fi
command -v chromium >/dev/null || { echo "run.sh: chromium is not installed (apt-get install -y chromium chromium-driver)" >&2; exit 2; }
command -v chromedriver >/dev/null || { echo "run.sh: chromedriver is not installed (apt-get install -y chromium-driver)" >&2; exit 2; }
python3 -c 'import selenium' 2>/dev/null || { echo "run.sh: the selenium Python package is missing (pip install selenium)" >&2; exit 2; }

screenshots="$here/screenshots"
mkdir -p "$screenshots"
rm -f "$screenshots"/*.png "$screenshots"/*.html "$screenshots"/server.log

data_dir="$(mktemp -d "${TMPDIR:-/tmp}/thads-browser.XXXXXX")"
log="$screenshots/server.log"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base_url="http://127.0.0.1:$port"
server_pid=""
smtp_pid=""
smtp_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

stop_server() {
    if [[ -n "$smtp_pid" ]] && kill -0 "$smtp_pid" 2>/dev/null; then
        kill -TERM "$smtp_pid" 2>/dev/null || true
        wait "$smtp_pid" 2>/dev/null || true
    fi
    smtp_pid=""
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
    if [[ "${KEEP_DATA:-}" == "1" ]]; then
        echo "run.sh: data directory kept at $data_dir"
    else
        rm -rf "$data_dir"
    fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

python3 "$here/smtp_sink.py" "$smtp_port" "$data_dir/mail" >"$screenshots/smtp.log" 2>&1 &
smtp_pid=$!
for _ in $(seq 1 50); do
    grep -q "listening" "$screenshots/smtp.log" 2>/dev/null && break
    sleep 0.1
done
echo "run.sh: starting $binary on $base_url (data: $data_dir, SMTP on port $smtp_port)"
# Line-buffered stdout, so the printed password reaches the log at once.
env -u DATABASE_URL SMTP_URL="smtp://127.0.0.1:$smtp_port" \
    THADS_DATA_DIR="$data_dir" HOST=127.0.0.1 PORT="$port" PUBLIC_URL="$base_url" LOG_LEVEL="${LOG_LEVEL:-notice}" \
    stdbuf -oL -eL "$binary" serve </dev/null >"$log" 2>&1 &
server_pid=$!

admin_password=""
ready=""
for _ in $(seq 1 300); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "run.sh: the server exited during start; its output:" >&2
        cat "$log" >&2
        exit 1
    fi
    if [[ -z "$admin_password" ]]; then
        admin_password="$(sed -n 's/^[[:space:]]*Mật khẩu dùng một lần:[[:space:]]*\([^[:space:]]*\).*/\1/p' "$log" | head -n 1)"
    fi
    if [[ -z "$ready" ]] \
        && [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base_url/readyz" || true)" == "200" ]]; then
        ready=1
    fi
    [[ -n "$ready" && -n "$admin_password" ]] && break
    sleep 0.2
done
if [[ -z "$ready" ]]; then
    echo "run.sh: $base_url/readyz did not answer 200 within 60 s; server output:" >&2
    cat "$log" >&2
    exit 1
fi
if [[ -z "$admin_password" ]]; then
    echo "run.sh: the server did not print the first admin's one-time password; server output:" >&2
    cat "$log" >&2
    exit 1
fi
grep -q "Tên đăng nhập: admin" "$log" || echo "run.sh: warning: no 'Tên đăng nhập: admin' line in the output" >&2
echo "run.sh: server ready; running the browser tests"

status=0
(
    cd "$here"
    BASE_URL="$base_url" ADMIN_PASSWORD="$admin_password" DATA_DIR="$data_dir" SERVER_LOG="$log" THADS_BIN="$binary" PYTHONDONTWRITEBYTECODE=1 \
        python3 -m unittest -v "$@" test_platform
) || status=$?

stop_server
trap - EXIT
if [[ $status -eq 0 ]]; then
    echo "run.sh: browser tests passed; screenshots in $screenshots"
else
    echo "run.sh: browser tests FAILED (exit $status); screenshots, FAILED-*.html and server.log in $screenshots" >&2
fi
exit $status
