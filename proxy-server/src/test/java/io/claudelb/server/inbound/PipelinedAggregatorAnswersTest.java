package io.claudelb.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.time.NanoClock;
import io.claudelb.server.transport.PipelineNames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The body aggregator's own answers to a pipelined request (its {@code 100 Continue}, its 413) wait for the answer
 * still streaming for the request before it, like every other answer: over the client pipeline's codec, keep-alive,
 * pipelining and aggregation handlers in their {@link PipelineNames} order, bytes in and bytes out.
 */
class PipelinedAggregatorAnswersTest {
    private static final int MAX_BYTES = 16;
    private static final String TERMINATING_CHUNK = "0\r\n\r\n";

    private EmbeddedChannel ch;

    @BeforeEach
    void start() {
        LocalAnswers answers = new LocalAnswers(NanoClock.SYSTEM, System::currentTimeMillis, () -> e -> { });
        ch = new EmbeddedChannel();
        ch.pipeline().addLast(PipelineNames.HTTP_CODEC, new HttpServerCodec(new HttpDecoderConfig()));
        ch.pipeline().addLast(PipelineNames.KEEP_ALIVE, new HttpServerKeepAliveHandler());
        ch.pipeline().addLast(PipelineNames.PIPELINING, new PipeliningGate());
        ch.pipeline().addLast(PipelineNames.BODY_AGGREGATOR, new BodyAggregator(MAX_BYTES, answers));
    }

    @AfterEach
    void finish() {
        ch.finishAndReleaseAll();
    }

    @Test
    void a413ForAPipelinedRequestComesAfterTheTerminatingChunkOfTheStreamBeforeIt() {
        ch.writeInbound(bytes(post("/v1/messages", "{}") + head(100, null) + "x".repeat(100)));
        startStream();

        assertThat(written()).as("nothing but the stream while it runs").isEqualTo(streamHead());

        ch.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        ch.runPendingTasks();
        String rest = written();
        assertThat(rest).startsWith(TERMINATING_CHUNK + "HTTP/1.1 413 Request Entity Too Large\r\n");
        assertThat(rest).contains("request_too_large").contains("x-claude-lb-request-id: lbreq_");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void a100ContinueForAPipelinedRequestComesAfterTheTerminatingChunkOfTheStreamBeforeIt() {
        ch.writeInbound(bytes(post("/v1/messages", "{}") + head(2, HttpHeaderValues.CONTINUE.toString())));
        startStream();

        assertThat(written()).isEqualTo(streamHead());

        ch.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        ch.runPendingTasks();
        assertThat(written()).isEqualTo(TERMINATING_CHUNK + "HTTP/1.1 100 Continue\r\n\r\n");

        ch.writeInbound(bytes("{}"));
        FullHttpRequest second = ch.readInbound();
        try {
            assertThat(second.content().toString(StandardCharsets.UTF_8)).isEqualTo("{}");
        } finally {
            second.release();
        }
    }

    @Test
    void a413ForAnOversizedPipelinedRequestAnnouncedWithExpectWaitsTooAndItsBodyIsNeverAsked() {
        ch.writeInbound(bytes(post("/v1/messages", "{}") + head(100, HttpHeaderValues.CONTINUE.toString())));
        startStream();

        assertThat(written()).isEqualTo(streamHead());

        ch.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        ch.runPendingTasks();
        String rest = written();
        assertThat(rest).startsWith(TERMINATING_CHUNK + "HTTP/1.1 413 Request Entity Too Large\r\n")
                .doesNotContain("100 Continue").contains("request_too_large");
        assertThat(ch.isOpen()).isFalse();
    }

    /** Takes the first request, as the exchange would, and starts its streamed answer. */
    private void startStream() {
        FullHttpRequest first = ch.readInbound();
        assertThat(first.content().toString(StandardCharsets.UTF_8)).isEqualTo("{}");
        first.release();
        assertThat(ch.<Object>readInbound()).as("the second request is held").isNull();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ch.writeOutbound(head, new DefaultHttpContent(bytes("event: ping\n\n")));
        ch.runPendingTasks();
    }

    private static String streamHead() {
        return "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nd\r\nevent: ping\n\n\r\n";
    }

    private static String post(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nhost: x\r\ncontent-length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String head(int contentLength, String expect) {
        return "POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-length: " + contentLength + "\r\n"
                + (expect == null ? "" : "expect: " + expect + "\r\n") + "\r\n";
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    /** Everything written to the socket since the last call. */
    private String written() {
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = ch.readOutbound()) != null) {
            out.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return out.toString();
    }
}
