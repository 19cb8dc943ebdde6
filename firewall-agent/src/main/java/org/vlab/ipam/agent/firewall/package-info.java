/** The agent's effects on the kernel: iptables-save and iptables-restore run as processes (changes through one kept running), and the reserved-port sysctl. */
package org.vlab.ipam.agent.firewall;
