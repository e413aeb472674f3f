/**
 * One routed request relayed to upstreams, one class per stage:
 * <ul>
 *   <li>{@link io.claudelb.server.exchange.AttemptLoop}: which upstream next, {@code retry.max_attempts}, the
 *       all-failed answer ({@code AllFailedAnswer});</li>
 *   <li>{@code Attempt}: one try: credential, connection from the loop's pool, the request in the upstream's
 *       dialect ({@code AttemptRequest}, {@code UpstreamRequests}), the response head;</li>
 *   <li>{@code ResponseClassifier}: the failure policy below as pure decisions (what a head, an error answer, an
 *       in-band error mean);</li>
 *   <li>{@code StreamRelay}: a committed answer relayed chunk by chunk (batching, usage tap, writability,
 *       mid-stream failure, write stalls);</li>
 *   <li>{@link io.claudelb.server.exchange.ResponseSink}: where the answer goes; the relay never names a client
 *       channel;</li>
 *   <li>{@code ResponseTranslation}: how an answer becomes the client's ({@code OpenAiTranslation} for OpenAI
 *       upstreams).</li>
 * </ul>
 *
 * <p>The failure policy, what the client gets when an upstream fails:
 * <ul>
 *   <li>a client error (400, 404, 413, 422, ...): the upstream's answer, unchanged; nothing counted, no failover;</li>
 *   <li>a failure before anything reached the client (a failure status, a refused or reset connection, a timeout,
 *       an in-band {@code event: error} inside the peek window): counted against that upstream, then the next
 *       eligible upstream not yet tried in this exchange, up to {@code retry.max_attempts};</li>
 *   <li>a 401/403 from an upstream that uses {@code passthrough} auth: a client error (the refused credential is
 *       the client's); from any other upstream: claude-lb's credential is bad, so it counts and fails over;</li>
 *   <li>when the first attempt's failure status has nowhere to go (a single candidate, or {@code max_attempts: 1}):
 *       the upstream's own answer (its status, body and {@code retry-after} are the most useful reply), except a
 *       401/403, which would tell the client that its own key is bad;</li>
 *   <li>otherwise, when no attempt is left (every candidate failed, or none was eligible to begin with), the
 *       proxy's own answer ({@code AllFailedAnswer}): 529 {@code overloaded_error} when every failure was an overload,
 *       504 {@code timeout_error} when every failure was a timeout (a hung upstream), else 503;
 *       {@code retry-after} the soonest recovery of any candidate; {@code x-should-retry: false} once more than one
 *       upstream was tried. A stream whose only upstream sent an in-band overloaded error therefore
 *       gets a 529 before any byte of it: the held {@code message_start} is dropped, so the client sees an
 *       ordinary retryable overload, not a 200 that fails;</li>
 *   <li>an upstream whose bytes are not HTTP or exceed its decoder limits: a {@code PROTOCOL_ERROR}, failed over
 *       like a reset, and that connection is never pooled again;</li>
 *   <li>a failure after bytes reached the client: counted as MID_STREAM; a stream ends with one
 *       {@code event: error} (closing off an event the upstream left unfinished, see {@code SseTail}) and a proper
 *       last chunk; a plain body cannot be completed, so the client connection is closed.</li>
 * </ul>
 * A client that goes away is never the upstream's fault: the attempt ends without a verdict. A client that takes
 * nothing of a relayed answer for {@code server.write_stall_timeout} loses it: the upstream connection is freed.
 */
package io.claudelb.server.exchange;
