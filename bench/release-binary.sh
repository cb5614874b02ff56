# Sourced by the benchmarks: sets $crocevia to the release build of this checkout (built first),
# or to CROCEVIA_BIN, which measures a given build (another commit's, an installed one, one
# copied out of the checkout) instead.
if [ -n "${CROCEVIA_BIN:-}" ]; then
  crocevia=$CROCEVIA_BIN
else
  swift build -c release --product crocevia >/dev/null
  crocevia=$(swift build -c release --show-bin-path)/crocevia
fi
