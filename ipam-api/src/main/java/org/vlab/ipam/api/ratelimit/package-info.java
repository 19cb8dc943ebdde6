/** Per-user request budgets, shared by all API replicas through a token bucket in Redis. */
package org.vlab.ipam.api.ratelimit;
