/** Validated values of the vLab domain (gateways, ports, lab addresses) that cannot hold an invalid state. */
package org.vlab.ipam.domain;
