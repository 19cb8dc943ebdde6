package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Broker text in log lines: nothing a terminal or log parser would act on gets through. */
class LogTextTests {

    @Test
    void escapesLineBreaksAnsiSequencesAndFormatCharacters() {
        String hostile = "ok\r\n2026-12-04 WARN forged line\u001b[31mred\u0085\u2028\u202egnp.exe\u200b\u0000";

        String escaped = LogText.escape(hostile);

        assertThat(escaped).isEqualTo("ok\\u000d\\u000a2026-12-04 WARN forged line\\u001b[31mred\\u0085\\u2028"
                + "\\u202egnp.exe\\u200b\\u0000");
        assertThat(escaped.codePoints()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @Test
    void keepsPrintableTextAndDoublesBackslashesSoEscapesAreUnambiguous() {
        assertThat(LogText.escape("agent-alice")).isEqualTo("agent-alice");
        assertThat(LogText.escape("Grüße, 東京 🙂")).isEqualTo("Grüße, 東京 🙂");
        assertThat(LogText.escape("a\\u000ab")).isEqualTo("a\\\\u000ab");
        assertThat(LogText.escape(null)).isEqualTo("(none)");
    }

    @Test
    void escapesUnpairedSurrogatesAndCutsLongText() {
        assertThat(LogText.escape("x\ud800y")).isEqualTo("x\\ud800y");
        assertThat(LogText.escape("a".repeat(LogText.MAX_LENGTH + 7)))
                .isEqualTo("a".repeat(LogText.MAX_LENGTH) + "...(7 more)");
    }
}
