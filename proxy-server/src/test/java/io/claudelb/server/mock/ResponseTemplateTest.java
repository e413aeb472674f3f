package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseTemplateTest {

    @Test
    void slotsAreFilledFromTheRequestFacts() throws IOException {
        ByteBuf body = Unpooled.copiedBuffer("{\"model\":\"m\\\"1\",\"stream\":true}", StandardCharsets.UTF_8);
        RequestFacts facts;
        try {
            facts = RequestFacts.of(body);
        } finally {
            body.release();
        }
        ResponseTemplate template = ResponseTemplate.compile(
                "{\"id\":\"msg_@@HASH@@\",\"model\":@@MODEL@@,\"n\":@@INPUT_TOKENS@@}".getBytes(StandardCharsets.UTF_8));

        ByteBuf out = template.render(UnpooledByteBufAllocator.DEFAULT, facts);
        try {
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                    "{\"id\":\"msg_" + facts.bodyHash() + "\",\"model\":\"m\\\"1\",\"n\":" + facts.inputTokens() + "}");
            assertThat(out.readableBytes()).isLessThanOrEqualTo(template.size(facts));
        } finally {
            out.release();
        }
        assertThat(facts.stream()).isTrue();
        assertThat(facts.bodyHash()).matches("[0-9a-f]{16}");
    }

    @Test
    void textWithoutMarkersIsOneLiteral() {
        ResponseTemplate template = ResponseTemplate.compile("event: ping\n\n".getBytes(StandardCharsets.UTF_8));
        RequestFacts facts = new RequestFacts("0123456789abcdef", new byte[] {'"', 'm', '"'}, false, 1, false);

        ByteBuf out = template.render(UnpooledByteBufAllocator.DEFAULT, facts);
        try {
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("event: ping\n\n");
        } finally {
            out.release();
        }
    }

    @Test
    void hashDependsOnEveryByteAndIsStable() {
        ByteBuf a = Unpooled.copiedBuffer("{\"model\":\"claude\",\"messages\":[1,2,3]}", StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.copiedBuffer("{\"model\":\"claude\",\"messages\":[1,2,4]}", StandardCharsets.UTF_8);
        try {
            assertThat(RequestFacts.hash(a)).isEqualTo(RequestFacts.hash(a.duplicate()));
            assertThat(RequestFacts.hash(a)).isNotEqualTo(RequestFacts.hash(b));
            assertThat(RequestFacts.hash(a)).isEqualTo("3af04d374775a6b9");
        } finally {
            a.release();
            b.release();
        }
    }
}
