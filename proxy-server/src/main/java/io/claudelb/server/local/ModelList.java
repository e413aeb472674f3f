package io.claudelb.server.local;

import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.route.Router;
import io.claudelb.server.http.LocalResponses;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /v1/models}: the models the routes serve, in Anthropic's list shape, for Claude Code's gateway model
 * discovery ({@code CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY=1}). The ids, in route order without duplicates:
 * <ul>
 *   <li>a route whose pattern has no {@code *} lists the pattern itself (as written);</li>
 *   <li>a glob route lists its targets' explicit model names that contain {@code claude} (case-insensitive), since
 *       those are real model names; {@code passthrough} and the Databricks family default name no model;</li>
 *   <li>a glob route's {@code databricks} target without an explicit model lists the Claude names of the endpoints
 *       its workspace was discovered to serve ({@code databricks-claude-opus-4-7} -> {@code claude-opus-4-7}, which
 *       routes there exactly);</li>
 *   <li>an id is listed only when a request for it would be routed, so discovery never offers a model that
 *       answers 404.</li>
 * </ul>
 * Each entry is {@code {"type":"model","id","display_name":id,"created_at"}} with {@code created_at} the time this
 * gateway started. Anthropic's paging works: {@code limit} (1-1000, default 20), {@code after_id},
 * {@code before_id}, with {@code has_more}, {@code first_id} and {@code last_id}.
 */
final class ModelList {
    static final int DEFAULT_LIMIT = 20;
    private static final String CLAUDE_ENDPOINT = "databricks-claude-";
    static final int MAX_LIMIT = 1000;

    private ModelList() {
    }

    /** The ids, by the rules above. */
    static List<String> ids(Router router) {
        return ids(router, java.util.Map.of());
    }

    /** The ids, with the upstreams of the snapshot (to find the discovered Databricks endpoints of targets). */
    static List<String> ids(Router router, java.util.Map<String, UpstreamConfig> upstreams) {
        Set<String> ids = new LinkedHashSet<>();
        for (RouteConfig route : router.routes()) {
            if (route.match().indexOf('*') < 0) {
                ids.add(route.match());
                continue;
            }
            for (TargetConfig t : route.targets()) {
                String model = t.model();
                UpstreamConfig u = upstreams.get(t.upstream());
                if (model == null && u != null && u.kind() == UpstreamKind.DATABRICKS) {
                    Set<String> served = router.served().served(u.name());
                    if (served != null) {
                        served.stream().filter(n -> n.startsWith(CLAUDE_ENDPOINT)).sorted()
                                .forEach(n -> ids.add(n.substring(CLAUDE_ENDPOINT.length() - "claude-".length())));
                    }
                }
                if (model != null && !model.equalsIgnoreCase(TargetConfig.PASSTHROUGH)
                        && model.toLowerCase(Locale.ROOT).contains("claude")) {
                    ids.add(model);
                }
            }
        }
        ids.removeIf(id -> router.route(id) == null);
        return List.copyOf(ids);
    }

    static FullHttpResponse answer(ByteBufAllocator alloc, Router router, String uri, String createdAt) {
        return answer(alloc, router, java.util.Map.of(), uri, createdAt);
    }

    static FullHttpResponse answer(ByteBufAllocator alloc, Router router, java.util.Map<String, UpstreamConfig> upstreams,
                                   String uri, String createdAt) {
        QueryStringDecoder query = new QueryStringDecoder(uri);
        int limit = DEFAULT_LIMIT;
        String limitText = first(query, "limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                return LocalResponses.error(alloc, 400, "invalid_request_error",
                        "limit: must be an integer from 1 to " + MAX_LIMIT + ".");
            }
        }
        List<String> all = ids(router, upstreams);
        int from = 0;
        int to = all.size();
        String after = first(query, "after_id");
        String before = first(query, "before_id");
        if (after != null) {
            from = all.indexOf(after) + 1;
        } else if (before != null) {
            to = Math.max(0, all.indexOf(before));
            from = Math.max(0, to - limit);
        }
        List<String> page = new ArrayList<>(all.subList(Math.min(from, to), to));
        boolean hasMore = false;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            hasMore = true;
        } else if (before != null) {
            hasMore = from > 0;
        }
        List<String> data = page;
        boolean more = hasMore;
        return LocalResponses.json(200, JsonBodies.write(alloc, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("data");
            for (String id : data) {
                g.writeStartObject();
                g.writeStringField("type", "model");
                g.writeStringField("id", id);
                g.writeStringField("display_name", id);
                g.writeStringField("created_at", createdAt);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeBooleanField("has_more", more);
            if (data.isEmpty()) {
                g.writeNullField("first_id");
                g.writeNullField("last_id");
            } else {
                g.writeStringField("first_id", data.get(0));
                g.writeStringField("last_id", data.get(data.size() - 1));
            }
            g.writeEndObject();
        }));
    }

    private static String first(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
