package dev.berth.controller.core;

/**
 * A namespace someone created. {@code default} needs none: it always exists. A terminating namespace
 * (deleted, its pods not all stopped yet) takes no new objects; once nothing of it is left it is
 * forgotten, and its name may be created again.
 */
public record NamespaceRecord(String name, boolean terminating) {
    public String phase() { return terminating ? "Terminating" : "Active"; }
}
