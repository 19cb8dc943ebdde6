/** Consuming the gateway's commands: batches from its own queue, recorded in the ledger, acknowledged after the transaction. */
package org.vlab.ipam.agent.commands;
