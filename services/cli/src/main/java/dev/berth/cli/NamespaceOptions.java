package dev.berth.cli;

import dev.berth.bus.contract.Namespaces;
import picocli.CommandLine.Option;

/**
 * kubectl's {@code -n/--namespace} and {@code -A/--all-namespaces}: which namespace the names a
 * command is given resolve in (default: {@code default}), and whether a listing spans them all.
 */
final class NamespaceOptions {
    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "the namespace of the objects named (default: default)")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "list the objects of every namespace (with a NAMESPACE column)")
    boolean all;

    /** The namespace names resolve in. */
    String namespace() { return Namespaces.orDefault(namespace); }

    /** Whether -n was given (a manifest's own namespace must then agree with it). */
    boolean given() { return namespace != null && !namespace.isEmpty(); }

    /** Whether an object of {@code objectNamespace} is listed: all of them with -A, else those of -n. */
    boolean shows(String objectNamespace) { return all || namespace().equals(Namespaces.orDefault(objectNamespace)); }

    /** Options for code that builds them itself (tests, other commands). */
    static NamespaceOptions of(String namespace, boolean all) {
        NamespaceOptions o = new NamespaceOptions();
        o.namespace = namespace;
        o.all = all;
        return o;
    }
}
