package io.claudelb.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one native {@code upstreams[]} entry into an {@link UpstreamConfig}: kind, base URL, credential, pool,
 * timeouts, count_tokens, beta filter, outbound proxy, the {@code openai} dialect and the {@code tls} trust. Auth keys
 * that the chosen auth type does not use are an error, and so is {@code openai} on another kind, {@code tls} on an
 * http:// upstream or {@code count_tokens: true} on an {@code openai} upstream, so a misplaced setting is caught at
 * startup instead of being silently ignored; a {@code tls.ca_file} must be a readable PEM file of certificates.
 * The URL and each sub-mapping are read as separate {@linkplain ReadContext#part parts}, so a missing
 * {@code base_url} does not hide a missing token.
 *
 * <p>The cloud kinds: {@code bedrock} needs {@code region}, {@code vertex} needs {@code project} and {@code region};
 * for both {@code base_url} is optional (the region's public endpoint; give one for a VPC endpoint, a private
 * gateway or tests). {@code databricks} takes {@code databricks: {discover, api, refresh}}. A Google key file must be
 * a readable file.
 */
final class UpstreamReader {
    static final List<String> KEYS = List.of("name", "kind", "base_url", "weight", "priority", "enabled", "auth",
            "pool", "timeouts", "count_tokens", "betas", "proxy", "openai", "tls", "region", "project", "databricks");
    private static final List<String> AUTH_KEYS = List.of("type", "token", "client_id", "client_secret", "token_url",
            "refresh_token", "access_key_id", "secret_access_key", "session_token", "role_arn", "external_id",
            "role_session_name", "key_file");
    private static final List<String> ROLE_KEYS = List.of("role_arn", "external_id", "role_session_name");
    private static final Map<AuthType, List<String>> AUTH_FIELDS = new EnumMap<>(AuthType.class);

    static {
        AUTH_FIELDS.put(AuthType.API_KEY, List.of("token"));
        AUTH_FIELDS.put(AuthType.BEARER, List.of("token"));
        AUTH_FIELDS.put(AuthType.PASSTHROUGH, List.of());
        AUTH_FIELDS.put(AuthType.NONE, List.of());
        AUTH_FIELDS.put(AuthType.DATABRICKS_OAUTH, List.of("client_id", "client_secret", "token_url"));
        AUTH_FIELDS.put(AuthType.OAUTH_REFRESH, List.of("refresh_token", "token_url", "client_id", "client_secret"));
        List<String> aws = new java.util.ArrayList<>(List.of("access_key_id", "secret_access_key", "session_token"));
        aws.addAll(ROLE_KEYS);
        AUTH_FIELDS.put(AuthType.AWS, List.copyOf(aws));
        AUTH_FIELDS.put(AuthType.AWS_DEFAULT, ROLE_KEYS);
        AUTH_FIELDS.put(AuthType.GOOGLE_SERVICE_ACCOUNT, List.of("key_file"));
        AUTH_FIELDS.put(AuthType.GOOGLE_DEFAULT, List.of());
    }

    private UpstreamReader() {
    }

    /** An enabled upstream's record; the caller has checked {@code enabled} and the name's uniqueness. */
    static UpstreamConfig read(ConfigNode n, ReadContext ctx) {
        n.allowOnly(KEYS);
        String name = n.required("name");
        UpstreamKind kind = n.choice("kind", UpstreamKind.values(), UpstreamKind.ANTHROPIC);
        BedrockSettings bedrock = kind == UpstreamKind.BEDROCK ? ctx.part(() -> {
            String region = n.required("region");
            return ctx.build(n.path(), () -> new BedrockSettings(region));
        }, null) : null;
        VertexSettings vertex = kind == UpstreamKind.VERTEX ? ctx.part(() -> {
            String project = n.required("project");
            String region = n.required("region");
            return ctx.build(n.path(), () -> new VertexSettings(project, region));
        }, null) : null;
        if (kind != UpstreamKind.BEDROCK && kind != UpstreamKind.VERTEX && (n.has("region") || n.has("project"))) {
            ctx.report(n.error(n.has("region") ? "region" : "project", "is only used by kinds bedrock and vertex, "
                    + "this upstream is kind " + kind.configName()));
        }
        if (kind == UpstreamKind.BEDROCK && n.has("project")) {
            ctx.report(n.error("project", "is only used by kind vertex"));
        }
        if (n.has("databricks") && kind != UpstreamKind.DATABRICKS) {
            ctx.report(n.error("databricks", "is only used by kind databricks, this upstream is kind "
                    + kind.configName()));
        }
        DatabricksSettings databricks = kind == UpstreamKind.DATABRICKS
                ? ctx.part(() -> databricks(n.node("databricks"), ctx), null) : null;
        // The cloud kinds know their public endpoint; a base URL there is a VPC endpoint, a private gateway or a test.
        URI baseUrl = kind.modelInPath() && !n.has("base_url") ? null : ctx.part(() -> url(n, "base_url"), null);
        UpstreamAuth auth = ctx.part(() -> auth(n.node("auth"), baseUrl, ctx), UpstreamAuth.none());
        int weight = n.integer("weight", UpstreamConfig.DEFAULT_WEIGHT);
        int priority = n.integer("priority", UpstreamConfig.DEFAULT_PRIORITY);
        PoolSettings pool = ctx.part(() -> pool(n.node("pool"), PoolSettings.DEFAULTS, ctx), null);
        TimeoutSettings timeouts = ctx.part(() -> timeouts(n.node("timeouts"), ctx), null);
        boolean countTokens = n.bool("count_tokens", UpstreamConfig.countsTokensByDefault(kind));
        if (countTokens && (kind == UpstreamKind.OPENAI || kind == UpstreamKind.BEDROCK)) {
            ctx.report(n.error("count_tokens", "claude-lb has no token counting endpoint to relay to on a "
                    + kind.configName() + " upstream; leave it false (claude-lb answers count_tokens with an "
                    + "estimate)"));
        }
        BetaFilter betas = ctx.part(() -> betas(n.node("betas")), null);
        OutboundProxy proxy = ctx.part(() -> OutboundProxies.read(n, "proxy"), null);
        if (n.has("openai") && kind != UpstreamKind.OPENAI) {
            ctx.report(n.error("openai", "is only used by kind openai, this upstream is kind " + kind.configName()));
        }
        OpenAiSettings openai = ctx.part(() -> openai(n.node("openai"), ctx), null);
        ConfigNode tlsNode = n.node("tls");
        TlsSettings tls = n.has("tls") ? ctx.part(() -> tls(tlsNode), TlsSettings.DEFAULTS) : TlsSettings.DEFAULTS;
        BedrockSettings finalBedrock = bedrock;
        VertexSettings finalVertex = vertex;
        UpstreamConfig upstream = ctx.build(n.path(), () -> UpstreamConfig.builder(name, kind).baseUrl(baseUrl)
                .auth(auth).weight(weight).priority(priority).pool(pool).timeouts(timeouts).countTokens(countTokens)
                .betas(betas).proxy(proxy).openai(openai).tls(tls).bedrock(finalBedrock).vertex(finalVertex)
                .databricks(databricks).build());
        // After the record has refused tls on an http:// URL: that mistake is reported before any file problem.
        if (tls.hasCaFile()) {
            CaFiles.check(tlsNode.pathOf("ca_file"), tls.caFile());
        }
        return upstream;
    }

    /** A present {@code tls} mapping: its one key is required, so {@code tls: {}} is not silently ignored. */
    private static TlsSettings tls(ConfigNode t) {
        t.allowOnly(List.of("ca_file"));
        String caFile = t.required("ca_file");
        try {
            return TlsSettings.caFile(Path.of(caFile));
        } catch (InvalidPathException e) {
            throw t.error("ca_file", "is not a valid path (" + e.getReason() + ")");
        }
    }

    private static DatabricksSettings databricks(ConfigNode d, ReadContext ctx) {
        d.allowOnly(List.of("discover", "api", "refresh"));
        DatabricksSettings defaults = DatabricksSettings.DEFAULTS;
        boolean discover = d.bool("discover", defaults.discover());
        DatabricksApi api = d.choice("api", DatabricksApi.values(), defaults.api());
        Duration refresh = d.duration("refresh", defaults.refreshEvery());
        return ctx.build(d.path(), () -> new DatabricksSettings(discover, api, refresh));
    }

    private static OpenAiSettings openai(ConfigNode o, ReadContext ctx) {
        o.allowOnly(List.of("max_completion_tokens", "reasoning_param", "user_max_length"));
        OpenAiSettings d = OpenAiSettings.DEFAULTS;
        boolean maxCompletionTokens = o.bool("max_completion_tokens", d.maxCompletionTokens());
        String reasoningParam = o.string("reasoning_param");
        if (reasoningParam != null && reasoningParam.isBlank()) {
            reasoningParam = null;
        }
        int userMaxLength = o.integer("user_max_length", d.userMaxLength());
        String finalReasoningParam = reasoningParam;
        return ctx.build(o.path(), () -> new OpenAiSettings(maxCompletionTokens, finalReasoningParam,
                userMaxLength));
    }

    /** A required http(s) URL; the record checks scheme and host, this reports what URI parsing finds. */
    static URI url(ConfigNode n, String key) {
        String text = n.required(key);
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw n.error(key, "is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
    }

    static UpstreamAuth auth(ConfigNode a, URI baseUrl, ReadContext ctx) {
        if (a.isEmpty()) {
            return UpstreamAuth.none();
        }
        a.allowOnly(AUTH_KEYS);
        if (!a.has("type")) {
            throw a.error("type", "is required (api_key, bearer, passthrough, databricks_oauth, oauth_refresh, "
                    + "aws, aws_default, google_service_account, google_default, none)");
        }
        AuthType type = a.choice("type", AuthType.values(), null);
        if (type == null) {
            return UpstreamAuth.none(); // the unknown type is reported; which other keys it needs is unknown
        }
        for (String key : AUTH_KEYS) {
            if (!key.equals("type") && a.has(key) && !AUTH_FIELDS.get(type).contains(key)) {
                throw a.error(key, "is not used by auth type " + type.configName());
            }
        }
        URI tokenUrl = a.has("token_url") ? url(a, "token_url") : null;
        if (tokenUrl != null && !isHttpUrl(tokenUrl)) {
            throw a.error("token_url", "must be an http:// or https:// URL with a host");
        }
        if (tokenUrl == null && type == AuthType.DATABRICKS_OAUTH && isHttpUrl(baseUrl)) {
            // The workspace's own OIDC endpoint: same scheme and host as the serving endpoints, path replaced.
            tokenUrl = URI.create(baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + "/oidc/v1/token");
        }
        Secret token = a.secret("token");
        Secret clientId = a.secret("client_id");
        Secret clientSecret = a.secret("client_secret");
        Secret refreshToken = a.secret("refresh_token");
        AwsAuth aws = type.aws() ? ctx.build(a.path(), () -> new AwsAuth(a.secret("access_key_id"),
                a.secret("secret_access_key"), a.secret("session_token"), a.string("role_arn"),
                a.secret("external_id"), a.string("role_session_name"))) : null;
        Path keyFile = type == AuthType.GOOGLE_SERVICE_ACCOUNT ? keyFile(a) : null;
        URI finalTokenUrl = tokenUrl;
        return ctx.build(a.path(), () -> new UpstreamAuth(type, token, clientId, clientSecret, finalTokenUrl,
                refreshToken, aws, keyFile));
    }

    /** A service account's key file: required, and readable now, so a typo fails at startup, not at first use. */
    private static Path keyFile(ConfigNode a) {
        String text = a.required("key_file");
        Path file;
        try {
            file = Path.of(text);
        } catch (InvalidPathException e) {
            throw a.error("key_file", "is not a valid path (" + e.getReason() + ")");
        }
        if (!java.nio.file.Files.isRegularFile(file) || !java.nio.file.Files.isReadable(file)) {
            throw a.error("key_file", "'" + text + "' is not a readable file");
        }
        return file;
    }

    private static boolean isHttpUrl(URI uri) {
        if (uri == null) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    }

    static PoolSettings pool(ConfigNode p, PoolSettings d, ReadContext ctx) {
        p.allowOnly(List.of("max_connections", "max_pending_acquires", "acquire_timeout", "idle_timeout",
                "max_lifetime"));
        int max = p.integer("max_connections", d.maxConnections());
        int pending = p.integer("max_pending_acquires", d.maxPendingAcquires());
        Duration acquire = p.duration("acquire_timeout", d.acquireTimeout());
        Duration idle = p.duration("idle_timeout", d.idleTimeout());
        Duration lifetime = p.duration("max_lifetime", d.maxLifetime());
        return ctx.build(p.path(), () -> new PoolSettings(max, pending, acquire, idle, lifetime));
    }

    private static TimeoutSettings timeouts(ConfigNode t, ReadContext ctx) {
        t.allowOnly(List.of("connect", "first_byte", "idle"));
        TimeoutSettings d = TimeoutSettings.DEFAULTS;
        Duration connect = t.duration("connect", d.connect());
        Duration firstByte = t.duration("first_byte", d.firstByte());
        Duration idle = t.duration("idle", d.idle());
        return ctx.build(t.path(), () -> new TimeoutSettings(connect, firstByte, idle));
    }

    private static BetaFilter betas(ConfigNode b) {
        b.allowOnly(List.of("allow", "deny"));
        if (b.has("allow") && b.has("deny")) {
            throw b.error("deny", "give either allow or deny, not both");
        }
        List<String> allow = b.strings("allow");
        List<String> deny = b.strings("deny");
        if (allow == null && deny == null) {
            return BetaFilter.ALL;
        }
        return new BetaFilter(allow == null ? null : flags(allow), deny == null ? Set.of() : flags(deny));
    }

    private static Set<String> flags(List<String> items) {
        Set<String> out = new LinkedHashSet<>();
        for (String item : items) {
            if (!item.isBlank()) {
                out.add(item.trim());
            }
        }
        return out;
    }
}
