package org.vlab.ipam.logs.tail;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Says why a file cannot be read in the terms an operator fixes it in: the file's owner,
 * group and mode, and the user and groups the forwarder runs as. The usual case is
 * {@code kern.log} owned by {@code root:adm} with mode 0640 and a forwarder that is not in
 * the group {@code adm} (gid 4 on Debian and Ubuntu).
 */
final class AccessProblem {

    private AccessProblem() {
    }

    static AccessDeniedException explain(Path file, AccessDeniedException denied) {
        AccessDeniedException explained = new AccessDeniedException(file.toString(), null, describe(file));
        explained.initCause(denied);
        return explained;
    }

    static String describe(Path file) {
        String owner;
        try {
            PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
            owner = "it is " + attributes.owner().getName() + ":" + attributes.group().getName() + " "
                    + PosixFilePermissions.toString(attributes.permissions());
        } catch (IOException | UnsupportedOperationException e) {
            owner = "its owner and mode cannot be read either (" + e + ")";
        }
        return "permission denied: " + owner + ", and the forwarder runs as " + process()
                + "; give it read access, e.g. the file's group as a supplementary group (adm, gid 4, for a "
                + "root:adm 0640 kern.log: docker-compose group_add, Kubernetes supplementalGroups)";
    }

    /** The user and groups of this process, from {@code /proc/self/status}. */
    private static String process() {
        try {
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            return "uid " + field(status, "Uid:", false) + " gid " + field(status, "Gid:", false) + " groups ["
                    + field(status, "Groups:", true) + "]";
        } catch (IOException e) {
            return "user " + System.getProperty("user.name");
        }
    }

    /** The first value of a {@code /proc/self/status} line (the real id), or all of them. */
    private static String field(List<String> status, String name, boolean all) {
        return status.stream().filter(line -> line.startsWith(name)).findFirst()
                .map(line -> line.substring(name.length()).trim())
                .map(value -> all ? value : value.split("\\s+")[0]).orElse("?");
    }
}
