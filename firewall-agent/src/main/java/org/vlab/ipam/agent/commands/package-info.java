/** Consuming the gateway's commands: each recorded in the ledger as it arrives, answered and acknowledged after its sync. */
package org.vlab.ipam.agent.commands;
