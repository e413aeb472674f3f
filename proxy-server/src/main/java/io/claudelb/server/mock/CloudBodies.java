package io.claudelb.server.mock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The top-level members the cloud mocks check in a request body ({@code anthropic_version}, {@code model},
 * {@code stream}): name to the member's text value (or {@code "true"}/{@code "false"}, or {@code "<value>"} for any
 * other JSON). The real providers refuse a body that has a member they do not take, so the mocks do too.
 */
final class CloudBodies {
    private CloudBodies() {
    }

    static Map<String, String> topLevel(ByteBuf body) throws IOException {
        Map<String, String> members = new HashMap<>();
        try (JsonParser parser = JsonBytes.FACTORY.createParser((java.io.InputStream) new ByteBufInputStream(body.duplicate()))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                members.put(name, value == JsonToken.VALUE_STRING || value.isBoolean() ? parser.getText() : "<value>");
                parser.skipChildren();
            }
        }
        return members;
    }
}
