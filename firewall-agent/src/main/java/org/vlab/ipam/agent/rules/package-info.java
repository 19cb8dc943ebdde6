/** The agent's iptables rules as pure text: built from validated values only, and read back from iptables-save. */
package org.vlab.ipam.agent.rules;
