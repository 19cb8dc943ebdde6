/** The gateway registry: what each gateway's agent last reported (WAN address, lab networks, version), fed by heartbeats. */
package org.vlab.ipam.api.gateway;
