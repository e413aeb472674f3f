package io.claudelb.codec.cloud;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.claudelb.codec.json.JsonParsers;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads a Databricks workspace's serving-endpoint list ({@code GET /api/2.0/serving-endpoints}):
 * {@code {"endpoints":[{"name":"databricks-claude-opus-4-7","state":{"ready":"READY",...},...},...]}}. An endpoint
 * whose {@code state.ready} says {@code NOT_READY} is left out (it would only fail); one without a state is kept.
 */
public final class ServingEndpointList {
    private ServingEndpointList() {
    }

    /**
     * The ready endpoints' names, in the listed order.
     *
     * @throws IOException when the text is not such a list
     */
    public static Set<String> names(String json) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        try (JsonParser parser = JsonParsers.over(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the endpoint list is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!"endpoints".equals(field) || value != JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    endpoint(parser, names);
                }
            }
        }
        return names;
    }

    private static void endpoint(JsonParser parser, Set<String> names) throws IOException {
        String name = null;
        boolean ready = true;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("name".equals(field) && value == JsonToken.VALUE_STRING) {
                name = parser.getText();
            } else if ("state".equals(field) && value == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String stateField = parser.currentName();
                    JsonToken stateValue = parser.nextToken();
                    if ("ready".equals(stateField) && stateValue == JsonToken.VALUE_STRING) {
                        ready = !"NOT_READY".equals(parser.getText());
                    }
                    parser.skipChildren();
                }
            } else {
                parser.skipChildren();
            }
        }
        if (name != null && ready) {
            names.add(name);
        }
    }
}
