#!/usr/bin/env bash
# Runs every test of Platform.sln: installs what a fresh Debian 12 machine lacks (as root), builds the
# solution once in Release, then runs each test project of the solution with `dotnet test --no-build`, one
# after the other (the integration tests start real processes and time health checks), and prints a summary.
# Exits non-zero when a build or a test fails. Non-interactive; results (TRX) go to TestResults/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CONFIGURATION="${CONFIGURATION:-Release}"
RESULTS="$ROOT/TestResults"
# Per test project: a hung test is dumped and killed after this, and the whole project is bounded too.
HANG_TIMEOUT="${BALLAST_TEST_HANG_TIMEOUT:-5m}"
PROJECT_TIMEOUT="${BALLAST_TEST_PROJECT_TIMEOUT:-600}"
# Debian packages the tests use: Chromium (dashboard browser tests), python3-grpcio/protobuf (gRPC interop
# tests, with /usr/bin/python3), haproxy, nginx-light and wrk (comparisons and benchmarks), curl.
PACKAGES=(chromium python3-grpcio python3-protobuf haproxy nginx-light wrk curl)

export CI="${CI:-true}" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 DEBIAN_FRONTEND=noninteractive

say() { printf '\n==> %s\n' "$*"; }

install_missing_packages() {
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    echo "warning: missing Debian packages (run as root to install): ${missing[*]}" >&2
    return 0
  fi
  say "installing ${missing[*]}"
  apt-get update -q </dev/null
  apt-get install -y -q --no-install-recommends fonts-liberation "${missing[@]}" </dev/null
}

# counter FILE NAME: an attribute of the <Counters> element of a TRX file.
counter() { sed -n "s/.*<Counters [^>]*\b$2=\"\([0-9]*\)\".*/\1/p" "$1" | head -n 1; }

command -v dotnet >/dev/null || { echo "the .NET SDK (dotnet) is not on PATH" >&2; exit 1; }
if command -v dpkg-query >/dev/null; then
  install_missing_packages
fi

START=$SECONDS
say "building Platform.sln ($CONFIGURATION)"
dotnet build Platform.sln -c "$CONFIGURATION" -nologo </dev/null
BUILD_SECONDS=$((SECONDS - START))

mapfile -t PROJECTS < <(dotnet sln Platform.sln list | sed 's|\\|/|g' | grep -E '^tests/.*\.csproj$' | sort)
if ((${#PROJECTS[@]} == 0)); then
  echo "no test projects found in Platform.sln" >&2
  exit 1
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
STATUS=0
SUMMARY=()
for project in "${PROJECTS[@]}"; do
  name="$(basename "$project" .csproj)"
  say "testing $name"
  began=$SECONDS
  rc=0
  timeout --kill-after=30 "$PROJECT_TIMEOUT" \
    dotnet test "$project" -c "$CONFIGURATION" --no-build --nologo \
      --logger "console;verbosity=normal" --logger "trx;LogFileName=$name.trx" \
      --results-directory "$RESULTS" --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type mini </dev/null || rc=$?
  took=$((SECONDS - began))
  trx="$RESULTS/$name.trx"
  if [[ -f "$trx" ]]; then
    line="$(printf '%-34s passed %4s  failed %3s  total %4s  %4ss' "$name" \
      "$(counter "$trx" passed)" "$(counter "$trx" failed)" "$(counter "$trx" total)" "$took")"
  else
    line="$(printf '%-34s no results (exit code %s)  %4ss' "$name" "$rc" "$took")"
  fi
  if ((rc != 0)); then
    STATUS=1
    line+="  FAILED (exit $rc)"
  fi
  SUMMARY+=("$line")
  if [[ -f "$trx" ]]; then
    while IFS= read -r failed; do
      SUMMARY+=("    failed: $failed")
    done < <(grep -o 'testName="[^"]*"[^>]*outcome="Failed"' "$trx" | sed 's/testName="\([^"]*\)".*/\1/' || true)
  fi
done

if ((STATUS != 0)) && command -v python3 >/dev/null; then
  say "why the failed tests failed (from the TRX files)"
  python3 "$ROOT/tests/trx_failures.py" "$RESULTS"/*.trx || true
fi

say "summary (build ${BUILD_SECONDS}s, total $((SECONDS - START))s; TRX files in $RESULTS)"
printf '%s\n' "${SUMMARY[@]}"
if ((STATUS != 0)); then
  echo "TESTS FAILED"
else
  echo "ALL TESTS PASSED"
fi
exit "$STATUS"
