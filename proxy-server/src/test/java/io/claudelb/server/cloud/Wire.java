package io.claudelb.server.cloud;

import io.claudelb.server.support.RawHttpClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Sends a request head and body built by the cloud request builders to a mock, byte for byte as built. */
final class Wire {
    private Wire() {
    }

    static RawHttpClient.Response send(int port, HttpRequest head, ByteBuf body) {
        StringBuilder text = new StringBuilder(head.method() + " " + head.uri() + " HTTP/1.1\r\n");
        for (Map.Entry<String, String> h : head.headers()) {
            text.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        text.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(ByteBufUtil.getBytes(body));
        return RawHttpClient.exchange(port, out.toByteArray());
    }

    /** A whole response body as the one last chunk a translation sees. */
    static HttpContent last(byte[] body) {
        return new DefaultLastHttpContent(Unpooled.wrappedBuffer(body));
    }

    static String text(HttpContent content) {
        try {
            return content.content().toString(StandardCharsets.UTF_8);
        } finally {
            content.release();
        }
    }

    static String text(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }
}
