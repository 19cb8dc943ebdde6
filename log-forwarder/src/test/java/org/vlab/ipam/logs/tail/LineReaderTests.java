package org.vlab.ipam.logs.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.logs.tail.LineReader.RawLine;

/** Lines and their byte offsets as the reader splits a growing file. */
class LineReaderTests {

    private static final LineReader.Check SAME = upTo -> true;

    private final BytesFile file = new BytesFile();

    @Test
    void returnsCompleteLinesWithTheirByteRanges() throws IOException {
        file.append("one\ntwo\n");
        LineReader reader = new LineReader(file, 0);

        assertThat(reader.next(SAME)).isEqualTo(new RawLine(0, 4, "one"));
        assertThat(reader.next(SAME)).isEqualTo(new RawLine(4, 8, "two"));
        assertThat(reader.next(SAME)).isNull();
        assertThat(reader.consumed()).isEqualTo(8);
    }

    @Test
    void anUnterminatedLineWaitsForItsNewline() throws IOException {
        file.append("one\ntw");
        LineReader reader = new LineReader(file, 0);
        reader.next(SAME);

        assertThat(reader.next(SAME)).isNull();
        assertThat(reader.consumed()).isEqualTo(4);
        file.append("o\n");
        assertThat(reader.next(SAME)).isEqualTo(new RawLine(4, 8, "two"));
    }

    @Test
    void startsAtTheGivenOffsetAndCountsMultiByteCharactersAsBytes() throws IOException {
        file.append("skip\nnaïve\r\nend\n");
        LineReader reader = new LineReader(file, 5);

        assertThat(reader.next(SAME)).isEqualTo(new RawLine(5, 13, "naïve"));
        assertThat(reader.next(SAME)).isEqualTo(new RawLine(13, 17, "end"));
    }

    @Test
    void findsEveryNewlineWhereverItFallsInTheEightBytesReadAtATime() throws IOException {
        // lines of 0 to 19 characters, some multi-byte (bytes over 0x7f, and 0x0a's neighbours in UTF-8's range)
        List<String> lines = new ArrayList<>();
        long offset = 0;
        List<RawLine> expected = new ArrayList<>();
        for (int length = 0; length < 20; length++) {
            for (String filler : List.of("x", "é", "\u010a", "\t")) {
                String line = filler.repeat(length);
                lines.add(line);
                long end = offset + line.getBytes(StandardCharsets.UTF_8).length + 1;
                expected.add(new RawLine(offset, end, line));
                offset = end;
            }
        }
        file.append(String.join("\n", lines) + "\n");
        LineReader reader = new LineReader(file, 0, 64);

        List<RawLine> read = new ArrayList<>();
        for (RawLine line = reader.next(SAME); line != null; line = reader.next(SAME)) {
            read.add(line);
        }
        assertThat(read).containsExactlyElementsOf(expected);
        assertThat(reader.consumed()).isEqualTo(offset);
    }

    @Test
    void aLineLongerThanTheBufferIsPassedOverWithoutItsText() throws IOException {
        file.append("short\n" + "x".repeat(50) + "\nafter\n");
        LineReader reader = new LineReader(file, 0, 16);

        assertThat(reader.next(SAME)).isEqualTo(new RawLine(0, 6, "short"));
        assertThat(reader.next(SAME)).isEqualTo(new RawLine(6, 57, null));
        assertThat(reader.next(SAME)).isEqualTo(new RawLine(57, 63, "after"));
    }

    @Test
    void linesSpanningManyBufferFillsKeepTheirOffsets() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            text.append("line ").append(i).append('\n');
        }
        file.append(text.toString());
        LineReader reader = new LineReader(file, 0, 64);

        long offset = 0;
        for (int i = 0; i < 1000; i++) {
            RawLine line = reader.next(SAME);
            assertThat(line.text()).isEqualTo("line " + i);
            assertThat(line.start()).isEqualTo(offset);
            offset = line.end();
        }
        assertThat(offset).isEqualTo(text.length());
    }

    @Test
    void theRestIsTheUnterminatedEnd() throws IOException {
        file.append("one\nlast words");
        LineReader reader = new LineReader(file, 0);
        reader.next(SAME);
        reader.next(SAME);

        assertThat(reader.rest()).isEqualTo(new RawLine(4, 14, "last words"));
        assertThat(reader.rest()).isNull();
    }

    @Test
    void aFileThatChangedUnderTheReaderYieldsNothingFromTheRead() throws IOException {
        file.append("one\ntwo\n");
        LineReader reader = new LineReader(file, 0);

        assertThat(reader.next(upTo -> false)).isNull();
        assertThat(reader.changed()).isTrue();
        assertThat(reader.consumed()).isZero();
    }
}
