package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The state directory held by one forwarder alone. Two forwarders given the same directory
 * would write the same checkpoint slots in turn, and each would resume from the other's place:
 * lines lost or sent twice, silently. A lock on a file in the directory, held for the process's
 * life and let go by the kernel when it ends (even by SIGKILL, so a crash never leaves it
 * held), makes the second refuse to start, naming the holder.
 */
final class StateDirectoryLock implements AutoCloseable {

    static final String FILE_NAME = "log-forwarder.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the directory for this process; fails, naming the holder, when another forwarder has it. */
    static StateDirectoryLock acquire(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + directory + " (ipam.state-dir)", e);
        }
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IllegalStateException("the state directory " + directory + " is not writable (ipam.state-dir): "
                    + e, e);
        }
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
                channel.close();
                throw new IllegalStateException("the state directory " + directory + " (ipam.state-dir) is in use by "
                        + "another log forwarder (" + (holder.isEmpty() ? "unknown process" : holder) + "); give each "
                        + "forwarder a state directory of its own");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            return new StateDirectoryLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock the state directory " + directory + " (ipam.state-dir)", e);
        }
    }

    /** Null when another process, or another forwarder in this JVM, holds the lock. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // failing anyway
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
