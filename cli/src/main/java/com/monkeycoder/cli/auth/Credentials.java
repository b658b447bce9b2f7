package com.monkeycoder.cli.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** What the CLI keeps for one gateway: the key, and the id and email it belongs to (for status and logout). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Credentials(@JsonProperty("api_key") String apiKey, @JsonProperty("key_id") String keyId,
                          @JsonProperty("email") String email) {

    /** The part of the key that may be shown. */
    public String shownKey() {
        return apiKey.substring(0, Math.min(apiKey.length(), 12)) + "…";
    }
}
