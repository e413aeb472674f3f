/**
 * The byte work of the cloud upstream kinds (buffers only, no channels): the request bodies Amazon Bedrock and Google
 * Vertex AI take ({@link io.claudelb.codec.cloud.CloudRequestBody}), Bedrock's event-stream answer turned into the
 * Anthropic SSE bytes a client expects ({@link io.claudelb.codec.cloud.BedrockStreamTranslator}), and both
 * providers' error answers in Anthropic's shape ({@link io.claudelb.codec.cloud.BedrockErrors},
 * {@link io.claudelb.codec.cloud.VertexErrors}). Vertex's stream is Anthropic SSE already and needs nothing here.
 */
package io.claudelb.codec.cloud;
