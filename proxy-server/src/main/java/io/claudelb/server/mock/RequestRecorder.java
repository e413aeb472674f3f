package io.claudelb.server.mock;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps copies of the requests a {@link MockUpstream} received, for tests. Written from every event loop without
 * locks; bounded to the most recent {@code limit} requests ({@link MockOptions#recordLimit()}) so a long-running
 * {@code claude-lb mock} in front of Claude Code holds a bounded amount of memory.
 */
final class RequestRecorder {
    private final int limit;
    private final Queue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
    // ConcurrentLinkedQueue.size() walks the queue, so the bound is kept in its own counter.
    private final AtomicInteger size = new AtomicInteger();

    RequestRecorder(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        this.limit = limit;
    }

    /** Copies the request's method, target, headers and body; the request itself stays with the caller. */
    void record(FullHttpRequest request, long connectionId, int requestOnConnection) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : request.headers()) {
            headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(header.getValue());
        }
        headers.replaceAll((name, values) -> List.copyOf(values));
        byte[] body = ByteBufUtil.getBytes(request.content());
        requests.add(new RecordedRequest(request.method().name(), request.uri(), headers, body, connectionId,
                requestOnConnection));
        if (size.incrementAndGet() > limit && requests.poll() != null) {
            size.decrementAndGet();
        }
    }

    List<RecordedRequest> snapshot() {
        return List.copyOf(requests);
    }

    void clear() {
        while (requests.poll() != null) {
            size.decrementAndGet();
        }
    }
}
