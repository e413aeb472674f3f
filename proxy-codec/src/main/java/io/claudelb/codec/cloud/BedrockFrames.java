package io.claudelb.codec.cloud;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Bedrock's stream frames as Bedrock writes them, encoded by the AWS SDK's own event-stream {@link Message}: a
 * {@code chunk} event around one Anthropic event, and exception frames. What the Bedrock mock upstream sends and what
 * tests and benchmarks feed {@link BedrockStreamTranslator}; the proxy itself only decodes.
 */
public final class BedrockFrames {
    private BedrockFrames() {
    }

    /**
     * The frame of one Anthropic event: headers {@code :event-type: chunk}, {@code :content-type: application/json},
     * {@code :message-type: event}; payload {@code {"bytes":"<base64 of the event JSON>","p":"..."}} (Bedrock pads
     * with {@code p} so frame sizes do not reveal the text).
     */
    public static byte[] chunk(byte[] eventJson) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString("chunk"));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        String payload = "{\"bytes\":\"" + Base64.getEncoder().encodeToString(eventJson) + "\",\"p\":\"abcdefgh\"}";
        return encode(new Message(headers, payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** An exception frame: {@code :message-type: exception}, {@code :exception-type: <type>}, {@code {"message"}}. */
    public static byte[] exception(String exceptionType, String message) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":exception-type", HeaderValue.fromString(exceptionType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("exception"));
        String payload = "{\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        return encode(new Message(headers, payload.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] encode(Message message) {
        ByteBuffer buffer = message.toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
