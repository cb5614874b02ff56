# Sourced by the check scripts: the sample network published into a fresh SQLite registry in
# $work (or the folder the script set), and `crocevia serve` on it at $base (port $PORT, else
# the caller's $port), stopped when the script exits. CROCEVIA_BIN checks another build.
if [ -n "${CROCEVIA_BIN:-}" ]; then
  crocevia=$CROCEVIA_BIN
else
  swift build --product crocevia >/dev/null
  crocevia=$(swift build --show-bin-path)/crocevia
fi
work=${work:-$(mktemp -d)}
"$crocevia" pipeline Samples/network.yaml --registry "sqlite:$work/registry.sqlite" --reports "$work/reports" >/dev/null 2>&1
port=${PORT:-$port}
"$crocevia" serve --registry "sqlite:$work/registry.sqlite" --port "$port" 2>"$work/serve.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 1 100); do curl -sf "$base/" >/dev/null && break; sleep 0.1; done
