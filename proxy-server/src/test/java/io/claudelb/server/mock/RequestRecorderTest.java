package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The mock keeps only the newest requests, so a person can run Claude Code on the demo or the mock for hours. */
class RequestRecorderTest {

    @Test
    void keepsExactlyTheNewestRequestsUpToItsLimit() {
        RequestRecorder recorder = new RequestRecorder(3);
        for (int i = 0; i < 10; i++) {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                    "/v1/messages?n=" + i, Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8));
            try {
                recorder.record(request, 1, i + 1);
            } finally {
                request.release();
            }
        }
        assertThat(recorder.snapshot()).extracting(RecordedRequest::uri)
                .containsExactly("/v1/messages?n=7", "/v1/messages?n=8", "/v1/messages?n=9");
    }

    @Test
    void aLimitOfZeroMeansNoRecorderAtAll() {
        assertThat(new MockUpstreamState("m", MockBehaviour.defaults(), 0).recorder()).isNull();
        assertThat(new MockUpstreamState("m", MockBehaviour.defaults(), 5).recorder()).isNotNull();
        assertThatThrownBy(() -> MockOptions.builder().recordLimit(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
