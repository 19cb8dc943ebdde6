package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A file of two fixed slots, written in turn and in place, each write forced with
 * {@code fdatasync}: the file never changes size, so a write flushes one page of data and no
 * metadata, where replacing a file by a rename costs two journal commits (a third of the
 * time on an idle disk, less still beside a broker's own writes). A slot is a header line
 * {@code vlab-checkpoint 1 <sequence> <length> <crc32c>} and then the payload. The newest
 * write always goes to the slot the newest intact one is not in, so a write torn by a crash
 * or a power loss (its checksum fails) leaves the one before it intact: the one read back.
 */
final class CheckpointSlots {

    /** Room for the largest checkpoint (256 pending ends and a log path of PATH_MAX) with margin. */
    static final int SLOT_SIZE = 16 * 1024;
    private static final int PAGE = 4096;
    private static final String MAGIC = "vlab-checkpoint 1 ";

    /** What the file holds: the newest intact payload (or null), and whether some slot is neither intact nor empty. */
    record Contents(byte[] newest, boolean torn) {

        boolean empty() {
            return newest == null && !torn;
        }
    }

    private final Path file;
    /** The newest sequence in the file; -1 until the file has been read. */
    private long sequence = -1;

    CheckpointSlots(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Reads both slots; the file missing reads as two empty slots. */
    Contents read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            sequence = 0;
            return new Contents(null, false);
        }
        byte[] newest = null;
        long newestSequence = 0;
        boolean torn = false;
        for (int slot = 0; slot < 2; slot++) {
            int start = slot * SLOT_SIZE;
            if (start >= bytes.length || bytes[start] == 0) {
                continue;
            }
            Slot read = Slot.parse(bytes, start, Math.min(bytes.length, start + SLOT_SIZE));
            if (read == null) {
                torn = true;
            } else if (newest == null || read.sequence() > newestSequence) {
                newest = read.payload();
                newestSequence = read.sequence();
            }
        }
        sequence = newestSequence;
        return new Contents(newest, torn);
    }

    /** Writes the payload as the newest slot, over the older one, and forces it to the disk. */
    void write(byte[] payload) throws IOException {
        if (sequence < 0) {
            read();
        }
        long next = sequence + 1;
        byte[] slot = Slot.render(next, payload);
        if (!Files.exists(file) || Files.size(file) < 2L * SLOT_SIZE) {
            allocate();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(slot);
            long position = (next % 2) * SLOT_SIZE;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            channel.force(false);
        }
        sequence = next;
    }

    /**
     * Both slots as zeros, forced with the directory once: later writes change no metadata. A
     * file left short by a crash during this is completed, never overwritten.
     */
    private void allocate() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long size = channel.size();
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.max(0, 2L * SLOT_SIZE - size));
            long position = size;
            while (zeros.hasRemaining()) {
                position += channel.write(zeros, position);
            }
            channel.force(true);
        }
        try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private record Slot(long sequence, byte[] payload) {

        /** The slot's bytes: header, payload, a newline, then zeros to the end of its last page. */
        static byte[] render(long sequence, byte[] payload) throws IOException {
            byte[] header = (MAGIC + sequence + " " + payload.length + " " + Long.toHexString(crc(sequence, payload))
                    + "\n").getBytes(StandardCharsets.US_ASCII);
            int used = header.length + payload.length + 1;
            if (used > SLOT_SIZE) {
                throw new IOException("a checkpoint of " + payload.length + " bytes does not fit its slot of "
                        + SLOT_SIZE);
            }
            byte[] slot = new byte[(used + PAGE - 1) / PAGE * PAGE];
            System.arraycopy(header, 0, slot, 0, header.length);
            System.arraycopy(payload, 0, slot, header.length, payload.length);
            slot[used - 1] = '\n';
            return slot;
        }

        /** The slot in [start, end), or null when it is not intact. */
        static Slot parse(byte[] bytes, int start, int end) {
            int newline = -1;
            for (int i = start; i < Math.min(end, start + 128); i++) {
                if (bytes[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            if (newline < 0) {
                return null;
            }
            String header = new String(bytes, start, newline - start, StandardCharsets.US_ASCII);
            String[] fields = header.startsWith(MAGIC) ? header.substring(MAGIC.length()).split(" ") : new String[0];
            try {
                if (fields.length != 3) {
                    return null;
                }
                long sequence = Long.parseLong(fields[0]);
                int length = Integer.parseInt(fields[1]);
                if (length < 0 || length > end - newline - 1) {
                    return null;
                }
                byte[] payload = Arrays.copyOfRange(bytes, newline + 1, newline + 1 + length);
                return crc(sequence, payload) == Long.parseUnsignedLong(fields[2], 16) ? new Slot(sequence, payload)
                        : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static long crc(long sequence, byte[] payload) {
            CRC32C crc = new CRC32C();
            crc.update(Long.toString(sequence).getBytes(StandardCharsets.US_ASCII));
            crc.update(payload);
            return crc.getValue();
        }
    }
}
