#!/usr/bin/env bash
# Prints the path of the real Claude Code CLI (npm's @anthropic-ai/claude-code) for ClaudeCodeCliTest, installing
# what is missing: node and npm from Debian (through .ci/apt-install, as root or with sudo), then the CLI into
# PREFIX (default target/claude-code) with npm, whose cache (~/.npm) makes a reinstall after `mvn clean` take
# seconds. Anything it cannot do is an error (exit != 0): the test fails, it never skips.
#
#   claude-code.sh [PREFIX]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=${1:-target/claude-code}
"$here/../../../../.ci/apt-install" node=nodejs npm=npm >&2
bin="$prefix/node_modules/.bin/claude"
if [ ! -x "$bin" ]; then
    mkdir -p "$prefix"
    npm install --no-audit --no-fund --loglevel=error --prefix "$prefix" @anthropic-ai/claude-code >&2
fi
[ -x "$bin" ] || { echo "claude-code.sh: npm installed no $bin" >&2; exit 1; }
echo "$(cd "$(dirname "$bin")" && pwd)/claude"
