/**
 * The attempt-side pieces of the cloud upstream kinds, beside the exchange's own per-kind seams (the request head,
 * the body, the response translation): for {@code bedrock} {@link io.claudelb.server.cloud.BedrockRequests} (path,
 * body, head with a SigV4 signature or a Bedrock API key) and {@link io.claudelb.server.cloud.BedrockTranslation}
 * (its event stream as Anthropic SSE, its errors in Anthropic's shape); for {@code vertex}
 * {@link io.claudelb.server.cloud.VertexRequests} and {@link io.claudelb.server.cloud.VertexTranslation} (a
 * byte-for-byte relay but for Google-shaped errors); and {@link io.claudelb.server.cloud.CloudFailures}, which
 * turns their error statuses and Bedrock's exception frames into failure kinds. The translations are
 * {@link io.claudelb.server.translation.ResponseTranslation}s, which the exchange uses as it uses the OpenAI one.
 */
package io.claudelb.server.cloud;
