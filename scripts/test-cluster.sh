#!/usr/bin/env bash
# npm run test:cluster: the sweep recipe of docs/cluster.md on a real scheduler.
#
# Starts a one-node Slurm on this machine (munge and the Slurm daemons in the foreground, every
# file in one temporary folder, no systemd), submits `mft reproduce fig2 --quick` as a 4-task job
# array (--shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT), merges the shards with
# `mft merge`, and checks the merged files byte for byte against one process's run.
# Needs: slurm-wlm and munge (Debian packages), a built dist/ (npm run build), root or a user that
# may run the daemons. Exit 0 when the files agree, 1 otherwise.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cli="$repo/dist/cli.js"
tasks=4

for tool in munged slurmctld slurmd sbatch sinfo; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "test:cluster: $tool is missing; install Debian's slurm-wlm and munge (apt-get install -y slurm-wlm munge)" >&2
    exit 1
  fi
done
[ -f "$cli" ] || { echo "test:cluster: $cli is missing; run npm run build first" >&2; exit 1; }

work=$(mktemp -d /tmp/mft-cluster.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "${keep:-0}" != 1 ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

# munge: its own socket, key, pid and log files in the work folder, so that a munged already
# running on the machine is neither needed nor disturbed
mkdir -p "$work/munge" "$work/spool/ctld" "$work/spool/d" "$work/shards" "$work/merged" "$work/single"
chmod 700 "$work/munge"
if [ -r /etc/munge/munge.key ]; then
  cp /etc/munge/munge.key "$work/munge/munge.key"
else
  dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
fi
chmod 600 "$work/munge/munge.key"
socket="$work/munge/munge.socket"
munged --foreground --force --key-file="$work/munge/munge.key" --socket="$socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" \
  --seed-file="$work/munge/munged.seed" >"$work/munge/out.txt" 2>&1 &
pids+=($!)

host=$(hostname -s)
cpus=$(nproc)
user=$(id -un)
conf="$work/slurm.conf"
cat >"$conf" <<EOF
ClusterName=mft
SlurmctldHost=$host
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=$((20000 + RANDOM % 20000))
SlurmdPort=$((40000 + RANDOM % 20000))
StateSaveLocation=$work/spool/ctld
SlurmdSpoolDir=$work/spool/d
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$conf"

# the daemons need munge's socket first
for _ in $(seq 1 50); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || { echo "test:cluster: munged did not start:" >&2; cat "$work/munge/out.txt" "$work/munge/munged.log" >&2 || true; exit 1; }

slurmctld -D -f "$conf" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$conf" >"$work/slurmd.out" 2>&1 &
pids+=($!)

idle=0
for _ in $(seq 1 60); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^idle'; then idle=1; break; fi
  sleep 0.5
done
if [ "$idle" != 1 ]; then
  echo "test:cluster: the Slurm node did not come up idle within 30 s:" >&2
  tail -n 20 "$work/slurmctld.log" "$work/slurmd.log" >&2 || true
  keep=1
  exit 1
fi
echo "test:cluster: one-node Slurm up ($host, $cpus CPUs, $(sinfo --version))"

# the job array of docs/cluster.md: one shard per task, one thread each
cat >"$work/fig2-array.sh" <<EOF
#!/usr/bin/env bash
#SBATCH --job-name=mft-fig2
#SBATCH --array=0-$((tasks - 1))
#SBATCH --cpus-per-task=1
#SBATCH --output=$work/out-%a.txt
set -euo pipefail
node "$cli" reproduce fig2 --quick --threads 1 --shard "\$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT" --out "$work/shards"
EOF
start=$(date +%s)
sbatch --wait "$work/fig2-array.sh" >"$work/sbatch.txt" 2>&1 || {
  echo "test:cluster: the job array failed:" >&2
  cat "$work/sbatch.txt" "$work"/out-*.txt >&2 || true
  keep=1
  exit 1
}
echo "test:cluster: $(head -n 1 "$work/sbatch.txt"); $tasks tasks done in $(( $(date +%s) - start )) s"

shopt -s nullglob
journals=("$work"/shards/fig2.shard-*-of-$tasks.jsonl)
if [ "${#journals[@]}" -ne "$tasks" ]; then
  echo "test:cluster: expected $tasks shard journals, found ${#journals[@]}" >&2
  keep=1
  exit 1
fi
node "$cli" merge fig2 "${journals[@]}" --out "$work/merged" >"$work/merge.txt" 2>&1
node "$cli" reproduce fig2 --quick --out "$work/single" >"$work/single.txt" 2>&1

status=0
for f in fig2.json fig2.csv fig2.svg; do
  if cmp -s "$work/merged/$f" "$work/single/$f"; then
    echo "test:cluster: $f: merged shards byte-identical to one process"
  else
    echo "test:cluster: $f differs between the merged shards and one process" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "test:cluster: PASS" || { echo "test:cluster: FAIL (files kept in $work)" >&2; keep=1; }
exit "$status"
