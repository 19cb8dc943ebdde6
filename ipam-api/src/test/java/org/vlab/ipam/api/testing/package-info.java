/** Test doubles that play the API's real peers over the real broker: a gateway agent, a health worker, and token minting. */
package org.vlab.ipam.api.testing;
