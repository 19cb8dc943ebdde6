package org.vlab.ipam.api.redis;

import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.domain.ConnPort;
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

    /** Pub/sub channel on which a confirmation's new state is announced to every replica. */
    public String changes() {
        return prefix + "changes";
    }

    public String prefix() {
        return prefix;
    }

    /** The keys of one gateway. */
    public record Gateway(String base) {

        public String generation() {
            return base + "generation";
        }

        public String usedPorts() {
            return base + "ports";
        }

        public String pending() {
            return base + "pending";
        }

        public String mapping(ConnPort port) {
            return base + "map:" + port.value();
        }

        public String mappingPrefix() {
            return base + "map:";
        }

        public String idempotency(String fingerprintKey) {
            return base + "idempotency:" + fingerprintKey;
        }

        public String registry() {
            return base + "registry";
        }

        public String address(String address) {
            return base + "addr:" + address;
        }
    }
}
