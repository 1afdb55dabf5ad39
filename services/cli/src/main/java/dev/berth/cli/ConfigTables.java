package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.Json;
import dev.berth.bus.contract.ConfigMapSpec;
import dev.berth.bus.contract.SecretSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code get}, {@code describe} and {@code -o json|yaml} of ConfigMaps and Secrets as kubectl prints them. A Secret's values
 * appear only in {@code -o json|yaml} (base64, as kubectl shows them); describe gives their sizes.
 */
final class ConfigTables {
    private ConfigTables() {}

    static final java.util.Set<String> CONFIG_MAP_KINDS = java.util.Set.of("configmap", "configmaps", "cm");
    static final java.util.Set<String> SECRET_KINDS = java.util.Set.of("secret", "secrets");

    /** The name when {@code ref} is {@code KIND/NAME} of one of {@code kinds}, else null. */
    static String nameIn(String ref, java.util.Set<String> kinds) {
        int slash = ref.indexOf('/');
        return slash > 0 && kinds.contains(ref.substring(0, slash)) ? ref.substring(slash + 1) : null;
    }

    /** NAME DATA AGE. */
    static String configMaps(ClusterView view, Instant now, Selection selection, boolean showLabels, NamespaceOptions ns) {
        Table t = new Table(GetCommand.columns(ns, showLabels, "NAME", "DATA", "AGE"));
        for (var r : pick(view.configMaps(), ConfigMapSpec::namespace, ConfigMapSpec::name, ConfigMapSpec::labels, selection, ns)) {
            t.row(GetCommand.cells(ns, r.spec().namespace(), showLabels, r.spec().labels(), r.spec().name(), Integer.toString(r.spec().size()),
                    GetCommand.age(r.created(), now)));
        }
        return t.render();
    }

    /** NAME TYPE DATA AGE. */
    static String secrets(ClusterView view, Instant now, Selection selection, boolean showLabels, NamespaceOptions ns) {
        Table t = new Table(GetCommand.columns(ns, showLabels, "NAME", "TYPE", "DATA", "AGE"));
        for (var r : pick(view.secrets(), SecretSpec::namespace, SecretSpec::name, SecretSpec::labels, selection, ns)) {
            t.row(GetCommand.cells(ns, r.spec().namespace(), showLabels, r.spec().labels(), r.spec().name(), r.spec().type(),
                    Integer.toString(r.spec().data().size()), GetCommand.age(r.created(), now)));
        }
        return t.render();
    }

    static ObjectNode configMapObjects(ClusterView view, Selection selection, NamespaceOptions ns) {
        ObjectNode list = KubeObjects.list();
        for (var r : pick(view.configMaps(), ConfigMapSpec::namespace, ConfigMapSpec::name, ConfigMapSpec::labels, selection, ns)) {
            ConfigMapSpec m = r.spec();
            ObjectNode item = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
            item.set("metadata", KubeObjects.metadata(m.name(), m.namespace(), r.created(), m.labels()));
            if (!m.data().isEmpty()) new TreeMap<>(m.data()).forEach(item.putObject("data")::put);
            if (!m.binaryData().isEmpty()) new TreeMap<>(m.binaryData()).forEach(item.putObject("binaryData")::put);
            if (m.immutable()) item.put("immutable", true);
            if (selection.name() != null) return item;
            list.withArray("items").add(item);
        }
        return list;
    }

    static ObjectNode secretObjects(ClusterView view, Selection selection, NamespaceOptions ns) {
        ObjectNode list = KubeObjects.list();
        for (var r : pick(view.secrets(), SecretSpec::namespace, SecretSpec::name, SecretSpec::labels, selection, ns)) {
            SecretSpec s = r.spec();
            ObjectNode item = Json.object().put("apiVersion", "v1").put("kind", "Secret");
            item.set("metadata", KubeObjects.metadata(s.name(), s.namespace(), r.created(), s.labels()));
            item.put("type", s.type());
            if (!s.data().isEmpty()) new TreeMap<>(s.data()).forEach(item.putObject("data")::put);
            if (s.immutable()) item.put("immutable", true);
            if (selection.name() != null) return item;
            list.withArray("items").add(item);
        }
        return list;
    }

    /** kubectl's describe configmap: every value, under its key. */
    static String describeConfigMap(ClusterView view, String namespace, String name) {
        var row = view.configMaps().stream().filter(r -> r.spec().namespace().equals(namespace) && r.spec().name().equals(name)).findFirst();
        if (row.isEmpty()) return null;
        ConfigMapSpec m = row.get().spec();
        StringBuilder out = header(m.name(), m.namespace(), m.labels());
        out.append("\nData\n====\n");
        new TreeMap<>(m.data()).forEach((k, v) -> out.append(k).append(":\n----\n").append(v).append(v.endsWith("\n") ? "" : "\n").append('\n'));
        out.append("\nBinaryData\n====\n");
        new TreeMap<>(m.binaryData()).forEach((k, v) -> out.append(k).append(": ").append(v.length() / 4 * 3).append(" bytes\n"));
        out.append("\nEvents:  <none>\n");
        return out.toString();
    }

    /** kubectl's describe secret: sizes, never values. */
    static String describeSecret(ClusterView view, String namespace, String name) {
        var row = view.secrets().stream().filter(r -> r.spec().namespace().equals(namespace) && r.spec().name().equals(name)).findFirst();
        if (row.isEmpty()) return null;
        SecretSpec s = row.get().spec();
        StringBuilder out = header(s.name(), s.namespace(), s.labels());
        out.append("\nType:  ").append(s.type()).append("\n\nData\n====\n");
        int width = s.data().keySet().stream().mapToInt(String::length).max().orElse(0) + 3;
        s.sizes().forEach((k, n) -> out.append(String.format("%-" + width + "s%d bytes%n", k + ":", n)));
        return out.toString();
    }

    private static StringBuilder header(String name, String namespace, Map<String, String> labels) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-14s%s%n", "Name:", name));
        out.append(String.format("%-14s%s%n", "Namespace:", namespace));
        out.append(String.format("%-14s%s%n", "Labels:", Selection.column(labels)));
        out.append(String.format("%-14s%s%n", "Annotations:", "<none>"));
        return out;
    }

    private static <T> List<ClusterView.ConfigRow<T>> pick(List<ClusterView.ConfigRow<T>> rows, java.util.function.Function<T, String> namespace,
                                                          java.util.function.Function<T, String> name,
                                                          java.util.function.Function<T, Map<String, String>> labels, Selection selection,
                                                          NamespaceOptions ns) {
        return rows.stream().filter(r -> ns.shows(namespace.apply(r.spec())) && selection.test(name.apply(r.spec()), labels.apply(r.spec()))).toList();
    }
}
