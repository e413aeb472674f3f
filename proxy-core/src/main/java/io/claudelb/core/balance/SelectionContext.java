package io.claudelb.core.balance;

/**
 * What the balancer may use about one request besides its route.
 *
 * @param sessionKey    the affinity key (Claude Code session, or client key name), or null
 * @param clientName    the authenticated client key's name, or null when keys are off
 */
public record SelectionContext(String sessionKey, String clientName) {
    public static final SelectionContext NONE = new SelectionContext(null, null);
}
