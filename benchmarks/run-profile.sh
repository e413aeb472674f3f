#!/usr/bin/env bash
# One payload through claude-lb at steady state: CPU per request and a JFR profile, for profile-guided work between
# full harness runs (about 1 minute).
#
#   benchmarks/run-profile.sh [sse|json|cc50k] [seconds]
#   PROFILER=async STORAGE=off benchmarks/run-profile.sh ...
#   PROFILER=none ...   (CPU per request only, no profiler: for before/after figures)
#
# Starts the shipped mock (core 0) and claude-lb (core 1) on 127.0.0.1 ports 18201/18203, drives wrk -t2 -c64 for
# 30 s of warm-up (the JVM reaches steady state only after 20-30 s of load), starts a throw-away JFR recording
# (starting JFR deoptimizes compiled code) and 20 s more of load to re-warm, then measures `seconds` (default 10)
# while recording. Prints req/s, claude-lb CPU microseconds per request (user and system, from /proc/PID/stat) and
# where the Java time goes (inclusive time per method, from the recording). Keeps the recording in the work
# directory it names. Needs what run-load.sh needs (wrk, a JDK with jcmd/jfr, python3); stops everything on exit.
# Usage accounting is on, as users run it, into a fresh SQLite file in the work directory; STORAGE=off turns it off.
#
# PROFILER=async samples with async-profiler instead (tools.profiler:async-profiler from Maven Central, fetched into
# ~/.m2 by `mvn dependency:get` when missing, attached with `jcmd JVMTI.agent_load`): CPU time every 1 ms on every
# thread, native and kernel frames included, so a 10 s run gives thousands of samples where JFR's Java-only sampler
# gives a few hundred. It prints time per thread, self time per frame (is the profile flat?) and inclusive time, and
# keeps the collapsed stacks (claude-lb.collapsed) for a flame graph.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/.." && pwd)"
payload="${1:-sse}"
secs="${2:-10}"
case "$payload" in
  sse) body=small-sse.json ;;
  json) body=small-json.json ;;
  cc50k) body=claude-code-50k-sse.json ;;
  *) echo "run-profile: payload is sse, json or cc50k" >&2; exit 2 ;;
esac
for tool in wrk jcmd jfr python3 taskset; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run-profile: $tool not found (benchmarks/run-load.sh installs wrk)" >&2; exit 1; }
done
[ -f "$root/proxy-server/target/claude-lb.jar" ] && [ -f "$root/benchmarks/target/benchmarks.jar" ] \
  || (cd "$root" && mvn -B -q -DskipTests -pl proxy-server,benchmarks -am package)

work="$(mktemp -d /tmp/claude-lb-profile.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

java -cp "$root/benchmarks/target/benchmarks.jar" io.claudelb.bench.fixtures.FixtureFiles "$work" >/dev/null
cat > "$work/claude-lb.yaml" <<'EOF'
server:
  listen: "127.0.0.1:18203"
upstreams:
  - name: mock
    kind: anthropic
    base_url: "http://127.0.0.1:18201"
routes:
  - match: "*"
    targets: [ { upstream: mock, model: claude-bench-upstream } ]
logging:
  level: warn
  access_log: false
dedup: false   # wrk repeats one request: coalesced, it would make fewer upstream calls (as in run-load.sh)
EOF
if [ "${STORAGE:-on}" = off ]; then
  printf 'storage:\n  enabled: false\n' >> "$work/claude-lb.yaml"
else
  printf 'storage:\n  url: "jdbc:sqlite:%s/usage.db"\n' "$work" >> "$work/claude-lb.yaml"
fi
taskset -c 0 "$root/bin/claude-lb" mock --port 18201 --events 45 --text-bytes 650 --no-record --io-threads 1 \
  > "$work/mock.log" 2>&1 &
pids+=($!)
taskset -c 1 "$root/bin/claude-lb" --config "$work/claude-lb.yaml" > "$work/claude-lb.log" 2>&1 &
lb=$!
pids+=($lb)
for _ in $(seq 100); do
  curl -fs -o /dev/null http://127.0.0.1:18203/health && break
  sleep 0.2
done

load() { (cd "$work" && WRK_BODY="$body" wrk -t2 -c64 -d"$1"s --timeout 10s -s "$here/load/post.lua" \
  http://127.0.0.1:18203/v1/messages); }
echo "run-profile: warming up ($payload, 30 s)" >&2
load 30 > /dev/null
if [ "${PROFILER:-jfr}" != jfr ]; then
  [ "$PROFILER" = none ] || [ "$PROFILER" = async ] || { echo "run-profile: PROFILER is jfr, async or none" >&2; exit 2; }
  stacks=-
  if [ "$PROFILER" = async ]; then
    ap_version=4.0
    ap_jar="$HOME/.m2/repository/tools/profiler/async-profiler/$ap_version/async-profiler-$ap_version.jar"
    [ -f "$ap_jar" ] || mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$ap_version" >&2
    (cd "$work" && unzip -q -o "$ap_jar" linux-x64/libasyncProfiler.so)
    agent="$work/linux-x64/libasyncProfiler.so"
    stacks="$work/claude-lb.collapsed"
    echo "run-profile: re-warming (10 s), then $secs s under async-profiler" >&2
    load 10 > /dev/null
  fi
  read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$lb/stat")
  # jcmd splits an argument at "=" unless it is quoted, hence the inner quotes.
  [ "$PROFILER" = none ] || jcmd "$lb" JVMTI.agent_load "$agent" '"start,event=cpu,interval=1ms,threads"' > /dev/null
  load "$secs" > "$work/wrk.txt"
  [ "$PROFILER" = none ] || jcmd "$lb" JVMTI.agent_load "$agent" "\"stop,collapsed,file=$stacks\"" > /dev/null
  read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$lb/stat")
  requests="$(grep -oP '^\s*\K\d+(?= requests in)' "$work/wrk.txt")"
  python3 "$here/load/collapsed_summary.py" "$stacks" "$requests" "$secs" "$u0" "$s0" "$u1" "$s1" \
    "$(getconf CLK_TCK)"
  exit 0
fi
jcmd "$lb" JFR.start name=warm settings=profile > /dev/null
echo "run-profile: re-warming after JFR start (20 s)" >&2
load 20 > /dev/null
jcmd "$lb" JFR.start name=profile settings=profile filename="$work/claude-lb.jfr" > /dev/null
read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$lb/stat")
load "$secs" > "$work/wrk.txt"
read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$lb/stat")
jcmd "$lb" JFR.stop name=profile > /dev/null
jcmd "$lb" JFR.stop name=warm > /dev/null
requests="$(grep -oP '^\s*\K\d+(?= requests in)' "$work/wrk.txt")"
python3 - "$work/claude-lb.jfr" "$requests" "$secs" "$u0" "$s0" "$u1" "$s1" "$(getconf CLK_TCK)" <<'EOF'
import collections, re, subprocess, sys
jfr, requests, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
u0, s0, u1, s1, tck = (int(x) for x in sys.argv[4:9])
user = (u1 - u0) * 1e6 / tck / requests
system = (s1 - s0) * 1e6 / tck / requests
print(f"{requests / secs:.0f} req/s; claude-lb CPU per request: {user + system:.1f} us "
      f"(user {user:.1f}, system {system:.1f}) -- the recording costs a few percent")
out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", jfr],
                     capture_output=True, text=True).stdout
stacks = [re.findall(r"^\s+([\w.$<>]+)\(", e, re.M) for e in out.split("jdk.ExecutionSample")[1:]]
inclusive = collections.Counter(m for s in stacks for m in set(s))
print(f"\n{len(stacks)} CPU samples; inclusive time of claude-lb, Netty codec and Jackson methods:")
for method, n in inclusive.most_common():
    if method.startswith(("io.claudelb.", "io.netty.handler.codec.http.", "com.fasterxml.")):
        print(f"{100 * n / len(stacks):5.1f}%  {method}")
        if n < len(stacks) * 0.02:
            break
print(f"\nrecording: {jfr}")
EOF
