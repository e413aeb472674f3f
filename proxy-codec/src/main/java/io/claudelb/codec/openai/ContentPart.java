package io.claudelb.codec.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** One Chat Completions user content part, translated from an Anthropic content block. */
sealed interface ContentPart {

    void write(JsonGenerator gen) throws IOException;

    /** {@code {"type":"text","text":…}}. */
    record Text(String text) implements ContentPart {
        @Override
        public void write(JsonGenerator gen) throws IOException {
            gen.writeStartObject();
            gen.writeStringField("type", "text");
            gen.writeStringField("text", text);
            gen.writeEndObject();
        }
    }

    /** {@code {"type":"image_url","image_url":{"url":…}}}; the URL is an https URL or a base64 data URL. */
    record ImageUrl(String url) implements ContentPart {
        @Override
        public void write(JsonGenerator gen) throws IOException {
            gen.writeStartObject();
            gen.writeStringField("type", "image_url");
            gen.writeObjectFieldStart("image_url");
            gen.writeStringField("url", url);
            gen.writeEndObject();
            gen.writeEndObject();
        }
    }

    /** {@code {"type":"file","file":{"filename":…,"file_data":<data URL>}}}, OpenAI's inline PDF input. */
    record File(String filename, String dataUrl) implements ContentPart {
        @Override
        public void write(JsonGenerator gen) throws IOException {
            gen.writeStartObject();
            gen.writeStringField("type", "file");
            gen.writeObjectFieldStart("file");
            gen.writeStringField("filename", filename);
            gen.writeStringField("file_data", dataUrl);
            gen.writeEndObject();
            gen.writeEndObject();
        }
    }
}
