#!/usr/bin/env python3
"""Where the machine's CPU went during a phase of a benchmark, by process group.

    bench/cpu.py snapshot FILE                        every process's CPU ticks now, as JSON
    bench/cpu.py split BEFORE AFTER [BEFORE AFTER...] NAME=PID...
                                                      markdown rows: per group, CPU seconds and
                                                      % of one CPU in each phase

A process counts towards NAME when it is PID or descends from it (the programs it runs, such
as iptables-restore, get rows of their own); NAME=children:PID counts what PID's children used
that ended during the phase (a client the script ran and waited for). The others are grouped by
what they run (the broker, Redis, the socat relays) or counted as other.
Processes that started during the phase count whole; processes that ended during it are lost,
so the rows can sum to less than the machine's busy time, which the last row gives (the
kernel's own work, softirqs included, counts there only).
"""
import json
import os
import sys

TICK = os.sysconf("SC_CLK_TCK")


def processes():
    found = {}
    me = str(os.getpid())  # the snapshot itself is not part of what it measures
    for pid in filter(lambda name: name.isdigit() and name != me, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        # fields[0] is the state (stat's 3rd field): ppid is the 4th, utime and stime the 14th and
        # 15th, and the start time (which tells a reused pid from its first owner) the 22nd
        found[pid] = {"ppid": fields[1], "comm": comm, "cmd": cmdline[:300], "started": fields[19],
                      "ticks": int(fields[11]) + int(fields[12]),
                      "children": int(fields[13]) + int(fields[14])}
    with open("/proc/stat") as f:
        cpu = [int(v) for v in f.readline().split()[1:]]
    # idle and iowait are the 4th and 5th values: everything else is busy
    return {"procs": found, "busy": sum(cpu) - cpu[3] - cpu[4], "total": sum(cpu)}


def group_of(pid, procs, known):
    seen = pid
    while seen in procs:
        if seen in known:
            # a program the known process runs (iptables-restore, fping) gets a row of its own
            own = procs[seen]["comm"] == procs[pid]["comm"] or procs[pid]["comm"] in ("ip", "env")
            return known[seen] if own else f"{known[seen]}: {procs[pid]['comm']}"
        seen = procs[seen]["ppid"]
    proc = procs[pid]
    if proc["comm"] in ("beam.smp", "erl_child_setup", "epmd", "inet_gethost"):
        return "RabbitMQ"
    if proc["comm"] == "redis-server":
        return "Redis"
    if proc["comm"] == "socat":
        return "socat relays (the gateways' way to the broker)"
    if "ipam-bench" in proc["cmd"]:
        return "client (ipam-bench)"
    return "other"


def load(file):
    with open(file) as f:
        return json.load(f)


def used_by_group(before, after, known, waited):
    groups = {}
    for name, pid in waited.items():
        # what the finished children of pid used (the kernel adds it once they are waited for)
        if pid in before["procs"] and pid in after["procs"]:
            groups[name] = after["procs"][pid]["children"] - before["procs"][pid]["children"]
    for pid, proc in after["procs"].items():
        start = before["procs"].get(pid)
        used = proc["ticks"] - (start["ticks"] if start and start["started"] == proc["started"] else 0)
        group = group_of(pid, after["procs"], known)
        groups[group] = groups.get(group, 0) + max(used, 0)
    groups[BUSY] = after["busy"] - before["busy"]
    # the phase's wall time in ticks: every CPU's ticks advance together
    return groups, (after["total"] - before["total"]) / os.cpu_count()


BUSY = "the machine, busy"


def split(phases, pairs):
    named = [pair.split("=", 1) for pair in pairs]
    known = {pid: name for name, pid in named if not pid.startswith("children:")}
    waited = {name: pid.removeprefix("children:") for name, pid in named if pid.startswith("children:")}
    measured = [used_by_group(load(before), load(after), known, waited) for before, after in phases]
    names = set().union(*(groups for groups, _ in measured))
    order = []
    for name, _ in named:
        order += [name] + sorted(sub for sub in names if sub.startswith(name + ": "))
    order += sorted(names - set(order) - {"other", BUSY}) + ["other", BUSY]
    for name in order:
        cells = []
        for groups, elapsed in measured:
            used = groups.get(name, 0)
            cells += [f"{used / TICK:.2f}", f"{100 * used / elapsed:.0f} %"]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "snapshot":
        with open(sys.argv[2], "w") as out:
            json.dump(processes(), out)
    elif len(sys.argv) >= 2 and sys.argv[1] == "split":
        files = [arg for arg in sys.argv[2:] if "=" not in arg]
        if not files or len(files) % 2:
            sys.exit(__doc__)
        split(list(zip(files[::2], files[1::2])), [arg for arg in sys.argv[2:] if "=" in arg])
    else:
        sys.exit(__doc__)
