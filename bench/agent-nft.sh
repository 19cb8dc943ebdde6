#!/usr/bin/env bash
# The firewall agent's nftables backend (IPAM_FIREWALL_BACKEND=nftables): the same run as
# bench/agent.sh, its section of docs/benchmarks.md (bench/run).
# Usage: bench/agent-nft.sh [rounds per latency row, default 100]
exec bash "$(dirname "$0")/agent.sh" "${1:-100}" nftables
