package io.claudelb.server.support;

/** Small Messages API request bodies for tests. */
public final class Requests {
    private Requests() {
    }

    /** A minimal valid Messages request for {@code model}, streaming or not. */
    public static String messages(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":256,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    }
}
