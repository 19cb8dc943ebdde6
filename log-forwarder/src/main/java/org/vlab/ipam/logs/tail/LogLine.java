package org.vlab.ipam.logs.tail;

/**
 * One line of the log and where it was read: bytes [start, end) of the file {@code fileId}
 * (see {@link FileIdentity#id()}), the newline included. {@code text} is null for a line over
 * the reader's limit, whose bytes were passed over. {@code seen} is how the file looked when
 * the line was read (null where no file was looked at).
 */
public record LogLine(FileIdentity file, long start, long end, String text, FileSeen seen) {

    public LogLine(FileIdentity file, long start, long end, String text) {
        this(file, start, end, text, null);
    }

    public String fileId() {
        return file.id();
    }

    public boolean tooLong() {
        return text == null;
    }
}
