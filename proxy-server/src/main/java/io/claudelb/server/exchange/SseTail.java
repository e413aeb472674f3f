package io.claudelb.server.exchange;

import io.netty.buffer.ByteBuf;

/**
 * Where a relayed event stream stands in its SSE framing, from the last few bytes that reached the client, so that
 * the {@code event: error} ending a stream cut off mid-event still reads as an error event. Owned by one relay
 * (or one coalescing follower), on its event loop.
 *
 * <p>An upstream may fail anywhere, also inside an event. What must precede our error event:
 * <ul>
 *   <li>at an event boundary (a blank line, or nothing sent yet): nothing;</li>
 *   <li>after a complete line of an unfinished event: one more line end, so that event is dispatched as it stands
 *       (its lines are whole) and ours follows on its own;</li>
 *   <li>inside a line: a line end only. The cut line cannot be taken back; leaving the event open lets our
 *       {@code event: error} line replace its name, so SDKs raise an API error rather than fail on a cut
 *       {@code content_block_delta} (its data then holds the cut line before our JSON).</li>
 * </ul>
 */
public final class SseTail {
    /** The last (up to) three bytes sent, the most recent in the low byte. */
    private int last;
    private int count;

    /** Notes the bytes of one chunk on their way to the client (indexes untouched). */
    public void track(ByteBuf chunk) {
        int end = chunk.writerIndex();
        for (int i = Math.max(chunk.readerIndex(), end - 3); i < end; i++) {
            last = (last << 8) | (chunk.getByte(i) & 0xff);
            count++;
        }
    }

    /** The bytes to write before an error event so that it starts a new event: empty, "\n" or "\n\n". */
    public String separator() {
        if (count == 0) {
            return "";
        }
        int b0 = last & 0xff;
        if (b0 != '\n' && b0 != '\r') {
            return "\n";
        }
        // Step back over the final line end (CRLF counts once), then see whether another line end precedes it.
        int stepped = b0 == '\n' && count >= 2 && (last >> 8 & 0xff) == '\r' ? 2 : 1;
        int before = last >> (8 * stepped) & 0xff;
        if (count > stepped && (before == '\n' || before == '\r')) {
            return "";
        }
        // A lone trailing CR may still be the first half of a CRLF: the first LF we add completes it.
        return b0 == '\r' ? "\n\n" : "\n";
    }
}
