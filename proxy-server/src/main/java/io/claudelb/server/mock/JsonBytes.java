package io.claudelb.server.mock;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Runs jackson-core's streaming generator into a byte array. The mock writes its JSON once per behaviour (see
 * {@link MessagePlan}) so the per-request path only copies bytes.
 */
final class JsonBytes {
    static final JsonFactory FACTORY = new JsonFactory();

    /** Body of a JSON document written with a generator. */
    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator generator) throws IOException;
    }

    private JsonBytes() {
    }

    static byte[] write(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            writer.write(generator);
        } catch (IOException e) {
            // A ByteArrayOutputStream never fails; this is only reached through a programming error in the writer.
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
