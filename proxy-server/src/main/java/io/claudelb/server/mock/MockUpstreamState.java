package io.claudelb.server.mock;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What all connections of one {@link MockUpstream} share: its name, the current default behaviour with its
 * precomputed {@link MessagePlan} (and the last {@link ChatCompletionPlan}), counters and the request record. Read and written from every event loop with
 * volatile fields and atomics only, no locks.
 */
final class MockUpstreamState {
    private final AsciiString name;
    private final RequestRecorder recorder;
    private final MockTokens tokens;
    private final MockCloud cloud = new MockCloud();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failFirstCounter = new AtomicLong();
    private volatile MessagePlan defaultPlan;
    private volatile ChatCompletionPlan chatPlan;

    MockUpstreamState(String name, MockBehaviour behaviour, int recordLimit) {
        this(name, behaviour, recordLimit, MockAuth.defaults());
    }

    MockUpstreamState(String name, MockBehaviour behaviour, int recordLimit, MockAuth auth) {
        this.name = AsciiString.of(name);
        this.recorder = recordLimit > 0 ? new RequestRecorder(recordLimit) : null;
        this.defaultPlan = MessagePlan.of(behaviour);
        this.tokens = new MockTokens(auth);
    }

    /** The Bedrock, Vertex and Databricks-listing side. */
    MockCloud cloud() {
        return cloud;
    }

    /** Issued OAuth tokens and their switches. */
    MockTokens tokens() {
        return tokens;
    }

    /**
     * Whether a model request may be answered: always, unless bearer tokens are required and its
     * {@code Authorization} does not carry an accepted one.
     */
    boolean authorized(HttpHeaders headers) {
        return !tokens.auth().requireBearer() || tokens.acceptsAuthorization(headers.get(HttpHeaderNames.AUTHORIZATION));
    }

    AsciiString name() {
        return name;
    }

    /** The recorder, or null when recording is off. */
    RequestRecorder recorder() {
        return recorder;
    }

    MockBehaviour behaviour() {
        return defaultPlan.behaviour();
    }

    /** Swaps the default behaviour; {@code failFirst} counts again from zero. */
    void setBehaviour(MockBehaviour behaviour) {
        defaultPlan = MessagePlan.of(behaviour);
        failFirstCounter.set(0);
    }

    /** The default plan when the behaviour produces the same content, else a plan built for this request. */
    MessagePlan planFor(MockBehaviour behaviour) {
        MessagePlan plan = defaultPlan;
        return plan.fits(behaviour) ? plan : MessagePlan.of(behaviour);
    }

    /**
     * The Chat Completions plan for a behaviour: the last one built when its content fits, else a new one that
     * replaces it (racing loops may both build one; either is right).
     */
    ChatCompletionPlan chatPlanFor(MockBehaviour behaviour) {
        ChatCompletionPlan plan = chatPlan;
        if (plan == null || !plan.fits(behaviour)) {
            plan = ChatCompletionPlan.of(behaviour);
            chatPlan = plan;
        }
        return plan;
    }

    /**
     * Applies {@code failFirst}: with N > 0 the first N model requests since the behaviour was set get its failure
     * (a 529 when it configures none), later ones get the behaviour without failures.
     */
    MockBehaviour applyFailFirst(MockBehaviour behaviour) {
        int failFirst = behaviour.failFirst();
        if (failFirst == 0) {
            return behaviour;
        }
        if (failFirstCounter.incrementAndGet() <= failFirst) {
            return behaviour.injectsFailure() ? behaviour : behaviour.toBuilder().errorStatus(529).build();
        }
        return behaviour.withoutFailures();
    }

    /** Numbers requests from 1, for the {@code request-id} header. */
    long nextRequestNumber() {
        return requests.incrementAndGet();
    }

    /** Numbers accepted connections from 1. */
    long connectionAccepted() {
        return connections.incrementAndGet();
    }

    int connectionsAccepted() {
        return connections.get();
    }
}
