package io.claudelb.server.observe;

import io.claudelb.core.health.FailureKind;

/**
 * One upstream attempt of a request, as observers see it.
 *
 * @param upstream    the upstream's name
 * @param targetModel the model sent to it (the requested one when it was not rewritten)
 * @param failure     why the attempt failed, or null when it produced the answer (or was abandoned by the client)
 */
public record AttemptRecord(String upstream, String targetModel, FailureKind failure) {
}
