#!/bin/sh
# Runs a command the way claude-lb.service's ExecStart= runs it, for tests on machines where systemd is not PID 1
# (DebInstallIT). It reproduces the unit settings that are mounts and credentials:
#   ProtectSystem=strict    every mount read-only, except the state and logs directories (rebound read-write)
#   ProtectHome=yes         /home, /root and /run/user empty and read-only
#   PrivateTmp=yes          a fresh /tmp and /var/tmp
#   ProtectProc=invisible, ProcSubset=pid   a /proc with only the service's own processes in it
#   User=/Group=, NoNewPrivileges=yes, CapabilityBoundingSet= (empty), UMask=, WorkingDirectory=
# What needs systemd itself (the seccomp filters SystemCallFilter= and RestrictAddressFamilies=, PrivateUsers=,
# PrivateDevices=, RestrictNamespaces=, the kernel and clock protections) is not reproduced here.
#
# Usage: run-as-unit.sh USER GROUP UMASK WORKDIR RW_DIR... -- COMMAND ARG...
# The environment given to this script (Environment=, EnvironmentFile=) is the command's environment. The command
# keeps this script's process id (every step execs), so the caller's pid is the unit's $MAINPID.
set -eu
[ "$#" -ge 5 ] || { echo "usage: $0 USER GROUP UMASK WORKDIR RW_DIR... -- COMMAND..." >&2; exit 64; }
if [ -z "${RUN_AS_UNIT_INSIDE:-}" ]; then
  RUN_AS_UNIT_INSIDE=1 exec unshare --mount --propagation private "$0" "$@"
fi
unset RUN_AS_UNIT_INSIDE
user=$1 group=$2 mask=$3 workdir=$4
shift 4
rw=""
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do rw="$rw $1"; shift; done
[ "$#" -gt 1 ] || { echo "$0: no command after --" >&2; exit 64; }
shift

# ProtectSystem=strict: bind each real mount onto itself read-only (the API file systems keep their own rules).
for mp in $(awk '{print $5}' /proc/self/mountinfo | sort -u); do
  case "$mp" in
    /proc|/proc/*|/sys|/sys/*|/dev|/dev/*) continue ;;
  esac
  mount --bind "$mp" "$mp" 2>/dev/null && mount -o remount,bind,ro "$mp" 2>/dev/null || true
done
for dir in $rw; do
  mount --bind "$dir" "$dir"
  mount -o remount,bind,rw "$dir"
done
# ProtectHome=yes, PrivateTmp=yes
for dir in /home /root /run/user; do
  [ -d "$dir" ] && mount -t tmpfs -o ro,mode=0755,nosuid,nodev,noexec tmpfs "$dir"
done
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
[ -d /var/tmp ] && mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /var/tmp
# ProtectProc=invisible, ProcSubset=pid
mount -t proc -o nosuid,nodev,noexec,hidepid=invisible,subset=pid proc /proc

cd "$workdir"
umask "$mask"
exec setpriv --reuid="$user" --regid="$group" --init-groups --no-new-privs \
  --bounding-set=-all --inh-caps=-all --ambient-caps=-all -- "$@"
