package org.vlab.ipam.logs.forward;

import java.io.IOException;
import java.util.Optional;
import org.vlab.ipam.logs.tail.LogLine;
import org.vlab.ipam.logs.tail.LogTailer;

/** The tailer as the forwarding loop's {@link LineSource}. */
final class TailedLines implements LineSource {

    private final LogTailer tailer;

    TailedLines(LogTailer tailer) {
        this.tailer = tailer;
    }

    @Override
    public Optional<LogLine> next() throws IOException {
        return tailer.next();
    }

    @Override
    public long bytesBehind() {
        return tailer.bytesBehind();
    }

    @Override
    public void close() {
        tailer.close();
    }
}
