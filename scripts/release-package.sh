#!/usr/bin/env bash
# Release files, made the one way .github/workflows/release.yml and
# tests/install/run.sh both make them (scripts/install.sh and the
# [package.metadata.binstall] table of Cargo.toml read this layout):
#
#   scripts/release-package.sh archive BINARY TARGET VERSION OUTDIR
#       writes OUTDIR/drguard-VERSION-TARGET.tar.gz holding one folder,
#       drguard-VERSION-TARGET/, with the binary as `drguard` plus README.md and
#       LICENSE when the repository has them
#   scripts/release-package.sh sums DIR
#       writes DIR/SHA256SUMS covering every DIR/drguard-*.tar.gz, in the
#       format of `sha256sum` (and `sha256sum --check`)
#
# VERSION has no leading v (0.1.0); the release's tag is v0.1.0.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"

die() { echo "release-package: $*" >&2; exit 1; }

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$@"
    else
        shasum -a 256 "$@"
    fi
}

archive() {
    [ $# -eq 4 ] || die "usage: release-package.sh archive BINARY TARGET VERSION OUTDIR"
    local binary="$1" target="$2" version="$3" outdir="$4"
    [ -f "$binary" ] || die "no binary at $binary"
    [[ $target =~ ^[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_]+(-[a-z0-9_]+)?$ ]] || die "'$target' is not a target triple"
    [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || die "'$version' is not a version such as 0.1.0"

    local name="drguard-$version-$target"
    local staging
    staging="$(mktemp -d)"
    # shellcheck disable=SC2064 # expand now: the local is gone when the trap runs
    trap "rm -rf '$staging'" RETURN
    mkdir "$staging/$name"
    cp "$binary" "$staging/$name/drguard"
    chmod 0755 "$staging/$name/drguard"
    local doc
    for doc in README.md LICENSE; do
        if [ -f "$root/$doc" ]; then
            cp "$root/$doc" "$staging/$name/$doc"
            chmod 0644 "$staging/$name/$doc"
        fi
    done

    mkdir -p "$outdir"
    local owner=()
    if tar --version 2>/dev/null | grep -q 'GNU tar'; then
        owner=(--owner=0 --group=0 --numeric-owner --sort=name)
    else
        owner=(--uid 0 --gid 0) # bsdtar (macOS)
    fi
    # No AppleDouble (._*) files from macOS's tar; gzip -n: no name or time stamp.
    COPYFILE_DISABLE=1 tar -C "$staging" "${owner[@]}" -cf - "$name" | gzip -n >"$outdir/$name.tar.gz"
    echo "$outdir/$name.tar.gz"
}

sums() {
    [ $# -eq 1 ] || die "usage: release-package.sh sums DIR"
    local dir="$1"
    (
        cd "$dir"
        shopt -s nullglob
        local archives=(drguard-*.tar.gz)
        [ ${#archives[@]} -gt 0 ] || die "no drguard-*.tar.gz in $dir"
        sha256 "${archives[@]}" >SHA256SUMS
    )
    cat "$dir/SHA256SUMS"
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
    archive) archive "$@" ;;
    sums) sums "$@" ;;
    *) die "usage: release-package.sh archive BINARY TARGET VERSION OUTDIR | sums DIR" ;;
esac
