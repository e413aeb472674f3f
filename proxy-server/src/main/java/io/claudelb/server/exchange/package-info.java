/**
 * One client request relayed to upstreams: {@link io.claudelb.server.exchange.Exchange} (the attempt state machine),
 * the request heads it sends ({@code UpstreamRequests}), the heads and bodies it answers with, and the response
 * translation seam for OpenAI upstreams.
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
 *       proxy's own answer ({@code exhausted()}): 529 {@code overloaded_error} when every failure was an overload,
 *       else 503; {@code retry-after} the soonest recovery of any candidate; {@code x-should-retry: false} once
 *       more than one upstream was tried. A stream whose only upstream sent an in-band overloaded error therefore
 *       gets a 529 before any byte of it: the held {@code message_start} is dropped, so the client sees an
 *       ordinary retryable overload, not a 200 that fails;</li>
 *   <li>a failure after bytes reached the client: counted as MID_STREAM; a stream ends with one
 *       {@code event: error} (closing off an event the upstream left unfinished, see {@code SseTail}) and a proper
 *       last chunk; a plain body cannot be completed, so the client connection is closed.</li>
 * </ul>
 * A client that goes away is never the upstream's fault: the attempt ends without a verdict.
 */
package io.claudelb.server.exchange;
