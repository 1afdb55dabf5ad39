package dev.berth.controller.core;

import dev.berth.bus.Limits;
import dev.berth.bus.contract.Namespaces;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** What Kubernetes answers about namespaces, in its words: objects go only into namespaces that exist and are not terminating. */
public final class NamespaceRules {
    private NamespaceRules() {}

    public static final int MAX_NAME_LENGTH = 63;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    /** A namespace's name must be a DNS-1123 label: at most 63 characters. */
    public static List<String> name(String name) {
        if (name == null || name.isEmpty()) return List.of("namespace name must not be empty");
        if (name.length() <= MAX_NAME_LENGTH && DNS_LABEL.matcher(name).matches()) return List.of();
        return List.of("namespace '" + Limits.excerpt(name, 80) + "' is not a DNS-1123 label: at most " + MAX_NAME_LENGTH
                + " lower-case letters, digits and '-', starting and ending with a letter or digit");
    }

    static String notFound(String namespace) { return "namespaces \"" + namespace + "\" not found"; }

    /** Why an object cannot be created in {@code namespace}, or empty when it can. */
    static Optional<String> refusesNewObjects(ControllerState state, String namespace) {
        Optional<NamespaceRecord> ns = state.namespace(Namespaces.orDefault(namespace));
        if (ns.isEmpty()) return Optional.of(notFound(namespace));
        if (ns.get().terminating()) {
            return Optional.of("unable to create new content in namespace " + namespace + " because it is being terminated");
        }
        return Optional.empty();
    }
}
