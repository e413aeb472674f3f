package io.claudelb.core.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Where a {@code bedrock} upstream lives ({@code upstreams[].region}) and how its request paths are laid out: the
 * model ID (a model, a cross-region inference profile such as {@code us.anthropic...} or {@code global.anthropic...},
 * or an ARN) is part of the path, {@code POST {base}/model/{modelId}/invoke} or {@code .../invoke-with-response-stream}.
 *
 * @param region the AWS region, e.g. {@code us-east-1}: the default host's and SigV4's region
 */
public record BedrockSettings(String region) {
    /** SigV4's service name for the Bedrock runtime endpoints. */
    public static final String SIGNING_SERVICE = "bedrock";
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    public BedrockSettings {
        Checks.notBlank("region", region);
        region = region.trim();
        if (!REGION.matcher(region).matches()) {
            throw new ConfigException("region", "must be an AWS region such as us-east-1, got '" + region + "'");
        }
    }

    /** {@code https://bedrock-runtime.{region}.amazonaws.com} ({@code .amazonaws.com.cn} in the China regions). */
    public URI defaultBaseUrl() {
        return URI.create("https://bedrock-runtime." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn"
                : ""));
    }

    /**
     * The invoke path under {@code basePath} (the base URL's path, often empty). The model ID is one path segment:
     * everything but RFC 3986's unreserved characters is percent-encoded ({@code :} of {@code -v1:0} and the
     * {@code /} of an ARN included), as the AWS SDKs send it, so the signed canonical URI is unambiguous.
     */
    public static String invokePath(String basePath, String modelId, boolean stream) {
        return basePath + "/model/" + encodeSegment(modelId) + (stream ? "/invoke-with-response-stream" : "/invoke");
    }

    static String encodeSegment(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
