#!/usr/bin/env bash
# Installs what parlab needs, only where it is missing. Sourced by ./run and ./test.
# Tools are cached outside the clone (PARLAB_CACHE) and checked by version, so a fresh clone
# on the same machine (CI) reuses them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PARLAB_CACHE="${PARLAB_CACHE:-$HOME/.cache/parlab}"
TOOLCHAIN="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$ROOT/rust-toolchain.toml")"
TRUNK_VERSION="0.22.1"
# Must equal the wasm-bindgen version pinned in Cargo.toml / Cargo.lock.
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' "$ROOT/Cargo.toml")"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

ensure_toolchain() {
  if rustup run "$TOOLCHAIN" rustc --version >/dev/null 2>&1 &&
     rustup component list --toolchain "$TOOLCHAIN" --installed 2>/dev/null | grep -q '^rust-src' &&
     rustup target list --toolchain "$TOOLCHAIN" --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    return
  fi
  log "installing Rust $TOOLCHAIN (+rust-src, clippy, rustfmt, wasm32)"
  (cd "$ROOT" && rustup toolchain install)
}

# cargo_tool NAME VERSION CRATE [extra cargo install args]
cargo_tool() {
  local name=$1 version=$2 crate=$3; shift 3
  local dir="$PARLAB_CACHE/tools/$crate-$version"
  if ! "$dir/bin/$name" --version 2>/dev/null | grep -q "$version"; then
    log "installing $crate $version into $dir (a few minutes, once per machine)"
    (cd "$PARLAB_CACHE" && cargo "+$TOOLCHAIN" install "$crate" --version "=$version" --root "$dir" "$@")
  fi
  export PATH="$dir/bin:$PATH"
}

ensure_npm() {
  # Playwright (playwright-core, uses Debian's chromium), puppeteer-core (drives Debian's
  # firefox-esr over WebDriver BiDi) and binaryen's wasm-opt, from the lockfile.
  if [ ! -f "$ROOT/tests/node_modules/.package-lock.json" ] ||
     ! cmp -s "$ROOT/tests/package-lock.json" "$ROOT/tests/node_modules/.parlab-lock"; then
    log "npm ci (tests/)"
    (cd "$ROOT/tests" && npm ci --no-audit --no-fund --loglevel=error &&
      cp package-lock.json node_modules/.parlab-lock)
  fi
  export PATH="$ROOT/tests/node_modules/.bin:$PATH"
}

ensure_build_tools() {
  mkdir -p "$PARLAB_CACHE"
  ensure_toolchain
  cargo_tool trunk "$TRUNK_VERSION" trunk --locked
  # --locked fails for this crate (a locked dependency was yanked), see README.
  cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen-cli
  ensure_npm
}

ensure_chromium() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then return; fi
  log "installing Debian chromium + chromium-driver"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
}

# Firefox ESR and WebKitGTK for the cross-engine smoke tests (tests/cross/): Debian's
# firefox-esr (driven by puppeteer-core, no geckodriver), webkit2gtk-driver (WebKitWebDriver +
# MiniBrowser) and xvfb (MiniBrowser has no headless mode).
ensure_cross_browsers() {
  if command -v firefox-esr >/dev/null && command -v WebKitWebDriver >/dev/null &&
     command -v Xvfb >/dev/null; then return; fi
  log "installing Debian firefox-esr, webkit2gtk-driver, xvfb"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq firefox-esr webkit2gtk-driver xvfb >/dev/null
}
