package org.vlab.ipam.bench.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection over a blocking socket, doing as little as a load
 * generator such as wrk does: the request's bytes written at once, the status read, the body
 * skipped by its length or its chunks (or kept, for a caller that needs it). The JDK's {@code HttpClient} took 1.5–1.8 ms of CPU per
 * request on the benchmark's two cores, a fifth of everything a create cost there, and so
 * measured the client as much as the system. Not thread-safe: one per thread.
 */
final class KeepAliveHttp implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 30_000;

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeepAliveHttp(URI api) {
        this.host = api.getHost();
        this.port = api.getPort() < 0 ? 80 : api.getPort();
    }

    /** An answer: its status and, when asked for, its body (otherwise empty). */
    record Answer(int status, String body) {
    }

    /**
     * Sends one request and returns its status, the body read and dropped. A connection the
     * server closed since the last request is opened again once; any other failure is thrown.
     */
    int exchange(String method, String pathAndQuery, String headers, String body) throws IOException {
        return exchange(method, pathAndQuery, headers, body, false).status();
    }

    /** As {@link #exchange(String, String, String, String)}, keeping the answer's body when {@code keepBody}. */
    Answer exchange(String method, String pathAndQuery, String headers, String body, boolean keepBody)
            throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        byte[] head = (method + " " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + headers
                + (body == null ? "" : "Content-Length: " + content.length + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        boolean reused = socket != null;
        try {
            return send(head, content, keepBody);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
            // a keep-alive connection the server closed while idle: one fresh attempt
            return send(head, content, keepBody);
        }
    }

    private Answer send(byte[] head, byte[] content, boolean keepBody) throws IOException {
        if (socket == null) {
            open();
        }
        byte[] request = new byte[head.length + content.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(content, 0, request, head.length, content.length);
        out.write(request);
        out.flush();
        return readResponse(keepBody ? new ByteArrayOutputStream(256) : null);
    }

    private void open() throws IOException {
        Socket opened = new Socket();
        opened.setTcpNoDelay(true);
        opened.setSoTimeout(READ_TIMEOUT_MS);
        opened.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        socket = opened;
        in = new BufferedInputStream(opened.getInputStream(), 16 * 1024);
        out = opened.getOutputStream();
    }

    /** Reads one answer, its body into {@code kept} (or dropped when null). */
    private Answer readResponse(ByteArrayOutputStream kept) throws IOException {
        String status = line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.1 status line: " + status);
        }
        int code = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean closes = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closes = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line().split(";", 2)[0].trim(), 16); size > 0;
                    size = Long.parseLong(line().split(";", 2)[0].trim(), 16)) {
                skip(size, kept);
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            skip(length, kept);
        } else {
            closes = true; // the body runs to the end of the connection
            in.transferTo(kept == null ? OutputStream.nullOutputStream() : kept);
        }
        if (closes) {
            close();
        }
        return new Answer(code, kept == null ? "" : kept.toString(StandardCharsets.UTF_8));
    }

    /** Reads past {@code count} bytes of the body, copying them to {@code kept} unless it is null. */
    private void skip(long count, ByteArrayOutputStream kept) throws IOException {
        if (kept != null) {
            byte[] bytes = in.readNBytes(Math.toIntExact(count));
            if (bytes.length < count) {
                throw new IOException("connection closed with " + (count - bytes.length) + " bytes of the body unread");
            }
            kept.write(bytes);
            return;
        }
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed with " + left + " bytes of the body unread");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** One header line without its CRLF; throws at the end of the stream. */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }
}
