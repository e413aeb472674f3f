package io.claudelb.server.observe;

import io.claudelb.core.health.FailureKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened to one request, told to every {@link ExchangeObserver} once it has ended. Immutable; carries
 * names, numbers and model strings only, never a secret or a prompt.
 *
 * @param requestId         claude-lb's request id ({@code x-claude-lb-request-id})
 * @param startEpochMillis  wall-clock time the request was received
 * @param method            HTTP method
 * @param path              request path without the query
 * @param clientName        the client key's name, or null (no client keys, or a local endpoint open to all)
 * @param sessionId         the affinity session (Claude Code's session id, else metadata.user_id's, else the
 *                          client name), or null
 * @param requestedModel    the model the client asked for, or null when the body was not inspected
 * @param stream            whether the client asked for a stream
 * @param countTokens       a {@code count_tokens} request
 * @param attempts          upstream attempts in order, empty when none was made
 * @param status            the status the client got (0: none, the client left first)
 * @param outcome           how the answer ended
 * @param answeredLocally   claude-lb wrote the answer itself (a local endpoint, a refusal, the all-failed answer)
 * @param inBandErrorType   the {@code error.type} of an {@code event: error} relayed in the stream, or null
 * @param ttfbNanos         from receipt to the answer's head reaching the client, -1 when it never did
 * @param durationNanos     from receipt to the end of the answer
 * @param upstreamWaitNanos time spent waiting for upstreams' answers (from sending each attempt to its verdict):
 *                          the part of the time to first byte that claude-lb did not add itself
 * @param bytesToClient     body bytes written to the client
 * @param usage             tokens the answer reported, or null when it reported none
 * @param role              coalescing role
 */
public record ExchangeEvent(String requestId, long startEpochMillis, String method, String path, String clientName,
                            String sessionId, String requestedModel, boolean stream, boolean countTokens,
                            List<AttemptRecord> attempts, int status, Outcome outcome, boolean answeredLocally,
                            String inBandErrorType, long ttfbNanos, long durationNanos, long upstreamWaitNanos,
                            long bytesToClient, UsageCounts usage, CoalescingRole role) {

    public ExchangeEvent {
        attempts = List.copyOf(attempts);
    }

    /** The upstream of the last attempt (the one that answered, or failed last), or null when none was tried. */
    public String upstream() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).upstream();
    }

    /** The model sent to the last attempt's upstream, or the requested model when no attempt was made. */
    public String targetModel() {
        return attempts.isEmpty() ? requestedModel : attempts.get(attempts.size() - 1).targetModel();
    }

    /** The failure kinds of the attempts that failed, in order. */
    public List<FailureKind> failures() {
        List<FailureKind> kinds = new ArrayList<>(attempts.size());
        for (AttemptRecord a : attempts) {
            if (a.failure() != null) {
                kinds.add(a.failure());
            }
        }
        return kinds;
    }

    /** Attempts that failed and were followed by another one: the failovers this request took. */
    public int failovers() {
        int n = 0;
        for (int i = 0; i + 1 < attempts.size(); i++) {
            if (attempts.get(i).failure() != null) {
                n++;
            }
        }
        return n;
    }

    /**
     * The part of the time to first byte that claude-lb added itself (routing, connecting, writing, relaying the
     * head), or -1 when no byte reached the client.
     */
    public long proxyOverheadNanos() {
        return ttfbNanos < 0 ? -1 : Math.max(0, ttfbNanos - upstreamWaitNanos);
    }
}
