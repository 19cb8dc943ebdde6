package org.vlab.ipam.health.testing;

import static org.vlab.ipam.testsupport.NetworkLab.run;

import java.util.UUID;

/**
 * The worker's side of a lab for a netns test: a veth pair from the root namespace (where the
 * test JVM, and so the worker, runs) into the lab's LAN namespace, and a route to the lab's
 * networks through it, as a gateway's LAN interface routes to its lab. Deleting the namespace
 * deletes the pair, and the route with it; {@link #close()} does so at once and leaves the
 * root namespace as it was.
 */
public final class LabUplink implements AutoCloseable {

    private final String rootSide;
    private final String labCidr;

    private LabUplink(String rootSide, String labCidr) {
        this.rootSide = rootSide;
        this.labCidr = labCidr;
    }

    /**
     * Links the root namespace ({@code rootCidr}, such as {@code 10.231.255.1/30}) with
     * {@code namespace} ({@code namespaceCidr}) and routes {@code labCidr} to the namespace's end.
     */
    public static LabUplink open(String namespace, String rootCidr, String namespaceCidr, String labCidr) {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String rootSide = "hwr" + tag;
        String labSide = "hwl" + tag;
        run("ip", "link", "add", rootSide, "type", "veth", "peer", "name", labSide, "netns", namespace);
        LabUplink uplink = new LabUplink(rootSide, labCidr);
        try {
            run("ip", "addr", "add", rootCidr, "dev", rootSide);
            run("ip", "link", "set", rootSide, "up");
            run("ip", "netns", "exec", namespace, "ip", "addr", "add", namespaceCidr, "dev", labSide);
            run("ip", "netns", "exec", namespace, "ip", "link", "set", labSide, "up");
            run("ip", "route", "add", labCidr, "via", namespaceCidr.substring(0, namespaceCidr.indexOf('/')));
            return uplink;
        } catch (RuntimeException e) {
            uplink.close();
            throw e;
        }
    }

    @Override
    public void close() {
        // The namespace's deletion would take the pair too; without it the root keeps nothing.
        if (run("ip", "-o", "link", "show").contains(rootSide + "@")) {
            try {
                run("ip", "link", "delete", rootSide);
            } catch (IllegalStateException e) {
                // the namespace's deletion, which runs on in the kernel, took the pair meanwhile
                if (run("ip", "-o", "link", "show").contains(rootSide + "@")) {
                    throw e;
                }
            }
        }
    }

    /** Whether the root namespace still holds the uplink or its route (for the test's own cleanup check). */
    public boolean leftInRoot() {
        return run("ip", "-o", "link", "show").contains(rootSide + "@") || run("ip", "route", "show").contains(labCidr);
    }
}
