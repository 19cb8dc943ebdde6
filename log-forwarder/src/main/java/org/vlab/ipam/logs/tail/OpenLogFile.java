package org.vlab.ipam.logs.tail;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A log file held open: it keeps being readable after it is renamed or deleted. */
public interface OpenLogFile extends Closeable {

    /** Reads into the buffer from the given file position; -1 at the end of the file. */
    int read(ByteBuffer into, long position) throws IOException;

    long size() throws IOException;

    /** The fingerprint of what the file starts with now, or null (see {@link Fingerprint}). */
    String fingerprint() throws IOException;
}
