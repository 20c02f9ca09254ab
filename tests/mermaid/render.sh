#!/usr/bin/env bash
# Render check of the Mermaid diagrams in drguard's Markdown reports.
#
# GitHub draws ```mermaid blocks in job summaries and comments; a block that
# Mermaid cannot parse shows as an error box instead. This script writes the
# Markdown reports (`audit` and `budget`) for the bundled example, for the
# example with hostile names (fixtures/hostile-names.json, hostile step ids)
# and for an empty snapshot with no applicable step (which must hold no
# diagram at all), extracts every block, renders each one in headless
# Chromium with the Mermaid version pinned in package-lock.json, and fails
# unless each drew an <svg> of the expected kind without a parse error.
# Screenshots of each diagram land in tests/mermaid/out/diagram-N.png.
#
# Needs: Debian's chromium (with a font: fonts-dejavu-core), node and npm
# (the pinned mermaid is installed here with `npm ci`). Without them the
# check is skipped with a message, unless DRGUARD_REQUIRE_MERMAID is set,
# which makes a missing tool a failure.
# The drguard binary is $DRGUARD_BIN, else target/debug/drguard (under
# $CARGO_TARGET_DIR when set), built with `cargo build --locked` if missing.
#
# Exit status: 0 when every diagram rendered (or the check was skipped),
# 1 otherwise. The last line reads "mermaid render: N passed, M failed".
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$here/out"

browser=$(command -v chromium || command -v chromium-browser || true)
missing=()
[ -n "$browser" ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(node)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ -n "${DRGUARD_REQUIRE_MERMAID:-}" ]; then
        echo "render.sh: FAILED: ${missing[*]} not found, and DRGUARD_REQUIRE_MERMAID is set" >&2
        echo "  install: apt-get install -y --no-install-recommends chromium fonts-dejavu-core nodejs npm" >&2
        exit 1
    fi
    echo "render.sh: SKIPPED: ${missing[*]} not found"
    echo "  (apt-get install -y --no-install-recommends chromium fonts-dejavu-core nodejs npm);"
    echo "  set DRGUARD_REQUIRE_MERMAID=1 to make this a failure"
    exit 0
fi

# The pinned Mermaid, installed exactly as locked (no install scripts run).
pinned=$(node -p "require('$here/package-lock.json').packages['node_modules/mermaid'].version")
installed=$(node -p "try { require('$here/node_modules/mermaid/package.json').version } catch { '' }")
if [ "$installed" != "$pinned" ]; then
    echo "render.sh: installing mermaid $pinned (npm ci)"
    (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

bin=${DRGUARD_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/drguard}
if [ ! -x "$bin" ]; then
    echo "render.sh: building drguard (cargo build --locked)"
    (cd "$root" && cargo build --locked --quiet)
fi

rm -rf "$out"
mkdir -p "$out"
node "$here/fixtures.mjs" >/dev/null

# drguard exits 1 on failing rules and 3 on an incomplete budget: both still
# write the report. Only 2 (bad input, write error) stops the check.
report() {
    local file=$1
    shift
    local code=0
    (cd "$root" && "$bin" "$@" --format markdown >"$out/$file" 2>"$out/$file.stderr") || code=$?
    if [ "$code" -eq 2 ] || [ ! -s "$out/$file" ]; then
        echo "render.sh: drguard $* exited $code:" >&2
        cat "$out/$file.stderr" >&2
        exit 1
    fi
}
reference=(--config fixtures/reference/drguard.toml --snapshot fixtures/reference/snapshot.json)
hostile=(--config tests/mermaid/fixtures/hostile.toml --snapshot "$out/hostile-snapshot.json")
nothing=(--config tests/mermaid/fixtures/nothing.toml --snapshot "$out/empty-snapshot.json")
report reference-audit.md audit "${reference[@]}"
report reference-budget.md budget "${reference[@]}"
report hostile-audit.md audit "${hostile[@]}"
report hostile-budget.md budget "${hostile[@]}"
report empty-audit.md audit "${nothing[@]}"
report empty-budget.md budget "${nothing[@]}"

# FILE=COUNT: how many diagrams each report must hold (topology + timeline
# in an audit summary, the timeline in a budget report, none when there is
# nothing to draw).
node "$here/extract.mjs" \
    "$out/reference-audit.md=2" "$out/reference-budget.md=1" \
    "$out/hostile-audit.md=2" "$out/hostile-budget.md=1" \
    "$out/empty-audit.md=0" "$out/empty-budget.md=0"

chrome() {
    local profile
    profile=$(mktemp -d)
    # The flags keep Chromium off the network (closed here) and out of any
    # desktop session; --virtual-time-budget lets the async render finish.
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --virtual-time-budget=20000 --hide-scrollbars "$@" \
        2>>"$out/chromium.log" || true
    rm -rf "$profile"
}

chrome --dump-dom "file://$here/render.html" >"$out/dom.html"
node -e '
const fs = require("fs");
const dom = fs.readFileSync(process.argv[1], "utf8");
const title = (/<title>([^<]*)<\/title>/.exec(dom) || [])[1] || "no title";
const result = (/<pre id="result">([\s\S]*?)<\/pre>/.exec(dom) || [])[1] || "";
fs.writeFileSync(process.argv[2], result.trim() + "\n");
if (title !== "RENDER-DONE") { console.error(`render.html did not finish (title: ${title})`); process.exit(1); }
' "$out/dom.html" "$out/results.txt" || {
    echo "render.sh: the page did not finish; see $out/chromium.log" >&2
    echo "mermaid render: 0 passed, 1 failed"
    exit 1
}

expected=$(node -e "global.window = {}; require('$out/diagrams.js'); console.log(window.DIAGRAMS.length)")
passed=$(grep -c '^ok ' "$out/results.txt" || true)
failed=$((expected - passed))
while read -r status index kind size _; do
    [ "$status" = ok ] || continue
    # Screenshot at the page's 1200 px diagram width, tall enough for the drawing.
    width=${size%x*}
    height=${size#*x}
    shot_height=$((height * 1200 / (width > 1200 ? width : 1200) + 160))
    [ "$shot_height" -le 6000 ] || shot_height=6000
    chrome --window-size="1280,$shot_height" --screenshot="$out/diagram-$index.png" \
        "file://$here/render.html?only=$index"
done <"$out/results.txt"

cat "$out/results.txt"
grep '^fail' "$out/results.txt" >&2 || true
echo "screenshots: $out/diagram-*.png"
echo "mermaid render: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
