#!/usr/bin/env bash
# claude-lb end-to-end load harness: direct vs nginx vs claude-lb on the same mock, in one run, loopback only.
#
#   benchmarks/run-load.sh [--quick] [options]
#
# Installs wrk and nginx from Debian packages when missing (apt-get, with sudo when not root), builds the jars when
# missing, raises the open-files limit, then runs benchmarks/load/harness.py, which starts the shipped mock
# (`claude-lb mock`, pinned to core 0), nginx and claude-lb (each pinned to core 1) on 127.0.0.1, runs scenarios
# (a) latency at concurrency 1 (interleaved), (b) throughput at 64 connections, (c) paced streams and concurrent-stream capacity,
# (d) memory and a soak, takes a JFR profile of claude-lb, and writes benchmarks/results/<date>-<host>.md (+ .json).
# Every process it starts is stopped on exit (trap), whatever happens. See benchmarks/README.md.
#
# Options:
#   --quick            about 10 minutes: 2 repeats, short runs, a 1-minute soak (default: full, ~35 minutes with a
#                      10-minute soak and 3 repeats)
#   --smoke            about 2 minutes, tiny runs: checks the harness works (figures mean little)
#   --repeats N        repeats of every measurement (default 2 quick / 3 full)
#   --soak-s S         soak length in seconds (default 60 quick / 600 full; 0 skips it)
#   --levels A,B,C     concurrent paced streams to hold (default 512,2000,10000; capped by the fd limit)
#   --base-port P      ports P (mock), P+1 (nginx), P+2 (claude-lb) on 127.0.0.1 (default 18101)
#   --out FILE         results file (default benchmarks/results/<date>-<host>.md)
#   --wait-idle S      first wait up to S seconds for the 1-minute load average to fall below 1 (shared boxes)
#   --no-install       never call apt-get; fail if a tool is missing
#   --keep-work        keep the work directory (logs, configs, the JFR file) even on success
#   --lb-java-opts STR extra JVM flags for claude-lb (passed as JAVA_OPTS to bin/claude-lb)
#   --setups LIST      set-ups to run (a) and (b) in, each with fresh servers (default pinned,default): pinned = mock
#                      on core 0, nginx 1 worker and claude-lb 1 event loop on core 1; default = nothing pinned, one
#                      nginx worker and one claude-lb event loop per core. The first set-up also runs the rest.
#   --lb-storage on|off claude-lb's usage accounting (default on: SQLite in the work directory, as users run it)
#   --only LIST        scenarios to run: a,b,c,e,soak,profile (default all)
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/.." && pwd)"
mode=full
install=1
keep=0
wait_idle=0
harness_args=()

die() { echo "run-load: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --smoke) mode=smoke ;;
    --repeats|--soak-s|--levels|--base-port|--out|--lb-java-opts|--setups|--only|--lb-storage)
      [ $# -ge 2 ] || die "$1 needs a value"
      harness_args+=("$1=$2"); shift ;;  # one word: a value may start with "-" (JVM flags)
    --wait-idle) [ $# -ge 2 ] || die "$1 needs a value"; wait_idle="$2"; shift ;;
    --no-install) install=0 ;;
    --keep-work) keep=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

# ----- tools ---------------------------------------------------------------------------------------------------
missing=()
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$install" = 1 ] || die "missing: ${missing[*]} (install them, or drop --no-install)"
  command -v apt-get >/dev/null 2>&1 || die "missing: ${missing[*]}, and no apt-get to install them"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "missing: ${missing[*]}; run as root or install sudo"
    sudo="sudo"
  fi
  echo "run-load: installing ${missing[*]} (apt-get)" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null \
    || { $sudo apt-get update >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null; } \
    || die "apt-get install ${missing[*]} failed"
fi
for tool in java jcmd jfr python3; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found: a JDK 17+ (with jcmd and jfr) and python3 are needed"
done

# ----- jars ----------------------------------------------------------------------------------------------------
if [ ! -f "$root/proxy-server/target/claude-lb.jar" ] || [ ! -f "$root/benchmarks/target/benchmarks.jar" ]; then
  echo "run-load: building the jars (mvn package)" >&2
  (cd "$root" && { mvn -B -q -o -DskipTests -pl proxy-server,benchmarks -am package \
    || mvn -B -q -DskipTests -pl proxy-server,benchmarks -am package; }) || die "build failed"
fi

# ----- limits and the box --------------------------------------------------------------------------------------
hard="$(ulimit -Hn)"
[ "$hard" = unlimited ] && hard=1048576
ulimit -n "$hard" 2>/dev/null || true
if [ "$wait_idle" -gt 0 ]; then
  end=$(( $(date +%s) + wait_idle ))
  while [ "$(date +%s)" -lt "$end" ] && awk '{exit !($1 >= 1.0)}' /proc/loadavg; do
    echo "run-load: waiting for the box to go quiet (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    sleep 15
  done
fi

# ----- run, and always clean up --------------------------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/claude-lb-bench.XXXXXX")"
: > "$work/pids"
status=1
cleanup() {
  # Stop whatever the harness started and left behind (it stops its own processes; this covers a crash or ^C).
  while read -r pid; do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
  done < "$work/pids"
  sleep 1
  while read -r pid; do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  done < "$work/pids"
  if [ "$status" = 0 ] && [ "$keep" = 0 ]; then
    rm -rf "$work"
  else
    echo "run-load: work directory (logs, configs, JFR): $work" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 "$here/load/harness.py" --mode "$mode" --work "$work" ${harness_args[@]+"${harness_args[@]}"}
status=0
