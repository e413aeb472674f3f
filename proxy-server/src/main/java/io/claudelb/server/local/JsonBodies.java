package io.claudelb.server.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes a JSON document straight into a pooled buffer with jackson-core's generator (admin endpoints). */
final class JsonBodies {
    private static final JsonFactory FACTORY = new JsonFactory();

    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private JsonBodies() {
    }

    static ByteBuf write(ByteBufAllocator alloc, Writer writer) {
        ByteBuf buf = alloc.buffer(1024);
        try (JsonGenerator g = FACTORY.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buf))) {
            writer.write(g);
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException(e);
        }
        return buf;
    }
}
