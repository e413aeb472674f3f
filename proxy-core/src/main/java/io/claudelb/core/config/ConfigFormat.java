package io.claudelb.core.config;

/** Which schema a config file was written in; seed formats are mapped onto the native one. */
public enum ConfigFormat {
    NATIVE,
    /** Seed A's config.yaml: load_balancer, auth.api_key, endpoints[]. */
    SEED_A,
    /** Seed B's config.yaml: providers[], model_routes, settings. */
    SEED_B,
    /** Seed B's older providers.yaml: providers[] with big_model / small_model. */
    SEED_B_PROVIDERS
}
