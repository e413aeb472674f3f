package io.claudelb.codec.usage;

import io.claudelb.codec.error.ErrorBodyReader;
import io.claudelb.codec.error.ErrorInfo;
import io.claudelb.codec.sse.SseListener;

/**
 * The {@link SseListener} a relayed Anthropic stream's tap uses for bookkeeping: feeds {@code message_start} and
 * {@code message_delta} payloads into a {@link Usage}, notes {@code message_stop} (the stream completed) and the
 * type of an in-band {@code event: error}. Asks the scanner for no other event's data, so text deltas cost only a
 * byte search.
 *
 * <p>Use: {@code new SseScanner(tap, 64 * 1024)} and {@code scan()} every content chunk as it is forwarded.
 */
public final class UsageTap implements SseListener {
    private final Usage usage = new Usage();
    private boolean completed;
    private String errorType;
    private String errorMessage;

    @Override
    public boolean wantsData(String eventName) {
        return "message_start".equals(eventName) || "message_delta".equals(eventName) || "error".equals(eventName);
    }

    @Override
    public void onEvent(String eventName, byte[] data, int length) {
        if (eventName == null) {
            return;
        }
        switch (eventName) {
            case "message_start", "message_delta" -> usage.apply(data, length);
            case "message_stop" -> completed = true;
            case "error" -> {
                ErrorInfo info = ErrorBodyReader.readEvent(data, length);
                errorType = info.type();
                errorMessage = info.message();
            }
            default -> {
                // content blocks, ping and event types added later pass untouched
            }
        }
    }

    /** The usage accumulated so far. */
    public Usage usage() {
        return usage;
    }

    /** Whether {@code message_stop} was seen: the upstream finished the message. */
    public boolean completed() {
        return completed;
    }

    /** The {@code error.type} of an in-band error event, or null if none came. */
    public String errorType() {
        return errorType;
    }

    /** The message of an in-band error event (empty if it had none), or null if none came. */
    public String errorMessage() {
        return errorMessage;
    }
}
