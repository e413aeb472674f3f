package io.claudelb.server.auth;

/**
 * What a token endpoint answered (RFC 6749 section 5.1): the access token, its lifetime and, for a refresh-token
 * grant, the rotated refresh token if the server issued one. {@link #toString()} masks both tokens.
 *
 * @param accessToken      the new access token
 * @param expiresInSeconds its lifetime in seconds as the server stated it ({@code expires_in})
 * @param refreshToken     a new refresh token that replaces the old one, or null when the server kept the old one
 */
public record TokenResponse(String accessToken, long expiresInSeconds, String refreshToken) {

    @Override
    public String toString() {
        return "TokenResponse[access_token=****, expires_in=" + expiresInSeconds
                + (refreshToken == null ? "" : ", refresh_token=****") + "]";
    }
}
