package io.claudelb.core.config;

/** What protocol an upstream speaks and where its Messages endpoint lives relative to {@code base_url}. */
public enum UpstreamKind {
    /** Anthropic itself or an Anthropic-compatible relay: {@code {base_url}/v1/messages}. */
    ANTHROPIC("/v1/messages"),
    /** A Databricks workspace's serving endpoints: {@code {base_url}/anthropic/v1/messages}. */
    DATABRICKS("/anthropic/v1/messages"),
    /** An OpenAI Chat Completions endpoint, translated both ways: {@code {base_url}/chat/completions}. */
    OPENAI("/chat/completions"),
    /**
     * Amazon Bedrock's runtime: the model ID is in the path ({@link BedrockSettings#invokePath}), requests are
     * signed with SigV4 (or carry a Bedrock API key), streams are AWS event-stream frames.
     */
    BEDROCK(null),
    /**
     * Google Vertex AI: the project, region and model are in the path ({@link VertexSettings#predictPath}), requests
     * carry a Google access token, streams are Anthropic SSE already.
     */
    VERTEX(null);

    private final String messagesPath;

    UpstreamKind(String messagesPath) {
        this.messagesPath = messagesPath;
    }

    /**
     * Path appended to the base URL's path for {@code POST /v1/messages}.
     *
     * @throws IllegalStateException for a kind whose path names the model ({@link #modelInPath()})
     */
    public String messagesPath() {
        if (messagesPath == null) {
            throw new IllegalStateException(configName() + " paths name the model: use "
                    + "UpstreamConfig.messagesPath(model, stream)");
        }
        return messagesPath;
    }

    /** Whether the request path names the model (and the body then carries none): bedrock and vertex. */
    public boolean modelInPath() {
        return messagesPath == null;
    }

    /** Whether requests to this kind may use a credential of {@code type}. */
    public boolean accepts(AuthType type) {
        return switch (this) {
            case BEDROCK -> type.aws() || type == AuthType.BEARER || type == AuthType.NONE;
            case VERTEX -> type.google() || type == AuthType.BEARER || type == AuthType.NONE;
            default -> !type.aws() && !type.google();
        };
    }

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
