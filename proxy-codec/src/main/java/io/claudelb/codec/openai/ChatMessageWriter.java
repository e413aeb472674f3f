package io.claudelb.codec.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the Chat Completions {@code messages} array for one Anthropic request: the system prompt, then each
 * Anthropic message as one or more OpenAI messages. Part of {@link OpenAiRequestTranslator}.
 *
 * <p>Mapping (seed B's reference mapping, seed-behaviour.md §7.3, with its REC fixes):
 * <ul>
 *   <li>{@code system} (string, or text blocks joined with {@code \n}) → a leading {@code system} message, omitted
 *       when empty; a {@code role: "system"} entry inside {@code messages} stays a {@code system} message in
 *       place.</li>
 *   <li>User {@code tool_result} blocks → one {@code tool} message each, in block order, before the user's own
 *       content (Chat Completions wants tool answers right after the assistant's {@code tool_calls}). Content: a
 *       string as-is; blocks: text joined with {@code \n}, other blocks as JSON text. {@code is_error: true}
 *       prefixes the content with {@value #TOOL_ERROR_PREFIX}. Images and PDFs inside a tool result cannot go in
 *       a {@code tool} message, so they move to the user message that follows, and the tool content says so.</li>
 *   <li>User text, image (base64 → data URL, url → url) and document (text source → text, base64 PDF → file part)
 *       blocks → content parts; one text part alone is sent as a plain string. Other image or document sources
 *       are rejected rather than silently dropped.</li>
 *   <li>Assistant text blocks (joined with {@code \n}) and {@code tool_use} blocks → ONE assistant message with
 *       {@code content} and {@code tool_calls} ({@code arguments} = the input as JSON text). Unlike seed B, the
 *       text is kept next to the tool calls (Chat Completions allows both); {@code content} is null only when
 *       there is no text.</li>
 *   <li>{@code thinking} and {@code redacted_thinking} blocks are dropped (their signatures mean nothing to
 *       another provider), as are Anthropic-only blocks (server tool results, search results, tool references)
 *       and {@code cache_control} markers.</li>
 * </ul>
 */
final class ChatMessageWriter {
    static final String TOOL_ERROR_PREFIX = "[tool error] ";
    static final String MOVED_ATTACHMENT_NOTE = "[attachment moved to the next user message]";

    private final JsonGenerator gen;

    ChatMessageWriter(JsonGenerator gen) {
        this.gen = gen;
    }

    /** Writes the leading system message for the request's {@code system} field, if it has any text. */
    void writeSystem(JsonValue system) throws IOException {
        if (system == null || system == JsonValue.Null.INSTANCE) {
            return;
        }
        String text = systemText(system, "system");
        if (!text.isEmpty()) {
            writeTextMessage("system", text);
        }
    }

    /** Writes the OpenAI messages for {@code messages[index]}. */
    void writeMessage(JsonValue message, int index) throws IOException {
        String path = "messages." + index;
        if (!(message instanceof JsonValue.Obj)) {
            throw new TranslationException(path + ": must be an object");
        }
        String role = message.textOf("role");
        JsonValue content = message.get("content");
        if (role == null) {
            throw new TranslationException(path + ".role: is required");
        }
        switch (role) {
            case "user":
                writeUser(content, path + ".content");
                break;
            case "assistant":
                writeAssistant(content, path + ".content");
                break;
            case "system":
                writeTextMessage("system", systemText(content, path + ".content"));
                break;
            default:
                throw new TranslationException(path + ".role: must be 'user' or 'assistant'");
        }
    }

    private void writeUser(JsonValue content, String path) throws IOException {
        if (content instanceof JsonValue.Str str) {
            writeTextMessage("user", str.value());
            return;
        }
        List<JsonValue> blocks = blocks(content, path);
        List<ContentPart> parts = new ArrayList<>();
        boolean anyToolResult = false;
        for (int i = 0; i < blocks.size(); i++) {
            JsonValue block = blocks.get(i);
            String blockPath = path + "." + i;
            String type = blockType(block, blockPath);
            if ("tool_result".equals(type)) {
                anyToolResult = true;
                writeToolResult(block, blockPath, parts);
            } else if ("tool_use".equals(type)) {
                throw new TranslationException(blockPath + ": tool_use blocks belong in assistant messages");
            } else {
                ContentPart part = userPart(block, type, blockPath);
                if (part != null) {
                    parts.add(part);
                }
            }
        }
        if (!parts.isEmpty() || !anyToolResult) {
            gen.writeStartObject();
            gen.writeStringField("role", "user");
            if (parts.isEmpty()) {
                gen.writeStringField("content", "");
            } else if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text text) {
                gen.writeStringField("content", text.text());
            } else {
                gen.writeArrayFieldStart("content");
                for (ContentPart part : parts) {
                    part.write(gen);
                }
                gen.writeEndArray();
            }
            gen.writeEndObject();
        }
    }

    /** Writes one {@code tool} message; attachments it cannot carry are appended to {@code userParts}. */
    private void writeToolResult(JsonValue block, String path, List<ContentPart> userParts) throws IOException {
        String toolUseId = block.textOf("tool_use_id");
        if (toolUseId == null) {
            throw new TranslationException(path + ".tool_use_id: is required");
        }
        JsonValue content = block.get("content");
        StringBuilder text = new StringBuilder();
        if (content instanceof JsonValue.Str str) {
            text.append(str.value());
        } else if (content instanceof JsonValue.Arr arr) {
            boolean moved = false;
            for (int i = 0; i < arr.items().size(); i++) {
                JsonValue item = arr.items().get(i);
                String itemPath = path + ".content." + i;
                String type = blockType(item, itemPath);
                ContentPart part = "text".equals(type) || "image".equals(type) || "document".equals(type)
                        ? userPart(item, type, itemPath) : null;
                String piece;
                if (part instanceof ContentPart.Text textPart) {
                    piece = textPart.text();
                } else if (part != null) {
                    userParts.add(part);
                    moved = true;
                    continue;
                } else {
                    piece = JsonTree.toJson(item);
                }
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(piece);
            }
            if (moved) {
                text.append(text.length() > 0 ? "\n" : "").append(MOVED_ATTACHMENT_NOTE);
            }
        } else if (content != null && content != JsonValue.Null.INSTANCE) {
            text.append(JsonTree.toJson(content));
        }
        String body = !JsonValue.isTrue(block.get("is_error")) ? text.toString()
                : text.length() == 0 ? TOOL_ERROR_PREFIX.strip() : TOOL_ERROR_PREFIX + text;
        gen.writeStartObject();
        gen.writeStringField("role", "tool");
        gen.writeStringField("tool_call_id", toolUseId);
        gen.writeStringField("content", body);
        gen.writeEndObject();
    }

    /** The content part for a user block, or null for blocks that have no Chat Completions form. */
    private static ContentPart userPart(JsonValue block, String type, String path) {
        switch (type) {
            case "text":
                return new ContentPart.Text(requiredText(block, "text", path));
            case "image":
                return image(block.get("source"), path + ".source");
            case "document":
                return document(block, path);
            default:
                return null;
        }
    }

    private static ContentPart image(JsonValue source, String path) {
        String sourceType = source == null ? null : source.textOf("type");
        if ("base64".equals(sourceType)) {
            return new ContentPart.ImageUrl(dataUrl(source, path));
        }
        if ("url".equals(sourceType)) {
            return new ContentPart.ImageUrl(requiredText(source, "url", path));
        }
        throw unsupportedSource("image", sourceType, path);
    }

    private static ContentPart document(JsonValue block, String path) {
        JsonValue source = block.get("source");
        String sourcePath = path + ".source";
        String sourceType = source == null ? null : source.textOf("type");
        if ("text".equals(sourceType)) {
            return new ContentPart.Text(requiredText(source, "data", sourcePath));
        }
        if ("base64".equals(sourceType)) {
            String title = block.textOf("title");
            return new ContentPart.File(title == null || title.isBlank() ? "document.pdf" : title,
                    dataUrl(source, sourcePath));
        }
        throw unsupportedSource("document", sourceType, sourcePath);
    }

    private static String dataUrl(JsonValue source, String path) {
        return "data:" + requiredText(source, "media_type", path) + ";base64," + requiredText(source, "data", path);
    }

    private static TranslationException unsupportedSource(String kind, String sourceType, String path) {
        return new TranslationException(path + ".type: " + kind + " source "
                + (sourceType == null ? "(missing)" : "'" + sourceType + "'")
                + " is not supported by OpenAI-compatible upstreams");
    }

    private void writeAssistant(JsonValue content, String path) throws IOException {
        if (content instanceof JsonValue.Str str) {
            writeTextMessage("assistant", str.value());
            return;
        }
        List<JsonValue> blocks = blocks(content, path);
        StringBuilder text = null;
        List<JsonValue> toolUses = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            JsonValue block = blocks.get(i);
            String blockPath = path + "." + i;
            String type = blockType(block, blockPath);
            if ("text".equals(type)) {
                String piece = requiredText(block, "text", blockPath);
                text = text == null ? new StringBuilder(piece) : text.append('\n').append(piece);
            } else if ("tool_use".equals(type)) {
                requiredText(block, "id", blockPath);
                requiredText(block, "name", blockPath);
                toolUses.add(block);
            }
        }
        gen.writeStartObject();
        gen.writeStringField("role", "assistant");
        if (text != null) {
            gen.writeStringField("content", text.toString());
        } else if (toolUses.isEmpty()) {
            gen.writeStringField("content", "");
        } else {
            gen.writeNullField("content");
        }
        if (!toolUses.isEmpty()) {
            gen.writeArrayFieldStart("tool_calls");
            for (JsonValue toolUse : toolUses) {
                JsonValue input = toolUse.get("input");
                gen.writeStartObject();
                gen.writeStringField("id", toolUse.textOf("id"));
                gen.writeStringField("type", "function");
                gen.writeObjectFieldStart("function");
                gen.writeStringField("name", toolUse.textOf("name"));
                gen.writeStringField("arguments",
                        input == null || input == JsonValue.Null.INSTANCE ? "{}" : JsonTree.toJson(input));
                gen.writeEndObject();
                gen.writeEndObject();
            }
            gen.writeEndArray();
        }
        gen.writeEndObject();
    }

    private void writeTextMessage(String role, String text) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("role", role);
        gen.writeStringField("content", text);
        gen.writeEndObject();
    }

    /** A system prompt's text: a string, or its text blocks joined with a newline (other blocks ignored). */
    private static String systemText(JsonValue system, String path) {
        if (system instanceof JsonValue.Str str) {
            return str.value();
        }
        StringBuilder text = new StringBuilder();
        List<JsonValue> blocks = blocks(system, path);
        for (int i = 0; i < blocks.size(); i++) {
            JsonValue block = blocks.get(i);
            if ("text".equals(blockType(block, path + "." + i))) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(requiredText(block, "text", path + "." + i));
            }
        }
        return text.toString();
    }

    private static List<JsonValue> blocks(JsonValue content, String path) {
        if (content instanceof JsonValue.Arr arr) {
            return arr.items();
        }
        throw new TranslationException(path + ": must be a string or an array of content blocks");
    }

    private static String blockType(JsonValue block, String path) {
        String type = block.textOf("type");
        if (type == null) {
            throw new TranslationException(path + ".type: is required");
        }
        return type;
    }

    private static String requiredText(JsonValue value, String field, String path) {
        String text = value.textOf(field);
        if (text == null) {
            throw new TranslationException(path + "." + field + ": must be a string");
        }
        return text;
    }
}
