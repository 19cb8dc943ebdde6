/** The reconciler: desired state per connection port with its generation, one rate-limited sync loop, and snapshots. */
package org.vlab.ipam.agent.reconcile;
