/** Redis's own ceiling for the API's calls of one create, measured without the API. */
package org.vlab.ipam.bench.redis;
