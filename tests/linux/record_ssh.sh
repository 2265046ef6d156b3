#!/usr/bin/env bash
# Records real sshd / sftp-server log lines of scp, scp -O, sftp -b and rsync -e ssh between two
# network namespaces joined by a veth pair (no other network is touched). Used by
# tst_linux_ssh_recording, which listens on the syslog socket given here and turns what sshd
# sends into auth.log lines.
#   record_ssh.sh WORKDIR SYSLOG_SOCKET
# Writes WORKDIR/client.tsv: one line per client command, "start_us<TAB>pid<TAB>argv joined by
# \x1f". Exit 77: this machine cannot do it (not root, no netns, tools missing).
set -u
W=$1
SOCK=$2
tag=$$
CLI=ttc$tag
SRV=tts$tag
VC=ttvc$tag
VS=ttvs$tag
CLI_IP=10.213.0.1
SRV_IP=10.213.0.2

skip() { echo "SKIP: $*" >&2; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, sshd)"
for t in ip unshare mount /usr/sbin/sshd ssh scp sftp rsync ssh-keygen /usr/lib/openssh/sftp-server; do
  command -v "$t" >/dev/null 2>&1 || [ -x "$t" ] || skip "missing $t (scripts/setup.sh installs openssh-server openssh-client rsync iproute2)"
done

SSHD_PID=
cleanup() {
  [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null && wait "$SSHD_PID" 2>/dev/null
  ip netns del "$CLI" 2>/dev/null
  ip netns del "$SRV" 2>/dev/null
}
trap cleanup EXIT

ip netns add "$CLI" 2>/dev/null || skip "ip netns add failed (no CAP_SYS_ADMIN or no netns support)"
ip netns add "$SRV" || skip "ip netns add failed"
ip link add "$VC" type veth peer name "$VS" || skip "cannot create a veth pair"
ip link set "$VC" netns "$CLI" && ip link set "$VS" netns "$SRV" || exit 1
ip -n "$CLI" addr add "$CLI_IP/24" dev "$VC" && ip -n "$SRV" addr add "$SRV_IP/24" dev "$VS" || exit 1
for ns in "$CLI" "$SRV"; do ip -n "$ns" link set lo up; done
ip -n "$CLI" link set "$VC" up && ip -n "$SRV" link set "$VS" up || exit 1

mkdir -p "$W/stage" "$W/recv" "$W/keys" "$W/dev"
ssh-keygen -q -t ed25519 -N '' -f "$W/keys/host" -C tt-host || exit 1
ssh-keygen -q -t ed25519 -N '' -f "$W/keys/client" -C tt-client || exit 1
cp "$W/keys/client.pub" "$W/keys/authorized_keys"
chmod 600 "$W/keys/authorized_keys"
for f in tool-scp.bin tool-legacy.bin tool-sftp.bin tool-rsync.bin; do
  head -c 4096 /dev/urandom > "$W/stage/$f"
done
printf 'put %s %s\n' "$W/stage/tool-sftp.bin" "$W/recv/tool-sftp.bin" > "$W/batch.txt"
mkdir -p /run/sshd
cat > "$W/sshd_config" <<CFG
Port 22
ListenAddress $SRV_IP
HostKey $W/keys/host
PidFile $W/sshd.pid
AuthorizedKeysFile $W/keys/authorized_keys
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
LogLevel VERBOSE
SyslogFacility AUTH
Subsystem sftp /usr/lib/openssh/sftp-server -l INFO
CFG

# sshd and sftp-server log through syslog(3) to /dev/log: in a private mount namespace /dev is
# replaced by a copy whose log is the test's socket.
ip netns exec "$SRV" unshare -m --propagation private sh -c '
  D=$1/dev; S=$2
  mount -t tmpfs tmpfs "$D" || exit 1
  for n in null zero random urandom full tty; do touch "$D/$n"; mount --bind "/dev/$n" "$D/$n"; done
  mkdir "$D/pts"; mount --bind /dev/pts "$D/pts"; ln -s /proc/self/fd "$D/fd"
  touch "$D/log"; mount --bind "$S" "$D/log" || exit 1
  mount --rbind "$D" /dev || exit 1
  exec /usr/sbin/sshd -D -f "$1/sshd_config"' sh "$W" "$SOCK" &
SSHD_PID=$!
up=0
for i in $(seq 50); do
  if ip netns exec "$CLI" bash -c "exec 3<>/dev/tcp/$SRV_IP/22" 2>/dev/null; then up=1; break; fi
  sleep 0.1
done
[ $up = 1 ] || { echo "sshd did not come up" >&2; exit 1; }

SSHOPT=(-i "$W/keys/client" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR)
run() { # run ARGV...: in the client namespace, recording start time, pid and argv
  local start
  start=$(date +%s%6N)
  ip netns exec "$CLI" "$@" &
  local pid=$!
  wait $pid
  local rc=$?
  local IFS=$'\x1f'
  printf '%s\t%s\t%s\n' "$start" "$pid" "$*" >> "$W/client.tsv"
  [ $rc = 0 ] || { echo "client command failed ($rc): $*" >&2; exit 1; }
  sleep 1.2
}
: > "$W/client.tsv"
run scp "${SSHOPT[@]}" "$W/stage/tool-scp.bin" "root@$SRV_IP:$W/recv/"
run scp -O "${SSHOPT[@]}" "$W/stage/tool-legacy.bin" "root@$SRV_IP:$W/recv/"
run sftp -b "$W/batch.txt" "${SSHOPT[@]}" "root@$SRV_IP"
run rsync -a -e "ssh ${SSHOPT[*]}" "$W/stage/tool-rsync.bin" "root@$SRV_IP:$W/recv/"
for f in tool-scp.bin tool-legacy.bin tool-sftp.bin tool-rsync.bin; do
  cmp -s "$W/stage/$f" "$W/recv/$f" || { echo "$f did not arrive" >&2; exit 1; }
done
sleep 0.5
exit 0
