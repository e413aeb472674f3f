/**
 * The Messages API's answer assembled from its stream: for a non-streaming request that follows an identical
 * streaming one in flight (request coalescing's mixed modes). Buffers and JSON only, no channels.
 *
 * <p>Entry point: {@link io.claudelb.codec.message.StreamAssembler} (feed the stream's chunks, then {@code finish})
 * and its {@link io.claudelb.codec.message.AssemblyResult}. Events are framed by the project's one SSE parser
 * ({@code codec/sse/SseScanner}), read with jackson-core's streaming parser and written with its generator; values
 * that pass through are copied as the upstream's exact bytes. No jackson-databind.
 */
package io.claudelb.codec.message;
