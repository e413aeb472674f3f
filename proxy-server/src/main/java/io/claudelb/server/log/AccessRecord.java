package io.claudelb.server.log;

import io.claudelb.codec.usage.Usage;
import io.claudelb.core.health.FailureKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What the access log says about one request, filled in as the exchange goes. Never holds a secret or a prompt:
 * names, numbers and the model strings only.
 */
public final class AccessRecord {
    private final String requestId;
    private final long startNanos;
    private final String method;
    private final String path;
    private final String clientName;
    private String modelIn;
    private String modelOut;
    private String upstream;
    private boolean stream;
    private int status;
    private long firstByteNanos = -1;
    private long bytes;
    private int attempts;
    private final List<FailureKind> failures = new ArrayList<>(2);
    private boolean clientAborted;
    private boolean inBandError;
    private Usage usage;

    public AccessRecord(String requestId, long startNanos, String method, String path, String clientName) {
        this.requestId = requestId;
        this.startNanos = startNanos;
        this.method = method;
        this.path = path;
        this.clientName = clientName;
    }

    public void request(String model, boolean isStream) {
        this.modelIn = model;
        this.stream = isStream;
    }

    public void upstream(String name, String targetModel) {
        this.upstream = name;
        this.modelOut = targetModel == null ? modelIn : targetModel;
        this.attempts++;
    }

    public void status(int code, long sinceStartNanos) {
        this.status = code;
        if (firstByteNanos < 0) {
            this.firstByteNanos = sinceStartNanos;
        }
    }

    public void failure(FailureKind kind) {
        failures.add(kind);
    }

    public void clientAborted() {
        clientAborted = true;
    }

    public void inBandError() {
        inBandError = true;
    }

    public void bytes(long count) {
        bytes = count;
    }

    public void usage(Usage u) {
        usage = u;
    }

    public String requestId() {
        return requestId;
    }

    public long startNanos() {
        return startNanos;
    }

    String method() {
        return method;
    }

    String path() {
        return path;
    }

    String clientName() {
        return clientName;
    }

    String modelIn() {
        return modelIn;
    }

    String modelOut() {
        return modelOut;
    }

    String upstreamName() {
        return upstream;
    }

    boolean stream() {
        return stream;
    }

    int statusCode() {
        return status;
    }

    long firstByteNanos() {
        return firstByteNanos;
    }

    long byteCount() {
        return bytes;
    }

    int attempts() {
        return attempts;
    }

    List<FailureKind> failures() {
        return failures;
    }

    boolean wasClientAborted() {
        return clientAborted;
    }

    boolean hadInBandError() {
        return inBandError;
    }

    Usage usageOrNull() {
        return usage;
    }
}
