package org.vlab.ipam.api.redis;

import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.domain.GatewayId;

/**
 * Names every Redis key the API uses. All keys of one gateway carry the hash tag
 * {@code {<gateway>}}, so the atomic scripts that touch several of them run unchanged on
 * Redis Cluster. The prefix (default {@code ipam:}) lets several deployments or tests share
 * one Redis.
 */
@Component
public class Keyspace {

    private final String prefix;

    public Keyspace(ApiProperties properties) {
        this.prefix = properties.redisKeyPrefix();
    }

    public Gateway of(GatewayId gateway) {
        return new Gateway(prefix + "{" + gateway.value() + "}:");
    }

    /** The set of every gateway the API has seen, for periodic work over all of them. */
    public String gateways() {
        return prefix + "gateways";
    }

    /**
     * The gateways that have had a mapping with a lease: the only ones the lease sweep visits,
     * so a second's sweep costs nothing per gateway that never used leases (issue 14).
     */
    public String leasedGateways() {
        return prefix + "leased-gateways";
    }

    /**
     * The gateways that may have a command waiting for its agent's answer: the re-publisher's
     * rounds visit only these, and a gateway leaves once its pending set is empty. A replica
     * adds a gateway after the script that made a command pending, so the set is never short of
     * one for long; a pass over every gateway each minute catches what a crash in between lost.
     */
    public String pendingGateways() {
        return prefix + "pending-gateways";
    }

    /** Pub/sub channel on which a confirmation's new state is announced to every replica. */
    public String changes() {
        return prefix + "changes";
    }

    public String prefix() {
        return prefix;
    }

    /** Marks that every gateway's keys of the first layout were converted (see {@code LegacyKeys}). */
    public String layoutMarker() {
        return prefix + "layout";
    }

    /**
     * The keys of one gateway. Their names are fixed, so every script declares in KEYS exactly
     * what it touches; per-mapping and per-address data are fields of the gateway's hashes.
     */
    public record Gateway(String base) {

        /** The generation counter (a string). */
        public String generation() {
            return base + "generation";
        }

        /** Every mapping: field = connection port, value = the mapping as JSON. */
        public String mappings() {
            return base + "maps";
        }

        /** The free connection ports of the pool (a set), so allocation is O(1) in the range. */
        public String freePorts() {
            return base + "free";
        }

        /**
         * Released ports cooling down before they are free again (a zset scored by the end of
         * the cool-down, epoch ms by Redis's clock).
         */
        public String cooling() {
            return base + "cooling";
        }

        /** When each mapping's lease ends (a zset: member = connection port, score = epoch ms). */
        public String leases() {
            return base + "leases";
        }

        /** The range the free set was seeded for (a hash: min, max). */
        public String pool() {
            return base + "pool";
        }

        /** Ports whose command waits for the agent, scored by when it is re-published (a zset). */
        public String pending() {
            return base + "pending";
        }

        /** Lexicographic index: {@code n:<name>\0<port>}, {@code a:<addr>\0<port>}, {@code c:<component>\0<port>}. */
        public String index() {
            return base + "index";
        }

        /** Reachability verdicts: field = address, value = JSON. */
        public String reachability() {
            return base + "reach";
        }

        /** Idempotency records: field = the hashed Idempotency-Key, value = the record. */
        public String idempotencyRecords() {
            return base + "idempotency-records";
        }

        /** When each idempotency record expires (a zset, epoch ms by Redis's clock). */
        public String idempotencyExpiry() {
            return base + "idempotency-expiry";
        }

        public String registry() {
            return base + "registry";
        }

        /**
         * Connection usage per mapping: {@code <port>:last} = {@code <epoch ms>|<ISO time>|<source>}
         * of the latest connection, {@code <port>:hours} = {@code <epoch hour>:<count>,...} for the
         * hours of the last 24 that had connections.
         */
        public String usage() {
            return base + "usage";
        }

        /** Ids of the log batches already counted (a zset scored by arrival, epoch ms), to drop redeliveries. */
        public String usageBatches() {
            return base + "usage-batches";
        }
    }
}
