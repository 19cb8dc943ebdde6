package org.vlab.ipam.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Hosts for a {@link NetnsTest}: network namespaces joined by veth pairs, and processes run
 * inside them. Names carry a random tag so parallel or crashed runs never collide; closing
 * stops the processes and deletes the namespaces, which takes their links with them.
 */
public final class NetworkLab implements AutoCloseable {

    private final String tag = UUID.randomUUID().toString().substring(0, 5);
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private int links;

    /** A new namespace with loopback up, named {@code <role>-<tag>}. */
    public String namespace(String role) {
        String name = role + "-" + tag;
        run("ip", "netns", "add", name);
        namespaces.add(name);
        exec(name, "ip", "link", "set", "lo", "up");
        return name;
    }

    /** The two ends of a veth pair: the interface names in the first and in the second namespace. */
    public record Link(String interfaceA, String interfaceB) {
    }

    /** Joins two namespaces with a veth pair and gives each end an address such as {@code 10.99.0.1/24}. */
    public void link(String namespaceA, String cidrA, String namespaceB, String cidrB) {
        connect(namespaceA, cidrA, namespaceB, cidrB);
    }

    /** As {@link #link}, and tells the interface names (for rules or configuration that name an interface). */
    public Link connect(String namespaceA, String cidrA, String namespaceB, String cidrB) {
        // Interface names are limited to 15 characters.
        String a = "va" + links + tag;
        String b = "vb" + links + tag;
        links++;
        run("ip", "link", "add", a, "netns", namespaceA, "type", "veth", "peer", "name", b, "netns", namespaceB);
        exec(namespaceA, "ip", "addr", "add", cidrA, "dev", a);
        exec(namespaceA, "ip", "link", "set", a, "up");
        exec(namespaceB, "ip", "addr", "add", cidrB, "dev", b);
        exec(namespaceB, "ip", "link", "set", b, "up");
        return new Link(a, b);
    }

    /**
     * Joins a namespace with the test's own (host) namespace, for a service inside to reach
     * something that listens on the host, through a relay on {@code hostCidr}'s address. The
     * host end disappears with the namespace. Returns the namespace's end first.
     */
    public Link connectToHost(String namespace, String namespaceCidr, String hostCidr) {
        String inside = "vn" + links + tag;
        String outside = "vh" + links + tag;
        links++;
        run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside, "netns", namespace);
        run("ip", "addr", "add", hostCidr, "dev", outside);
        run("ip", "link", "set", outside, "up");
        exec(namespace, "ip", "addr", "add", namespaceCidr, "dev", inside);
        exec(namespace, "ip", "link", "set", inside, "up");
        return new Link(inside, outside);
    }

    /** Runs a command inside a namespace and returns its standard output; fails on a non-zero exit. */
    public String exec(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /** Starts a long-running command inside a namespace; it is stopped on close. */
    public Process start(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + full, e);
        }
    }

    /** Starts a long-running command in the host's namespace (such as a relay); it is stopped on close. */
    public Process startOnHost(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + List.of(command), e);
        }
    }

    public List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /** Runs a command on the host (the root namespace) and returns its output; fails if it fails or takes over 30 s. */
    public static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 30 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": "
                        + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        RuntimeException failure = null;
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                run("ip", "netns", "delete", namespaces.get(i));
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
