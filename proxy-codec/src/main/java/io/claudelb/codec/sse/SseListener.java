package io.claudelb.codec.sse;

/**
 * Receives the events an {@link SseScanner} finds. Called on the thread that calls {@code scan}, in stream order;
 * a listener must not call {@code scan} (of any scanner) from these callbacks.
 */
public interface SseListener {

    /**
     * Asked once per event, when its first {@code data:} line starts, whether the event's data should be
     * accumulated and decoded. Returning false costs nothing per byte: the data is skipped, not buffered.
     *
     * @param eventName the value of the event's {@code event:} line seen so far, or null when there was none
     */
    boolean wantsData(String eventName);

    /**
     * One dispatched event (a blank line ended a block with at least one {@code data:} line).
     *
     * @param eventName the event's last {@code event:} value, or null when it had none (or an empty one)
     * @param data      the {@code data:} lines joined with {@code \n}, UTF-8, in {@code data[0, length)}; the
     *                  scanner's own array, valid only during this call (copy what must outlive it). Null when
     *                  {@link #wantsData} said no, or when the data exceeded the scanner's limit
     * @param length    the data's length in bytes (0 when {@code data} is null)
     */
    void onEvent(String eventName, byte[] data, int length);
}
