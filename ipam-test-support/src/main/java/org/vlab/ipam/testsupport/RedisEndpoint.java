package org.vlab.ipam.testsupport;

/** Where the tests' Redis listens. */
public record RedisEndpoint(String host, int port) {

    /** A fresh key prefix for one test class, whose keys are deleted on close. */
    public TestRedis newKeyspace() {
        return new TestRedis(this);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
