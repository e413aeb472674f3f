package io.claudelb.server.mock;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Instant;

/**
 * The container credentials endpoint of ECS and EKS pod identity, {@code GET}
 * {@link MockCloud#CONTAINER_CREDENTIALS_PATH}: new temporary AWS credentials each call, as
 * {@code {"AccessKeyId","SecretAccessKey","Token","Expiration"}} (ISO-8601), which the mock's Bedrock routes then
 * accept; so the AWS SDK's container provider, pointed at the mock by {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, gets
 * credentials that really sign. With
 * {@link MockCloud#requireContainerAuthorization} set, the {@code Authorization} header must carry that token (401).
 */
final class ContainerCredentialsRoute implements MockRoute {
    @Override
    public boolean matches(HttpMethod method, String path) {
        return HttpMethod.GET.equals(method) && path.equals(MockCloud.CONTAINER_CREDENTIALS_PATH);
    }

    @Override
    public void serve(FullHttpRequest request, MockExchange exchange) {
        MockCloud cloud = exchange.state().cloud();
        String required = cloud.containerAuthorization();
        if (required != null && !required.equals(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            exchange.respond(401, MockResponseHeaders.APPLICATION_JSON, Unpooled.wrappedBuffer(JsonBytes.write(g -> {
                g.writeStartObject();
                g.writeStringField("message", "mock: missing or wrong container authorization token");
                g.writeEndObject();
            })), null);
            return;
        }
        MockCloud.IssuedAwsKey key = cloud.issueAwsCredentials(Instant.now());
        byte[] body = JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("AccessKeyId", key.accessKeyId());
            g.writeStringField("SecretAccessKey", key.secretAccessKey());
            g.writeStringField("Token", key.sessionToken());
            g.writeStringField("Expiration", key.expiration().toString());
            g.writeEndObject();
        });
        exchange.respond(200, MockResponseHeaders.APPLICATION_JSON, Unpooled.wrappedBuffer(body), null);
    }
}
