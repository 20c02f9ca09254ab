#!/bin/sh
# Installs a drguard release binary after checking it against the release's
# SHA256SUMS. POSIX sh; needs curl (or wget), tar, gzip and sha256sum (or
# shasum, or openssl).
#
#   curl -sSfL https://raw.githubusercontent.com/drguard/drguard/v0.1.0/scripts/install.sh \
#     | sh -s -- --version v0.1.0 --to "$HOME/.local/bin"
#
# Options (each also read from the environment variable named after it):
#   --version TAG   the release to install, e.g. v0.1.0 (DRGUARD_VERSION); required:
#                   an install is always pinned to a release
#   --to DIR        where to put the drguard binary (DRGUARD_INSTALL_DIR;
#                   default $HOME/.local/bin)
#   --base-url URL  where the releases live: files are fetched from URL/TAG/NAME
#                   (DRGUARD_RELEASE_URL; default
#                   https://github.com/drguard/drguard/releases/download); an
#                   http:// or file:// URL serves a mirror or a test
#
# The archive is drguard-VERSION-TARGET.tar.gz, TARGET being
# x86_64/aarch64-unknown-linux-musl (static) or x86_64/aarch64-apple-darwin.
# Nothing is written to DIR unless the archive's SHA-256 matches SHA256SUMS and
# the binary in it runs and reports the requested version.
#
# Exit codes: 0 installed, 1 download, checksum or platform error, 2 usage error.
set -eu

REPO_URL="https://github.com/drguard/drguard"

say() { printf 'drguard install: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
usage_error() { say "error: $*"; say "usage: install.sh --version vX.Y.Z [--to DIR] [--base-url URL] (--help for more)"; exit 2; }
usage() {
    cat <<EOF
Installs a drguard release binary after checking it against the release's SHA256SUMS.

usage: install.sh --version vX.Y.Z [--to DIR] [--base-url URL]

  --version TAG   the release to install, e.g. v0.1.0 (or DRGUARD_VERSION); required
  --to DIR        where to put the drguard binary (or DRGUARD_INSTALL_DIR;
                  default \$HOME/.local/bin)
  --base-url URL  where the releases live, as URL/TAG/FILE (or DRGUARD_RELEASE_URL;
                  default $REPO_URL/releases/download)

Exit codes: 0 installed, 1 download, checksum or platform error, 2 usage error.
EOF
}

version="${DRGUARD_VERSION:-}"
to="${DRGUARD_INSTALL_DIR:-}"
base_url="${DRGUARD_RELEASE_URL:-$REPO_URL/releases/download}"

while [ $# -gt 0 ]; do
    case "$1" in
        --version) [ $# -ge 2 ] || usage_error "--version needs a value"; version="$2"; shift 2 ;;
        --version=*) version="${1#*=}"; shift ;;
        --to) [ $# -ge 2 ] || usage_error "--to needs a value"; to="$2"; shift 2 ;;
        --to=*) to="${1#*=}"; shift ;;
        --base-url) [ $# -ge 2 ] || usage_error "--base-url needs a value"; base_url="$2"; shift 2 ;;
        --base-url=*) base_url="${1#*=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage_error "unknown argument '$1'" ;;
    esac
done

[ -n "$version" ] || usage_error "--version is required (a release tag such as v0.1.0; see $REPO_URL/releases)"
if ! printf '%s\n' "$version" | grep -Eq '^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'; then
    usage_error "--version '$version' is not a release tag such as v0.1.0"
fi
version="${version#v}"
tag="v$version"
if [ -z "$to" ]; then
    [ -n "${HOME:-}" ] || usage_error "--to is required when HOME is not set"
    to="$HOME/.local/bin"
fi
base_url="${base_url%/}"

# The release target for this machine. Linux gets the static musl build, which
# runs on any distribution (glibc or musl).
os="$(uname -s)"
arch="$(uname -m)"
case "$arch" in
    x86_64|amd64) arch=x86_64 ;;
    aarch64|arm64) arch=aarch64 ;;
    *) die "drguard publishes no binary for the $arch processor ($os). Build it from source instead: cargo install --locked --git $REPO_URL drguard" ;;
esac
case "$os" in
    Linux) target="$arch-unknown-linux-musl" ;;
    Darwin)
        # A shell running under Rosetta 2 reports x86_64 on Apple silicon: take the native build.
        if [ "$arch" = x86_64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
            arch=aarch64
        fi
        target="$arch-apple-darwin"
        ;;
    *) die "drguard publishes no binary for $os ($arch); it has Linux (x86_64, aarch64) and macOS builds. Build it from source instead: cargo install --locked --git $REPO_URL drguard" ;;
esac

asset="drguard-$version-$target.tar.gz"
release_url="$base_url/$tag"

fetch() { # URL FILE
    if command -v curl >/dev/null 2>&1; then
        curl --fail --silent --show-error --location --retry 2 --output "$2" "$1"
    elif command -v wget >/dev/null 2>&1; then
        wget -q -O "$2" "$1"
    else
        die "neither curl nor wget is installed"
    fi
}

sha256() { # FILE
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d ' ' -f 1
    elif command -v openssl >/dev/null 2>&1; then
        openssl dgst -sha256 -r "$1" | cut -d ' ' -f 1
    else
        die "no SHA-256 tool found (sha256sum, shasum or openssl)"
    fi
}

tmp="$(mktemp -d 2>/dev/null || mktemp -d -t drguard-install)"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "installing drguard $tag ($target) from $release_url"

fetch "$release_url/SHA256SUMS" "$tmp/SHA256SUMS" \
    || die "cannot download $release_url/SHA256SUMS: is $tag a drguard release? (see $REPO_URL/releases)"

expected="$(awk -v name="$asset" '{ file = $2; sub(/^\*/, "", file) } file == name { print $1; exit }' "$tmp/SHA256SUMS")"
if [ -z "$expected" ]; then
    listed="$(awk '{ file = $2; sub(/^\*/, "", file); printf "%s%s", sep, file; sep = ", " }' "$tmp/SHA256SUMS")"
    die "release $tag has no binary for $target (its SHA256SUMS lists: ${listed:-nothing}). Build it from source instead: cargo install --locked --git $REPO_URL --tag $tag drguard"
fi
if ! printf '%s\n' "$expected" | grep -Eq '^[0-9a-fA-F]{64}$'; then
    die "SHA256SUMS of $tag has a malformed entry for $asset: '$expected'"
fi

fetch "$release_url/$asset" "$tmp/$asset" \
    || die "cannot download $release_url/$asset (SHA256SUMS lists it)"

actual="$(sha256 "$tmp/$asset")"
expected="$(printf '%s' "$expected" | tr 'A-F' 'a-f')"
if [ "$actual" != "$expected" ]; then
    die "checksum mismatch for $asset: SHA256SUMS says $expected, the download is $actual. Refusing to install it; nothing was changed in $to."
fi
say "SHA-256 verified: $actual  $asset"

mkdir "$tmp/unpacked"
tar -xzf "$tmp/$asset" -C "$tmp/unpacked" \
    || die "cannot unpack $asset"
binary="$tmp/unpacked/drguard-$version-$target/drguard"
[ -f "$binary" ] || die "$asset has no drguard-$version-$target/drguard"
chmod 0755 "$binary"

reported="$("$binary" --version 2>&1)" \
    || die "the drguard binary of $asset does not run on this machine: $reported"
[ "$reported" = "drguard $version" ] \
    || die "the drguard binary of $asset reports '$reported', expected 'drguard $version'"

mkdir -p "$to" || die "cannot create $to"
staged="$to/.drguard.install.$$"
cp "$binary" "$staged" || { rm -f "$staged"; die "cannot write to $to"; }
chmod 0755 "$staged" || { rm -f "$staged"; die "cannot make $staged executable"; }
mv -f "$staged" "$to/drguard" || { rm -f "$staged"; die "cannot replace $to/drguard"; }

say "installed $reported to $to/drguard"
case ":${PATH:-}:" in
    *":$to:"*) ;;
    *) say "note: $to is not on PATH; add it, or run $to/drguard" ;;
esac
