#!/usr/bin/env bash
# Runs the JMH microbenchmarks and writes benchmarks/results/<date>-<host>-jmh.md (score and error per benchmark)
# plus the raw JMH JSON next to it.
#
#   benchmarks/run-jmh.sh [--quick] [JMH regex and options...]
#
# Builds benchmarks/target/benchmarks.jar when missing. The benchmarks' own settings (2 forks, 3 x 1 s warm-up,
# 5 x 1 s measurement, leak detection off) apply unless options override them; --quick uses 2 forks of
# 2 x 1 s warm-up and 3 x 1 s measurement (about 6 minutes for everything). Examples:
#   benchmarks/run-jmh.sh                          # everything, about 12 minutes
#   benchmarks/run-jmh.sh SseScan -p chunkBytes=16,16384
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$root/benchmarks/target/benchmarks.jar"
extra=()
if [ "${1:-}" = --quick ]; then
  extra=(-wi 2 -i 3)
  shift
fi
if [ ! -f "$jar" ]; then
  (cd "$root" && { mvn -B -q -o -DskipTests -pl benchmarks -am package \
    || mvn -B -q -DskipTests -pl benchmarks -am package; })
fi
host="$(hostname -s)"
out="$root/benchmarks/results/$(date +%F)-$host-jmh"
java -jar "$jar" -rf json -rff "$out.json" ${extra[@]+"${extra[@]}"} "$@"
python3 "$here/load/jmh_report.py" "$out.json" "java -jar benchmarks/target/benchmarks.jar ${extra[*]-} $*" > "$out.md"
echo "run-jmh: results in $out.md" >&2
