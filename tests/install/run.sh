#!/usr/bin/env bash
# Tests scripts/install.sh (and scripts/action-audit.sh, the GitHub Action's
# audit step) against releases laid out the way .github/workflows/release.yml
# lays them out (scripts/release-package.sh), served over HTTP by
# `python3 -m http.server` on a free 127.0.0.1 port.
#
#   DRGUARD_BIN=target/debug/drguard tests/install/run.sh
#
# DRGUARD_BIN is the drguard binary to package (default target/debug/drguard);
# its archive is named for this machine's release target. Prints one line per
# check and "N passed, N failed" last; exits 1 when a check failed.
set -euo pipefail
cd "$(dirname "$0")/../.."

bin="${DRGUARD_BIN:-target/debug/drguard}"
if [ ! -x "$bin" ]; then
    echo "no drguard binary at $bin: build it (cargo build) or set DRGUARD_BIN" >&2
    exit 2
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
version="$("$bin" --version | awk '{ print $2 }')"
tag="v$version"

# The release target of this machine, as the release names its archives.
case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) target=x86_64-unknown-linux-musl ;;
    Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
    Darwin-x86_64) target=x86_64-apple-darwin ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    *) echo "no drguard release target for $(uname -s) $(uname -m)" >&2; exit 2 ;;
esac
case "$target" in
    x86_64-*) other_target="aarch64-${target#x86_64-}" ;;
    *) other_target="x86_64-${target#aarch64-}" ;;
esac

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() {
    failed=$((failed + 1))
    echo "not ok - $1"
    if [ -f "$work/err" ]; then sed 's/^/    stderr: /' "$work/err"; fi
}

# --- the releases the server offers -----------------------------------------
srv="$work/srv"
package() { scripts/release-package.sh archive "$@" >/dev/null; }

# good/vX.Y.Z: this machine's archive (the real binary) and another target's,
# with SHA256SUMS over both, as the release workflow publishes them.
package "$bin" "$target" "$version" "$srv/good/$tag"
printf '#!/bin/sh\necho "drguard %s"\n' "$version" >"$work/other-drguard"
package "$work/other-drguard" "$other_target" "$version" "$srv/good/$tag"
scripts/release-package.sh sums "$srv/good/$tag" >/dev/null

# tampered/vX.Y.Z: the same SHA256SUMS, but this machine's archive changed after it.
mkdir -p "$srv/tampered/$tag"
cp "$srv/good/$tag/"* "$srv/tampered/$tag/"
printf 'tampered' >>"$srv/tampered/$tag/drguard-$version-$target.tar.gz"

# other-only/vX.Y.Z: a release without a binary for this machine.
package "$work/other-drguard" "$other_target" "$version" "$srv/other-only/$tag"
scripts/release-package.sh sums "$srv/other-only/$tag" >/dev/null

# unlisted-file/vX.Y.Z: SHA256SUMS lists this machine's archive, the file is missing.
mkdir -p "$srv/unlisted-file/$tag"
cp "$srv/good/$tag/SHA256SUMS" "$srv/unlisted-file/$tag/"

# --- the HTTP server ----------------------------------------------------------
# Port 0: the kernel picks a free port. http.server binds and listens, then
# prints "Serving HTTP on 127.0.0.1 port N": reading that line (with a
# timeout) is the wait, and a bounded probe loop confirms it answers.
fifo="$work/server.out"
mkfifo "$fifo"
python3 -u -m http.server --bind 127.0.0.1 --directory "$srv" 0 >"$fifo" 2>"$work/server.log" &
server_pid=$!
exec 3<"$fifo"
port=""
if read -r -t 30 line <&3; then
    port="$(printf '%s\n' "$line" | sed -n 's/.* port \([0-9][0-9]*\).*/\1/p')"
fi
if [ -z "$port" ]; then
    echo "the HTTP server did not start: ${line:-no output}" >&2
    cat "$work/server.log" >&2
    exit 1
fi
url="http://127.0.0.1:$port"
probe=0
until curl --silent --fail --max-time 2 --output /dev/null "$url/good/$tag/SHA256SUMS"; do
    probe=$((probe + 1))
    if [ "$probe" -ge 20 ]; then
        echo "the HTTP server at $url does not answer" >&2
        cat "$work/server.log" >&2
        exit 1
    fi
done
echo "# serving test releases at $url (target $target, $tag)"

# install.sh with the given arguments; stdout+stderr in $work/err, exit code in $status.
install() {
    set +e
    sh scripts/install.sh "$@" >"$work/err" 2>&1
    status=$?
    set -e
}

# --- install.sh ----------------------------------------------------------------
dest="$work/bin-good"
install --version "$tag" --to "$dest" --base-url "$url/good"
if [ "$status" = 0 ] && [ "$("$dest/drguard" --version)" = "drguard $version" ] && cmp -s "$bin" "$dest/drguard"; then
    pass "installs $tag for $target; the installed drguard --version prints 'drguard $version'"
else
    fail "installs $tag for $target (exit $status)"
fi
if grep -q "SHA-256 verified" "$work/err"; then
    pass "reports the verified SHA-256"
else
    fail "reports the verified SHA-256"
fi

set +e
"$dest/drguard" audit --config fixtures/reference/drguard.toml --snapshot fixtures/reference/snapshot.json >/dev/null 2>&1
audit_status=$?
set -e
if [ "$audit_status" = 1 ]; then
    pass "the installed drguard audits the bundled example (exit 1: its deliberate failures)"
else
    fail "the installed drguard audits the bundled example (exit $audit_status, expected 1)"
fi

dest="$work/bin-env"
set +e
DRGUARD_RELEASE_URL="$url/good" DRGUARD_VERSION="$version" DRGUARD_INSTALL_DIR="$dest" sh scripts/install.sh >"$work/err" 2>&1
status=$?
set -e
if [ "$status" = 0 ] && [ "$("$dest/drguard" --version)" = "drguard $version" ]; then
    pass "takes DRGUARD_RELEASE_URL, DRGUARD_VERSION (without v) and DRGUARD_INSTALL_DIR from the environment"
else
    fail "takes its settings from the environment (exit $status)"
fi

dest="$work/bin-pipe"
set +e
sh -s -- --version "$tag" --to "$dest" --base-url "$url/good/" <scripts/install.sh >"$work/err" 2>&1
status=$?
set -e
if [ "$status" = 0 ] && [ -x "$dest/drguard" ]; then
    pass "runs from standard input (curl ... | sh -s -- --version $tag), base URL with a trailing slash"
else
    fail "runs from standard input (exit $status)"
fi

dest="$work/bin-tampered"
mkdir -p "$dest"
printf 'previous drguard\n' >"$dest/drguard"
install --version "$tag" --to "$dest" --base-url "$url/tampered"
if [ "$status" != 0 ] && grep -q "checksum mismatch for drguard-$version-$target.tar.gz" "$work/err" \
    && grep -q "Refusing to install" "$work/err" \
    && [ "$(cat "$dest/drguard")" = "previous drguard" ] && [ "$(ls -A "$dest")" = drguard ]; then
    pass "refuses a tampered archive (exit $status, 'checksum mismatch'); the installed file is untouched"
else
    fail "refuses a tampered archive (exit $status)"
fi
dest="$work/bin-tampered-new"
install --version "$tag" --to "$dest" --base-url "$url/tampered"
if [ "$status" != 0 ] && [ ! -e "$dest" ]; then
    pass "a refused archive creates nothing (not even the install folder)"
else
    fail "a refused archive creates nothing (exit $status)"
fi

dest="$work/bin-missing"
install --version v9.9.9 --to "$dest" --base-url "$url/good"
if [ "$status" = 1 ] && grep -q "cannot download $url/good/v9.9.9/SHA256SUMS: is v9.9.9 a drguard release?" "$work/err" && [ ! -e "$dest" ]; then
    pass "a release that does not exist is a clear error (exit 1)"
else
    fail "a release that does not exist is a clear error (exit $status)"
fi

install --version "$tag" --to "$dest" --base-url "$url/other-only"
if [ "$status" = 1 ] && grep -q "release $tag has no binary for $target (its SHA256SUMS lists: drguard-$version-$other_target.tar.gz)" "$work/err" && [ ! -e "$dest" ]; then
    pass "a release without this machine's binary is a clear error naming what it has"
else
    fail "a release without this machine's binary is a clear error (exit $status)"
fi

install --version "$tag" --to "$dest" --base-url "$url/unlisted-file"
if [ "$status" = 1 ] && grep -q "cannot download $url/unlisted-file/$tag/drguard-$version-$target.tar.gz" "$work/err" && [ ! -e "$dest" ]; then
    pass "an archive missing from the release is a clear error"
else
    fail "an archive missing from the release is a clear error (exit $status)"
fi

install --to "$dest" --base-url "$url/good"
if [ "$status" = 2 ] && grep -q -- "--version is required" "$work/err"; then
    pass "no --version is a usage error (exit 2)"
else
    fail "no --version is a usage error (exit $status)"
fi

install --version latest --to "$dest" --base-url "$url/good"
if [ "$status" = 2 ] && grep -q "is not a release tag such as v0.1.0" "$work/err"; then
    pass "a --version that is not a release tag is a usage error (exit 2)"
else
    fail "a --version that is not a release tag is a usage error (exit $status)"
fi

# An unknown OS or processor: a uname earlier on PATH says so.
fake="$work/fake-uname"
mkdir -p "$fake"
for platform in Linux:riscv64 FreeBSD:x86_64; do
    set -- "${platform%%:*}" "${platform#*:}"
    # shellcheck disable=SC2016 # $1 belongs to the fake uname
    printf '#!/bin/sh\ncase "$1" in -s) echo %s ;; -m) echo %s ;; *) exit 1 ;; esac\n' "$1" "$2" >"$fake/uname"
    chmod +x "$fake/uname"
    set +e
    PATH="$fake:$PATH" sh scripts/install.sh --version "$tag" --to "$dest" --base-url "$url/good" >"$work/err" 2>&1
    status=$?
    set -e
    if [ "$status" = 1 ] && grep -q "drguard publishes no binary for" "$work/err" && grep -q "$1\|$2" "$work/err" \
        && grep -q "cargo install --locked" "$work/err" && [ ! -e "$dest" ]; then
        pass "refuses an unknown platform ($1 $2) with a clear message"
    else
        fail "refuses an unknown platform ($1 $2) (exit $status)"
    fi
done
set --

# wget when there is no curl: a PATH holding the tools install.sh uses, minus curl.
if command -v wget >/dev/null 2>&1; then
    nocurl="$work/no-curl"
    mkdir -p "$nocurl"
    for tool in sh uname grep awk sed cut tr mktemp rm mkdir cp mv chmod cat tar gzip sha256sum wget; do
        if path="$(command -v "$tool")"; then ln -s "$path" "$nocurl/$tool"; fi
    done
    dest="$work/bin-wget"
    set +e
    PATH="$nocurl" "$nocurl/sh" scripts/install.sh --version "$tag" --to "$dest" --base-url "$url/good" >"$work/err" 2>&1
    status=$?
    set -e
    if [ "$status" = 0 ] && [ "$("$dest/drguard" --version)" = "drguard $version" ]; then
        pass "downloads with wget when curl is missing"
    else
        fail "downloads with wget when curl is missing (exit $status)"
    fi
else
    echo "# skipped: downloads with wget when curl is missing (no wget here)"
fi

# --- cargo binstall's metadata and install.sh's default URL name these files ---
set +e
python3 - "$version" "$target" "$srv/good" >"$work/err" 2>&1 <<'PY'
import os, re, sys, tarfile, tomllib

version, target, releases = sys.argv[1:]
with open("Cargo.toml", "rb") as f:
    package = tomllib.load(f)["package"]
binstall = package["metadata"]["binstall"]
values = {"repo": package["repository"], "name": package["name"], "version": version,
          "target": target, "bin": "drguard", "binary-ext": ""}
expand = lambda t: re.sub(r"\{ *([a-z-]+) *\}", lambda m: values[m.group(1)], t)

assert binstall["pkg-fmt"] == "tgz", binstall["pkg-fmt"]
prefix = package["repository"] + "/releases/download/"
url = expand(binstall["pkg-url"])
assert url.startswith(prefix), f"pkg-url {url} is not under {prefix}"
tag, asset = url[len(prefix):].split("/")
archive = os.path.join(releases, tag, asset)
assert os.path.isfile(archive), f"pkg-url names {tag}/{asset}, the release has {os.listdir(os.path.join(releases, tag))}"
with tarfile.open(archive) as t:
    names = t.getnames()
assert expand(binstall["bin-dir"]) in names, f"bin-dir {expand(binstall['bin-dir'])} is not in {names}"

script = open("scripts/install.sh").read()
assert f'REPO_URL="{package["repository"]}"' in script, "install.sh's REPO_URL is not Cargo.toml's repository"
assert 'base_url="${DRGUARD_RELEASE_URL:-$REPO_URL/releases/download}"' in script
PY
status=$?
set -e
if [ "$status" = 0 ]; then
    pass "Cargo.toml's binstall pkg-url and bin-dir name this release's archive and binary; install.sh's default URL is the repository's releases"
else
    fail "binstall metadata and install.sh's default URL match the release layout"
fi

# --- the release workflow's own shell steps --------------------------------------
# Each `run:` script below is read out of .github/workflows/release.yml and run
# as GitHub runs it (bash -eo pipefail) with the environment the workflow gives
# it; only the steps that need GitHub (checkout, artifacts, gh, docker) are left.
py=""
for candidate in .venv/bin/python python3; do
    if "$candidate" -c 'import yaml' 2>/dev/null; then py="$candidate"; break; fi
done
if [ -z "$py" ]; then
    echo "# skipped: the release workflow's steps (no Python with PyYAML; .ci/run's .venv has it)"
else
    ws="$work/workflow"
    mkdir -p "$ws/target/$target/release"
    ln -s "$PWD/scripts" "$ws/scripts"
    ln -s "$PWD/README.md" "$ws/README.md"
    ln -s "$PWD/Cargo.toml" "$ws/Cargo.toml"
    cp "$bin" "$ws/target/$target/release/drguard"

    # workflow_step JOB NAME [VAR=VALUE...]: runs the step in $ws; output in $work/err, exit code in $status.
    workflow_step() {
        local job="$1" name="$2"
        shift 2
        "$py" - "$job" "$name" "$work/step.sh" <<'PY'
import sys, yaml
job, name, out = sys.argv[1:]
with open(".github/workflows/release.yml") as f:
    steps = yaml.safe_load(f)["jobs"][job]["steps"]
runs = [s["run"] for s in steps if s.get("name") == name]
if len(runs) != 1:
    sys.exit(f"release.yml: job {job} has {len(runs)} steps named {name!r}")
with open(out, "w") as f:
    f.write(runs[0])
PY
        rm -f "$work/gh-output"
        set +e
        (cd "$ws" && env RUNNER_OS=Linux GITHUB_OUTPUT="$work/gh-output" "$@" bash --noprofile --norc -eo pipefail "$work/step.sh") >"$work/err" 2>&1
        status=$?
        set -e
    }

    workflow_step meta "Resolve the tag" EVENT=push INPUT_TAG= REF_NAME="$tag"
    if [ "$status" = 0 ] && grep -qx "tag=$tag" "$work/gh-output" && grep -qx "version=$version" "$work/gh-output"; then
        pass "release.yml: a pushed tag $tag gives tag=$tag, version=$version"
    else
        fail "release.yml: a pushed tag gives tag and version (exit $status)"
    fi
    workflow_step meta "Resolve the tag" EVENT=workflow_dispatch INPUT_TAG=v1.2 REF_NAME=main
    if [ "$status" = 1 ] && grep -q "'v1.2' is not a release tag" "$work/err"; then
        pass "release.yml: a dispatched tag that is not vX.Y.Z is refused"
    else
        fail "release.yml: a dispatched tag that is not vX.Y.Z is refused (exit $status)"
    fi

    crate_version="$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml", "rb"))["package"]["version"])')"
    workflow_step meta "The tag matches Cargo.toml's version" TAG="v$crate_version"
    first=$status
    workflow_step meta "The tag matches Cargo.toml's version" TAG=v0.0.0-other
    if [ "$first" = 0 ] && [ "$status" = 1 ] && grep -q "does not match Cargo.toml's version $crate_version" "$work/err"; then
        pass "release.yml: the tag must match Cargo.toml's version ($crate_version)"
    else
        fail "release.yml: the tag must match Cargo.toml's version (exits $first, $status)"
    fi

    check="The binary runs, reports the version, and is static on Linux"
    workflow_step build "$check" TARGET="$target" VERSION=9.9.9
    if [ "$status" = 1 ] && grep -q "reports 'drguard $version', expected 'drguard 9.9.9'" "$work/err"; then
        pass "release.yml: a binary reporting another version is refused"
    else
        fail "release.yml: a binary reporting another version is refused (exit $status)"
    fi
    workflow_step build "$check" TARGET="$target" VERSION="$version"
    if file "$bin" | grep -q 'dynamically linked'; then
        if [ "$status" = 1 ] && grep -q "is dynamically linked; the Linux release must be static" "$work/err"; then
            pass "release.yml: a dynamically linked Linux binary (this debug build) is refused"
        else
            fail "release.yml: a dynamically linked Linux binary is refused (exit $status)"
        fi
    elif [ "$status" = 0 ]; then
        pass "release.yml: a static Linux binary reporting $version passes the check"
    else
        fail "release.yml: a static Linux binary passes the check (exit $status)"
    fi

    workflow_step build "Package" TARGET="$target" VERSION="$version"
    if [ "$status" = 0 ] && tar -xzOf "$ws/dist/drguard-$version-$target.tar.gz" "drguard-$version-$target/drguard" | cmp -s - "$bin"; then
        pass "release.yml: Package writes dist/drguard-$version-$target.tar.gz holding the binary"
    else
        fail "release.yml: Package writes the archive (exit $status)"
    fi

    for t in x86_64-unknown-linux-musl aarch64-unknown-linux-musl x86_64-apple-darwin aarch64-apple-darwin; do
        if [ "$t" != "$target" ]; then package "$work/other-drguard" "$t" "$version" "$ws/dist"; fi
    done
    workflow_step release "SHA256SUMS"
    if [ "$status" = 0 ] && [ "$(wc -l <"$ws/dist/SHA256SUMS")" -eq 4 ] && (cd "$ws/dist" && sha256sum --check --quiet SHA256SUMS); then
        pass "release.yml: SHA256SUMS covers the four archives and checks out"
    else
        fail "release.yml: SHA256SUMS covers the four archives (exit $status)"
    fi
    mv "$ws/dist/drguard-$version-aarch64-apple-darwin.tar.gz" "$work/"
    workflow_step release "SHA256SUMS"
    if [ "$status" = 1 ] && grep -q "expected 4 archives, SHA256SUMS lists 3" "$work/err"; then
        pass "release.yml: a release missing an archive stops before publishing"
    else
        fail "release.yml: a release missing an archive stops (exit $status)"
    fi

    workflow_step image "The static binaries, where the Dockerfile takes them" VERSION="$version"
    amd64="$ws/dist/linux-amd64/drguard"
    arm64="$ws/dist/linux-arm64/drguard"
    expected_amd64="$bin"
    [ "$target" = x86_64-unknown-linux-musl ] || expected_amd64="$work/other-drguard"
    # shellcheck disable=SC2016 # ${TARGETARCH} is the Dockerfile's, matched literally
    if [ "$status" = 0 ] && cmp -s "$amd64" "$expected_amd64" && [ -x "$arm64" ] \
        && grep -qx 'COPY dist/linux-${TARGETARCH}/drguard /usr/local/bin/drguard' Dockerfile \
        && grep -qx '!dist/linux-amd64/drguard' .dockerignore && grep -qx '!dist/linux-arm64/drguard' .dockerignore; then
        pass "release.yml: the image job puts each Linux binary where the Dockerfile and .dockerignore take it"
    else
        fail "release.yml: the image job's binaries match the Dockerfile (exit $status)"
    fi
fi

# --- the GitHub Action's audit step (scripts/action-audit.sh) ------------------
installed="$work/bin-good/drguard"
action_audit() { # FAIL_ON ARGS SNAPSHOT [PLAN [FAIL_ON_NEW]]
    rm -f "$work/gh-output" "$work/summary.md" "$work/drguard.sarif"
    touch "$work/summary.md"
    set +e
    DRGUARD="$installed" INPUT_CONFIG=fixtures/reference/drguard.toml INPUT_SNAPSHOT="$3" \
        INPUT_PLAN="${4:-}" INPUT_FAIL_ON_NEW="${5:-false}" \
        INPUT_FAIL_ON="$1" INPUT_ARGS="$2" INPUT_SARIF="$work/drguard.sarif" INPUT_SUMMARY=true \
        GITHUB_OUTPUT="$work/gh-output" GITHUB_STEP_SUMMARY="$work/summary.md" \
        bash scripts/action-audit.sh >"$work/out" 2>"$work/err"
    status=$?
    set -e
}
# The command line the step echoes ("+ drguard audit ...") before running it.
action_command() { grep -m1 '^+ ' "$work/out"; }
sarif_ok() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if d["version"] == "2.1.0" and d["runs"][0]["tool"]["driver"]["name"] == "drguard" else 1)' "$work/drguard.sarif"
}

action_audit high "" fixtures/reference/snapshot.json
if [ "$status" = 1 ] && grep -qx "exit-code=1" "$work/gh-output" && grep -qx "sarif-written=true" "$work/gh-output" \
    && sarif_ok && [ -s "$work/summary.md" ] && grep -q "DRG-SSM-003" "$work/out"; then
    pass "action audit step: findings at or above fail-on exit 1, with SARIF, job summary and human report"
else
    fail "action audit step: findings at or above fail-on (exit $status)"
fi

action_audit none $'--failures-only\n  --color never' fixtures/reference/snapshot.json
if [ "$status" = 0 ] && grep -qx "exit-code=0" "$work/gh-output" && sarif_ok && ! grep -q "✓" "$work/out"; then
    pass "action audit step: fail-on none exits 0; args split on spaces and newlines reach drguard"
else
    fail "action audit step: fail-on none and args (exit $status)"
fi

action_audit high "--fail-onn high" fixtures/reference/snapshot.json
if [ "$status" = 2 ] && grep -qx "exit-code=2" "$work/gh-output"; then
    pass "action audit step: a usage error exits 2"
else
    fail "action audit step: a usage error exits 2 (exit $status)"
fi

action_audit high "" "$work/no-such-snapshot.json"
if [ "$status" = 2 ] && grep -qx "sarif-written=false" "$work/gh-output"; then
    pass "action audit step: a missing snapshot exits 2 and reports no SARIF to upload"
else
    fail "action audit step: a missing snapshot exits 2 (exit $status)"
fi

# The plan input: `--plan PATH` reaches drguard, an empty one passes nothing.
action_audit high "" fixtures/reference/snapshot.json ""
if ! action_command | grep -q -- "--plan" && ! action_command | grep -q -- "--fail-on-new"; then
    pass "action audit step: an empty plan input and fail-on-new false pass neither --plan nor --fail-on-new"
else
    fail "action audit step: an empty plan input passes nothing ($(action_command))"
fi

plan=fixtures/plan/replication-deleted.json
action_audit high "" fixtures/reference/snapshot.json "$plan"
if [ "$status" = 1 ] && action_command | grep -q -- "--snapshot fixtures/reference/snapshot.json --plan $plan" \
    && grep -q "DRG-S3-001" "$work/summary.md" && grep -q "RPO guaranteed for s3" "$work/summary.md"; then
    pass "action audit step: the plan input is passed as --plan over the snapshot; the job summary shows what the plan breaks"
else
    fail "action audit step: the plan input is passed as --plan (exit $status, $(action_command))"
fi

# fail-on-new: the bundled example fails high rules already, so a plan that
# changes nothing passes only when the flag reached drguard, and one that
# deletes the replication configuration still fails.
action_audit high "" fixtures/reference/snapshot.json fixtures/plan/noop.json true
if [ "$status" = 0 ] && grep -qx "exit-code=0" "$work/gh-output" && action_command | grep -q -- "--fail-on-new"; then
    pass "action audit step: fail-on-new true with a no-op plan exits 0 despite the base's failures"
else
    fail "action audit step: fail-on-new true with a no-op plan (exit $status, $(action_command))"
fi
action_audit high "" fixtures/reference/snapshot.json "$plan" true
if [ "$status" = 1 ] && grep -qx "exit-code=1" "$work/gh-output" && grep -qx "sarif-written=true" "$work/gh-output"; then
    pass "action audit step: fail-on-new true fails on a failure the plan introduces (exit 1, SARIF written)"
else
    fail "action audit step: fail-on-new true fails on what the plan introduces (exit $status)"
fi

action_audit high "" fixtures/reference/snapshot.json "" true
if [ "$status" = 2 ] && grep -qx "exit-code=2" "$work/gh-output"; then
    pass "action audit step: fail-on-new true with neither a plan nor a baseline is a usage error (exit 2)"
else
    fail "action audit step: fail-on-new without a plan or baseline exits 2 (exit $status)"
fi

action_audit high "" fixtures/reference/snapshot.json "$plan" yes
if [ "$status" = 2 ] && grep -qx "exit-code=2" "$work/gh-output" && grep -qx "sarif-written=false" "$work/gh-output" \
    && grep -q "fail-on-new input must be true or false, not 'yes'" "$work/err"; then
    pass "action audit step: a fail-on-new other than true or false is a usage error (exit 2), nothing to upload"
else
    fail "action audit step: a bad fail-on-new value exits 2 (exit $status)"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
