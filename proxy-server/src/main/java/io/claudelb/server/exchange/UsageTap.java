package io.claudelb.server.exchange;

import io.claudelb.codec.sse.SseScanner;
import io.claudelb.codec.usage.Usage;
import io.claudelb.server.log.AccessRecord;

/**
 * Watches a relayed stream (never changing it) for the events that carry token usage, and notes an in-band error
 * for the access log.
 */
final class UsageTap implements SseScanner.SseListener {
    private final Usage usage;
    private final AccessRecord record;

    UsageTap(Usage usage, AccessRecord record) {
        this.usage = usage;
        this.record = record;
    }

    @Override
    public boolean wantsData(String eventName) {
        return "message_start".equals(eventName) || "message_delta".equals(eventName) || "error".equals(eventName);
    }

    @Override
    public void onEvent(String eventName, String data) {
        if (data == null) {
            return;
        }
        switch (eventName) {
            case "message_start" -> usage.applyMessageStart(data);
            case "message_delta" -> usage.applyMessageDelta(data);
            case "error" -> record.inBandError();
            default -> { }
        }
    }
}
