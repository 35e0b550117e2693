package io.transfer4j.util;

import java.nio.file.Path;

/** Where transfer4j keeps state outside a run: extracted backbones, the embedding cache, data. */
public final class Dirs {
    private Dirs() {}

    /** {@code $TRANSFER4J_HOME}, else {@code ~/.cache/transfer4j}. */
    public static Path home() {
        String env = System.getenv("TRANSFER4J_HOME");
        String prop = System.getProperty("transfer4j.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "transfer4j");
    }

    public static Path backbones() {
        return home().resolve("backbones");
    }

    public static Path embeddings() {
        return home().resolve("embeddings");
    }

    /** The local Maven repository: {@code -Dmaven.repo.local}, else {@code ~/.m2/repository}. */
    public static Path mavenRepository() {
        String prop = System.getProperty("maven.repo.local");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
