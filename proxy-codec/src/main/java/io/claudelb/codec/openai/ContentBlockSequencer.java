package io.claudelb.codec.openai;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the content of OpenAI stream deltas (reasoning, text, tool-call fragments) into Anthropic content blocks
 * with indices 0, 1, 2... and exactly one block open at a time. Part of {@link OpenAiStreamTranslator}.
 *
 * <p>Text and thinking stream live; a change of kind closes the open block and starts the next one. A tool call's
 * block starts as soon as its name is known (with the provider's id, sanitised, or a generated one); argument
 * fragments that came before the name are sent right after the start, later ones as they arrive. Tool calls are
 * matched by {@code index}; a delta without one goes to the call with the same id, else to the last call; a delta
 * that reuses an index with a different id is a new call (some providers number every call 0).
 *
 * <p>Chat Completions may interleave several tool calls' fragments, but a closed Anthropic block cannot be
 * reopened. So while a tool block is open it stays open until the upstream finishes, and everything else that
 * arrives meanwhile (other tool calls, text, reasoning) is held, in arrival order, and written as complete blocks
 * when the open one closes. Nothing is lost or reordered within a block; with the usual sequential tool calls this
 * only delays the second and later calls until the finish.
 */
final class ContentBlockSequencer {
    /** Bound on text held back while a tool block is open, in chars. */
    static final long MAX_HELD_CHARS = 32L << 20;

    private enum Kind { TEXT, THINKING, TOOL }

    /** The known state of one OpenAI tool call. */
    private static final class ToolCall {
        String providerId;
        String name;
        final StringBuilder pendingArguments = new StringBuilder();
        boolean started;
        boolean held;
    }

    /** Text or reasoning held back while a tool block was open. */
    private static final class HeldText {
        final Kind kind;
        final StringBuilder text = new StringBuilder();

        HeldText(Kind kind) {
            this.kind = kind;
        }
    }

    private final String messageId;
    /** Every tool call in first-seen order. */
    private final List<ToolCall> calls = new ArrayList<>();
    private final Map<Integer, ToolCall> callsByIndex = new HashMap<>();
    private final Map<String, ToolCall> callsById = new HashMap<>();
    /** {@link ToolCall}s and {@link HeldText}s in arrival order. */
    private final List<Object> held = new ArrayList<>();
    private long heldChars;
    private ToolCall lastCall;
    private ToolCall liveCall;
    private Kind openKind;
    private int openIndex;
    private int nextIndex;
    private boolean anyToolBlock;
    private long outputChars;

    ContentBlockSequencer(String messageId) {
        this.messageId = messageId;
    }

    /** True once a tool_use block was written (for the stop reason). */
    boolean anyToolBlock() {
        return anyToolBlock;
    }

    /** Characters of text, reasoning and arguments seen: the basis of an output estimate without usage. */
    long outputChars() {
        return outputChars;
    }

    void thinking(AnthropicEventWriter out, String text) throws IOException {
        content(out, Kind.THINKING, text);
    }

    void text(AnthropicEventWriter out, String text) throws IOException {
        content(out, Kind.TEXT, text);
    }

    /** Applies one entry of a delta's {@code tool_calls} array. */
    void toolCall(AnthropicEventWriter out, JsonValue entry) throws IOException {
        if (!(entry instanceof JsonValue.Obj)) {
            return;
        }
        String id = nonEmpty(entry.textOf("id"));
        ToolCall call = callFor(entry.get("index"), id);
        if (call.providerId == null && id != null) {
            call.providerId = id;
            callsById.putIfAbsent(id, call);
        }
        JsonValue function = entry.get("function");
        String name = function == null ? null : nonEmpty(function.textOf("name"));
        if (call.name == null && name != null) {
            call.name = name;
        }
        String arguments = function == null ? null : nonEmpty(function.textOf("arguments"));
        if (arguments != null) {
            outputChars += arguments.length();
            if (call == liveCall) {
                out.inputJsonDelta(openIndex, arguments);
            } else if (!call.started) {
                hold(arguments.length());
                call.pendingArguments.append(arguments);
            }
        }
        if (!call.started && call.name != null) {
            if (liveCall == null) {
                start(out, call);
                liveCall = call;
            } else if (!call.held) {
                call.held = true;
                held.add(call);
            }
        }
    }

    /** Closes the open block and writes everything held, each as a complete block. Idempotent. */
    void closeAll(AnthropicEventWriter out) throws IOException {
        closeOpen(out);
        for (Object item : held) {
            if (item instanceof HeldText text) {
                open(out, text.kind);
                delta(out, text.kind, text.text.toString());
                closeOpen(out);
            } else if (item instanceof ToolCall call && !call.started) {
                start(out, call);
                closeOpen(out);
            }
        }
        held.clear();
        heldChars = 0;
        for (ToolCall call : calls) {
            if (!call.started) {
                start(out, call);
                closeOpen(out);
            }
        }
    }

    private void content(AnthropicEventWriter out, Kind kind, String text) throws IOException {
        if (text == null || text.isEmpty()) {
            return;
        }
        outputChars += text.length();
        if (liveCall != null) {
            Object last = held.isEmpty() ? null : held.get(held.size() - 1);
            HeldText target = last instanceof HeldText lastText && lastText.kind == kind ? lastText : null;
            if (target == null) {
                target = new HeldText(kind);
                held.add(target);
            }
            hold(text.length());
            target.text.append(text);
            return;
        }
        if (openKind != kind) {
            closeOpen(out);
            open(out, kind);
        }
        delta(out, kind, text);
    }

    private ToolCall callFor(JsonValue index, String id) {
        ToolCall call;
        if (index instanceof JsonValue.Num number) {
            int key = (int) number.longValue(Integer.MIN_VALUE);
            call = callsByIndex.get(key);
            if (call == null || id != null && call.providerId != null && !call.providerId.equals(id)) {
                ToolCall known = id == null ? null : callsById.get(id);
                call = known != null ? known : newCall();
                // Later fragments that carry only this index belong to the newest call numbered so.
                callsByIndex.put(key, call);
            }
        } else if (id != null) {
            call = callsById.get(id);
            if (call == null) {
                call = newCall();
            }
        } else {
            call = lastCall != null ? lastCall : newCall();
        }
        lastCall = call;
        return call;
    }

    private ToolCall newCall() {
        ToolCall call = new ToolCall();
        calls.add(call);
        if (liveCall != null) {
            call.held = true;
            held.add(call);
        }
        return call;
    }

    private void start(AnthropicEventWriter out, ToolCall call) throws IOException {
        closeOpen(out);
        int index = nextIndex++;
        String id = ToolCallIds.sanitize(call.providerId);
        out.toolBlockStart(index, id == null ? ToolCallIds.generate(messageId, index) : id,
                call.name == null ? "" : call.name);
        call.started = true;
        anyToolBlock = true;
        openKind = Kind.TOOL;
        openIndex = index;
        if (call.pendingArguments.length() > 0) {
            heldChars = Math.max(0, heldChars - call.pendingArguments.length());
            out.inputJsonDelta(index, call.pendingArguments.toString());
            call.pendingArguments.setLength(0);
            call.pendingArguments.trimToSize();
        }
    }

    private void open(AnthropicEventWriter out, Kind kind) throws IOException {
        int index = nextIndex++;
        if (kind == Kind.TEXT) {
            out.textBlockStart(index);
        } else {
            out.thinkingBlockStart(index);
        }
        openKind = kind;
        openIndex = index;
    }

    private void delta(AnthropicEventWriter out, Kind kind, String text) throws IOException {
        if (kind == Kind.TEXT) {
            out.textDelta(openIndex, text);
        } else {
            out.thinkingDelta(openIndex, text);
        }
    }

    private void closeOpen(AnthropicEventWriter out) throws IOException {
        if (openKind != null) {
            out.blockStop(openIndex);
            openKind = null;
            liveCall = null;
        }
    }

    private void hold(int chars) {
        heldChars += chars;
        if (heldChars > MAX_HELD_CHARS) {
            throw new TranslationException("OpenAI-compatible upstream interleaved more than " + MAX_HELD_CHARS
                    + " characters of content behind an open tool call");
        }
    }

    private static String nonEmpty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
