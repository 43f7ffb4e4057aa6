# Sourced by the scripts that test a running server. `start_server [ENV=VALUE…]` builds the
# debug binary, starts it on a free loopback port with a fresh SQLite data directory (the
# environment assignments given apply to it) and waits until /health answers. It sets
# `work` (a scratch directory), `base` (the server's URL), `log` (its log file) and `server`
# (its pid), and stops the server and removes `work` when the calling script exits.

start_server() {
  local bin="${CARGO_TARGET_DIR:-target}/debug/switchboard"
  # Always built: a binary left by an earlier build would test older code.
  cargo build --quiet --locked -p switchboard
  work="$(mktemp -d)"
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  base="http://127.0.0.1:$port"
  log="$work/server.log"
  env "$@" "$bin" serve --bind "127.0.0.1:$port" --data-dir "$work/data" >"$log" 2>&1 &
  server=$!
  trap stop_server EXIT
  for _ in $(seq 1 100); do
    if curl -fsS "$base/health" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$server" 2>/dev/null; then
      echo "the server did not start:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "the server did not answer /health in 20 s" >&2
  exit 1
}

stop_server() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
