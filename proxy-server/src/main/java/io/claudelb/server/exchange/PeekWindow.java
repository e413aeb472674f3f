package io.claudelb.server.exchange;

import io.claudelb.codec.sse.StreamPeek;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The head of a stream, held back from the client until its first real event: the first event after
 * {@code message_start} that is not {@code ping}. An {@code event: error} before that (e.g. overloaded_error) means
 * the attempt failed while nothing reached the client, so the exchange can still fail over. Bounded by bytes here and
 * by time in the exchange's timer. Owns the held chunks until {@link #drain()} or {@link #release()}.
 */
final class PeekWindow {
    enum Outcome { HOLD, COMMIT, FAIL }

    private final List<HttpContent> held = new ArrayList<>();
    private final StreamPeek peek = new StreamPeek();
    private final long maxBytes;

    PeekWindow(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Holds {@code content} (ownership passes) and says whether the stream may go to the client yet. */
    Outcome add(HttpContent content) {
        held.add(content);
        StreamPeek.Verdict verdict = peek.feed(content.content());
        if (verdict == StreamPeek.Verdict.ERROR) {
            return Outcome.FAIL;
        }
        boolean decided = verdict == StreamPeek.Verdict.COMMIT || content instanceof LastHttpContent
                || peek.bytesSeen() >= maxBytes;
        return decided ? Outcome.COMMIT : Outcome.HOLD;
    }

    /** The {@code error.type} of the in-band error that failed the peek, or null. */
    String errorType() {
        return peek.errorType();
    }

    /** The held chunks, in order; the caller owns them now. */
    List<HttpContent> drain() {
        List<HttpContent> out = List.copyOf(held);
        held.clear();
        return out;
    }

    void release() {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }
}
