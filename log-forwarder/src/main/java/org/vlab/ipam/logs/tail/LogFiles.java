package org.vlab.ipam.logs.tail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The file system as the tailer sees it, so its decisions can be tested with made-up files (a reused inode, say). */
public interface LogFiles {

    /** The file at this path now, or empty when there is none. */
    Optional<FileSnapshot> look(Path path) throws IOException;

    /**
     * The rotated files of the log: in its directory, named after it with a {@code .} or
     * {@code -} suffix ({@code kern.log.1}, {@code kern.log-20261120}), uncompressed or
     * compressed with gzip ({@code kern.log.2.gz}: its snapshot tells the uncompressed size).
     * Files that cannot be read are left out (and reported), never fail the listing.
     */
    List<FileSnapshot> rotated(Path logFile) throws IOException;

    /** Opens the file seen in the snapshot, or returns null when the path holds another file by now. */
    OpenLogFile open(FileSnapshot snapshot) throws IOException;
}
