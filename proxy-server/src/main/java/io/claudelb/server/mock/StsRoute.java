package io.claudelb.server.mock;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS STS, {@code POST} {@link MockCloud#STS_PATH} with the query protocol's form body, as the SDK's providers send it:
 * <ul>
 *   <li>{@code Action=AssumeRole&Version=2011-06-15&RoleArn=...&RoleSessionName=...[&ExternalId=...]}
 *       ({@code StsAssumeRoleCredentialsProvider}). Checked as STS does: the SigV4 signature (service {@code sts},
 *       {@link SigV4Verifier}) with a key the mock accepts ({@link MockCloud#acceptAwsKey}), else 403
 *       {@code SignatureDoesNotMatch} / {@code InvalidClientTokenId}. Recorded in {@link MockCloud#assumeRoleCalls}
 *       with the key that signed it.</li>
 *   <li>{@code Action=AssumeRoleWithWebIdentity&...&WebIdentityToken=...}, unsigned, as the default chain's
 *       web identity provider sends it from an EKS/IRSA pod: the token must be one the mock accepts
 *       ({@link MockCloud#acceptWebIdentityToken}; any until one is registered), else 400
 *       {@code InvalidIdentityToken}. Recorded in
 *       {@link MockCloud#webIdentityCalls}.</li>
 * </ul>
 * Either needs the version, an IAM role ARN and a session name, else 400. The answer carries new numbered temporary
 * keys ({@link MockCloud#issueAwsCredentials}), which the Bedrock routes then accept. Errors are STS-shaped
 * {@code ErrorResponse} XML.
 */
final class StsRoute implements MockRoute {
    private static final AsciiString TEXT_XML = AsciiString.cached("text/xml");
    private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final String ASSUME_ROLE = "AssumeRole";
    private static final String WEB_IDENTITY = "AssumeRoleWithWebIdentity";
    /** An IAM role ARN: account and role name, which the assumed-role ARN of the answer is made of. */
    private static final Pattern ROLE_ARN = Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):role/([\\w+=,.@/-]+)");

    @Override
    public boolean matches(HttpMethod method, String path) {
        return HttpMethod.POST.equals(method) && path.equals(MockCloud.STS_PATH);
    }

    @Override
    public void serve(FullHttpRequest request, MockExchange exchange) {
        MockCloud cloud = exchange.state().cloud();
        Map<String, List<String>> form = new QueryStringDecoder(request.content().toString(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8, false).parameters();
        String action = first(form, "Action");
        boolean webIdentity = WEB_IDENTITY.equals(action);
        if (!webIdentity) {
            String refusal = SigV4Verifier.check(request, cloud, "sts");
            if (refusal != null) {
                cloud.assumeRoleRefused();
                boolean unknownKey = refusal.startsWith("UnrecognizedClientException")
                        || refusal.startsWith("MissingAuthenticationTokenException");
                error(exchange, 403, unknownKey ? "InvalidClientTokenId" : "SignatureDoesNotMatch",
                        refusal.substring(refusal.indexOf(':') + 2));
                return;
            }
        }
        String roleArn = first(form, "RoleArn");
        String sessionName = first(form, "RoleSessionName");
        if (!(webIdentity || ASSUME_ROLE.equals(action)) || !"2011-06-15".equals(first(form, "Version"))) {
            cloud.assumeRoleRefused();
            error(exchange, 400, "InvalidAction", "mock: only Action=AssumeRole or AssumeRoleWithWebIdentity, "
                    + "Version=2011-06-15 is served");
            return;
        }
        Matcher role = roleArn == null ? null : ROLE_ARN.matcher(roleArn);
        if (role == null || !role.matches() || sessionName == null) {
            cloud.assumeRoleRefused();
            error(exchange, 400, "ValidationError", "mock: RoleArn must be an IAM role ARN and RoleSessionName set");
            return;
        }
        if (webIdentity) {
            String token = first(form, "WebIdentityToken");
            if (!cloud.acceptsWebIdentityToken(token)) {
                cloud.assumeRoleRefused();
                error(exchange, 400, "InvalidIdentityToken", "mock: the web identity token is not one it accepts");
                return;
            }
            cloud.assumedRoleWithWebIdentity(new MockCloud.WebIdentityCall(roleArn, sessionName, token));
        } else {
            cloud.assumedRole(new MockCloud.AssumeRoleCall(SigV4Verifier.accessKeyId(request), roleArn, sessionName,
                    first(form, "ExternalId")));
        }
        MockCloud.IssuedAwsKey key = cloud.issueAwsCredentials(Instant.now());
        String roleName = role.group(3).substring(role.group(3).lastIndexOf('/') + 1);
        String xml = "<" + action + "Response xmlns=\"" + NAMESPACE + "\"><" + action + "Result>"
                + (webIdentity ? "<SubjectFromWebIdentityToken>system:serviceaccount:mock:claude-lb"
                        + "</SubjectFromWebIdentityToken>" : "")
                + "<AssumedRoleUser><AssumedRoleId>AROAMOCK:" + sessionName + "</AssumedRoleId>"
                + "<Arn>arn:" + role.group(1) + ":sts::" + role.group(2) + ":assumed-role/" + roleName + "/"
                + sessionName + "</Arn></AssumedRoleUser>"
                + "<Credentials><AccessKeyId>" + key.accessKeyId() + "</AccessKeyId>"
                + "<SecretAccessKey>" + key.secretAccessKey() + "</SecretAccessKey>"
                + "<SessionToken>" + key.sessionToken() + "</SessionToken>"
                + "<Expiration>" + key.expiration().truncatedTo(ChronoUnit.SECONDS) + "</Expiration></Credentials>"
                + "</" + action + "Result><ResponseMetadata><RequestId>mock-sts</RequestId></ResponseMetadata>"
                + "</" + action + "Response>";
        exchange.respond(200, TEXT_XML, Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8), null);
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** STS's error document; the message is the mock's own text, never a key. */
    private static void error(MockExchange exchange, int status, String code, String message) {
        String xml = "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + message.replace("&", "&amp;").replace("<", "&lt;") + "</Message></Error>"
                + "<RequestId>mock-sts</RequestId></ErrorResponse>";
        exchange.respond(status, TEXT_XML, Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8), null);
    }
}
