#!/usr/bin/env bash
# End to end with the agents on their nftables backend (IPAM_FIREWALL_BACKEND=nftables): the same
# run as bench/e2e.sh, its own section of docs/benchmarks.md (bench/run).
exec bash "$(dirname "$0")/e2e.sh" nftables
