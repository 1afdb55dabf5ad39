package dev.berth.controller.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What Kubernetes' API server says about changing a ConfigMap or Secret, in its words. */
final class ConfigRules {
    private ConfigRules() {}

    /**
     * The problems of replacing an object with {@code data} (and {@code immutable}) by one with {@code newData}: none
     * unless the old one is immutable and either would change.
     */
    static List<String> update(String kind, String name, boolean wasImmutable, Map<String, ?> data, boolean immutable, Map<String, ?> newData) {
        if (!wasImmutable) return List.of();
        List<String> problems = new ArrayList<>();
        String invalid = kind + " \"" + name + "\" is invalid: ";
        if (!Objects.equals(data, newData)) problems.add(invalid + "data: Forbidden: field is immutable when `immutable` is set");
        if (!immutable) problems.add(invalid + "immutable: Forbidden: field is immutable when `immutable` is set");
        return problems;
    }

    static String notFound(String resource, String name) { return resource + " \"" + name + "\" not found"; }
}
