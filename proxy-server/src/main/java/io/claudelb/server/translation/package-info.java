/**
 * The seam between the exchange and the upstream kinds that answer in another shape:
 * {@link io.claudelb.server.translation.ResponseTranslation}, how one attempt's response becomes the Anthropic
 * response its client gets. The exchange ({@code exchange/}) uses it; the kinds implement it (the exchange's own
 * OpenAI translation, {@code cloud/}'s Bedrock and Vertex ones), so neither package depends on the other's insides.
 */
package io.claudelb.server.translation;
