package dev.berth.node.runtime;

import java.nio.file.Path;

/** A host directory or file bind-mounted into the container (a pod volume): at {@code destination}, read-only or not. */
public record BindMount(Path source, String destination, boolean readOnly) {}
